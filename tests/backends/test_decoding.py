"""The streamed reply's pieces: whole words, whatever the tokens split."""

from __future__ import annotations

from retrieval.backends.decoding import text_pieces


class ByteTokenizer:
    """Each token is one byte of UTF-8: words and characters split across tokens."""

    def decode(self, ids: list[int], skip_special_tokens: bool = True) -> str:
        return bytes(ids).decode("utf-8", errors="replace")


def tokens(text: str) -> list[int]:
    return list(text.encode("utf-8"))


def test_pieces_end_at_spaces_and_join_to_the_reply() -> None:
    reply = "Eight rockets hit the Green Zone.\nOne guard was hurt"
    pieces = list(text_pieces(ByteTokenizer(), tokens(reply)))
    assert "".join(pieces) == reply
    assert pieces[0] == "Eight "
    assert all(p.endswith((" ", "\n")) for p in pieces[:-1])  # no word is shown cut
    assert pieces[-1] == "hurt"


def test_a_character_split_across_tokens_is_never_shown_broken() -> None:
    reply = "Der Bürgermeister sagte “nein” — 東京"
    pieces = list(text_pieces(ByteTokenizer(), tokens(reply)))
    assert "".join(pieces) == reply
    assert not any("\ufffd" in p for p in pieces)


def test_no_tokens_no_pieces() -> None:
    assert list(text_pieces(ByteTokenizer(), [])) == []
