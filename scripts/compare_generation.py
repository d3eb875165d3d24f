"""Compare the local model's replies and speed under two ways of running it, on the same prompts.

A change to how the model runs must give the same answers, or the differences
listed and judged: int8 against float32 weights (``generation.weights``,
retrieval/backends/woq.py). The prompts are real answer prompts:
SQuAD 2.0 dev questions outside the benchmark's twelve articles, with the
evidence an answer would choose (from the evidence cache that
``scripts/train_abstention.py --evidence-cache`` writes).

A variant names the weights: ``int8`` or ``float32``.

    python scripts/compare_generation.py --evidence-cache /tmp/evidence.pkl \
        --variants int8,float32 [--count 30]
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.answer.evidence import select_evidence  # noqa: E402
from retrieval.answer.prompts import answer_messages  # noqa: E402
from retrieval.backends.local import TransformersGenerator  # noqa: E402
from retrieval.settings import PACKAGED_QWEN, Settings  # noqa: E402


def make_generator(variant: str, model: str, settings: Settings) -> TransformersGenerator:
    """The generator a variant names (``int8`` or ``float32`` weights)."""
    return TransformersGenerator(model, settings.cache_dir, weights=variant)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evidence-cache", type=Path, required=True)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--model", default=PACKAGED_QWEN)
    parser.add_argument("--variants", default="int8,float32", help="two, comma-separated")
    parser.add_argument("--out", type=Path, help="write every pair of replies here (JSONL)")
    args = parser.parse_args()
    first, second = args.variants.split(",")
    judged = pickle.loads(args.evidence_cache.read_bytes())
    answerable = [j for j in judged if j[1] == 1]
    random.Random(3).shuffle(answerable)
    settings = Settings()
    prompts = [
        (q, answer_messages(q, select_evidence(r, settings.generation.answer_sentences)))
        for q, _, _, r in answerable[: args.count]
    ]
    replies: dict[str, list[str]] = {}
    for variant in (first, second):
        generator = make_generator(variant, args.model, settings)
        generator.generate(prompts[0][1], 4)  # load and warm up
        seconds = []
        replies[variant] = []
        for _, messages in prompts:
            started = time.perf_counter()
            reply = generator.generate(messages, settings.generation.max_new_tokens)
            replies[variant].append(reply)
            seconds.append(time.perf_counter() - started)
        print(
            f"{variant}: {sum(seconds):.1f} s for {len(prompts)} replies "
            f"(median {statistics.median(seconds):.2f} s)"
        )
        generator.close()
    pairs = list(zip(replies[first], replies[second], strict=True))
    same = sum(a.strip() == b.strip() for a, b in pairs)
    print(f"same reply: {same}/{len(prompts)}")
    lines = []
    for (question, _), (a, b) in zip(prompts, pairs, strict=True):
        if a.strip() != b.strip():
            print(f"  {question}\n    {first}: {a!r}\n    {second}: {b!r}")
        lines.append(json.dumps({"question": question, first: a, second: b}))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
