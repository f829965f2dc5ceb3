"""Counting the faces the size search sets, for tests of what is set where and when."""

from __future__ import annotations

from deckbuilder.outputs import faces


def searches_here(monkeypatch) -> list[tuple]:
    """The faces this process sets by the size search from now on, as (markdown, style, side)
    keys in order; a forked process's searches never reach the list."""
    keys: list[tuple] = []
    real = faces.set_to_fit

    def counting(*key):
        keys.append(key)
        return real(*key)

    monkeypatch.setattr(faces, "set_to_fit", counting)
    return keys
