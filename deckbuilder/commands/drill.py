"""``deckbuilder drill``: rehearse the deck out loud against the clock; every grade goes to the log."""

from __future__ import annotations

import argparse
import sys

# content.model.CARD_SETS, written out: importing the model (pydantic) would slow every --help
CARD_SETS = ("phases", "extras", "stories", "questions")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("drill", help="rehearse the cards against the clock (due first, then new)",
                       description="Show each card's front and time the telling against its target (a story's "
                                   "or phase's minutes, else 2); space or Enter shows the back, 1-4 grade it "
                                   "(Again, Hard, Good, Easy), q quits. Cards due for review (FSRS) come first, "
                                   "then new ones. Every grade is saved at once in .deckbuilder/practice.sqlite.")
    p.add_argument("dir", nargs="?", default=".", help="workspace folder (default: the current folder)")
    p.add_argument("--set", action="append", default=[], metavar="SET",
                   help=f"only this card set (repeatable, or comma-separated): {', '.join(CARD_SETS)}")
    p.add_argument("--principle", action="append", default=[], metavar="NAME",
                   help="only cards for this principle (its name, short name or an alias; repeatable)")
    p.add_argument("--limit", type=int, metavar="N", help="at most N cards this session")
    p.add_argument("--shuffle", action="store_true", help="mix the order (due cards still before new ones)")
    p.add_argument("--time", action="store_true",
                   help="timing without grading: every selected card, in deck order; times are logged, "
                        "the schedule is not changed")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import UserError
    from ..practice.cards import load_deck
    from ..practice.drill import (
        Session,
        last_reviews,
        next_due_line,
        run_plain,
        run_terminal,
    )
    from ..practice.filters import select
    from ..practice.log import open_log, utc_now
    from ..practice.schedule import due_dates, session

    if args.limit is not None and args.limit < 1:
        raise UserError(f"--limit {args.limit} is not a number of cards", hint="give 1 or more, e.g. --limit 10")
    deck = load_deck(args.dir)
    chosen = select(deck, args.set, args.principle)
    if not chosen:  # not "none due": there is nothing at all, and --time would not help
        asked = " ".join([*(f"--set {s}" for s in args.set), *(f"--principle {p!r}" for p in args.principle)])
        raise UserError(f"no card matches {asked}" if asked else "the deck has no cards to drill",
                        hint="'deckbuilder check' shows which principles have stories; a principle's cards are "
                             "its stories and bank questions" if args.principle else
                             "the card sets come from deck: sets: in content/ (phases, extras, stories, questions)")
    with open_log(deck.workspace.root) as log:
        reviews = log.reviews()
        now = utc_now()
        queue = session(chosen, reviews, now, shuffle=args.shuffle, every_card=args.time)
        if args.limit:
            queue = queue[:args.limit]
        if not queue:
            dues = [d.due for d in due_dates(chosen, reviews).values() if d.due]
            upcoming = next_due_line(min(dues, default=None), now)
            print(f"nothing to drill: {len(chosen)} card(s), none due or new; {upcoming}."
                  " Use --time to rehearse them anyway.")
            return 0
        drill = Session(queue, log, last_reviews(reviews), timed_only=args.time)
        finished = False
        try:
            if sys.stdout.isatty() and sys.stdin.isatty():
                from rich.console import Console

                finished = run_terminal(drill, Console())
            else:
                finished = run_plain(drill, sys.stdout, sys.stdin)
        except KeyboardInterrupt:
            print(f"\ninterrupted. {drill.tally.summary()}.")
            return 130
        remaining = "" if finished else " (stopped before the end)"
        print(f"{drill.tally.summary()}{remaining}.")
        after = due_dates(chosen, log.reviews())
        print(f"{next_due_line(min((d.due for d in after.values() if d.due), default=None), utc_now())}.")
    return 0
