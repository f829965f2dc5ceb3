"""Perforated card stock: sheets whose cards are already cut, as data.

Each sheet's geometry is the maker's published template, as transcribed in the gLabels
template database (github.com/jimevins/glabels-qt, ``templates/avery-us-templates.xml``,
``avery-iso-templates.xml`` and ``zweckform-iso-templates.xml``): card size, the top-left
card's distance from the sheet's top-left corner (x0, y0) and the pitch from one card to the
next (dx, dy). Every card must land exactly on its perforations, so nothing is centred or
shifted here: a back offset moves the backs only (as on plain paper) and the fronts stay put.

docs/printing.md lists the figures and their sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm

from .impose import Grid, Rect


@dataclass(frozen=True)
class Stock:
    """One perforated sheet: ``cols`` x ``rows`` cards, the first at (left, top) from the
    sheet's top-left corner, the next ``pitch_x`` across and ``pitch_y`` down (points)."""

    name: str
    description: str
    sheet_w: float  # portrait, as the sheet is fed
    sheet_h: float
    card_w: float
    card_h: float
    cols: int
    rows: int
    left: float
    top: float
    pitch_x: float
    pitch_y: float
    card_name: str  # the --card this stock holds
    source: str

    def rects(self) -> list[Rect]:
        """Every card's rectangle on the sheet (PDF coordinates, origin bottom left), in reading order."""
        return [Rect(self.left + col * self.pitch_x, self.sheet_h - self.top - row * self.pitch_y - self.card_h,
                     self.card_w, self.card_h)
                for row in range(self.rows) for col in range(self.cols)]


GLABELS = "gLabels template database (github.com/jimevins/glabels-qt, templates/"
STOCKS: dict[str, Stock] = {s.name: s for s in (
    Stock("avery-5388", "Avery 5388 index cards, 3 x 5 in, 3 per US Letter sheet", LETTER[0], LETTER[1],
          5 * inch, 3 * inch, 1, 3, 1.75 * inch, 1 * inch, 5 * inch, 3 * inch, "3x5",
          GLABELS + "avery-us-templates.xml, part 5388): x0=1.75in y0=1in dx=5in dy=3in"),
    Stock("avery-5389", "Avery 5389 postcards, 4 x 6 in, 2 per US Letter sheet", LETTER[0], LETTER[1],
          6 * inch, 4 * inch, 1, 2, 1.25 * inch, 1.25 * inch, 6 * inch, 4.5 * inch, "4x6",
          GLABELS + "avery-us-templates.xml, part 5389): x0=1.25in y0=1.25in dx=6in dy=4.5in"),
    Stock("avery-l7414", "Avery L7414 business cards, 90 x 52 mm, 10 per A4 sheet", A4[0], A4[1],
          90 * mm, 52 * mm, 2, 5, 15 * mm, 18.5 * mm, 90 * mm, 52 * mm, "90x52mm",
          GLABELS + "avery-iso-templates.xml, part 7414 = L7414): 255.1 x 147.4 pt, x0=42.51pt y0=52.44pt "
                    "dx=255.1pt dy=147.4pt"),
    Stock("zweckform-c32015", "Avery Zweckform C32015 business cards, 85 x 54 mm, 8 per A4 sheet", A4[0], A4[1],
          85 * mm, 54 * mm, 2, 4, 17 * mm, 31.5 * mm, 91 * mm, 60 * mm, "85x54mm",
          GLABELS + "zweckform-iso-templates.xml, part 32015): x0=17mm y0=31.5mm dx=91mm dy=60mm"),
)}


@dataclass(frozen=True)
class StockGrid(Grid):
    """A ``Grid`` whose slots are a stock's perforated cards: fixed, not centred, no cut lines."""

    stock: Stock | None = None

    def slot_rect(self, slot: int) -> Rect:
        if self.stock is None or not 0 <= slot < self.slots:
            raise ValueError(f"slot {slot} is not on this stock")
        return self.stock.rects()[slot]

    def cut_lines(self) -> list[tuple[float, float, float, float]]:
        return []  # the perforations are the cuts


def stock_sheet_grid(stock: Stock) -> StockGrid:
    """The stock as a grid: portrait, as the sheet is fed; its margin is the distance to the nearest card."""
    rects = stock.rects()
    margin = min(min(r.x, r.y, stock.sheet_w - r.right, stock.sheet_h - r.top) for r in rects)
    return StockGrid(stock.sheet_w, stock.sheet_h, stock.card_w, stock.card_h, stock.cols, stock.rows,
                     margin, stock=stock)
