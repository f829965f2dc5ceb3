"""What parsing and compiling the workspace's templates found is kept in the user's cache
folder, so a warm ``check`` parses none of them; a kept answer never hides a problem an edit
brings, and the warnings and errors are the same with the cache as without it."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from deckbuilder import cache
from deckbuilder.errors import Problem, Report
from deckbuilder.render import template_facts, template_warnings, templates

FRONT = "cards/story-front.md.j2"


def _new_process() -> None:
    """Forget what this process keeps of templates/ (as a new process would)."""
    templates._environment.cache_clear()
    templates._facts.cache_clear()
    template_warnings.workspace_warnings.cache_clear()


def _look(folder: Path, parses: list[int] | None = None) -> tuple[list[Problem], list[Problem]]:
    """(warnings, compile problems) of ``folder`` as a fresh ``check`` sees them; the number of
    Jinja parses it took is added to ``parses``."""
    _new_process()
    original, count = jinja2.Environment.parse, [0]

    def parse(*args, **kwargs):
        count[0] += 1
        return original(*args, **kwargs)

    jinja2.Environment.parse = parse  # type: ignore[method-assign]
    try:
        report = Report()
        found = templates.Templates(folder, report)
        return report.problems, found.compile_problems()
    finally:
        jinja2.Environment.parse = original  # type: ignore[method-assign]
        _new_process()
        if parses is not None:
            parses.append(count[0])


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(cache.OFF_ENV, raising=False)
    folder = tmp_path / "ws" / "templates"
    (folder / "cards").mkdir(parents=True)
    (folder / "parts").mkdir()
    (folder / FRONT).write_text('{{ story.title }} ✓ \u0378\n{% include "parts/cue.md.j2" %}\n', "utf-8")
    (folder / "parts/cue.md.j2").write_text("cue\n", "utf-8")
    (folder / "story-back.md.j2").write_text("misplaced\n", "utf-8")  # overrides nothing
    yield folder
    _new_process()


def _same_size_edit(path: Path, text: str) -> None:
    """Replace ``path``'s text with ``text`` of the same size, keeping its modification time."""
    status = path.stat()
    data = text.encode("utf-8")
    assert len(data) == status.st_size
    path.write_bytes(data)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def test_a_warm_run_parses_nothing_and_finds_what_a_cold_one_does(folder, monkeypatch):
    parses: list[int] = []
    cold = _look(folder, parses)
    assert [(p.file, p.line, p.message[:22]) for p in cold[0]] == [
        (f"templates/{FRONT}", 1, "no bundled font has '\u0378'"[:22]),
        ("templates/story-back.md.j2", None, "overrides nothing; did "[:22])]
    assert cold[1] == []
    assert _look(folder, parses) == cold
    monkeypatch.setenv(cache.OFF_ENV, "1")
    assert _look(folder, parses) == cold
    assert parses == [3, 0, 3]  # each file once: the compile pass follows the references the warnings found


@pytest.mark.parametrize("edit, expected", [
    ("{{ story.title }\n", "template syntax error"),
    ("{{ x | no_such_filter }}\n", "template syntax error"),  # found when compiling, not parsing
    (b"caf\xe9\n", "template is not UTF-8 text"),
    ("x" * (1 << 20) + "\n", "templates are limited to"),
], ids=["syntax", "unknown filter", "not UTF-8", "too big"])
def test_an_edit_between_two_runs_is_found(folder, monkeypatch, edit, expected):
    parses: list[int] = []
    assert _look(folder, parses)[1] == [] and _look(folder, parses)[1] == [] and parses[1] == 0  # kept
    target = folder / "parts/cue.md.j2"  # reached only through the include
    target.write_bytes(edit if isinstance(edit, bytes) else edit.encode("utf-8"))
    warm = _look(folder)
    assert [p.file for p in warm[1]] == ["templates/parts/cue.md.j2"] and expected in warm[1][0].message
    monkeypatch.setenv(cache.OFF_ENV, "1")
    assert _look(folder) == warm  # the same problems and warnings as without the cache


def test_an_edit_that_keeps_size_and_time_is_found(folder):
    assert _look(folder)[1] == []
    _same_size_edit(folder / "parts/cue.md.j2", "{{ }")
    assert "syntax error" in _look(folder)[1][0].message


def test_warnings_follow_an_edit(folder):
    _look(folder)
    (folder / FRONT).write_text('{% include "parts/cue.md.j2" %}\n', "utf-8")  # no odd character
    assert [p.file for p in _look(folder)[0]] == ["templates/story-back.md.j2"]
    (folder / "parts/cue.md.j2").write_text("\u0378\n", "utf-8")  # used through the include: warned
    assert [(p.file, p.line) for p in _look(folder)[0]] == [("templates/parts/cue.md.j2", 1),
                                                             ("templates/story-back.md.j2", None)]
    (folder / "story-back.md.j2").rename(folder / "cards/story-back.md.j2")  # now a real override
    assert [p.file for p in _look(folder)[0]] == ["templates/parts/cue.md.j2"]
    (folder / FRONT).write_text("no include\n", "utf-8")  # cue.md.j2 is used by nothing: no warning
    assert _look(folder) == ([], [])


def test_a_damaged_or_foreign_entry_is_a_miss_and_is_written_again(folder):
    _look(folder)
    (entry,) = (folder.parent.parent / "cache" / template_facts.KIND).iterdir()
    kept = entry.read_bytes()
    for damaged in (b"", kept[:-3], kept[:-5] + bytes([kept[-5] ^ 1]) + kept[-4:],
                    kept.replace(b'"compiles": true', b'"compiles": 1')):
        entry.write_bytes(damaged)
        assert _look(folder)[1] == [] and entry.read_bytes() == kept


def test_a_change_of_code_or_jinja_is_a_miss(folder, monkeypatch):
    _look(folder)
    parses: list[int] = []
    monkeypatch.setattr(jinja2, "__version__", "0.0-other")
    template_facts.fingerprint.cache_clear()
    try:
        _look(folder, parses)
    finally:
        template_facts.fingerprint.cache_clear()
    monkeypatch.setattr(template_facts, "_SOURCES", (*template_facts._SOURCES, "fonts.py"))
    template_facts._own_source.cache_clear()
    try:
        _look(folder, parses)
    finally:
        template_facts._own_source.cache_clear()
    assert parses == [3, 3]


def test_nothing_is_kept_with_the_cache_off(folder, monkeypatch):
    monkeypatch.setenv(cache.OFF_ENV, "1")
    _look(folder)
    assert not (folder.parent.parent / "cache").exists()


def test_a_file_edited_while_compiling_gets_no_clean_result_kept(folder, monkeypatch):
    original = templates.Templates._get
    misplaced = folder / "story-back.md.j2"

    def get_then_edit(self, name):
        misplaced.write_text("edited meanwhile\n", "utf-8")
        return original(self, name)

    monkeypatch.setattr(templates.Templates, "_get", get_then_edit)
    _look(folder)
    (entry,) = (folder.parent.parent / "cache" / template_facts.KIND).iterdir()
    assert b'"compiles"' not in entry.read_bytes()  # the references are kept: they are of the bytes read first


def test_check_after_an_edit_reports_the_new_problem(built_workspace, run_cli):
    """The brief's case end to end: two clean checks (the second one from the cache), then an
    edit that breaks an included template: the third check reports it at its line."""
    for sub in ("parts", "cards"):
        (built_workspace / "templates" / sub).mkdir(parents=True, exist_ok=True)
    (built_workspace / "templates" / FRONT).write_text('{{ story.title }}\n{% include "parts/cue.md.j2" %}\n', "utf-8")
    (built_workspace / "templates/parts/cue.md.j2").write_text("cue\n", "utf-8")
    for _ in range(2):
        _new_process()
        assert run_cli("check", built_workspace).code == 0
    (built_workspace / "templates/parts/cue.md.j2").write_text("cue\n{% if x %}\n", "utf-8")
    _new_process()
    result = run_cli("check", built_workspace)
    assert result.code == 2 and result.err.startswith("templates/parts/cue.md.j2:2: template syntax error"), result.err
