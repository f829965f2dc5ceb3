"""Card faces: setting a face's Markdown at the largest size that fits, splitting, drawing.

A face is set at one size, searched from a comfortable maximum down to a legible floor
(never lower: a face that cannot fit at the floor is the user's to shorten, or to split
with --split). Fronts are cues read at a glance, so they may grow large and sit in the
middle of the card; backs are read, so they stop at a book-like size and start at the top.
Every face carries a footer with the deck label and the card's place ``n/N``.

Text is set once at the reference size (``render.pdf.Block``) and measured and drawn at
any size by scaling, so the size search never re-parses Markdown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab.lib.colors import HexColor
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from ..layout.fit import Fit, largest_fitting
from ..layout.impose import MARGIN, Rect
from ..layout.sizes import CARD_SIZES
from ..render import fonts
from ..render.markup import TextStyle, to_flowables
from ..render.pdf import REFERENCE_SIZE, Block, gap_between
from ..render.richtext import draw_string, text_width

FLOOR_PT = 7.0  # 3x5 and larger: legible on a card held at arm's length
# Cards smaller than 3x5 (A7 is 105x74 mm against 127x76) go down to 6.5 pt: DejaVu Sans
# has a tall x-height (a 6.5 pt line is as tall as 8 pt Times), such a card is held closer,
# and below 6.5 pt home inkjets start to fill in the counters of e, a and s.
SMALL_FLOOR_PT = 6.5
FRONT_CEILING_PT = 22.0  # a front is a few cue words: let them be big
BACK_CEILING_PT = 12.0  # a back is read like a page; larger only wastes room
SHEET_PADDING = 0.16 * inch  # inside a card cut from a sheet: room for a crooked cut or a shifted back
STOCK_PADDING = MARGIN  # stock is the page itself, so the printer's 6 mm margin is kept inside the card
FOOTER_GREY = HexColor("#555555")
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
                self.height - self.bottom - self.top - self.footer_size * 1.6)

    def moved_by(self, dx: float, dy: float) -> "FaceStyle":
        """The style for a face drawn ``dx, dy`` off its card whose text must still stay inside
        the card's padding: the text area gives up |dx| on the side the face moves towards,
        and |dy| likewise, so the moved text lands where the unmoved padding allows.

        For card stock, where the card is the page and the padding is the printer's 6 mm
        margin: a back moved by --back-offset would otherwise print into that margin.
        """
        return FaceStyle(self.width, self.height, self.padding, self.floor,
                         (max(0.0, -dx), max(0.0, -dy), max(0.0, dx), max(0.0, dy)))

    def ceiling(self, side: str) -> float:
        return FRONT_CEILING_PT if side == "front" else BACK_CEILING_PT


def heading_scale(side: str) -> float:
    """Fronts: the cue words (a Markdown heading) clearly above the rest; backs: a gentler
    step so the answer, not its heading, gets the room."""
    return 1.3 if side == "front" else 1.15


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
    return to_flowables(markdown, TextStyle(REFERENCE_SIZE, heading_scale=heading_scale(side)))


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
    result = _fit_face_cached(markdown, style, side)
    if isinstance(result, SetFace):
        return SetFace(result.side, result.size, result.block, result.cont)
    return result


def _search(block: Block, style: FaceStyle, side: str, words_may_break: bool) -> Fit:
    """largest_fitting over heights, where a size at which something is too wide counts as not fitting."""
    body_w, body_h = style.body
    narrowest = widest(block.flowables, words_may_break) / block.reference

    def measure(size: float) -> float:
        if narrowest * size > body_w + 0.01:
            return math.inf
        return block.height_at(size, body_w)

    return largest_fitting(measure, body_h, style.floor, style.ceiling(side))


@lru_cache(maxsize=4096)
def _fit_face_cached(markdown: str, style: FaceStyle, side: str) -> SetFace | Overflow:
    block = Block(build_face(markdown, side))
    fit = _search(block, style, side, words_may_break=False)
    if fit.size is None:
        # Last resort for a word longer than a whole line even at the floor (a URL, say):
        # let it break between letters, as a book would, rather than refuse the card.
        fit = _search(block, style, side, words_may_break=True)
    if fit.size is None:
        if math.isinf(fit.needed):
            return Overflow(math.inf, 0, wide=True)
        line = style.floor * TextStyle(style.floor).leading
        return Overflow(fit.overflow_ratio, max(1, math.ceil((fit.needed - fit.available) / line)))
    return SetFace(side, fit.size, block)


def split_parts(flowables: list[Flowable], width: float, height: float) -> list[list[Flowable]] | None:
    """Flowables dealt onto as few faces as they need, splitting paragraphs between lines.

    None when some single piece (a table) is taller than a whole face and cannot be split.
    """
    parts: list[list[Flowable]] = []
    current: list[Flowable] = []
    used = 0.0
    queue = list(flowables)
    while queue:
        flowable = queue.pop(0)
        gap = gap_between(current[-1] if current else None, flowable)
        _, needed = flowable.wrap(width, 1e9)
        if used + gap + needed <= height + 1e-6:
            current.append(flowable)
            used += gap + needed
            continue
        room = height - used - gap
        if room <= 0:
            pieces = []
        elif hasattr(flowable, "split_all"):  # a long paragraph dealt in one pass (linear in its words)
            pieces = flowable.split_all(width, room, height)
        else:
            pieces = flowable.split(width, room)
        if len(pieces) >= 2:
            current.append(pieces[0])
            queue = pieces[1:] + queue
        elif not current:
            return None
        else:
            queue.insert(0, flowable)
        parts.append(current)
        current, used = [], 0.0
    if current:
        parts.append(current)
    return parts


def split_face(markdown: str, style: FaceStyle, side: str) -> list[SetFace] | None:
    """An over-long face spread over the fewest cards, at the largest size that keeps that count."""
    body_w, body_h = style.body
    flowables = build_face(markdown, side)
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

    def cards_needed(size: float) -> float:
        parts = parts_at(size)
        return float(len(parts)) if parts is not None else math.inf

    fit = largest_fitting(cards_needed, float(len(fewest)), style.floor, style.ceiling(side))
    size = fit.size if fit.size is not None else style.floor
    parts = parts_at(size) or fewest
    faces = [SetFace(side, size, Block(part), cont=i > 0) for i, part in enumerate(parts)]
    for face in faces:  # the dealing must respect the face; check rather than trust
        assert face.block.height_at(size, body_w) <= body_h + 0.5, "split part taller than the card face"
    return faces


def draw_face(canvas: Canvas, rect: Rect, face: SetFace, style: FaceStyle, label: str, position: str) -> None:
    """One face in ``rect``: the text at the top (backs) or in the middle (fronts), then the footer."""
    body_w, body_h = style.body
    x, top = rect.x + style.left, rect.top - style.top
    if face.side == "front":
        top -= max(0.0, (body_h - face.block.height_at(face.size, body_w)) / 2)
    face.block.draw_at(canvas, face.size, x, top, body_w)
    canvas.saveState()
    canvas.setFillColor(FOOTER_GREY)
    size = style.footer_size
    room = body_w - text_width(position, fonts.BODY, size) - FOOTER_GAP_EM * size
    left = footer_left(label, face.cont, room, size)
    if left:
        draw_string(canvas, x, rect.y + style.bottom, left, fonts.BODY, size)
    draw_string(canvas, rect.right - style.right, rect.y + style.bottom, position, fonts.BODY, size, right=True)
    canvas.restoreState()


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
