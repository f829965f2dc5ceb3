"""A page of card faces replayed as one drawing (``drawstore.Store.draw_page``): kept when each
of its faces was replayed from its own drawing, replayed by the next build in one piece, the
very bytes of a build without any cache; an edit misses its own page only, and the page's
name changes with every input a face's drawing depends on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import test_drawstore
from reportlab.pdfgen.canvas import Canvas
from test_drawstore import kept_files, new_process, pdfs, uncached

from deckbuilder import cache as user_cache
from deckbuilder.layout.impose import Rect
from deckbuilder.layout.sizes import CARD_SIZES
from deckbuilder.outputs import drawstore, faces

own_cache, drawn = test_drawstore.own_cache, test_drawstore.drawn  # the same fixtures


@pytest.fixture
def face_draws(monkeypatch) -> list[int]:
    """How many faces were drawn or replayed one by one (``Store.draw``)."""
    count = [0]
    draw = drawstore.Store.draw

    def counting(self, *args, **kwargs):
        count[0] += 1
        draw(self, *args, **kwargs)

    monkeypatch.setattr(drawstore.Store, "draw", counting)
    return count


def _page_lines(folder: Path) -> tuple[int, int]:
    """How many pages' and faces' drawings the deck's file keeps."""
    (path,) = [p for p in kept_files(folder)]
    lines = user_cache.unpack_lines(drawstore.MAGIC, path.name, path.read_bytes())
    pages = sum(line[user_cache.NAME:2 * user_cache.NAME] == drawstore.PAGE_SOURCE for line in lines)
    return pages, len(lines) - pages


def test_pages_replayed_whole_write_a_plain_builds_bytes_and_an_edit_misses_its_page_only(
        make_workspace, own_cache, drawn, face_draws, monkeypatch, tmp_path):
    ws = make_workspace()
    cold = pdfs(ws, "cards")  # every face drawn and kept
    faces_drawn = drawn[0]
    assert _page_lines(own_cache)[0] == 0
    new_process(monkeypatch)
    drawn[0] = face_draws[0] = 0
    assert pdfs(ws, "cards") == cold  # every face replayed, and each page kept as one
    assert drawn[0] == 0 and face_draws[0] == faces_drawn
    pages, kept_faces = _page_lines(own_cache)
    assert pages == 2 and kept_faces == faces_drawn  # the second sheet's front and back, 3 cards each
    new_process(monkeypatch)
    face_draws[0] = 0
    assert pdfs(ws, "cards") == cold
    # no face drawn; none replayed on its own but on the pages where a font was first used
    assert drawn[0] == 0 and face_draws[0] == faces_drawn - 3 * pages
    assert cold == uncached(ws, tmp_path, monkeypatch, "cards")

    stories = ws / "content" / "stories.yaml"
    stories.write_text(stories.read_text("utf-8").replace("owner team offline", "owner team away"), "utf-8")
    monkeypatch.setattr(drawstore, "MAX_ENTRIES", 1)  # the file keeps only what this build used
    new_process(monkeypatch)
    drawn[0] = face_draws[0] = 0
    edited = pdfs(ws, "cards")
    assert drawn[0] == 1  # the story's back
    assert 0 < face_draws[0] < faces_drawn  # its page, face by face; the other pages whole
    assert edited == uncached(ws, tmp_path, monkeypatch, "cards") != cold
    # the faces of the pages replayed whole were kept too (a later edit may need them)
    assert _page_lines(own_cache)[1] == faces_drawn  # the story back's old drawing gone, its new one kept


def test_a_page_whose_fonts_moved_on_is_drawn_face_by_face(make_workspace, own_cache, drawn, face_draws,
                                                           counted, monkeypatch, tmp_path):
    """New characters on the first sheet give the characters shown after them other codes: the
    second sheet's pages, kept as wholes, are refused (``Drawing.fits``) and drawn face by face
    as before, byte for byte."""
    ws = make_workspace()
    for _ in range(3):
        new_process(monkeypatch)
        pdfs(ws, "cards")
    deep_dive = ws / "content" / "deep-dive.yaml"
    text = deep_dive.read_text("utf-8")
    assert "title: WHY" in text  # the first card's focal line: its new characters take the next codes
    deep_dive.write_text(text.replace("title: WHY", "title: ñé WHY", 1), "utf-8")
    new_process(monkeypatch)
    counted.update(replayed=0, refused=0)
    face_draws[0] = drawn[0] = 0
    assert pdfs(ws, "cards") == uncached(ws, tmp_path, monkeypatch, "cards")
    assert counted["refused"] > 0, (counted, face_draws, drawn)


def test_a_pages_name_changes_with_every_input(own_cache):
    store = drawstore.Store("0" * 40)
    style = faces.face_style(*CARD_SIZES["3x5"], False)
    face = faces.SetFace("front", 10.0, faces.Block([]), source="**Hello** world", tag="T", caption="", note="n")
    other = faces.SetFace("back", 9.0, faces.Block([]), source="Back text")
    here, there = Rect(10.0, 20.0, 216.0, 360.0), Rect(230.0, 20.0, 216.0, 360.0)
    page = [(face, here, style, "1/2"), (other, there, style, "2/2")]
    canvas = Canvas(str(own_cache / "unused.pdf"))
    base = store.page_name(canvas, page, "deck")
    assert store.page_name(canvas, list(page), "deck") == base  # the same inputs: the same name
    changed = [
        [(replace(face, source="**Hello** World"), here, style, "1/2"), page[1]],
        [(replace(face, side="back"), here, style, "1/2"), page[1]],
        [(replace(face, size=9.5), here, style, "1/2"), page[1]],
        [(replace(face, cont=True), here, style, "1/2"), page[1]],
        [(replace(face, note="m"), here, style, "1/2"), page[1]],
        [(replace(face, focal=faces.Block([]), focal_size=12.0), here, style, "1/2"), page[1]],
        [(replace(face, tag="U"), here, style, "1/2"), page[1]],
        [(replace(face, caption="C"), here, style, "1/2"), page[1]],
        [(face, Rect(11.0, 20.0, 216.0, 360.0), style, "1/2"), page[1]],
        [(face, here, replace(style, padding=style.padding + 1), "1/2"), page[1]],
        [(face, here, style, "1/3"), page[1]],
        [page[0], (replace(other, size=8.0), there, style, "2/2")],
        [page[1], page[0]],  # the order
        [page[0]],  # a face fewer
    ]
    names = {store.page_name(canvas, variant, "deck") for variant in changed}
    names.add(store.page_name(canvas, page, "other deck"))
    canvas.setFillColorRGB(0.5, 0.5, 0.5)  # the canvas's state before the page
    names.add(store.page_name(canvas, page, "deck"))
    assert base not in names and len(names) == len(changed) + 2


def test_the_packets_pages_of_cards_are_replayed_whole_and_write_a_plain_builds_bytes(
        make_workspace, own_cache, drawn, face_draws, monkeypatch, tmp_path):
    """The packet shows each card's faces scaled in a border, a few rows to a page: such a page's
    faces are kept and replayed as one drawing too (``packet.card_pages``, ``variant``)."""
    ws = make_workspace()
    cold = pdfs(ws, "packet")
    faces_drawn = drawn[0]
    new_process(monkeypatch)
    assert pdfs(ws, "packet") == cold  # each face replayed, and each page of them kept as one
    (path,) = kept_files(own_cache)
    lines = user_cache.unpack_lines(drawstore.MAGIC, path.name, path.read_bytes())
    pages = sum(line[user_cache.NAME:2 * user_cache.NAME] == drawstore.PAGE_SOURCE for line in lines)
    assert pages >= 2
    new_process(monkeypatch)
    drawn[0] = face_draws[0] = 0
    assert pdfs(ws, "packet") == cold
    assert drawn[0] == 0 and face_draws[0] < faces_drawn - 2 * pages  # whole pages: their faces not one by one
    assert cold == uncached(ws, tmp_path, monkeypatch, "packet")


def test_the_packets_page_name_names_its_scale(own_cache):
    """The same faces at the same places in another variant (the packet's scale) are another page."""
    store = drawstore.Store("names")
    style = faces.face_style(*CARD_SIZES["3x5"], False)
    canvas = Canvas(str(own_cache / "x.pdf"))
    face = faces.SetFace(block=None, size=9.0, side="front", source="# Hi")  # type: ignore[arg-type]
    placed = [(face, Rect(10, 10, 100, 60), style, "1/1")]
    names = {store.page_name(canvas, placed, "deck", variant) for variant in ("", "packet, scaled 0.8",
                                                                               "packet, scaled 0.75")}
    assert len(names) == 3
