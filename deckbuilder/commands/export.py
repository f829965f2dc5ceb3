"""``deckbuilder export anki|csv``: the deck for Anki (an .apkg) or any flash-card app (a CSV)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the deck for Anki (.apkg) or as a CSV",
                       description="Write the deck's cards for other tools: 'anki' writes output/<deck>.apkg "
                                   "(one note per card, tagged with its set and principles; importing a later "
                                   "export updates the same notes), 'csv' writes output/<deck>.csv with "
                                   "front,back rows in plain text (Anki, Quizlet, Brainscape).")
    p.add_argument("format", choices=["anki", "csv"], help="anki (.apkg) or csv")
    p.add_argument("dir", nargs="?", default=".", help="workspace folder (default: the current folder)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..config import file_output_dir
    from ..errors import UserError
    from ..practice.cards import load_deck
    from ..practice.export import write_anki, write_csv
    from .build import shown

    deck = load_deck(args.dir)
    if not deck.cards:  # as drill says: an empty file would replace a good one without a word
        raise UserError("the deck has no cards to export",
                        hint="the card sets come from deck: sets: in content/ (phases, extras, stories, questions)")
    out = file_output_dir(deck.workspace.root)  # [output] dir, as build writes there
    out.mkdir(parents=True, exist_ok=True)
    write = write_anki if args.format == "anki" else write_csv
    path = write(deck.cards, deck.label, out)
    print(f"wrote {shown(path, deck.workspace.root)}: {len(deck.cards)} cards, deck '{deck.label}'")
    return 0
