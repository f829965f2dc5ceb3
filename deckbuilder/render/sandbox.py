"""The sandbox templates run in, and the limits on what they may spend.

Templates may come from a coach, so they run in Jinja's immutable sandbox (no reaching
into Python internals, no changing the content other outputs read), and every way one
short template can ask for unbounded memory or time is checked where the work happens:
sizes before a result is built (see ``limits``), loop iterations, calls and includes
against the render's time and memory budget (see ``Budget``).
"""

from __future__ import annotations

import re
import threading
import time
from functools import wraps
from typing import Any, Callable

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from . import limits
from .limits import LimitError

MAX_REPEAT = 10_000  # 'x' * n or [..] * n beyond this is a memory bomb, not a layout
MAX_EXPONENT = 64
MAX_RANGE = 100_000  # as Jinja's sandbox; a card never needs more


def checked_range(*args: int) -> range:
    """Python's range, refused beyond MAX_RANGE numbers with a message a coach can act on
    (the sandbox's own raises an OverflowError that reads like a crash)."""
    numbers = range(*args)
    try:
        size = len(numbers)
    except OverflowError:  # more than sys.maxsize numbers
        size = MAX_RANGE + 1
    if size > MAX_RANGE:
        shown = ", ".join(str(a) if abs(a) < 10**15 else "..." for a in args)
        raise LimitError(f"range({shown}) counts more than {MAX_RANGE:,} numbers",
                         "loop over the content (e.g. story.triggers) or a small range")
    return numbers


# Time limits. The slowest real render measured is 13 ms (a first render, compiling included)
# and all the renders of a build take 0.1 s; these are hundreds of times that.
class TemplateTimeout(Exception):
    """A template ran past its time budget (raised at the template line it had reached)."""


class Budget:
    """The time one render may take, checked cooperatively from inside the template.

    Why not a timer: signal.alarm and setitimer exist only on Unix and only interrupt the
    main thread; a watchdog thread cannot stop another thread portably; sys.settrace would
    slow every line of every render. Instead the sandbox counts the steps by which a
    template can spend time without end, and every 256 steps compares the clock with the
    deadline:

    * each iteration of every ``{% for %}`` loop (``Sandbox._parse`` passes each loop's
      iterable through a filter that wraps it in ``iterate``; ``loop(...)`` in a recursive
      loop goes through ``call``);
    * each call of a function, method or macro (the sandbox's ``call`` hook), which also
      covers macros that call themselves in branches;
    * each template loaded by include, import or extends (``get_template``).

    Anything else a template does runs straight through its source once, or is a single
    filter on data the sandbox already bounds (ranges, repeated strings). Unbounded
    recursion ends in Python's RecursionError, reported on its own. The cost is a counter
    increment per loop iteration and call: nothing measurable next to a render.
    """

    __slots__ = ("deadline", "ticks", "message", "peak_limit")

    def __init__(self, seconds: float, message: str) -> None:
        self.deadline = time.monotonic() + seconds
        self.ticks = 0
        self.message = message
        peak = limits.peak_memory()
        self.peak_limit = None if peak is None else peak + limits.RENDER_MEMORY

    def tick(self) -> None:
        self.ticks += 1
        if not self.ticks & 0xFF:
            self._check()

    def iterate(self, iterable: Any) -> Any:
        for item in iterable:
            self.ticks += 1
            if not self.ticks & 0xFF:
                self._check()
            yield item

    def _check(self) -> None:
        """Past the deadline, or grown past the memory allowance (a loop printing a long
        string 100,000 times builds gigabytes well within the time)."""
        if time.monotonic() > self.deadline:
            raise TemplateTimeout(self.message)
        if self.peak_limit is not None and (limits.peak_memory() or 0) > self.peak_limit:
            raise TemplateTimeout(f"template used more than {limits.RENDER_MEMORY >> 20} MB of memory and was "
                                  "stopped here")


_running = threading.local()  # .budget: the Budget of the render under way in this thread, if any


def current_budget() -> Budget | None:
    return getattr(_running, "budget", None)


BUDGET_FILTER = "_budgeted"


@jinja2.pass_context  # a context filter is never run at compile time (constant folding)
def _budgeted(context: Any, iterable: Any) -> Any:
    """A for loop's iterable, counted against the render's budget."""
    budget = getattr(_running, "budget", None)
    return iterable if budget is None else budget.iterate(iterable)


_NESTING = re.compile(r"\{%-?\s*(?:(if|for|macro|block|call|filter|with)\b|end)|([(\[])|[)\]]")


def _deepest_line(source: str) -> int:
    """The line where brackets and block tags are nested deepest (for 'nested too deeply')."""
    depth = deepest = 0
    line = 1
    for match in _NESTING.finditer(source):
        depth += 1 if match.group(1) or match.group(2) else -1
        if depth > deepest:
            deepest, line = depth, source.count("\n", 0, match.start()) + 1
    return line


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, immutable (a template cannot change the content other outputs read),
    with '*', '**' and '%', str methods, str.format and (in _environment) every filter
    checked so that a template cannot build a gigabyte string (see limits), and loops,
    calls and includes counted against the render's time and memory budget (see Budget)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's syntax tree with every for loop's iterable passed through the
        ``budgeted`` filter (a filter, not a call: Jinja calls filters directly)."""
        tree = super()._parse(source, name, filename)
        for loop in list(tree.find_all(nodes.For)):
            wrapped = nodes.Filter(loop.iter, BUDGET_FILTER, [], [], None, None)
            loop.iter = wrapped.set_lineno(loop.iter.lineno).set_environment(self)
        return tree

    def compile(self, source: Any, name: str | None = None, filename: str | None = None, raw: bool = False,
                defer_init: bool = False) -> Any:
        """Jinja's compile; nesting too deep for Jinja's parser (RecursionError, about 100
        brackets) or for Python (SyntaxError 'too many ...': 100 levels of blocks, 20 nested
        loops) is a TemplateSyntaxError."""
        try:
            return super().compile(source, name, filename, raw, defer_init)
        except (RecursionError, SyntaxError) as exc:
            if isinstance(exc, SyntaxError) and "too many" not in str(exc.msg):
                raise  # generated code Python cannot read for another reason: our bug
            error = jinja2.TemplateSyntaxError("brackets or tags are nested too deeply", _deepest_line(str(source)),
                                               name, filename)
            error.hint = "split the expression up with {% set %}, or nest fewer blocks"  # type: ignore[attr-defined]
            raise error from None

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """The sandbox's call (the same check, then the call), counted against the budget."""
        budget = getattr(_running, "budget", None)
        if budget is not None:
            budget.tick()
            if isinstance(obj, LoopContext) and args:  # loop(children) in a recursive for loop
                args = (budget.iterate(args[0]), *args[1:])
        if not self.is_safe_callable(obj):
            raise SecurityError(f"{obj!r} is not safely callable")
        name = getattr(obj, "__name__", "")
        if isinstance(getattr(obj, "__self__", None), str):  # a str method: 'x'.ljust(n), 'x'.replace(a, b)
            if name in limits.WIDTH_METHODS:
                limits.check_widths(f"'.{name}()'", args, kwargs)
            elif name == "replace":
                limits.check_replace("'.replace()'", obj.__self__, *args, **kwargs)
        return limits.capped(f"'{name or 'a call'}()'", context.call(obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Any:
        """Jinja's sandboxed str.format, with its widths checked (see limits)."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None

        def checked(*args: Any, **kwargs: Any) -> str:
            if value.__name__ == "format":
                limits.check_brace_format(value.__self__, args, kwargs)
            return limits.capped("'.format()'", wrapped(*args, **kwargs))
        return checked

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        budget = current_budget()
        if budget is not None:
            budget.tick()
        return super().get_template(name, parent, globals)

    def select_template(self, names: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        budget = current_budget()
        if budget is not None:
            budget.tick()
        return super().select_template(names, parent, globals)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent {right} is larger than {MAX_EXPONENT}")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_REPEAT:
                    raise SecurityError(f"repeating a value {times} times makes more than {MAX_REPEAT:,} items")
        if operator == "%":
            limits.check_percent_format(left, right)
        return limits.capped(f"'{operator}'", super().call_binop(context, operator, left, right))


def limited_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter with the size checks of ``limits``: its width arguments (center,
    indent, ...), its format string (format), its growth (replace), and its result's length.
    Jinja calls filters directly, not through the sandbox's ``call``, hence a wrapper."""
    pass_arg = getattr(function, "jinja_pass_arg", None)  # the filter's first argument is a context, not the value
    what = f"the filter '{name}'"

    @wraps(function)
    def limited(*args: Any, **kwargs: Any) -> Any:
        value_at = 1 if pass_arg else 0
        value, rest = (args[value_at], args[value_at + 1:]) if len(args) > value_at else (None, ())
        if name in limits.WIDTH_FILTERS:
            limits.check_widths(what, rest, kwargs)
        elif name == "format":
            limits.check_percent_format(value, rest)
        elif name == "replace" and len(rest) >= 2:
            limits.check_replace(what, str(value), *rest[:3])
        return limits.capped(what, function(*args, **kwargs))
    return limited
