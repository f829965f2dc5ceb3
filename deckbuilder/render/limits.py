"""How big a template may make text: checks for the few ways one short expression can ask
for gigabytes (a pad width of 10**9, a format width, a replace that multiplies), made
before the text is built, so the build stops with a message instead of running out of
memory or being killed.

Why limits on arguments and not on memory: an allocation of 10**9 characters succeeds or
fails inside Python before any template line could be told; a process-wide memory limit
(RLIMIT_AS) would also stop reportlab and the fonts. A printed page holds a few thousand
characters, so a width of 10,000 or a million characters from one expression is never a
layout. After every filter and method call the result's length is checked as well, which
stops chains (a replace applied again and again) at the first step past the limit.
"""

from __future__ import annotations

import re
import string
import sys
from typing import Any

from jinja2.sandbox import SecurityError

MAX_WIDTH = 10_000  # a width, fill or count asked of a pad, indent, wrap, batch or format
MAX_TEXT = 1_000_000  # characters (or items) one expression may make; a 60-page packet is ~200,000

# Filters and str methods that take a width or count, and the name Python gives it.
WIDTH_FILTERS = frozenset({"center", "indent", "wordwrap", "batch", "slice"})
WIDTH_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})

RENDER_MEMORY = 256 << 20  # bytes one render may add to the process's peak; a real one adds nothing measurable

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\d+|\*)?(?:\.(\d+|\*))?")
_DIGITS = re.compile(r"\d+")
_HINT = "a page holds a few thousand characters: use a small width, or let the layout fit the text"


class LimitError(SecurityError):
    """The sandbox refused something too big, with a hint that says what to do instead."""

    def __init__(self, message: str, hint: str = _HINT) -> None:
        super().__init__(message)
        self.hint = hint


def check_widths(what: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a width or count above MAX_WIDTH among a width-taking call's arguments."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_WIDTH:
            raise LimitError(f"{what} was given {_shown(value)}; the most a width or count may be is {MAX_WIDTH:,}")


def check_replace(what: str, text: Any, old: Any, new: Any, count: Any = -1) -> None:
    """Refuse a replace whose result would be longer than MAX_TEXT (every match replaced)."""
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)) or len(new) <= len(old):
        return
    matches = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        matches = min(matches, count)
    if len(text) + matches * (len(new) - len(old)) > MAX_TEXT:
        raise LimitError(f"{what} would make more than {MAX_TEXT:,} characters")


def check_percent_format(fmt: Any, args: Any) -> None:
    """Refuse a ``"%…" % args`` or ``|format`` whose widths or precisions exceed MAX_WIDTH."""
    if not isinstance(fmt, str) or "%" not in fmt:
        return
    stars = False
    for match in _PERCENT_SPEC.finditer(fmt.replace("%%", "")):  # "%%" is a literal percent sign
        for part in match.groups():
            if part == "*":
                stars = True
            elif part and int(part) > MAX_WIDTH:
                raise LimitError(f"the format '{_cut(match.group(0))}' asks for a width of {_shown(int(part))}; "
                                 f"the most a template may ask is {MAX_WIDTH:,}")
    if stars:
        values = args if isinstance(args, tuple) else (args,)
        check_widths("a '*' width in a % format", values, {})


def check_brace_format(fmt: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a ``"{:>N}".format(...)`` whose widths exceed MAX_WIDTH (nested ``{}`` widths too)."""
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format reports a malformed format itself
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:  # the width comes from an argument
            check_widths("a nested width in a {} format", args, kwargs)
        for digits in _DIGITS.findall(spec):
            if int(digits) > MAX_WIDTH:
                raise LimitError(f"the format '{{:{_cut(spec)}}}' asks for a width of {_shown(int(digits))}; "
                                 f"the most a template may ask is {MAX_WIDTH:,}")


def capped(what: str, result: Any) -> Any:
    """``result``, refused if a string or list longer than MAX_TEXT (a chain of growing steps)."""
    if isinstance(result, (str, list, tuple)) and len(result) > MAX_TEXT:
        raise LimitError(f"{what} made {len(result):,} characters or items; the most one expression may make "
                         f"is {MAX_TEXT:,}")
    return result


def peak_memory() -> int | None:
    """The process's peak resident memory in bytes, or None where Python cannot tell (Windows).
    A system call of about a microsecond: the render budget asks every 256 steps."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # macOS counts bytes, Linux kilobytes


def _shown(number: int) -> str:
    return f"{number:,}" if number < 10**15 else "more than 10**15"


def _cut(text: str) -> str:
    return text if len(text) <= 20 else text[:19] + "…"
