"""The deck's side of ``--select``: which printed cards to draw, and remembering the deck.

The matching itself is ``deckbuilder.selection``; this keeps outputs/deck.py to a call.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..content.model import Content
from ..errors import Problem
from ..options import PrintOptions
from .base import Plan
from .faces import SetFace

if TYPE_CHECKING:
    from .deck import Card, Printed

SELECTION = "cards-selection"  # --select prints here, so that cards.pdf stays the whole deck


def selected_faces(plan: Plan, options: PrintOptions, content: Content, cards: list[Card], printed: list[Printed],
                   faces: list[tuple[SetFace, SetFace, str]]) -> list[tuple[SetFace, SetFace, str]]:
    """The faces --select asks for, with their deck labels (all of them without --select).
    Every printed card of a selected card is kept (continuation cards go with their card).
    ``changed`` compares with what the workspace remembers (``options.root``)."""
    if not options.select:
        return faces
    from ..content.principles import PrincipleMatcher
    from ..selection import choose, remembered_total

    root = options.root or Path(".")
    chosen, notes = choose(cards, options.select, root, PrincipleMatcher(content.principles))
    for note in notes:
        plan.warn(None, None, f"--select changed: {note}",
                  hint=None if chosen else f"nothing to reprint; {SELECTION}.pdf was not written")
    before, total = remembered_total(root), len(faces)
    if chosen and before is not None and before != total:
        plan.warn(None, None, f"the deck has {total} cards now, {before} when it was last written whole: "
                                    f"the selected cards are labelled n/{total}, so they do not sort into the "
                                    f"printed deck's n/{before}",
                        hint="reprint the whole deck (build without --select), or see 'Reprinting a few cards' "
                             "in docs/printing.md")
    wanted = {id(cards[i]) for i in chosen}
    return [face for face, p in zip(faces, printed) if id(p.source) in wanted]


def remember_deck(root: Path, cards: list[Card], total: int) -> list[Problem]:
    """This build's whole deck is in place: record its cards for --select changed.

    The PDFs are in place by then, so a record that cannot be written (a file where the
    ``.deckbuilder`` folder goes, a full disk) is a warning, not a failed build."""
    from ..selection import MEMORY_DIR, MEMORY_FILE, remember

    try:
        remember(root, cards, total)
    except OSError as exc:
        return [Problem(f"{MEMORY_DIR}/{MEMORY_FILE}", None,
                        f"cannot record this deck for --select changed: {exc.strerror or exc}",
                        hint=f"make {MEMORY_DIR}/ a folder you may write to inside the workspace; until then "
                             "--select changed counts every card as changed", severity="warning")]
    return []
