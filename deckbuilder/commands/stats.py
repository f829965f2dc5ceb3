"""``deckbuilder stats``: what was rehearsed, per principle and per story, and output/practice.pdf."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="what you have rehearsed, per principle and story; writes output/practice.pdf",
                       description="Read the practice log and show, per principle and per story: when last "
                                   "rehearsed, how many reviews, the average telling time against the target, "
                                   "and how many cards are due now or new. Also writes output/practice.pdf: "
                                   "rehearsals per day over the last four weeks and time against target per story.")
    p.add_argument("dir", nargs="?", default=".", help="workspace folder (default: the current folder)")
    p.add_argument("--no-chart", action="store_true", help="print the tables only; do not write practice.pdf")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..config import file_output_dir
    from ..practice.cards import load_deck
    from ..practice.chart import draw_chart
    from ..practice.log import open_log, utc_now
    from ..practice.stats import compute, table_lines
    from ..workspace import StagedOutputs
    from .build import shown

    deck = load_deck(args.dir)
    with open_log(deck.workspace.root, create=False) as log:
        reviews = log.reviews()
    now = utc_now()
    stats = compute(deck.content, deck.cards, reviews, now)
    print(f"{deck.label}: {len(deck.cards)} cards, {stats.total_reviews} reviews logged; "
          f"{stats.due_now} due now, {stats.new} new" +
          (f", next due {stats.next_due.astimezone():%Y-%m-%d %H:%M}" if stats.next_due else ""))
    for title, rows in (("principle", stats.principles), ("story", stats.stories)):
        if rows:
            print()
            print("\n".join(table_lines(title, rows, now)))
    if not args.no_chart:
        out = file_output_dir(deck.workspace.root)  # [output] dir, as build writes there
        staged = StagedOutputs(out)
        try:
            pages = draw_chart(staged.path_for("practice.pdf"), deck.label, stats.stories, reviews,
                               now.astimezone().date())
            staged.commit()
        finally:
            staged.discard()
        print(f"\nwrote {shown(out / 'practice.pdf', deck.workspace.root)} ({pages} page{'s' if pages != 1 else ''})")
    return 0
