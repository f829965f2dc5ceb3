"""Templates written by a coach that go wrong across files, run too long, or are put in the
wrong place: a user error (exit 2) naming the template and line, or a warning (exit 0).
The one-file cases are in test_hostile.py."""

from __future__ import annotations

import re

import pytest

from test_hostile import built_template, built_workspace, snapshot  # noqa: F401 - fixtures

FRONT = "templates/cards/story-front.md.j2"


def _write(ws, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def _fails_at(result, rel: str) -> str:
    """The first line of a clean user error located in ``rel``, with a hint."""
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    first = result.err.splitlines()[0]
    assert re.match(rf"^{re.escape(rel)}:\d+: ", first), result.err
    assert "\n    hint: " in result.err, result.err
    return first


def test_include_cycle_names_the_chain(built_workspace, run_cli):
    before = snapshot(built_workspace)
    _write(built_workspace, {FRONT: 'x\n{% include "parts/a.md.j2" %}\n',
                             "templates/parts/a.md.j2": '{% include "parts/b.md.j2" %}\n',
                             "templates/parts/b.md.j2": '\n{% include "parts/a.md.j2" %}\n'})
    first = _fails_at(run_cli("build", built_workspace), FRONT)
    assert first.startswith(f"{FRONT}:2: ")
    assert "(templates/cards/story-front.md.j2 -> templates/parts/a.md.j2 -> templates/parts/b.md.j2 -> " \
           "templates/parts/a.md.j2)" in first
    assert snapshot(built_workspace) == before
