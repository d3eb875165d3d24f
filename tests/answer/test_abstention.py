"""The abstention verifier's own logic: features, the trained file, the decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.answer import answer as answer_module
from retrieval.answer.abstention import (
    FEATURES,
    AbstentionModel,
    AnswerStack,
    JudgeStack,
    features,
    load_model,
)
from retrieval.answer.answer import prepare
from retrieval.answer.evidence import Evidence
from retrieval.engine import Newsdesk
from retrieval.settings import RetrievalSettings
from retrieval.types import Paragraph
from tests.conftest import SAMPLE
from tests.support.fakes import ScriptedGenerator

TEXT = "Militants launched eight rockets at the Green Zone in Baghdad on Sunday."


def evidence(score: float = 0.6) -> Evidence:
    paragraph = Paragraph(1, 1, 0, TEXT, 0, len(TEXT), "Rockets hit Baghdad")
    return Evidence(paragraph, 0, len(TEXT), score, 0.7, 0.8, True)


def named(values: list[float]) -> dict[str, float]:
    return dict(zip(FEATURES, values, strict=True))


def test_a_name_the_paragraph_lacks_is_counted() -> None:
    asked = dict(
        zip(FEATURES, features("How many rockets hit Baghdad?", [evidence()]), strict=True)
    )
    moved = dict(zip(FEATURES, features("How many rockets hit Kabul?", [evidence()]), strict=True))
    assert asked["missing_names"] == 0 and moved["missing_names"] == 1
    assert moved["missing_terms"] > asked["missing_terms"]


def test_a_negated_question_against_a_plain_sentence_is_marked() -> None:
    plain = named(features("Who launched rockets at the Green Zone?", [evidence()]))
    negated = named(features("Who did not launch rockets at the Green Zone?", [evidence()]))
    contracted = named(features("Who didn't launch rockets at the Green Zone?", [evidence()]))
    assert plain["negation_unmatched"] == 0
    assert negated["negation_unmatched"] == 1 and contracted["negation_unmatched"] == 1


def test_the_opposite_of_the_questions_word_in_the_paragraph_is_marked() -> None:
    text = "Baghdad is the largest city in Iraq, and Basra the second largest."
    paragraph = Paragraph(1, 1, 0, text, 0, len(text), "Iraq")
    best = [Evidence(paragraph, 0, len(text), 0.6, 0.7, 0.8, True)]
    assert named(features("What is the smallest city in Iraq?", best))["opposite_in_paragraph"]
    assert not named(features("What is the largest city in Iraq?", best))["opposite_in_paragraph"]


def test_the_packaged_verifier_loads_and_declines_what_the_paragraph_lacks() -> None:
    model = load_model()
    assert model is not None, "resources/models/abstention.json is missing"
    assert len(model.weights) == len(FEATURES)
    ranked = [evidence(0.3)]
    inside = model.probability(features("How many rockets hit Baghdad on Sunday?", ranked))
    outside = model.probability(
        features("How many drones did Hezbollah fly over Kabul in 2004?", ranked)
    )
    assert outside < inside
    negated = model.probability(features("Where did militants not launch rockets?", ranked))
    plain = model.probability(features("Where did militants launch rockets?", ranked))
    assert negated < plain


def test_a_verifier_built_for_other_features_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "abstention.json"
    model = AbstentionModel((1.0,) * len(FEATURES), 0.0, (0.0,) * len(FEATURES),
                            (1.0,) * len(FEATURES), 0.5)  # fmt: skip
    model.save(path)
    assert load_model(path) == model
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"] = ["something", "else"]
    path.write_text(json.dumps(data), encoding="utf-8")
    load_model.cache_clear()
    assert load_model(path) is None
    load_model.cache_clear()


class _JudgingGenerator(ScriptedGenerator):
    """A scripted model that also answers "does the evidence state the answer?"."""

    def __init__(self, reply: str, score: float) -> None:
        super().__init__(reply=reply)
        self.score = score
        self.judged: list[str] = []
        self.model_ref = "scripted"

    def yes_score(self, messages: list[dict[str, str]]) -> float:
        self.judged.append(messages[-1]["content"])
        return self.score


def test_the_models_judgement_stacked_on_the_evidence_silently_declines(
    fake_desk: Newsdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Evidence features say answerable; the model says no: declined, nothing written."""
    judge = JudgeStack("scripted", (0.0, 1.0, 0.0), 0.5)
    always = AbstentionModel((0.0,) * len(FEATURES), 5.0, (0.0,) * len(FEATURES),
                             (1.0,) * len(FEATURES), 0.5, judge)  # fmt: skip
    monkeypatch.setattr("retrieval.answer.answer.load_model", lambda: always)
    fake_desk.settings = fake_desk.settings.model_copy(
        update={"retrieval": RetrievalSettings(verifier=True)}
    )
    for _ in fake_desk.add([str(SAMPLE)]):
        pass
    question = "How many rockets were launched targeting the Green Zone?"
    fake_desk._generator = _JudgingGenerator("eight rockets", score=-3.0)
    declined = fake_desk.ask(question)
    assert declined.declined and declined.considered  # the nearest paragraphs are still shown
    assert "Does the evidence state the answer?" in fake_desk._generator.judged[0]
    assert not fake_desk._generator.prompts  # and nothing was generated
    fake_desk._generator = _JudgingGenerator("eight rockets", score=2.0)
    assert fake_desk.ask(question).text == "eight rockets"
    other = _JudgingGenerator("eight rockets", score=-3.0)
    other.model_ref = "another model"  # its yes/no was never calibrated: not asked
    fake_desk._generator = other
    assert fake_desk.ask(question).text == "eight rockets"
    assert not other.judged


def test_a_saved_judge_stack_loads_back(tmp_path: Path) -> None:
    judge = JudgeStack("scripted", (1.0, 0.8, -0.2), 0.3)
    model = AbstentionModel((1.0,) * len(FEATURES), 0.0, (0.0,) * len(FEATURES),
                            (1.0,) * len(FEATURES), 0.5, judge)  # fmt: skip
    model.save(tmp_path / "abstention.json")
    load_model.cache_clear()
    assert load_model(tmp_path / "abstention.json") == model
    load_model.cache_clear()


def plain_model(answer_stack: AnswerStack | None = None) -> AbstentionModel:
    return AbstentionModel((1.0,) * len(FEATURES), 0.0, (0.0,) * len(FEATURES),
                           (1.0,) * len(FEATURES), 0.5, None, answer_stack)  # fmt: skip


def test_the_cross_encoders_reading_of_the_best_sentence_can_overrule_the_features() -> None:
    """Features alone decline (P 0.27 < 0.5); the cross-encoder sure the sentence states
    the answer overrules them, and unsure it does not; without its reading (reranking
    off) the features decide alone."""
    model = plain_model(AnswerStack((1.0, 1.0, 0.0), 0.4))
    assert not model.declines(-1.0, 3.0)
    assert model.declines(-1.0, -3.0)
    assert model.declines(-1.0, None)
    assert not plain_model().declines(1.0, -3.0)  # no stack: the cross-encoder is not read


def test_a_saved_answer_stack_loads_back(tmp_path: Path) -> None:
    model = plain_model(AnswerStack((0.66, 0.27, -0.6), 0.26))
    model.save(tmp_path / "abstention.json")
    load_model.cache_clear()
    assert load_model(tmp_path / "abstention.json") == model
    load_model.cache_clear()


def test_the_packaged_verifier_stacks_the_cross_encoder() -> None:
    model = load_model()
    assert model is not None and model.answer_stack is not None
    w_evidence, w_answer, _ = model.answer_stack.stack
    assert w_evidence > 0 and w_answer > 0  # both readings count for an answer


def test_the_verifier_judges_the_story_naming_the_questions_names(
    fake_desk: Newsdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two shootings are loaded; the sentence scoring best for the words of the question
    is of a story never naming "Webster Groves". The evidence comes from the story that
    does, and the verifier judges that story's sentence, not the other's (which lacks
    the name: on the news sets that declined "How old is the Webster Groves officer who
    was shot?", whose story says "a 32-year-old")."""
    madison = (
        "The Madison officer who was shot is old: the officer who was shot, a man who is "
        "old, was shot, police said."
    )
    webster = "Police in Webster Groves said on Monday that a wounded man is recovering."
    for text, title in ((madison, "Madison shooting"), (webster, "Missouri shooting")):
        for _ in fake_desk.add_text(text, title):
            pass
    judged: list[list[Evidence]] = []

    def recording(question: str, ranked: list[Evidence]) -> list[float]:
        judged.append(list(ranked))
        return features(question, ranked)

    monkeypatch.setattr(answer_module, "features", recording)
    fake_desk.settings = fake_desk.settings.model_copy(
        update={"retrieval": RetrievalSettings(verifier=True)}
    )
    question = "How old is the Webster Groves officer who was shot?"
    draft = prepare(question, fake_desk.library, fake_desk.settings)
    assert "Webster Groves" in draft.evidence[0].sentence
    assert judged and "Webster Groves" in judged[0][0].sentence
    assert named(features(question, judged[0]))["missing_names"] == 0
