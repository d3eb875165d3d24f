"""The process the history crash test kills: keeps answers in a library's history.

Usage: ``python tests/support/history_child.py DATABASE COUNT [pause-in-transaction]``.
Prints ``ready``, then ``kept N`` after each answer is committed. With
``pause-in-transaction`` it prints ``paused`` and sleeps (to be killed) inside
the transaction that starts the first conversation, after its entry row is
written and before its answer is.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import retrieval.library.history as history  # noqa: E402
from retrieval.library.store import Store  # noqa: E402
from retrieval.types import Answer, Citation, Statement  # noqa: E402


def answer(n: int) -> Answer:
    text = f"Paragraph {n} says that {n} rockets were fired."
    citation = Citation(n, 1, "Rockets", 0, text, text, 0, len(text), source="pasted")
    return Answer(f"Question {n}?", (Statement(f"{n} rockets.", (citation,)),), declined=False)


def main() -> None:
    path, count = Path(sys.argv[1]), int(sys.argv[2])
    if sys.argv[3:] == ["pause-in-transaction"]:
        original = history._insert_entry

        def paused(*args: Any) -> int:
            entry_id = original(*args)
            print("paused", flush=True)
            time.sleep(60)
            return entry_id

        history._insert_entry = paused  # type: ignore[assignment]
    kept = history.History(Store(path))
    print("ready", flush=True)
    entry_id = None
    for n in range(count):
        entry_id = kept.add_answer(answer(n), None, entry_id).entry_id
        print(f"kept {n + 1}", flush=True)


if __name__ == "__main__":
    main()
