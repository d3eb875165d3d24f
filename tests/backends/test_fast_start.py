"""What keeps launch → first answer short: unused imports deferred, no collections while loading."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from retrieval.loading import collection_paused

ROOT = Path(__file__).resolve().parents[2]

IMPORT_SCRIPT = """
import json, sys
import numpy as np
import torch
import retrieval.ingest.duplicates  # datasketch, as the engine imports it
from retrieval.backends.deferred_imports import SENTENCE_TRANSFORMERS_UNUSED, import_deferring
st = import_deferring("sentence_transformers", SENTENCE_TRANSFORMERS_UNUSED)
deferred = [m for m in ("sklearn", "scipy.integrate", "scipy.optimize") if m in sys.modules]
same = retrieval.ingest.duplicates.signature("one two three four five six seven")
a = torch.tensor([[1.0, 2.0, 0.0], [0.0, 0.0, 3.0]]).to_sparse()
b = torch.tensor([[1.0, 0.0, 0.0]]).to_sparse()
sparse = st.util.manhattan_sim(a, b).tolist()  # the one call that needs scikit-learn
import sklearn.metrics
import datasketch, scipy.integrate
lsh = datasketch.MinHashLSH(threshold=0.5, num_perm=128)  # the call that needs scipy.integrate
from transformers.loss.loss_for_object_detection import linear_sum_assignment
matching = [list(map(int, side)) for side in linear_sum_assignment([[4, 1], [2, 8]])]
print(json.dumps({
    "imported": deferred,
    "signature": len(same),
    "real_scipy": hasattr(scipy.integrate, "solve_ivp"),
    "matching": matching,
    "sparse": sparse,
    "real_sklearn": hasattr(sklearn.metrics, "roc_auc_score"),
    "model": hasattr(st, "SentenceTransformer"),
}))
"""


def fresh_python(script: str, env: dict[str, str] | None = None) -> dict:
    """Run ``script`` in a new interpreter (nothing imported yet); its last line as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_unused_imports_are_deferred_and_what_needs_them_still_works() -> None:
    """Importing the embedder's package and the duplicate detector leaves scikit-learn,
    scipy.integrate and scipy.optimize unimported (0.9 s of launch); the functions that
    need them still work, and later imports of them get the real packages."""
    result = fresh_python(IMPORT_SCRIPT)
    assert result == {
        "imported": [],
        "signature": 128,
        "real_scipy": True,
        "matching": [[0, 1], [1, 0]],
        "sparse": [[-2.0], [-4.0]],
        "real_sklearn": True,
        "model": True,
    }


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if not was:
        gc.disable()


def test_collection_is_paused_while_loading_and_resumes_after(collector_on) -> None:  # noqa: ANN001
    frozen_before = gc.get_freeze_count()
    loaded = [[index] for index in range(1000)]  # noqa: F841 - objects that live on
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():  # a nested load (the engine's, around the generator's)
            assert not gc.isenabled()
        assert not gc.isenabled(), "the outer load is still running"
        survivors = [{"weights": index} for index in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(survivors)


def test_collection_stays_paused_until_the_last_concurrent_load_ends(collector_on) -> None:  # noqa: ANN001
    first_inside = threading.Event()
    release = threading.Event()

    def other_load() -> None:
        with collection_paused():
            first_inside.set()
            release.wait(10)

    loader = threading.Thread(target=other_load)
    loader.start()
    first_inside.wait(10)
    with collection_paused():
        pass
    assert not gc.isenabled(), "the other thread's load is still running"
    release.set()
    loader.join(10)
    assert gc.isenabled()


def test_a_caller_that_turned_collection_off_keeps_it_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.unfreeze()
        if was:
            gc.enable()


def test_collection_resumes_when_loading_fails(collector_on) -> None:  # noqa: ANN001
    with pytest.raises(OSError), collection_paused():
        raise OSError("model file unreadable")
    assert gc.isenabled()


WINDOW_SCRIPT = """
import json, sys
from desktop.gui.app import create_window, make_application
from retrieval.settings import load_settings
app = make_application([])
window = create_window(load_settings(), add_sample=False)
app.processEvents()
print(json.dumps({name: name in sys.modules for name in ("fpdf", "docx")}), flush=True)
import os; os._exit(0)  # the worker may still be loading: leave without joining it
"""


def test_the_window_opens_without_the_pdf_and_word_libraries(tmp_path: Path) -> None:
    """fpdf2 and python-docx (0.4 s) are imported when an export needs them, not at launch."""
    imported = fresh_python(
        WINDOW_SCRIPT,
        {
            "QT_QPA_PLATFORM": "offscreen",
            "NEWSDESK_LIBRARY": str(tmp_path / "library"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        },
    )
    assert imported == {"fpdf": False, "docx": False}
