"""One decoding step of a Llama-family model with few operations and a static KV cache.

Decoding a token reads every int8 weight once: measured here (torch
profiler, 2 cores) that is ≈55 ms per token for Qwen2.5-0.5B and ≈15 ms for
SmolLM2-135M, both near the machine's ≈9 GB/s of memory bandwidth. Run
through transformers' modules, each token also pays the eager overhead of a
general model: per layer the rotary embedding's cos/sin recomputed, the
attention mask rebuilt, the KV cache grown by ``torch.cat``, seven linear
layers each cast in and out, module and hook dispatch. For SmolLM2 that
overhead was as long as the weights' reading. Here, for the models Newsdesk
ships (Llama and Qwen2 architectures with int8 weights):

* the KV cache is preallocated for the prompt and the reply (a "static
  cache", as in gpt-fast, pytorch-labs 2023) and written in place;
* the rotary angles of a position are computed once per token, not once per
  layer, and queries and keys are rotated together;
* each layer's input is cast to bf16 once for its query, key and value
  products (and once for gate and up), and no mask, hook or module call is
  made.

Concatenating the query/key/value weights into one matrix (gpt-fast,
llama.cpp) was measured too: no faster here (the products are bound by
memory, not by calls) and, as a copy, it kept the memory-mapped originals
resident (+440 MB RSS), so each layer's own weights are used.

The arithmetic is transformers' own, operation for operation (RMSNorm in
float32, bf16 activations into ``torch._weight_int8pack_mm``, SDPA over the
cache), so greedy decoding picks the same tokens; a test pins it against
``model.generate``. The prompt's prefill still runs through transformers
(many rows, where de-quantized BLAS is faster); its KV cache is copied in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
from torch.nn import functional

from retrieval.backends.woq import Int8Embedding, Int8Linear

ARCHITECTURES = frozenset({"llama", "qwen2"})


@dataclass
class StaticCache:
    """A reply's KV cache: ``keys``/``values`` ``(layers, 1, kv_heads, capacity, head_dim)``
    float32, of which the first ``length`` positions are filled."""

    keys: torch.Tensor
    values: torch.Tensor
    length: int


class _Int8Product:
    """``x @ W.T * scale + bias`` for the int8 linear layers given, outputs side by side.

    Each layer's own buffers are used (no copy: a concatenated matrix would
    hold the weights twice while the memory-mapped file's pages stay
    resident): with one row, the product is bound by reading the weights, so
    one call per layer costs no more than one call for the concatenation.
    """

    def __init__(self, layers: list[Int8Linear]) -> None:
        self.parts = [
            (m.qweight, m.scale_bf16, None if m.bias is None else m.bias.data) for m in layers
        ]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        x = x.to(torch.bfloat16)
        outs = []
        for qweight, scale, bias in self.parts:
            out = torch._weight_int8pack_mm(x, qweight, scale).float()
            outs.append(out if bias is None else out + bias)
        return outs[0] if len(outs) == 1 else torch.cat(outs, dim=-1)


def supported(model: Any) -> bool:
    """Whether ``model`` can decode here: a Llama or Qwen2 model with int8 weights,
    default rotary embedding, SiLU MLP and full attention."""
    config = getattr(model, "config", None)
    if config is None or getattr(config, "model_type", None) not in ARCHITECTURES:
        return False
    rope = getattr(config, "rope_parameters", None) or getattr(config, "rope_scaling", None) or {}
    if rope.get("rope_type", rope.get("type", "default")) != "default":
        return False
    if getattr(config, "hidden_act", "silu") != "silu" or getattr(
        config, "use_sliding_window", False
    ):
        return False
    inner = getattr(model, "model", None)
    layers = getattr(inner, "layers", None)
    if layers is None or not isinstance(getattr(model, "lm_head", None), Int8Linear):
        return False
    if not isinstance(getattr(inner, "embed_tokens", None), Int8Embedding):
        return False
    for layer in layers:
        attention, mlp = layer.self_attn, layer.mlp
        linears = [getattr(attention, n, None) for n in ("q_proj", "k_proj", "v_proj", "o_proj")]
        linears += [getattr(mlp, n, None) for n in ("gate_proj", "up_proj", "down_proj")]
        if not all(isinstance(m, Int8Linear) for m in linears):
            return False
        if attention.o_proj.bias is not None or any(
            m.bias is not None for m in (mlp.gate_proj, mlp.up_proj, mlp.down_proj)
        ):
            return False
    return True


class StaticDecoder:
    """Greedy decoding steps of one model after a prefill (see the module docstring).

    Build it once per model (:func:`supported` must hold); it uses the
    model's own weights (no copy), so the model keeps working through
    transformers.
    """

    def __init__(self, model: Any) -> None:
        config = model.config
        inner = model.model
        self.heads = config.num_attention_heads
        self.kv_heads = config.num_key_value_heads
        self.head_dim = getattr(config, "head_dim", None) or config.hidden_size // self.heads
        self.eps = config.rms_norm_eps
        self.embed = inner.embed_tokens
        self.norm = inner.norm.weight
        self.inv_freq = inner.rotary_emb.inv_freq.float()
        self.rope_scale = float(getattr(inner.rotary_emb, "attention_scaling", 1.0))
        self.head = _Int8Product([model.lm_head])
        self.layers = []
        for layer in inner.layers:
            attention, mlp = layer.self_attn, layer.mlp
            self.layers.append(
                (
                    layer.input_layernorm.weight,
                    _Int8Product([attention.q_proj, attention.k_proj, attention.v_proj]),
                    _Int8Product([attention.o_proj]),
                    layer.post_attention_layernorm.weight,
                    _Int8Product([mlp.gate_proj, mlp.up_proj]),
                    _Int8Product([mlp.down_proj]),
                )
            )

    def begin(self, cache: Any, capacity: int) -> StaticCache:
        """A static KV cache holding the prompt's (one per reply being decoded).

        Args:
            cache: The transformers cache after the prefill; its layers'
                ``keys``/``values`` are ``(1, kv_heads, tokens, head_dim)``.
            capacity: The most tokens it holds (prompt and reply).
        """
        length = cache.get_seq_length()
        shape = (len(self.layers), 1, self.kv_heads, max(capacity, length + 1), self.head_dim)
        state = StaticCache(torch.empty(shape), torch.empty(shape), length)  # read to .length
        for i, layer in enumerate(cache.layers):
            state.keys[i, :, :, :length] = layer.keys
            state.values[i, :, :, :length] = layer.values
        return state

    def step(self, state: StaticCache, token: int) -> torch.Tensor:
        """The logits ``(vocab,)`` float32 after ``token``, which joins ``state``.

        Raises:
            IndexError: The static cache is full.
        """
        position = state.length
        keys, values = state.keys, state.values
        if position >= keys.shape[3]:
            raise IndexError(f"the KV cache holds {keys.shape[3]} tokens")
        heads, kv_heads, dim = self.heads, self.kv_heads, self.head_dim
        hidden = self.embed(torch.tensor([token]))
        angles = position * self.inv_freq
        angles = torch.cat((angles, angles))
        cos, sin = angles.cos() * self.rope_scale, angles.sin() * self.rope_scale
        seen = position + 1
        rotated_width = (heads + kv_heads) * dim
        for i, (norm_in, qkv, out, norm_post, gate_up, down) in enumerate(self.layers):
            mixed = qkv(self._rms(hidden, norm_in))
            # queries and keys rotated together (one set of element-wise ops)
            rotated = _rotate(mixed[:, :rotated_width].view(heads + kv_heads, dim), cos, sin)
            query = rotated[:heads].view(1, heads, 1, dim)
            keys[i, 0, :, position] = rotated[heads:]
            values[i, 0, :, position] = mixed[:, rotated_width:].view(kv_heads, dim)
            attended = functional.scaled_dot_product_attention(
                query,
                keys[i, :, :, :seen],
                values[i, :, :, :seen],
                enable_gqa=heads != kv_heads,
            )
            hidden = hidden + out(attended.reshape(1, heads * dim))
            both = gate_up(self._rms(hidden, norm_post))
            half = both.shape[-1] // 2
            hidden = hidden + down(functional.silu(both[:, :half]) * both[:, half:])
        state.length = seen
        return self.head(self._rms(hidden, self.norm))[0]

    def _rms(self, hidden: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
        """RMSNorm (Zhang and Sennrich 2019) as transformers' ``LlamaRMSNorm`` computes it."""
        variance = hidden.pow(2).mean(-1, keepdim=True)
        return weight * (hidden * torch.rsqrt(variance + self.eps))


def _rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotary position embedding (RoPE, Su et al. 2021) in the "rotate half" layout."""
    half = x.shape[-1] // 2
    return x * cos + torch.cat((-x[..., half:], x[..., :half]), dim=-1) * sin
