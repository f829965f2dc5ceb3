"""``--select``: reprinting a few cards, and remembering what the last deck printed.

A selection is a list of words, each matching some cards:

* a story id: that story's card; a project id: its phase and extra cards;
* a card-set name (phases, extras, stories, questions): every card of that set;
* ``principle:NAME``: the stories tagged with that principle (primary or secondary) and the
  bank questions filed under it (any case, spaces as typed);
* ``changed``: cards whose front or back differs from the last build that wrote the whole
  deck (cards.pdf, or the manual pair), or that it did not have.

Selected cards keep their place in the deck (``n/N``): they are printed into
``cards-selection.pdf`` so that the full deck in ``cards.pdf`` stays whole. What the
deck's cards were is kept in ``.deckbuilder/cards.json`` in the workspace (a hash of each
card's front and back, by card): written only after a build that wrote the whole deck.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .errors import UserError

if TYPE_CHECKING:
    from .content.principles import PrincipleMatcher

MEMORY_DIR = ".deckbuilder"
MEMORY_FILE = "cards.json"
SETS = ("phases", "extras", "stories", "questions")


class CardLike(Protocol):
    """What a selection reads of a card (outputs.deck.Card)."""

    @property
    def set(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def front(self) -> str: ...
    @property
    def back(self) -> str: ...
    @property
    def tags(self) -> frozenset[str]: ...


def card_key(card: CardLike) -> str:
    return f"{card.set}: {card.name}"


def card_hash(card: CardLike) -> str:
    return hashlib.sha256(f"{card.front}\0{card.back}".encode()).hexdigest()[:16]


def memory_path(root: Path) -> Path:
    return root / MEMORY_DIR / MEMORY_FILE


MAX_MEMORY_BYTES = 32 * 1024 * 1024  # 5,000 cards take about 400 KB


def _memory(root: Path) -> dict[str, Any] | None:
    """What ``.deckbuilder/cards.json`` holds, or None when it cannot be ours: missing, not a
    regular file (a pipe would block the read, /dev/zero never end it), reached through a link
    leading outside the workspace (nothing is read from outside it), too big, or not the JSON
    object ``remember`` writes (corrupted, nested beyond the JSON reader's recursion)."""
    path = memory_path(root)
    try:
        if not path.is_file() or not path.resolve().is_relative_to(root.resolve()):
            return None
        with open(path, "rb") as handle:
            raw = handle.read(MAX_MEMORY_BYTES + 1)
        if len(raw) > MAX_MEMORY_BYTES:
            return None
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def remembered(root: Path) -> dict[str, str] | None:
    """The last whole deck's card hashes; None when no build has written a deck yet (or the
    file is unreadable: then every card counts as changed, which reprints too much, never too little)."""
    cards = (_memory(root) or {}).get("cards")
    return {str(k): str(v) for k, v in cards.items()} if isinstance(cards, dict) else None


def remembered_total(root: Path) -> int | None:
    """N of the last whole deck written (its n/N labels), if known."""
    total = (_memory(root) or {}).get("total")
    return total if isinstance(total, int) and not isinstance(total, bool) and total >= 0 else None


def remember(root: Path, cards: Sequence[CardLike], total: int) -> None:
    """Record the deck just written (atomically: a killed build leaves the old record).
    ``total`` is the N of its labels (split cards count once per printed card).

    Raises OSError when it cannot be written, and refuses (OSError too) a ``.deckbuilder``
    that is a link leading outside the workspace: nothing is written outside it."""
    path = memory_path(root)
    path.parent.mkdir(exist_ok=True)
    if not path.parent.resolve().is_relative_to(root.resolve()):
        raise OSError(f"{MEMORY_DIR} is a link to a place outside the workspace")
    data: dict[str, Any] = {"about": "deckbuilder: the cards of the last deck written, for --select changed",
                            "total": total, "cards": {card_key(c): card_hash(c) for c in cards}}
    tmp = path.with_name(f".{MEMORY_FILE}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), "utf-8")
    os.replace(tmp, path)


def normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def choose(cards: Sequence[CardLike], words: Sequence[str], root: Path,
           principles: PrincipleMatcher | None = None) -> tuple[list[int], list[str]]:
    """Indexes of the selected cards (deck order) and notes for the user.

    ``principle:NAME`` takes any name the content takes (short names such as ``backbone``,
    aliases, ``&`` for ``and``) when ``principles`` is given. A word that matches no card is
    a mistake (exit 2, with the closest thing there is and what there is to choose from);
    ``changed`` matching nothing is not: the notes say so.
    """
    chosen: set[int] = set()
    notes: list[str] = []
    unknown: list[str] = []
    guesses: list[str] = []
    for word in words:
        if normal(word) == "changed":
            before = remembered(root)
            if before is None:
                notes.append("no earlier deck is remembered, so every card counts as changed")
                hits = set(range(len(cards)))
            else:
                hits = {i for i, c in enumerate(cards) if before.get(card_key(c)) != card_hash(c)}
                if not hits:
                    notes.append("no card changed since the last build that wrote the whole deck")
            chosen |= hits
            continue
        want = normal(word)
        canonical = None
        if want.startswith("principle:"):
            name = want.split(":", 1)[1].strip()
            canonical = principles.match(name) if principles else None
            want = "principle:" + normal(canonical or name)
        hits = {i for i, c in enumerate(cards) if c.set == want or want in c.tags}
        if not hits:
            unknown.append(word)
            guess = None if canonical else _closest(want, cards, principles)
            if canonical:
                guesses.append(f"no printed card is about '{canonical}' yet: tag a story with it.")
            elif guess:
                guesses.append(f"did you mean '{guess}' for '{word}'?")
        chosen |= hits
    if unknown:
        ids = sorted({t for c in cards for t in c.tags if not t.startswith("principle:")})
        shown = ", ".join(repr(w)[1:-1] if len(w) <= 40 else repr(w[:39])[1:-1] + "…" for w in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise UserError(f"--select {shown}{more}: no card matches",
                        hint="".join(f"{g} " for g in guesses[:5])
                        + f"choose story or project ids ({', '.join(ids[:8])}{', ...' if len(ids) > 8 else ''}), "
                          f"card sets ({', '.join(SETS)}), principle:NAME, or changed")
    return sorted(chosen), notes


def _closest(want: str, cards: Sequence[CardLike], principles: PrincipleMatcher | None) -> str | None:
    """What a word that matched nothing was probably meant to be: an id, a set or principle:NAME."""
    import difflib

    if want.startswith("principle:"):
        name = want.split(":", 1)[1]
        guess = principles.closest(name) if principles else None
        if guess:
            return f"principle:{guess}"
        tagged = sorted({t for c in cards for t in c.tags if t.startswith("principle:")})
        close = difflib.get_close_matches(want, tagged, n=1, cutoff=0.6)
        return close[0] if close else None
    choices = sorted({t for c in cards for t in c.tags if not t.startswith("principle:")} | set(SETS) | {"changed"})
    close = difflib.get_close_matches(want, choices, n=1, cutoff=0.6)
    return close[0] if close else None
