"""Card faces' drawings kept in the user's cache folder from one build to the next.

A build after a one-line edit drew every card face again although all but one or two were
unchanged: setting their text (Markdown parsed, lines broken) and drawing it was most of a
warm build of a large deck (1,000 cards: about 0.35 s of setting and 0.33 s of drawing in a
1.0 s build). ``watch`` already replays unchanged faces' drawings within its process
(``render.replay``); this keeps them on disk, so a one-shot ``build`` replays them too, and
a face whose drawing is kept is not even set (``known``: ``fitmany.set_text`` skips it).

A drawing is replayed only where it writes the very bytes drawing would (``replay.Drawing.fits``:
every character it shows has the code it had in the document's font subsets), and its key
names everything else it depends on: the face's Markdown, side, sizes, tag, caption, note and
"cont." mark, the face style, where it goes on the page, the deck's label and the card's n/N,
and the canvas's state before it (``reportlab_seam.drawing_state``); the file's key names the
code that draws (the layout fingerprint and this module), reportlab's and the parsers'
versions, the bundled fonts and the Python version. Only drawings in bundled fonts are kept
(a workspace or system font is not in the key); a drawing that changes more than its page's
operators and the font subsets is never kept (``replay.record``).

One file per workspace and output (the deck and the packet, drawn in two processes, each write
their own), written at the end of drawing that output if it drew a face that was not kept.
It holds the drawings used by that build, and older ones up to as many again (another card
size's, say), at most ``MAX_ENTRIES``; a ``--select`` build keeps its own file. Data only: a line per
drawing (``cache.pack_lines``: magic, key and CRC-32 checked as the file is read), each drawing's
data (JSON, and its operators as plain text: ``encoded``) read and checked only when its face
is drawn; anything unexpected is a miss.

A page of faces (``Store.draw_page``, a sheet's fronts or backs, or a page of the packet's cards
with their borders, scaled) is kept as one drawing too,
once each of its faces was replayed from its own: looking up, decoding and checking a drawing
was most of a replayed face's cost (about 40 µs), and a page of four is one lookup. Its key is
the canvas's state before the page and each face's key but for the state before it, which a
replay leaves as it was; it names its faces' drawings, which stay in the file while it is used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import astuple
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import cache as user_cache
from ..render import replay
from ..render.reportlab_seam import document_of, drawing_state, registered_fonts
from . import fitstore

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from ..layout.impose import Rect
    from .faces import FaceStyle, SetFace

FORMAT = 2  # 2: the operators as raw text after the JSON (``encoded``)
KIND = "drawings"
MAGIC = b"deckbuilder face drawings\n"
MAX_ENTRIES = 15_000  # a deck of 5,000 cards draws 10,000 faces (about 1.1 kB each) on 2,500 pages (4.4 kB)


@cache
def code_fingerprint() -> str:
    """The layout fingerprint (the code that sets and draws a face) and this module."""
    digest = hashlib.sha256(fitstore.layout_fingerprint().encode())
    user_cache.add_files(digest, [Path(__file__).resolve()])
    return digest.hexdigest()


def file_key(root: Path, output: str) -> str:
    """The name of ``output``'s file for the workspace at ``root``, given this code, these fonts,
    this reportlab and these parsers."""
    import sys

    from reportlab import Version

    meta = "|".join([str(FORMAT), Version, f"{sys.version_info[0]}.{sys.version_info[1]}", code_fingerprint(),
                     fitstore.font_identity(), fitstore.parser_identity(), str(root), output])
    return hashlib.sha256(meta.encode("utf-8", "surrogatepass")).hexdigest()[:40]


NAME = user_cache.NAME  # hex digits of an entry's name, then of its face's fitstore key, then its drawing (``encoded``)


class Store:
    """One workspace's kept drawings for one output (``cache.KeptLines``).

    An entry is one line of the file: its name (the hash of everything the drawing depends
    on), the face's fitstore key (``known``), then the drawing (``encoded``), read only when
    the face is drawn."""

    def __init__(self, key: str) -> None:
        self.kept = user_cache.KeptLines(KIND, key, MAGIC, MAX_ENTRIES)
        self.sources = {line[NAME:2 * NAME] for line in self.kept.lines.values()}
        self._styles: dict[int, tuple[FaceStyle, str]] = {}
        self._joined: replay.Joined | None = None  # the page's faces replayed so far (``draw_page``)
        self._joined_names: list[bytes] = []

    def draw(self, canvas: Canvas, face: SetFace, rect: Rect, style: FaceStyle, label: str, position: str,
             draw: Callable[[], None]) -> None:
        """The face's kept drawing replayed where it writes what ``draw()`` would; else
        ``draw()``, its drawing kept for the next build when it can be."""
        if face.source is None or replay.recording():  # a part of a split face, or within a recorded drawing
            self._joined = None
            draw()
            return
        source = fitstore.face_key(face.source, face.side).encode()
        name = self._name(canvas, face, source, rect, style, label, position)
        line = self.kept.get(name)
        if line is not None:
            drawing = _drawing(line[2 * NAME:])
            if drawing is not None and drawing.fits(document_of(canvas)):
                if self._joined is not None:
                    self._joined.replay(drawing)
                    self._joined_names.append(name)
                else:
                    drawing.replay(canvas)
                return
        self._joined = None  # drawn: the page is not made of replays only
        drawing = replay.record(canvas, draw)
        if (drawing is None or not drawing.font_names() <= bundled()
                or not fitstore.storable(f"{face.source}\n{label}\n{position}")):
            return  # a workspace or system font's, or one that would be (not in the key): drawn each time
        data = drawing.data()
        text = encoded(data) if data is not None else None
        if text is not None:
            self.kept.add(name + source + text)

    def draw_page(self, canvas: Canvas, faces: list[tuple[SetFace, Rect, FaceStyle, str]], label: str,
                  draw: Callable[[], None], variant: str = "") -> None:
        """A page's faces (each its face, place, style and n/N), drawn one after another by
        ``draw()`` (which draws each with ``draw_face``), replayed as one drawing where that
        writes what ``draw()`` would. A page's drawing is kept when each of its faces was
        replayed from its own kept drawing: the next build looks up, decodes and checks one
        drawing instead of one a face. Its key is the canvas's state before the page and
        each face's key but the state before it: a face's replay leaves the canvas as it was
        (``replay.record`` keeps no drawing that changes it), so that is the page's state.
        ``variant`` names whatever else ``draw()`` draws around the faces (the packet's border
        and scale: ``packet.card_pages``), which must show no text."""
        if not faces or replay.recording() or any(face.source is None for face, *_ in faces):
            draw()
            return
        name = self.page_name(canvas, faces, label, variant)
        line = self.kept.get(name)
        if line is not None:
            names, _, kept = line[2 * NAME:].partition(PAGE)
            drawing = _drawing(kept)
            if drawing is not None and drawing.fits(document_of(canvas)):
                drawing.replay(canvas)
                self.kept.touch(names[i:i + NAME] for i in range(0, len(names), NAME))  # its faces' drawings stay
                return
        self._joined, self._joined_names = replay.Joined(canvas), []
        try:
            draw()
            joined, replayed = self._joined, self._joined_names
        finally:
            self._joined = None
        made = joined.drawing() if joined is not None and len(replayed) == len(faces) else None
        if made is None or not made.font_names() <= bundled():
            return
        data = made.data()
        text = encoded(data) if data is not None else None
        if text is not None:
            self.kept.add(name + PAGE_SOURCE + b"".join(replayed) + PAGE + text)

    def page_name(self, canvas: Canvas, faces: list[tuple[SetFace, Rect, FaceStyle, str]], label: str,
                  variant: str = "") -> bytes:
        """The name of the page's drawing: the canvas's state, and each face's key but that state."""
        parts = [self._fields(face, fitstore.face_key(face.source or "", face.side).encode(),
                              rect, self._style(style), label, position) for face, rect, style, position in faces]
        page = ("page", variant) if variant else "page"  # a sheet's pages keep their names
        return hashlib.blake2b(repr((page, drawing_state(canvas), parts)).encode("utf-8", "surrogatepass"),
                               digest_size=NAME // 2).hexdigest().encode()

    @staticmethod
    def _fields(face: SetFace, source: bytes, rect: Rect, style: str, label: str, position: str) -> tuple:
        return (source, face.size, face.cont, face.note, face.focal is not None, face.focal_size, face.tag,
                face.caption, rect.x, rect.y, rect.w, rect.h, style, label, position)

    def _name(self, canvas: Canvas, face: SetFace, source: bytes, rect: Rect, style: FaceStyle, label: str,
              position: str) -> bytes:
        return hashlib.blake2b(repr((*self._fields(face, source, rect, self._style(style), label, position),
                                     drawing_state(canvas))).encode("utf-8", "surrogatepass"),
                               digest_size=NAME // 2).hexdigest().encode()

    def _style(self, style: FaceStyle) -> str:
        kept = self._styles.get(id(style))
        if kept is None or kept[0] is not style:
            kept = self._styles[id(style)] = (style, repr((astuple(style), astuple(style.scale))))
        return kept[1]

    def flush(self) -> bool:
        """Write the file if a drawing was made here (``cache.KeptLines.flush``)."""
        written = self.kept.flush()
        self.sources = {line[NAME:2 * NAME] for line in self.kept.lines.values()}
        return written


_OPEN: dict[str, Store] = {}  # by output, for the build under way (``opened``)
_current: Store | None = None


@cache
def bundled() -> frozenset[str]:
    """The bundled fonts' names: a drawing in any other font is never kept."""
    from ..render import fonts

    return fonts.BUNDLED


@contextmanager
def opened(root: Path, outputs: list[str], selection: bool = False) -> Iterator[None]:
    """The kept drawings of ``outputs`` in the workspace at ``root`` loaded for this block (a
    build): ``known`` answers from them, and ``drawing(output)`` draws with them. A
    ``selection`` (``--select``) keeps its own: a file keeps what its last build used and as
    much again, and a few selected cards would leave little of the whole deck's."""
    if user_cache.cache_dir() is None:
        yield
        return
    was = dict(_OPEN)
    _OPEN.update({output: Store(file_key(root.resolve(), f"{output} selection" if selection else output))
                  for output in outputs})
    try:
        yield
    finally:
        _OPEN.clear()
        _OPEN.update(was)


@contextmanager
def drawing(output: str) -> Iterator[None]:
    """Within this block ``draw_face`` uses ``output``'s kept drawings (if a build opened
    them), and what it drew is written when the block ends without an error."""
    global _current
    was, _current = _current, _OPEN.get(output)
    try:
        yield
        if _current is not None:
            _current.flush()
    finally:
        _current = was


def current() -> Store | None:
    """The store ``draw_face`` draws with now, if any."""
    return _current


def known(markdown: str, side: str) -> bool:
    """Some output of this build has a kept drawing of the face ``markdown`` sets on ``side``:
    its text need not be set before drawing (if the drawing cannot be replayed after all, the
    face's ``LazyBlock`` sets it then)."""
    if not _OPEN:
        return False
    source = fitstore.face_key(markdown, side).encode()
    return any(source in store.sources for store in _OPEN.values())


PAGE = b"\x1d"  # ends a page's entry's faces' names (hex digits), before its drawing
PAGE_SOURCE = b"p" * NAME  # a page's entry in place of a face's fitstore key (hex digits: never one)
OPERATORS = b"\x1f"  # ends the JSON part of an entry (JSON writes every control character escaped)
LINE = "\x1e"  # stands for a newline between operators (an entry is one line of the file)


def encoded(data: list[Any]) -> bytes | None:
    """A drawing's data (``replay.Drawing.data``) as an entry's text: the JSON of all but the
    operators, then the operators as they are (ASCII, a newline written as ``LINE``): decoding
    1.2 kB of operators from a JSON string was half of what replaying a face cost. None when
    the operators hold a character this form cannot (they never do: reportlab writes printable
    ASCII and escapes the rest)."""
    code, *rest = data
    if not code.isascii() or LINE in code or OPERATORS.decode() in code:
        return None
    return json.dumps(rest, separators=(",", ":"), ensure_ascii=False).encode() + OPERATORS + code.replace(
        "\n", LINE).encode("ascii")


def decoded(text: bytes) -> list[Any]:
    """The data ``encoded`` wrote (ValueError, or another error, for text it did not write)."""
    end = text.index(OPERATORS)
    rest = json.loads(text[:end])
    if not isinstance(rest, list):
        raise ValueError("not a drawing")
    return [text[end + 1:].decode("ascii").replace(LINE, "\n"), *rest]


def _drawing(text: bytes) -> replay.Drawing | None:
    try:
        return replay.drawing_of(decoded(text), _font_named_once)
    except (ValueError, TypeError, KeyError, RecursionError):  # JSON's and the decoding's errors are ValueErrors
        return None


_FONTS: dict[str, Any] = {}


def _font_named_once(name: str) -> Any:
    """``_font_named``, the registration made once (a font registered anew is looked up anew)."""
    font = _FONTS.get(name)
    if font is None or registered_fonts().get(name) is not font:
        font = _FONTS[name] = _font_named(name)
    return font


def _font_named(name: str) -> Any:
    """A bundled font by name, registered now if it was not yet (a face whose text was not set
    may be the first thing to need it); KeyError for any other name."""
    from reportlab.pdfbase import pdfmetrics

    from ..render import fonts

    if name not in bundled():
        raise KeyError(name)
    return pdfmetrics.getFont(fonts.ensure(name))
