"""``deckbuilder build``: every output (or --only some) from content/ into output/."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING

from ..errors import UserError

if TYPE_CHECKING:
    from ..options import PrintOptions


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the PDFs into output/",
                       description="Check content/ and build the PDFs into output/. On any error nothing "
                                   "in output/ changes.")
    add_build_options(p)
    p.set_defaults(run=run)


def add_build_options(p: argparse.ArgumentParser, verb: str = "build") -> None:
    from ..options import DEFAULT_CARD, DEFAULT_PAPER, FLIPS, ORDERS, PAPERS
    from ..outputs import NAMES

    p.add_argument("dir", nargs="?", default=".", help="workspace folder (default: the current folder)")
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help=f"{verb} only this output (repeatable, or comma-separated): {', '.join(NAMES)}")
    p.add_argument("--paper", default=DEFAULT_PAPER, choices=PAPERS,
                   help="sheet size: letter (default) or a4; stock prints one card per page at card size")
    p.add_argument("--card", default=DEFAULT_CARD,
                   help=f"card size: {DEFAULT_CARD} (default), 4x6, a6, a7, or WxH with a unit, e.g. 90x55mm or 3x5in")
    p.add_argument("--flip", default="long", choices=FLIPS,
                   help="duplex: flip on long edge (default) or short edge, as the print dialog says; "
                        "manual writes cards-fronts.pdf and cards-backs.pdf for re-feeding by hand")
    p.add_argument("--back-offset", default="0,0", metavar="X,Y",
                   help="shift every card back by X,Y mm (read X,Y off 'deckbuilder calibrate')")
    p.add_argument("--order", default="deck", choices=ORDERS,
                   help="deck: fill sheet by sheet (default); stack: cut the whole stack at once and "
                        "each pile comes out in deck order")
    p.add_argument("--split", action="store_true",
                   help="continue a card face that is too long on a following card marked 'cont.' "
                        "instead of failing")


NUMBER = r"[-+]?\s*(?:\d+(?:\.\d*)?|\.\d+)"


def parse_offset(text: str) -> tuple[float, float]:
    """'X,Y' in mm: signs optional either way ('1.5,-0.5', '-1,2', '+5,0', as the calibration
    scale labels them), a typographic minus copied from a document taken as '-'."""
    m = re.fullmatch(rf"\s*({NUMBER})\s*,\s*({NUMBER})\s*(?:mm)?\s*", text.replace("\u2212", "-"))
    if not m:
        raise UserError(f"--back-offset {text!r} is not X,Y in mm",
                        hint="for example --back-offset 1.5,-0.5 or --back-offset -1,2")
    x, y = (float(g.replace(" ", "")) for g in m.groups())
    if abs(x) > 20 or abs(y) > 20:
        raise UserError(f"--back-offset {text} is more than 20 mm", hint="printers are off by a few mm at most; "
                        "re-read the calibration sheet")
    return x + 0.0, y + 0.0  # -0.0 prints as "-0"


def options_from(args: argparse.Namespace) -> PrintOptions:
    """The command line's options as typed values: parsed here, once, and nowhere else."""
    from ..options import Card, PrintOptions

    only = tuple(name.strip() for item in args.only for name in item.split(","))
    if "" in only:
        raise UserError(f"--only {','.join(args.only)!r} names an empty output",
                        hint="list output names separated by commas, e.g. --only cards,sheet")
    return PrintOptions(only=only, paper=args.paper, card=Card.parse(args.card), flip=args.flip,
                        back_offset=parse_offset(args.back_offset), order=args.order, split=args.split)


def run(args: argparse.Namespace) -> int:
    from ..build import build
    from ..errors import print_problems
    from ..workspace import Workspace

    workspace = Workspace.at(args.dir)
    written, report = build(workspace, options_from(args))
    for path in written:
        print(f"wrote {path.relative_to(workspace.root)}")
    if not written:
        print("nothing to build", file=sys.stderr)
    print_problems(report.warnings)  # once, after the files are written: the same warnings check prints
    return 0
