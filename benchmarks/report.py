"""Targets, the results table, ``results/latest.json`` and the README section."""

from __future__ import annotations

import json
import platform
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
README = ROOT / "README.md"
START = "<!-- bench:start -->"
END = "<!-- bench:end -->"

# metric key -> (label, comparison, threshold: a number or another metric's key, unit)
TARGETS: dict[str, tuple[str, str, float | str | None, str]] = {
    "quality.first_citation_gold": ("First citation is the gold paragraph", ">=", 0.90, "%"),
    "quality.answer_contains_gold": ("Answer contains a gold answer", ">=", 0.85, "%"),
    "quality.f1": ("Token F1 (answerable)", ">=", 0.5, ""),
    "quality.median_answer_words": ("Median answer length (words)", "<=", 12, ""),
    "quality.unanswerable_declined": ("Unanswerable questions declined", ">=", 0.60, "%"),
    "quality.answerable_declined": ("Answerable questions declined", "<=", 0.10, "%"),
    "quality.retrieval_r1": ("Retrieval R@1 (hybrid)", "", None, "%"),
    "quality.retrieval_r3": ("Retrieval R@3 (hybrid)", "", None, "%"),
    "quality.retrieval_r5": ("Retrieval R@5 (hybrid)", "", None, "%"),
    "quality.any_citation_gold": ("Any citation is the gold paragraph", "", None, "%"),
    "quality.f1_when_answered": ("Token F1 (answered only)", "", None, ""),
    "quality.seconds_per_question_p50": ("Seconds per question (p50)", "", None, "s"),
    "briefings.rouge1": ("ROUGE-1 F", ">=", "briefings.lead3_rouge1", "4f"),
    "briefings.rouge2": ("ROUGE-2 F", ">=", "briefings.lead3_rouge2", "4f"),
    "briefings.rougeL": ("ROUGE-L F", ">=", "briefings.lead3_rougeL", "4f"),
    "briefings.lead3_rouge1": ("Lead-3 ROUGE-1 F (baseline)", "", None, "4f"),
    "briefings.lead3_rouge2": ("Lead-3 ROUGE-2 F (baseline)", "", None, "4f"),
    "briefings.lead3_rougeL": ("Lead-3 ROUGE-L F (baseline)", "", None, "4f"),
    "briefings.points_cited": ("Briefing points cited", ">=", 1.0, "%"),
    "briefings.points_supported": ("Points supported by cited paragraph", ">=", 0.95, "%"),
    "briefings.points_per_briefing": ("Key points per short briefing (2 asked)", "", None, ""),
    "briefings.overview_cited": ("Overview sentences cited", ">=", 1.0, "%"),
    "briefings.overview_supported": (
        "Overview sentences supported by cited sentences",
        ">=",
        0.95,
        "%",
    ),
    "briefings.overview_kept": ("Model overview sentences kept as written", "", None, "%"),
    "briefings.overview_shortened_share": (
        "  the model's shortening of a key sentence instead",
        "",
        None,
        "%",
    ),
    "briefings.overview_repaired_share": (
        "  cut to a supported opening (rest dropped)",
        "",
        None,
        "%",
    ),
    "briefings.groups_correct": ("Article groups split into the right stories", "", None, "%"),
    "briefings.seconds_medium_3_articles": (
        "Seconds per briefing (medium, 3 articles)",
        "",
        None,
        "s",
    ),
    "entities.people_precision_before": ("People precision, spaCy small alone", "", None, "%"),
    "entities.people_precision_after": ("People precision, with Newsdesk's fixes", "", None, "%"),
    "entities.places_precision_before": ("Places precision, spaCy small alone", "", None, "%"),
    "entities.places_precision_after": ("Places precision, with Newsdesk's fixes", "", None, "%"),
    "entities.organisations_precision_before": (
        "Organisations precision, spaCy alone",
        "",
        None,
        "%",
    ),
    "entities.organisations_precision_after": (
        "Organisations precision, with fixes",
        "",
        None,
        "%",
    ),
    "speed.add_paragraphs_per_s": ("Add: paragraphs/s through Newsdesk.add", "", None, ""),
    "speed.encode_paragraphs_per_s": ("Embedder encode: paragraphs/s", "", None, ""),
    "speed.add_vs_encode": ("Add throughput / encode throughput", ">=", 0.90, "%"),
    "speed.search_p50_ms_10k": ("Hybrid search p50 @10k (ms)", "", None, ""),
    "speed.search_p95_ms_10k": ("Hybrid search p95 @10k (ms)", "", None, ""),
    "speed.search_p50_ms_100k": ("Hybrid search p50 @100k (ms)", "<=", 20, ""),
    "speed.search_p95_ms_100k": ("Hybrid search p95 @100k (ms)", "", None, ""),
    "speed.search_dense_p50_ms_100k": ("  of which dense (FAISS) p50 @100k (ms)", "", None, ""),
    "speed.search_keyword_p50_ms_100k": ("  of which keyword (FTS5) p50 @100k (ms)", "", None, ""),
    "speed.search_p50_ms_1m": ("Hybrid search p50 @1M (ms)", "<=", 100, ""),
    "speed.search_p95_ms_1m": ("Hybrid search p95 @1M (ms)", "", None, ""),
    "speed.search_dense_p50_ms_1m": ("  of which dense (FAISS) p50 @1M (ms)", "", None, ""),
    "speed.search_keyword_p50_ms_1m": ("  of which keyword (FTS5) p50 @1M (ms)", "", None, ""),
    "speed.search_index_1m": ("Dense index @1M", "", None, ""),
    "speed.search_recall_at_50_100k": ("Dense recall@50 vs exact @100k", "", None, "%"),
    "speed.search_recall_at_50_1m": ("Dense recall@50 vs exact @1M", "", None, "%"),
    "speed.query_embedding_p50_ms": ("Question embedding p50 (ms)", "", None, ""),
    "speed.search_peak_rss_mb_10k": ("Peak RSS, search @10k (MB)", "", None, ""),
    "speed.search_peak_rss_mb_100k": ("Peak RSS, search @100k (MB)", "", None, ""),
    "speed.search_peak_rss_mb_1m": ("Peak RSS, search @1M (MB)", "", None, ""),
    "speed.decode_tokens_per_s": ("Default model (Qwen 0.5B, int8) decode tok/s", "", None, ""),
    "speed.llamacpp_tokens_per_s": ("  llama.cpp decode tok/s, same GGUF", "", None, ""),
    "speed.decode_vs_llamacpp": ("  default decode / llama.cpp", ">=", 0.5, ""),
    "speed.ttft_seconds": ("  time to first token, ~250-token prompt (s)", "<=", 1.0, "s"),
    "speed.llamacpp_ttft_seconds": ("  llama.cpp time to first token (s)", "", None, "s"),
    "speed.answer_ttft_seconds": ("  time to first token, answer prompt (s)", "<=", 1.0, "s"),
    "speed.float32_decode_tokens_per_s": ("  float32 weights decode tok/s", "", None, ""),
    "speed.float32_ttft_seconds": ("  float32 time to first token (s)", "", None, "s"),
    "speed.fast_decode_tokens_per_s": ("Fast model (SmolLM2, int8) decode tok/s", "", None, ""),
    "speed.fast_llamacpp_tokens_per_s": ("  llama.cpp decode tok/s, same GGUF", "", None, ""),
    "speed.fast_decode_vs_llamacpp": ("  fast decode / llama.cpp", ">=", 0.5, ""),
    "speed.fast_ttft_seconds": ("  time to first token, ~250-token prompt (s)", "<=", 0.5, "s"),
    "speed.fast_llamacpp_ttft_seconds": ("  llama.cpp time to first token (s)", "", None, "s"),
    "speed.fast_answer_ttft_seconds": ("  time to first token, answer prompt (s)", "<=", 0.5, "s"),
    "speed.server_decode_tokens_per_s": ("Decode tok/s via transformers serve", "", None, ""),
    "speed.server_ttft_seconds": ("Time to first token via transformers serve (s)", "", None, "s"),
    "speed.window_seconds": ("Launch → window shown (s)", "<=", 2.0, "s"),
    "speed.first_answer_seconds": ("Launch → first answer on sample (s)", "<=", 5.0, "s"),
    "speed.first_answer_window_seconds": (
        "Launch → first answer in the window (s)",
        "<=",
        5.0,
        "s",
    ),
    "speed.brief_medium_3_seconds": ("Seconds per briefing (medium, 3 articles)", "", None, "s"),
    "speed.session_peak_rss_mb": ("Peak RSS, add + ask + brief session (MB)", "<=", 1536, ""),
    # The PostgreSQL archive backend (benchmarks/archive.py): a local pgserver, same machine.
    "speed.pg_search_p50_ms_100k": (
        "Archive (PostgreSQL) hybrid search p50 @100k (ms)",
        "<=",
        50,
        "",
    ),
    "speed.pg_search_p95_ms_100k": ("Archive hybrid search p95 @100k (ms)", "", None, ""),
    "speed.pg_dense_p50_ms_100k": ("  of which dense (HNSW) p50 @100k (ms)", "", None, ""),
    "speed.pg_keyword_p50_ms_100k": (
        "  of which keyword (BM25) p50 @100k (ms)",
        "",
        None,
        "",
    ),
    "speed.pg_recall_at_50_100k": ("Archive dense recall@50 vs exact @100k", ">=", 0.95, "%"),
    "speed.pg_search_p50_ms_1m": ("Archive hybrid search p50 @1M (ms)", "<=", 150, ""),
    "speed.pg_recall_at_50_1m": ("Archive dense recall@50 vs exact @1M", ">=", 0.95, "%"),
    "speed.pg_concurrent_p50_ms_100k": ("Archive, 4 clients at once: p50 @100k (ms)", "", None, ""),
    "speed.pg_concurrent_p95_ms_100k": ("Archive, 4 clients at once: p95 @100k (ms)", "", None, ""),
    "speed.pg_concurrent_errors_100k": ("Archive, 4 clients at once: errors", "<=", 0, ""),
    "speed.pg_build_paragraphs_per_s_100k": (
        "Archive bulk add (no embedding): paragraphs/s",
        "",
        None,
        "",
    ),
    "speed.pg_add_paragraphs_per_s": (
        "Archive add: paragraphs/s through Newsdesk.add",
        "",
        None,
        "",
    ),
    "speed.pg_add_vs_encode": ("Archive add throughput / encode throughput", ">=", 0.80, "%"),
    "speed.pg_squad_identical_answers": (
        "Archive vs local: identical SQuAD answers",
        "",
        None,
        "%",
    ),
    "speed.pg_squad_identical_retrieval": (
        "Archive vs local: identical retrieved paragraphs",
        "",
        None,
        "%",
    ),
}


def flatten(results: Mapping[str, Any]) -> dict[str, Any]:
    """``{"quality": {"metrics": {...}}}`` → ``{"quality.key": value}``."""
    flat: dict[str, Any] = {}
    for section, body in results.items():
        if isinstance(body, Mapping) and isinstance(body.get("metrics"), Mapping):
            for key, value in body["metrics"].items():
                flat[f"{section}.{key}"] = value
    return flat


def _fmt(value: Any, unit: str) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if unit == "%":
            return f"{100 * value:.1f}%"
        if unit == "4f":
            return f"{value:.4f}"
        if unit == "s":
            return f"{value:.2f} s"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return str(value)


def rows(flat: Mapping[str, Any]) -> list[tuple[str, str, str, str]]:
    """(metric, value, target, status) rows for every metric that was measured."""
    table = []
    for key, (label, op, threshold, unit) in TARGETS.items():
        if key not in flat:
            continue
        value = flat[key]
        if value is None and not op:
            continue
        target, status = "", ""
        if op:
            limit = flat.get(threshold) if isinstance(threshold, str) else threshold
            shown = "lead-3" if isinstance(threshold, str) else _fmt(threshold, unit)
            target = f"{op} {shown}"
            if value is None or limit is None:
                status = "n/a"
            else:
                ok = value >= limit if op == ">=" else value <= limit
                status = "PASS" if ok else "FAIL"
        note = flat.get(f"{key}_note")
        shown_value = _fmt(value, unit) + (f" ({note})" if note else "")
        table.append((label, shown_value, target, status))
    return table


def markdown_table(flat: Mapping[str, Any]) -> str:
    """The rows as a Markdown table."""
    lines = ["| Metric | Value | Target | Status |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows(flat)]
    return "\n".join(lines)


def print_table(section: str, metrics: Mapping[str, Any]) -> None:
    """Print one section's metrics as an aligned text table."""
    table = rows({f"{section}.{k}": v for k, v in metrics.items()})
    width = max((len(r[0]) for r in table), default=10)
    for label, value, target, status in table:
        print(f"{label:<{width}}  {value:>14}  {target:>10}  {status}")


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or the platform's guess)."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    import os

    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def write_latest(results: Mapping[str, Any], path: Path | None = None) -> Path:
    """Write every result, the machine and the date to ``results/latest.json``."""
    target = path or RESULTS / "latest.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "machine": machine(),
        **results,
        "table": [
            dict(zip(("metric", "value", "target", "status"), r, strict=True))
            for r in rows(flatten(results))
        ],
    }
    target.write_text(json.dumps(document, indent=2, default=str) + "\n", encoding="utf-8")
    return target


def update_readme(results: Mapping[str, Any], readme: Path = README) -> None:
    """Replace the text between the bench markers (adding the section if missing)."""
    info = machine()
    date = datetime.now(UTC).date().isoformat()
    body = (
        f"Measured {date} on {info['cpu']} ({info['cores']} cores) by `python -m benchmarks`"
        " (details in `benchmarks/results/latest.json`).\n\n" + markdown_table(flatten(results))
    )
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    block = f"{START}\n{body}\n{END}"
    if START in text and END in text and text.index(START) < text.index(END):
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + "## Benchmarks\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")
