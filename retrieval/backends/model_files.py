"""The local model's files: GGUF conversion into the cache, hub downloads, loading a folder.

A packaged or local GGUF file is de-quantized once into a safetensors folder
under ``cache_dir/models`` (atomically: a half-written folder is never used)
and, for int8 weights, quantized once more beside it (``backends/woq.py``).
Hub models are downloaded by ``huggingface_hub``. Split from
``backends/local.py``, which runs the model.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from retrieval.backends.base import GeneratorError, summary
from retrieval.backends.model_lock import MODEL_LOAD_LOCK, quiet_progress_bars
from retrieval.backends.packaged import QWEN_SHA256, joined_qwen_gguf

CONVERSION_MARKER = "newsdesk-conversion.json"
HUB_FILES = ["*.json", "*.safetensors", "*.model", "*.txt", "*.jinja", "tokenizer*"]


def converted_gguf(
    gguf: Path,
    cache_dir: Path,
    on_convert: Callable[[], None] | None = None,
    key: str | None = None,
) -> Path:
    """The safetensors folder converted from ``gguf``, converting it if needed.

    Args:
        gguf: The GGUF file.
        cache_dir: Where ``models/<key>`` is kept.
        on_convert: Called once this call has converted the file.
        key: The folder's name (default: the file's name, place, size and
            time, with the transformers version).

    Raises:
        GeneratorError: The file cannot be read as a model.
    """
    target = cache_dir / "models" / (key or _cache_key(gguf))
    if (target / CONVERSION_MARKER).is_file():
        _remove_superseded(target, gguf)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_work(target)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        _convert(gguf, work)
        if target.exists():  # a broken leftover (no marker), or another process won
            if (target / CONVERSION_MARKER).is_file():
                return target
            shutil.rmtree(target)
        os.replace(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _remove_superseded(target, gguf)
    if on_convert is not None:
        on_convert()
    return target


def packaged_qwen_folder(cache_dir: Path, on_convert: Callable[[], None] | None = None) -> Path:
    """The packaged Qwen model as a safetensors folder under ``cache_dir/models``.

    Its six parts are joined and verified (:func:`~retrieval.backends.packaged.joined_qwen_gguf`),
    converted once (:func:`converted_gguf`), and the 470 MiB joined file is then
    deleted. Another process (the window and the CLI started together) may be
    doing the same: the work is done under an inter-process file lock
    (``filelock``) on ``models/.qwen.lock``, so the second waits for the first
    and uses its folder, rather than reading the joined file as it is deleted.

    Raises:
        GeneratorError: A part is missing or altered, or the file cannot be read
            as a model.
    """
    import transformers
    from filelock import FileLock

    models = cache_dir / "models"
    key = f"qwen2.5-coder-0.5b-instruct-{QWEN_SHA256[:12]}-tf{transformers.__version__}"
    if (models / key / CONVERSION_MARKER).is_file():
        return models / key
    models.mkdir(parents=True, exist_ok=True)
    with FileLock(models / ".qwen.lock"):
        if (models / key / CONVERSION_MARKER).is_file():
            return models / key  # another process converted it while this one waited
        gguf = joined_qwen_gguf(models)
        folder = converted_gguf(gguf, cache_dir, on_convert, key=key)
        gguf.unlink(missing_ok=True)  # 470 MiB the converted folder replaces
    return folder


def _remove_superseded(target: Path, gguf: Path) -> None:
    """Delete earlier conversions that ``target`` replaces (each 0.5-3 GB).

    A conversion is kept per source file, place and transformers version, so
    moving or reinstalling the app, or a new transformers, converts again.
    An earlier finished conversion of a file of the same name is superseded
    when its source is gone (the old install was removed; the packaged Qwen
    file is deleted once converted) or is this very file (changed since).
    Conversions of a file that still exists elsewhere are kept: another
    install may use them.
    """
    for folder in target.parent.iterdir():
        marker = folder / CONVERSION_MARKER
        if folder == target or folder.name.startswith(".") or not marker.is_file():
            continue  # this one, another process's work in progress, or no conversion
        try:
            source = Path(json.loads(marker.read_text(encoding="utf-8"))["source"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if source.name == gguf.name and (source == gguf or not source.exists()):
            shutil.rmtree(folder, ignore_errors=True)


def _remove_stale_work(target: Path, max_age_seconds: float = 3600) -> None:
    """Delete half-written conversions that a killed process left behind."""
    for work in target.parent.glob(f".{target.name}.*"):
        if time.time() - work.stat().st_mtime > max_age_seconds:
            shutil.rmtree(work, ignore_errors=True)


def _cache_key(gguf: Path) -> str:
    """Folder name for a conversion: the file's name plus a version digest."""
    import transformers

    stat = gguf.stat()
    version = f"{gguf.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{transformers.__version__}"
    return f"{gguf.stem}-{hashlib.sha256(version.encode()).hexdigest()[:12]}"


def _convert(gguf: Path, folder: Path) -> None:
    """De-quantize ``gguf`` and save model and tokenizer in ``folder``."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    try:
        quiet_progress_bars()
        with MODEL_LOAD_LOCK:
            tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
            model = AutoModelForCausalLM.from_pretrained(
                gguf.parent,
                gguf_file=gguf.name,
                dtype=torch.float32,
                quantization_config=GgufConfig(dequantize=True),
            )
    except (OSError, ValueError, KeyError, RuntimeError) as error:
        raise GeneratorError(f"could not read the model file {gguf}: {error}") from error
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    marker = {"source": str(gguf), "size": gguf.stat().st_size}
    (folder / CONVERSION_MARKER).write_text(json.dumps(marker), encoding="utf-8")


def _load_tokenizer(folder: Path) -> Any:
    """The folder's tokenizer; for a folder this module converted, read from its tokenizer.json.

    A converted folder's ``tokenizer.json`` was written by transformers itself,
    so the generic fast tokenizer built from it gives the same ids, chat
    template and special tokens as the model's own class (checked on 40 news
    articles and 100 questions for both packaged models), while skipping that
    class's second reading of the vocabulary in Python (loading Qwen2.5's
    151,643-token vocabulary: 0.93 → 0.68 s of the model's load). A user's
    own folder keeps ``AutoTokenizer`` (its class may add behaviour).
    """
    from transformers import AutoTokenizer, PreTrainedTokenizerFast

    if (folder / CONVERSION_MARKER).is_file() and (folder / "tokenizer.json").is_file():
        return PreTrainedTokenizerFast.from_pretrained(folder)
    return AutoTokenizer.from_pretrained(folder)


def load_folder(folder: Path, model_ref: str, int8: bool) -> tuple[Any, Any]:
    """Tokenizer and model (eval mode) from a transformers folder.

    With ``int8``, the weights are int8 (see :mod:`retrieval.backends.woq`):
    read from ``int8-weights.safetensors`` when the folder has it, otherwise
    quantized from the fp32 weights once and saved there, when the folder
    can be written (a user's own model folder may not be).
    """
    import torch
    from transformers import AutoModelForCausalLM

    from retrieval.backends import woq

    try:
        quiet_progress_bars()
        with MODEL_LOAD_LOCK:
            tokenizer = _load_tokenizer(folder)
            if int8 and (folder / woq.WEIGHTS_FILE).is_file():
                try:
                    return tokenizer, woq.load(folder)
                except ValueError:
                    pass  # an older format: quantize again below
            model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
            model.eval()
            if int8:
                woq.quantize(model)
                _save_quantized(model, folder)
    except (OSError, ValueError, KeyError, RuntimeError) as error:
        raise GeneratorError(f"could not load model {model_ref!r}: {error}") from error
    return tokenizer, model


def _save_quantized(model: Any, folder: Path) -> None:
    """Keep the int8 weights beside the fp32 ones, written atomically; skip a read-only folder."""
    from retrieval.backends import woq

    try:
        work = Path(tempfile.mkdtemp(prefix=".int8.", dir=folder))
    except OSError:
        return  # not ours to write: quantize again next time
    try:
        os.replace(woq.save(model, work), folder / woq.WEIGHTS_FILE)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def download_model(model_id: str) -> Path:
    """The local snapshot of a hub model, downloaded if it is not cached yet."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        HFValidationError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
    )

    try:
        return Path(snapshot_download(model_id, allow_patterns=HUB_FILES, local_files_only=True))
    except (LocalEntryNotFoundError, OSError):
        pass  # not cached yet: download it
    except HFValidationError as error:
        raise GeneratorError(f"{model_id!r} is neither a folder nor a model id") from error
    try:
        return Path(snapshot_download(model_id, allow_patterns=HUB_FILES))
    except RepositoryNotFoundError as error:
        raise GeneratorError(f"there is no model {model_id!r} on Hugging Face") from error
    except (OSError, ConnectionError) as error:
        raise GeneratorError(
            f"could not download model {model_id}: no internet connection? ({summary(error)})"
        ) from error
