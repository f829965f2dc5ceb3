"""Fold-over sheets (``--flip fold``): each card's front and back on one side of the paper.

For printers without duplex, or whose duplex drifts: print one-sided, cut each pair out
along the cut lines, fold it along the dashed fold line with the print outside, and glue
or not. Pure geometry on points; nothing here draws.

A pair is the front and its back touching along the fold line, the back being the front
mirrored across that line, so folding puts it exactly behind the front (no printer
alignment involved at all). Cards are read by turning them over like a book page (about
their vertical edge), as duplex cards are. So:

* side by side (fold line vertical, front left, back right): folding about a vertical line
  and turning the card about a vertical axis cancel out, and the back is printed upright;
* stacked (fold line horizontal, front above, back below): folding about a horizontal
  line and then turning about a vertical axis is a half turn, so the back is printed
  rotated 180 degrees, and reads upright once folded.

The arrangement and sheet orientation that hold the most pairs inside the printer's
margin win; ties go to side by side (no rotated text) and then to portrait.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .impose import EPS, Rect, fit_count

Arrangement = Literal["side", "stacked"]


@dataclass(frozen=True)
class FoldPair:
    """One card's two faces on the sheet, the fold line between them (x1, y1, x2, y2)."""

    front: Rect
    back: Rect
    fold: tuple[float, float, float, float]
    back_rotated: bool  # the back is drawn turned by 180 degrees (stacked pairs)


@dataclass(frozen=True)
class FoldSheet:
    sheet_w: float
    sheet_h: float
    card_w: float
    card_h: float
    arrangement: Arrangement
    cols: int  # pairs across
    rows: int  # pairs down
    margin: float

    @property
    def slots(self) -> int:
        return self.cols * self.rows

    @property
    def pair_size(self) -> tuple[float, float]:
        if self.arrangement == "side":
            return 2 * self.card_w, self.card_h
        return self.card_w, 2 * self.card_h

    @property
    def block(self) -> Rect:
        pw, ph = self.pair_size
        w, h = self.cols * pw, self.rows * ph
        return Rect((self.sheet_w - w) / 2, (self.sheet_h - h) / 2, w, h)

    def pair(self, slot: int) -> FoldPair:
        """Slot 0 is top left; slots run left to right, then down."""
        if not 0 <= slot < self.slots:
            raise ValueError(f"slot {slot} is not on a {self.cols}x{self.rows} fold-over sheet")
        row, col = divmod(slot, self.cols)
        pw, ph = self.pair_size
        block = self.block
        x, y = block.x + col * pw, block.top - (row + 1) * ph
        w, h = self.card_w, self.card_h
        if self.arrangement == "side":
            return FoldPair(Rect(x, y, w, h), Rect(x + w, y, w, h), (x + w, y, x + w, y + h), False)
        return FoldPair(Rect(x, y + h, w, h), Rect(x, y, w, h), (x, y + h, x + w, y + h), True)

    def cut_lines(self) -> list[tuple[float, float, float, float]]:
        """Every pair's outline, run out to the printable area's edge (never along a fold line)."""
        pw, ph = self.pair_size
        block = self.block
        area = Rect(self.margin, self.margin, self.sheet_w - 2 * self.margin, self.sheet_h - 2 * self.margin)
        lines = [(block.x + c * pw, area.y, block.x + c * pw, area.top) for c in range(self.cols + 1)]
        lines += [(area.x, block.y + r * ph, area.right, block.y + r * ph) for r in range(self.rows + 1)]
        return lines


def fold_sheet(paper_w: float, paper_h: float, card_w: float, card_h: float, margin: float) -> FoldSheet:
    """The fold-over layout with the most pairs per sheet (see module doc for the tie-break).
    Raises ValueError when not even one pair fits (the caller words it for the user)."""
    short, long_ = sorted((paper_w, paper_h))
    best: FoldSheet | None = None
    for arrangement in ("side", "stacked"):
        for sheet_w, sheet_h in ((short, long_), (long_, short)):
            pw, ph = (2 * card_w, card_h) if arrangement == "side" else (card_w, 2 * card_h)
            cols, rows = fit_count(sheet_w - 2 * margin, sheet_h - 2 * margin, pw, ph)
            if cols * rows > (best.slots if best else 0) + EPS:
                best = FoldSheet(sheet_w, sheet_h, card_w, card_h, arrangement, cols, rows, margin)
    if best is None:
        raise ValueError("no fold-over pair fits on the sheet")
    return best
