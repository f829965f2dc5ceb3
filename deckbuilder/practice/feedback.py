"""Rehearsal fed back into check and print: which stories have gone unrehearsed.

Read from the practice log by story card id (``story:<id>``), without rendering a card, so
a build pays one small SQLite read. Nothing here says anything until a log exists: a
workspace that never drills is never nagged, and its builds do not import the log's module
(nor SQLite: 21 M instructions, about 2% of a ``check``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..content.load import where
from ..content.model import Content
from ..errors import Problem
from . import log_path, utc_now

MARK = "↻"  # the sheet's mark for a story to rehearse (DejaVu Sans has it)


def story_recency(root: Path, content: Content) -> dict[str, dt.datetime | None] | None:
    """Each story's last rehearsal (None: never), or None when the workspace has no practice log."""
    if not log_path(root).exists():
        return None
    from .log import open_log

    with open_log(root, create=False) as log:
        reviews = log.reviews()
    last: dict[str, dt.datetime | None] = {s.id: None for s in content.stories}
    for review in reviews:  # oldest first
        if review.card_id.startswith("story:") and review.card_id[6:] in last:
            last[review.card_id[6:]] = review.at
    return last


def attach(content: Content, root: Path) -> Content:
    """Remember the stories' recency on the content, where the sheet and the matrix read it."""
    content._rehearsed = story_recency(root, content)
    return content


def stale_warnings(content: Content, now: dt.datetime | None = None) -> list[Problem]:
    """A warning per primary story never rehearsed, or not within ``practice.stale_days``."""
    recency = content._rehearsed
    if recency is None:
        return []
    now = now or utc_now()
    days = content.practice.stale_days
    problems = []
    for story in content.stories:
        if not story.primary:
            continue
        last = recency.get(story.id)
        if last is None:
            message = f"story '{story.id}' has never been rehearsed"
        elif now - last > dt.timedelta(days=days):
            message = f"story '{story.id}' was last rehearsed {(now - last).days} days ago"
        else:
            continue
        file, line = where(story)
        problems.append(Problem(file, line, message, f"deckbuilder drill --set stories (practice: stale_days: {days} "
                                                     "sets how old a rehearsal may be)", severity="warning"))
    return problems


def least_rehearsed(content: Content, among: set[str]) -> set[str]:
    """The ``practice.sheet_marks`` stories of ``among`` (those the sheet shows) rehearsed
    longest ago, never-rehearsed first, the stronger first among equals."""
    recency = content._rehearsed
    count = content.practice.sheet_marks
    if recency is None or not count:
        return set()
    oldest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    order = sorted((s for s in content.stories if s.id in among),
                   key=lambda s: (recency.get(s.id) or oldest, -s.strength))
    return {s.id for s in order[:count]}


def recency_shade(content: Content, story_id: str, now: dt.datetime | None = None) -> float | None:
    """How fresh a story's rehearsal is, 1 (today) fading to 0 (``stale_days`` ago or never);
    None when the matrix is not asked to shade (``practice.matrix_recency``) or there is no log."""
    recency = content._rehearsed
    if recency is None or not content.practice.matrix_recency:
        return None
    last = recency.get(story_id)
    if last is None:
        return 0.0
    age = ((now or utc_now()) - last).total_seconds() / 86400
    return max(0.0, 1.0 - age / content.practice.stale_days)
