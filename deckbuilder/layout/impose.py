"""Imposition: which card goes on which sheet, in which slot, at which rectangle.

Pure arithmetic on points (1/72 in); nothing here draws, so every rule below is tested
without making a PDF.

The model of duplex printing, in one paragraph (everything else follows from it).
A sheet is turned over about one of its edges. "Flip on long edge" turns it about an
axis parallel to the sheet's long edge, "flip on short edge" about an axis parallel to
its short edge, and the printer prints the back upright for a reader who turns the sheet
that way. Seen from the back, a point of the front therefore sits at the point mirrored
across the sheet's centre line parallel to that edge: on a portrait page (taller than
wide) a long-edge flip mirrors left-right, a short-edge flip top-bottom; on a landscape
page the long edge runs left-right, so the two swap. A landscape page printed on
portrait paper is rotated by the driver by the same quarter turn on both sides, and
conjugating a mirror by a quarter turn gives the mirror about the other axis, which is
exactly the swap above: the rule holds for the page as the PDF describes it. The two
flips differ by a half turn, which is why a wrong choice shows as backs upside down.

Manual duplex (re-feeding the printed stack by hand) is imposed as a long-edge flip:
the stack is turned over with the same short edge going into the printer first, which
is a turn about the feed direction, i.e. about the long edge of a portrait sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from reportlab.lib.units import mm

MARGIN = 6 * mm  # nothing is printed this close to the sheet edge (home printers cannot reach it)
Flip = Literal["long", "short", "manual"]
Order = Literal["deck", "stack"]
EPS = 1e-6


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle: lower-left corner (x, y), width w, height h (points)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def inside(self, other: Rect, tolerance: float = EPS) -> bool:
        return (self.x >= other.x - tolerance and self.y >= other.y - tolerance
                and self.right <= other.right + tolerance and self.top <= other.top + tolerance)

    def overlaps(self, other: Rect, tolerance: float = EPS) -> bool:
        """True when the interiors meet (sharing an edge, as cut-apart cards do, is not overlap)."""
        return (self.x < other.right - tolerance and other.x < self.right - tolerance
                and self.y < other.top - tolerance and other.y < self.top - tolerance)


@dataclass(frozen=True)
class Grid:
    """Cards laid out on one sheet: ``cols`` x ``rows`` of equal cards, centred, touching.

    Cards touch so that one cut separates two of them; the spare room goes to the
    margins, where the cut lines run out to give a paper cutter something to align on.
    ``shift`` moves the block of fronts off the centre, by as little as keeps the backs
    inside the margin when a back offset would push them out (see ``block_shift``).
    """

    sheet_w: float  # the page as the PDF describes it (landscape pages have sheet_w > sheet_h)
    sheet_h: float
    card_w: float
    card_h: float
    cols: int
    rows: int
    margin: float  # the printable area is the sheet less this much on every side
    shift: tuple[float, float] = (0.0, 0.0)  # the block of fronts, moved this far from the centre

    @property
    def slots(self) -> int:
        return self.cols * self.rows

    @property
    def landscape(self) -> bool:
        return self.sheet_w > self.sheet_h

    @property
    def sheet(self) -> Rect:
        return Rect(0.0, 0.0, self.sheet_w, self.sheet_h)

    @property
    def printable(self) -> Rect:
        return Rect(self.margin, self.margin, self.sheet_w - 2 * self.margin, self.sheet_h - 2 * self.margin)

    @property
    def block(self) -> Rect:
        """The rectangle all the slots fill together: centred on the sheet, then ``shift``."""
        w, h = self.cols * self.card_w, self.rows * self.card_h
        return Rect((self.sheet_w - w) / 2 + self.shift[0], (self.sheet_h - h) / 2 + self.shift[1], w, h)

    def slot_rect(self, slot: int) -> Rect:
        """Slot 0 is top left; slots run left to right, then down (reading order)."""
        if not 0 <= slot < self.slots:
            raise ValueError(f"slot {slot} is not on a {self.cols}x{self.rows} grid")
        row, col = divmod(slot, self.cols)
        block = self.block
        return Rect(block.x + col * self.card_w, block.top - (row + 1) * self.card_h, self.card_w, self.card_h)

    def cut_lines(self) -> list[tuple[float, float, float, float]]:
        """Cut lines (x1, y1, x2, y2): every card edge, run out to the printable area's edge."""
        block, area = self.block, self.printable
        lines = [(block.x + c * self.card_w, area.y, block.x + c * self.card_w, area.top)
                 for c in range(self.cols + 1)]
        lines += [(area.x, block.y + r * self.card_h, area.right, block.y + r * self.card_h)
                  for r in range(self.rows + 1)]
        return lines


def fit_count(space_w: float, space_h: float, card_w: float, card_h: float) -> tuple[int, int]:
    """How many cards fit across and down a space (a hair of tolerance for float dust)."""
    return int(math.floor(space_w / card_w + EPS)), int(math.floor(space_h / card_h + EPS))


def choose_grid(paper_w: float, paper_h: float, card_w: float, card_h: float, margin: float = MARGIN,
                landscape: bool | None = None, back_offset: tuple[float, float] = (0.0, 0.0),
                flip: Flip = "long") -> Grid:
    """The sheet orientation and grid that hold the most cards inside the printable area,
    with every back, shifted by ``back_offset``, inside it too.

    Cards keep their orientation (wider than tall) and the sheet turns instead; a tie
    goes to portrait, the orientation every printer feeds without a driver rotation.
    ``landscape`` pins the orientation (a back offset was measured on a sheet turned one
    way and means nothing on the other). A back offset costs room only along its own axis,
    and only its own size: an X offset narrows the room across the sheet by |X|, a Y offset
    the room down it by |Y| (the fronts may move off centre by up to half of it, see
    ``block_shift``). Raises ValueError when not even one card fits (the caller words it
    for the user).
    """
    short, long_ = sorted((paper_w, paper_h))
    best: Grid | None = None
    for sheet_w, sheet_h in ((short, long_), (long_, short)):  # portrait first: wins ties
        if landscape is not None and (sheet_w > sheet_h) != landscape:
            continue
        fx, fy = offset_on_front(sheet_w, sheet_h, flip, back_offset)
        cols, rows = fit_count(sheet_w - 2 * margin - abs(fx), sheet_h - 2 * margin - abs(fy), card_w, card_h)
        if cols * rows > (best.slots if best else 0):
            shift = block_shift(sheet_w, sheet_h, cols * card_w, rows * card_h, margin, (fx, fy))
            best = Grid(sheet_w, sheet_h, card_w, card_h, cols, rows, margin, shift)
    if best is None:
        raise ValueError("no card fits on the sheet")
    return best


def offset_on_front(sheet_w: float, sheet_h: float, flip: Flip,
                    back_offset: tuple[float, float]) -> tuple[float, float]:
    """How far a back offset moves a back as seen from the front page, through the paper.

    The back page is the front mirrored (see module doc), so along the mirrored axis the
    offset's sign turns: a back moved right as the back is read moves left seen from the front.
    """
    dx, dy = back_offset
    if mirror_axis(sheet_w, sheet_h, flip) == "vertical":
        return -dx, dy
    return dx, -dy


def block_shift(sheet_w: float, sheet_h: float, block_w: float, block_h: float, margin: float,
                front_offset: tuple[float, float]) -> tuple[float, float]:
    """How far the block of fronts moves off the centre so that every back stays in the margin.

    Seen from the front page, the backs are the fronts moved by ``front_offset``; both must
    lie inside the printable area. On each axis the block stays centred (where it is
    without an offset) when that holds, and otherwise moves by just as much as needed.
    """

    def along(length: float, block: float, f: float) -> float:
        centred = (length - block) / 2
        low = margin + max(0.0, -f)  # the lowest start at which neither the front nor its back is too low
        high = length - margin - block - max(0.0, f)
        return min(max(centred, low), high) - centred if low <= high + EPS else 0.0

    return along(sheet_w, block_w, front_offset[0]), along(sheet_h, block_h, front_offset[1])


def stock_grid(card_w: float, card_h: float) -> Grid:
    """Card stock fed straight into the printer: the page is the card, one slot, no margin.

    The 6 mm the printer cannot reach is kept inside the card face instead (its padding).
    """
    return Grid(card_w, card_h, card_w, card_h, 1, 1, 0.0)


def mirror_axis(sheet_w: float, sheet_h: float, flip: Flip) -> Literal["vertical", "horizontal"]:
    """The centre line a front point is mirrored across to find its back (see module doc).

    "vertical" mirrors left-right (x), "horizontal" mirrors top-bottom (y). A square
    sheet counts as portrait. Manual duplex is imposed as a long-edge flip.
    """
    portrait = sheet_w <= sheet_h
    long_edge = flip in ("long", "manual")
    return "vertical" if long_edge == portrait else "horizontal"


def mirror(rect: Rect, sheet_w: float, sheet_h: float, flip: Flip) -> Rect:
    """Where, on the back page, the area behind ``rect`` of the front page is."""
    if mirror_axis(sheet_w, sheet_h, flip) == "vertical":
        return Rect(sheet_w - rect.right, rect.y, rect.w, rect.h)
    return Rect(rect.x, sheet_h - rect.top, rect.w, rect.h)


def positions(count: int, slots: int, order: Order) -> list[tuple[int, int]]:
    """(sheet, slot) of each card, in deck order.

    ``deck`` fills sheet after sheet in reading order. ``stack`` is for cutting the whole
    printed stack at once: with S sheets, slot j of sheets 1..S holds cards j*S+1..j*S+S,
    so each cut pile (sheet 1 on top) is a run of the deck and the piles, put on one
    another in slot order, are the deck in order. On a partly filled last sheet the gaps
    are then at the end of the last pile rather than scattered.
    """
    if slots < 1:
        raise ValueError("a sheet needs at least one slot")
    if order == "deck":
        return [divmod(i, slots) for i in range(count)]
    sheets = max(1, math.ceil(count / slots))
    return [(i % sheets, i // sheets) for i in range(count)]


@dataclass(frozen=True)
class Placement:
    """Where card ``card`` (0-based, deck order) is printed: its sheet, slot and both faces."""

    card: int
    sheet: int
    slot: int
    front: Rect
    back: Rect  # on the back page of the same sheet: the mirror of ``front``, then the back offset


def impose(count: int, grid: Grid, flip: Flip, order: Order = "deck",
           back_offset: tuple[float, float] = (0.0, 0.0)) -> list[Placement]:
    """Every card's sheet, slot, front rectangle and back rectangle.

    ``back_offset`` (points, in the back page's own coordinates: +x right, +y up as the
    back is read) shifts backs only; it cancels the printer's own misplacement of the
    back side, as read off the calibration sheet.
    """
    dx, dy = back_offset
    placements = []
    for card, (sheet, slot) in enumerate(positions(count, grid.slots, order)):
        front = grid.slot_rect(slot)
        back = mirror(front, grid.sheet_w, grid.sheet_h, flip).moved(dx, dy)
        placements.append(Placement(card, sheet, slot, front, back))
    return placements


def sheet_count(count: int, slots: int) -> int:
    return max(1, math.ceil(count / slots)) if count else 0


def manual_back_order(sheets: int) -> list[int]:
    """The sheets, in the order their backs are printed when the stack is fed in by hand.

    Assumption (told to the user in docs/readme/cards.md): the pile of printed fronts goes
    back into the paper tray in reading order, fronts facing up and sheet 1 on top, the
    same edge going in first as the first time. That is how the main tray of most home
    printers takes paper to print its down-facing side ("print side down" on the tray), so
    sheet 1 is picked up first and the backs run in the fronts' order. A feeder that prints
    the side facing up (a rear or manual slot) takes the pile printed side down, which puts
    the last sheet on top: print the backs with "reverse page order" in the dialog there.
    Whichever way round, every back page carries its cards' n/N labels to check against.
    """
    return list(range(sheets))
