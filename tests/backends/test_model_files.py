"""The packaged model's files in the user cache: joined, converted, shared by processes."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from retrieval.backends import model_files
from retrieval.backends.model_files import CONVERSION_MARKER, packaged_qwen_folder


def test_two_first_launches_at_once_both_get_the_packaged_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window and the CLI started together on a fresh machine: both need the
    packaged model converted; one converts it, the other waits and uses that folder
    (before, the second read the joined file as the first deleted it: "No such file
    or directory: …/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")."""
    conversions: list[Path] = []

    def join(folder: Path) -> Path:
        target = folder / "joined.gguf"
        if not target.is_file():
            time.sleep(0.1)
            target.write_bytes(b"gguf")
        return target

    def convert(gguf: Path, folder: Path) -> None:
        weights = gguf.read_bytes()  # FileNotFoundError once another process deleted it
        time.sleep(0.3)
        (folder / "model.safetensors").write_bytes(weights)
        (folder / CONVERSION_MARKER).write_text(json.dumps({"source": str(gguf), "size": 4}))
        conversions.append(folder)

    monkeypatch.setattr(model_files, "joined_qwen_gguf", join)
    monkeypatch.setattr(model_files, "_convert", convert)

    def launch(delay: float) -> Path:
        time.sleep(delay)
        return packaged_qwen_folder(tmp_path)

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(launch, (0.0, 0.2))

    assert first == second
    assert (first / "model.safetensors").read_bytes() == b"gguf"
    assert len(conversions) == 1
    assert not (tmp_path / "models" / "joined.gguf").exists()  # 470 MiB not left behind
