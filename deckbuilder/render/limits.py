"""How big a template may make text, numbers and lists: every way one short expression can
ask for gigabytes (a pad width of 10**9, ``s ~ s`` doubled in a loop, ``join`` over ten
thousand references to one long string, a number squared twenty times, a format with many
fields) is measured from its inputs *before* the result is built, so the build stops with
a message at the template's line instead of running out of memory or being killed.

Why limits on arguments and not on memory: an allocation of 10**9 characters succeeds or
fails inside Python before any template line could be told; a process-wide memory limit
(RLIMIT_AS) would also stop reportlab and the fonts. A printed page holds a few thousand
characters, so a width of 10,000 or a million characters from one expression is never a
layout. Where a size cannot be known in advance (a generator), the items are measured as
they come; after every operation the result's length is checked as well. What is made is
also counted against the render's memory allowance (see ``sandbox.Budget``).
"""

from __future__ import annotations

import os
import re
import string
import sys
from typing import Any

from jinja2.sandbox import SecurityError

MAX_WIDTH = 10_000  # a width, fill or count asked of a pad, indent, wrap, batch or format
MAX_TEXT = 1_000_000  # characters (or items) one expression may make; a 60-page packet is ~200,000
MAX_OUTPUT = 16_000_000  # characters one render (or one macro, block or {% set %} body) may put out
MAX_INT_BITS = 4096  # an integer a template computes: about 1,233 digits (a page prints a few)
MAX_REPEAT = 10_000  # 'x' * n or [..] * n beyond this is a memory bomb, not a layout
MAX_EXPONENT = 64
MAX_TEMPLATE_BYTES = 1 << 20  # a template file; the built-in ones are a few KB each

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


# -------------------------------------------------- sizes measured before the work is done

# How much longer than its inputs a filter's text can be: escaping turns one character into
# up to six ('&#34;'), URL encoding one into up to twelve ('%F0%9F%98%80'), case mapping one
# into up to three ('ŉ'.upper()). Filters not named here make text no longer than their input.
GROWTH = {"escape": 6, "e": 6, "forceescape": 6, "urlencode": 12, "urlize": 6, "tojson": 8, "xmlattr": 6,
          "pprint": 4, "wordwrap": 2, "upper": 3, "lower": 3, "title": 3, "capitalize": 3}
# Filters that pass items along (references, not new text), or make a number: their input is
# measured in items, not characters, so a long list of content is never refused for its text.
ITEM_FILTERS = frozenset({"abs", "attr", "batch", "count", "d", "default", "dictsort", "filesizeformat", "first",
                          "float", "groupby", "int", "items", "last", "length", "list", "map", "max", "min",
                          "random", "reject", "rejectattr", "reverse", "round", "select", "selectattr", "slice",
                          "sort", "unique", "wordcount", "safe"})
JOIN_FILTERS = frozenset({"join", "join_words"})


def text_size(value: Any, limit: int | None = None) -> int:
    """About how many characters ``str(value)`` would be, found without building it and
    stopped soon after ``limit`` (a list of 10,000 references to one long string is small
    in memory and gigabytes as text). Strings inside containers count four times: their
    repr may escape every character."""
    limit = MAX_TEXT if limit is None else limit
    total = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack and total <= limit:
        item, weight = stack.pop()
        if isinstance(item, str):
            total += len(item) * weight + 2
        elif isinstance(item, bool) or item is None or isinstance(item, float):
            total += 24
        elif isinstance(item, int):
            total += item.bit_length() * 77 // 256 + 2  # log10(2) = 0.301
        elif isinstance(item, (bytes, bytearray)):
            total += len(item) * 4 + 3
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            stack.extend((k, 4) for k in item)
            stack.extend((v, 4) for v in item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            stack.extend((v, 4) for v in item)
        else:
            total += 64  # content objects, undefined, loop state: bounded by the content's own limits
    return total


def check_size(what: str, size: int, limit: int | None = None) -> int:
    """``size``, or a LimitError when it is over ``limit`` (default MAX_TEXT)."""
    limit = MAX_TEXT if limit is None else limit
    if size > limit:
        raise LimitError(f"{what} would make about {_shown(size)} characters or items; the most one expression "
                         f"may make is {limit:,}")
    return size


def check_int(what: str, bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise LimitError(f"{what} would make a number of about {_shown(bits * 77 // 256)} digits; the most a "
                         f"template may compute is {MAX_INT_BITS * 77 // 256:,} digits",
                         "a card prints a few numbers: compute with small ones")


def check_binop(operator: str, left: Any, right: Any) -> int:
    """Refuse ``left operator right`` before Python computes it when the result would be too
    big: a string or list (``+``, ``*``), an integer (``*``, ``**``, ``+``, ``-``), a ``%``
    format. Returns the result's estimated size."""
    what = f"'{operator}'"
    ints = isinstance(left, int) and isinstance(right, int)
    if operator == "**":
        if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise LimitError(f"exponent {right} is larger than {MAX_EXPONENT}", "use a small exponent")
        if ints and right > 0:
            check_int(what, max(left.bit_length(), 1) * right)
        return 0
    if operator == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                if len(seq) * times > MAX_REPEAT:
                    raise LimitError(f"repeating a value {_shown(times)} times makes more than {MAX_REPEAT:,} items")
                return len(seq) * max(times, 0)
        if ints:
            check_int(what, left.bit_length() + right.bit_length())
        return 0
    if operator in ("+", "-"):
        if ints:
            check_int(what, max(left.bit_length(), right.bit_length()) + 1)
            return 0
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            return check_size(what, len(left) + len(right))
        return 0
    if operator == "%":
        check_percent_format(left, right)
        if isinstance(left, str):
            return check_size(what, percent_format_size(left, right))
    return 0


def percent_format_size(fmt: str, args: Any) -> int:
    """The longest ``fmt % args`` can be: every field as wide as the widest argument and width."""
    fields = len(_PERCENT_SPEC.findall(fmt.replace("%%", "")))
    values = args if isinstance(args, tuple) else tuple(args.values()) if isinstance(args, dict) else (args,)
    widest = max((text_size(v) for v in values), default=0)
    widths = [int(d) for d in _DIGITS.findall(fmt)] or [0]
    return len(fmt) + fields * (widest + min(max(widths), MAX_WIDTH + 1))


def brace_format_size(fmt: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """The longest ``fmt.format(*args, **kwargs)`` can be (as percent_format_size)."""
    fields = fmt.count("{")
    widest = max((text_size(v) for v in (*args, *kwargs.values())), default=0)
    widths = [int(d) for d in _DIGITS.findall(fmt)] or [0]
    return len(fmt) + fields * (widest + min(max(widths), MAX_WIDTH + 1))


def join_size(items: list[Any], sep: Any) -> int:
    """How long joining ``items`` with ``sep`` makes, measured item by item, stopping early."""
    total = len(str(sep)) * max(len(items) - 1, 0) if isinstance(sep, str) else 0
    for item in items:
        total += len(item) if isinstance(item, str) else text_size(item)
        if total > MAX_TEXT:
            break
    return total


def check_filter(name: str, what: str, value: Any, rest: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """Refuse a built-in filter call whose result would be too big, before it is made;
    returns the estimated size of the result (for the memory budget)."""
    if name in WIDTH_FILTERS:
        check_widths(what, rest, kwargs)
    if name == "format":
        check_percent_format(value, rest)
        return check_size(what, percent_format_size(value, rest)) if isinstance(value, str) else 0
    if name == "replace":
        if len(rest) >= 2:
            check_replace(what, str(value), *rest[:3])
        return len(value) if isinstance(value, str) else 0
    if name in JOIN_FILTERS:
        sep = rest[0] if rest else kwargs.get("d", kwargs.get("sep", ""))
        return check_size(what, join_size(value if isinstance(value, list) else [], sep))
    if name == "indent":
        width = rest[0] if rest else kwargs.get("width", 4)
        pad = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        text = value if isinstance(value, str) else ""
        return check_size(what, len(text) + (text.count("\n") + 1) * pad)
    if name == "center":
        width = rest[0] if rest else kwargs.get("width", 80)
        return check_size(what, max(text_size(value), width if isinstance(width, int) else 0))
    if name == "sum":
        start = rest[1] if len(rest) > 1 else kwargs.get("start", 0)
        if isinstance(start, (str, list, tuple)) and isinstance(value, list):
            return check_size(what, len(start) + sum(len(v) if isinstance(v, (str, list, tuple)) else 1
                                                     for v in value))
        return 0
    if name == "tojson":
        indent = rest[0] if rest else kwargs.get("indent")
        if isinstance(indent, int) and indent > 16:
            raise LimitError(f"{what} was given an indent of {_shown(indent)}; the most it may be is 16")
    if name in ITEM_FILTERS:
        return check_size(what, len(value)) if isinstance(value, (list, tuple, dict, str, range)) else 0
    size = text_size(value) + sum(text_size(v) for v in (*rest, *kwargs.values()))
    return check_size(what, GROWTH.get(name, 1) * size)


def check_str_method(name: str, text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """Refuse a str method call (``'x'.ljust(n)``, ``sep.join(items)``, ``s.translate(t)``)
    whose result would be too big, before it is made; returns the estimated size."""
    what = f"'.{name}()'"
    if name in WIDTH_METHODS:
        check_widths(what, args, kwargs)
        if name == "expandtabs":
            size = len(text) * (args[0] if args and isinstance(args[0], int) else 8)
            return check_size(what, size)
        return len(text) + max((a for a in (*args, *kwargs.values()) if isinstance(a, int)), default=0)
    if name == "replace":
        check_replace(what, text, *args, **kwargs)
        return len(text)
    if name == "join":
        items = args[0] if args and isinstance(args[0], list) else []
        return check_size(what, join_size(items, text))
    if name == "translate":
        table = args[0] if args else {}
        longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1) if isinstance(
            table, dict) else 1
        return check_size(what, len(text) * max(longest, 1))
    return check_size(what, 3 * (len(text) + sum(text_size(v) for v in (*args, *kwargs.values()))))


def checked_output(value: Any) -> Any:
    """What ``{{ value }}`` prints, refused before ``str()`` when too long (see text_size)."""
    if not isinstance(value, str):
        check_size("'{{ }}'", text_size(value))
    return value


def checked_concat(pieces: Any) -> str:
    """Jinja's join of a render's (a macro's, a block's) output pieces, stopped as soon as
    the pieces add up to more than MAX_OUTPUT characters, before the join allocates them:
    a loop printing one long string many times holds only references until this join."""
    parts: list[str] = []
    total = 0
    for piece in pieces:
        total += len(piece)
        if total > MAX_OUTPUT:
            error = LimitError(f"the template's output would be more than {MAX_OUTPUT:,} characters",
                               "a page holds a few thousand characters: a loop here prints far too much")
            if hasattr(pieces, "throw"):  # a render's generator: raised at the template line it had reached
                pieces.throw(error)
            raise error
        parts.append(piece)
    return "".join(parts)


def capped(what: str, result: Any) -> Any:
    """``result``, refused if a string or list longer than MAX_TEXT (a chain of growing steps)."""
    if isinstance(result, (str, list, tuple)) and len(result) > MAX_TEXT:
        raise LimitError(f"{what} made {len(result):,} characters or items; the most one expression may make "
                         f"is {MAX_TEXT:,}")
    return result


def peak_memory() -> int | None:
    """The process's memory in bytes: resident now where the system tells (Linux, from
    /proc/self/statm, a few microseconds), else its peak so far; None where Python cannot
    tell (Windows). Resident now, not the peak, so that a render after an earlier big one
    gets its whole allowance and not a gigabyte more."""
    if _STATM is not None:
        try:
            return int(os.pread(_statm_fd(), 128, 0).split()[1]) * _PAGE
        except (OSError, ValueError, IndexError):
            pass
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # macOS counts bytes, Linux kilobytes


_statm: tuple[int, int] | None = None  # (pid, descriptor): every render looks, so the file stays open


def _statm_fd() -> int:
    """/proc/self/statm kept open and read again with pread (2 us against 11 us for an open
    and a read; a build renders thousands of templates). Opened again in a forked child:
    the open file names the process that opened it, not whichever process reads it."""
    global _statm
    pid = os.getpid()
    if _statm is None or _statm[0] != pid:
        assert _STATM is not None
        _statm = (pid, os.open(_STATM, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)))
    return _statm[1]


_STATM = "/proc/self/statm" if sys.platform.startswith("linux") else None
try:
    _PAGE = os.sysconf("SC_PAGE_SIZE")
except (AttributeError, ValueError, OSError):
    _STATM = None


def _shown(number: int) -> str:
    return f"{number:,}" if number < 10**15 else "more than 10**15"


def _cut(text: str) -> str:
    return text if len(text) <= 20 else text[:19] + "…"
