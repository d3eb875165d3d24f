"""Compare the local model's replies with int8 and float32 weights on the same prompts.

The int8 weights (``generation.weights``, retrieval/backends/woq.py) must give
the same answers, or differences listed and judged. The prompts are real
answer prompts: SQuAD 2.0 dev questions outside the benchmark's twelve
articles, with the evidence an answer would choose (from the evidence cache
that ``scripts/train_abstention.py --evidence-cache`` writes).

    python scripts/compare_weights.py --evidence-cache /tmp/evidence.pkl [--count 30]
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.answer.evidence import select_evidence  # noqa: E402
from retrieval.answer.prompts import answer_messages  # noqa: E402
from retrieval.backends.local import TransformersGenerator  # noqa: E402
from retrieval.settings import PACKAGED_QWEN, Settings  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evidence-cache", type=Path, required=True)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--model", default=PACKAGED_QWEN)
    parser.add_argument("--out", type=Path, help="write every pair of replies here (JSONL)")
    args = parser.parse_args()
    judged = pickle.loads(args.evidence_cache.read_bytes())
    answerable = [j for j in judged if j[1] == 1]
    random.Random(3).shuffle(answerable)
    settings = Settings()
    prompts = [
        (q, answer_messages(q, select_evidence(r, settings.generation.answer_sentences)))
        for q, _, _, r in answerable[: args.count]
    ]
    replies: dict[str, list[str]] = {}
    for weights in ("int8", "float32"):
        generator = TransformersGenerator(args.model, settings.cache_dir, weights=weights)
        started = time.perf_counter()
        replies[weights] = [
            generator.generate(m, settings.generation.max_new_tokens) for _, m in prompts
        ]
        print(f"{weights}: {time.perf_counter() - started:.0f} s for {len(prompts)} replies")
        generator.close()
    same = sum(
        a.strip() == b.strip() for a, b in zip(replies["int8"], replies["float32"], strict=True)
    )
    print(f"same reply: {same}/{len(prompts)}")
    lines = []
    for (question, _), a, b in zip(prompts, replies["int8"], replies["float32"], strict=True):
        if a.strip() != b.strip():
            print(f"  {question}\n    int8:    {a!r}\n    float32: {b!r}")
        lines.append(json.dumps({"question": question, "int8": a, "float32": b}))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
