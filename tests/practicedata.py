"""Helpers for the practice tests: a workspace's practice cards, and a log seeded with reviews."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from deckbuilder.build import load
from deckbuilder.practice.cards import PracticeCard, practice_cards
from deckbuilder.practice.log import Review, open_log
from deckbuilder.render.templates import Templates
from deckbuilder.workspace import Workspace

NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)  # the commands read the clock too


def cards_of(root: Path) -> list[PracticeCard]:
    workspace = Workspace.at(root)
    content, report = load(workspace)
    return practice_cards(content, Templates(workspace.templates_dir, report))


def seed(root: Path, reviews: list[tuple[str, int, int | None, float]], cards: list[PracticeCard]) -> None:
    """Reviews as (card id, days before NOW, grade, seconds), with the cards' current hashes."""
    hashes = {c.id: c.content_hash for c in cards}
    with open_log(root) as log:
        log.record_many(Review(card, NOW - dt.timedelta(days=days), grade, seconds, hashes.get(card, "old"))
                        for card, days, grade, seconds in reviews)
