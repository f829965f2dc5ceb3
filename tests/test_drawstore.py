"""Card faces' drawings kept in the user's cache folder (``outputs.drawstore``): a warm build
replays them and sets no text, yet writes the very bytes of a build without any cache; an edit
that gives characters other codes, a damaged or foreign file, a font outside the key and
DECKBUILDER_NO_CACHE all fall back to drawing, still byte for byte the same."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest

from deckbuilder import alongside
from deckbuilder import cache as user_cache
from deckbuilder.build import BuildOptions, build
from deckbuilder.outputs import drawstore, faces, fitstore, sheets
from deckbuilder.render import replay
from deckbuilder.workspace import Workspace


@pytest.fixture
def own_cache(tmp_path, monkeypatch) -> Path:
    """A cache folder of this test's own, and everything drawn in this process (so that every
    replay is counted)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(folder))
    monkeypatch.setattr(alongside, "available", lambda: False)
    # the cut lines, drawn once per build and taken again on each sheet, are not counted here
    monkeypatch.setattr(sheets._SameOnEveryPage, "draw", lambda self, canvas: self._draw())
    new_process(monkeypatch)
    yield folder
    fitstore.forget()


@pytest.fixture
def drawn(monkeypatch) -> list[int]:
    """How many card faces were drawn (not replayed) since the last reset: ``drawn[0]``."""
    count = [0]
    draw = faces._draw_face

    def counting(*args, **kwargs):
        count[0] += 1
        draw(*args, **kwargs)

    monkeypatch.setattr(faces, "_draw_face", counting)
    return count


def new_process(monkeypatch) -> None:
    """What a fresh process knows: no face remembered, no store read."""
    monkeypatch.setattr(faces, "_FITTED", {})
    fitstore.forget()


def pdfs(ws: Path, *only: str) -> dict[str, str]:
    written, _ = build(Workspace.at(ws), BuildOptions(only=only))
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in written}


def uncached(ws: Path, tmp_path: Path, monkeypatch, *only: str) -> dict[str, str]:
    """The PDFs a build of a copy of ``ws``'s content writes with no cache at all."""
    copy = tmp_path / f"uncached-{len(list(tmp_path.glob('uncached-*')))}"
    shutil.copytree(ws / "content", copy / "content")
    with monkeypatch.context() as patch:
        patch.setenv("DECKBUILDER_NO_CACHE", "1")
        new_process(patch)
        return pdfs(copy, *only)


def kept_files(folder: Path) -> list[Path]:
    return sorted((folder / drawstore.KIND).glob("*")) if (folder / drawstore.KIND).is_dir() else []


def test_a_warm_build_replays_every_face_sets_no_text_and_writes_the_same_bytes(
        make_workspace, own_cache, counted, drawn, monkeypatch, tmp_path):
    ws = make_workspace()
    cold = pdfs(ws)
    assert len(kept_files(own_cache)) == 2  # the deck's and the packet's
    assert counted["replayed"] == 0
    faces_drawn, drawn[0] = drawn[0], 0
    assert faces_drawn >= 20  # the deck's faces, and the packet's copies of them
    new_process(monkeypatch)
    warm = pdfs(ws)
    assert counted == {"replayed": faces_drawn, "refused": 0} and drawn[0] == 0
    assert warm == cold == uncached(ws, tmp_path, monkeypatch)
    lazy = [block for face in faces.remembered().values() if isinstance(face, faces.SetFace)
            for block in (face.block, face.focal) if isinstance(block, faces.LazyBlock)]
    assert lazy and not any(block.is_set for block in lazy)  # replayed faces were never set


def test_an_edit_that_moves_the_font_codes_still_writes_a_plain_builds_bytes(
        make_workspace, own_cache, counted, drawn, monkeypatch, tmp_path):
    """The edit adds characters the deck had not shown, early in the deck: they take codes
    that later faces' characters had, so those faces are drawn again, not replayed."""
    ws = make_workspace()
    pdfs(ws)
    faces_drawn = drawn[0]
    deep_dive = ws / "content" / "deep-dive.yaml"
    text = deep_dive.read_text("utf-8")
    assert "title:" in text
    deep_dive.write_text(text.replace("title:", "title: Жёлудь ¿", 1), "utf-8")
    new_process(monkeypatch)
    counted.update(replayed=0, refused=0)
    assert pdfs(ws) == uncached(ws, tmp_path, monkeypatch)
    assert counted["refused"] > 0 and counted["replayed"] > 0, counted
    new_process(monkeypatch)
    counted.update(replayed=0, refused=0)
    drawn[0] = 0
    again = pdfs(ws)  # the new drawings were kept in turn (and the pages all of whose faces were replayed)
    assert counted["refused"] == 0 and 0 < counted["replayed"] <= faces_drawn and drawn[0] == 0
    assert again == uncached(ws, tmp_path, monkeypatch)


def _lines(path: Path, key: str) -> list[bytes]:
    return user_cache.unpack_lines(drawstore.MAGIC, key, path.read_bytes())


@pytest.mark.parametrize("damage", ["checksum", "cut short", "bad drawings"])
def test_a_damaged_file_is_a_miss_and_is_written_again(make_workspace, own_cache, counted, drawn, monkeypatch,
                                                       damage):
    ws = make_workspace()
    cold = pdfs(ws, "cards")
    faces_drawn, drawn[0] = drawn[0], 0
    [path] = kept_files(own_cache)
    key = path.name
    blob = path.read_bytes()
    if damage == "checksum":
        path.write_bytes(blob[:-10] + bytes([blob[-10] ^ 1]) + blob[-9:])
    elif damage == "cut short":
        path.write_bytes(blob[:len(blob) // 2])
    else:  # whole and checked, but what each line holds is not a drawing (or names a font not ours)
        bad = [b"[]", b"[1,2,3,4]", b'{"a":1}\x1fq', b"[0,[],[]", b'[0,["Helvetica"],[]]\x1fq',
               b'[0,[],[["NoSuchFont",false,0,null,"","","","",0]]]\x1fq', b'[0,[],[["Deck",1,0,null,"a","","",""]]]\x1fq',
               b'[0,[],[["Deck",false,0,null,"ab","\\u0001","","",0]]]\x1fq', b"[0,[],[]]\x1f\xff\xfe", b"\xff\xfe"]
        lines = [line[:2 * drawstore.NAME] + bad[n % len(bad)] for n, line in enumerate(_lines(path, key))]
        path.write_bytes(b"".join(user_cache.pack_lines(drawstore.MAGIC, key, lines)))
    new_process(monkeypatch)
    counted.update(replayed=0, refused=0)
    assert pdfs(ws, "cards") == cold
    assert counted["replayed"] == 0 and drawn[0] == faces_drawn
    assert len(_lines(path, key)) == faces_drawn  # written again, whole
    new_process(monkeypatch)
    assert pdfs(ws, "cards") == cold
    assert counted["replayed"] == faces_drawn


def test_faces_in_a_font_outside_the_key_are_never_kept(make_workspace, own_cache, counted, monkeypatch):
    """The deck's label is on every face's footer: in a script no bundled font has, it is set
    in a workspace or system font (or left out until one is added), which the key does not
    name, so no face is kept; a build that keeps none writes no file."""
    ws = make_workspace()
    interview = ws / "content" / "interview.yaml"
    interview.write_text(interview.read_text("utf-8").replace("label: Example", "label: 東京 loop", 1), "utf-8")
    first = pdfs(ws, "cards")
    new_process(monkeypatch)
    assert pdfs(ws, "cards") == first
    assert kept_files(own_cache) == [] and counted["replayed"] == 0


def test_no_cache_keeps_no_drawing(make_workspace, own_cache, counted, monkeypatch):
    monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")
    ws = make_workspace()
    first = pdfs(ws)
    new_process(monkeypatch)
    assert pdfs(ws) == first
    assert not own_cache.exists() and counted["replayed"] == 0


def test_watch_keeps_its_own_drawings_not_the_files(make_workspace, own_cache, capsys):
    from deckbuilder.commands.watch import Watcher

    ws = make_workspace()
    assert Watcher(Workspace.at(ws), BuildOptions()).rebuild() is True
    assert kept_files(own_cache) == []  # watch replays within its process (render.replay)
    capsys.readouterr()


def test_a_file_of_kept_lines_keeps_this_builds_and_older_ones_up_to_as_many_again(own_cache, monkeypatch):
    def line(n: int) -> bytes:
        return f"{n:032x}".encode() + b"[]"

    def kept() -> user_cache.KeptLines:
        return user_cache.KeptLines("lines", "k", b"magic\n", 7)

    store = kept()
    for n in range(6):
        store.add(line(n))
    assert store.flush() is True
    store = kept()
    assert len(store.lines) == 6
    assert store.get(line(4)[:32]) == line(4) and store.get(b"f" * 32) is None
    store.add(line(9))
    store.flush()
    assert list(kept().lines) == [line(n)[:32] for n in (3, 5, 4, 9)]  # the two older ones last written, then 4, 9
    store = kept()
    for n in range(10, 16):
        store.add(line(n))
    store.flush()
    assert len(kept().lines) == 7  # at most max_lines
    assert kept().flush() is False  # nothing new: not written again
    monkeypatch.setattr(user_cache, "MAX_BYTES", 4096 + 50)  # two lines, 70 bytes: what no read would take back
    store = kept()
    store.add(line(20))
    assert store.flush() is False and kept().get(line(20)[:32]) is None


def test_a_drawing_in_another_canvas_state_is_not_replayed(own_cache, monkeypatch):
    """A face drawn after the canvas's fill colour changed is another drawing (its key says
    the state it starts from), so replaying never writes what drawing there would not."""
    from reportlab.lib.colors import red

    from deckbuilder.layout.impose import Rect
    from deckbuilder.layout.sizes import CARD_SIZES
    from deckbuilder.render.pdf import Meta, new_canvas

    style = faces.face_style(*CARD_SIZES["3x5"], False)
    face = faces.fit_face("Ship the **fix** first", style, "front")
    assert isinstance(face, faces.SetFace) and face.source is not None

    def page(store: drawstore.Store | None, red_first: bool) -> bytes:
        out = io.BytesIO()
        canvas = new_canvas(out, (400, 600), Meta("t"))
        # the document's first drawing is never kept (it raises the file's PDF version)
        faces._draw_face(canvas, Rect(10, 300, style.width, style.height), face, style, "deck", "1/2")
        if red_first:
            canvas.setFillColor(red)
        rect = Rect(10, 10, style.width, style.height)

        def draw() -> None:
            faces._draw_face(canvas, rect, face, style, "deck", "1/1")

        if store is None:
            draw()
        else:
            store.draw(canvas, face, rect, style, "deck", "1/1", draw)
        canvas.showPage()
        canvas.save()
        return out.getvalue()

    store = drawstore.Store("state")
    assert page(store, False) == page(None, False)
    assert len(store.kept.new) == 1
    assert page(store, True) == page(None, True)
    assert len(store.kept.new) == 2  # not the first drawing replayed: another entry
    plays = []
    monkeypatch.setattr(replay.Drawing, "replay", lambda self, canvas: plays.append(1) or None)
    page(store, True)
    assert plays == [1]


@pytest.mark.parametrize("data", [
    None, [], ["q", 0, [], []][:3], [1, 0, [], []], ["q", -1, [], []], ["q", 0, "Deck", []],
    ["q", 0, [], [["Deck", False, 0, None, "ab", "\x01", "", "", 0]]],  # characters without codes
    ["q", 0, [], [["Deck", False, 0, None, "", "", "", 0]]],  # one part short
    ["q", 0, [], [["Deck", 0, 0, None, "", "", "", "", 0]]],  # not a bool
    ["q", 0, [], [["Deck", False, 0, 7, "", "", "", "", 0]]],  # an internal name that is not text
    ["q", 0, [], [["Deck", False, 0, None, "", "", [], "", 0]]],  # uncoded characters not as text
    ["q", 0, [], [["Nope", False, 0, None, "", "", "", "", 0]]],  # a font not bundled
])
def test_what_is_not_a_drawing_is_refused(data, monkeypatch):
    with pytest.raises((ValueError, TypeError, KeyError)):
        replay.drawing_of(data, drawstore._font_named)


def test_a_drawing_survives_its_data_and_back():
    from deckbuilder.render.pdf import Meta, new_canvas
    from deckbuilder.render.richtext import draw_string

    out = io.BytesIO()
    canvas = new_canvas(out, (300, 300), Meta("t"))
    drawing = replay.record(canvas, lambda: draw_string(canvas, 10, 10, "Ж ✅ ok", "Deck", 9))
    assert drawing is not None
    data = drawing.data()
    assert data is not None
    again = replay.drawing_of(data, drawstore._font_named)
    assert again.data() == data and again.code == ["\n".join(drawing.code)]


def test_the_cut_lines_are_drawn_once_and_taken_again_where_the_state_is_the_same():
    """``sheets._SameOnEveryPage``: the same bytes as drawing on every page, and drawn again on
    a page where the canvas starts in another state. A document's first drawing changes its
    PDF version (reportlab's transparency, first met there) and is never taken again."""
    from reportlab.lib.colors import red

    from deckbuilder.layout.impose import choose_grid
    from deckbuilder.layout.sizes import CARD_SIZES, paper_size
    from deckbuilder.render.pdf import Meta, new_canvas

    grid = choose_grid(*paper_size("letter"), *CARD_SIZES["3x5"])
    draws: list[int] = []

    def pdf(same: bool) -> bytes:
        out = io.BytesIO()
        canvas = new_canvas(out, (grid.sheet_w, grid.sheet_h), Meta("t"))
        now = [0]
        cuts = sheets._SameOnEveryPage(lambda: (draws.append(now[0]), sheets.draw_cut_lines(canvas, grid)))
        for page in range(1, 7):
            now[0] = page
            if page == 4:
                canvas.setStrokeColor(red)
            cuts.draw(canvas) if same else sheets.draw_cut_lines(canvas, grid)
            canvas.showPage()
        canvas.save()
        return out.getvalue()

    assert pdf(True) == pdf(False)
    assert draws == [1, 2, 4, 5]  # 3 taken from 2; 4 starts red; 6 taken from 5


def test_a_face_with_a_link_is_drawn_every_time_and_the_rest_replayed(make_workspace, own_cache, counted, drawn,
                                                                       monkeypatch, tmp_path):
    """A link is an annotation of the document, not an operator on the page (``replay.record``
    keeps no drawing that changes more than its page's operators)."""
    ws = make_workspace()
    stories = ws / "content" / "stories.yaml"
    text = stories.read_text("utf-8")
    at = text.index("title:")
    line_end = text.index("\n", at)
    stories.write_text(text[:line_end] + " [runbook](https://example.com/runbook)" + text[line_end:], "utf-8")
    cold = pdfs(ws, "cards")
    faces_drawn, drawn[0] = drawn[0], 0
    new_process(monkeypatch)
    assert pdfs(ws, "cards") == cold == uncached(ws, tmp_path, monkeypatch, "cards")
    assert 0 < counted["replayed"] < faces_drawn, counted  # the linked face (and the uncached build) drawn


def test_a_selection_keeps_its_own_drawings_and_leaves_the_whole_decks(make_workspace, own_cache, counted, drawn,
                                                                      monkeypatch):
    """A file keeps what its last build used and as much again: a build of one selected card
    sharing the deck's file would have left it two cards' drawings."""
    ws = make_workspace()
    whole = pdfs(ws, "cards")
    faces_drawn = drawn[0]
    new_process(monkeypatch)
    written, _ = build(Workspace.at(ws), BuildOptions(only=("cards",), select=("outage-call",)))
    assert [path.name for path in written] == ["cards-selection.pdf"]
    new_process(monkeypatch)
    drawn[0] = 0
    counted.update(replayed=0, refused=0)
    assert pdfs(ws, "cards") == whole
    assert drawn[0] == 0 and counted["replayed"] == faces_drawn
