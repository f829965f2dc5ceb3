"""Card pairs for reading on a screen: each card's front and back side by side.

The duplex sheets of cards.pdf mirror the backs onto other pages, which makes no sense on
a laptop. The packet shows each card as a row — front on the left, back on the right —
scaled down just enough that a few rows fit a landscape page. Pure arithmetic: no drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .impose import Rect

MIN_SCALE = 1.0  # cards at full size: a 7 pt card floor stays 7 pt in the packet (fewer rows instead)
GAP = 14.0  # points between the two faces of a row and between rows
HEADING = 26.0  # room at the top of a page for the group heading


@dataclass(frozen=True)
class ReadingGrid:
    """Where each row's front and back go on a page, and at what scale."""

    scale: float
    rows: int
    fronts: tuple[Rect, ...]  # one per row, top row first, in page points
    backs: tuple[Rect, ...]


def reading_grid(page_w: float, page_h: float, card_w: float, card_h: float, margin: float) -> ReadingGrid:
    """The most rows per page at a scale of at least MIN_SCALE (else one row at whatever
    scale fits), with the pair of faces centred across the page."""
    usable_w = page_w - 2 * margin
    usable_h = page_h - 2 * margin - HEADING
    width_scale = min(1.0, (usable_w - GAP) / (2 * card_w))
    rows, scale = 1, min(width_scale, usable_h / card_h)
    for candidate in range(2, 8):
        s = min(width_scale, (usable_h - (candidate - 1) * GAP) / (candidate * card_h))
        if s >= MIN_SCALE:
            rows, scale = candidate, s
    w, h = card_w * scale, card_h * scale
    left = (page_w - (2 * w + GAP)) / 2
    top = page_h - margin - HEADING
    fronts, backs = [], []
    for r in range(rows):
        y = top - (r + 1) * h - r * GAP
        fronts.append(Rect(left, y, w, h))
        backs.append(Rect(left + w + GAP, y, w, h))
    return ReadingGrid(scale, rows, tuple(fronts), tuple(backs))


def stacked_grid(page_w: float, page_h: float, card_w: float, card_h: float, margin: float) -> ReadingGrid | None:
    """Each card's front above its back, at full size, as many pairs as fit a (portrait) page;
    None when not even one pair fits. For cards too wide to stand side by side at full size
    (4x6, A6): the packet then keeps them at full size rather than scaling their text down."""
    usable_w = page_w - 2 * margin
    usable_h = page_h - 2 * margin - HEADING
    pair_h = 2 * card_h + GAP
    rows = int((usable_h + GAP) // (pair_h + GAP))
    if card_w > usable_w or rows < 1:
        return None
    left = (page_w - card_w) / 2
    top = page_h - margin - HEADING
    fronts, backs = [], []
    for r in range(rows):
        y = top - r * (pair_h + GAP)
        fronts.append(Rect(left, y - card_h, card_w, card_h))
        backs.append(Rect(left, y - 2 * card_h - GAP, card_w, card_h))
    return ReadingGrid(1.0, rows, tuple(fronts), tuple(backs))


def group_pages(set_names: list[str], rows: int) -> list[tuple[str, list[int]]]:
    """Cards (by index) dealt onto pages, a card set never sharing a page with the next.

    ``set_names[i]`` is the set of card i; the result is (set name, card indices) per page.
    """
    pages: list[tuple[str, list[int]]] = []
    for index, name in enumerate(set_names):
        if pages and pages[-1][0] == name and len(pages[-1][1]) < rows:
            pages[-1][1].append(index)
        else:
            pages.append((name, [index]))
    return pages
