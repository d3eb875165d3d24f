"""``newsdesk --self-test``: prove an installation answers, offline, from its own models.

Headless: a temporary library receives the bundled sample article, the
packaged models answer "How many rockets were fired at the Green Zone?", and
the run passes only if the answer says eight and its first citation is the
paragraph reporting that eight rockets were launched. Every network call is
refused and recorded (:class:`NetworkGuard`); any attempt fails the run.

Converted model weights go to the usual cache folder (``NEWSDESK_CACHE_DIR``
picks another), so a second self-test skips the one-time conversion.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.cli.network_guard import NetworkGuard
from retrieval.resources import bundle_root, sample_article
from retrieval.settings import Settings
from retrieval.types import Answer

QUESTION = "How many rockets were fired at the Green Zone?"
EXPECTED_PARAGRAPH = "launched eight rockets"
_EIGHT = re.compile(r"\b(eight|8)\b", re.IGNORECASE)


def check_answer(answer: Answer) -> list[str]:
    """What is wrong with the self-test's answer (nothing when it passes)."""
    problems: list[str] = []
    if answer.declined:
        problems.append("the question was declined")
    if not _EIGHT.search(answer.text):
        problems.append(f"the answer does not say eight: {answer.text!r}")
    if not answer.citations:
        problems.append("the answer cites nothing")
    elif EXPECTED_PARAGRAPH not in answer.citations[0].paragraph_text:
        first = answer.citations[0]
        problems.append(
            f"the first citation is ¶{first.paragraph_index + 1} "
            f"({first.paragraph_text[:60]!r}…), not the paragraph saying "
            f"{EXPECTED_PARAGRAPH!r}"
        )
    return problems


def run_self_test(
    settings: Settings,
    make_desk: Callable[[Settings], Any] | None = None,
    say: Callable[[str], None] = print,
) -> int:
    """Run the self-test, reporting each step through ``say``; 0 when it passes."""
    if make_desk is None:
        from retrieval.engine import Newsdesk  # torch: only once the test starts

        make_desk = Newsdesk
    started = time.perf_counter()
    where = bundle_root()
    say(f"self-test: running from {'the bundle ' + str(where) if where else 'source'}")
    with tempfile.TemporaryDirectory(prefix="newsdesk-self-test-") as folder:
        local = settings.model_copy(update={"library": Path(folder) / "library"})
        with NetworkGuard() as guard:
            try:
                answer = _ask_sample(make_desk, local, say)
                problems = check_answer(answer)
            except Exception as error:  # every failure is a failed self-test, in words
                problems = [f"{type(error).__name__}: {error}"]
    problems += [f"tried to use the network: {what}" for what in guard.attempts]
    total = time.perf_counter() - started
    for problem in problems:
        say(f"self-test: FAIL: {problem}")
    verdict = "FAIL" if problems else "PASS"
    say(f"self-test: {verdict} in {total:.1f} s (no network use: {not guard.attempts})")
    return 1 if problems else 0


def _ask_sample(make_desk: Callable[[Settings], Any], settings: Settings, say: Any) -> Answer:
    clock = _Clock()
    desk = make_desk(settings)
    try:
        say(f"self-test: library {settings.library} (temporary), cache {settings.cache_dir}")
        desk.load_models()
        say(f"self-test: models loaded in {clock.lap():.1f} s{_model_note(desk)}")
        for step in desk.add([str(sample_article())]):
            if step.error is not None:
                raise RuntimeError(f"could not add the sample: {step.error.reason}")
        say(f"self-test: added {sample_article().name} in {clock.lap():.1f} s")
        answer: Answer = desk.ask(QUESTION)
        say(f"self-test: asked {QUESTION!r} in {clock.lap():.1f} s")
    finally:
        desk.close()
    say(f"self-test: answer: {answer.text}")
    for n, citation in enumerate(answer.citations, 1):
        title = citation.article_title
        say(f"self-test: [{n}] {title} ¶{citation.paragraph_index + 1}: “{citation.quote}”")
    return answer


def _model_note(desk: Any) -> str:
    """Says whether the packaged GGUF was converted during this run."""
    generator = getattr(desk, "generator", None)
    if getattr(generator, "converted", False):
        return " (the packaged GGUF was converted into the cache during this run)"
    return ""


class _Clock:
    def __init__(self) -> None:
        self._last = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        elapsed, self._last = now - self._last, now
        return elapsed
