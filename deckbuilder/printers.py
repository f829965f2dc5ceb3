"""Printer profiles: a printer's measured back offset (and duplex flip), kept between workspaces.

The offset ``calibrate`` measures belongs to the printer, not to a workspace, so profiles
live in the user's config folder (platformdirs: ~/.config/deckbuilder on Linux,
~/Library/Application Support/deckbuilder on macOS, %APPDATA%\\deckbuilder on Windows), in
``printers.toml``. ``DECKBUILDER_CONFIG_DIR`` names another folder (tests point it at a
temporary one, so they never write to the real home).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from pathlib import Path
from typing import Any

from .errors import UserError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ENV = "DECKBUILDER_CONFIG_DIR"
FILENAME = "printers.toml"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
KEYS = ("back_offset", "flip")


def config_dir() -> Path:
    """Where profiles are kept: $DECKBUILDER_CONFIG_DIR, else the platform's user config folder."""
    override = os.environ.get(ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("deckbuilder", appauthor=False))


def profiles_path() -> Path:
    return config_dir() / FILENAME


def load_all() -> dict[str, dict[str, Any]]:
    """Every saved profile by name (no file yet: none)."""
    path = profiles_path()
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"the printer profiles cannot be read: {exc}", file=path,
                        hint="fix or delete the file, then save the profiles again with 'deckbuilder printer set'"
                        ) from None
    found = data.get("printers", {})
    return {name: {k: v for k, v in profile.items() if k in KEYS}
            for name, profile in found.items() if isinstance(profile, dict)}


def get(name: str, where: tuple[str | None, int | None] = (None, None)) -> dict[str, Any]:
    """The profile ``name``; a name that is not saved is the user's mistake (exit 2)."""
    profiles = load_all()
    if name in profiles:
        return profiles[name]
    known = ", ".join(sorted(profiles)) or "none yet"
    file, line = where
    guess = closest(name, profiles)
    raise UserError(f"no printer profile named '{name}' (saved: {known})", file=file, line=line,
                    hint=(f"did you mean '{guess}'? " if guess else "")
                    + f"save one with: deckbuilder printer set {name} --back-offset X,Y "
                      "(read X,Y off 'deckbuilder calibrate')")


def closest(name: str, profiles: dict[str, Any]) -> str | None:
    """The saved profile name a mistyped one was probably meant to be (any case), or None."""
    lowered = {p.lower(): p for p in profiles}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise UserError(f"'{name}' is not a usable printer name",
                        hint="use letters, digits, '.', '_' or '-' (up to 40), e.g. office or hp-4100")
    return name


def save_all(profiles: dict[str, dict[str, Any]]) -> Path:
    """Write every profile (names are checked, values are ours: plain TOML is written by hand)."""
    path = profiles_path()
    lines = ["# deckbuilder printer profiles: edit with 'deckbuilder printer set/remove'.", ""]
    for name in sorted(profiles):
        lines.append(f'[printers."{name}"]')
        for key in KEYS:
            if key in profiles[name]:
                lines.append(f'{key} = "{profiles[name][key]}"')
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{FILENAME}.tmp")
    tmp.write_text("\n".join(lines), "utf-8")
    os.replace(tmp, path)
    return path


def describe(profile: dict[str, Any]) -> str:
    parts = [f"back offset {profile.get('back_offset', '0,0')}"]
    if "flip" in profile:
        parts.append(f"flip {profile['flip']}")
    return ", ".join(parts)
