"""The answer-sentence cross-encoder: it reorders the best evidence towards the answer."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from retrieval.answer.cross_encoder import pair_text, scorer_for
from retrieval.answer.evidence import RERANKED, Evidence, rerank
from retrieval.engine import Newsdesk
from retrieval.types import Paragraph

ROCKETS = "Eight rockets were fired at the Green Zone on Tuesday, the police said."
OTHERS = (
    "The Green Zone houses government offices and several foreign embassies.",
    "Police said they were still looking for the people responsible for the attack.",
)


class Prefers:
    """A scorer that gives 5 to texts holding ``word`` and -5 to the rest."""

    def __init__(self, word: str) -> None:
        self.word = word

    def scores(self, question: str, texts: Sequence[str]) -> list[float]:
        return [5.0 if self.word in text else -5.0 for text in texts]


def evidence(text: str, score: float, index: int) -> Evidence:
    paragraph = Paragraph(index + 1, 1, index, text, 0, len(text), "Baghdad")
    return Evidence(paragraph, 0, len(text), score, 0.5, 0.5, True)


def test_the_answer_sentence_moves_up_within_the_best_few_only() -> None:
    ranked = [evidence(f"Filler sentence number {n}.", 0.9 - n / 100, n) for n in range(12)]
    ranked[3] = evidence(ROCKETS, 0.87, 3)
    ranked[10] = evidence("Eight more " + ROCKETS, 0.80, 10)  # below the reranked few
    reordered = rerank("How many rockets?", ranked, Prefers("rockets"))
    assert reordered[0].sentence == ROCKETS and reordered[0].answer_logit == 5.0
    assert reordered[RERANKED:] == ranked[RERANKED:]  # the rest keep their order, unscored
    assert sorted(e.sentence for e in reordered[:RERANKED]) == sorted(
        e.sentence for e in ranked[:RERANKED]
    )


def test_the_shipped_cross_encoder_prefers_the_sentence_that_answers(
    real_desk: Newsdesk,
) -> None:
    embedder = real_desk.library.embedder
    before = embedder.encode([ROCKETS])
    scorer = scorer_for(embedder)
    assert scorer is not None
    question = "How many rockets were fired at the Green Zone?"
    scores = scorer.scores(question, [pair_text("Baghdad", s) for s in (ROCKETS, *OTHERS)])
    assert scores[0] > max(scores[1:])
    # It shares the embedder's lower layers and leaves the embedder as it was.
    assert scorer.model.embeddings is embedder.load()[0].model.embeddings
    assert np.allclose(embedder.encode([ROCKETS]), before)
    assert scorer_for(embedder) is scorer  # loaded once


def test_no_cross_encoder_beside_a_test_embedder(fake_desk: Newsdesk) -> None:
    assert scorer_for(fake_desk.library.embedder) is None
