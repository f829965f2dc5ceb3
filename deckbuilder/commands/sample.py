"""``deckbuilder sample DIR --cards N``: a synthetic workspace for benchmarks and tests."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sample", help="write a synthetic workspace with N cards (for benchmarks)",
                       description="Write a workspace with N cards of realistic length: about 10% deep-dive "
                                   "phases, 36% stories and 54% question-bank questions, some long enough "
                                   "to need fitting. The same N and seed always give the same files.")
    p.add_argument("dir", help="folder to create")
    p.add_argument("--cards", type=int, default=100, help="number of cards (default 100)")
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--force", action="store_true", help="overwrite an existing content/")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import UserError
    from ..sample import write_sample

    root = Path(args.dir)
    if args.cards < 3 or args.cards > 100_000:
        raise UserError(f"--cards {args.cards} is out of range", hint="choose between 3 and 100000")
    if (root / "content").exists() and not args.force:
        raise UserError(f"{root / 'content'} already exists", file=str(root),
                        hint="choose a new folder or pass --force")
    write_sample(root, args.cards, args.seed)
    print(f"wrote a {args.cards}-card sample workspace to {root}/")
    return 0
