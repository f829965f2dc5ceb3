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
from pathlib import Path
from typing import Any

from .errors import UserError

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


FIX_HINT = "fix or delete the file, then save the profiles again with 'deckbuilder printer set'"


def load_all() -> dict[str, dict[str, Any]]:
    """Every saved profile by name (no file yet: none).

    The file is the user's to edit, so everything in it is checked here: a profile whose
    name, back offset or flip could not have been saved by ``printer set`` is a mistake
    naming the file, the line and the profile, never a crash further on.
    """
    from .tomlfile import key_lines, read_toml

    path = profiles_path()
    if path.exists() and not path.is_file():
        raise UserError("the printer profiles file is not a file", file=path,
                        hint="move it away; 'deckbuilder printer set' then writes a new one")
    if not path.is_file():
        return {}
    text, data = read_toml(path, path, hint=FIX_HINT)
    lines = key_lines(text)
    found = data.get("printers", {})
    if not isinstance(found, dict):
        raise UserError("'printers' must be a table of profiles", file=path, line=lines.get(("", "printers")),
                        hint=FIX_HINT)
    profiles: dict[str, dict[str, Any]] = {}
    for name, profile in found.items():
        line = _profile_line(text, name)
        if not NAME.match(name):
            raise UserError(f"{_safe(name)} is not a usable printer name", file=path, line=line,
                            hint="use letters, digits, '.', '_' or '-' (up to 40); " + FIX_HINT)
        if not isinstance(profile, dict):
            raise UserError(f"printer '{name}' must be a table: [printers.{name}]", file=path, line=line,
                            hint=FIX_HINT)
        profiles[name] = {k: v for k, v in profile.items() if k in KEYS}
        problem = _check_profile(profiles[name])
        if problem:
            key, message = problem
            raise UserError(f"printer '{name}': {key} {message}", file=path,
                            line=lines.get((f"printers.{name}", key)) or line, hint=FIX_HINT)
    return profiles


def _check_profile(profile: dict[str, Any]) -> tuple[str, str] | None:
    """(key, what is wrong) for a value ``printer set`` could not have written; None when it is fine."""
    from .options import FLIPS, parse_offset

    offset = profile.get("back_offset", "0,0")
    if not isinstance(offset, str):
        return "back_offset", f"{_safe(offset)} is not X,Y in mm"
    try:
        parse_offset(offset)
    except UserError as exc:
        return "back_offset", exc.problems[0].message.replace("--back-offset ", "", 1)
    flip = profile.get("flip", "long")
    if not isinstance(flip, str) or flip not in FLIPS:
        return "flip", f"{_safe(flip)} is not one of: {', '.join(FLIPS)}"
    return None


def _profile_line(text: str, name: str) -> int | None:
    """The line of a profile's [printers.NAME] header (bare or quoted)."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[printers.") and stripped[len("[printers."):].split("]")[0].strip().strip("\"'") \
                == name:
            return number
    return None


def _safe(value: Any) -> str:
    """A value as one short line: repr shows a newline or a control character as an escape."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def get(name: str, where: tuple[str | None, int | None] = (None, None)) -> dict[str, Any]:
    """The profile ``name``; a name that is not saved is the user's mistake (exit 2)."""
    profiles = load_all()
    if name in profiles:
        return profiles[name]
    known = ", ".join(sorted(profiles)) or "none yet"
    file, line = where
    if not NAME.match(name):
        raise UserError(f"no printer profile named {_safe(name)}: printer names are letters, digits, '.', '_' "
                        f"or '-' (saved: {known})", file=file, line=line,
                        hint="see 'deckbuilder printer list' for the saved ones")
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
        raise UserError(f"{_safe(name)} is not a usable printer name",
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
    tmp = path.with_name(f".{FILENAME}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text("\n".join(lines), "utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        if tmp.is_file():
            tmp.unlink()
        raise UserError(f"cannot save the printer profiles: {exc.strerror or exc}", file=path,
                        hint=f"check that {path.parent} is a folder you may write to (${ENV} names another one)"
                        ) from None
    return path


def describe(profile: dict[str, Any]) -> str:
    parts = [f"back offset {profile.get('back_offset', '0,0')}"]
    if "flip" in profile:
        parts.append(f"flip {profile['flip']}")
    return ", ".join(parts)
