from __future__ import annotations

from retrieval.search.hybrid import reciprocal_rank_fusion
from retrieval.text.keywords import fts_query


def test_an_item_ranked_well_by_both_beats_one_ranked_first_by_one() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [2, 4, 1]], k=60)
    assert [item for item, _ in fused][:2] == [2, 1]


def test_items_found_by_one_ranking_only_are_kept() -> None:
    fused = dict(reciprocal_rank_fusion([[1], [5]], k=60))
    assert set(fused) == {1, 5}


def test_fts_query_quotes_every_word_so_user_syntax_is_inert() -> None:
    query = fts_query('rockets NEAR "Green Zone" OR embassy*')
    assert query == '"rockets" OR "near" OR "green" OR "zone" OR "embassy"'
    assert fts_query("what is the") == ""
