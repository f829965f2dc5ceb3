"""The pacing timeline bar as a reportlab Flowable.

The geometry comes from ``layout.timeline`` (minutes); this module only turns minutes
into points and ink. Everything is told in black and white: phase numbers inside the
segments (placed and sized by ``layout.timeline.phase_labels``), a heavy line and words
at the slot's end, hatching (not a colour) for the flexible end of a range, and a note
beside the bar that says in words whether the phases fit the slot. The alternating grey
fill only helps the eye; nothing depends on it.
"""

from __future__ import annotations

from reportlab.lib.colors import Color, black, white
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..layout.timeline import PhaseLabel, Timeline, label_left, phase_labels, visible_labels
from . import fonts
from .markup import plain_runs
from .reportlab_seam import Flowable
from .richtext import RichText

SHADE = Color(0.86, 0.86, 0.86)
NOTE_SHARE = 0.28  # of the width, beside the bar
NOTE_MIN, NOTE_MAX = 120.0, 200.0
SLOT_LINE = 2.2  # width of the slot-end line; phase numbers keep clear of it


def minutes_text(value: float) -> str:
    return f"{value:g}"


def status_lines(tl: Timeline) -> tuple[str, list[str]]:
    """What the note beside the bar says: a headline and plain sentences (no markup)."""
    planned = (minutes_text(tl.planned_high) if tl.planned_low == tl.planned_high
               else f"{minutes_text(tl.planned_low)}–{minutes_text(tl.planned_high)}")
    lines: list[str] = []
    if not tl.segments:
        headline = "No phase has minutes"
        lines.append("Give phases minutes to see them to scale.")
    elif tl.slot is None:
        headline = f"Phases plan {planned} min"
        lines.append("No slot set: give interview.deep_dive_minutes.")
    else:
        slot = minutes_text(tl.slot)
        if tl.over > 0:
            headline = f"OVER the slot by {minutes_text(tl.over)} min"
            lines.append(f"Phases plan {planned} min against the {slot}-min slot: shorten or drop a phase.")
        elif tl.spare > 0:
            headline = f"Fits: {minutes_text(tl.spare)} min spare"
            lines.append(f"Phases plan {planned} of {slot} min.")
        else:
            headline = "Fits the slot exactly"
            lines.append(f"Phases plan {planned} of {slot} min.")
    if any(s.firm_end < s.end for s in tl.segments):
        lines.append("A range (2-3) counts its upper end; hatched: the flexible part.")
    if tl.untimed:
        numbers = ", ".join(str(n) for n in tl.untimed)
        lines.append(f"Phase{'s' if len(tl.untimed) > 1 else ''} {numbers}: no minutes, not on the bar.")
    return headline, lines


class TimelineBar(Flowable):
    """Phases end to end, to scale against the slot, with cumulative minute marks below."""

    def __init__(self, tl: Timeline, size: float, floor: float = 7.0) -> None:
        super().__init__()
        self.tl = tl
        self.size = size
        self.label_size = max(floor, size * 0.9)
        self.number_floor = floor  # phase numbers shrink to fit their segments, never below this
        self.spaceBefore = size * 0.2
        self.spaceAfter = size * 0.6
        headline, lines = status_lines(tl)
        runs = plain_runs(headline, bold=True) + [r for line in lines for r in plain_runs("\n" + line)]
        self.note = RichText(runs, self.label_size, self.label_size * 1.2)
        self._layout(400.0)

    # vertical rows, bottom to top, in units of the label size
    LABEL_ROW, TICK, BAR, TOP_ROW = 1.25, 0.4, 2.0, 1.35

    def _layout(self, width: float) -> None:
        ls = self.label_size
        self.width = width
        self.note_w = min(max(width * NOTE_SHARE, NOTE_MIN), NOTE_MAX, width * 0.45)
        self.gap = ls * 1.2
        self.bar_w = width - self.note_w - self.gap
        _, self.note_h = self.note.wrap(self.note_w, 1e9)
        self.top_row = self.TOP_ROW if self.tl.slot is not None else 0.3  # room for the slot's words
        self.graphic_h = ls * (self.LABEL_ROW + self.TICK + self.BAR + self.top_row)
        self.height = max(self.graphic_h, self.note_h)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._layout(availWidth)
        return self.width, self.height

    def x_of(self, minutes: float) -> float:
        return self.tl.to_points(minutes, self.bar_w)

    def phase_labels(self) -> tuple[list[PhaseLabel], list[int]]:
        """The numbers inside the segments: sized to fit, clear of the slot-end line."""
        return phase_labels(self.tl, self.bar_w, lambda text: stringWidth(text, fonts.BODY_BOLD, 1.0),
                            self.label_size, self.number_floor, self.tl.slot_line(self.bar_w, SLOT_LINE))

    def draw(self) -> None:
        canvas = self.canv
        ls = self.label_size
        top = self.height  # the graphic hangs from the top of the flowable
        bar_top = top - ls * self.top_row
        bar_bottom = bar_top - ls * self.BAR
        canvas.saveState()
        canvas.setStrokeColor(black)
        canvas.setLineWidth(0.6)
        if self.tl.segments:
            self._draw_segments(bar_bottom, ls * self.BAR)
            self._draw_marks(bar_bottom)
            self._draw_slot(bar_bottom, bar_top)
        self.note.drawOn(canvas, self.width - self.note_w, top - self.note_h)
        canvas.restoreState()

    def _draw_segments(self, y: float, h: float) -> None:
        canvas = self.canv
        for i, seg in enumerate(self.tl.segments):
            x0, x_firm, x1 = self.x_of(seg.start), self.x_of(seg.firm_end), self.x_of(seg.end)
            canvas.setFillColor(SHADE if i % 2 else white)
            canvas.rect(x0, y, x1 - x0, h, stroke=0, fill=1)
            if x1 > x_firm:
                self._hatch(x_firm, y, x1 - x_firm, h)
            canvas.setFillColor(black)
            canvas.rect(x0, y, x1 - x0, h, stroke=1, fill=0)
        for label in self.phase_labels()[0]:
            self._segment_label(label, y, h)
        if self.tl.spare > 0:  # the unused end of the slot: an empty dashed box, said in words
            x0, x1 = self.x_of(self.tl.planned_high), self.x_of(self.tl.slot or 0.0)
            canvas.saveState()
            canvas.setDash(2, 2)
            canvas.rect(x0, y, x1 - x0, h, stroke=1, fill=0)
            canvas.restoreState()
            text = "spare"
            w = stringWidth(text, fonts.BODY_ITALIC, self.label_size)
            if x1 - x0 >= w + self.label_size:
                canvas.setFont(fonts.BODY_ITALIC, self.label_size)
                canvas.drawCentredString((x0 + x1) / 2, y + h / 2 - self.label_size * 0.36, text)

    def _hatch(self, x: float, y: float, w: float, h: float) -> None:
        canvas = self.canv
        canvas.saveState()
        path = canvas.beginPath()
        path.rect(x, y, w, h)
        canvas.clipPath(path, stroke=0, fill=0)
        canvas.setLineWidth(0.5)
        step = max(self.label_size * 0.45, 2.5)
        offset = -h
        while offset < w:
            canvas.line(x + offset, y, x + offset + h, y + h)
            offset += step
        canvas.restoreState()

    def _segment_label(self, label: PhaseLabel, y: float, h: float) -> None:
        canvas = self.canv
        size, pad = label.size, label.pad
        baseline = y + h / 2 - size * 0.36
        if label.knockout:  # a white patch so the number reads over the hatching
            canvas.setFillColor(white)
            canvas.rect(label.left - pad / 2, baseline - size * 0.2, label.width + pad, size, stroke=0, fill=1)
            canvas.setFillColor(black)
        canvas.setFont(fonts.BODY_BOLD, size)
        canvas.drawCentredString(label.centre, baseline, str(label.number))

    def _draw_marks(self, bar_bottom: float) -> None:
        canvas = self.canv
        ls = self.label_size
        marks = self.tl.marks()
        texts = [minutes_text(m) for m in marks]
        bold = [self.tl.slot is not None and m == self.tl.slot for m in marks]
        widths = [stringWidth(t, fonts.BODY_BOLD if b else fonts.BODY, ls) for t, b in zip(texts, bold)]
        centres = [self.x_of(m) for m in marks]
        priority = [i for i, b in enumerate(bold) if b] + [len(marks) - 1, 0]
        shown = visible_labels(centres, widths, self.bar_w, ls * 0.4, priority)
        tick_bottom = bar_bottom - ls * self.TICK
        baseline = tick_bottom - ls * 0.95
        for centre, text, width, is_bold, show in zip(centres, texts, widths, bold, shown):
            canvas.line(centre, bar_bottom, centre, tick_bottom)
            if show:
                canvas.setFont(fonts.BODY_BOLD if is_bold else fonts.BODY, ls)
                canvas.drawString(label_left(centre, width, self.bar_w), baseline, text)

    def _draw_slot(self, bar_bottom: float, bar_top: float) -> None:
        """A heavy line at the slot's end, words above it, and a bracket over any overrun."""
        line = self.tl.slot_line(self.bar_w, SLOT_LINE)
        if line is None or self.tl.slot is None:
            return
        canvas = self.canv
        ls = self.label_size
        x = (line[0] + line[1]) / 2
        canvas.saveState()
        canvas.setLineWidth(SLOT_LINE)
        canvas.line(x, bar_bottom - ls * self.TICK, x, bar_top + ls * 1.1)
        canvas.restoreState()
        canvas.setFont(fonts.BODY_BOLD, ls)
        baseline = bar_top + ls * 0.35
        for label in (f"{minutes_text(self.tl.slot)}-min slot ends", "slot ends", "slot"):
            if stringWidth(label, fonts.BODY_BOLD, ls) <= x - ls * 0.4:
                canvas.drawRightString(x - ls * 0.4, baseline, label)
                break
        else:  # a slot far shorter than the plan: the words go right of the line, the bracket gives way
            canvas.drawString(x + ls * 0.4, baseline, "slot ends")
            return
        if self.tl.over > 0:
            end = self.x_of(self.tl.planned_high)
            y = bar_top + ls * 0.6
            canvas.setLineWidth(1.0)
            canvas.line(x, y, end, y)
            canvas.line(end, y - ls * 0.35, end, y + ls * 0.35)
            over = f"+{minutes_text(self.tl.over)}"
            w = stringWidth(over, fonts.BODY_BOLD, ls)
            if end - x >= w + ls * 0.6:
                canvas.setFillColor(white)
                canvas.rect((x + end) / 2 - w / 2 - 1, y - ls * 0.3, w + 2, ls * 0.95, stroke=0, fill=1)
                canvas.setFillColor(black)
                canvas.drawCentredString((x + end) / 2, y - ls * 0.3 + ls * 0.12, over)

