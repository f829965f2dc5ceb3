"""The pacing timeline as numbers: where each phase sits on a bar drawn to scale.

Pure arithmetic (minutes in, minutes and label choices out), so the geometry is tested
without drawing. The rule for ranges is the one a speaker needs: a phase planned at
"2-3" minutes may take 3, so its *upper* end counts against the slot. The lower end is
kept so the bar can show the flexible part differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    """One timed phase on the bar, in minutes from the start of the deep-dive."""

    number: int
    start: float
    firm_end: float  # start + the low end of its minutes
    end: float  # start + the high end: what counts against the slot


@dataclass(frozen=True)
class Timeline:
    """The bar for one deep-dive: segments end to end, the slot, and how it compares."""

    segments: tuple[Segment, ...]
    slot: float | None  # minutes available; None when neither project nor interview sets one
    planned_low: float
    planned_high: float  # the sum that counts against the slot
    untimed: tuple[int, ...]  # phase numbers without minutes (not on the bar)

    @property
    def axis(self) -> float:
        """Minutes the bar spans: the slot, or further when the phases run over it."""
        return max(self.slot or 0.0, self.planned_high)

    @property
    def over(self) -> float:
        """Minutes the phases (at their upper ends) run past the slot; 0 when they fit."""
        return max(self.planned_high - self.slot, 0.0) if self.slot else 0.0

    @property
    def spare(self) -> float:
        """Minutes left in the slot at the phases' upper ends; 0 when over or no slot."""
        return max(self.slot - self.planned_high, 0.0) if self.slot else 0.0

    def marks(self) -> list[float]:
        """Cumulative minute marks: 0, the end of every phase, and the slot end."""
        points = {0.0, *(s.end for s in self.segments)}
        if self.slot:
            points.add(float(self.slot))
        return sorted(points)


def timeline(phases: Sequence[tuple[int, float | None, float | None]], slot: float | None) -> Timeline:
    """Lay phases ``(number, low, high)`` end to end in the order given; untimed ones are skipped."""
    segments: list[Segment] = []
    untimed: list[int] = []
    at = 0.0
    low_total = 0.0
    for number, low, high in phases:
        if low is None or high is None:
            untimed.append(number)
            continue
        segments.append(Segment(number, at, at + low, at + high))
        at += high
        low_total += low
    return Timeline(tuple(segments), float(slot) if slot else None, low_total, at, tuple(untimed))


def visible_labels(centres: Sequence[float], widths: Sequence[float], length: float, gap: float,
                   priority: Sequence[int] = ()) -> list[bool]:
    """Which labels to print so that none overlap: ``priority`` indices first, then left to right.

    Each label is centred on its point but pushed inside ``[0, length]``; a label that
    would touch an already chosen one (closer than ``gap``) is left out, its tick stays.
    """
    spans = [(label_left(c, w, length), label_left(c, w, length) + w) for c, w in zip(centres, widths)]
    chosen: list[int] = []
    order = list(dict.fromkeys([*priority, *range(len(spans))]))
    for i in order:
        left, right = spans[i]
        if all(right + gap <= spans[j][0] or spans[j][1] + gap <= left for j in chosen):
            chosen.append(i)
    return [i in chosen for i in range(len(spans))]


def label_left(centre: float, width: float, length: float) -> float:
    """Where a label centred on ``centre`` starts once kept inside ``[0, length]``."""
    return min(max(centre - width / 2, 0.0), max(length - width, 0.0))
