"""Choosing the largest font size at which text fits a box.

Pure arithmetic over a ``measure`` function (size -> height needed), so it is tested
without drawing. Text height grows monotonically with size (wider glyphs, more lines,
taller lines), which makes a binary search over a grid of sizes exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial


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


@lru_cache(maxsize=64)
def size_grid(floor: float, ceiling: float, step: float) -> tuple[float, ...]:
    """Sizes floor, floor+step, ... up to ceiling (inclusive), rounded to avoid float dust.

    Remembered: a deck searches the same two or three grids for every face."""
    if ceiling < floor:
        raise ValueError(f"ceiling {ceiling} is below floor {floor}")
    count = int(round((ceiling - floor) / step))
    return tuple(round(floor + i * step, 4) for i in range(count + 1))


def largest_fitting(measure: Callable[[float], float], available: float, floor: float, ceiling: float,
                    step: float = 0.25, hint: Fit | None = None) -> Fit:
    """The largest grid size whose measured height is at most ``available``.

    Exact for any monotonic ``measure``, and cheap for text: most faces fit at the
    ceiling (one call); otherwise the first probe is the size that the area rule
    (height grows with the square of the size) predicts, and a gallop from there
    brackets the answer, so a typical search costs three or four calls instead of
    the six or seven of a plain bisection.

    ``hint``, the answer for text much like this (``watch``: the sheet before a one-line
    edit), is checked first: where it is still the answer (its size fits and the next does
    not; or, when nothing fitted, the floor still overflows) that costs two calls, or one.
    """
    grid = size_grid(floor, ceiling, step)
    top = len(grid) - 1
    cache: dict[int, float] = {}

    def height(i: int) -> float:
        if i not in cache:
            cache[i] = measure(grid[i])
        return cache[i]

    if hint is not None and hint.available == available:
        if hint.size is None and height(0) > available:
            return Fit(None, cache[0], available)
        at = grid.index(hint.size) if hint.size in grid else None
        if at is not None and height(at) <= available and (at == top or height(at + 1) > available):
            return Fit(grid[at], cache[at], available)
    if height(top) <= available:
        return Fit(grid[top], cache[top], available)
    guess_size = grid[top] * (available / cache[top]) ** 0.5 if cache[top] > 0 else grid[0]
    guess = min(max(int((guess_size - floor) / step), 0), top - 1)
    # Invariant: lo fits (or is -1 when nothing is known to fit), hi does not fit.
    lo, hi = -1, top
    gallop = 1
    if height(guess) <= available:
        lo = guess
        probe = guess + gallop
        while probe < hi and height(probe) <= available:
            lo, gallop = probe, gallop * 2
            probe = lo + gallop
        hi = min(hi, probe)
    else:
        hi = guess
        probe = guess - gallop
        while probe >= 0 and height(probe) > available:
            hi, gallop = probe, gallop * 2
            probe = hi - gallop
        lo = max(probe, -1)
    if lo == -1 and height(0) > available:
        return Fit(None, cache[0], available)
    lo = max(lo, 0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if height(mid) <= available:
            lo = mid
        else:
            hi = mid
    return Fit(grid[lo], cache[lo], available)


@dataclass(frozen=True)
class LayoutFit:
    """The outcome of a search over column counts and sizes."""

    columns: int  # the chosen column count (when nothing fits: the one that comes closest)
    fit: Fit


def best_layout(measure: Callable[[int, float], float], available: float, column_counts: tuple[int, ...],
                floor: float, ceiling: float, step: float = 0.25,
                hints: dict[int, Fit] | None = None, found: dict[int, Fit] | None = None) -> LayoutFit:
    """The column count whose largest fitting size is largest; ties go to the earlier count.

    ``measure(columns, size)`` is the height needed. The caller orders ``column_counts``
    by preference (fewer columns first: longer lines read better at the same size). When
    no count fits even at ``floor``, the one needing the least height is returned, so the
    caller can say how far over the page the content is. ``hints``: each count's answer for
    text much like this (``largest_fitting``); ``found`` is given each count's answer.
    """
    if not column_counts:
        raise ValueError("need at least one column count")
    hints = hints or {}
    results = [(columns, largest_fitting(partial(measure, columns), available, floor, ceiling, step,
                                         hints.get(columns)))
               for columns in column_counts]
    if found is not None:
        found.update(results)
    fitting = [(c, f) for c, f in results if f.size is not None]
    if fitting:
        best = max(fitting, key=lambda cf: cf[1].size or 0.0)  # max() keeps the first of equals
        return LayoutFit(*best)
    return LayoutFit(*min(results, key=lambda cf: cf[1].needed))
