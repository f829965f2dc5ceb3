"""Jinja templates: loading (workspace first, built-in second) and rendering, always sandboxed.

A template in the workspace's ``templates/`` replaces the built-in one of the same
relative name, file by file; everything not overridden falls back to the defaults.
Templates may come from a coach, so they run in Jinja's sandbox (no reaching into
Python internals) with StrictUndefined (a misspelt name is an error, not a blank).
Templates produce Markdown; they never see reportlab.
"""

from __future__ import annotations

import difflib
import os
import posixpath
import sys
import time
from collections.abc import Callable
from functools import lru_cache, partial
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import jinja2
from jinja2 import meta
from jinja2.loaders import split_template_path
from jinja2.sandbox import SecurityError

from ..errors import Problem, Report, UserError
from ..paths import OUTSIDE_HINT, is_inside, links_leading_out
from . import typography
from .limits import MAX_TEMPLATE_BYTES
from .sandbox import Budget, Sandbox, TemplateTimeout, _running, current_budget, install_limits
from .template_cache import template_cache
from .template_facts import TemplateFacts
from .template_warnings import template_glyph_warnings, workspace_warnings

__all__ = ["TemplateUnreadable", "Templates", "builtin_template_dir", "template_glyph_warnings"]

T = TypeVar("T")


class TemplateUnreadable(jinja2.TemplateError):
    """A template file that is not UTF-8 text: where, and what to do about it."""

    def __init__(self, filename: str, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.filename, self.lineno, self.hint = filename, line, hint


class _Loader(jinja2.FileSystemLoader):
    """Jinja's file loader, but a file that is not UTF-8 is a TemplateUnreadable that names
    the line and the byte (Jinja lets the bare UnicodeDecodeError through), and a file that
    is, or lies in a folder that is, a link leading outside ``root`` is refused before it is
    read (Jinja follows links: a shared template bundle could put /etc/passwd in a PDF)."""

    def __init__(self, folder: Path, root: Path) -> None:
        super().__init__(str(folder))
        self.root = root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        filename = posixpath.join(str(self.searchpath[0]), *split_template_path(template))
        if os.path.isfile(filename) and not is_inside(Path(filename), [self.root]):
            raise TemplateUnreadable(filename, 0, f"template is a link to a place outside the workspace "
                                     f"({os.path.realpath(filename)}); it is not read", OUTSIDE_HINT)
        if os.path.isfile(filename) and os.path.getsize(filename) > MAX_TEMPLATE_BYTES:
            raise TemplateUnreadable(filename, 0, f"template is {os.path.getsize(filename) / 1e6:.1f} MB; "
                                     f"templates are limited to {MAX_TEMPLATE_BYTES >> 10} KB",
                                     "a template is a page of Markdown and tags: put the text in content/")
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


RENDER_SECONDS = 5.0  # one template render, includes and macros included
BUILD_SECONDS = 60.0  # every render of one Templates (one build, one import)


class Templates:
    """Renders named templates to text, turning every template failure into a UserError."""

    def __init__(self, workspace_templates: Path | None, report: Report | None = None) -> None:
        """With a ``report``, the workspace's templates are looked over once and warnings added
        to it: characters no bundled font has, and files that override nothing."""
        self.workspace_dir = workspace_templates if workspace_templates and workspace_templates.is_dir() else None
        if self.workspace_dir:
            _refuse_links_leading_out(self.workspace_dir)
        self.builtin_dir = builtin_template_dir()
        self._overrides = _overrides(self.workspace_dir)
        self.env = _environment(self.workspace_dir, self.builtin_dir, self._overrides)
        if report is not None and self.workspace_dir:
            report.problems.extend(workspace_warnings(self._facts(self.workspace_dir), self.env))
        self._loaded: dict[str, jinja2.Template] = {}
        self._spent = 0.0  # seconds all renders took so far, against BUILD_SECONDS

    def forget_compiled(self) -> None:
        """Load every template from its file again (``rendered``: a file edited within one tick
        of a coarse clock, which Jinja, looking at the time, would take as unchanged)."""
        if self.env.cache is not None:
            self.env.cache.clear()
        self._loaded.clear()

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
            budget = Budget(left, f"templates took more than {BUILD_SECONDS:g} s in all in this build and were "
                                   "stopped here")
        else:
            budget = Budget(RENDER_SECONDS, f"template took more than {RENDER_SECONDS:g} s to render and was "
                                             "stopped here")
        started, outer = time.monotonic(), current_budget()
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
        facts = self._facts(self.workspace_dir)
        if facts.compiles():  # these very files compiled cleanly in an earlier run
            return []
        own = set(facts.names)
        todo = sorted(own & facts.builtins)
        known = facts.known_references()
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
            refs = known.get(name)
            if refs is None:  # not parsed yet: a file no .j2 template's warnings read
                source = (self.workspace_dir / name).read_text("utf-8")
                refs = [n for n in meta.find_referenced_templates(self.env.parse(source)) if n]
            todo.extend(n for n in refs if n in own and n not in seen)
        if not problems:
            facts.remember_compiles()
        return problems

    def _facts(self, workspace_dir: Path) -> TemplateFacts:
        """The workspace's templates as read once for this state of templates/, with what
        parsing and compiling them found in an earlier run (template_facts.py)."""
        return _facts(workspace_dir, self.builtin_dir, self._overrides, self.env)

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
                            line=exc.lineno or None, hint=exc.hint) from None
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
        own = (Path(filename).relative_to(self.workspace_dir).as_posix()
               if self.workspace_dir is not None and self._in_workspace(filename) else None)
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


def _refuse_links_leading_out(folder: Path) -> None:
    """Every link in templates/ that leads out of the workspace, refused at once (a template
    bundle from someone else could otherwise put any file on the machine into the PDFs)."""
    found = links_leading_out(folder, [folder.parent])
    if found:
        raise UserError([Problem(str(Path("templates") / path.relative_to(folder)) if path != folder else "templates",
                                 None, f"this {'folder' if path.is_dir() else 'file'} is a link to a place outside "
                                       f"the workspace ({os.path.realpath(path)}); templates are not read from it",
                                 OUTSIDE_HINT) for path in found])


def _overrides(folder: Path | None) -> frozenset[tuple[str, int, int]]:
    """(name, mtime, size) of every file in the workspace's templates/: any change there
    gets a new environment. Jinja's own reloading would miss an override added beside a
    built-in template it already loaded, and an edit within one tick of a coarse clock."""
    state: set[tuple[str, int, int]] = set()
    if folder is None:
        return frozenset()
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            state.add((str(path.relative_to(folder)), stat.st_mtime_ns, stat.st_size))
    return frozenset(state)


@lru_cache(maxsize=8)
def _facts(workspace_dir: Path, builtin_dir: Path, overrides: frozenset[tuple[str, int, int]],
           env: jinja2.Environment) -> TemplateFacts:
    """One TemplateFacts per state of templates/, kept for the process as the environment is."""
    return TemplateFacts(workspace_dir, builtin_dir, overrides, env)


@lru_cache(maxsize=8)
def _environment(workspace_dir: Path | None, builtin_dir: Path,
                 overrides: frozenset[tuple[str, int, int]]) -> Sandbox:
    """One Jinja environment per workspace and state of its templates/, kept for the process.

    Compiling the templates was a third of a ``watch`` rebuild after a content edit; the
    environment keeps them compiled until a template file changes.
    """
    loaders: list[jinja2.BaseLoader] = []
    if workspace_dir:
        loaders.append(_Loader(workspace_dir, workspace_dir.parent))
    loaders.append(_Loader(builtin_dir, builtin_dir))
    env = Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # output is Markdown, escaped later for reportlab
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=True,
    )
    env.filters["label"] = typography.label  # a back's section label, drawn in grey capitals
    env.tests["md_list"] = typography.is_markdown_list
    install_limits(env)  # after our own filters, so that every filter is measured
    env.bytecode_cache = template_cache(env)  # compiled code kept between processes (user's cache folder)
    return env
