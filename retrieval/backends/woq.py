"""Weight-only int8 quantization of a causal language model for the CPU.

Decoding one token reads every weight once, so on a CPU the speed of a small
model is bound by memory: fp32 Qwen2.5-0.5B reads 2.5 GB per token and holds
as much. Here every linear layer (and the token embedding) keeps its weights
in int8 with one fp32 scale per output channel (symmetric, round to nearest:
the "W8A16" scheme of LLM.int8()/GPTQ-style weight-only quantization, without
outliers handling), a quarter of the memory, while activations stay floating
point, so no calibration data is needed and answers stay the same or nearly.

Two kernels, by the number of rows multiplied:

* one or a few rows (decoding): ``torch._weight_int8pack_mm``, torch's CPU
  kernel for int8 weights with per-channel scales (used by pytorch-labs'
  gpt-fast), with bf16 activations; measured here 0.41 ms for a 896×4864
  layer against 1.41 ms in fp32;
* many rows (the prompt's prefill): the same kernel where the CPU does bf16
  natively (AVX512-BF16: 8.5 ms against 15.3 ms for 250 rows of a 896×4864
  layer, measured here), otherwise the layer's weights de-quantized to fp32
  for that one call and multiplied by fp32 BLAS (bf16 GEMM is emulated on CPUs
  without AVX512-BF16, 7× slower). Which of the two is faster is measured
  once per machine, on a prompt-sized product, and remembered in the cache
  (:func:`choose_prefill_kernel`): the two round differently, so a choice
  made afresh by a close timing at each launch changed answers from one
  launch to the next (on an Intel Xeon with AMX, where they are near equal
  for 64 rows, the int8 kernel 1.6× slower for 300).

The quantized weights are saved once (``int8-weights.safetensors`` beside the
converted model) and loaded into a skeleton built on the ``meta`` device, so
the fp32 weights are never held in memory after the first conversion.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn import functional

WEIGHTS_FILE = "int8-weights.safetensors"
FORMAT = "newsdesk-woq-int8-v2"  # v2: tensor data starts on a 64-byte boundary
ALIGNMENT = 64  # bytes: what the int8 kernel's many-row path needs
_DECODE_ROWS = 4  # up to this many rows use the int8 kernel; more: the faster way here
PREFILL_ROWS = 256  # the rows timed: about a prompt's prefill
INT8_PREFILL_MARGIN = 0.8  # the int8 kernel takes the prefill only when this much faster
KERNEL_FORMAT = "newsdesk-prefill-kernel-v1"

log = logging.getLogger(__name__)


def quantize_rows(weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Symmetric per-row int8: ``weight ≈ qweight * scale[:, None]``.

    Args:
        weight: ``(out, in)`` float tensor.

    Returns:
        ``qweight`` ``(out, in)`` int8 and ``scale`` ``(out,)`` float32.
    """
    weight = weight.float()
    scale = weight.abs().amax(dim=1).clamp(min=1e-12) / 127.0
    qweight = torch.round(weight / scale[:, None]).clamp(-127, 127).to(torch.int8)
    return qweight, scale


_many_rows_kernel: bool | None = None  # decided once per process


def int8_kernel_for_many_rows(layer: Int8Linear) -> bool:
    """Whether a prompt's many rows go through the int8 kernel (else de-quantized fp32
    BLAS): as :func:`choose_prefill_kernel` decided for this process, or, if nothing
    did, timed now on ``layer`` (:func:`int8_is_clearly_faster`)."""
    global _many_rows_kernel
    if _many_rows_kernel is None:
        _many_rows_kernel = int8_is_clearly_faster(layer)
    return _many_rows_kernel


def int8_is_clearly_faster(layer: Int8Linear) -> bool:
    """Whether the int8 kernel (bf16 activations) multiplies :data:`PREFILL_ROWS` rows by
    ``layer`` in at most :data:`INT8_PREFILL_MARGIN` of the time of de-quantizing it to
    fp32 for BLAS (best of five each, after one warm-up). Near-equal times give BLAS:
    the fp32 path, which the prefix KV caches saved by older versions also used."""
    rows = torch.randn(PREFILL_ROWS, layer.in_features)

    def best(product: Any) -> float:
        product()
        times = []
        for _ in range(5):
            started = time.perf_counter()
            product()
            times.append(time.perf_counter() - started)
        return min(times)

    kernel = best(lambda: layer.int8_product(rows))
    blas = best(lambda: layer.dequantized_product(rows))
    return kernel <= INT8_PREFILL_MARGIN * blas


def machine_identity() -> str:
    """This CPU and torch build, as far as they decide the kernels' speeds: the CPU's
    model name and flags (``/proc/cpuinfo`` on Linux, else :mod:`platform`), torch's
    version and the vector instructions it uses."""
    cpu = f"{platform.machine()} {platform.processor()}"
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        info = ""
    lines = {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in info.splitlines())
        if key.strip() in ("model name", "flags")
    }
    if lines:
        cpu = f"{lines.get('model name', '')} [{lines.get('flags', '')}]"
    return f"{cpu} | torch {torch.__version__} {torch.backends.cpu.get_cpu_capability()}"


def choose_prefill_kernel(model: nn.Module, remembered: Path) -> bool:
    """Decide, for this process, how ``model``'s int8 layers multiply a prompt's rows,
    the same way at every launch on this machine.

    The choice for this machine (:func:`machine_identity`) and the model's largest
    layer shape is read from the JSON file ``remembered``; when it has none, it is
    timed (:func:`int8_is_clearly_faster`, ~0.1 s, on the largest layer but the
    output one) and written there (atomically;
    a file that cannot be written is logged and the choice kept for the process).

    Args:
        model: A model quantized by :func:`quantize` or read by :func:`load`.
        remembered: The JSON file of choices (in the user's cache).

    Returns:
        True for the int8 kernel, False for de-quantized fp32 BLAS; False, with
        nothing timed, for a model without int8 layers.
    """
    global _many_rows_kernel
    output = getattr(model, "get_output_embeddings", lambda: None)()
    layers = [  # the output layer multiplies one row per prompt (logits_to_keep=1)
        module
        for module in model.modules()
        if isinstance(module, Int8Linear) and module is not output
    ]
    if not layers:
        return False
    layer = max(layers, key=lambda module: module.in_features * module.out_features)
    key = f"{machine_identity()} | {layer.in_features}x{layer.out_features}"
    try:
        saved = json.loads(remembered.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    if not isinstance(saved, dict) or saved.get("format") != KERNEL_FORMAT:
        saved = {"format": KERNEL_FORMAT, "int8": {}}
    choices = saved.setdefault("int8", {})
    if not isinstance(choices.get(key), bool):
        choices[key] = int8_is_clearly_faster(layer)
        try:
            remembered.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(prefix=".kernel-", dir=remembered.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(saved, out, indent=1)
            os.replace(temp, remembered)
        except OSError as error:
            log.warning("could not remember the prefill kernel in %s: %s", remembered, error)
    _many_rows_kernel = choices[key]
    return _many_rows_kernel


class Int8Linear(nn.Module):
    """``nn.Linear`` with int8 weights (one scale per output channel), float activations.

    Input ``(..., in_features)`` float32; output ``(..., out_features)`` float32.
    """

    qweight: torch.Tensor
    scale: torch.Tensor
    scale_bf16: torch.Tensor

    def __init__(self, in_features: int, out_features: int, bias: bool, device: Any = None):
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.register_buffer(
            "qweight", torch.empty(out_features, in_features, dtype=torch.int8, device=device)
        )
        self.register_buffer("scale", torch.empty(out_features, dtype=torch.float32, device=device))
        self.register_buffer(
            "scale_bf16",
            torch.empty(out_features, dtype=torch.bfloat16, device=device),
            persistent=False,
        )
        self.bias: nn.Parameter | None = (
            nn.Parameter(torch.empty(out_features, device=device), requires_grad=False)
            if bias
            else None
        )

    @classmethod
    def from_linear(cls, linear: nn.Linear) -> Int8Linear:
        """The quantized copy of ``linear`` (on ``linear``'s device, meta included)."""
        module = cls(
            linear.in_features, linear.out_features, linear.bias is not None, linear.weight.device
        )
        qweight, scale = quantize_rows(linear.weight.detach())
        module.qweight = qweight
        module.scale = scale
        module.refresh()
        if linear.bias is not None and module.bias is not None:
            module.bias.data = linear.bias.detach().float()
        return module

    def refresh(self) -> None:
        """Derive the bf16 scales the decode kernel needs (after loading ``scale``), and
        give the weights memory of their own where they start off a 64-byte boundary
        (the kernel's many-row path needs aligned memory; this module's own files
        keep their data aligned, :func:`save`, so a copy is made only for others)."""
        self.scale_bf16 = self.scale.to(torch.bfloat16)
        if self.qweight.data_ptr() % ALIGNMENT:
            self.qweight = self.qweight.clone()

    def int8_product(self, rows: torch.Tensor) -> torch.Tensor:
        """``rows @ W.T`` by the int8 kernel (bf16 activations): ``(n, in)`` → ``(n, out)``."""
        return torch._weight_int8pack_mm(
            rows.to(torch.bfloat16), self.qweight, self.scale_bf16
        ).float()

    def dequantized_product(self, rows: torch.Tensor) -> torch.Tensor:
        """``rows @ W.T`` with ``W`` de-quantized to fp32 for this call (fp32 BLAS)."""
        weight = self.qweight.float().mul_(self.scale[:, None])
        return functional.linear(rows.float(), weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, self.in_features)
        if rows.shape[0] <= _DECODE_ROWS or int8_kernel_for_many_rows(self):
            out = self.int8_product(rows)
        else:
            out = self.dequantized_product(rows)
        if self.bias is not None:
            out = out + self.bias
        return out.reshape(*x.shape[:-1], self.out_features)


class Int8Embedding(nn.Module):
    """``nn.Embedding`` with int8 rows and one scale per row; output float32."""

    qweight: torch.Tensor
    scale: torch.Tensor

    def __init__(self, num_embeddings: int, embedding_dim: int, device: Any = None):
        super().__init__()
        self.num_embeddings = num_embeddings
        self.embedding_dim = embedding_dim
        self.register_buffer(
            "qweight", torch.empty(num_embeddings, embedding_dim, dtype=torch.int8, device=device)
        )
        self.register_buffer("scale", torch.empty(num_embeddings, device=device))

    @classmethod
    def from_embedding(cls, embedding: nn.Embedding) -> Int8Embedding:
        """The quantized copy of ``embedding``."""
        module = cls(embedding.num_embeddings, embedding.embedding_dim, embedding.weight.device)
        module.qweight, module.scale = quantize_rows(embedding.weight.detach())
        return module

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.qweight[ids].float() * self.scale[ids].unsqueeze(-1)


def quantize(model: nn.Module, empty: bool = False) -> nn.Module:
    """Replace ``model``'s linear layers and token embeddings by int8 ones, in place.

    Tied input and output embeddings are untied (each holds its own int8 copy).

    Args:
        model: The model (its weights quantized from float).
        empty: Only make the int8 modules, with empty weights, on the layers'
            own device: for a skeleton on ``meta`` that saved weights will
            fill (quantizing meta tensors costs a second in meta kernels).

    Returns:
        ``model``.
    """
    for module in list(model.modules()):
        for child_name, child in list(module.named_children()):
            replaced = _int8_module(child, empty)
            if replaced is not None:
                setattr(module, child_name, replaced)
    config = getattr(model, "config", None)
    if config is not None:
        config.tie_word_embeddings = False
    return model


def _int8_module(child: nn.Module, empty: bool) -> nn.Module | None:
    """The int8 replacement of a linear layer or embedding (None for other modules)."""
    if isinstance(child, nn.Linear):
        if not empty:
            return Int8Linear.from_linear(child)
        bias = child.bias is not None
        return Int8Linear(child.in_features, child.out_features, bias, child.weight.device)
    if isinstance(child, nn.Embedding):
        if not empty:
            return Int8Embedding.from_embedding(child)
        return Int8Embedding(child.num_embeddings, child.embedding_dim, child.weight.device)
    return None


def save(model: nn.Module, folder: Path) -> Path:
    """Write the quantized ``model``'s weights into ``folder``; return the file."""
    from safetensors.torch import save_file

    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    work = folder / (WEIGHTS_FILE + ".unaligned")
    save_file(state, str(work), metadata={"format": FORMAT})
    path = folder / WEIGHTS_FILE
    _aligned_copy(work, path)
    work.unlink()
    return path


def _aligned_copy(source: Path, target: Path) -> None:
    """Copy a safetensors file with its JSON header padded (spaces, as the format allows)
    so the tensor data starts at a multiple of :data:`ALIGNMENT` bytes.

    The file is memory-mapped when loaded, so each tensor starts where its bytes
    are: with the data aligned (and every int8 tensor of the packaged models a
    multiple of 64 bytes long) the weights are used in place, not copied
    (:meth:`Int8Linear.refresh`).
    """
    import shutil
    import struct

    with source.open("rb") as reader, target.open("wb") as writer:
        (length,) = struct.unpack("<Q", reader.read(8))
        header = reader.read(length)
        padded = length + (-(8 + length) % ALIGNMENT)
        writer.write(struct.pack("<Q", padded))
        writer.write(header + b" " * (padded - length))
        shutil.copyfileobj(reader, writer, 16 * 1024 * 1024)


def load(folder: Path) -> nn.Module:
    """The causal LM of ``folder`` with its int8 weights from :data:`WEIGHTS_FILE`.

    The skeleton is built on the ``meta`` device (no memory), quantized, then
    given the saved tensors; buffers computed at construction (rotary
    frequencies) are rebuilt on the CPU.

    Raises:
        FileNotFoundError: ``folder`` has no :data:`WEIGHTS_FILE`.
        ValueError: The file does not fit the model (another format or version).
    """
    from safetensors import safe_open
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModelForCausalLM, GenerationConfig

    path = folder / WEIGHTS_FILE
    with safe_open(str(path), framework="pt") as handle:
        if (handle.metadata() or {}).get("format") != FORMAT:
            raise ValueError(f"{path} is not in the {FORMAT} format")
    config = AutoConfig.from_pretrained(folder)
    config.tie_word_embeddings = False
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    quantize(model, empty=True)
    state = load_file(str(path))
    missing, unexpected = model.load_state_dict(state, strict=False, assign=True)
    if missing or unexpected:
        raise ValueError(f"{path} does not fit the model: missing {missing[:3]}, {unexpected[:3]}")
    for module in model.modules():
        if isinstance(module, Int8Linear):
            module.refresh()
    _rebuild_meta_buffers(model)
    if (folder / "generation_config.json").is_file():
        model.generation_config = GenerationConfig.from_pretrained(folder)
    model.eval()
    return model


def _rebuild_meta_buffers(model: nn.Module) -> None:
    """Re-create modules whose non-saved buffers are still on ``meta`` (rotary embeddings)."""
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if any(b.is_meta for b in child.buffers(recurse=False)):
                try:
                    rebuilt = type(child)(config=model.config)  # type: ignore[call-arg]
                except TypeError as error:
                    raise ValueError(f"cannot rebuild {type(child).__name__}: {error}") from error
                setattr(parent, name, rebuilt)
    left = [n for n, t in [*model.named_parameters(), *model.named_buffers()] if t.is_meta]
    if left:
        raise ValueError(f"weights missing after loading: {left[:3]}")
