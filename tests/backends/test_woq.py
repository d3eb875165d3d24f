"""Weight-only int8 layers: a prompt's many rows and a decoded token's one row."""

from __future__ import annotations

import json
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


def test_the_prefill_kernel_is_chosen_once_per_machine(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The kernel a prompt's rows go through is timed at the first launch and read
    back at the next, so the next launch rounds the same way (same answers),
    however close the two kernels' times are there."""
    monkeypatch.setattr(woq, "_many_rows_kernel", woq._many_rows_kernel)  # restored after
    model = woq.quantize(nn.Sequential(nn.Linear(96, 160), nn.Linear(160, 64)))
    remembered = tmp_path / "cache" / "prefill-kernel.json"
    timed: list[int] = []
    verdicts = iter([True, False])

    def timing(layer: Int8Linear) -> bool:
        timed.append(layer.in_features * layer.out_features)
        return next(verdicts)

    monkeypatch.setattr(woq, "int8_is_clearly_faster", timing)
    assert woq.choose_prefill_kernel(model, remembered) is True
    assert timed == [96 * 160]  # the largest layer
    assert woq.choose_prefill_kernel(model, remembered) is True  # the next launch
    assert woq.int8_kernel_for_many_rows(model[1]) is True
    assert timed == [96 * 160]

    # Another machine's choice (or another layer shape) is not taken for this one's.
    saved = json.loads(remembered.read_text(encoding="utf-8"))
    saved["int8"] = {
        key.replace("torch", "torch-other"): value for key, value in saved["int8"].items()
    }
    remembered.write_text(json.dumps(saved), encoding="utf-8")
    assert woq.choose_prefill_kernel(model, remembered) is False
    assert len(timed) == 2
    assert woq.int8_kernel_for_many_rows(model[1]) is False


def test_a_damaged_or_unwritable_choice_file_still_gives_a_choice(
    tmp_path: Path, monkeypatch
) -> None:  # noqa: ANN001
    monkeypatch.setattr(woq, "_many_rows_kernel", woq._many_rows_kernel)  # restored after
    model = woq.quantize(nn.Sequential(nn.Linear(96, 160)))
    monkeypatch.setattr(woq, "int8_is_clearly_faster", lambda layer: False)
    damaged = tmp_path / "prefill-kernel.json"
    damaged.write_text("{not json", encoding="utf-8")
    assert woq.choose_prefill_kernel(model, damaged) is False
    assert json.loads(damaged.read_text(encoding="utf-8"))["format"] == woq.KERNEL_FORMAT
    blocked = tmp_path / "a-file" / "prefill-kernel.json"
    (tmp_path / "a-file").write_text("", encoding="utf-8")  # its folder cannot be made
    assert woq.choose_prefill_kernel(model, blocked) is False
