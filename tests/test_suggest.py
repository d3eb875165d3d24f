"""Suggested questions: built from the article's names and dates, kept only if answered."""

from __future__ import annotations

import pytest

from retrieval.engine import Newsdesk
from retrieval.suggest import MAX_ARTICLES, candidate_questions, suggest_questions


def test_candidates_come_from_the_articles_names_and_dates(fake_desk: Newsdesk) -> None:
    from tests.conftest import SAMPLE

    for _ in fake_desk.add([str(SAMPLE)]):
        pass
    article = fake_desk.articles()[0]
    paragraphs = fake_desk.library.paragraphs(article.id)
    questions = candidate_questions([(paragraphs, article.published)])
    text = " ".join(p.text for p in paragraphs)
    assert questions and len(questions) == len(set(questions))
    for question in questions:
        subject = question.split(" ", 2)[2].rstrip("?").removeprefix("on ").removeprefix("in ")
        subject = subject.removesuffix(" do")
        assert subject in text or question.startswith("What happened on"), question
    assert suggest_questions(fake_desk.library, fake_desk.settings, []) == []
    too_many = list(range(1, MAX_ARTICLES + 2))
    assert suggest_questions(fake_desk.library, fake_desk.settings, too_many) == []


@pytest.mark.models
def test_every_suggestion_on_the_real_models_is_answered(real_desk: Newsdesk) -> None:
    article = real_desk.articles()[0]
    suggested = suggest_questions(real_desk.library, real_desk.settings, [article.id])
    assert suggested, "the sample article yields at least one answerable question"
    for question in suggested:
        answer = real_desk.ask(question, [article.id])
        assert not answer.declined, f"{question!r} was suggested but declined"
        assert answer.citations and answer.citations[0].article_id == article.id
