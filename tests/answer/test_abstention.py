"""The abstention verifier's own logic: features, the trained file, the decision."""

from __future__ import annotations

import json
from pathlib import Path

from retrieval.answer.abstention import FEATURES, AbstentionModel, features, load_model
from retrieval.answer.evidence import Evidence
from retrieval.types import Paragraph

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
