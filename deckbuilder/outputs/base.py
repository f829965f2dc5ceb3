"""The shape every output has: a plan made without drawing, then the drawing.

An output is an object with::

    name: str                     # what --only calls it: "cards"
    files: tuple[str, ...]        # every file it may write into output/
    def plan(self, content: Content, templates: Templates, options: PrintOptions) -> Plan: ...
    def draw(self, plan: Plan, paths: Mapping[str, Path]) -> None: ...
    def leftovers(self, plan: Plan, output_dir: Path) -> list[Problem]: ...

``plan`` does everything but drawing: the templates rendered, the text measured and set at
its size, every position fixed. It never raises for the user's mistakes: what would stop
the build goes into ``plan.problems`` (each naming the file and line to fix), what only
deserves a mention into ``plan.warnings``, and ``plan.files`` says which of ``files`` this
plan writes (the deck writes either cards.pdf or the fronts and the backs; a deck without
cards writes nothing). A plan with problems, or without files, is never drawn.

``draw`` writes each of ``plan.files`` to ``paths[name]`` (staged paths; the build moves
them into output/ together). ``leftovers`` says which of the output's files in output/
this build did not replace (so nobody prints an old one); most outputs have none to say.

So ``deckbuilder check`` runs every ``plan`` and reports every problem and warning without
drawing anything; ``build`` runs ``plan`` then ``draw``; the packet composes the other
outputs' plans (``plan_of``) rather than reaching into how they are made; and the
importer's closing check calls the same plans with the user's print settings.

Parts of a plan that cannot fail and only drawing needs may be laid out lazily, on first
use by ``draw`` (the packet's story pages, the sheet's page at a kept layout): ``check`` then
does not pay for them, and a build makes them before it forks (``Plan.ready``).

Adding an output: write a module with an object of this shape, list it in
``outputs.registry.OUTPUTS`` and its name in ``outputs.NAMES``, and give it a folder of
templates. The smallest one::

    FILES = ("loop.pdf",)

    @dataclass(kw_only=True)
    class LoopPlan(Plan):
        layout: LoopLayout | None = None        # whatever draw() needs, all measured

    def plan_loop(content, templates, options) -> LoopPlan:
        plan = LoopPlan()
        try:
            plan.layout = lay_out(...)          # may raise UserError: kept as plan.problems
        except UserError as exc:
            plan.refuse(exc)
            return plan
        plan.files = FILES
        return plan

    class LoopOutput(BaseOutput):               # BaseOutput: leftovers() says nothing
        name = "loop"
        files: tuple[str, ...] = FILES

        def plan(self, content, templates, options) -> LoopPlan:
            return plan_loop(content, templates, options)

        def draw(self, plan: LoopPlan, paths) -> None:
            canvas = new_canvas(str(paths["loop.pdf"]), ...)

    LOOP = LoopOutput()
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..content.model import Content
from ..errors import Problem, UserError
from ..options import PrintOptions
from ..render.templates import Templates


@dataclass(kw_only=True)
class Plan:
    """What every output's plan says besides its own layout."""

    files: tuple[str, ...] = ()  # the files draw() writes
    problems: list[Problem] = field(default_factory=list)  # what would stop the build
    warnings: list[Problem] = field(default_factory=list)  # worth saying, not stopping for

    @property
    def ok(self) -> bool:
        return not self.problems

    def refuse(self, error: UserError) -> None:
        """Keep a user error raised while planning as this plan's problems."""
        self.problems.extend(error.problems)

    def warn(self, file: str | None, line: int | None, message: str, hint: str | None = None) -> None:
        self.warnings.append(Problem(file, line, message, hint, severity="warning"))

    def ready(self) -> None:
        """Make now what drawing will need and planning left until asked for (``check`` never
        asks): a build calls it before it forks, so that both processes have it."""


P = TypeVar("P", bound=Plan)


class Output(Protocol):
    """One output deckbuilder can build (see the module docstring)."""

    name: str
    files: tuple[str, ...]

    def plan(self, content: Content, templates: Templates, options: PrintOptions) -> Plan: ...

    def draw(self, plan: Any, paths: Mapping[str, Path]) -> None: ...

    def leftovers(self, plan: Any, output_dir: Path) -> list[Problem]: ...

    def committed(self, plan: Any, root: Path) -> list[Problem]: ...


class BaseOutput:
    """Defaults for an output: nothing left over from earlier builds to mention, nothing to
    remember once its files are in place."""

    name: str
    files: tuple[str, ...]

    def leftovers(self, plan: Any, output_dir: Path) -> list[Problem]:
        return []

    def committed(self, plan: Any, root: Path) -> list[Problem]:
        """Called once this build's files are all in output/ (the deck remembers its cards);
        what it could not do is a warning: the files are in place already."""
        return []


# ---------------------------------------------------------------- one plan per build

_SHARED: ContextVar[dict[tuple, Plan] | None] = ContextVar("deckbuilder_shared_plans", default=None)


@contextmanager
def shared_plans() -> Iterator[None]:
    """Within this block, ``plan_of`` makes each output's plan once for the same content,
    templates and options: the packet composes the deck's, the sheet's and the matrix's
    plans, and the build (or check) has made them already. Outside it every call plans
    afresh (the importer changes the content between its calls)."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _key(output: Output, content: Content, templates: Templates, options: PrintOptions) -> tuple:
    return output.name, id(content), id(templates), options


def plan_of(output: Output, content: Content, templates: Templates, options: PrintOptions) -> Plan:
    """``output.plan(...)``, made once per ``shared_plans`` block."""
    memo = _SHARED.get()
    if memo is None:
        return output.plan(content, templates, options)
    key = _key(output, content, templates, options)
    if key not in memo:
        memo[key] = output.plan(content, templates, options)
    return memo[key]


def share_plan(plan: Plan, output: Output, content: Content, templates: Templates, options: PrintOptions) -> None:
    """Take ``plan`` (made elsewhere, e.g. in another process) as ``output``'s plan for the rest
    of this ``shared_plans`` block."""
    memo = _SHARED.get()
    assert memo is not None, "share_plan() is for inside a shared_plans() block"
    memo[_key(output, content, templates, options)] = plan
