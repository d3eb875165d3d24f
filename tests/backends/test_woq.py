"""Weight-only int8 layers: a prompt's many rows and a decoded token's one row."""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from retrieval.backends import woq
from retrieval.backends.woq import Int8Linear


def layer_read_from_a_file(tmp_path: Path) -> tuple[nn.Linear, Int8Linear]:
    """A quantized layer whose int8 weights were read back from a safetensors file,
    as a cached model's are (such tensors may start at any byte)."""
    torch.manual_seed(0)
    linear = nn.Linear(96, 160, bias=False)
    layer = Int8Linear.from_linear(linear)
    path = tmp_path / "layer.safetensors"
    # An odd-sized tensor first, so the weights do not start on an aligned byte.
    save_file({"a": torch.zeros(3, dtype=torch.int8), "qweight": layer.qweight}, str(path))
    layer.qweight = load_file(str(path))["qweight"]
    layer.refresh()
    return linear, layer


def test_a_prompts_many_rows_through_weights_read_from_a_file(tmp_path: Path) -> None:
    linear, layer = layer_read_from_a_file(tmp_path)
    rows = torch.randn(253, 96)  # a ~250-token prompt's prefill
    expected = linear(rows).detach()
    assert torch.allclose(layer(rows), expected, atol=0.05, rtol=0.05)
    assert torch.allclose(layer(rows[:1]), expected[:1], atol=0.05, rtol=0.05)


def test_both_ways_of_multiplying_many_rows_agree(tmp_path: Path) -> None:
    _, layer = layer_read_from_a_file(tmp_path)
    rows = torch.randn(64, 96)
    assert woq.int8_kernel_for_many_rows(layer) in (True, False)
    assert torch.allclose(
        layer.int8_product(rows), layer.dequantized_product(rows), atol=0.05, rtol=0.05
    )


def test_saved_weights_are_used_in_place_not_copied(tmp_path: Path) -> None:
    """The saved file's tensor data starts on a 64-byte boundary, so the weights read
    back need no aligned copy (which would hold them twice)."""
    model = woq.quantize(nn.Sequential(nn.Linear(96, 160), nn.Linear(160, 64)))
    path = woq.save(model, tmp_path)
    header = int.from_bytes(path.read_bytes()[:8], "little")
    assert (8 + header) % woq.ALIGNMENT == 0
    state = load_file(str(path))
    assert all(t.data_ptr() % woq.ALIGNMENT == 0 for t in state.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == [woq.WEIGHTS_FILE]
