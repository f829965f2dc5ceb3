"""Balanced columns and page stacking: where blocks of a given height go on a page.

Pure arithmetic over heights, so it is tested without drawing. A page is a vertical
stack of *blocks*: a ``Band`` spans the full width (a header, a timeline bar); a ``Flow``
is a run of indivisible *units* (a paragraph, a heading glued to what follows) poured
into N columns like a newspaper, top to bottom then left to right, and balanced so the
columns end as level as the units allow. Balancing rather than filling column 1 first
is what keeps a short sheet from looking lopsided (one full column, two empty ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """An indivisible piece of a flow: its height, and the space above it unless it opens a column."""

    height: float
    gap_before: float = 0.0
    lead: float = 0.0  # more height when it opens a column (its heading repeated, "(cont.)")


@dataclass(frozen=True)
class Band:
    """A full-width block of fixed height."""

    height: float


@dataclass(frozen=True)
class Flow:
    """Units poured into columns."""

    units: tuple[Unit, ...]


Block = Band | Flow


@dataclass(frozen=True)
class Columns:
    """The outcome of balancing: which units open each column, and the tallest column."""

    height: float
    starts: tuple[int, ...]  # index of the first unit of each non-empty column, ascending

    def column_of(self, index: int) -> int:
        """Which column unit ``index`` lands in."""
        column = 0
        for c, start in enumerate(self.starts):
            if index >= start:
                column = c
        return column


def pack(units: Sequence[Unit], capacity: float) -> tuple[list[int], float]:
    """Greedy fill: each column takes units while they fit under ``capacity``.

    Returns the column start indices and the tallest column. Greedy is optimal here: for
    contiguous runs it needs the fewest columns of any packing under the same capacity.
    A unit taller than ``capacity`` still gets a column of its own (and makes it too tall).
    """
    starts: list[int] = []
    tallest = 0.0
    current = 0.0
    for i, unit in enumerate(units):
        if starts and current + unit.gap_before + unit.height <= capacity + 1e-9:
            current += unit.gap_before + unit.height
        else:
            starts.append(i)
            current = unit.lead + unit.height  # a column's first unit loses its gap, gains its lead
        tallest = max(tallest, current)
    return starts, tallest


def balance(units: Sequence[Unit], columns: int, tolerance: float = 0.05) -> Columns:
    """The lowest column height at which the units fit in ``columns`` columns, and the breaks.

    Binary search on the capacity between the tallest unit and everything in one column;
    ``tolerance`` is in points, far below anything visible.
    """
    if columns < 1:
        raise ValueError("need at least one column")
    if not units:
        return Columns(0.0, ())
    low = max(u.height for u in units)
    high = pack(units, float("inf"))[1]
    starts, tallest = pack(units, high)
    if len(pack(units, low)[0]) <= columns:
        starts, tallest = pack(units, low)
        return Columns(tallest, tuple(starts))
    while high - low > tolerance:
        mid = (low + high) / 2
        mid_starts, mid_tallest = pack(units, mid)
        if len(mid_starts) <= columns:
            high, starts, tallest = mid, mid_starts, mid_tallest
        else:
            low = mid
    return Columns(tallest, tuple(starts))


def block_heights(blocks: Sequence[Block], columns: int) -> list[float]:
    """Height of each block: a band as given, a flow as its balanced column height."""
    return [b.height if isinstance(b, Band) else balance(b.units, columns).height for b in blocks]


def stack_height(blocks: Sequence[Block], columns: int, gap: float) -> float:
    """Height of the whole page: blocks one under another with ``gap`` between them."""
    heights = [h for h in block_heights(blocks, columns) if h > 0]
    return sum(heights) + gap * max(len(heights) - 1, 0)
