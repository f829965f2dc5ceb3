"""``deckbuilder.toml``: print settings saved in the workspace, and which setting wins.

People retyped ``--paper a4 --card a7 --back-offset 1.5,-0.5`` on every build; the file at
the workspace root keeps them. Every value has one source, in this order of precedence:

    flag (the command line) > file (deckbuilder.toml) > printer (a saved profile) > default

The file is read with the standard library's TOML reader (``tomli`` on Python 3.10). TOML
readers do not say on which line a key was, so this module finds the lines itself (a key
is one line in TOML), to report a bad value as ``deckbuilder.toml:LINE: ...`` like a
content error.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, UserError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

FILENAME = "deckbuilder.toml"

# What the file may say, by table; the CLI's own names, with "_" for the flags' "-".
PRINT_KEYS = ("paper", "card", "flip", "back_offset", "order", "split", "printer")
OUTPUT_KEYS = ("dir",)
TABLES = {"print": PRINT_KEYS, "output": OUTPUT_KEYS}
# Tables of the same file that other parts of deckbuilder read and check (coach/settings.py: [checks]).
OTHER_TABLES = ("checks",)
MAX_BYTES = 256 * 1024  # a real deckbuilder.toml is under 2 KB; a bigger one is not a settings file

FLIPS = ("long", "short", "manual", "fold")
ORDERS = ("deck", "stack")
DEFAULTS: dict[str, Any] = {"paper": "letter", "card": "3x5", "flip": "long", "back_offset": "0,0",
                            "order": "deck", "split": False, "out": None}
SETTINGS = ("paper", "card", "flip", "back_offset", "order", "split", "out")  # what the settings line shows

TEMPLATE = '''\
# Print settings for this workspace. A flag on the command line wins over this file,
# this file over a saved printer profile (deckbuilder printer list), and that over the defaults.
# Remove the '#' in front of a line to use it.

[print]
# paper = "letter"          # letter, a4, stock (one card per page), or perforated card stock:
#                           # avery-5388, avery-5389, avery-l7414, zweckform-c32015
# card = "3x5"              # 3x5, 4x6, a6, a7, or WxH with a unit such as "90x55mm"
# flip = "long"             # long, short, manual (re-feed by hand) or fold (fold-over, one-sided)
# back_offset = "0,0"       # X,Y in mm, as read off 'deckbuilder calibrate'
# order = "deck"            # deck, or stack (cut the whole stack at once)
# split = false             # true: continue an over-long face on a following card
# printer = "office"        # a profile saved with 'deckbuilder printer set office --back-offset X,Y'

[output]
# dir = "output"            # where the PDFs go, relative to this folder
'''


@dataclass
class FileSettings:
    """What deckbuilder.toml says (only the keys it sets), and the line of each."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)  # setting name -> value as written
    lines: dict[str, int] = field(default_factory=dict)

    def where(self, key: str) -> tuple[str | None, int | None]:
        return (str(self.path) if self.path else None), self.lines.get(key)


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


def load(root: Path) -> FileSettings:
    """Read ``root/deckbuilder.toml`` (no file: nothing set). All mistakes are reported together."""
    path = root / FILENAME
    if not path.is_file():
        return FileSettings()
    display = Path(FILENAME)  # as content errors are shown: relative to the workspace
    text, data = read_toml(path, display, root)
    lines = key_lines(text)
    settings = FileSettings(display)
    problems: list[Problem] = []
    for table, value in data.items():
        if table in OTHER_TABLES:
            continue
        if table not in TABLES:
            problems.append(Problem(str(display), lines.get(("", table)) or _header_line(text, table),
                                    f"unknown table or key '{table}'",
                                    hint=f"deckbuilder.toml has the tables {', '.join(f'[{t}]' for t in TABLES)} "
                                         f"and [checks] (the coach checks switched off)"))
            continue
        if not isinstance(value, dict):
            problems.append(Problem(str(display), lines.get(("", table)), f"'{table}' must be a table [{table}]",
                                    hint=f"write [{table}] on a line of its own, with its keys below it"))
            continue
        for key, item in value.items():
            line = lines.get((table, key))
            if key not in TABLES[table]:
                close = difflib.get_close_matches(key.replace("-", "_").lower(), TABLES[table], n=1, cutoff=0.6)
                problems.append(Problem(str(display), line, f"unknown key '{key}' in [{table}]",
                                        hint=(f"did you mean '{close[0]}'? " if close else "")
                                        + f"[{table}] takes: {', '.join(TABLES[table])}"))
                continue
            name = "out" if (table, key) == ("output", "dir") else key
            problem = check_value(name, item)
            if problem:
                message, hint = problem
                problems.append(Problem(str(display), line, f"[{table}] {key}: {message}", hint=hint))
                continue
            settings.values[name] = normalise(name, item)
            settings.lines[name] = line or 0
    if problems:
        raise UserError(problems)
    return settings


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
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)|at line (\d+)", message)
        line = int(m.group(1) or m.group(2)) if m else getattr(exc, "lineno", None)
        what = re.sub(r"\s*\(at line \d+, column \d+\)|\s*\(at end of document\)", "", message)
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


def _header_line(text: str, table: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        m = HEADER.match(line)
        if m and m.group(1).strip().strip("\"'") == table:
            return number
    return None


def normalise(name: str, value: Any) -> Any:
    """The file's value in the flags' form (a back offset array [1.5, -0.5] as "1.5,-0.5")."""
    if name == "back_offset" and isinstance(value, list):
        return ",".join(f"{v:g}" for v in value)
    if isinstance(value, str):
        return value.strip()
    return value


def check_value(name: str, value: Any) -> tuple[str, str] | None:
    """(message, hint) when a value cannot be right whatever the rest says; None when it may be."""
    from .layout.sizes import PAPER_SIZES
    from .layout.stock import STOCKS

    papers = [*PAPER_SIZES, "stock", *STOCKS]
    if name == "split":
        if not isinstance(value, bool):
            return f"{value!r} is not true or false", "write split = true or split = false (no quotes)"
        return None
    if name == "back_offset":
        if isinstance(value, list):
            if not (len(value) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
                return f"{value!r} is not two numbers", 'write back_offset = "1.5,-0.5" or back_offset = [1.5, -0.5]'
            value = normalise(name, value)  # checked below as the text it becomes: in range, finite
        if not isinstance(value, str):
            return f"{value!r} is not X,Y in mm", 'write back_offset = "1.5,-0.5"'
        from .commands.build import parse_offset
        try:
            parse_offset(value)
        except UserError as exc:
            return exc.problems[0].message.replace("--back-offset ", ""), 'write back_offset = "1.5,-0.5"'
        return None
    if not isinstance(value, str):
        return f"{value!r} is not text", f'put it in quotes, e.g. {name if name != "out" else "dir"} = "..."'
    choices = {"paper": papers, "flip": FLIPS, "order": ORDERS}.get(name)
    if choices and value.strip().lower() not in choices:
        return f"'{value}' is not one of: {', '.join(choices)}", f"choose one of {', '.join(choices)}"
    if name == "card":
        from .layout.sizes import card_size
        try:
            card_size(value)
        except UserError as exc:
            return exc.problems[0].message.replace("--card ", ""), exc.problems[0].hint or ""
    if name in ("printer", "out") and not value.strip():
        return "is empty", "give a name" if name == "printer" else 'give a folder, e.g. dir = "output"'
    if name == "printer":
        from .printers import NAME

        if not NAME.match(value.strip()):
            return (f"{_shorten(value)!r} is not a printer name",
                    "printer names are letters, digits, '.', '_' or '-' (up to 40), as 'deckbuilder printer list' "
                    "shows them")
    if name == "out" and ("\0" in value or len(value) > 1024):
        return f"{_shorten(value)!r} is not a folder name", 'give a folder, e.g. dir = "output"'
    return None


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@dataclass(frozen=True)
class Resolved:
    """Every print setting in effect, and where each came from."""

    values: dict[str, Any]
    sources: dict[str, str]  # "flag", "file", "printer NAME", "default"

    def line(self, root: Path) -> str:
        """The one line build and watch print: each setting and where it came from."""
        parts = []
        for name in SETTINGS:
            value = self.values[name]
            if name == "split":
                shown = "on" if value else "off"
            elif name == "out":
                shown = _shown_dir(value, root)
            else:
                shown = str(value)
            label = {"back_offset": "back offset", "out": "output"}.get(name, name)
            parts.append(f"{label} {shown} ({self.sources[name]})")
        return "settings: " + ", ".join(parts)


def _shown_dir(value: Path | None, root: Path) -> str:
    if value is None:
        return "output/"
    try:
        return f"{value.relative_to(root)}/"
    except ValueError:
        return f"{value}/"


def resolve(flags: dict[str, Any], root: Path, file: FileSettings | None = None) -> Resolved:
    """Each setting from the first source that has it: flag, file, printer profile, default.

    ``flags`` holds what the command line said (None: not given). The printer profile is
    the one named by --printer, else by the file's ``printer``; it may set ``flip`` and
    ``back_offset``. A perforated stock fixes the card size: a card size given for it must
    be its own. Raises UserError (exit 2) for a profile that does not exist, or a card
    that does not fit the stock.
    """
    from . import printers
    from .layout.stock import STOCKS

    for flag, name in (("--out", "out"), ("--printer", "printer")):  # '--out ""' would write into the current folder
        if isinstance(flags.get(name), str) and not flags[name].strip():
            raise UserError(f"{flag} is empty", hint="leave it out for the default, or give a folder (--out) "
                                                     "or a saved printer's name (--printer)")
    file = file if file is not None else load(root)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    printer_name, printer_from = None, None
    if flags.get("printer"):
        printer_name, printer_from = flags["printer"], "flag"
    elif "printer" in file.values:
        printer_name, printer_from = file.values["printer"], "file"
    profile: dict[str, Any] = {}
    if printer_name:
        where = file.where("printer") if printer_from == "file" else (None, None)
        profile = printers.get(printer_name, where)
    for name in SETTINGS:
        if flags.get(name) is not None:
            values[name], sources[name] = flags[name], "flag"
        elif name in file.values:
            values[name], sources[name] = file.values[name], "file"
        elif name in profile:
            values[name], sources[name] = profile[name], f"printer '{printer_name}'"
        else:
            values[name], sources[name] = DEFAULTS[name], "default"
    values["paper"] = str(values["paper"]).lower()
    values["flip"] = str(values["flip"]).lower()
    values["out"] = output_dir(values["out"], sources["out"], root, file)
    stock = STOCKS.get(values["paper"])
    if stock:
        _fit_stock(stock, values, sources, file)
    return Resolved(values, sources)


def _fit_stock(stock: Any, values: dict[str, Any], sources: dict[str, str], file: FileSettings) -> None:
    """Perforated stock decides the card; a different card size asked for is a mistake."""
    from reportlab.lib.units import mm

    from .layout.sizes import card_size

    if sources["card"] != "default":
        w, h = card_size(values["card"])
        if abs(w - stock.card_w) > 0.5 * mm or abs(h - stock.card_h) > 0.5 * mm:
            file_, line = file.where("card") if sources["card"] == "file" else (None, None)
            raise UserError(f"{'--card' if sources['card'] == 'flag' else 'card'} {values['card']} does not fit "
                            f"{stock.name}: its perforated cards are {stock.card_name}", file=file_, line=line,
                            hint=f"leave the card size out (the stock sets it), or choose a --paper for "
                                 f"{values['card']} cards")
    values["card"] = stock.card_name
    if sources["card"] == "default":
        sources["card"] = f"set by {stock.name}"


def output_dir(value: Any, source: str, root: Path, file: FileSettings) -> Path | None:
    """The output folder: --out relative to where the command runs, [output] dir relative to the
    workspace; refused when it names a file (it is created, with its parents, when missing)."""
    if value is None:
        return None
    file_, line = file.where("out") if source == "file" else (None, None)
    what = "--out" if source == "flag" else "[output] dir"
    try:
        path = Path(value).expanduser()
        if not path.is_absolute():
            path = (root / path) if source == "file" else (Path.cwd() / path)
        path = path.resolve()
        is_file = path.exists() and not path.is_dir()
    except (OSError, ValueError, RuntimeError) as exc:  # a NUL, a name too long, '~nobody' with no such user
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(f"{what} {_shorten(str(value))!r} is not a folder that can be used: {reason}",
                        file=file_, line=line, hint="name a folder (it is created if missing), e.g. output") from None
    if is_file:
        raise UserError(f"{what} {value}: {path} is a file, not a folder", file=file_, line=line,
                        hint="name a folder (it is created if missing), or move the file away")
    return path
