"""The ``newsdesk`` command as a terminal user runs it, on the real models."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from desktop.cli.main import main
from tests.conftest import SAMPLE

pytestmark = pytest.mark.models


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_add_ask_brief_export_list_remove(tmp_path: Path, capsys, monkeypatch) -> None:
    lib = str(tmp_path / "lib")
    status, out, _ = run(capsys, "--library", lib, "add", str(SAMPLE))
    assert status == 0 and "added [1] Eight rockets target US embassy" in out

    status, out, _ = run(capsys, "--library", lib, "add", str(SAMPLE))
    assert status == 0 and "already there" in out

    answer_file = tmp_path / "answer.json"
    status, out, _ = run(
        capsys, "--library", lib, "ask", "How many rockets were fired at the Green Zone?",
        "--export", str(answer_file),
    )  # fmt: skip
    assert status == 0
    assert "eight" in out.lower() and "[1] Eight rockets target US embassy" in out
    exported = json.loads(answer_file.read_text(encoding="utf-8"))
    assert "launched eight rockets" in exported["citations"][0]["quote"]

    status, out, _ = run(capsys, "--library", lib, "brief", "--article", "1")
    assert status == 0 and "TIMELINE" in out and "November 17" in out

    monkeypatch.setattr("sys.stdin", io.StringIO("The council approved the new budget on Monday."))
    status, out, _ = run(capsys, "--library", lib, "add", "-", "--title", "Budget")
    assert status == 0 and "added [2] Budget" in out

    status, out, _ = run(capsys, "--library", lib, "list")
    assert "[  1] Eight rockets" in out and "[  2] Budget" in out
    status, out, _ = run(capsys, "--library", lib, "remove", "2")
    assert status == 0
    status, out, _ = run(capsys, "--library", lib, "list")
    assert "Budget" not in out


def test_failures_are_explained_and_exit_non_zero(tmp_path: Path, capsys) -> None:
    lib = str(tmp_path / "lib")
    status, _, err = run(capsys, "--library", lib, "add", str(tmp_path / "missing.txt"))
    assert status == 1 and "missing.txt" in err and "no such file" in err
    status, _, err = run(capsys, "--library", lib, "remove", "42")
    assert status == 1 and "no article with id 42" in err
    for command in (["ask", "Who fired them?"], ["brief"]):
        status, out, err = run(capsys, "--library", lib, *command, "--article", "99")
        assert status == 1 and "no article with id 99" in err and not out
    run(capsys, "--library", lib, "add", str(SAMPLE))
    status, _, err = run(
        capsys, "--library", lib, "ask", "How many rockets?", "--export", str(tmp_path / "a.xyz")
    )
    assert status == 1 and "unsupported export format" in err


def test_options_work_after_the_command_too() -> None:
    from desktop.cli.main import build_parser

    parser = build_parser()
    after = parser.parse_args(["ask", "Who?", "--library", "/tmp/lib", "--model", "m"])
    assert (str(after.library), after.model) == ("/tmp/lib", "m")
    before = parser.parse_args(["--library", "/tmp/lib", "--fallback", "add", "x.txt"])
    assert str(before.library) == "/tmp/lib" and before.fallback is True
    assert parser.parse_args(["ask", "Who?", "--no-fallback"]).fallback is False
