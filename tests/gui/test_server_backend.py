"""The window with a generation server: choosing it, its API key, and who answered."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from desktop.gui.main_window import MainWindow
from desktop.gui.settings_dialog import SettingsDialog
from retrieval.backends.api_keys import api_key, store_api_key
from retrieval.backends.base import Generator
from retrieval.backends.fallback import FallbackGenerator
from retrieval.backends.server import ServerGenerator
from retrieval.settings import ServerSettings, Settings
from tests.gui.test_window import QUESTION, ask_and_wait, close_window, make_window
from tests.support.fake_server import FakeChatServer, free_port
from tests.support.fakes import ScriptedGenerator

SERVER_URL = "http://gpu-box.example:8000/v1"


class MemoryKeyring(KeyringBackend):
    """A system keyring stand-in (CI machines have none)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def window_with(qtbot, tmp_path: Path, generator: Generator) -> MainWindow:  # noqa: ANN001
    window = make_window(qtbot, tmp_path, add_sample=True, generator=generator)
    qtbot.waitUntil(lambda: window.library.model.rowCount() == 1, timeout=20000)
    return window


def server(url: str, retries: int = 0) -> ServerGenerator:
    config = ServerSettings(base_url=url, model="big-model", retries=retries, timeout_seconds=5)
    return ServerGenerator(config, key=None)


def fill_in_a_server(dialog: SettingsDialog, key: str) -> None:
    backend = dialog.backend
    backend.kind.setCurrentIndex(1)
    backend.url.setText(SERVER_URL)
    backend.model.setText("Qwen/Qwen2.5-7B-Instruct")
    backend.key.setFocus()
    backend.key.textEdited.emit(key)  # as typing does
    backend.key.setText(key)
    backend.fallback.setChecked(True)


def test_choosing_a_server_saves_it_and_keeps_the_key_in_the_keyring(
    qtbot,  # noqa: ANN001
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    window = window_with(qtbot, tmp_path, ScriptedGenerator())
    try:
        dialog = SettingsDialog(window.settings, window)
        qtbot.addWidget(dialog)
        fill_in_a_server(dialog, "sk-very-secret")
        assert dialog.models_changed()
        window.apply_settings(
            dialog.edited_settings(), dialog.models_changed(), dialog.backend.api_key_change()
        )
        text = (tmp_path / "settings.json").read_text(encoding="utf-8")
        saved = json.loads(text)["generation"]
        assert saved["backend"] == "server"
        assert saved["server"]["base_url"] == SERVER_URL
        assert saved["server"]["model"] == "Qwen/Qwen2.5-7B-Instruct"
        assert saved["server"]["allow_fallback"] is True
        assert "sk-very-secret" not in text
        assert memory_keyring.items == {("Newsdesk", SERVER_URL): "sk-very-secret"}
        assert api_key(SERVER_URL) == "sk-very-secret"
        message = window.statusBar().currentMessage()
        assert "restarts" in message and "kept in the system keyring" in message
        reopened = SettingsDialog(window.settings, window)
        qtbot.addWidget(reopened)
        assert reopened.backend.kind.currentData() == "server"
        assert reopened.backend.key.text() == ""  # never shown again
        assert "A key is saved" in reopened.backend.key.placeholderText()
    finally:
        close_window(qtbot, window)


def test_without_a_keyring_the_key_lasts_for_the_session_and_the_user_is_told(
    qtbot,  # noqa: ANN001
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", fail.Keyring)
    window = window_with(qtbot, tmp_path, ScriptedGenerator())
    try:
        dialog = SettingsDialog(window.settings, window)
        qtbot.addWidget(dialog)
        fill_in_a_server(dialog, "sk-session-only")
        window.apply_settings(
            dialog.edited_settings(), dialog.models_changed(), dialog.backend.api_key_change()
        )
        assert "sk-session-only" not in (tmp_path / "settings.json").read_text(encoding="utf-8")
        assert api_key(SERVER_URL) == "sk-session-only"
        message = window.statusBar().currentMessage()
        assert "no system keyring" in message and "NEWSDESK_API_KEY" in message
    finally:
        store_api_key(SERVER_URL, "")
        close_window(qtbot, window)
    assert api_key(SERVER_URL) is None


def test_the_server_fields_are_off_while_the_local_model_is_chosen(
    qtbot,  # noqa: ANN001
) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    backend = dialog.backend
    assert backend.kind.currentData() == "local"
    assert not backend.url.isEnabled() and not backend.fallback.isEnabled()
    backend.kind.setCurrentIndex(1)
    assert backend.url.isEnabled() and backend.model.isEnabled() and backend.key.isEnabled()
    assert backend.api_key_change() is None  # untouched: the saved key stays


def test_the_answer_and_briefing_say_which_backend_phrased_them(
    qtbot,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    fake = FakeChatServer().start()
    window = window_with(qtbot, tmp_path, server(fake.url))
    try:
        turn = ask_and_wait(qtbot, window, QUESTION)
        assert not turn.answer.declined
        assert "Phrased by big-model at 127.0.0.1" in window.ask.view.toPlainText()
        window.briefing.generate()
        qtbot.waitUntil(lambda: window.briefing.briefing is not None, timeout=20000)
        assert "Phrased by big-model at 127.0.0.1" in window.briefing.view.toPlainText()
    finally:
        close_window(qtbot, window)
        fake.stop()


def test_a_server_that_is_down_is_explained_and_the_question_stays(
    qtbot,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    window = window_with(qtbot, tmp_path, server(f"http://127.0.0.1:{free_port()}/v1"))
    try:
        turn = window.ask.ask(QUESTION)
        qtbot.waitUntil(lambda: bool(window.errors), timeout=20000)
        title, message = window.errors[-1]
        assert "Could not connect to the server at http://127.0.0.1" in message
        assert "is it running?" in message
        qtbot.waitUntil(lambda: turn.status.startswith("Could not answer"), timeout=5000)
        assert QUESTION in window.ask.view.toPlainText()
        assert window.library.model.rowCount() == 1
    finally:
        close_window(qtbot, window)


def test_with_fallback_the_window_shows_the_local_answer_and_says_why(
    qtbot,  # noqa: ANN001
    tmp_path: Path,
) -> None:
    fake = FakeChatServer().start()
    fake.mode = "drop"  # two words, then the connection breaks
    generator = FallbackGenerator(server(fake.url), ScriptedGenerator)
    window = window_with(qtbot, tmp_path, generator)
    try:
        turn = ask_and_wait(qtbot, window, QUESTION)
        assert not window.errors
        shown = window.ask.view.toPlainText()
        assert "An Iraqi military statement" in shown and "An Iraqi An Iraqi" not in shown
        assert "Phrased by scripted test generator, standing in for the server" in shown
        assert turn.answer.backend.startswith("scripted test generator, standing in")
    finally:
        close_window(qtbot, window)
        fake.stop()
