"""Reading a TOML settings file (deckbuilder.toml, printers.toml) the way every reader needs:
inside the workspace, small, UTF-8 with or without Notepad's byte order mark, every mistake a
``file:line`` user error, and each key's line kept for messages about its value.

Its own module so that the settings (config.py) and the printer profiles (printers.py), which
each read the other's file, share it without importing each other.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from .errors import UserError

MAX_BYTES = 256 * 1024  # a real deckbuilder.toml is under 2 KB; a bigger one is not a settings file
HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_\-\"' .]+?)\s*\]\s*(?:#.*)?$")
KEY_LINE = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+)\s*(?:\.\s*[A-Za-z0-9_\-\"']+\s*)*=")


def key_lines(text: str) -> dict[tuple[str, str], int]:
    """(table, key) -> 1-based line of every ``key = value`` line (top-level keys: table "")."""
    found: dict[tuple[str, str], int] = {}
    table = ""
    in_multiline = False
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:  # the inside of a ''' or """ string is no key
            if line.count('"""') % 2 or line.count("'''") % 2:
                in_multiline = False
            continue
        header = HEADER.match(line)
        if header:
            table = header.group(1).strip().strip("\"'")
            continue
        key = KEY_LINE.match(line)
        if key:
            found.setdefault((table, key.group(1).strip("\"'")), number)
            if line.count('"""') % 2 or line.count("'''") % 2:
                in_multiline = True
    return found


def read_toml(path: Path, display: str | Path, root: Path | None = None,
              hint: str = "see the commented example 'deckbuilder new' writes; strings need quotes, "
                          'e.g. paper = "a4"') -> tuple[str, dict[str, Any]]:
    """The text and data of a TOML settings file, every way it can be wrong a UserError at ``display``.

    A file reached through a link leading outside ``root`` (when given) is not read, nor is
    one over MAX_BYTES (a log or a download saved under the name); a UTF-8 byte order mark
    (Windows Notepad writes one) is dropped; nesting too deep for the TOML reader is reported.
    """
    if root is not None and not path.resolve().is_relative_to(root.resolve()):
        raise UserError("this file is a link to a place outside the workspace", file=display,
                        hint="copy the file into the workspace instead of linking to it")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UserError(f"cannot read it: {exc.strerror}", file=display, hint="check the file's permissions") from None
    if len(raw) > MAX_BYTES:
        raise UserError(f"the file is over {MAX_BYTES // 1024} KB, too big for a settings file", file=display,
                        hint=f"a settings file holds a few lines; {hint}")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise UserError(f"{Path(display).name} is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read)",
                        file=display, line=raw[:exc.start].count(b"\n") + 1, hint="save it as UTF-8") from None
    if sys.version_info >= (3, 11):  # imported only when there is a file to read (most workspaces have none)
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)|at line (\d+)", message)
        line = int(m.group(1) or m.group(2)) if m else getattr(exc, "lineno", None)
        if line is None and "end of document" in message:  # an unclosed [ or " runs to the end
            line = max(1, len(text.splitlines()))
        what = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "", message)
        twice = re.search(r"Cannot declare \('?([^',)]+)'?,?\) twice", what)
        if twice:  # tomllib's wording shows a Python tuple
            what = f"[{twice.group(1)}] is declared twice"
            hint = f"write each table once: move the keys of the second [{twice.group(1)}] under the first"
        raise UserError(f"not valid TOML: {what}", file=display, line=line, hint=hint) from None
    except RecursionError:
        raise UserError("not valid TOML: arrays or tables nested too deeply", file=display,
                        line=_deepest_line(text), hint=hint) from None
    return text, data


def _deepest_line(text: str) -> int | None:
    """The line where bracket nesting first passes 100 (a guess at where runaway nesting starts)."""
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            depth += 1 if char in "[{" else -1 if char in "]}" else 0
            if depth > 100:
                return number
    return None
