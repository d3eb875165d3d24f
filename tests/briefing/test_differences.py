"""Where the articles differ: the same fact with different figures, each cited."""

from __future__ import annotations

import numpy as np

from retrieval.briefing.differences import find_differences, quantities
from tests.briefing.test_stories import article, candidate

A, B = article(1, "Wire report"), article(2, "Local paper")
SAME_FACT = [1.0, 0.1, 0.0]


def test_two_articles_with_different_death_tolls_are_shown_side_by_side() -> None:
    one = candidate(A, 0, "At least 23 people were killed when the bus crashed in Kano.", SAME_FACT)
    two = candidate(B, 0, "The bus crash in Kano killed 19 people, police said.", SAME_FACT)
    found = find_differences([[one, two]])
    assert len(found) == 1
    difference = found[0]
    assert difference.fact == "people"
    assert [s.text for s in difference.sides] == [one.text, two.text]
    assert [s.citations[0].article_id for s in difference.sides] == [1, 2]


def test_nothing_when_the_articles_agree_or_count_other_things() -> None:
    one = candidate(A, 0, "At least 23 people were killed when the bus crashed in Kano.", SAME_FACT)
    agree = candidate(B, 0, "The crash in Kano killed 23 people, police said.", SAME_FACT)
    other = candidate(B, 1, "The bus carried 40 passengers from Kano to Abuja.", SAME_FACT)
    far = candidate(B, 2, "A separate fire killed 3 people in Lagos.", [0.0, 1.0, 0.0])
    assert find_differences([[one, agree, other, far]]) == []
    same_article = candidate(A, 1, "Later reports said 19 people were killed.", SAME_FACT)
    assert find_differences([[one, same_article]]) == []


def test_quantities_read_words_and_scales() -> None:
    found = quantities("Buhari has 11.5 million votes and three states; 5 percent of ballots.")
    assert [(q.value, q.label) for q in found] == [(11.5e6, "votes"), (3.0, "states")]
    assert np.isclose(found[0].value, 11_500_000)
