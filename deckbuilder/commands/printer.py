"""``deckbuilder printer set|list|remove``: saved printer profiles (see deckbuilder.printers)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("printer", help="save, list or remove printer profiles (back offset, flip)",
                       description="A printer profile keeps the back offset read off 'deckbuilder calibrate' "
                                   "(and the flip) so that every build can use it: --printer NAME, or "
                                   'printer = "NAME" in deckbuilder.toml. Profiles are kept in your user '
                                   "config folder ($DECKBUILDER_CONFIG_DIR overrides it).")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    set_ = actions.add_parser("set", help="save (or replace) a profile")
    set_.add_argument("name")
    set_.add_argument("--back-offset", required=True, metavar="X,Y", help="the reading, in mm")
    set_.add_argument("--flip", choices=["long", "short", "manual"], help="the duplex flip it was measured with")
    actions.add_parser("list", help="show the saved profiles")
    remove = actions.add_parser("remove", help="delete a profile")
    remove.add_argument("name")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .. import printers
    from .build import parse_offset

    if args.action == "list":
        profiles = printers.load_all()
        if not profiles:
            print(f"no printer profiles yet ({printers.profiles_path()}); "
                  "save one with: deckbuilder printer set NAME --back-offset X,Y")
        for name in sorted(profiles):
            print(f"{name}: {printers.describe(profiles[name])}")
        return 0
    name = printers.check_name(args.name)
    profiles = printers.load_all()
    if args.action == "remove":
        if name not in profiles:  # say so, with the saved ones and the likely one
            from ..errors import UserError

            guess = printers.closest(name, profiles)
            raise UserError(f"no printer profile named '{name}' (saved: {', '.join(sorted(profiles)) or 'none'})",
                            hint=f"did you mean '{guess}'?" if guess else "deckbuilder printer list shows them")
        del profiles[name]
        printers.save_all(profiles)
        print(f"removed printer profile '{name}'")
        return 0
    x, y = parse_offset(args.back_offset)
    profile: dict[str, str] = {"back_offset": f"{x:g},{y:g}"}
    if args.flip:
        profile["flip"] = args.flip
    profiles[name] = profile
    path = printers.save_all(profiles)
    print(f"saved printer profile '{name}' ({printers.describe(profile)}) in {path}")
    print(f"use it with: deckbuilder build --printer {name}   (or printer = \"{name}\" in deckbuilder.toml)")
    return 0
