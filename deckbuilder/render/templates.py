"""Jinja templates: workspace first, built-in second, always sandboxed.

A template in the workspace's ``templates/`` replaces the built-in one of the same
relative name, file by file; everything not overridden falls back to the defaults.
Templates may come from a coach, so they run in Jinja's sandbox (no reaching into
Python internals) with StrictUndefined (a misspelt name is an error, not a blank).
Templates produce Markdown; they never see reportlab.
"""

from __future__ import annotations

import difflib
import posixpath
import re
import sys
import threading
import time
from collections.abc import Callable
from functools import lru_cache, partial, wraps
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import jinja2
from jinja2 import meta, nodes
from jinja2.loaders import split_template_path
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..errors import Problem, Report, UserError
from . import limits, typography
from .limits import LimitError

T = TypeVar("T")


class TemplateUnreadable(jinja2.TemplateError):
    """A template file that is not UTF-8 text: where, and what to do about it."""

    def __init__(self, filename: str, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.filename, self.lineno, self.hint = filename, line, hint


class _Loader(jinja2.FileSystemLoader):
    """Jinja's file loader, but a file that is not UTF-8 is a TemplateUnreadable that names
    the line and the byte (Jinja lets the bare UnicodeDecodeError through)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            filename = posixpath.join(str(self.searchpath[0]), *split_template_path(template))
            raw = Path(filename).read_bytes()
            if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
                raise TemplateUnreadable(filename, 1, "template is UTF-16 text (what Notepad calls 'Unicode'), "
                                         "not UTF-8", "save it again as UTF-8 in your editor") from None
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                byte = raw[exc.start]
                line = raw[: exc.start].count(b"\n") + 1
                column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
                try:
                    guess = f" (0x{byte:02x} is '{bytes([byte]).decode('cp1252')}' in Windows-1252)"
                except UnicodeDecodeError:
                    guess = ""
                raise TemplateUnreadable(filename, line, f"template is not UTF-8 text (byte 0x{byte:02x} in "
                                         f"column {column} cannot be decoded)",
                                         f"save the file as UTF-8 in your editor{guess}") from None
            raise


def builtin_template_dir() -> Path:
    """The default templates: inside the wheel, or the repository's templates/ folder."""
    packaged = Path(str(resources.files("deckbuilder"))) / "_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


MAX_REPEAT = 10_000  # 'x' * n or [..] * n beyond this is a memory bomb, not a layout
MAX_EXPONENT = 64
MAX_RANGE = 100_000  # as Jinja's sandbox; a card never needs more


def _range(*args: int) -> range:
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
RENDER_SECONDS = 5.0  # one template render, includes and macros included
BUILD_SECONDS = 60.0  # every render of one Templates (one build, one import)


class TemplateTimeout(Exception):
    """A template ran past its time budget (raised at the template line it had reached)."""


class _Budget:
    """The time one render may take, checked cooperatively from inside the template.

    Why not a timer: signal.alarm and setitimer exist only on Unix and only interrupt the
    main thread; a watchdog thread cannot stop another thread portably; sys.settrace would
    slow every line of every render. Instead the sandbox counts the steps by which a
    template can spend time without end, and every 256 steps compares the clock with the
    deadline:

    * each iteration of every ``{% for %}`` loop (``_Sandbox._parse`` passes each loop's
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


_running = threading.local()  # .budget: the _Budget of the render under way in this thread, if any


def _budget() -> _Budget | None:
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


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, immutable (a template cannot change the content other outputs read),
    with '*', '**' and '%', str methods, str.format and (in _environment) every filter
    checked so that a template cannot build a gigabyte string (see limits), and loops,
    calls and includes counted against the render's time and memory budget (see _Budget)."""

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
        budget = _budget()
        if budget is not None:
            budget.tick()
        return super().get_template(name, parent, globals)

    def select_template(self, names: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        budget = _budget()
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


class Templates:
    """Renders named templates to text, turning every template failure into a UserError."""

    def __init__(self, workspace_templates: Path | None, report: Report | None = None) -> None:
        """With a ``report``, the workspace's templates are looked over once and warnings added
        to it: characters no bundled font has, and files that override nothing."""
        self.workspace_dir = workspace_templates if workspace_templates and workspace_templates.is_dir() else None
        self.builtin_dir = builtin_template_dir()
        overrides = _overrides(self.workspace_dir)
        self.env = _environment(self.workspace_dir, self.builtin_dir, overrides)
        if report is not None and self.workspace_dir:
            report.problems.extend(_workspace_warnings(self.workspace_dir, self.builtin_dir, overrides, self.env))
        self._loaded: dict[str, jinja2.Template] = {}
        self._spent = 0.0  # seconds all renders took so far, against BUILD_SECONDS

    def display_name(self, filename: str | None) -> str:
        """A path the user recognises: 'templates/x.md.j2' or '(built-in) x.md.j2'."""
        if not filename:
            return "<template>"
        path = Path(filename)
        if self.workspace_dir and path.is_relative_to(self.workspace_dir):
            return str(Path("templates") / path.relative_to(self.workspace_dir))
        if path.is_relative_to(self.builtin_dir):
            return f"(built-in template) {path.relative_to(self.builtin_dir)}"
        return filename

    def source_of(self, name: str) -> str:
        """Which file a template name resolves to (for messages and tests)."""
        _, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        return self.display_name(filename)

    def exists(self, name: str) -> bool:
        try:
            self.env.get_template(name)
        except jinja2.TemplateNotFound:
            return False
        except jinja2.TemplateError:
            return True
        return True

    def render(self, name: str, **context: Any) -> str:
        """``name`` rendered with ``context``, within the time budgets (see _Budget)."""
        left = BUILD_SECONDS - self._spent
        if left < RENDER_SECONDS:
            budget = _Budget(left, f"templates took more than {BUILD_SECONDS:g} s in all in this build and were "
                                   "stopped here")
        else:
            budget = _Budget(RENDER_SECONDS, f"template took more than {RENDER_SECONDS:g} s to render and was "
                                             "stopped here")
        started, outer = time.monotonic(), _budget()
        _running.budget = budget
        try:
            return self._render(name, context)
        finally:
            _running.budget = outer
            self._spent += time.monotonic() - started

    def compile_problems(self) -> list[Problem]:
        """Errors that compiling the workspace's templates finds without rendering them (a
        syntax error, a file that is not UTF-8): what ``check`` can tell before a build.

        Compiled: every file that overrides a built-in template, and the workspace files
        those include, import or extend. A file nothing uses would not stop a build, so it
        does not stop ``check`` either (it gets a warning when it looks misplaced).
        """
        if not self.workspace_dir:
            return []
        builtins = {p.relative_to(self.builtin_dir).as_posix() for p in self.builtin_dir.rglob("*.j2")}
        own = {Path(name).as_posix() for name, _, _ in _overrides(self.workspace_dir)}
        todo = sorted(own & builtins)
        seen: set[str] = set()
        problems: list[Problem] = []
        while todo:
            name = todo.pop(0)
            if name in seen:
                continue
            seen.add(name)
            try:
                self._guarded(name, {}, partial(self._get, name))
            except UserError as exc:
                problems.extend(exc.problems)
                continue
            source = (self.workspace_dir / name).read_text("utf-8")
            todo.extend(n for n in meta.find_referenced_templates(self.env.parse(source))
                        if n and n in own and n not in seen)
        return problems

    def _render(self, name: str, context: dict[str, Any]) -> str:
        return self._guarded(name, context, lambda: self._get(name).render(**context).strip())

    def _guarded(self, name: str, context: dict[str, Any], action: Callable[[], T]) -> T:
        """``action()``, with every way a template can fail turned into a UserError at the
        template's file and line, with a hint."""
        try:
            return action()
        except UserError:
            raise
        except TemplateTimeout as exc:
            file, line = self._template_frame(sys.exc_info()[2])
            raise UserError(str(exc), file=file or self.source_of(name), line=line,
                            hint="a real template renders in milliseconds: a loop or macro here runs far too "
                                 "many times (loops inside loops multiply)") from None
        except jinja2.TemplateSyntaxError as exc:
            hint = getattr(exc, "hint", "check the {{ }} / {% %} tags on this line")
            raise UserError(f"template syntax error: {exc.message}", file=self.display_name(exc.filename),
                            line=exc.lineno, hint=hint) from None
        except TemplateUnreadable as exc:
            raise UserError(exc.message or "template is not UTF-8 text", file=self.display_name(exc.filename),
                            line=exc.lineno, hint=exc.hint) from None
        except jinja2.TemplateNotFound as exc:
            file, line = self._template_frame(sys.exc_info()[2])
            missing = [str(n) for n in exc.templates] if isinstance(exc, jinja2.TemplatesNotFound) else [exc.name]
            raise UserError(f"template {' or '.join(repr(n) for n in missing)} not found", file=file, line=line,
                            hint=self._closest_hint(missing[-1])) from None
        except SecurityError as exc:
            file, line = self._template_frame(sys.exc_info()[2])
            raise UserError(f"template refused by the sandbox: {exc}", file=file, line=line,
                            hint=getattr(exc, "hint", "templates may only read the content they are given")) from None
        except jinja2.UndefinedError as exc:
            file, line = self._template_frame(sys.exc_info()[2])
            raise UserError(f"template uses an undefined name: {exc.message}", file=file, line=line,
                            hint=f"names available here: {', '.join(sorted(context))}") from None
        except jinja2.TemplateError as exc:
            file, line = self._template_frame(sys.exc_info()[2])
            raise UserError(f"template error: {exc}", file=file, line=line) from None
        except RecursionError:
            frames = self._template_frames(sys.exc_info()[2])
            if not frames:
                raise
            raise self._endless(frames) from None
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError, OverflowError) as exc:
            file, line = self._template_frame(sys.exc_info()[2])
            if file is None:
                raise
            raise UserError(f"template failed: {type(exc).__name__}: {exc}", file=file, line=line,
                            hint="check the expression on this line") from None

    def template_names(self) -> list[str]:
        """Every template name there is: the built-in ones and the workspace's."""
        return sorted({name for name in self.env.list_templates() if name.endswith(".j2")})

    def _closest_hint(self, name: Any) -> str:
        """'did you mean' the closest template name, or where the names come from and the closest."""
        names = self.template_names()
        close = difflib.get_close_matches(str(name), names, n=1, cutoff=0.8)
        if close:
            return f"did you mean '{close[0]}'?"
        closest = difflib.get_close_matches(str(name), names, n=1, cutoff=0)
        return ("a template's name is its path inside templates/ or the built-in templates "
                f"({self.builtin_dir}); the closest is '{closest[0] if closest else 'cards/story-front.md.j2'}'")

    def _get(self, name: str) -> jinja2.Template:
        if name not in self._loaded:
            self._loaded[name] = self.env.get_template(name)
        return self._loaded[name]

    def _template_frame(self, tb: TracebackType | None) -> tuple[str | None, int | None]:
        """The innermost traceback frame that is a template line (Jinja rewrites them so)."""
        frames = self._template_frames(tb)
        return (self.display_name(frames[-1][0]), frames[-1][1]) if frames else (None, None)

    def _template_frames(self, tb: TracebackType | None) -> list[tuple[str, int]]:
        """(file, line) of every traceback frame that is a template line, outermost first."""
        found: list[tuple[str, int]] = []
        dirs = [str(d) for d in (self.workspace_dir, self.builtin_dir) if d]
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith(".j2") and filename.startswith(tuple(dirs)):
                found.append((filename, tb.tb_lineno))
            tb = tb.tb_next
        return found

    def _endless(self, frames: list[tuple[str, int]]) -> UserError:
        """The error for a template that extends, includes or calls itself until Python's
        stack runs out: the chain of templates that leads back, at the line that starts it."""
        seen: set[tuple[str, int]] = set()
        cut = len(frames) - 1
        for i, frame in enumerate(frames):  # up to the first template line met a second time
            if frame in seen:
                cut = i
                break
            seen.add(frame)
        names = [self.display_name(f) for f, _ in frames[:cut]]
        chain = [n for i, n in enumerate(names) if i == 0 or n != names[i - 1]] + [self.display_name(frames[cut][0])]
        filename, line = frames[0]
        own = Path(filename).relative_to(self.workspace_dir).as_posix() if self._in_workspace(filename) else None
        try:
            text = Path(filename).read_text("utf-8").splitlines()[line - 1]
        except (OSError, UnicodeDecodeError, IndexError):
            text = ""
        if own and (self.builtin_dir / own).is_file() and own in text:
            hint = (f"this file replaces the built-in {own}, so '{own}' here names this file itself; copy the "
                    f"built-in file ({self.builtin_dir / own}) and edit the copy instead")
        else:
            hint = "remove the extends/include that leads back here, or give the recursion a condition that ends it"
        return UserError(f"template never ends: it extends, includes or calls itself over and over "
                         f"({' -> '.join(chain)})", file=self.display_name(filename), line=line, hint=hint)

    def _in_workspace(self, filename: str) -> bool:
        return bool(self.workspace_dir) and Path(filename).is_relative_to(self.workspace_dir)  # type: ignore[arg-type]


def _overrides(folder: Path | None) -> frozenset[tuple[str, int, int]]:
    """(name, mtime, size) of every file in the workspace's templates/: any change there
    gets a new environment. Jinja's own reloading would miss an override added beside a
    built-in template it already loaded, and an edit within one tick of a coarse clock."""
    state: set[tuple[str, int, int]] = set()
    for path in folder.rglob("*") if folder else ():
        if path.is_file():
            stat = path.stat()
            state.add((str(path.relative_to(folder)), stat.st_mtime_ns, stat.st_size))
    return frozenset(state)


@lru_cache(maxsize=8)
def _environment(workspace_dir: Path | None, builtin_dir: Path,
                 overrides: frozenset[tuple[str, int, int]]) -> _Sandbox:
    """One Jinja environment per workspace and state of its templates/, kept for the process.

    Compiling the templates was a third of a ``watch`` rebuild after a content edit; the
    environment keeps them compiled until a template file changes.
    """
    loaders: list[jinja2.BaseLoader] = []
    if workspace_dir:
        loaders.append(_Loader(str(workspace_dir)))
    loaders.append(_Loader(str(builtin_dir)))
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is Markdown, escaped later for reportlab
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=True,
    )
    env.globals["range"] = _range
    for name, function in list(env.filters.items()):
        env.filters[name] = _limited_filter(name, function)
    env.filters[BUDGET_FILTER] = _budgeted
    env.filters["join_words"] = lambda words, sep=" · ": sep.join(str(w) for w in words)
    env.filters["label"] = typography.label  # a back's section label, drawn in grey capitals
    env.tests["md_list"] = typography.is_markdown_list
    return env


def _limited_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
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


@lru_cache(maxsize=8)
def _workspace_warnings(workspace_dir: Path, builtin_dir: Path, overrides: frozenset[tuple[str, int, int]],
                        env: jinja2.Environment) -> tuple[Problem, ...]:
    """Warnings about the workspace's templates (kept until a file in templates/ changes):

    * a template that overrides nothing (no built-in has its path, and no workspace template
      includes, imports or extends it) while a built-in has its file name or a close path:
      it is most likely an override in the wrong folder, silently ignored;
    * characters in a used template's own text (not its comments) that no bundled font has:
      they would be left out of the PDFs without a word, as content's are not.
    """
    builtins = {path.relative_to(builtin_dir).as_posix() for path in builtin_dir.rglob("*.j2")}
    names = sorted(Path(name).as_posix() for name, _, _ in overrides)
    names = [n for n in names if n.endswith(".j2") and not any(part.startswith(".") for part in n.split("/"))]
    sources: dict[str, str] = {}
    referenced: set[str] = set()
    for name in names:
        try:
            sources[name] = (workspace_dir / name).read_text("utf-8")
            referenced.update(n for n in meta.find_referenced_templates(env.parse(sources[name])) if n)
        except (OSError, UnicodeError, jinja2.TemplateError, RecursionError):
            continue  # an unreadable or broken template is reported when it is rendered
    problems: list[Problem] = []
    for name in names:
        display = f"templates/{name}"
        if name in builtins or name in referenced:
            if name in sources:
                problems.extend(template_glyph_warnings(env, name, display, sources[name]))
            continue
        meant = _meant_builtin(name, builtins)
        if meant and not (workspace_dir / meant).is_file():  # is_file: also a case-insensitive disk's match
            problems.append(Problem(display, None, f"overrides nothing; did you mean templates/{meant}?",
                                    f"a file in templates/ replaces the built-in template at the same path: "
                                    f"move it to templates/{meant}", severity="warning"))
    return tuple(problems)


def _meant_builtin(name: str, builtins: set[str]) -> str | None:
    """The built-in template a misplaced file was probably meant to override: one with the same
    file name (the closest path if several), else one whose path is close."""
    base = name.rsplit("/", 1)[-1].lower()
    same = sorted(b for b in builtins if b.rsplit("/", 1)[-1].lower() == base)
    if same:
        return max(same, key=lambda b: difflib.SequenceMatcher(None, name.lower(), b.lower()).ratio())
    lower = {b.lower(): b for b in sorted(builtins)}
    close = difflib.get_close_matches(name.lower(), list(lower), n=1, cutoff=0.8)
    return lower[close[0]] if close else None


def template_glyph_warnings(env: jinja2.Environment, name: str, display: str, source: str) -> list[Problem]:
    """One warning for the characters no bundled font has in a template's text and string
    literals (comments never print), at the first line that has one."""
    from .fonts import uncovered  # local: the font tables are only needed here

    if not uncovered(source):
        return []
    first: dict[str, int] = {}
    try:
        for token in env.lexer.tokenize(source, name):
            if token.type in ("data", "string"):
                for char in uncovered(token.value):
                    line = token.lineno + token.value[: token.value.index(char)].count("\n")
                    first[char] = min(first.get(char, line), line)
    except jinja2.TemplateSyntaxError:
        pass  # reported when the template is rendered; warn about what came before
    if not first:
        return []
    lines = set(first.values())
    chars = ", ".join(f"'{c}' (U+{ord(c):04X}{'' if len(lines) == 1 else f', line {n}'})"
                      for c, n in sorted(first.items(), key=lambda item: item[1]))
    return [Problem(display, min(lines), f"no bundled font has {chars}; it will be left out of the PDFs",
                    "replace it with a character the fonts have, or leave it if you do not need it printed",
                    severity="warning")]
