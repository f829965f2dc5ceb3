"""``deckbuilder calibrate``: a two-page test sheet for reading the printer's back offset."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..options import DEFAULT_CARD, FLIPS, PAPERS


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calibrate", help="write output/calibrate.pdf to measure your printer's back offset",
                       description="Write output/calibrate.pdf: a front with a thin cross and a back with "
                                   "millimetre scales. Print it double-sided with the --paper, --card and "
                                   "--flip you build with, hold it against a light, read X and Y where the "
                                   "front's lines show through, then build with --back-offset X,Y.")
    p.add_argument("dir", nargs="?", default=".", help="workspace folder (default: the current folder)")
    p.add_argument("--paper", choices=PAPERS,
                   help="as for build (default: deckbuilder.toml's, else letter): the sheet turns the same way "
                        "as the deck's (a perforated stock: print the calibration on plain paper of its size)")
    p.add_argument("--card", help=f"as for build (default: deckbuilder.toml's, else {DEFAULT_CARD}): decides the "
                                   "sheet's orientation")
    p.add_argument("--flip", choices=[f for f in FLIPS if f != "fold"],
                   help="as for build (default: deckbuilder.toml's or the printer profile's, else long)")
    p.add_argument("--back-offset", default="0,0", metavar="X,Y",
                   help="shift the back by X,Y mm, to check a reading: the scales should then read 0,0")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from reportlab.lib.units import mm

    from ..errors import UserError
    from ..options import Card
    from ..outputs import calibration
    from ..outputs.sheets import sheet_grid
    from ..workspace import StagedOutputs
    from .build import parse_offset, shown

    root = Path(args.dir).resolve()
    if not root.is_dir():
        raise UserError(f"no such folder: {args.dir}", hint="give the path of a workspace folder")
    out = settings_for(args, root)
    from ..layout.stock import STOCKS

    if args.paper in STOCKS:  # the stock's own card, as build uses it
        args.card = STOCKS[args.paper].card_name
    width, height = Card.parse(args.card).size
    offset_mm = parse_offset(args.back_offset)
    offset = (offset_mm[0] * mm, offset_mm[1] * mm)
    grid = sheet_grid(args.paper, width, height, (0.0, 0.0), args.card)  # the deck's orientation and margin
    where = f"{args.card} card stock" if args.paper == "stock" else \
        f"{args.paper} {'landscape' if grid.landscape else 'portrait'} ({args.card} cards)"
    try:
        lay = calibration.layout(grid, args.flip, offset, calibration.Setting(where, args.flip, offset_mm))
    except ValueError as exc:
        if any(offset_mm) and calibration.layout_or_none(grid, args.flip, (0.0, 0.0), where) is not None:
            raise UserError(f"--back-offset {offset_mm[0]:g},{offset_mm[1]:g} on {where}: {exc}",
                            hint="check the reading on --paper letter or a4, where the scales have room; "
                                 "the offset is the printer's, not the paper's") from None
        raise UserError(f"{where} is too small for the calibration sheet: {exc}",
                        hint="calibrate on --paper letter or a4; the offset is the printer's, not the paper's"
                        ) from None
    staging = StagedOutputs(out)
    try:
        calibration.write(staging.path_for("calibrate.pdf"), lay)
        (written,) = staging.commit()
    finally:
        staging.discard()
    print(f"wrote {shown(written, root)}")
    if args.flip == "manual":
        print("print page 1 at 100%, put the sheet back in the tray the way your printer takes it to print the "
              "other side, print page 2, hold it to the light, then: deckbuilder build --back-offset X,Y")
    else:
        print("print it double-sided at 100%, hold it to the light, then: deckbuilder build --back-offset X,Y")
    print(save_command(args.flip, offset_mm))
    return 0


def settings_for(args: argparse.Namespace, root: Path) -> Path:
    """Paper, card and flip as build would take them (flag > deckbuilder.toml > printer profile >
    default), written into ``args``; prints where each came from and returns the output folder.

    The back offset is not taken from the file or a profile: calibrate measures it, and only
    --back-offset (checking a reading) moves the back.
    """
    from ..config import resolve
    from ..errors import UserError

    settings = resolve({"paper": args.paper, "card": args.card, "flip": args.flip}, root)
    values, sources = settings.values, settings.sources
    if values["flip"] == "fold":
        raise UserError(f"flip fold ({sources['flip']}) prints each back beside its front: there is no back "
                        "offset to measure", hint="calibrate the printer you use double-sided: "
                                                  "deckbuilder calibrate --flip long (or short, manual)")
    args.paper, args.card, args.flip = values["paper"], values["card"], values["flip"]
    print(f"settings: paper {args.paper} ({sources['paper']}), card {args.card} ({sources['card']}), "
          f"flip {args.flip} ({sources['flip']})")
    return values["out"] or root / "output"


def save_command(flip: str, offset_mm: tuple[float, float]) -> str:
    """The exact ``printer set`` line that keeps this reading for every later build."""
    if any(offset_mm):
        x, y = offset_mm
        return (f"if the scales now read 0,0, keep this offset for every build with: "
                f"deckbuilder printer set NAME --back-offset {x:g},{y:g} --flip {flip}   "
                "(NAME: your name for this printer)")
    return (f"to keep the reading for every build: deckbuilder printer set NAME --back-offset X,Y --flip {flip}   "
            "(NAME: your name for this printer; X,Y: the reading)")
