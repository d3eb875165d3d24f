"""Record the model's replies once; replay the program's checks on them without the model.

Most answer changes are to what the program makes of the model's reply (locating it,
repairing it to what was asked, refusing it), not to the reply itself. ``record`` asks every
question of a set once, as the quality harness does (each question standing alone), and
keeps, for each call of :func:`~retrieval.answer.statements.statement_from_reply`, the
reply, the sentences shown and the statement made, with the final answer. ``replay`` runs
the code as it is now on those same replies and sentences and lists every statement that
changes, scored against the gold answers: a change to the checks is read on a whole set in
a minute or two instead of a run of the model. Rereadings (a second look, reading the
stronger sentence again) call the model again and are not replayed: confirm with the
harness (``python -m benchmarks.quality``).

    python scripts/replay_replies.py record --library LIB --questions Q.jsonl --out R.pkl
    python scripts/replay_replies.py replay --library LIB --recorded R.pkl

``LIB`` is a library folder holding the set's articles (``newsdesk --library LIB add …``);
the questions are in the harness's layout (``../shared/eval/squad/qa_sample.jsonl``).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.metrics import best_f1, contains_gold  # noqa: E402
from retrieval.answer import answer as answering  # noqa: E402
from retrieval.answer.answer import Conversation  # noqa: E402
from retrieval.engine import Newsdesk  # noqa: E402
from retrieval.settings import Settings  # noqa: E402


def record(library: Path, questions: Path, out: Path) -> int:
    """Ask every question of ``questions`` once; pickle the calls to ``out``."""
    desk = Newsdesk(Settings(library=library))
    made = answering.statement_from_reply
    calls: list[dict[str, Any]] = []

    def recorded(question: str, reply: str, citations: Any, books: Any, **options: Any) -> Any:
        statement = made(question, reply, citations, books, **options)
        text = None if statement is None else statement.text
        calls.append({"reply": reply, "citations": citations, "options": options, "made": text})
        return statement

    answering.statement_from_reply = recorded  # type: ignore[assignment]
    rows = []
    try:
        for line in questions.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            calls.clear()
            desk.conversation = Conversation()
            answer = desk.ask(item["question"])
            rows.append({**item, "final": answer.text, "declined": answer.declined,
                         "calls": list(calls)})  # fmt: skip
    finally:
        desk.close()
    with out.open("wb") as handle:
        pickle.dump(rows, handle)
    print(f"{len(rows)} questions recorded in {out}")
    return 0


def replay(library: Path, recorded: Path) -> int:
    """Print every recorded statement the code now makes differently, scored."""
    from retrieval.answer.statements import statement_from_reply

    desk = Newsdesk(Settings(library=library))
    with recorded.open("rb") as handle:
        rows = pickle.load(handle)  # noqa: S301 - our own file
    gained = lost = changed = 0
    try:
        for row in rows:
            for call in row["calls"]:
                now = statement_from_reply(
                    row["question"], call["reply"], call["citations"], desk.library,
                    **call["options"],
                )  # fmt: skip
                text = None if now is None else now.text
                if text == call["made"]:
                    continue
                changed += 1
                final = call["made"] is not None and row["final"].startswith(call["made"])
                if row["is_impossible"]:
                    print(f"U {row['question'][:70]!r}\n    {call['made']!r} -> {text!r}")
                    continue
                golds = row["answers"]
                before = contains_gold(call["made"] or "", golds)
                after = contains_gold(text or "", golds)
                mark = "+" if after and not before else "-" if before and not after else " "
                if final or call["made"] is None and row["declined"]:
                    gained += mark == "+"
                    lost += mark == "-"
                f1 = f"{best_f1(call['made'] or '', golds):.2f}->{best_f1(text or '', golds):.2f}"
                print(f"{mark} {f1} {row['question'][:70]!r}\n    {call['made']!r} -> {text!r}")
    finally:
        desk.close()
    print(f"{changed} statements changed; answers now holding the gold {gained}, no longer {lost}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    first = commands.add_parser("record")
    first.add_argument("--library", type=Path, required=True)
    first.add_argument("--questions", type=Path, required=True)
    first.add_argument("--out", type=Path, required=True)
    again = commands.add_parser("replay")
    again.add_argument("--library", type=Path, required=True)
    again.add_argument("--recorded", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "record":
        return record(args.library, args.questions, args.out)
    return replay(args.library, args.recorded)


if __name__ == "__main__":
    sys.exit(main())
