"""Which cards a command works on: ``--set`` and ``--principle``, checked against the content."""

from __future__ import annotations

from ..content.model import CARD_SETS
from ..content.principles import PrincipleMatcher, did_you_mean
from ..errors import UserError
from .cards import Deck, PracticeCard


def _words(values: list[str]) -> list[str]:
    return [w.strip() for v in values for w in v.split(",") if w.strip()]


def select(deck: Deck, sets: list[str], principles: list[str]) -> list[PracticeCard]:
    """The deck's cards in ``sets`` (all when none) about any of ``principles`` (all when none)."""
    wanted_sets = _words(sets)
    for name in wanted_sets:
        if name not in CARD_SETS:
            guess = did_you_mean(name, CARD_SETS)
            raise UserError(f"--set {name}: there is no such card set",
                            hint=(f"did you mean {guess}? " if guess else "") + f"choose from {', '.join(CARD_SETS)}")
    matcher = PrincipleMatcher(deck.content.principles)
    wanted: set[str] = set()
    for written in principles:
        canonical = matcher.match(written)
        if canonical is None:
            guess = matcher.closest(written)
            raise UserError(f"--principle {written!r} is not one of the deck's principles",
                            hint=f"did you mean {guess!r}?" if guess else "see 'deckbuilder check' for their names")
        wanted.add(canonical)
    return [c for c in deck.cards
            if (not wanted_sets or c.set in wanted_sets)
            and (not wanted or any(matcher.match(p) in wanted for p in c.principles))]
