"""What an add is doing and what it did, in words: the time left and the closing summary.

The window and the CLI show the same lines: "3 of 12 · normans.txt: Embedding ·
about 40 s left" while adding, then "Added 11 articles (412 paragraphs); 1
skipped: 1 already in the library."
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from retrieval.text.words import plural
from retrieval.types import AddProgress

MIN_ELAPSED_S = 2.0  # before this, or before 5% is done, the time left is not guessed
MIN_PROGRESS = 0.05


@dataclass
class AddTally:
    """Counts the steps of one add (:class:`~retrieval.types.AddProgress`) as they come.

    Attributes:
        added: Articles stored.
        paragraphs: Paragraphs of the stored articles.
        already: Inputs skipped because the library already held them.
        failed: ``"source: reason"`` of each input that could not be added.
    """

    clock: Callable[[], float] = time.monotonic
    started: float = field(default=-1.0)
    added: int = 0
    paragraphs: int = 0
    already: int = 0
    failed: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    def count(self, step: AddProgress) -> None:
        """Take one step into the counts."""
        if step.error is not None:
            self.failed.append(f"{step.error.source}: {step.error.reason}")
        elif step.duplicate and step.article is not None:
            self.already += 1
        elif step.article is not None:
            self.added += 1
            self.paragraphs += step.article.paragraph_count

    def seconds_left(self, step: AddProgress) -> float | None:
        """Linear estimate of the seconds left (elapsed × left ÷ done), or None when too early."""
        elapsed = self.clock() - self.started
        progress = (step.done + step.fraction) / max(step.total, 1)
        if elapsed < MIN_ELAPSED_S or progress < MIN_PROGRESS or progress >= 1.0:
            return None
        return elapsed * (1.0 - progress) / progress

    def line(self, step: AddProgress) -> str:
        """The progress line: position, the input's name, what happens, the time left."""
        total = max(step.total, 1)
        text = f"{min(step.done + 1, total)} of {total} · {input_name(step.item)}: {step.message}"
        left = self.seconds_left(step)
        return f"{text} · {time_left(left)}" if left is not None else text

    def summary(self) -> str:
        """The closing line, e.g. "Added 3 articles (41 paragraphs); 1 skipped: 1 already …"."""
        text = f"Added {plural(self.added, 'article')} ({plural(self.paragraphs, 'paragraph')})"
        skipped = self.already + len(self.failed)
        if not skipped:
            return text + "."
        reasons = []
        if self.already:
            reasons.append(f"{self.already} already in the library")
        if self.failed:
            reasons.append(f"{len(self.failed)} could not be added")
        return f"{text}; {skipped} skipped: {', '.join(reasons)}."


def input_name(item: str, width: int = 48) -> str:
    """A path's or URL's last part (a title as it is), cut to ``width`` characters."""
    name = item.rstrip("/")
    if "://" not in item:
        name = PurePath(name).name or name
    return name if len(name) <= width else name[: width - 1] + "…"


def time_left(seconds: float) -> str:
    """``"about 40 s left"``, ``"about 3 min left"``, ``"a few seconds left"``."""
    if seconds < 8:
        return "a few seconds left"
    if seconds < 90:
        return f"about {int(round(seconds / 5.0) * 5)} s left"
    return f"about {round(seconds / 60)} min left"
