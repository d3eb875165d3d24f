"""Where a generation server's API key is kept: never in the settings file.

A key is looked up, in order, in the ``NEWSDESK_API_KEY`` environment
variable, the system keyring (service ``Newsdesk``, one entry per server base
URL), then in memory (a key given earlier in this session). Machines without
a keyring backend (headless servers, CI) keep a saved key in memory only, and
:func:`store_api_key` says so, so that the user knows to set the variable.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

API_KEY_ENV = "NEWSDESK_API_KEY"
KEYRING_SERVICE = "Newsdesk"

_session_keys: dict[str, str] = {}


def api_key(base_url: str) -> str | None:
    """The key to send to the server at ``base_url``, or None when there is none."""
    from_env = os.environ.get(API_KEY_ENV, "").strip()
    if from_env:
        return from_env
    ring = _keyring()
    if ring is not None:
        try:
            stored = ring.get_password(KEYRING_SERVICE, _entry(base_url))
        except Exception:  # a locked or broken keyring: fall through to memory
            stored = None
        if stored:
            return str(stored)
    return _session_keys.get(_entry(base_url))


def store_api_key(base_url: str, key: str) -> str:
    """Keep ``key`` for ``base_url`` (an empty key forgets it); returns where, in words."""
    entry = _entry(base_url)
    key = key.strip()
    ring = _keyring()
    if not key:
        _session_keys.pop(entry, None)
        if ring is not None:
            with contextlib.suppress(Exception):  # nothing stored, or no usable keyring
                ring.delete_password(KEYRING_SERVICE, entry)
        return "The API key was removed."
    if ring is not None:
        try:
            ring.set_password(KEYRING_SERVICE, entry, key)
        except Exception as error:  # locked keyring, no D-Bus session, ...
            _session_keys[entry] = key
            return (
                f"The system keyring refused the API key ({error}); it is kept for this "
                f"session only. Set {API_KEY_ENV} to keep it."
            )
        _session_keys.pop(entry, None)
        return "The API key is kept in the system keyring."
    _session_keys[entry] = key
    return (
        f"There is no system keyring here: the API key is kept for this session only. "
        f"Set {API_KEY_ENV} to keep it."
    )


def keyring_name() -> str | None:
    """The usable system keyring's name, or None when there is none."""
    ring = _keyring()
    return None if ring is None else type(ring).__name__


def _keyring() -> Any:
    """The system keyring backend, or None when only keyring's 'fail' backend exists."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    ring = keyring.get_keyring()
    backends = getattr(ring, "backends", [ring])  # a ChainerBackend wraps several
    if not backends or all(isinstance(b, fail.Keyring) for b in backends):
        return None
    return ring


def _entry(base_url: str) -> str:
    return base_url.strip().rstrip("/")
