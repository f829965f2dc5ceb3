"""What was rehearsed: per story and per principle, from the practice log and the schedule.

Pure functions of the cards, the reviews and a moment: ``stats`` prints them, ``chart``
draws them, and ``check`` and the sheet read ``story_recency`` to say what has gone stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.model import Content
from .cards import PracticeCard
from .log import Review
from .schedule import Due, due_dates


@dataclass(frozen=True)
class Row:
    """One line of the stats: a story or a principle and what its cards' reviews add up to."""

    name: str
    cards: int
    reviews: int
    last: dt.datetime | None
    avg_seconds: float | None  # over every review, graded or timed
    target_seconds: float  # the cards' targets, averaged over the reviews (or the cards, with none)
    due: int  # cards due now
    new: int  # cards never graded

    @property
    def over(self) -> bool:
        return self.avg_seconds is not None and self.avg_seconds > self.target_seconds


def row(name: str, cards: Sequence[PracticeCard], by_card: dict[str, list[Review]], dues: dict[str, Due],
        now: dt.datetime) -> Row:
    reviews = [r for c in cards for r in by_card.get(c.id, [])]
    targets = {c.id: c.target_minutes * 60 for c in cards}
    if reviews:
        target = sum(targets[r.card_id] for r in reviews) / len(reviews)
        avg: float | None = sum(r.seconds for r in reviews) / len(reviews)
    else:
        target = sum(targets.values()) / len(cards) if cards else 0.0
        avg = None
    return Row(name, len(cards), len(reviews), max((r.at for r in reviews), default=None), avg, target,
               sum(dues[c.id].is_due(now) for c in cards), sum(dues[c.id].new for c in cards))


@dataclass(frozen=True)
class Stats:
    stories: list[Row]
    principles: list[Row]
    due_now: int
    new: int
    next_due: dt.datetime | None
    total_reviews: int


def compute(content: Content, cards: Sequence[PracticeCard], reviews: Sequence[Review], now: dt.datetime) -> Stats:
    """Per story (its story card, labelled as in the matrix) and per principle (every card
    about it: its stories' cards and its bank questions), in the content's order."""
    by_card: dict[str, list[Review]] = {}
    for review in reviews:
        by_card.setdefault(review.card_id, []).append(review)
    dues = due_dates(cards, reviews)
    labels = {s.id: s.label for s in content.stories}
    stories = [row(labels.get(c.story or "", c.title), [c], by_card, dues, now) for c in cards if c.story]
    principles = []
    for name in content.principle_names():
        about = [c for c in cards if name in c.principles]
        if about:
            principles.append(row(name, about, by_card, dues, now))
    later = [d.due for d in dues.values() if d.due and d.due > now]
    return Stats(stories, principles, sum(d.is_due(now) for d in dues.values()), sum(d.new for d in dues.values()),
                 min(later, default=None), sum(len(v) for k, v in by_card.items() if k in dues))


def story_recency(cards: Sequence[PracticeCard], reviews: Sequence[Review]) -> dict[str, dt.datetime | None]:
    """Each story's last rehearsal (its story card's last review), None when never."""
    last: dict[str, dt.datetime | None] = {c.story: None for c in cards if c.story}
    ids = {c.id: c.story for c in cards if c.story}
    for review in reviews:
        story = ids.get(review.card_id)
        if story is not None:
            seen = last[story]
            last[story] = review.at if seen is None or review.at > seen else seen
    return last


def days_ago(when: dt.datetime | None, now: dt.datetime) -> str:
    if when is None:
        return "never"
    days = (now.date() - when.astimezone(now.tzinfo).date()).days
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"


def minutes(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def table_lines(title: str, rows: Sequence[Row], now: dt.datetime, width: int = 80) -> list[str]:
    """A plain text table (fits 80 columns: the name column gives way)."""
    heads = ("last", "reviews", "avg / target", "due", "new")
    cells = [(days_ago(r.last, now), str(r.reviews),
              f"{minutes(r.avg_seconds)} / {minutes(r.target_seconds)}" + (" over" if r.over else ""),
              str(r.due), str(r.new)) for r in rows]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(heads)]
    rest = sum(widths) + 2 * len(widths)
    name_w = max(8, min(max([len(title)] + [len(r.name) for r in rows]), width - rest))

    def line(name: str, values: Sequence[str]) -> str:
        name = name if len(name) <= name_w else name[:name_w - 1] + "…"
        return (name.ljust(name_w) + "".join("  " + v.rjust(w) for v, w in zip(values, widths))).rstrip()

    return [line(title, heads)] + [line(r.name, c) for r, c in zip(rows, cells)]
