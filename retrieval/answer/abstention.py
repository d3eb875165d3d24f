"""When to say "the loaded articles don't say": a small trained verifier.

A logistic regression over features of the best evidence — how similar it is
to the question, how much of the question it covers, and above all which of
the question's words (names, numbers, rare words) the best paragraph lacks.
SQuAD 2.0's unanswerable questions are written to look answerable: the
paragraph is on topic, but a name, a number or a condition in the question
is not in it, the question is negated where the evidence is not ("What is
not based on …?"), or it asks for the opposite of what the paragraph says
("smallest" where it says "largest"). Trained by ``scripts/train_abstention.py`` on SQuAD 2.0 dev
articles outside the benchmark's twelve (split by article); the weights live
in ``resources/models/abstention.json``.

The features' log-odds are stacked with the answer-sentence cross-encoder's
log-odds for the best sentence (:class:`AnswerStack`), fitted on the five
articles the cross-encoder never saw, which the features' model is not trained
on either. On the benchmark's twelve articles (unseen by both) this declined
6 of 240 answerable questions against 15 for the features alone, and 18 of 60
unanswerable against 20; on 84 news questions of ours, 4 of 64 answerable
against 9, and 5 of 19 unanswerable against 6 (the verifier's decision alone,
before the answer's other checks).

The file may also stack a local model's yes/no judgement on the features
(:class:`JudgeStack`, trained by ``--judge-questions``). Measured for the
packaged Qwen2.5-Coder-0.5B (int8) on 160 questions of held-out articles,
out of fold: ROC AUC 0.62 for its judgement against 0.77 for the features,
and stacking declined no more unanswerable questions at the same cost, so
the shipped file has none. A linear probe on its hidden state (Slobodkin et
al., EMNLP 2023) did no better (AUC 0.56-0.64 on 300 questions).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path

from retrieval.answer.evidence import Evidence
from retrieval.resources import resources_dir
from retrieval.text.questions import QUESTION_NAME
from retrieval.text.terms import claim_terms, normalise, spelled_out_acronyms, stem

FEATURES = (
    "similarity",
    "paragraph_coverage",
    "sentence_coverage",
    "typed",
    "score",
    "margin",
    "missing_terms",
    "missing_names",
    "missing_numbers",
    "question_terms",
    "missing_rare",
    "other_paragraph_coverage",
    "negation_unmatched",
    "opposite_in_paragraph",
    "names_missing_sentence",
)
WEIGHTS_FILE = "abstention.json"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NEGATION = re.compile(r"\b(?:not|no|never|none|nor|neither|without|cannot)\b|n[’']t\b", re.I)
_WORD = re.compile(r"[a-z]+")
_OPPOSITES = (
    ("largest", "smallest"), ("biggest", "smallest"), ("most", "least"), ("highest", "lowest"),
    ("longest", "shortest"), ("earliest", "latest"), ("oldest", "youngest"), ("oldest", "newest"),
    ("best", "worst"), ("maximum", "minimum"), ("increase", "decrease"),
    ("increased", "decreased"), ("begin", "end"), ("began", "ended"), ("eastern", "western"),
    ("northern", "southern"), ("east", "west"), ("north", "south"), ("upper", "lower"),
    ("inner", "outer"), ("positive", "negative"), ("older", "younger"),
)  # fmt: skip
# Left out on purpose: pairs whose second word is common in news for other
# reasons ("first"/"last week", "old"/"new", "early"/"late Tuesday",
# "won"/"lost" the same race), which would mark answerable questions.
OPPOSITES: dict[str, frozenset[str]] = {
    word: frozenset(b if a == word else a for a, b in _OPPOSITES if word in (a, b))
    for pair in _OPPOSITES
    for word in pair
}
"""Words and their opposites ("largest"/"smallest"): SQuAD 2.0's antonym-swapped questions."""


def features(question: str, ranked: Sequence[Evidence]) -> list[float]:
    """The verifier's inputs for the best evidence in ``ranked`` (best first), as :data:`FEATURES`.

    Raises:
        ValueError: ``ranked`` is empty.
    """
    if not ranked:
        raise ValueError("no evidence to judge")
    best = ranked[0]
    paragraph_text = best.paragraph.text + " " + best.paragraph.article_title
    # A name the question shortens ("UC") is there where the paragraph spells it out.
    paragraph_terms = claim_terms(paragraph_text) | spelled_out_acronyms(paragraph_text, question)
    question_terms = claim_terms(question)
    sentence_terms = claim_terms(best.sentence) | spelled_out_acronyms(best.sentence, question)
    missing = {t for t in question_terms - paragraph_terms if not _near(t, paragraph_terms)}
    names = {stem(normalise(n)) for n in QUESTION_NAME.findall(question)}
    numbers = set(_NUMBER.findall(question))
    margin = best.score - ranked[1].score if len(ranked) > 1 else 0.2
    count = max(len(question_terms), 1)
    return [
        best.similarity,
        best.coverage,
        len(question_terms & sentence_terms) / count,
        1.0 if best.typed else 0.0,
        best.score,
        margin,
        len(missing) / count,
        float(len(names & missing)),
        float(len({stem(n) for n in numbers} & missing)),
        float(len(question_terms)),
        float(sum(1 for term in missing if len(term) >= 6)),
        _other_coverage(question_terms, ranked),
        1.0 if _NEGATION.search(question) and not _NEGATION.search(best.sentence) else 0.0,
        1.0 if _opposite_in(question, best.paragraph.text) else 0.0,
        float(len(claim_terms(" ".join(QUESTION_NAME.findall(question))) - sentence_terms)),
    ]


def _opposite_in(question: str, paragraph: str) -> bool:
    """Whether the paragraph has the opposite of a question's word but not the word itself
    ("Which city has the smallest population?" against "the largest population")."""
    asked = set(_WORD.findall(normalise(question)))
    present = set(_WORD.findall(normalise(paragraph)))
    return any(
        word not in present and OPPOSITES[word] & present for word in asked & OPPOSITES.keys()
    )


def _near(term: str, terms: set[str]) -> bool:
    """Whether ``terms`` holds ``term`` misspelt or inflected ("Raouliii", "Canarian")."""
    return len(term) >= 5 and bool(get_close_matches(term, terms, n=1, cutoff=0.8))


def _other_coverage(question_terms: set[str], ranked: Sequence[Evidence]) -> float:
    """The best share of the question found in another of the top paragraphs."""
    best_id = ranked[0].paragraph.id
    shares = [
        len(question_terms & claim_terms(e.paragraph.text)) / max(len(question_terms), 1)
        for e in ranked[1:8]
        if e.paragraph.id != best_id
    ]
    return max(shares, default=0.0)


@dataclass(frozen=True)
class JudgeStack:
    """The local model's yes/no judgement stacked on the evidence features.

    The model is asked "does the evidence state the answer?" and its
    ``log P(yes) - log P(no)`` (``Judge.yes_score``; a model's probability
    that its own judgement is true, as in Kadavath et al., "Language Models
    (Mostly) Know What They Know", 2022) is combined with the evidence
    model's log-odds by a two-weight logistic regression (stacked
    generalisation, Wolpert 1992), trained out of fold.

    Attributes:
        model: The generator it was trained with (a settings value); another
            model's yes/no means something else and is not asked.
        stack: ``(w_evidence, w_judge, bias)``: P(answerable) = σ(w_evidence ·
            evidence log-odds + w_judge · yes_score + bias).
        threshold: That P(answerable) below which a question is declined.
    """

    model: str
    stack: tuple[float, float, float]
    threshold: float

    def probability(self, evidence_logit: float, yes_score: float) -> float:
        """P(answerable) from the evidence model's log-odds and the model's judgement."""
        w_evidence, w_judge, bias = self.stack
        return _sigmoid(w_evidence * evidence_logit + w_judge * yes_score + bias)


@dataclass(frozen=True)
class AnswerStack:
    """The answer-sentence cross-encoder's log-odds stacked on the evidence features.

    The cross-encoder (:mod:`retrieval.answer.cross_encoder`) reads the question
    and the best sentence together; its log-odds that the sentence states the
    answer is combined with the evidence model's log-odds by a two-weight
    logistic regression (stacked generalisation, Wolpert 1992). Both inputs are
    out of sample where it was fitted: on SQuAD 2.0 dev articles that neither
    the cross-encoder nor the evidence model was trained on
    (``scripts/train_abstention.py --answer-stack``).

    Attributes:
        stack: ``(w_evidence, w_answer, bias)``: P(answerable) = σ(w_evidence ·
            evidence log-odds + w_answer · cross-encoder log-odds + bias).
        threshold: That P(answerable) below which a question is declined.
    """

    stack: tuple[float, float, float]
    threshold: float

    def probability(self, evidence_logit: float, answer_logit: float) -> float:
        """P(answerable) from the evidence model's and the cross-encoder's log-odds."""
        w_evidence, w_answer, bias = self.stack
        return _sigmoid(w_evidence * evidence_logit + w_answer * answer_logit + bias)


@dataclass(frozen=True)
class AbstentionModel:
    """Logistic regression: P(answerable) = σ(w · standardised(x) + b), plus an optional probe.

    Attributes:
        weights: One weight per feature, in :data:`FEATURES` order.
        bias: The intercept.
        mean: Feature means used to standardise.
        scale: Feature standard deviations used to standardise.
        threshold: P(answerable) below which a question is declined when the
            model cannot judge (a server, another local model).
        judge: The yes/no judgement stacked on the features, for the packaged
            local model, or None.
        answer_stack: The cross-encoder's log-odds stacked on the features, used
            whenever the best sentence has them (``retrieval.rerank`` on), or None.
    """

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float
    judge: JudgeStack | None = None
    answer_stack: AnswerStack | None = None

    def declines(self, evidence_logit: float, answer_logit: float | None) -> bool:
        """Whether to decline, from :meth:`logit`'s value and the cross-encoder's
        log-odds for the best sentence (None when it did not read it): by
        :attr:`answer_stack` when there is one and the log-odds are known, else
        by the features alone against :attr:`threshold`."""
        probability, threshold = self.decision(evidence_logit, answer_logit)
        return probability < threshold

    def decision(self, evidence_logit: float, answer_logit: float | None) -> tuple[float, float]:
        """P(answerable) and the threshold :meth:`declines` holds it to, from the same inputs."""
        if self.answer_stack is not None and answer_logit is not None:
            stack = self.answer_stack
            return stack.probability(evidence_logit, answer_logit), stack.threshold
        return _sigmoid(evidence_logit), self.threshold

    def logit(self, values: Sequence[float]) -> float:
        """log-odds of answerable for one feature vector."""
        return self.bias + sum(
            w * (x - m) / (s or 1.0)
            for w, x, m, s in zip(self.weights, values, self.mean, self.scale, strict=True)
        )

    def probability(self, values: Sequence[float]) -> float:
        """P(answerable) for one feature vector."""
        return _sigmoid(self.logit(values))

    @staticmethod
    def probability_from_logit(logit: float) -> float:
        """P(answerable) from :meth:`logit`'s value."""
        return _sigmoid(logit)

    def answerable(self, question: str, ranked: Sequence[Evidence]) -> bool:
        """Whether the best evidence is likely to answer ``question`` (features only)."""
        return bool(ranked) and self.probability(features(question, ranked)) >= self.threshold

    def save(self, path: Path) -> None:
        """Write the model as JSON."""
        data: dict[str, object] = {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "mean": list(self.mean),
            "scale": list(self.scale),
            "threshold": self.threshold,
            "judge": None,
        }
        if self.answer_stack is not None:
            data["answer_stack"] = {
                "stack": list(self.answer_stack.stack),
                "threshold": self.answer_stack.threshold,
            }
        if self.judge is not None:
            data["judge"] = {
                "model": self.judge.model,
                "stack": list(self.judge.stack),
                "threshold": self.judge.threshold,
            }
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(z, 60.0), -60.0)))


@lru_cache(maxsize=1)
def load_model(path: Path | None = None) -> AbstentionModel | None:
    """The trained verifier, or None when its file is missing or was built for other features."""
    path = path or resources_dir() / "models" / WEIGHTS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("features") != list(FEATURES):
        return None
    judge = None
    if data.get("judge"):
        j = data["judge"]
        stack = (float(j["stack"][0]), float(j["stack"][1]), float(j["stack"][2]))
        judge = JudgeStack(str(j["model"]), stack, float(j["threshold"]))
    answer_stack = None
    if data.get("answer_stack"):
        a = data["answer_stack"]
        weights = (float(a["stack"][0]), float(a["stack"][1]), float(a["stack"][2]))
        answer_stack = AnswerStack(weights, float(a["threshold"]))
    return AbstentionModel(
        tuple(data["weights"]),
        float(data["bias"]),
        tuple(data["mean"]),
        tuple(data["scale"]),
        float(data["threshold"]),
        judge,
        answer_stack,
    )
