"""What a command costs to start: only the modules it needs, and no plugin scan by pydantic."""

from __future__ import annotations

import os

from deckbuilder import cli


def _run(monkeypatch) -> str | None:
    """``cli.run()`` with the command and the process exit stubbed: the value pydantic would see."""
    seen: list[str | None] = []
    monkeypatch.setattr(cli.signal, "signal", lambda *args: None)
    monkeypatch.setattr(cli, "main", lambda: seen.append(os.environ.get("PYDANTIC_DISABLE_PLUGINS")) or 0)
    monkeypatch.setattr(cli, "exit_without_teardown", lambda code: None)
    cli.run()
    return seen[0]


def test_the_command_turns_pydantics_plugin_scan_off(monkeypatch):
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert _run(monkeypatch) == "__all__"


def test_a_users_own_pydantic_plugin_setting_is_kept(monkeypatch):
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "some-plugin")
    assert _run(monkeypatch) == "some-plugin"
