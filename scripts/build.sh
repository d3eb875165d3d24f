#!/usr/bin/env bash
# Build the one-folder app dist/Newsdesk/ from build.spec: sets up .venv (the
# app, its models and the pinned PyInstaller of the `bundle` extra) first.
# Works on a fresh machine; run dist/Newsdesk/Newsdesk --self-test afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! .venv/bin/python -c "import PyInstaller" >/dev/null 2>&1; then
    .venv/bin/python -m pip install --quiet -e ".[bundle]"
fi
started=$(date +%s)
.venv/bin/pyinstaller --noconfirm --log-level WARN build.spec
echo "built dist/Newsdesk in $(( $(date +%s) - started )) s ($(du -sh dist/Newsdesk | cut -f1))"
