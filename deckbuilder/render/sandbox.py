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
from collections.abc import Callable
from functools import wraps
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

from . import limits
from .limits import LimitError

MAX_REPEAT, MAX_EXPONENT = limits.MAX_REPEAT, limits.MAX_EXPONENT
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


class TemplateTimeout(Exception):
    """A template ran past its time budget (raised at the template line it had reached)."""


class Budget:
    """The time and memory one render may take, checked cooperatively from inside the template.

    Why not a timer: signal.alarm and setitimer exist only on Unix and only interrupt the
    main thread; a watchdog thread cannot stop another thread portably; sys.settrace would
    slow every line of every render. Instead the sandbox counts the steps by which a
    template can spend time without end, and every 256 steps compares the clock with the
    deadline and the process's memory with the allowance:

    * each iteration of every ``{% for %}`` loop (``Sandbox._parse`` passes each loop's
      iterable through a filter that wraps it in ``iterate``; ``loop(...)`` in a recursive
      loop goes through ``call``);
    * each call of a function, method or macro (the sandbox's ``call`` hook), which also
      covers macros that call themselves in branches;
    * each template loaded by include, import or extends (``get_template``).

    Steps are not all alike: one may make a million characters. So every checked operation
    (``~``, ``+``, ``*``, a filter, a method, a format, a list made) also ``spend``s what it
    makes, and every SPEND_STEP characters made the clock and the memory are looked at too:
    no render gets more than a few megabytes past its allowance between two looks. A single
    operation is bounded by the size checks in ``limits`` (made before it runs), so no one
    step can take long or allocate much. Unbounded recursion ends in Python's
    RecursionError, reported on its own. The cost is a counter increment per loop
    iteration and call, an addition per checked operation: nothing measurable next to a
    render.
    """

    __slots__ = ("deadline", "message", "next_look", "peak_limit", "spent", "ticks")

    def __init__(self, seconds: float, message: str) -> None:
        self.deadline = time.monotonic() + seconds
        self.ticks = 0
        self.message = message
        peak = limits.peak_memory()
        self.peak_limit = None if peak is None else peak + limits.RENDER_MEMORY
        self.spent = 0  # characters (or items) the checked operations of this render made
        self.next_look = SPEND_STEP

    def spend(self, size: int) -> None:
        """Count what an operation is about to make; look at the clock and the memory every
        SPEND_STEP characters, so that big steps are looked at after a few, not 256 of them."""
        self.spent += size
        if self.spent >= self.next_look:
            self.next_look = self.spent + SPEND_STEP
            self._check()

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


# Every 4 million characters made (16 MB at most, as Python stores text), the budget looks at
# the process's memory: no render gets further than that past its allowance unseen.
SPEND_STEP = 4_000_000

_running = threading.local()  # .budget: the Budget of the render under way in this thread, if any


def current_budget() -> Budget | None:
    return getattr(_running, "budget", None)


# What a template may call whose result is not a function of the values it is given and the
# template files: today's date and the clock (a date in the content is a ``datetime.date``,
# whose class methods ``today``/``now`` the sandbox lets a template call), and a random pick.
_UNKEYED_METHODS = frozenset({"today", "now", "utcnow", "fromtimestamp"})  # fromtimestamp: local time


def unkeyed_reads() -> int:
    """How many times a render in this thread read the clock or drew at random: a text made
    so is not a function of its template and values, and is never kept (``rendered``)."""
    return getattr(_running, "unkeyed", 0)


def _read_unkeyed() -> None:
    _running.unkeyed = unkeyed_reads() + 1


BUDGET_FILTER = "_budgeted"
CONCAT_FILTER = "_concat"


def _made(result: Any) -> Any:
    """``result``, its memory counted against the render's budget: a list holds 8-byte
    references and often new objects of 28 bytes and more (``range(n)|list``), so an item
    counts as 32 characters; without that, a loop keeping lists could grow by gigabytes
    between two looks at the memory."""
    budget = getattr(_running, "budget", None)
    if budget is not None:
        if isinstance(result, str):
            budget.spend(len(result))
        elif isinstance(result, (list, tuple, dict, set)):
            budget.spend(32 * len(result))
    return result


def spend(size: int) -> int:
    """Count ``size`` against the running render's budget (if any)."""
    budget = getattr(_running, "budget", None)
    if budget is not None and size:
        budget.spend(size)
    return size


@jinja2.pass_context  # a context filter is never run at compile time (constant folding)
def _concat(context: Any, parts: list[Any]) -> str:
    """``a ~ b ~ c``: measured before it is joined (Jinja's own join builds first)."""
    spend(limits.check_size("'~'", sum(len(p) if isinstance(p, str) else limits.text_size(p) for p in parts)))
    return "".join(p if isinstance(p, str) else str(p) for p in parts)


class _CheckedConcat(NodeTransformer):
    """Every ``~`` becomes a call of the ``_concat`` filter on the list of its parts."""

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802 - Jinja's visitor names
        self.generic_visit(node)  # the parts' own ~ first (in place)
        parts = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(parts, CONCAT_FILTER, [], [], None, None, lineno=node.lineno)


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


class _Template(jinja2.Template):
    """A template whose module (what ``{% import %}`` gives without context) is made anew for
    every import: Jinja keeps one per template for the process, so a namespace or cycler set at
    its top carried over from one render to the next, and a card's text depended on how many
    were rendered before it in the process (and on which ones ``rendered`` took from the cache)."""

    def _get_default_module(self, ctx: Any = None) -> Any:
        self._module = None
        return super()._get_default_module(ctx)


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, immutable (a template cannot change the content other outputs read),
    with '*', '**' and '%', str methods, str.format and (in _environment) every filter
    checked so that a template cannot build a gigabyte string (see limits), and loops,
    calls and includes counted against the render's time and memory budget (see Budget)."""

    intercepted_binops = frozenset({"*", "**", "%", "+", "-"})
    template_class = _Template
    concat = staticmethod(limits.checked_concat)  # joins every render's, macro's and block's output

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """The template's syntax tree with every ``~`` measured before it joins (``_concat``)
        and every for loop's iterable passed through the ``budgeted`` filter (filters, not
        calls: Jinja calls filters directly)."""
        tree = super()._parse(source, name, filename)
        tree = _CheckedConcat().visit(tree)
        for node in tree.find_all(nodes.Filter):
            if node.name == CONCAT_FILTER:
                node.set_environment(self)
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
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
        except (RecursionError, SyntaxError) as exc:
            if isinstance(exc, SyntaxError) and "too many" not in str(exc.msg):
                raise  # generated code Python cannot read for another reason: our bug
            error = jinja2.TemplateSyntaxError("brackets or tags are nested too deeply", _deepest_line(str(source)),
                                               name, filename)
            error.hint = "split the expression up with {% set %}, or nest fewer blocks"  # type: ignore[attr-defined]
            raise error from None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """The sandbox's check; reading a content object's ``model_fields_set`` (a set of names,
        printed in an order that changes from process to process) is an unkeyed read."""
        if attr == "model_fields_set":
            _read_unkeyed()
        return super().is_safe_attribute(obj, attr, value)

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
        if name in _UNKEYED_METHODS and _is_date(getattr(obj, "__self__", None)):
            _read_unkeyed()
        if isinstance(getattr(obj, "__self__", None), str):  # a str method: 'x'.ljust(n), sep.join(items)
            if name == "join" and args and not isinstance(args[0], (str, list)):
                args = (limits_list("'.join()'", args[0]), *args[1:])
            spend(limits.check_str_method(name, obj.__self__, args, kwargs))
        return _made(limits.capped(f"'{name or 'a call'}()'", context.call(obj, *args, **kwargs)))

    def wrap_str_format(self, value: Any) -> Any:
        """Jinja's sandboxed str.format, with its widths checked (see limits)."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None

        def checked(*args: Any, **kwargs: Any) -> str:
            if value.__name__ == "format":
                limits.check_brace_format(value.__self__, args, kwargs)
                spend(limits.check_size("'.format()'", limits.brace_format_size(value.__self__, args, kwargs)))
            elif value.__name__ == "format_map" and args:
                spend(limits.check_size("'.format_map()'", limits.brace_format_size(value.__self__, (), args[0])))
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
        """``+ - * ** %``, refused before Python computes a result that is too big (see limits)."""
        spend(limits.check_binop(operator, left, right))
        return _made(limits.capped(f"'{operator}'", super().call_binop(context, operator, left, right)))


def _is_date(owner: Any) -> bool:
    """``owner`` is a date, time or datetime, or one of their classes."""
    import datetime as dt

    kinds = (dt.date, dt.time, dt.datetime)
    return isinstance(owner, kinds) or (isinstance(owner, type) and issubclass(owner, kinds))


def limits_list(what: str, iterable: Any) -> list[Any]:
    """An iterable (a generator from map or select) as a list, to be measured before a join
    or a sum: refused as soon as its items add up to more than MAX_TEXT characters or items,
    so that a generator of long strings is stopped while it is consumed."""
    items, size = [], 0
    for item in iterable:
        items.append(item)
        size += len(item) if isinstance(item, (str, list, tuple)) else 1
        if len(items) > limits.MAX_TEXT or size > limits.MAX_TEXT:
            raise LimitError(f"{what} was given more than {limits.MAX_TEXT:,} characters or items")
        spend(len(item) if isinstance(item, str) else 1)
    return items


def limited_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter, built-in or ours, that checks the size of what it would make before making
    it (see ``limits.check_filter``), counts it against the render's budget, and measures
    its result. Jinja calls filters directly, not through the sandbox's ``call``, hence a
    wrapper."""
    pass_arg = getattr(function, "jinja_pass_arg", None)  # the filter's first argument is a context, not the value
    what = f"the filter '{name}'"
    measure_items = name in limits.JOIN_FILTERS or name == "sum"
    drawn = name == "random"  # a different pick every render

    @wraps(function)
    def limited(*args: Any, **kwargs: Any) -> Any:
        value_at = 1 if pass_arg else 0
        if measure_items and len(args) > value_at and not isinstance(args[value_at], (str, list, dict)):
            args = (*args[:value_at], limits_list(what, args[value_at]), *args[value_at + 1:])
        value, rest = (args[value_at], args[value_at + 1:]) if len(args) > value_at else (None, ())
        spend(limits.check_filter(name, what, value, rest, kwargs))
        if drawn:
            _read_unkeyed()
        return _made(limits.capped(what, function(*args, **kwargs)))
    return limited


def checked_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002 - Jinja's names
    """Jinja's lipsum, with at most 100 paragraphs of at most 1,000 words."""
    from jinja2.utils import generate_lorem_ipsum

    _read_unkeyed()  # random words
    if n > 100 or max > 1000 or min > 1000:
        raise LimitError(f"lipsum({n}, min={min}, max={max}) asks for more than 100 paragraphs of 1,000 words")
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


def install_limits(env: jinja2.Environment) -> None:
    """Put the checked range, lipsum, output and filters into a new environment."""
    env.globals["range"] = checked_range
    env.globals["lipsum"] = checked_lipsum
    env.finalize = limits.checked_output
    env.filters["join_words"] = lambda words, sep=" · ": sep.join(str(w) for w in words)
    for name, function in list(env.filters.items()):
        env.filters[name] = limited_filter(name, function)
    env.filters[BUDGET_FILTER] = _budgeted
    env.filters[CONCAT_FILTER] = _concat
