"""watch: rebuilds after a save, keeps the old PDFs when the save has a mistake."""

import os

import pytest
from pdfcheck import all_text

from deckbuilder.build import BuildOptions
from deckbuilder.commands.watch import Watcher
from deckbuilder.workspace import Workspace


def touch_write(path, text):
    path.write_text(text, "utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # coarse clocks


def test_watch_rebuilds_on_save_and_survives_mistakes(make_workspace, capsys, monkeypatch):
    from deckbuilder.content import yamlload

    ws = make_workspace()
    monkeypatch.setattr(yamlload, "_LOADER", None)
    watcher = Watcher(Workspace.at(ws), BuildOptions())
    assert yamlload._LOADER is not None  # made before the first save, not while its rebuild waits
    assert watcher.rebuild() is True
    first = capsys.readouterr()  # the starter's principles with one story, as check says, after the files
    assert "rebuilt cards.pdf" in first.out
    assert first.err.count("has only one story") == 4, first.err
    assert watcher.poll() is None  # nothing changed
    stories = ws / "content" / "stories.yaml"
    touch_write(stories, stories.read_text().replace("The Friday outage call", "The Saturday outage call"))
    assert watcher.poll() is True
    assert "The Saturday outage call" in all_text(ws / "output" / "cards.pdf")
    good = (ws / "output" / "cards.pdf").read_bytes()
    touch_write(stories, "stories: [\n")
    assert watcher.poll() is False
    assert (ws / "output" / "cards.pdf").read_bytes() == good
    out = capsys.readouterr()
    assert "content/stories.yaml:" in out.err
    assert "not rebuilt; the previous PDFs are unchanged" in out.out


def test_snapshot_ignores_editor_swap_files_and_vanishing_files(tmp_path, monkeypatch):
    from pathlib import Path

    from deckbuilder.commands.watch import snapshot

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.yaml").write_text("x")
    (tmp_path / "content" / ".a.yaml.swp").write_text("swap")
    (tmp_path / "content" / "a.yaml~").write_text("backup")
    ghost = tmp_path / "content" / "ghost.yaml"
    ghost.write_text("soon gone")
    real_stat = Path.stat

    def vanishing(self, *args, **kwargs):
        if self.name == "ghost.yaml":
            raise FileNotFoundError(self)
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", vanishing)
    assert [p.name for p in snapshot([tmp_path / "content"])] == ["a.yaml"]


def test_watch_picks_up_a_template_added_then_changed(make_workspace):
    """Compiled templates are kept between rebuilds; an override added or edited must still show."""
    ws = make_workspace()
    watcher = Watcher(Workspace.at(ws), BuildOptions(only=("cards",)))
    assert watcher.rebuild() is True
    override = ws / "templates" / "cards" / "story-front.md.j2"
    override.parent.mkdir(parents=True)
    touch_write(override, "# FIRSTVERSION {{ story.title }}\n")
    assert watcher.poll() is True
    assert "FIRSTVERSION" in all_text(ws / "output" / "cards.pdf")
    touch_write(override, "# OTHERVERSION {{ story.title }}\n")  # same size: only the time tells
    assert watcher.poll() is True
    text = all_text(ws / "output" / "cards.pdf")
    assert "OTHERVERSION" in text and "FIRSTVERSION" not in text


def test_watch_takes_an_edited_deckbuilder_toml_on_the_next_look(run_cli, make_workspace, monkeypatch):
    """Editing the paper in deckbuilder.toml while watch runs rebuilds on it (it used to be ignored
    until a restart); a mistake in the edit keeps the PDFs and the watch going."""
    from pdfcheck import page_sizes
    from reportlab.lib.pagesizes import A4

    from deckbuilder.commands import watch

    ws = make_workspace({"deckbuilder.toml": '[print]\npaper = "letter"\n'})
    toml = ws / "deckbuilder.toml"
    edits = iter([lambda: touch_write(toml, '[print]\npaper = "a4"\n'),
                  lambda: touch_write(toml, '[print]\npaper = "a5"\n')])

    def sleep(seconds):
        edit = next(edits, None)
        if edit is None:
            raise KeyboardInterrupt
        edit()

    monkeypatch.setattr(watch.time, "sleep", sleep)
    result = run_cli("watch", ws, "--only", "cards")
    assert result.code == 0, result.err
    lines = [line for line in result.out.splitlines() if line.startswith("settings: ")]
    assert len(lines) == 2 and "paper a4 (file)" in lines[1], result.out
    assert page_sizes(ws / "output" / "cards.pdf")[0] == pytest.approx((A4[1], A4[0]))
    assert "deckbuilder.toml:2: [print] paper: 'a5'" in result.err
    assert "not rebuilt; the previous PDFs are unchanged" in result.out


def test_a_rebuild_leaves_the_collection_to_tidy(make_workspace, capsys):
    """The cycle collector does not run inside a rebuild (the user waits for that); ``tidy``,
    which the watch loop calls while it waits, collects and switches it back on."""
    import gc

    ws = make_workspace()
    watcher = Watcher(Workspace.at(ws), BuildOptions(only=("cards",)))
    passes: list[str] = []

    def counted(phase: str, info: dict) -> None:
        if phase == "start":
            passes.append(phase)

    gc.enable()
    gc.collect()  # the counts the tests before left, which could start a pass as rebuild() is called
    gc.callbacks.append(counted)
    try:
        assert watcher.rebuild() is True
        garbage = [[]]
        garbage[0].append(garbage)  # a cycle only the collector frees
        del garbage
        for _ in range(3):  # allocations past the collector's threshold many times over
            [[] for _ in range(5 * gc.get_threshold()[0])]
        assert passes == [] and not gc.isenabled()
        watcher.tidy()
        assert passes and gc.isenabled()
        watcher.tidy()  # nothing left to tidy: no second pass
        assert len(passes) == 1
    finally:
        gc.callbacks.remove(counted)
        gc.enable()
    capsys.readouterr()


def test_a_rebuild_leaves_the_cache_folders_files_to_tidy(make_workspace, capsys, monkeypatch, tmp_path):
    """What a rebuild learned (a face's size, a card's text, the content's checks, what a
    content file read as) is in memory for the next one; its files are written by ``tidy``,
    while the watch waits, not before the rebuild says it is done."""
    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DECKBUILDER_NO_CACHE", raising=False)

    def files() -> dict[str, tuple[int, int]]:
        return {str(p.relative_to(tmp_path)): (p.stat().st_mtime_ns, p.stat().st_size)
                for p in (tmp_path / "cache").rglob("*") if p.is_file()}

    ws = make_workspace()
    watcher = Watcher(Workspace.at(ws), BuildOptions(only=("cards",)))
    assert watcher.rebuild() is True
    watcher.tidy()
    before = files()
    stories = ws / "content" / "stories.yaml"
    touch_write(stories, stories.read_text().replace("The Friday outage call", "The Sunday outage call"))
    assert watcher.poll() is True
    assert "The Sunday outage call" in all_text(ws / "output" / "cards.pdf")
    assert files() == before  # nothing written yet
    watcher.tidy()
    after = files()
    changed = {name.split("/")[1] for name in after if after[name] != before.get(name)}
    assert {"faces", "rendered", "yaml", "checks"} <= changed
    watcher.tidy()  # nothing left to write
    assert files() == after
    capsys.readouterr()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_watch_reaps_a_second_process_still_ending_when_its_result_was_taken(make_workspace, monkeypatch):
    """``alongside`` takes a whole result before its process has ended and reaps it at the next
    join; a watch whose later rebuilds fork nothing never joins again: ``tidy`` reaps it."""
    import time

    from deckbuilder import alongside

    ws = make_workspace()
    watcher = Watcher(Workspace.at(ws), BuildOptions(only=("cards",)))
    real_exit = os._exit

    def lingering_exit(code):  # the child: ends a moment after sending its result
        time.sleep(0.3)
        real_exit(code)

    monkeypatch.setattr(os, "_exit", lingering_exit)
    child = alongside.Alongside(lambda: 1, {}, [])
    assert child.join() == 1
    monkeypatch.setattr(os, "_exit", real_exit)
    assert child.pid in alongside._ENDING  # taken while the child was still ending
    time.sleep(0.6)
    watcher.tidy()  # the watch loop's, between polls
    with pytest.raises(ChildProcessError):  # reaped: no zombie is left for the rest of the watch
        os.waitpid(child.pid, os.WNOHANG)
