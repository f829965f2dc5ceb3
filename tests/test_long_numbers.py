"""A number far too long to be meant (thousands of digits) is a mistake in the user's file:
``check`` names its file and line and exits 2, with the cache on or off, and never fails with
Python's 'Exceeds the limit (4300 digits) for integer string conversion' (status 1)."""

from __future__ import annotations

import pytest

from deckbuilder import cache


@pytest.mark.parametrize("number", ["0x" + "f" * 4000, "1" * 5000], ids=["hex", "decimal"])
@pytest.mark.parametrize("cached", [True, False], ids=["cache", "no-cache"])
def test_a_number_of_thousands_of_digits_is_reported_at_its_line(run_cli, make_workspace, monkeypatch, tmp_path,
                                                                   number, cached):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    if not cached:
        monkeypatch.setenv(cache.OFF_ENV, "1")
    root = make_workspace({"content/extra.yaml": f"reminders:\n  - fine\n  - {number}\n"})
    for _ in range(2):  # the second run with what the first stored
        result = run_cli("check", root)
        assert result.code == 2, result.err
        assert "content/extra.yaml:3: " in result.err and "internal error" not in result.err
        assert "hint: " in result.err
