"""``output/practice.pdf``: rehearsal over the last weeks and time against target per story.

Drawn with reportlab from the stats alone, offline, on one landscape page (a long list of
stories runs onto more pages). Top: a bar per day for the last four weeks, each bar split
by grade. Below: each story's average telling time as a bar against its target, a tick at
the target, red when over; stories never rehearsed say so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.units import mm

from ..render import fonts
from ..render.pdf import Meta, new_canvas
from .log import GRADES, Review
from .stats import Row, minutes

DAYS = 28
GRADE_COLOURS = {None: colors.HexColor("#9e9e9e"), 1: colors.HexColor("#d32f2f"), 2: colors.HexColor("#f57c00"),
                 3: colors.HexColor("#388e3c"), 4: colors.HexColor("#1976d2")}
OVER = colors.HexColor("#d32f2f")
WITHIN = colors.HexColor("#388e3c")
MARGIN = 15 * mm
LINE = 11.0  # one story's row in the timing chart, in points


def per_day(reviews: Sequence[Review], today: dt.date) -> list[tuple[dt.date, dict[int | None, int]]]:
    """The last ``DAYS`` days, oldest first, with each day's reviews counted by grade (local dates)."""
    days = [today - dt.timedelta(days=n) for n in range(DAYS - 1, -1, -1)]
    counts: dict[dt.date, dict[int | None, int]] = {d: {} for d in days}
    for review in reviews:
        day = review.at.astimezone().date()
        if day in counts:
            counts[day][review.grade] = counts[day].get(review.grade, 0) + 1
    return [(d, counts[d]) for d in days]


def draw_chart(path: Path, label: str, stories: Sequence[Row], reviews: Sequence[Review], today: dt.date) -> int:
    """Write the chart to ``path``; returns its page count."""
    width, height = landscape(letter)
    canvas = new_canvas(str(path), (width, height), Meta(f"{label}: practice", subject="rehearsal and timing"))
    bold = fonts.BODY_BOLD
    canvas.setFont(bold, 14)
    canvas.drawString(MARGIN, height - MARGIN - 10, f"{label}: practice, as of {today:%Y-%m-%d}")
    top = height - MARGIN - 30
    _days(canvas, per_day(reviews, today), MARGIN, top - 150, width - 2 * MARGIN, 130)
    pages = 1
    fits = int((top - 175 - 16 - MARGIN) // LINE) + 1
    first, rest = list(stories[:fits]), list(stories[fits:])
    _times(canvas, first, MARGIN, top - 175, width - 2 * MARGIN)
    while rest:
        canvas.showPage()
        pages += 1
        fits = int((height - 2 * MARGIN - 16) // LINE) + 1
        chunk, rest = rest[:fits], rest[fits:]
        _times(canvas, chunk, MARGIN, height - MARGIN, width - 2 * MARGIN)
    canvas.save()
    return pages


def _days(canvas, days: list[tuple[dt.date, dict[int | None, int]]], x: float, y: float, w: float,
          h: float) -> None:
    body = fonts.BODY
    canvas.setFont(fonts.BODY_BOLD, 10)
    canvas.drawString(x, y + h + 4, f"Cards rehearsed per day, last {DAYS} days")
    peak = max([sum(c.values()) for _, c in days] + [1])
    step = w / len(days)
    canvas.setStrokeColor(colors.HexColor("#bdbdbd"))
    canvas.line(x, y, x + w, y)
    for i, (day, counts) in enumerate(days):
        bx = x + i * step + step * 0.15
        level = y
        for grade in (1, 2, 3, 4, None):
            n = counts.get(grade, 0)
            if n:
                bar = (h - 24) * n / peak
                canvas.setFillColor(GRADE_COLOURS[grade])
                canvas.rect(bx, level, step * 0.7, bar, stroke=0, fill=1)
                level += bar
        canvas.setFillColor(colors.black)
        total = sum(counts.values())
        canvas.setFont(body, 6.5)
        if total:
            canvas.drawCentredString(bx + step * 0.35, level + 2, str(total))
        if day.weekday() == 0 or i == len(days) - 1:
            canvas.drawCentredString(bx + step * 0.35, y - 9, f"{day:%b %d}")
    lx = x + w
    canvas.setFont(body, 7)
    for grade in (None, 4, 3, 2, 1):
        name = GRADES.get(grade, "timed") if grade else "timed only"
        lx -= canvas.stringWidth(name, body, 7) + 16
        canvas.setFillColor(GRADE_COLOURS[grade])
        canvas.rect(lx, y + h + 4, 7, 7, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        canvas.drawString(lx + 9, y + h + 5, name)


def _times(canvas, rows: list[Row], x: float, top: float, w: float) -> None:
    body = fonts.BODY
    canvas.setFillColor(colors.black)
    canvas.setFont(fonts.BODY_BOLD, 10)
    canvas.drawString(x, top, "Average telling time against the target, per story")
    if not rows:
        canvas.setFont(body, 8)
        canvas.drawString(x, top - 14, "No story cards in the deck.")
        return
    name_w = 42 * mm
    bar_x, bar_w = x + name_w, w - name_w - 30 * mm
    scale = max([r.target_seconds * 1.5 for r in rows] + [r.avg_seconds or 0 for r in rows])
    line_h = LINE
    y = top - 16
    for r in rows:
        canvas.setFillColor(colors.black)
        canvas.setFont(body, 7.5)
        canvas.drawRightString(bar_x - 4, y + 1.5, r.name)
        if r.avg_seconds is None:
            canvas.setFillColor(colors.HexColor("#757575"))
            canvas.drawString(bar_x, y + 1.5, "not rehearsed yet")
        else:
            canvas.setFillColor(OVER if r.over else WITHIN)
            canvas.rect(bar_x, y, bar_w * r.avg_seconds / scale, line_h * 0.7, stroke=0, fill=1)
            canvas.setFillColor(colors.black)
            canvas.drawString(bar_x + bar_w + 4, y + 1.5,
                              f"{minutes(r.avg_seconds)} / {minutes(r.target_seconds)} · {r.reviews}x")
        tx = bar_x + bar_w * r.target_seconds / scale
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(0.8)
        canvas.line(tx, y - 1.5, tx, y + line_h * 0.7 + 1.5)
        y -= line_h
