"""Take the window's screenshots for docs/screenshots/ (1280×800, and each screen size).

Runs the real app on a throw-away library (the user's library and settings
are untouched) under Xvfb when there is no display, or offscreen as a last
resort. By default the real packaged models answer; ``--fake`` uses the test
fakes for a quick run.

Usage::

    python scripts/screenshots.py [--fake] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUESTION = "How many rockets were fired at the Green Zone?"
SIZES = [(1024, 700), (1280, 800), (1366, 768), (1920, 1080)]
SQUAD = ROOT.parent / "shared" / "eval" / "squad" / "articles"


def ensure_display() -> subprocess.Popen[bytes] | None:
    """Start Xvfb when there is no display; returns the process to stop later."""
    if os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    read_end, write_end = os.pipe()
    process = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        display = ":" + pipe.readline().strip()  # Xvfb picks a free display
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return process


def main() -> int:
    """Drive the window through each view and save a PNG of it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fake", action="store_true", help="use the fast test models")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    xvfb = ensure_display()
    try:
        return shoot(args.out, args.fake)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)


def shoot(out: Path, fake: bool) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.gui.app import create_window, make_application
    from desktop.gui.settings_dialog import SettingsDialog
    from desktop.gui.startup import READY
    from retrieval.settings import RetrievalSettings, Settings

    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="newsdesk-shots-"))
    app = make_application([sys.argv[0]])
    desk = None
    settings = Settings(library=work / "library")
    from retrieval.engine import Newsdesk
    from tests.support.fakes import HashingEmbedder, ScriptedGenerator

    if fake:
        answering = RetrievalSettings(decline_threshold=0.0, verifier=False)
        settings = Settings(library=work / "library", retrieval=answering)
        desk = Newsdesk(settings, embedder=HashingEmbedder(), generator=ScriptedGenerator())
    state = QSettings(str(work / "window.ini"), QSettings.Format.IniFormat)
    window = create_window(settings, desk=desk, state=state, settings_path=work / "settings.json")
    window.resize(1280, 800)

    def wait(condition: Callable[[], bool], timeout: float = 240.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not get there in time")
            app.processEvents()
            time.sleep(0.01)

    def settle(seconds: float = 0.4) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    def save(name: str, widget: object = window) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))  # type: ignore[attr-defined]
        print(f"saved {path}")

    wait(lambda: window.library.model.rowCount() >= 1)
    if SQUAD.is_dir():
        window.library.add_items([str(p) for p in sorted(SQUAD.glob("*.txt"))[:6]])
        wait(lambda: not window.library.is_adding())
    wait(lambda: window.model_status.text() == READY)
    sample = next(a for a in window.library.model.articles() if "rockets" in a.title.lower())
    window.library.select_ids([sample.id])
    save("library")

    try:  # suggested questions for the selected article (checked by the answer pipeline)
        wait(lambda: bool(window.ask._suggested), timeout=90)
    except TimeoutError:
        print("no suggested questions came (they are optional)")
    earlier = window.ask.ask("Who launched the rockets?")
    wait(lambda: earlier.answer is not None)
    turn = window.ask.ask(QUESTION)
    wait(lambda: turn.answer is not None)
    save("answer")

    cited = window.ask.latest_citation(1)
    window.show_citation(cited)
    save("citation")

    # The sample's near miss: it gives the injured, not the dead.
    near_miss = window.ask.ask("How many people were killed in Sunday's attack?")
    wait(lambda: near_miss.answer is not None)
    save("declined")

    window.tabs.setCurrentWidget(window.briefing)
    window.briefing.generate()
    wait(lambda: window.briefing.briefing is not None)
    save("briefing")

    dialog = SettingsDialog(window.settings, window)
    dialog.show()
    save("settings", dialog)
    dialog.close()

    window.tabs.setCurrentWidget(window.history_panel)
    window.history_panel.tree.expandAll()
    save("history")

    window.tabs.setCurrentWidget(window.ask)
    for width, height in SIZES:
        window.resize(width, height)
        save(f"size-{width}x{height}")
    window.resize(1280, 800)

    # Close and relaunch on the same library: yesterday's conversation and briefing are back.
    window.close()
    if desk is not None:
        desk.close()
        desk = Newsdesk(settings, embedder=HashingEmbedder(), generator=ScriptedGenerator())
    settle(1.0)
    window = create_window(settings, desk=desk, state=state, settings_path=work / "settings.json")
    window.resize(1280, 800)
    wait(lambda: window.library.model.rowCount() >= 1 and bool(window.ask.turns))
    wait(lambda: window.model_status.text() == READY)
    save("relaunch")

    dark = window.settings.model_copy(
        update={"ui": window.settings.ui.model_copy(update={"theme": "dark"})}
    )
    window.apply_settings(dark, models_changed=False)
    window.tabs.setCurrentWidget(window.ask)
    window.show_citation(window.ask.latest_citation(1) or cited)
    save("dark")
    window.tabs.setCurrentWidget(window.briefing)
    save("dark-briefing")
    dialog = SettingsDialog(window.settings, window)
    dialog.show()
    save("dark-settings", dialog)
    dialog.close()

    window.resize(1920, 1080)
    window.tabs.setCurrentWidget(window.ask)
    save("dark-1920x1080")

    window.close()
    if desk is not None:
        desk.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
