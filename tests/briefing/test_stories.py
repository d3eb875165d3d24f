"""Stories: grouping by lead similarity plus shared names, key points per story."""

from __future__ import annotations

import numpy as np

from retrieval.briefing.stories import (
    Candidate,
    Group,
    group_stories,
    pick_points,
    point_text,
    same_story,
    usable,
)
from retrieval.types import Article, Paragraph


def article(article_id: int, title: str) -> Article:
    return Article(article_id, title, "pasted", None, None, None, None, "", str(article_id), 1)


def candidate(art: Article, position: int, text: str, vector: list[float]) -> Candidate:
    paragraph = Paragraph(art.id * 100 + position, art.id, position, text, 0, len(text), art.title)
    unit = np.asarray(vector, dtype=np.float32)
    return Candidate(art, paragraph, 0, len(text), position, unit / np.linalg.norm(unit), text)


MH370_A = article(1, "MH370 interim report")
NIGERIA = article(2, "Nigeria election count")
MH370_B = article(3, "A year without MH370")


def mh370(art: Article, lean: float) -> list[Candidate]:
    texts = [
        "Malaysia Airlines Flight MH370 vanished over the Indian Ocean near Kuala Lumpur.",
        "The Boeing 777 carried 239 passengers and crew from Kuala Lumpur to Beijing.",
    ]
    vectors = ([1.0, lean, 0.0, 0.0], [0.3, lean, 1.0, 0.0])
    return [candidate(art, n, t, v) for n, (t, v) in enumerate(zip(texts, vectors, strict=True))]


def nigeria() -> list[Candidate]:
    texts = [
        "Muhammadu Buhari leads Goodluck Jonathan as results arrive from Lagos and Abuja.",
        "The Independent National Electoral Commission counts votes from the 36 states.",
    ]
    return [candidate(NIGERIA, n, t, [0.0, 1.0, 0.0, 0.2 * n]) for n, t in enumerate(texts)]


def test_articles_about_the_same_event_are_one_story_and_others_stay_apart() -> None:
    per_article = {1: mh370(MH370_A, 0.2), 2: nigeria(), 3: mh370(MH370_B, 0.3)}
    groups = group_stories(per_article, [MH370_A, NIGERIA, MH370_B])
    assert [[a.id for a in g.articles] for g in groups] == [[1, 3], [2]]
    assert {c.article.id for c in groups[0].candidates} == {1, 3}


def test_close_vectors_without_shared_names_are_not_one_story() -> None:
    assert same_story(0.75, 10)
    assert not same_story(0.75, 0)  # same topic (football, a country), other news
    assert not same_story(0.45, 6)  # a few names in common is not enough
    assert same_story(0.55, 20)  # many shared names and dates decide it


def test_points_do_not_repeat_a_fact_and_other_articles_become_citations() -> None:
    a, b = mh370(MH370_A, 0.0), mh370(MH370_B, 0.0)
    points = pick_points(Group([MH370_A, MH370_B], [*a, *b]), 3)
    shown = [p[0].text for p in points]
    assert len(shown) == len(set(shown)) == 2  # the same two facts, once each
    assert all({c.article.id for c in p} == {1, 3} for p in points)  # both articles cited


def test_point_text_only_deletes() -> None:
    sentence = (
        "Lagos, Nigeria (CNN)With partial results reported (from 27 states), "
        "Buhari leads Jonathan, Reuters reported."
    )
    assert point_text(sentence) == "With partial results reported, Buhari leads Jonathan."
    assert point_text("(CNN) -- Three men were arrested on Sunday in Leeds.") == (
        "Three men were arrested on Sunday in Leeds."
    )
    aside = "The report -- released one year after the crash --- gives a detailed picture."
    assert point_text(aside) == "The report gives a detailed picture."


def test_promotions_and_questions_are_not_points() -> None:
    assert not usable("You can see highlights of Sunderland v Arsenal on Match of the Day.")
    assert not usable("Will the talks between the union and the company resume soon?")
    assert usable("Talks between the union and the company are due to resume on Thursday.")
