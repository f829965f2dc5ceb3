"""Nothing is read from or written to outside the workspace (deckbuilder.paths): links in
templates/, output/ and content/ that lead out are refused with their path and exit 2;
writes go through unique, exclusively created temporary files; an import is all or nothing."""

from __future__ import annotations

import errno
import os
import re
import sys
from pathlib import Path

import pytest
from conftest import snapshot

SECRET = "TOP-SECRET-9f3a outside the workspace"
FRONT = "templates/cards/story-front.md.j2"

NOTES = """\
### CMS: Tags (Customer Obsession|Ownership)
S: CMS -> tagging
T: Implement the tagging service.
A: Designed a first version.
R: They love it.
"""


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder next to the workspace with a file the workspace must never read or change."""
    folder = tmp_path / "elsewhere"
    (folder / "cards").mkdir(parents=True)
    for path in (folder / "secret.txt", folder / "cards" / "story-front.md.j2", folder / "stolen.md.j2"):
        path.write_text(SECRET + "\n", "utf-8")
    return folder


def _plant(ws: Path, outside: Path, how: str) -> str:
    """One way a template bundle can lead out of the workspace; returns the path refused."""
    (ws / "templates" / "cards").mkdir(parents=True, exist_ok=True)
    if how == "file link":
        (ws / FRONT).symlink_to(outside / "secret.txt")
        return FRONT
    if how == "folder link overriding":
        (ws / "templates" / "cards").rmdir()
        (ws / "templates" / "cards").symlink_to(outside / "cards", target_is_directory=True)
        return "templates/cards"
    if how == "included through a folder link":
        (ws / "templates" / "shared").symlink_to(outside, target_is_directory=True)
        (ws / FRONT).write_text('{{ story.title }}\n{% include "shared/secret.txt" %}\n', "utf-8")
        return "templates/shared"
    if how == "imported file link":
        (ws / "templates" / "macros.md.j2").symlink_to(outside / "stolen.md.j2")
        (ws / FRONT).write_text('{% import "macros.md.j2" as m %}{{ story.title }}\n', "utf-8")
        return "templates/macros.md.j2"
    if how == "relative link climbing out":
        (ws / FRONT).symlink_to(Path("../../..") / outside.name / "secret.txt")
        return FRONT
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["file link", "folder link overriding", "included through a folder link",
                                 "imported file link", "relative link climbing out"])
def test_a_template_linked_outside_the_workspace_is_refused(built_workspace, outside, run_cli, how):
    ws = built_workspace
    before = snapshot(ws)
    refused = _plant(ws, outside, how)
    for command in ("build", "check"):
        result = run_cli(command, ws, *(["--only", "cards"] if command == "build" else []))
        assert result.code == 2, (command, result.err)
        first = result.err.splitlines()[0]
        expected = rf"^{re.escape(refused)}: this (file|folder) is a link to a place outside the workspace"
        assert re.match(expected, first), first
        assert str(outside) in first and "\n    hint: " in result.err and "Traceback" not in result.err
    assert snapshot(ws) == before
    assert SECRET not in "".join(p.read_bytes().decode("latin-1") for p in (ws / "output").glob("*.pdf"))


def test_a_template_linked_inside_the_workspace_is_fine(make_workspace, run_cli):
    ws = make_workspace({"shared/front.md.j2": "{{ story.title }} (linked)\n"})
    (ws / "templates" / "cards").mkdir(parents=True)
    (ws / FRONT).symlink_to(ws / "shared" / "front.md.j2")
    result = run_cli("build", ws, "--only", "cards")
    assert result.code == 0, result.err


@pytest.mark.parametrize("how", ["folder link", "relative folder link"])
def test_output_linked_elsewhere_is_refused_and_nothing_is_written_there(make_workspace, outside, run_cli, how):
    ws = make_workspace()
    (ws / "output").rmdir()
    (ws / "output").symlink_to(outside if how == "folder link" else Path("..") / outside.name,
                               target_is_directory=True)
    stale = outside / ".cards.pdf.abcd.tmp"  # looks like our temporary file: must not be deleted either
    stale.write_bytes(b"x")
    os.utime(stale, (0, 0))
    before = sorted(p.name for p in outside.iterdir())
    result = run_cli("build", ws, "--only", "matrix")
    assert result.code == 2, result.err
    assert "output/ is a link to a place outside the workspace" in result.err
    assert str(outside) in result.err and "Traceback" not in result.err
    assert sorted(p.name for p in outside.iterdir()) == before


def test_import_force_onto_a_content_file_linked_outside_is_refused(tmp_path, outside, run_cli):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, "utf-8")
    ws = tmp_path / "ws"
    assert run_cli("import", notes, ws).code == 0
    target = ws / "content" / "imported-notes.yaml"
    target.unlink()
    target.symlink_to(outside / "secret.txt")
    result = run_cli("import", notes, ws, "--force")
    assert result.code == 2, result.err
    assert result.err.startswith("ws/content/imported-notes.yaml: this file is a link to a place outside the "
                                 "workspace") or "content/imported-notes.yaml: this file is a link" in result.err
    assert (outside / "secret.txt").read_text("utf-8") == SECRET + "\n"
    assert target.is_symlink()


def test_a_link_planted_at_a_temporary_name_is_never_written_through(tmp_path, outside, run_cli):
    """The import once wrote to the fixed name content/.imported-notes.yaml.tmp."""
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, "utf-8")
    ws = tmp_path / "ws"
    (ws / "content").mkdir(parents=True)
    (ws / "content" / ".imported-notes.yaml.tmp").symlink_to(outside / "secret.txt")
    result = run_cli("import", notes, ws)
    assert result.code == 0, result.err
    assert (outside / "secret.txt").read_text("utf-8") == SECRET + "\n"
    assert "CMS: Tags" in (ws / "content" / "imported-notes.yaml").read_text("utf-8")
    assert [p.name for p in (ws / "content").iterdir() if p.name.startswith(".")] == [".imported-notes.yaml.tmp"]


def _full_after(monkeypatch, n: int) -> None:
    """The disk fills up after ``n`` files were flushed (a full disk shows at write or fsync)."""
    import deckbuilder.paths

    real, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) > n:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(deckbuilder.paths.os, "fsync", fsync)


def test_an_import_of_several_files_on_a_full_disk_writes_none(tmp_path, run_cli, monkeypatch):
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    for path in (first, second):
        path.write_text(NOTES.replace("Tags", f"Tags {path.stem}"), "utf-8")
    ws = tmp_path / "ws"
    (ws / "content").mkdir(parents=True)
    (ws / "content" / "keep.yaml").write_text("reminders:\n  - heading: mine\n    items: [x]\n", "utf-8")
    before = {p.name: p.read_bytes() for p in (ws / "content").iterdir()}
    _full_after(monkeypatch, 3)  # schema, templates/README.md, a.yaml written; b.yaml finds the disk full
    result = run_cli("import", first, second, ws)
    assert result.code == 2, result.err
    assert "No space left on device" in result.err and "free some disk space" in result.err
    assert "nothing was imported" in result.err
    assert {p.name: p.read_bytes() for p in (ws / "content").iterdir()} == before  # no file, no temporary file
    assert not (ws / "templates").exists()
    monkeypatch.undo()
    again = run_cli("import", first, second, ws)  # no --force needed: nothing was left behind
    assert again.code == 0, again.err


def test_write_files_puts_back_what_it_replaced_when_a_move_fails(tmp_path, monkeypatch):
    from deckbuilder import paths

    a, b, c = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"
    a.write_text("old a")
    real, moves = os.replace, []

    def replace(src, dst):
        moves.append(dst)
        if len(moves) == 3:
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(paths.os, "replace", replace)
    with pytest.raises(OSError):
        paths.write_files([(a, b"new a"), (b, b"new b"), (c, b"new c")], [tmp_path])
    monkeypatch.undo()
    assert a.read_text() == "old a" and not b.exists() and not c.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_write_files_are_whole_and_ordinary(tmp_path):
    from deckbuilder.paths import write_files

    target = tmp_path / "x.yaml"
    assert write_files([(target, b"hello")], [tmp_path]) == [target]
    assert target.read_bytes() == b"hello" and not target.is_symlink()
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.yaml"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("where", ["content folder", "templates folder"])
def test_a_workspace_folder_linked_outside_is_refused(make_workspace, outside, run_cli, where):
    ws = make_workspace()
    if where == "content folder":
        (outside / "c").mkdir()
        for path in (ws / "content").iterdir():
            path.rename(outside / "c" / path.name)
        (ws / "content").rmdir()
        (ws / "content").symlink_to(outside / "c", target_is_directory=True)
        expected = "this file is a link to a place outside the workspace"
    else:
        (ws / "templates").symlink_to(outside, target_is_directory=True)
        expected = "templates: this folder is a link to a place outside the workspace"
    result = run_cli("build", ws, "--only", "cards")
    assert result.code == 2, result.err
    assert expected in result.err and "Traceback" not in result.err


def test_a_link_made_after_the_templates_were_looked_over_is_refused_when_loaded(tmp_path, outside):
    """The loader checks every file it opens, not only the folder scan at the start (watch)."""
    from deckbuilder.errors import UserError
    from deckbuilder.render.templates import Templates

    ws = tmp_path / "ws"
    (ws / "templates" / "cards").mkdir(parents=True)
    templates = Templates(ws / "templates")
    (ws / FRONT).symlink_to(outside / "secret.txt")
    with pytest.raises(UserError) as caught:
        templates.render("cards/story-front.md.j2", story=None)
    assert caught.value.problems[0].format().startswith(
        f"{FRONT}: template is a link to a place outside the workspace ({outside / 'secret.txt'})")


def test_new_never_writes_through_a_link_leading_out(tmp_path, outside, run_cli):
    ws = tmp_path / "ws"
    (ws / "templates").mkdir(parents=True)
    (ws / "templates" / "README.md").symlink_to(outside / "secret.txt")
    result = run_cli("new", ws)
    assert result.code == 2, result.err
    assert "templates/README.md: this file is a link to a place outside the workspace" in result.err
    assert (outside / "secret.txt").read_text("utf-8") == SECRET + "\n"


@pytest.mark.parametrize("folder", ["content", "templates"])
def test_import_into_a_workspace_whose_folder_links_outside_reads_and_writes_nothing_there(tmp_path, outside,
                                                                                          run_cli, folder):
    notes = tmp_path / "notes.md"
    notes.write_text(NOTES, "utf-8")
    ws = tmp_path / "ws"
    ws.mkdir()
    (outside / "x.yaml").write_text("reminders: [", "utf-8")  # would fail check if it were read
    (ws / folder).symlink_to(outside, target_is_directory=True)
    before = sorted(p.name for p in outside.iterdir())
    result = run_cli("import", notes, ws)
    assert result.code == 2, result.err
    assert f"{folder}: this folder is a link to a place outside the workspace" in result.err
    assert sorted(p.name for p in outside.iterdir()) == before


@pytest.mark.skipif(sys.platform == "win32", reason="NTFS files are not sparse by default: 3 GB would be written")
def test_huge_files_are_refused_without_being_read(make_workspace, run_cli):
    """A 3 GB content file or template (sparse: no disk used) is refused from its size."""
    ws = make_workspace()
    for rel in ("content/huge.yaml", FRONT):
        (ws / rel).parent.mkdir(parents=True, exist_ok=True)
        with open(ws / rel, "wb") as out:
            out.write(b"reminders: []\n")
            out.truncate(3 << 30)
    result = run_cli("check", ws)
    assert result.code == 2 and "content/huge.yaml:1: file is 3221.2 MB; content files are limited" in result.err
    (ws / "content" / "huge.yaml").unlink()
    result = run_cli("build", ws, "--only", "cards")
    assert result.code == 2, result.err
    assert f"{FRONT}: template is 3221.2 MB; templates are limited to 1024 KB" in result.err
