"""Choosing the largest font size at which text fits a box.

Pure arithmetic over a ``measure`` function (size -> height needed), so it is tested
without drawing. Text height grows monotonically with size (wider glyphs, more lines,
taller lines), which makes a binary search over a grid of sizes exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Fit:
    """The outcome of a size search."""

    size: float | None  # largest size that fits, None when even the floor overflows
    needed: float  # height needed at the chosen size (or at the floor when nothing fits)
    available: float

    @property
    def fits(self) -> bool:
        return self.size is not None

    @property
    def overflow_ratio(self) -> float:
        """How many times the box the text needs at the floor (1.0 means exactly full)."""
        return self.needed / self.available if self.available > 0 else float("inf")


def size_grid(floor: float, ceiling: float, step: float) -> list[float]:
    """Sizes floor, floor+step, ... up to ceiling (inclusive), rounded to avoid float dust."""
    if ceiling < floor:
        raise ValueError(f"ceiling {ceiling} is below floor {floor}")
    count = int(round((ceiling - floor) / step))
    return [round(floor + i * step, 4) for i in range(count + 1)]


def largest_fitting(measure: Callable[[float], float], available: float, floor: float, ceiling: float,
                    step: float = 0.25) -> Fit:
    """The largest grid size whose measured height is at most ``available``.

    Calls ``measure`` about log2(grid length) + 1 times.
    """
    grid = size_grid(floor, ceiling, step)
    needed_at_floor = measure(grid[0])
    if needed_at_floor > available:
        return Fit(None, needed_at_floor, available)
    lo, hi = 0, len(grid) - 1  # grid[lo] fits; find the last index that fits
    best_needed = needed_at_floor
    while lo < hi:
        mid = (lo + hi + 1) // 2
        needed = measure(grid[mid])
        if needed <= available:
            lo, best_needed = mid, needed
        else:
            hi = mid - 1
    return Fit(grid[lo], best_needed, available)
