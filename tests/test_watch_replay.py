"""watch replays an unchanged face's drawing from the last rebuild (render/replay.py): the PDFs
it writes are still byte for byte those of a fresh build of the edited content."""

from __future__ import annotations

import io
import os
import shutil

from pdfcheck import all_text

from deckbuilder.build import BuildOptions, build
from deckbuilder.commands.watch import Watcher
from deckbuilder.render import replay
from deckbuilder.workspace import Workspace


def touch_write(path, text, seconds):
    path.write_text(text, "utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + seconds * 1_000_000_000))  # coarse clocks


def test_watch_after_an_edit_writes_what_a_fresh_build_writes(make_workspace, tmp_path, counted, capsys):
    """The cards' and the packet's faces are replayed (watch draws in one process). The edit
    adds characters the deck had not shown before, which take codes later faces had: those
    are drawn again. The fresh build is a plain one, as ``deckbuilder build`` makes it."""
    ws = make_workspace()
    stories = ws / "content" / "stories.yaml"
    title = "The Friday outage call Жё"
    watcher = Watcher(Workspace.at(ws), BuildOptions())
    assert watcher.rebuild() is True
    counted.update(replayed=0, refused=0)
    touch_write(stories, stories.read_text().replace("The Friday outage call", title), 1)
    assert watcher.poll() is True
    shutil.copytree(ws / "content", tmp_path / "fresh" / "content")
    written, _ = build(Workspace.at(tmp_path / "fresh"), BuildOptions())
    assert [p.name for p in written] == ["cards.pdf", "final-prep.pdf", "matrix.pdf", "packet.pdf"]
    for path in written:
        assert (ws / "output" / path.name).read_bytes() == path.read_bytes(), path.name
    assert title in all_text(ws / "output" / "cards.pdf") and title in all_text(ws / "output" / "packet.pdf")
    assert counted["replayed"] >= 10 and counted["refused"] > 0, counted  # most faces unchanged; some moved
    capsys.readouterr()


def _pdf(draws, remembered: bool) -> bytes:
    """A one-page PDF of ``draws`` (functions of the canvas), with or without replaying."""
    from deckbuilder.render.pdf import Meta, new_canvas

    out = io.BytesIO()
    canvas = new_canvas(out, (300, 300), Meta("t"))
    with replay.remembering() if remembered else _nothing():
        for draw in draws:
            draw(canvas)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _text(key, text, y):
    from deckbuilder.render import fonts
    from deckbuilder.render.richtext import draw_string

    def draw(canvas):
        replay.drawn(canvas, ("test", key), (), lambda: draw_string(canvas, 10, y, text, fonts.BODY, 9))

    return draw


def test_a_drawing_is_replayed_only_where_its_characters_keep_their_codes(monkeypatch, counted):
    """The same drawing in three documents: where it comes first (replayed), and after text
    that gave one of its characters another code (drawn again); each PDF as if drawn."""
    monkeypatch.setattr(replay, "_drawings", type(replay._drawings)())
    first = [_text("a", "éñ — ü", 100), _text("b", "çø ü", 80)]
    assert _pdf(first, remembered=True) == _pdf(first, remembered=False)
    assert counted["replayed"] == 0 and len(replay._drawings) == 2
    assert _pdf(first, remembered=True) == _pdf(first, remembered=False)
    assert counted == {"replayed": 2, "refused": 0}
    moved = [_text("c", "ñ", 120)] + first  # ñ now takes the code é had
    assert _pdf(moved, remembered=True) == _pdf(moved, remembered=False)
    assert counted["refused"] >= 1


def test_a_drawing_that_adds_a_link_is_not_remembered(monkeypatch):
    """A link is an annotation in the document, not an operator on the page: drawn every time."""
    monkeypatch.setattr(replay, "_drawings", type(replay._drawings)())

    def linked(canvas):
        replay.drawn(canvas, ("test", "link"), (), lambda: canvas.linkURL("https://example.com", (0, 0, 9, 9)))

    once = _pdf([linked], remembered=True)
    assert ("test", "link") not in replay._drawings
    assert _pdf([linked], remembered=True) == once == _pdf([linked], remembered=False)


def test_an_edit_the_sheet_does_not_show_skips_its_layout_search(make_workspace, monkeypatch, capsys):
    """The sheet's sections and paper as the last rebuild's: the same layout, no search."""
    from deckbuilder.outputs import sheet

    searches = []
    search = sheet._search_sheet
    monkeypatch.setattr(sheet, "_search_sheet", lambda *args: searches.append(args) or search(*args))
    monkeypatch.setattr(sheet, "_SEARCHED", {})
    ws = make_workspace()
    watcher = Watcher(Workspace.at(ws), BuildOptions())
    assert watcher.rebuild() is True and len(searches) == 1
    before = (ws / "output" / "final-prep.pdf").read_bytes()
    stories = ws / "content" / "stories.yaml"
    touch_write(stories, stories.read_text().replace("without the owning team", "without the owner team"), 1)
    assert watcher.poll() is True
    assert len(searches) == 1  # the card's back changed, the sheet did not
    assert "without the owner team" in all_text(ws / "output" / "cards.pdf")
    assert (ws / "output" / "final-prep.pdf").read_bytes() == before
    touch_write(stories, stories.read_text().replace("The Friday outage call", "The Monday outage call"), 2)
    assert watcher.poll() is True and len(searches) == 2  # a title the sheet shows: searched again
    assert "The Monday outage call" in all_text(ws / "output" / "final-prep.pdf")
    capsys.readouterr()
