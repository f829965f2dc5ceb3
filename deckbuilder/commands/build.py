"""``deckbuilder build``: every output (or --only some) from content/ into output/."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UserError

if TYPE_CHECKING:
    from ..build import BuildOptions
    from ..config import Resolved


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the PDFs into output/",
                       description="Check content/ and build the PDFs into output/. On any error nothing "
                                   "in output/ changes.")
    add_build_options(p)
    p.set_defaults(run=run)


def add_build_options(p: argparse.ArgumentParser) -> None:
    from ..outputs import OUTPUTS

    p.add_argument("dir", nargs="?", default=".", help="workspace folder (default: the current folder)")
    p.add_argument("--only", action="append", default=[], metavar="NAME",
                   help=f"build only this output (repeatable, or comma-separated): {', '.join(OUTPUTS)}")
    from ..layout.stock import STOCKS

    # No defaults here: None means "not on the command line", so deckbuilder.toml, then a
    # printer profile, then the default decides (config.resolve; the defaults are in config.DEFAULTS).
    p.add_argument("--paper", choices=["letter", "a4", "stock", *STOCKS],
                   help="sheet size: letter (default) or a4; stock prints one card per page at card size; "
                        f"perforated card stock: {', '.join(STOCKS)}")
    p.add_argument("--card",
                   help="card size: 3x5 (default), 4x6, a6, a7, or WxH with a unit, e.g. 90x55mm or 3x5in")
    p.add_argument("--flip", choices=["long", "short", "manual", "fold"],
                   help="duplex: flip on long edge (default) or short edge, as the print dialog says; "
                        "manual writes cards-fronts.pdf and cards-backs.pdf for re-feeding by hand; "
                        "fold prints front and back side by side to fold (one-sided printing)")
    p.add_argument("--back-offset", metavar="X,Y",
                   help="shift every card back by X,Y mm (read X,Y off 'deckbuilder calibrate')")
    p.add_argument("--order", choices=["deck", "stack"],
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


def settings_from(args: argparse.Namespace, root: Path) -> Resolved:
    """The print settings in effect (flag > deckbuilder.toml > printer profile > default)."""
    from ..config import resolve

    flags = {name: getattr(args, name, None) for name in ("paper", "card", "flip", "back_offset", "order", "split",
                                                          "out", "printer")}
    return resolve(flags, root)


def options_from(args: argparse.Namespace, settings: Resolved | None = None) -> BuildOptions:
    from ..build import BuildOptions

    only = tuple(name.strip() for item in args.only for name in item.split(","))
    if "" in only:
        raise UserError(f"--only {','.join(args.only)!r} names an empty output",
                        hint="list output names separated by commas, e.g. --only cards,sheet")
    select = tuple(name.strip() for item in getattr(args, "select", []) for name in item.split(","))
    if "" in select:
        raise UserError(f"--select {','.join(args.select)!r} names an empty selection",
                        hint="list story ids, card sets, principle:NAME or changed, separated by commas")
    if select and only and "cards" not in only:  # --select would be silently ignored
        raise UserError(f"--select picks cards, but --only {','.join(only)} builds no cards",
                        hint=f"add cards: --only cards,{','.join(only)} (or leave out --only)")
    if settings is None:
        settings = settings_from(args, Path(args.dir).resolve())
    v = settings.values
    return BuildOptions(only=only, paper=v["paper"], card=v["card"], flip=v["flip"],
                        back_offset=parse_offset(v["back_offset"]), order=v["order"], split=bool(v["split"]),
                        select=select)


def shown(path: Path, root: Path) -> Path:
    """A written file as the user knows it: inside the workspace relative to it, elsewhere in full."""
    try:
        return path.relative_to(root)
    except ValueError:
        return path


def run(args: argparse.Namespace) -> int:
    from ..build import build
    from ..cli import print_problems
    from ..workspace import Workspace

    workspace = Workspace.at(args.dir)
    settings = settings_from(args, workspace.root)
    options = options_from(args, settings)
    workspace = workspace.writing_to(settings.values["out"])
    print(settings.line(workspace.root))
    written, report = build(workspace, options)
    print_problems(report.warnings)
    for path in written:
        print(f"wrote {shown(path, workspace.root)}")
    if not written:
        why = ""
        if "loop" in options.only:  # the one output that depends on content being there
            why = ("; loop.pdf is written only when an interviewer lists the principles they will probe "
                   "(interview: interviewers: - principles: [...], see docs/coach.md)")
        print(f"nothing to build{why}", file=sys.stderr)
    return 0
