"""``transformers serve`` on the packaged SmolLM2, started and stopped on 127.0.0.1.

The tests and the speed harness use it to run Newsdesk against a real
OpenAI-compatible server without a network: the packaged GGUF is converted
once into a transformers folder (``retrieval.backends.model_files.converted_gguf``)
and that folder is what the server loads (``transformers serve FOLDER``
pins it: requests must name the same folder as their model).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from retrieval.backends.model_files import converted_gguf
from retrieval.backends.packaged import smollm2_gguf_path as packaged_gguf_path


@dataclass(frozen=True)
class RunningServer:
    """A started server: its OpenAI base URL and the model name to ask for."""

    base_url: str
    model: str
    pid: int


def transformers_command() -> str:
    """The ``transformers`` command of this Python environment."""
    beside = Path(sys.executable).with_name("transformers")
    found = str(beside) if beside.is_file() else shutil.which("transformers")
    if found is None:
        raise RuntimeError("`transformers` is missing: pip install 'transformers[serving]'")
    return found


@contextmanager
def transformers_serve(cache_dir: Path, ready_timeout: float = 240.0) -> Iterator[RunningServer]:
    """Start ``transformers serve`` on a free port; stop it when the block ends."""
    folder = converted_gguf(packaged_gguf_path(), cache_dir)
    port = _free_port()
    command = [transformers_command(), "serve", str(folder), "--host", "127.0.0.1",
               "--port", str(port), "--device", "cpu", "--log-level", "warning"]  # fmt: skip
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_healthy(process, f"http://127.0.0.1:{port}/health", ready_timeout, log)
            yield RunningServer(f"http://127.0.0.1:{port}/v1", str(folder), process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_healthy(process: subprocess.Popen, url: str, timeout: float, log: IO[str]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"transformers serve exited ({process.returncode}): {_tail(log)}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.5)
    raise RuntimeError(f"transformers serve was not healthy within {timeout:.0f} s: {_tail(log)}")


def _tail(log: IO[str]) -> str:
    log.seek(0)
    return log.read()[-1500:]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
