"""Card faces: setting a face's Markdown at the largest size that fits, splitting, drawing.

A face's body is set at the largest step of the deck's type scale (``render.design``)
at which it fits, down to the legible floor (never lower: a face that cannot fit at the
floor is the user's to shorten, or to split with --split). The steps are the same for the
whole deck, so cards side by side read at the same few sizes. A front's focal line sits
on the same baseline on every card and its tag in the bottom-left corner; a back repeats
its title small above a rule (``render.faceparts`` says which Markdown plays which role).
Every face carries a footer with the deck label and the card's place ``n/N``.

Text is set once at the reference size (``render.pdf.Block``) and measured and drawn at
any size by scaling, so the size search never re-parses Markdown. Set faces are remembered
per (text, style, side), those set in a second process too (``fitmany``), and what the search
decided is kept for the next process (``fitstore``), which sets the text again only when it
measures or draws it (``LazyBlock``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.lib.units import inch, mm

from ..layout.fit import Fit
from ..layout.impose import MARGIN, Rect
from ..layout.sizes import CARD_SIZES
from ..render import design, fonts, replay
from ..render.faceparts import FOCAL_PREFIX, FaceParts, face_parts
from ..render.markup import TextStyle, plain_runs, to_flowables
from ..render.paginate import pack
from ..render.pdf import REFERENCE_SIZE, Block
from ..render.reportlab_seam import Flowable
from ..render.richtext import ASCENT, draw_string, text_width
from . import drawstore, fitstore

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

FLOOR_PT = 7.0  # 3x5 and larger: legible on a card held at arm's length
# Cards smaller than 3x5 (A7 is 105x74 mm against 127x76) go down to 6.5 pt: DejaVu Sans
# has a tall x-height (a 6.5 pt line is as tall as 8 pt Times), such a card is held closer,
# and below 6.5 pt home inkjets start to fill in the counters of e, a and s.
SMALL_FLOOR_PT = 6.5
SHEET_PADDING = 0.16 * inch  # inside a card cut from a sheet: room for a crooked cut or a shifted back
STOCK_PADDING = MARGIN  # stock is the page itself, so the printer's 6 mm margin is kept inside the card
FOOTER_GREY = design.GREY
CONT_MARK = "cont."
ELLIPSIS = "\u2026"
FOOTER_GAP_EM = 0.75  # at least this much (in footer ems) between the label and n/N


@dataclass(frozen=True)
class FaceStyle:
    """The numbers every face of one deck (or every back of it) shares."""

    width: float
    height: float
    padding: float
    floor: float
    inset: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # more room kept free: left, bottom, right, top

    @property
    def footer_size(self) -> float:
        return self.floor  # the footer is text on the card too: never below the floor

    @property
    def left(self) -> float:
        return self.padding + self.inset[0]

    @property
    def bottom(self) -> float:
        return self.padding + self.inset[1]

    @property
    def right(self) -> float:
        return self.padding + self.inset[2]

    @property
    def top(self) -> float:
        return self.padding + self.inset[3]

    @property
    def body(self) -> tuple[float, float]:
        """The text area: inside the padding (and inset), above the footer line."""
        return (self.width - self.left - self.right,
                self.height - self.bottom - self.top - self.footer_size * design.FOOTER_LINE_EM)

    @property
    def scale(self) -> design.CardScale:
        """The deck's type scale for this card size (the same for every face)."""
        return design.card_scale(self.width, self.height, self.floor)

    def moved_by(self, dx: float, dy: float) -> FaceStyle:
        """The style for a face drawn ``dx, dy`` off its card whose text must still stay inside
        the card's padding: the text area gives up |dx| on the side the face moves towards,
        and |dy| likewise, so the moved text lands where the unmoved padding allows.

        For card stock, where the card is the page and the padding is the printer's 6 mm
        margin: a back moved by --back-offset would otherwise print into that margin.
        """
        return FaceStyle(self.width, self.height, self.padding, self.floor,
                         (max(0.0, -dx), max(0.0, -dy), max(0.0, dx), max(0.0, dy)))

    def ceiling(self, side: str) -> float:
        return self.scale.steps(side)[0]


def heading_scale(side: str) -> float:
    """Headings in a face's body are bold at the body's size: a size of their own would be
    one more size on the card (the focal line and the running title are the large and the
    small text, see ``render.faceparts``)."""
    return 1.0


def floor_for(width: float, height: float) -> float:
    """The legible floor for a card size: 7 pt from 3x5 up, 6.5 pt below (see SMALL_FLOOR_PT)."""
    ref_w, ref_h = CARD_SIZES["3x5"]
    tolerance = 0.5 * mm
    return FLOOR_PT if width >= ref_w - tolerance and height >= ref_h - tolerance else SMALL_FLOOR_PT


def face_style(width: float, height: float, stock: bool) -> FaceStyle:
    return FaceStyle(width, height, STOCK_PADDING if stock else SHEET_PADDING, floor_for(width, height))


@dataclass
class SetFace:
    """A face ready to draw: its text (set at the reference size) and the size to draw it at."""

    side: str
    size: float
    block: Block = field(repr=False)
    cont: bool = False  # a continuation card: marked "cont." in the footer
    note: str = ""  # printed before n/N in the footer: a story back's telling time, "≈ 2:10"
    focal: Block | None = field(default=None, repr=False)  # a front's focal line, drawn at focal_size
    focal_size: float = 0.0
    tag: str = ""  # a front's corner tag
    caption: str = ""  # a back's running title
    # The Markdown the face was set from, when its text is all of it (not a split part): what
    # its kept drawing is found by (``outputs.drawstore``).
    source: str | None = field(default=None, repr=False, compare=False)

    @property
    def flowables(self) -> list[Flowable]:
        return self.block.flowables


@dataclass(frozen=True)
class Overflow:
    """How much a face is too long at the floor, for the error message."""

    ratio: float  # needed / available height
    lines: int  # about how many lines at the floor size would have to go
    wide: bool = False  # it is too wide (a table), not too long


def build_face(markdown: str, side: str) -> list[Flowable]:
    """The face's flowables at the reference size."""
    # Cues are short lines read at a glance: less space between them than between paragraphs.
    space_after = design.FRONT_SPACE_AFTER if side == "front" else TextStyle(REFERENCE_SIZE).space_after
    return to_flowables(markdown, TextStyle(REFERENCE_SIZE, heading_scale=heading_scale(side),
                                            space_after=space_after))


def widest(flowables: list[Flowable], words_may_break: bool = False) -> float:
    """The narrowest width (at the flowables' own size) they can be set in without harm.

    The paragraph renderer cuts a word that is wider than the line between two letters
    ("La|mbda"); the size search instead treats a size at which some word is wider than
    the face as not fitting, unless ``words_may_break`` (the last resort). A table cannot
    be narrower than its columns' widest words either way, or it would cross the card edge.
    """
    widths = [f.minWidth() for f in flowables if not (words_may_break and hasattr(f, "words"))]
    return max((w for w in widths if isinstance(w, (int, float))), default=0.0)


def fit_face(markdown: str, style: FaceStyle, side: str) -> SetFace | Overflow:
    """The face at the largest size that fits its card, or how much it overflows at the floor.

    Results are remembered per (text, style, side): ``watch`` rebuilds on every save and
    a deck is built once per paper and flip while the faces stay the same. Callers get
    their own SetFace to mark "cont." on.
    """
    return own_copy(fitted(markdown, style, side))


def own_copy(result: SetFace | Overflow) -> SetFace | Overflow:
    """A set face the caller may mark (cont., a note) without changing the remembered one."""
    return replace(result) if isinstance(result, SetFace) else result


FaceKey = tuple[str, FaceStyle, str]  # (Markdown, style, side): what a face's setting depends on
FITTED_KEPT = 4096  # set faces remembered, the most recently used kept (a deck of 2,000 cards has 4,000)
_FITTED: dict[FaceKey, SetFace | Overflow] = {}  # in use order, oldest first


def fitted(markdown: str, style: FaceStyle, side: str) -> SetFace | Overflow:
    """The remembered setting of a face (not a copy): else the stored one (``fitstore``,
    rebuilt lazily), else set now and stored."""
    key = (markdown, style, side)
    result = _FITTED.pop(key, None)
    if result is None:
        result = from_store(key)
    if result is None:
        result = set_to_fit(markdown, style, side)
        store(key, result)
    remember(key, result)
    return result


def from_store(key: FaceKey, face_store: fitstore.Store | None | bool = True) -> SetFace | Overflow | None:
    """The face as the size search set it in an earlier process (its sizes stored in the user's
    cache), its text not yet set again (``LazyBlock``); None when it is not stored. A caller
    looking up many faces of one style passes its ``fitstore.store_for`` once found."""
    markdown, style, side = key
    if face_store is True:
        face_store = fitstore.store_for(style)
    if not isinstance(face_store, fitstore.Store):
        return None
    entry = face_store.get(fitstore.face_key(markdown, side))
    if entry is None:
        return None
    try:
        return face_of_entry(markdown, side, entry)
    except (ValueError, TypeError):  # not what this code stores: set again, and stored again
        return None


def store(key: FaceKey, result: SetFace | Overflow) -> None:
    """Keep what the size search decided for the next process (written by ``fitstore.flush``)."""
    markdown, style, side = key
    face_store = fitstore.store_for(style)
    if face_store is not None and fitstore.storable(markdown):
        face_store.add(fitstore.face_key(markdown, side), entry_of(result))


def entry_of(result: SetFace | Overflow) -> fitstore.Entry:
    """What is stored of a face: its sizes, and what its parts are without parsing it again."""
    if isinstance(result, Overflow):
        return ["o", None if math.isinf(result.ratio) else result.ratio, result.lines, result.wide]
    return ["s", result.size, result.focal_size, result.focal is not None, has_text(result), result.tag,
            result.caption]


def face_of_entry(markdown: str, side: str, entry: fitstore.Entry) -> SetFace | Overflow:
    """The face an entry describes; ValueError (or TypeError) when it is not a well-formed one."""
    kind, *rest = entry
    if kind == "o":
        ratio, lines, wide = rest
        if not (ratio is None or _number(ratio)) or type(lines) is not int or type(wide) is not bool:
            raise ValueError("bad overflow")
        return Overflow(math.inf if ratio is None else float(ratio), lines, wide)
    if kind != "s":
        raise ValueError("unknown entry")
    size, focal_size, has_focal, text, tag, caption = rest
    if not (_number(size) and _number(focal_size) and type(has_focal) is bool and type(text) is bool
            and isinstance(tag, str) and isinstance(caption, str)):
        raise ValueError("bad face")
    focal = LazyBlock(markdown, side, "focal", True) if has_focal else None
    return SetFace(side, float(size), LazyBlock(markdown, side, "body", text), focal=focal,
                   focal_size=float(focal_size), tag=tag, caption=caption, source=markdown)


def _number(value: object) -> bool:
    return type(value) in (int, float) and math.isfinite(value)  # type: ignore[arg-type]


class LazyBlock(Block):
    """A stored face's text (its body or its focal line), set at the reference size only when
    it is first measured or drawn: ``check`` never needs it, ``build`` when it draws the face.
    Set from the face's Markdown exactly as ``set_to_fit`` sets it, so it draws the same."""

    def __init__(self, markdown: str, side: str, part: str, nonempty: bool) -> None:
        self.reference = REFERENCE_SIZE
        self.recipe = (markdown, side, part)
        self.nonempty = nonempty  # whether it has any flowables (known without setting it)
        self._flowables: list[Flowable] | None = None

    @property
    def flowables(self) -> list[Flowable]:
        if self._flowables is None:
            markdown, side, part = self.recipe
            parts = face_parts(markdown, side)
            block = build_focal(parts.focal) if part == "focal" else Block(build_face(parts.body, side))
            self._flowables = block.flowables if block is not None else []
        return self._flowables

    @flowables.setter
    def flowables(self, value: list[Flowable]) -> None:
        self._flowables = value

    @property
    def is_set(self) -> bool:
        return self._flowables is not None


def unset_text(results: Iterable[SetFace | Overflow]) -> list[LazyBlock]:
    """The text of stored faces not yet set (``LazyBlock``), each once, but for faces whose
    drawing the build has kept (``drawstore.known``): replayed, they are never set."""
    blocks = {id(block): block for result in results if isinstance(result, SetFace)
              for block in (result.block, result.focal) if isinstance(block, LazyBlock) and not block.is_set
              and not drawstore.known(*block.recipe[:2])}
    return list(blocks.values())


def has_text(face: SetFace) -> bool:
    """The face's body has something to draw (a back without text gets ruled lines instead)."""
    block = face.block
    return block.nonempty if isinstance(block, LazyBlock) else bool(block.flowables)


def remembered() -> dict[FaceKey, SetFace | Overflow]:
    """Every remembered setting (a copy of the table, oldest first)."""
    return dict(_FITTED)


def is_remembered(key: FaceKey) -> bool:
    return key in _FITTED


def forget() -> None:
    """Drop every remembered setting, so the next faces are set (or read from the store) again:
    for a comparison of two ways of setting the same text in one process."""
    _FITTED.clear()


def remember(key: FaceKey, result: SetFace | Overflow) -> None:
    """Keep a face's setting (made here or in another process) as the most recently used."""
    _FITTED.pop(key, None)
    _FITTED[key] = result
    while len(_FITTED) > FITTED_KEPT:
        del _FITTED[next(iter(_FITTED))]


def build_focal(focal: str) -> Block | None:
    """A front's focal line at the reference size: bold, its lines balanced."""
    if not focal:
        return None
    return Block(to_flowables(FOCAL_PREFIX + focal, TextStyle(REFERENCE_SIZE, heading_scale=1.0)))


def candidates(style: FaceStyle, side: str, has_focal: bool) -> list[tuple[float, float]]:
    """(focal size, body size) pairs to try, best first, all taken from the deck's scale: the
    body steps down first; only a front that does not fit even with its body at the floor
    lets its focal line step down too."""
    scale = style.scale
    steps = scale.steps(side)
    pairs = [(scale.focal if has_focal else 0.0, size) for size in steps]
    if has_focal:
        pairs += [(focal, steps[-1]) for focal in steps if focal < scale.focal]
    return pairs


def reserved(parts: FaceParts, focal: Block | None, focal_size: float, style: FaceStyle) -> float:
    """Height the fixed parts of a face take from its text area: focal line, tag, running title."""
    body_w, _ = style.body
    small = style.scale.small
    taken = 0.0
    if focal is not None:
        taken += focal.height_at(focal_size, body_w) + design.FOCAL_GAP_EM * focal_size
    if parts.tag:
        taken += small * design.TAG_LINE_EM
    if parts.caption:
        taken += small * (1.0 + 2 * design.CAPTION_RULE_GAP_EM) + design.HAIRLINE
    return taken


def _search(block: Block, style: FaceStyle, side: str, words_may_break: bool, parts: FaceParts,
            focal: Block | None) -> tuple[Fit, float]:
    """The first (focal, body) pair of the scale at which the face fits, where a size at which
    something is too wide counts as not fitting; (Fit, focal size)."""
    body_w, body_h = style.body
    narrowest = widest(block.flowables, words_may_break) / block.reference
    focal_narrowest = widest(focal.flowables, True) / focal.reference if focal else 0.0
    fit = Fit(None, math.inf, body_h)
    focal_size = 0.0
    for focal_size, size in candidates(style, side, focal is not None):
        available = body_h - reserved(parts, focal, focal_size, style)
        if narrowest * size > body_w + 0.01 or focal_narrowest * focal_size > body_w + 0.01:
            fit = Fit(None, math.inf, available)
            continue
        needed = block.height_at(size, body_w)
        if needed <= available + 1e-6:
            return Fit(size, needed, available), focal_size
        fit = Fit(None, needed, available)
    return fit, focal_size


def set_to_fit(markdown: str, style: FaceStyle, side: str) -> SetFace | Overflow:
    """``fit_face`` without remembering: the face parsed, set and sized afresh."""
    parts = face_parts(markdown, side)
    block = Block(build_face(parts.body, side))
    focal = build_focal(parts.focal)
    fit, focal_size = _search(block, style, side, False, parts, focal)
    if fit.size is None:
        # Last resort for a word longer than a whole line even at the floor (a URL, say):
        # let it break between letters, as a book would, rather than refuse the card.
        fit, focal_size = _search(block, style, side, True, parts, focal)
    if fit.size is None:
        if math.isinf(fit.needed):
            return Overflow(math.inf, 0, wide=True)
        line = style.floor * TextStyle(style.floor).leading
        return Overflow(fit.overflow_ratio, max(1, math.ceil((fit.needed - fit.available) / line)))
    return SetFace(side, fit.size, block, focal=focal, focal_size=focal_size, tag=parts.tag, caption=parts.caption,
                   source=markdown)


def split_parts(flowables: list[Flowable], width: float, height: float) -> list[list[Flowable]] | None:
    """Flowables dealt onto as few faces as they need, splitting paragraphs between lines.

    None when some single piece (a table) is taller than a whole face and cannot be split.
    """
    return pack(flowables, width, height, wrap_height=1e9)


def split_face(markdown: str, style: FaceStyle, side: str) -> list[SetFace] | None:
    """An over-long face spread over the fewest cards, at the largest step that keeps that count.

    Every part keeps the face's tag and running title; a focal line joins the text as its
    bold first line, so that it too can continue on the next card when it is that long."""
    parts_of = face_parts(markdown, side)
    scale = style.scale
    body_w, body_h = style.body
    body_h -= reserved(parts_of, None, 0.0, style)
    body = f"# {parts_of.focal}\n\n{parts_of.body}" if parts_of.focal else parts_of.body
    flowables = build_face(body, side)
    counts: dict[float, list[list[Flowable]] | None] = {}
    narrowest = widest(flowables) / REFERENCE_SIZE

    def parts_at(size: float) -> list[list[Flowable]] | None:
        if size not in counts:
            scale = size / REFERENCE_SIZE
            if narrowest * size > body_w + 0.01:
                counts[size] = None
            else:  # deal the reference-size text onto a face scaled down to the reference size
                counts[size] = split_parts(flowables, body_w / scale, body_h / scale)
        return counts[size]

    fewest = parts_at(style.floor)
    if fewest is None:  # a word wider than a line even at the floor: let it break
        narrowest = widest(flowables, words_may_break=True) / REFERENCE_SIZE
        counts.clear()
        fewest = parts_at(style.floor)
    if fewest is None:
        return None

    size = next((s for s in scale.steps(side) if (p := parts_at(s)) is not None and len(p) <= len(fewest)),
                style.floor)
    parts = parts_at(size) or fewest
    faces = [SetFace(side, size, Block(part), cont=i > 0, tag=parts_of.tag, caption=parts_of.caption)
             for i, part in enumerate(parts)]
    for face in faces:  # the dealing must respect the face; check rather than trust
        assert face.block.height_at(size, body_w) <= body_h + 0.5, "split part taller than the card face"
    return faces


def draw_face(canvas: Canvas, rect: Rect, face: SetFace, style: FaceStyle, label: str, position: str) -> None:
    """One face in ``rect``, from the top: the running title and its rule (backs) or the focal
    line (fronts), the text, the tag in the bottom-left corner (fronts), then the footer.
    Nothing is centred, so the same part sits at the same place on every card.

    In ``watch`` an unchanged face's drawing is replayed from the last rebuild where it
    writes the same bytes (``render.replay``): its set text is the same remembered block."""
    if not replay.active():  # a one-shot build (or inside a drawing being recorded): no key to make
        kept = drawstore.current()
        if kept is None:
            _draw_face(canvas, rect, face, style, label, position)
        else:  # drawings kept in the cache folder by the last build (``outputs.drawstore``)
            kept.draw(canvas, face, rect, style, label, position,
                      lambda: _draw_face(canvas, rect, face, style, label, position))
        return
    replay.drawn(canvas, ("face", *drawn_as(face), rect, style, label, position), (face.block, face.focal),
                 lambda: _draw_face(canvas, rect, face, style, label, position))


def drawn_as(face: SetFace) -> tuple:
    """What a face's drawing depends on, its set text by identity (the remembered blocks of
    unchanged faces are the same objects from one rebuild to the next): ``render.replay``'s key."""
    return (id(face.block), id(face.focal), face.side, face.size, face.cont, face.note, face.focal_size, face.tag,
            face.caption)


def _draw_face(canvas: Canvas, rect: Rect, face: SetFace, style: FaceStyle, label: str, position: str) -> None:
    body_w, _ = style.body
    x, top = rect.x + style.left, rect.top - style.top
    small = style.scale.small
    if face.caption:
        canvas.saveState()
        canvas.setFillColor(design.GREY)
        draw_runs(canvas, x, top - ASCENT * small, face.caption, small, body_w)
        rule_y = top - small * (1.0 + design.CAPTION_RULE_GAP_EM)
        canvas.setStrokeColor(design.RULE_GREY)
        canvas.setLineWidth(design.HAIRLINE)
        canvas.line(x, rule_y, x + body_w, rule_y)
        canvas.restoreState()
        top = rule_y - small * design.CAPTION_RULE_GAP_EM - design.HAIRLINE
    if face.focal is not None:
        end = face.focal.draw_at(canvas, face.focal_size, x, top, body_w)
        top = end - design.FOCAL_GAP_EM * face.focal_size
    if face.block.flowables or face.side == "front":
        face.block.draw_at(canvas, face.size, x, top, body_w)
    else:  # a back with nothing to say (a question with no story): lines to write an answer on
        draw_ruled_lines(canvas, x, top, body_w, rect.y + style.bottom + style.footer_size * design.FOOTER_LINE_EM)
    canvas.saveState()
    canvas.setFillColor(FOOTER_GREY)
    size = style.footer_size
    if face.tag:
        draw_runs(canvas, x, rect.y + style.bottom + size * design.FOOTER_LINE_EM, face.tag, small, body_w)
    room = body_w - text_width(position, fonts.BODY, size) - FOOTER_GAP_EM * size
    if face.note and (note_w := text_width(face.note, fonts.BODY, size) + FOOTER_GAP_EM * size) <= room / 2:
        room -= note_w  # the note (a story's telling time) sits before n/N; the deck label gives way first
        draw_string(canvas, rect.right - style.right - (body_w - room - note_w), rect.y + style.bottom,
                    face.note, fonts.BODY, size, right=True)
    left = footer_left(label, face.cont, room, size)
    if left:
        draw_string(canvas, x, rect.y + style.bottom, left, fonts.BODY, size)
    draw_string(canvas, rect.right - style.right, rect.y + style.bottom, position, fonts.BODY, size, right=True)
    canvas.restoreState()


def draw_ruled_lines(canvas: Canvas, x: float, top: float, width: float, bottom: float) -> None:
    """Writing lines from ``top`` down to ``bottom``, ``design.RULED_PITCH`` apart."""
    canvas.saveState()
    canvas.setStrokeColor(design.RULE_GREY)
    canvas.setLineWidth(design.HAIRLINE)
    y = top - design.RULED_PITCH
    while y >= bottom:
        canvas.line(x, y, x + width, y)
        y -= design.RULED_PITCH
    canvas.restoreState()


def draw_runs(canvas: Canvas, x: float, y: float, text: str, size: float, width: float) -> None:
    """One line of plain text at (x, baseline y) in the canvas's fill colour, each character
    in a bundled font that has it, cut short with an ellipsis where it is wider than ``width``."""
    runs = plain_runs(text)
    total = sum(text_width(r.text, r.font, size) for r in runs)
    if total > width:
        # The characters that fit before the ellipsis, each run's kept as one string (a fifth
        # of the deck's captions are cut, character by character: no tuple per character).
        kept: list[tuple[str, str]] = []  # (font, text)
        room = width - text_width(ELLIPSIS, fonts.BODY, size)
        for run in runs:
            font, count = run.font, 0
            for char in run.text:
                w = text_width(char, font, size)
                if w > room:
                    break
                room -= w
                count += 1
            else:
                kept.append((font, run.text))
                continue
            kept.append((font, run.text[:count]))
            break
        while kept and (not kept[-1][1] or kept[-1][1][-1] in " ·,;:"):
            font, kept_text = kept.pop()
            if kept_text:
                kept.append((font, kept_text[:-1]))
        pieces = _joined_by_font(kept)
        pieces.append((fonts.BODY, ELLIPSIS))
    else:
        pieces = [(r.font, r.text) for r in runs]
    for font, piece in pieces:
        draw_string(canvas, x, y, piece, font, size)
        x += text_width(piece, font, size)


def _joined_by_font(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(font, text) pieces with the empty ones dropped and neighbours in one font joined."""
    out: list[tuple[str, str]] = []
    for font, text in pieces:
        if not text:
            continue
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + text)
        else:
            out.append((font, text))
    return out


@lru_cache(maxsize=4096)
def footer_left(label: str, cont: bool, room: float, size: float) -> str:
    """The footer's left part in ``room`` points: the deck label, then " · cont." on a
    continuation card, the label cut short with an ellipsis where the two do not fit.

    The footer's right part, ``n/N``, is what puts a dropped deck back in order, so it is
    always printed whole and its room is taken first (by the caller). Next comes "cont.",
    which says the card is not the whole answer, and last the label, which only tells two
    decks apart: on a narrow card the label gives way, down to its first letter and then
    entirely, before anything else does. Nothing is ever drawn over n/N or past the edge.
    """
    suffix = f" · {CONT_MARK}" if cont else ""

    def fits(text: str) -> bool:
        return text_width(text, fonts.BODY, size) <= room + 1e-6

    if fits(label + suffix):
        return label + suffix

    def cut(length: int) -> str:  # "Amazon SDE loop · Oct 9" -> "Amazon SDE loop…", not "loop ·…"
        return label[:length].rstrip(" \t·•-–—,;:/|") + ELLIPSIS + suffix

    lo, hi = 0, len(label)  # the longest prefix that fits with the ellipsis: binary search on its length
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(cut(mid)):
            lo = mid
        else:
            hi = mid - 1
    if lo > 0 and cut(lo) != ELLIPSIS + suffix:
        space = label.rfind(" ", 0, lo + 1)  # whole words read better: "Amazon…" over "Amazon O…"
        if space > 0 and cut(space) != ELLIPSIS + suffix:
            return cut(space)
        return cut(lo)
    for fallback in ((CONT_MARK,) if cont else ()) + (ELLIPSIS,):
        if fits(fallback):
            return fallback
    return ""
