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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem, UserError
from .options import DEFAULT_CARD
from .tomlfile import HEADER, MAX_BYTES, key_lines, read_toml

__all__ = ["MAX_BYTES", "key_lines", "read_toml"]  # and the settings below; these two live in tomlfile.py

FILENAME = "deckbuilder.toml"

# What the file may say, by table; the CLI's own names, with "_" for the flags' "-".
PRINT_KEYS = ("paper", "card", "flip", "back_offset", "order", "split", "printer")
OUTPUT_KEYS = ("dir",)
CHECKS_KEYS = ("off",)  # read by deckbuilder.coach.settings; only its key names are checked here
TABLES = {"print": PRINT_KEYS, "output": OUTPUT_KEYS, "checks": CHECKS_KEYS}

FLIPS = ("long", "short", "manual", "fold")
ORDERS = ("deck", "stack")
DEFAULTS: dict[str, Any] = {"paper": "letter", "card": DEFAULT_CARD, "flip": "long", "back_offset": "0,0",
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

[checks]
# off = ["we-not-i"]        # coach checks to switch off (codes as 'deckbuilder check' prints them)
'''


@dataclass
class FileSettings:
    """What deckbuilder.toml says (only the keys it sets), and the line of each."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)  # setting name -> value as written
    lines: dict[str, int] = field(default_factory=dict)

    def where(self, key: str) -> tuple[str | None, int | None]:
        return (str(self.path) if self.path else None), self.lines.get(key)




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
        if table not in TABLES:
            home = next((t for t, keys in TABLES.items() if table in keys or table.replace("-", "_") in keys), None)
            problems.append(Problem(str(display), lines.get(("", table)) or _header_line(text, table),
                                    f"unknown table or key '{table}'",
                                    hint=(f"'{table}' belongs under [{home}]: write [{home}] on the line above it; "
                                          if home else "")
                                    + "deckbuilder.toml has the tables " + ", ".join(f"[{t}]" for t in TABLES)))
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
            if table == "checks":  # its values are the coach's to read and judge
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
        from .options import parse_offset
        try:
            parse_offset(value)
        except UserError as exc:
            problem = exc.problems[0]
            if "more than" in problem.message and problem.hint:  # a number, but out of range: say why
                return problem.message.replace("--back-offset ", ""), problem.hint
            return problem.message.replace("--back-offset ", ""), 'write back_offset = "1.5,-0.5"'
        return None
    if not isinstance(value, str):
        return f"{value!r} is not text", f'put it in quotes, e.g. {name if name != "out" else "dir"} = "..."'
    choices = {"paper": papers, "flip": FLIPS, "order": ORDERS}.get(name)
    if choices and value.strip().lower() not in choices:
        close = difflib.get_close_matches(value.strip().lower(), choices, n=1, cutoff=0.6)
        return (f"'{value}' is not one of: {', '.join(choices)}",
                (f"did you mean '{close[0]}'? " if close else "") + f"choose one of {', '.join(choices)}")
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
    if values["flip"] == "fold" and values["paper"] not in ("letter", "a4"):
        _refuse_fold(values, sources, file)
    return Resolved(values, sources)


def _said(name: str, values: dict[str, Any], sources: dict[str, str]) -> str:
    """A setting as the user gave it: ``--flip fold`` on the command line, ``flip = "fold"`` in the file."""
    if sources[name] == "flag":
        return f"--{name} {values[name]}"
    if sources[name] == "file":
        return f'{name} = "{values[name]}"'
    return f"{name} {values[name]} ({sources[name]})"


def _refuse_fold(values: dict[str, Any], sources: dict[str, str], file: FileSettings) -> None:
    """Fold-over prints both faces on one side of plain paper: not on stock, said where it was set."""
    in_file = next((n for n in ("flip", "paper") if sources[n] == "file"), None)
    file_, line = file.where(in_file) if in_file else (None, None)
    raise UserError(f"{_said('flip', values, sources)} needs plain paper, not {_said('paper', values, sources)}",
                    file=file_, line=line,
                    hint="fold-over prints on paper letter or a4; perforated stock and card stock are printed "
                         "on both sides (flip long, short or manual)")


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


def file_output_dir(root: Path) -> Path:
    """Where files go for commands without print settings (stats, export): deckbuilder.toml's
    ``[output] dir``, else ``output/``; a mistake in the file is reported as for build."""
    file = load(root)
    out = output_dir(file.values["out"], "file", root, file) if "out" in file.values else None
    return out if out is not None else root / "output"


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
