"""Templates written by a coach that go wrong across files, run too long, or are put in the
wrong place: a user error (exit 2) naming the template and line, or a warning (exit 0).
The one-file cases are in test_hostile.py."""

from __future__ import annotations

import re

import pytest
from conftest import snapshot

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


def test_template_that_runs_too_long_is_stopped(built_workspace, run_cli, monkeypatch):
    """Two nested range(100000) loops would run for minutes; the render's budget stops them.
    (The budget is cut from 5 s to keep the test fast.)"""
    from deckbuilder.render import templates

    monkeypatch.setattr(templates, "RENDER_SECONDS", 0.2)
    before = snapshot(built_workspace)
    _write(built_workspace, {FRONT: "{% for i in range(100000) %}\n{% for j in range(100000) %}{% endfor %}"
                                    "{% endfor %}\n"})
    first = _fails_at(run_cli("build", built_workspace), FRONT)
    assert first == f"{FRONT}:2: template took more than 0.2 s to render and was stopped here"
    assert snapshot(built_workspace) == before


def test_templates_slow_on_every_card_are_stopped_by_the_build_budget(tmp_path, monkeypatch):
    """Each render is within its own budget, but they add up (5 s on each of 100 cards)."""
    from deckbuilder.errors import UserError
    from deckbuilder.render import templates

    monkeypatch.setattr(templates, "BUILD_SECONDS", 0.15)
    _write(tmp_path, {FRONT: "{{ story }}\n{% for j in range(100000) %}{% endfor %}\n"})
    renderer = templates.Templates(tmp_path / "templates")
    with pytest.raises(UserError) as caught:
        for n in range(1000):
            renderer.render("cards/story-front.md.j2", story=n)
    assert caught.value.problems[0].format().startswith(
        f"{FRONT}:2: templates took more than 0.15 s in all in this build and were stopped here")


@pytest.mark.parametrize("body", [
    "{% macro f(n) %}{% if n < 40 %}{{ f(n + 1) }}{{ f(n + 1) }}{% endif %}{% endmacro %}{{ f(1) }}",
    "{% for i in [1, 2] recursive %}{% if loop.depth < 4 %}{{ loop(range(100000)) }}{% endif %}{% endfor %}",
    "{% for a in 'x' * 10000 %}{% for b in 'y' * 10000 %}{{ loop.index }}{% endfor %}{% endfor %}",
], ids=["branching macro", "recursive loop", "string loops"])
def test_other_ways_to_run_long_are_stopped_too(tmp_path, monkeypatch, body):
    from deckbuilder.errors import UserError
    from deckbuilder.render import templates

    monkeypatch.setattr(templates, "RENDER_SECONDS", 0.1)
    _write(tmp_path, {FRONT: body})
    with pytest.raises(UserError, match="took more than 0.1 s"):
        templates.Templates(tmp_path / "templates").render("cards/story-front.md.j2", story=None)


@pytest.mark.parametrize("tag, expected", [
    ('{% include "cards/story_back.md.j2" %}', "did you mean 'cards/story-back.md.j2'?"),
    ('{% extends "sheet/headers.md.j2" %}', "did you mean 'sheet/header.md.j2'?"),
    ('{% import "macros.md.j2" as m %}', "a template's name is its path inside templates/"),
])
def test_missing_template_names_the_including_line_and_the_closest_name(tmp_path, tag, expected):
    from deckbuilder.errors import UserError
    from deckbuilder.render.templates import Templates

    _write(tmp_path, {FRONT: "{{ story }}\n" + tag + "\n"})
    with pytest.raises(UserError) as caught:
        Templates(tmp_path / "templates").render("cards/story-front.md.j2", story="s")
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == (FRONT, 2), problem.format()
    assert re.fullmatch(r"template '[\w/.-]+' not found", problem.message), problem.message
    assert expected in problem.hint


def test_template_text_the_fonts_lack_and_a_misplaced_override_are_warnings(built_workspace, run_cli):
    # U+0378 and U+0379 are unassigned: no font on any machine has them
    _write(built_workspace, {FRONT: "{{ story.title }} \u0378\n{# \u0379 in a comment never prints #}\n"
                                    "{{ '\\u0379' }}\n",
                             "templates/story-back.md.j2": "{{ story.title }}\n"})
    result = run_cli("build", built_workspace)
    assert result.code == 0, result.err
    assert (f"{FRONT}:1: warning: no bundled font has '\u0378' (U+0378, line 1), '\u0379' (U+0379, line 3); "
            "it will be left out of the PDFs") in result.err
    assert ("templates/story-back.md.j2: warning: overrides nothing; did you mean "
            "templates/cards/story-back.md.j2?") in result.err
    template_warnings = [line for line in result.err.splitlines() if line.startswith("templates/")]
    assert len(template_warnings) == 2, result.err  # once per template, not per card


def test_check_gives_the_template_warnings_build_gives(built_workspace, run_cli):
    _write(built_workspace, {FRONT: "{{ story.title }} \u0378\n", "templates/story-back.md.j2": "{{ story.title }}\n"})
    result = run_cli("check", built_workspace)
    assert result.code == 0, result.err
    warnings = [line for line in (result.out + result.err).splitlines() if line.startswith("templates/")]
    assert [w.split(": warning: ")[0] for w in warnings] == [f"{FRONT}:1", "templates/story-back.md.j2"], warnings


def test_check_finds_syntax_errors_in_used_templates_and_ignores_unused_files(built_workspace, run_cli):
    """A broken override, or a broken file an override includes, fails check as it would fail
    the build (exit 2, file:line, both reported); a broken file nothing uses does neither."""
    _write(built_workspace, {FRONT: '{{ story.title }}\n{% include "parts/cue.md.j2" %}\n',
                             "templates/parts/cue.md.j2": "ok\n\n{% if story.triggers %}no endif\n",
                             "templates/cards/story-back.md.j2": "{{ story.title }\n",
                             "templates/drafts/old.md.j2": "{% for %}\n"})
    result = run_cli("check", built_workspace)
    first = _fails_at(result, "templates/cards/story-back.md.j2")
    assert first.startswith("templates/cards/story-back.md.j2:1: template syntax error"), result.err
    assert "templates/parts/cue.md.j2:3: template syntax error" in result.err
    assert "drafts/old" not in result.err
    assert run_cli("build", built_workspace).code == 2  # the build agrees

    (built_workspace / "templates/parts/cue.md.j2").write_text("ok\n", "utf-8")
    (built_workspace / "templates/cards/story-back.md.j2").write_text("{{ story.title }}\n", "utf-8")
    assert run_cli("check", built_workspace).code == 0


@pytest.mark.parametrize("files, warned", [
    ({"story-front.md.j2": "x"}, {"story-front.md.j2": "cards/story-front.md.j2"}),
    ({"card/story-front.md.j2": "x"}, {"card/story-front.md.j2": "cards/story-front.md.j2"}),
    ({"cards/story_front.md.j2": "x"}, {"cards/story_front.md.j2": "cards/story-front.md.j2"}),
    ({"sheet/header.md.j2": "x"}, {}),  # a real override
    ({"cards/story-front.md.j2": '{% include "parts/header.md.j2" %}', "parts/header.md.j2": "x"}, {}),  # included
    ({"README.md": "notes", "cards/.story-front.md.j2.swp": "x", "cards/story-front.md.j2~": "x"}, {}),
    ({"story-front.md.j2": "old copy", "cards/story-front.md.j2": "x"}, {}),  # the real one is there too
    ({"my-macros.md.j2": "x"}, {}),  # nothing like a built-in: not for us to judge
], ids=["top level", "wrong folder", "misspelt", "override", "included", "not templates", "both", "unrelated"])
def test_override_in_the_wrong_place_is_a_warning(tmp_path, files, warned):
    from deckbuilder.errors import Report
    from deckbuilder.render.templates import Templates

    _write(tmp_path, {f"templates/{rel}": text for rel, text in files.items()})
    report = Report()
    Templates(tmp_path / "templates", report)
    got = {p.file.removeprefix("templates/"): p.message for p in report.warnings}
    assert got == {rel: f"overrides nothing; did you mean templates/{meant}?" for rel, meant in warned.items()}


def test_built_in_templates_print_with_the_bundled_fonts():
    from deckbuilder.render.templates import Templates, template_glyph_warnings

    templates = Templates(None)
    for name in templates.template_names():
        source = (templates.builtin_dir / name).read_text("utf-8")
        assert template_glyph_warnings(templates.env, name, name, source) == [], name
