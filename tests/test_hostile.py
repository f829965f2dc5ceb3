"""Hostile and broken input: every case is a user error (exit 2) with a one-line
``file:line:`` message, no traceback, and the previous PDFs untouched."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, snapshot

BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)]
) + "\n"


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, "utf-8")


CASES: dict[str, tuple[str, str | bytes, str]] = {
    # name: (file, contents, expected message fragment)
    "malformed yaml": ("content/bad.yaml", "stories:\n  - id: x\n   title: [\n", "YAML syntax error"),
    "not utf-8": ("content/bad.yaml", "stories: []\nreminders:\n  - heading: caf\xe9\n".encode("latin-1"),
                  "byte 0xe9 on this line cannot be read (probably 'é' saved as Windows-1252)"),
    "curly apostrophe from Notepad": ("content/bad.yaml", "reminders:\n  - heading: It\x92s fine\n    items: [x]\n"
                                      .encode("latin-1"), "probably '’' saved as Windows-1252"),
    "empty file": ("content/bad.yaml", "", "file is empty"),
    "only comments": ("content/bad.yaml", "# nothing yet\n", "has no content"),
    "list where mapping belongs": ("content/bad.yaml", "- a\n- b\n", "a content file is a mapping"),
    "section of wrong type": ("content/bad.yaml", "stories: just text\n", "expected a list"),
    "wrong type": ("content/bad.yaml", "interview:\n  company: [a, b]\n  role: x\n", "expected text"),
    "unknown key": ("content/bad.yaml", "reminder:\n  - heading: x\n", "unknown key 'reminder'"),
    "duplicate id": ("content/bad.yaml", "projects:\n  - id: p\n    title: a\n  - id: p\n    title: b\n",
                     "duplicate project id 'p'"),
    "unknown principle": ("content/bad.yaml",
                          "question_bank:\n  - principle: Frugalty\n    questions:\n      - text: q\n",
                          "did you mean 'Frugality'?"),
    "dangling story reference": ("content/bad.yaml",
                                 "question_bank:\n  - principle: Ownership\n    questions:\n"
                                 "      - text: q\n        stories: [nope]\n", "unknown story id 'nope'"),
    "10 MB text field": ("content/bad.yaml", "reminders:\n  - heading: x\n    items: [" + "y" * 10_000_000 + "]\n",
                         "content files are limited"),
    "binary file": ("content/bad.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
                    "binary file"),
    "alias bomb": ("content/bad.yaml", BOMB, "YAML anchors"),
    "python tag": ("content/bad.yaml", "deck: !!python/object/apply:os.system [echo hi]\n", "cannot read value"),
    "two documents": ("content/bad.yaml", "deck: {}\n---\nsheet: {}\n", "more than one YAML document"),
    "control character": ("content/bad.yaml", "reminders:\n  - heading: a\x07b\n    items: [x]\n",
                          "control character U+0007"),
    "utf-16 file": ("content/bad.yaml", "reminders: []\n".encode("utf-16"), "UTF-16"),
    "runaway nesting": ("content/bad.yaml", "reminders: " + "[" * 30_000 + "]" * 30_000 + "\n", "nested more than"),
    "runaway nesting, unclosed": ("content/bad.yaml", "reminders: " + "[" * 30_000 + "\n", "nested more than"),
    "runaway indentation": ("content/bad.yaml", "reminders:\n" + "".join(" " * (2 * i) + "- \n" for i in range(1, 200)),
                            "nested more than"),
    "runaway flow mappings": ("content/bad.yaml", "reminders: " + "{a: " * 5_000 + "\n", "nested more than"),
    "tab indentation": ("content/bad.yaml", "reminders:\n\t- heading: x\n", "not tabs"),
    "unclosed quote": ("content/bad.yaml", 'reminders:\n  - heading: "open\n    items: [x]\n  - heading: y\n',
                       "never closed"),
    "yes/no read as true/false": ("content/bad.yaml", "reminders:\n  - heading: No\n    items: [x]\n",
                                  "put the text in quotes"),
    "template undefined name": ("templates/cards/story-front.md.j2", "{{ nothing_here }}\n", "undefined name"),
    "template syntax error": ("templates/cards/story-front.md.j2", "{% if %}\n", "template syntax error"),
    "template reaching python": ("templates/cards/story-front.md.j2",
                                 "{{ ''.__class__.__mro__[1].__subclasses__() }}\n", "sandbox"),
    "template emptying the content": ("templates/cards/story-front.md.j2", "{{ story.triggers.clear() }}\n",
                                      "sandbox"),
    "template string bomb": ("templates/cards/story-front.md.j2", "{{ 'x' * 10**7 }}\n", "sandbox"),
    "template power bomb": ("templates/cards/story-front.md.j2", "{{ 9 ** 999999 }}\n", "sandbox"),
    "template reaching globals": ("templates/cards/story-front.md.j2",
                                  "{{ cycler.__init__.__globals__.os }}\n", "sandbox"),
    "template in windows-1252": ("templates/cards/story-front.md.j2", b"Coach\x92s {{ story.title }}\n",
                                 "byte 0x92 in column 6"),
    "template extending itself": ("templates/cards/story-front.md.j2", '{% extends "cards/story-front.md.j2" %}\n',
                                  "extends, includes or calls itself"),
    "template including itself": ("templates/cards/story-front.md.j2",
                                  'x\n{% include "cards/story-front.md.j2" %}\n', "calls itself"),
    "template macro without end": ("templates/cards/story-front.md.j2",
                                   "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(1) }}\n", "calls itself"),
    "template range bomb": ("templates/cards/story-front.md.j2", "{% for i in range(10**9) %}{% endfor %}\n",
                            "range(1000000000) counts more than 100,000 numbers"),
    "template pad bomb": ("templates/cards/story-front.md.j2", "{{ story.title|center(10**9) }}\n",
                          "the most a width or count may be is 10,000"),
    "template method pad bomb": ("templates/cards/story-front.md.j2", "{{ story.title.ljust(10**9) }}\n",
                                 "the most a width or count may be is 10,000"),
    "template format width bomb": ("templates/cards/story-front.md.j2", '{{ "%100000000s" % story.title }}\n',
                                   "asks for a width of 100,000,000"),
    "template growing replace": ("templates/cards/story-front.md.j2",
                                 "{% set s = 'x' * 10000 %}\n{{ s|replace('x', s) }}\n",
                                 "would make more than 1,000,000 characters"),
    "template float overflow": ("templates/cards/story-front.md.j2", "{{ 1e300 ** 2 }}\n", "OverflowError"),
    "template including a missing one": ("templates/cards/story-front.md.j2",
                                         'x\n{% include "cards/nope.md.j2" %}\n',
                                         "template 'cards/nope.md.j2' not found"),
    "template brackets nested too deep": ("templates/cards/story-front.md.j2",
                                          "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}\n", "nested too deeply"),
    "template blocks nested too deep": ("templates/cards/story-front.md.j2",
                                        "{% if 1 %}" * 150 + "{% endif %}" * 150 + "\n", "nested too deeply"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_input_is_a_clean_user_error(built_workspace, run_cli, case):
    ws = built_workspace
    before = snapshot(ws)
    rel, data, fragment = CASES[case]
    _write(ws / rel, data)
    for command in ("check", "build") if rel.startswith("content/") else ("build",):
        result = run_cli(command, ws)
        assert result.code == 2, (case, command, result.err)
        assert "Traceback" not in result.err
        first = result.err.splitlines()[0]
        line = r"(:\d+)?" if rel.startswith("content/") else r":\d+"  # a template error always has its line
        assert re.match(rf"^{re.escape(rel)}{line}: ", first), first
        if rel.startswith("templates/"):
            assert "\n    hint: " in result.err, result.err
        assert fragment in result.err, result.err
        assert len(first) < 400, "the message must fit on a line"
    assert snapshot(ws) == before


def test_non_yaml_file_in_content_is_a_warning(built_workspace, run_cli):
    _write(built_workspace / "content" / "photo.jpg", b"\xff\xd8\xff\xe0binary")
    result = run_cli("check", built_workspace)
    assert result.code == 0
    assert "content/photo.jpg: warning: not a .yaml file; it is not read" in result.err


def test_link_leading_outside_the_workspace_is_refused(built_workspace, run_cli, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("deck: {label: stolen}\n", "utf-8")
    (built_workspace / "content" / "linked.yaml").symlink_to(outside)
    result = run_cli("check", built_workspace)
    assert result.code == 2
    assert "content/linked.yaml: this file is a link to a place outside the workspace" in result.err


def test_output_that_is_not_a_folder(make_workspace, run_cli):
    ws = make_workspace()
    (ws / "output").rmdir()
    (ws / "output").write_text("I am a file", "utf-8")
    result = run_cli("build", ws)
    assert result.code == 2
    assert "cannot write to the output folder" in result.err
    assert "Traceback" not in result.err
    assert (ws / "output").read_text() == "I am a file"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_output_folder_not_writable(built_workspace, run_cli):
    before = snapshot(built_workspace)
    os.chmod(built_workspace / "output", 0o555)
    try:
        result = run_cli("build", built_workspace)
    finally:
        os.chmod(built_workspace / "output", 0o755)
    assert result.code == 2
    assert "cannot write to the output folder" in result.err
    assert snapshot(built_workspace) == before


def test_output_names_cannot_escape_output(tmp_path):
    from deckbuilder.workspace import StagedOutputs

    staging = StagedOutputs(tmp_path / "output")
    for name in ("../cards.pdf", "/etc/x.pdf", "sub/cards.pdf", ".hidden.pdf", "cards.txt"):
        with pytest.raises(ValueError):
            staging.path_for(name)


def _first_line_has_location(result, rel: str) -> None:
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert re.match(rf"^{re.escape(rel)}:\d+: ", result.err.splitlines()[0]), result.err


def test_text_too_long_for_a_card(built_workspace, run_cli):
    before = snapshot(built_workspace)
    long_text = " ".join(["an extremely detailed sentence about the outage"] * 120)
    _write(built_workspace / "content" / "long.yaml", f"""\
stories:
  - id: long-one
    title: Far too long
    label: Long
    primary: [Ownership]
    sections: {{situation: "{long_text}", task: b, action: c, result: d}}
""")
    result = run_cli("build", built_workspace)
    _first_line_has_location(result, "content/long.yaml")
    assert "too long" in result.err
    assert snapshot(built_workspace) == before


def test_text_too_long_for_the_sheet(built_workspace, run_cli):
    before = snapshot(built_workspace)
    items = "\n".join(f"      - reminder number {i} with a few more words to take up room" for i in range(400))
    _write(built_workspace / "content" / "reminders.yaml", f"reminders:\n  - heading: Too many\n    items:\n{items}\n")
    result = run_cli("build", built_workspace)
    _first_line_has_location(result, "content/interview.yaml")  # the first reminders group lives there
    assert "does not fit on one page" in result.err and "reminders" in result.err
    assert snapshot(built_workspace) == before


def test_interrupted_build_leaves_previous_pdfs_and_no_temporary_files(built_workspace, monkeypatch):
    from deckbuilder.build import BuildOptions, build
    from deckbuilder.outputs.registry import OUTPUTS
    from deckbuilder.workspace import Workspace

    before = snapshot(built_workspace)

    def interrupted(plan, paths):
        paths["matrix.pdf"].write_bytes(b"half a PDF")
        raise KeyboardInterrupt

    monkeypatch.setattr(OUTPUTS["matrix"], "draw", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(Workspace.at(built_workspace), BuildOptions())
    assert snapshot(built_workspace) == before
    assert not [p for p in (built_workspace / "output").iterdir() if p.name.startswith(".")]


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", ["SIGTERM", "SIGHUP"])
def test_a_killed_build_leaves_no_temporary_files(built_workspace, signum):
    """A closed terminal or a killed job unwinds like Ctrl-C: staged files are removed."""
    import subprocess

    before = snapshot(built_workspace)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    code = ("import time, deckbuilder.outputs.registry as o, deckbuilder.cli as c\n"
            "def slow(plan, paths):\n"
            "    paths['matrix.pdf'].write_bytes(b'half'); print('staged', flush=True); time.sleep(30)\n"
            "o.OUTPUTS['matrix'].draw = slow\n"
            "import sys; sys.argv = ['deckbuilder', 'build', '--only', 'matrix', sys.argv[1]]; c.run()\n")
    with subprocess.Popen([sys.executable, "-c", code, str(built_workspace)], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as child:
        first = child.stdout.readline()
        if first.startswith("settings: "):  # build's line of the print settings in effect comes first
            first = child.stdout.readline()
        assert first.strip() == "staged"
        child.send_signal(getattr(signal, signum))
        _, err = child.communicate(timeout=20)
    assert child.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert snapshot(built_workspace) == before
    assert not [p for p in (built_workspace / "output").iterdir() if p.name.startswith(".")]


def test_temporaries_of_a_build_killed_outright_are_cleared_later(tmp_path):
    from deckbuilder.workspace import STALE_AFTER_SECONDS, remove_stale_temporaries

    out = tmp_path / "output"
    out.mkdir()
    old, young, other = out / ".cards.pdf.k3j9.tmp", out / ".matrix.pdf.a1b2.tmp", out / ".notes.tmp"
    for path in (old, young, other):
        path.write_bytes(b"x")
    stamp = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(old, (stamp, stamp))
    os.utime(other, (stamp, stamp))
    assert remove_stale_temporaries(out) == [old]
    assert young.exists() and other.exists() and not old.exists()


def test_a_full_disk_is_the_machines_answer_not_a_bug(built_workspace, run_cli, monkeypatch):
    import errno

    import deckbuilder.build

    before = snapshot(built_workspace)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "output/.cards.pdf.x.tmp")

    monkeypatch.setattr(deckbuilder.build, "_draw_each", full)
    monkeypatch.setattr(deckbuilder.build.OUTPUTS["cards"], "draw", full)
    result = run_cli("build", built_workspace)
    assert result.code == 2, result.err
    assert result.err.startswith("output/.cards.pdf.x.tmp: No space left on device\n    hint: free some disk space")
    assert "the PDFs in output/ are unchanged" in result.err and "Traceback" not in result.err
    assert snapshot(built_workspace) == before


def test_output_folder_permission_denied_even_as_root(built_workspace, run_cli, monkeypatch):
    """CI runs as root, where chmod cannot make a folder unwritable: fail the way the OS does."""
    import tempfile

    before = snapshot(built_workspace)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = run_cli("build", built_workspace)
    assert result.code == 2
    assert re.match(r"^\S*output: cannot write to the output folder: Permission denied", result.err), result.err
    assert "Traceback" not in result.err
    assert snapshot(built_workspace) == before


def test_a_folder_where_a_pdf_goes_stops_the_build_before_anything_moves(built_workspace, run_cli):
    stories = built_workspace / "content" / "stories.yaml"
    stories.write_text(stories.read_text().replace("The Friday outage call", "The Monday outage call"))
    (built_workspace / "output" / "matrix.pdf").unlink()
    (built_workspace / "output" / "matrix.pdf").mkdir()
    before = snapshot(built_workspace)
    result = run_cli("build", built_workspace)
    assert result.code == 2
    assert "output/matrix.pdf is not a file" in result.err
    assert "the PDFs in output/ are unchanged" in result.err
    assert snapshot(built_workspace) == before


def test_new_into_an_existing_file(tmp_path, run_cli):
    (tmp_path / "afile").write_text("x")
    result = run_cli("new", tmp_path / "afile")
    assert result.code == 2
    assert "cannot create" in result.err and "Traceback" not in result.err


def test_empty_only_is_refused(built_workspace, run_cli):
    result = run_cli("build", "--only", ",", built_workspace)
    assert result.code == 2 and "names an empty output" in result.err


DEEP = {
    "flow brackets": "reminders: " + "[" * 30_000 + "]" * 30_000 + "\n",
    "block indentation": "reminders:\n" + "".join(" " * (2 * i) + "- \n" for i in range(1, 1_000)),
    "dash prefixes": "reminders: \n  " + "- " * 5_000 + "x\n",
}


@pytest.mark.parametrize("shape", list(DEEP))
@pytest.mark.parametrize("loader", ["libyaml if installed", "pure Python"])
def test_deep_nesting_is_refused_before_any_yaml_parser_runs(tmp_path, monkeypatch, shape, loader):
    """Which parser sees deep nesting decides what happens (PyYAML 6.0.4's libyaml stops it with its own words,
    6.0.3's crashes the process, the pure-Python loader recurses out), so ours must fire first: a parser that
    fails the test if it is ever called proves the order, whatever PyYAML version is installed."""
    import yaml

    from deckbuilder.content import yamlload
    from deckbuilder.errors import UserError

    if loader == "pure Python":
        monkeypatch.setattr(yamlload, "_LOADER", yaml.SafeLoader)

    def parser_must_not_run(*args, **kwargs):
        raise AssertionError("the YAML parser saw a file our depth check should have refused")

    monkeypatch.setattr(yaml, "compose_all", parser_must_not_run)
    path = tmp_path / "deep.yaml"
    path.write_text(DEEP[shape], "utf-8")
    with pytest.raises(UserError) as caught:
        yamlload.load_yaml(path, "content/deep.yaml")
    problem = caught.value.problems[0]
    assert problem.line is not None and problem.line <= 60
    assert "nested more than" in problem.message and problem.hint


def test_depth_scan_passes_every_shipped_yaml_file_and_reads_quotes_and_block_text():
    """The scan must not refuse real content: every YAML file we ship, and text that only looks deep
    (brackets inside quotes, comments and block scalars) is far below the limit."""
    from deckbuilder.content.yamlload import MAX_DEPTH, nesting_beyond

    shipped = [*REPO.glob("content/*.yaml"), *REPO.glob("deckbuilder/**/*.yaml")]
    assert len(shipped) >= 5
    for path in shipped:
        assert nesting_beyond(path.read_text("utf-8"), 8) is None, path
    looks_deep = ("a: '" + "[" * 300 + "'\n" + 'b: "x\\" ' + "{" * 300 + '"\n' + "c: x # " + "[" * 300 + "\n"
                  + "d: |\n" + "".join(" " * (i + 2) + "[[[\n" for i in range(300)) + "e: it's [fine]\n")
    assert nesting_beyond(looks_deep, MAX_DEPTH) is None
    # and a quote in the middle of plain text does not hide brackets on the next line
    assert nesting_beyond("a: x 'y\nb: " + "[" * 300 + "\n", MAX_DEPTH) == 2
