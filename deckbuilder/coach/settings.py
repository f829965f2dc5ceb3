"""Which coach checks a workspace has switched off: ``[checks] off = [...]`` in deckbuilder.toml.

Only the ``[checks]`` table is read here; every other table of the file belongs to someone
else (print and output settings) and is left alone, so this reader never complains about
them. A malformed file is a user error with the file and line; an unknown check code is a
warning that names the closest known code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, UserError

FILE_NAME = "deckbuilder.toml"


@dataclass(frozen=True)
class CheckSettings:
    """The codes switched off for the whole workspace, and where that was said."""

    off: frozenset[str] = frozenset()
    file: str | None = None
    line: int | None = None
    problems: tuple[Problem, ...] = field(default=())


def read_check_settings(root: Path, known: tuple[str, ...] = ()) -> CheckSettings:
    """``[checks] off`` from ``root/deckbuilder.toml`` (nothing off when there is no file).

    Raises UserError when the file is not valid TOML or ``off`` is not a list of codes; a
    code not in ``known`` (when given) comes back as a warning in ``problems``.
    """
    path = root / FILE_NAME
    if not path.is_file():
        return CheckSettings()
    from ..config import read_toml

    text, data = read_toml(path, FILE_NAME, root,
                           hint="see https://toml.io; e.g. [checks] then off = [\"we-not-i\"]")
    table = data.get("checks", {})
    line = _line_of(text, "off", after=_line_of(text, "checks") or 0)
    if not isinstance(table, dict):
        raise UserError("'checks' must be a table", file=FILE_NAME, line=_line_of(text, "checks"),
                        hint="write [checks] on its own line, then off = [\"code\", ...]")
    off = table.get("off", [])
    if isinstance(off, str):  # off = "we-not-i, too-short", as a story's checks_off takes it
        off = [code for code in off.split(",") if code.strip()]
    if not isinstance(off, list) or not all(isinstance(code, str) for code in off):
        raise UserError("checks.off must be a list of check codes", file=FILE_NAME, line=line,
                        hint="e.g. off = [\"we-not-i\", \"too-short\"]; `deckbuilder check` names each code")
    problems = tuple(unknown_codes(off, known, FILE_NAME, line)) if known else ()
    return CheckSettings(frozenset(code.strip() for code in off), FILE_NAME, line, problems)


def unknown_codes(codes: list[str], known: tuple[str, ...], file: str | None, line: int | None) -> list[Problem]:
    """A warning for each code that is not a check's, with the closest known code as a hint."""
    from difflib import get_close_matches

    problems = []
    for code in codes:
        if code.strip() in known:
            continue
        guess = get_close_matches(code.strip(), known, n=1)
        problems.append(Problem(file, line, f"unknown check '{code}' in checks off",
                                f"did you mean '{guess[0]}'?" if guess else f"checks are: {', '.join(known)}",
                                severity="warning"))
    return problems


def _line_of(text: str, key: str, after: int = 0) -> int | None:
    """The first line after line ``after`` that sets ``key`` (or opens table ``[key]``):
    TOML parsers give no positions."""
    pattern = re.compile(rf"^\s*(\[\s*{re.escape(key)}\s*\]|{re.escape(key)}\s*=)")
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and pattern.match(line):
            return number
    return None
