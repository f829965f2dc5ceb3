"""``deckbuilder build``: every output (or --only some) from content/ into output/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError
from ..options import parse_offset

__all__ = ["add_build_options", "options_from", "parse_offset", "settings_from", "shown"]

if TYPE_CHECKING:
    from ..config import Resolved
    from ..errors import Problem
    from ..options import PrintOptions
    from ..workspace import Workspace


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the PDFs into output/",
                       description="Check content/ and build the PDFs into output/. On any error nothing "
                                   "in output/ changes.")
    add_build_options(p)
    p.set_defaults(run=run)


def add_build_options(p: argparse.ArgumentParser, verb: str = "build") -> None:
    from ..layout.stock import STOCKS
    from ..options import DEFAULT_CARD, FLIPS, ORDERS, PAPERS
    from ..outputs import NAMES

    p.add_argument("dir", nargs="?", default=".", help="workspace folder (default: the current folder)")
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help=f"{verb} only this output (repeatable, or comma-separated): {', '.join(NAMES)}")
    # No defaults here: None means "not on the command line", so deckbuilder.toml, then a
    # printer profile, then the default decides (config.resolve; the defaults are in config.DEFAULTS).
    p.add_argument("--paper", choices=PAPERS,
                   help="sheet size: letter (default) or a4; stock prints one card per page at card size; "
                        f"perforated card stock: {', '.join(STOCKS)}")
    p.add_argument("--card",
                   help=f"card size: {DEFAULT_CARD} (default), 4x6, a6, a7, or WxH with a unit, e.g. 90x55mm or 3x5in")
    p.add_argument("--flip", choices=FLIPS,
                   help="duplex: flip on long edge (default) or short edge, as the print dialog says; "
                        "manual writes cards-fronts.pdf and cards-backs.pdf for re-feeding by hand; "
                        "fold prints front and back side by side to fold (one-sided printing)")
    p.add_argument("--back-offset", metavar="X,Y",
                   help="shift every card back by X,Y mm (read X,Y off 'deckbuilder calibrate')")
    p.add_argument("--order", choices=ORDERS,
                   help="deck: fill sheet by sheet (default); stack: cut the whole stack at once and "
                        "each pile comes out in deck order")
    p.add_argument("--split", action=argparse.BooleanOptionalAction, default=None,
                   help="continue a card face that is too long on a following card marked 'cont.' "
                        "instead of failing")
    p.add_argument("--printer", metavar="NAME",
                   help="use a saved printer profile's back offset and flip (deckbuilder printer list)")
    p.add_argument("--out", metavar="DIR", help="write the PDFs into DIR instead of output/ (created if missing)")
    p.add_argument("--select", action="append", default=[], metavar="WHAT",
                   help="print only some cards, into cards-selection.pdf: story or project ids, card-set "
                        "names, principle:NAME, or 'changed' (repeatable, or comma-separated)")



def settings_from(args: argparse.Namespace, root: Path) -> Resolved:
    """The print settings in effect (flag > deckbuilder.toml > printer profile > default)."""
    from ..config import resolve

    flags = {name: getattr(args, name, None) for name in ("paper", "card", "flip", "back_offset", "order", "split",
                                                          "out", "printer")}
    return resolve(flags, root)


def options_from(args: argparse.Namespace, settings: Resolved | None = None) -> PrintOptions:
    """The command line's options, with deckbuilder.toml's and a printer profile's, as typed
    values: parsed here, once, and nowhere else."""
    from ..options import Card, PrintOptions

    only = tuple(name.strip() for item in args.only for name in item.split(","))
    if "" in only:
        raise UserError(f"--only {','.join(args.only)!r} names an empty output",
                        hint="list output names separated by commas, e.g. --only cards,sheet")
    select = tuple(name.strip() for item in getattr(args, "select", []) for name in item.split(","))
    if "" in select:
        raise UserError(f"--select {','.join(args.select)!r} names an empty selection",
                        hint="list story ids, card sets, principle:NAME or changed, separated by commas")
    root = Path(args.dir).resolve()
    if select and only and "cards" not in only:  # --select would be silently ignored
        raise UserError(f"--select picks cards, but --only {','.join(only)} builds no cards",
                        hint=f"add cards: --only cards,{','.join(only)} (or leave out --only)")
    if settings is None:
        settings = settings_from(args, root)
    v = settings.values
    return PrintOptions(only=only, paper=v["paper"], card=Card.parse(v["card"]), flip=v["flip"],
                        back_offset=parse_offset(v["back_offset"]), order=v["order"], split=bool(v["split"]),
                        select=select, root=root)


def shown(path: Path, root: Path) -> Path:
    """A written file as the user knows it: inside the workspace relative to it, elsewhere in full."""
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def content_problems(workspace: Workspace) -> list[Problem]:
    """The content's mistakes, for a build that stops at its settings: check lists both, so build does too."""
    from ..build import load

    try:
        load(workspace)
    except UserError as exc:
        return list(exc.problems)
    return []


def run(args: argparse.Namespace) -> int:
    from ..build import build
    from ..errors import print_problems
    from ..workspace import Workspace

    workspace = Workspace.at(args.dir)
    try:
        settings = settings_from(args, workspace.root)
    except UserError as exc:  # every mistake at once, as check reports them: the settings' and the content's
        raise UserError(list(exc.problems) + content_problems(workspace)) from None
    options = options_from(args, settings)
    workspace = workspace.writing_to(settings.values["out"])
    args.output_shown = f"{shown(workspace.output_dir, workspace.root)}/"  # for cli's "the PDFs in ... are unchanged"
    print(settings.line(workspace.root))
    written, report = build(workspace, options)
    for path in written:
        print(f"wrote {shown(path, workspace.root)}")
    if not written:
        why = ""
        if "loop" in options.only:  # the one output that depends on content being there
            why = ("; loop.pdf is written only when an interviewer lists the principles they will probe "
                   "(interview: interviewers: - principles: [...], see docs/coach.md)")
        print(f"nothing to build{why}", file=sys.stderr)
    print_problems(report.warnings)  # once, after the files are written: the same warnings check prints
    return 0
