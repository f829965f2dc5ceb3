"""The deck for other tools: an Anki package (``.apkg``) and a plain CSV of front,back rows.

Anki: one note per card, its faces as HTML from the same Markdown as the PDF (raw HTML in
the text is escaped, never passed through); tags from the card's set and principles; the
deck named after the deck label. Each note's GUID is derived from the card's id, so
importing a later export updates the notes already in Anki (with their review history)
instead of adding copies. The CSV holds the same faces as plain text, which Anki, Quizlet
and Brainscape all import.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import genanki

from ..errors import UserError
from .cards import PracticeCard
from .text import to_html, to_plain

# Fixed forever: Anki recognises a note type by its id, and would make a new one per export otherwise.
MODEL_ID = 1_607_392_320
CSS = """.card { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 18px; text-align: left;
        color: black; background-color: white; max-width: 36em; margin: 0 auto; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; }
.deckbuilder-id { color: #999; font-size: 0.6em; margin-top: 2em; }"""


def note_model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID, "deckbuilder card",
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "CardId"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}",
                    "afmt": "{{FrontSide}}<hr id=answer>{{Back}}<div class=deckbuilder-id>{{CardId}}</div>"}],
        css=CSS)


def note_guid(card: PracticeCard) -> str:
    """The note's GUID: a function of the card's id only, so it is the same on every export."""
    return genanki.guid_for("deckbuilder", card.id)


def deck_id(label: str) -> int:
    """A stable Anki deck id for a deck label (Anki wants one in 2^30..2^31)."""
    return (1 << 30) + int(hashlib.sha1(label.encode()).hexdigest()[:8], 16) % (1 << 30)


def tag(text: str) -> str:
    """An Anki tag (no spaces): 'Bias for Action' -> 'Bias_for_Action'."""
    return re.sub(r"[^\w:-]+", "_", text).strip("_") or "_"


def file_stem(label: str) -> str:
    """A file name for the deck label: 'Amazon L6 (SDE)' -> 'Amazon-L6-SDE'."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-.") or "deck"


def anki_package(cards: Sequence[PracticeCard], label: str) -> genanki.Package:
    deck = genanki.Deck(deck_id(label), label)
    model = note_model()
    for card in cards:
        tags = [tag(card.set)] + [tag(p) for p in card.principles]
        deck.add_note(genanki.Note(model=model, fields=[to_html(card.front), to_html(card.back), card.id],
                                   tags=sorted(set(tags)), guid=note_guid(card)))
    return genanki.Package(deck)


def write_anki(cards: Sequence[PracticeCard], label: str, output_dir: Path) -> Path:
    package = anki_package(cards, label)
    return _write_atomically(output_dir / f"{file_stem(label)}.apkg", lambda tmp: package.write_to_file(str(tmp)))


def write_csv(cards: Sequence[PracticeCard], label: str, output_dir: Path) -> Path:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            for card in cards:
                writer.writerow([to_plain(card.front), to_plain(card.back)])

    return _write_atomically(output_dir / f"{file_stem(label)}.csv", write)


def _write_atomically(final: Path, write: Callable[[Path], None]) -> Path:
    """Write to a temporary file beside ``final`` and move it into place: an interrupted
    export leaves the previous file as it was."""
    if final.is_dir():
        raise UserError(f"{final.name} is a folder, so the export cannot replace it", file=str(final),
                        hint="move or delete that folder, then export again")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    except OSError as exc:
        raise UserError(f"cannot write to the output folder: {exc.strerror}", file=str(final.parent),
                        hint="check that output/ is a folder you may write to") from None
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    return final
