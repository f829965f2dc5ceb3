"""When each card is due: FSRS (the ``fsrs`` package, the scheduler Anki uses), replayed from the log.

The log is the only state: a card's FSRS memory (stability, difficulty, due date) is
rebuilt by replaying its graded reviews in order, so there is no second table to keep in
step, and a better scheduler later reads the same history. Fuzzing is off: the same log
always gives the same due dates.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fsrs import Card, Rating, Scheduler

from .cards import PracticeCard
from .log import Review

RATINGS = {1: Rating.Again, 2: Rating.Hard, 3: Rating.Good, 4: Rating.Easy}


def scheduler() -> Scheduler:
    return Scheduler(enable_fuzzing=False)


def memory(reviews: Iterable[Review]) -> dict[str, Card]:
    """Each graded card's FSRS state after all its reviews (timed-only reviews do not count)."""
    sched = scheduler()
    states: dict[str, Card] = {}
    for review in sorted(reviews, key=lambda r: r.at):
        if review.grade is None:
            continue
        card = states.get(review.card_id) or Card(card_id=1)
        states[review.card_id], _ = sched.review_card(card, RATINGS[review.grade], review.at)
    return states


@dataclass(frozen=True)
class Due:
    """A card's place in the schedule: new (never graded), due now, or due later."""

    due: dt.datetime | None  # None: new

    @property
    def new(self) -> bool:
        return self.due is None

    def is_due(self, now: dt.datetime) -> bool:
        return self.due is not None and self.due <= now


def due_dates(cards: Sequence[PracticeCard], reviews: Iterable[Review]) -> dict[str, Due]:
    states = memory(reviews)
    return {c.id: Due(states[c.id].due if c.id in states else None) for c in cards}


def session(cards: Sequence[PracticeCard], reviews: Iterable[Review], now: dt.datetime,
            shuffle: bool = False, rng: random.Random | None = None, every_card: bool = False) -> list[PracticeCard]:
    """The cards to drill now: the due ones (most overdue first), then the new ones in deck order.

    ``every_card`` (timing without grading) takes every card in deck order instead.
    ``shuffle`` mixes each group, keeping due cards before new ones.
    """
    if every_card:
        picked = [list(cards)]
    else:
        dues = due_dates(cards, reviews)
        due = sorted((c for c in cards if dues[c.id].is_due(now)), key=lambda c: dues[c.id].due or now)
        picked = [due, [c for c in cards if dues[c.id].new]]
    if shuffle:
        rng = rng or random.Random()
        for group in picked:
            rng.shuffle(group)
    return [c for group in picked for c in group]
