"""Launch the bundled app's window under X and time it until the window shows.

Starts ``dist/Newsdesk/Newsdesk`` (no arguments: the window) on an Xvfb
display with a throw-away library and settings, polls the X server until the
"Newsdesk" window is mapped, waits for it to settle, saves a screenshot, then
closes the app. Fails when the window never shows, the app dies, or its output
mentions a missing Qt plugin or a Python traceback.

Usage::

    python scripts/check_bundle_window.py [--app dist/Newsdesk/Newsdesk]
        [--settle 15] [--screenshot out/bundle-window.png]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import ROOT, ensure_display  # noqa: E402 - the same Xvfb start-up

TITLE = "Newsdesk"
BAD_OUTPUT = ("qt.qpa.plugin", "Could not load the Qt platform plugin", "Traceback")


def main() -> int:
    """Run the check; 0 when the window showed and nothing went wrong."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "Newsdesk" / "Newsdesk")
    parser.add_argument("--settle", type=float, default=15.0, help="seconds before the shot")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait")
    parser.add_argument("--screenshot", type=Path, default=ROOT / "out" / "bundle-window.png")
    args = parser.parse_args()
    if shutil.which("xwininfo") is None:
        print("check_bundle_window: xwininfo (x11-utils) is needed", file=sys.stderr)
        return 2
    os.environ.pop("QT_QPA_PLATFORM", None)  # this check needs a real X server
    xvfb = ensure_display()
    try:
        return check(args.app, args.settle, args.timeout, args.screenshot)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)


def check(app: Path, settle: float, timeout: float, screenshot: Path) -> int:
    """Launch ``app``, time its window, screenshot it and close it."""
    with tempfile.TemporaryDirectory(prefix="newsdesk-window-") as home:
        env = {**os.environ, "XDG_DATA_HOME": f"{home}/data", "XDG_CONFIG_HOME": f"{home}/config"}
        log = Path(home) / "app.log"
        with log.open("wb") as sink:
            started = time.perf_counter()
            process = subprocess.Popen([str(app)], env=env, stdout=sink, stderr=sink)
            try:
                shown = _wait_for_window(process, started, timeout)
                if shown is not None:
                    print(f"window shown {shown:.2f} s after launch")
                    time.sleep(settle)
                    _screenshot(screenshot)
                alive = process.poll() is None
            finally:
                process.terminate()
                process.wait(30)
        output = log.read_text(encoding="utf-8", errors="replace")
    problems = [f"the output says {bad!r}" for bad in BAD_OUTPUT if bad in output]
    if shown is None:
        problems.append(f"no {TITLE!r} window within {timeout:.0f} s")
    elif not alive:
        problems.append("the app exited while its window should be open")
    for problem in problems:
        print(f"check_bundle_window: FAIL: {problem}", file=sys.stderr)
    if problems:
        print(output[-4000:], file=sys.stderr)
        return 1
    print(f"window check passed; screenshot {screenshot}")
    return 0


def _wait_for_window(
    process: subprocess.Popen[bytes], started: float, timeout: float
) -> float | None:
    """Seconds from launch until the window is viewable; None if it never is."""
    while time.perf_counter() - started < timeout and process.poll() is None:
        found = subprocess.run(
            ["xwininfo", "-name", TITLE], capture_output=True, text=True, check=False
        )
        if "IsViewable" in found.stdout:
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


def _screenshot(target: Path) -> None:
    """Save the whole X screen (the window, as the user would see it)."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["check", "-platform", "xcb"])
    target.parent.mkdir(parents=True, exist_ok=True)
    app.primaryScreen().grabWindow(0).save(str(target))  # type: ignore[union-attr]


if __name__ == "__main__":
    sys.exit(main())
