"""The pacing timeline as numbers: where each phase sits on a bar drawn to scale.

Pure arithmetic (minutes in, minutes and label choices out), so the geometry is tested
without drawing. The rule for ranges is the one a speaker needs: a phase planned at
"2-3" minutes may take 3, so its *upper* end counts against the slot. The lower end is
kept so the bar can show the flexible part differently.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Clear space each side of a phase number, as a share of its size: enough to keep digits off
# a segment's edge or the slot-end line (the digits' own side bearings, at least 0.045 em in
# DejaVu Sans Bold, add to it), and small enough that "10" at 7 pt (9.7 pt wide) fits a
# 2-minute segment of the sheet's 60-minute bar (about 12.5 pt on A4, 12.9 on Letter).
NUMBER_PAD = 0.15


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

    def to_points(self, minutes: float, width: float) -> float:
        """Where ``minutes`` falls on a bar ``width`` points long (0 when the axis is empty)."""
        return width * minutes / self.axis if self.axis > 0 else 0.0

    def slot_line(self, width: float, line_width: float) -> tuple[float, float] | None:
        """The x-range of the slot-end line on a bar ``width`` points long; None without a slot.

        Centred on the slot's minute when the phases run over it. When the slot is the bar's
        right end (the phases fill it, or leave some spare) the line stands just outside the
        bar: centred there, half the heavy line would cover the last segment and could push
        its number out.
        """
        if self.slot is None:
            return None
        x = self.to_points(self.slot, width)
        if self.slot >= self.axis:
            return x, x + line_width
        return x - line_width / 2, x + line_width / 2

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


@dataclass(frozen=True)
class PhaseLabel:
    """A phase number placed inside its segment, in points from the bar's left end."""

    number: int
    size: float  # font size, between the floor and the bar's label size
    centre: float
    width: float  # of the text at ``size``
    knockout: bool  # it sits over the hatching, so it is drawn on a white patch

    @property
    def left(self) -> float:
        return self.centre - self.width / 2

    @property
    def right(self) -> float:
        return self.centre + self.width / 2

    @property
    def pad(self) -> float:
        """The clear space kept on each side of the text."""
        return self.size * NUMBER_PAD


def phase_labels(tl: Timeline, bar_width: float, em_width: Callable[[str], float], size: float,
                 floor: float, keep_out: tuple[float, float] | None = None
                 ) -> tuple[list[PhaseLabel], list[int]]:
    """Every segment's number at the largest size up to ``size`` that fits it; and those that do not.

    ``em_width(text)`` is the text's width at 1 pt (widths scale with the size). A number
    keeps ``NUMBER_PAD`` clear on both sides and never enters ``keep_out``, the x-range of
    the slot-end line, so the heavy line cannot cross a digit: the number moves to the wider
    side of the line instead. The solid (firm) part of a segment is preferred to its hatched
    end, which needs a white patch behind the digits; the hatched end is used when it lets
    the number be larger.

    A number that does not fit even at ``floor`` is left out and returned in the second
    list. It is not moved above or below the bar: those rows already hold the minute marks
    and the slot's words, and a number there would need a leader line to say which sliver
    it belongs to. The phase list under the bar names every phase with its minutes, so a
    left-out number loses nothing but the shortcut.
    """
    placed: list[PhaseLabel] = []
    omitted: list[int] = []
    for seg in tl.segments:
        text = str(seg.number)
        x0, x_firm, x1 = (tl.to_points(m, bar_width) for m in (seg.start, seg.firm_end, seg.end))
        per_pt = em_width(text) + 2 * NUMBER_PAD  # room the number needs per point of size
        best: tuple[float, float] | None = None  # (size, centre)
        for left, right in [*free_parts(x0, x_firm, keep_out), *free_parts(x0, x1, keep_out)]:
            fit = min(size, (right - left) / per_pt)
            if fit >= floor - 1e-9 and (best is None or fit > best[0] + 1e-9):  # ties keep the firm part
                best = (fit, (left + right) / 2)
        if best is None:
            omitted.append(seg.number)
            continue
        fit, centre = best
        width = em_width(text) * fit
        knockout = x_firm < x1 and centre + width / 2 > x_firm
        placed.append(PhaseLabel(seg.number, fit, centre, width, knockout))
    return placed, omitted


def free_parts(left: float, right: float, keep_out: tuple[float, float] | None) -> list[tuple[float, float]]:
    """``[left, right]`` without ``keep_out``: none, one or two pieces of positive length."""
    if keep_out is None or keep_out[1] <= left or keep_out[0] >= right:
        return [(left, right)] if right > left else []
    return [(a, b) for a, b in ((left, keep_out[0]), (keep_out[1], right)) if b > a]
