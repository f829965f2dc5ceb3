"""Building outputs: content in, every output planned, then drawn to staged PDFs that are all
moved into place at once.

Planning comes first and for every output (``outputs.base``), so a build that would stop
stops before anything is drawn, naming every problem at once, and ``check`` runs the very
same plans. The warnings ``check`` prints, ``build`` and ``watch`` print too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import alongside
from .content.coverage import coverage
from .content.load import load_content
from .content.model import Content
from .errors import Problem, Report, UserError
from .options import BuildOptions, PrintOptions
from .outputs.base import Plan, plan_of, share_plan, shared_plans
from .outputs.registry import OUTPUTS
from .render.templates import Templates
from .workspace import StagedOutputs, Workspace, remove_stale_temporaries

__all__ = ["BuildOptions", "PrintOptions", "build", "load", "plan_outputs", "selected_outputs"]


def selected_outputs(only: tuple[str, ...]) -> list[str]:
    if not only:
        return list(OUTPUTS)
    unknown = [name for name in only if name not in OUTPUTS]
    if unknown:
        raise UserError(f"unknown output '{unknown[0]}'", hint=f"choose from: {', '.join(OUTPUTS)}")
    return [name for name in OUTPUTS if name in only]


def plan_outputs(content: Content, templates: Templates, options: PrintOptions,
                 names: list[str]) -> dict[str, Plan]:
    """Every named output's plan, in build order (call inside ``shared_plans()`` to make each once)."""
    return {name: plan_of(OUTPUTS[name], content, templates, options) for name in names}


def check_plans(content: Content, templates: Templates, options: PrintOptions, names: list[str],
                parallel: bool = True) -> dict[str, Plan]:
    """Every named output's plan, as ``build`` makes them, for ``check`` (call inside
    ``shared_plans()``). With two cores the deck (most of the work: every face set to fit)
    is planned in a forked process while this one plans the sheet and the matrix; it sends
    back only the deck plans' summaries, which is all that check and the packet's plan
    (its problems) need."""
    decks = [options] if "cards" in names else []
    if "packet" in names:
        from .outputs.packet import card_options  # the packet's code only when the packet is planned

        decks = list(dict.fromkeys(decks + [card_options(options)]))
    rest = [name for name in names if name not in ("cards", "packet")]
    if not (parallel and decks and rest and alongside.available()):
        return plan_outputs(content, templates, options, names)
    deck = OUTPUTS["cards"]
    child = alongside.Alongside(lambda: [deck.plan(content, templates, o).summarise() for o in decks], {}, [])
    try:
        plans = plan_outputs(content, templates, options, rest)
    except BaseException:
        child.join(keep_outcome=False)
        raise
    summaries = child.join()
    assert isinstance(summaries, list)
    for deck_options, summary in zip(decks, summaries):
        share_plan(summary, deck, content, templates, deck_options)
    plans.update(plan_outputs(content, templates, options, [name for name in names if name not in rest]))
    return {name: plans[name] for name in names}


def plan_problems(plans: dict[str, Plan]) -> list[Problem]:
    """What would stop the build, each problem once (the packet's plan carries the sheet's,
    the matrix's and the deck's own problems too)."""
    return _once(p for plan in plans.values() for p in plan.problems)


def plan_warnings(plans: dict[str, Plan]) -> list[Problem]:
    return _once(p for plan in plans.values() for p in plan.warnings)


def content_warnings(content: Content, root: Path | None = None) -> list[Problem]:
    """What ``check`` says about the content beyond the files' own mistakes: coverage gaps,
    deep-dives over their slot, open questions (``verify:``), headlines resting on a guess,
    stories not rehearsed lately and the coach's story checks. ``build`` and ``watch`` print
    the same."""
    from .coach.report import coach_warnings
    from .content.headline import headline_problems
    from .content.verify import verify_problems
    from .practice.feedback import stale_warnings

    problems = coverage(content).problems() + verify_problems(content) + headline_problems(content)
    problems += stale_warnings(content)  # once drill has a log
    if root is not None:
        problems += coach_warnings(root, content)
    return problems


def _once(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out = []
    for problem in problems:
        if problem not in seen:
            seen.add(problem)
            out.append(problem)
    return out


def load(workspace: Workspace) -> tuple[Content, Report]:
    # what was rehearsed (the practice log), for check, the sheet and the matrix
    from .practice.feedback import attach

    content, report = load_content(workspace.content_dir, workspace.root)
    return attach(content, workspace.root), report


# Outputs drawn from their own plans alone, never from what another output staged: a build
# may draw them in a second process (see alongside.py) while this one draws the cards.
ALONGSIDE = ("sheet", "matrix", "loop")


def build(workspace: Workspace, options: PrintOptions, parallel: bool = True) -> tuple[list[Path], Report]:
    """Build the selected outputs. On any error nothing in output/ changes.

    Every output is planned first; a problem in any plan stops the build before anything is
    drawn. With ``parallel`` (and two cores), the ALONGSIDE outputs are drawn in a forked
    process while this one draws the rest; files, warnings and the error reported are the
    same as drawing one after the other in OUTPUTS order.
    """
    # Drawing's import (check plans without it), made before the build forks (alongside.py) so
    # that both processes have it rather than each importing it again.
    from reportlab.pdfgen import canvas  # noqa: F401

    names = selected_outputs(options.only)
    with collector_paused():
        return _build(workspace, options, names, parallel)


@dataclass
class Planned:
    """A workspace loaded and every selected output planned, with no problem in the way."""

    content: Content
    templates: Templates
    report: Report
    plans: dict[str, Plan]
    root: Path | None = None  # the workspace (its deckbuilder.toml says which coach checks are off)

    def add_warnings(self) -> None:
        """The outputs' warnings, then the content's (coverage, timing, open questions, the
        coach's): what ``check``, ``build`` and ``watch`` all print."""
        self.report.problems.extend(plan_warnings(self.plans))
        self.report.problems.extend(content_warnings(self.content, self.root))


def plan_workspace(workspace: Workspace, options: PrintOptions, names: list[str] | None = None) -> Planned:
    """Load the content and plan every selected output (nothing drawn); a UserError with every
    problem any plan found, each once, when the build would stop."""
    content, report = load(workspace)
    templates = Templates(workspace.templates_dir, report)
    with shared_plans():
        plans = plan_outputs(content, templates, options, selected_outputs(options.only) if names is None else names)
    if problems := plan_problems(plans):
        raise UserError(problems)
    return Planned(content, templates, report, plans, workspace.root)


def _build(workspace: Workspace, options: PrintOptions, names: list[str], parallel: bool) -> tuple[list[Path], Report]:
    planned = plan_workspace(workspace, options, names)
    plans, report = planned.plans, planned.report
    remove_stale_temporaries(workspace.output_dir)
    staging = StagedOutputs(workspace.output_dir)
    aside = [name for name in names if name in ALONGSIDE] if parallel else []
    here = [name for name in names if name not in aside]
    child = None
    try:
        if aside and here and alongside.available():
            child = alongside.Alongside(lambda: _draw_each(plans, aside, staging), staging.staged, report.problems)
        else:
            here = names
        for name in here:
            _draw(name, plans[name], staging)
        if child:
            child.join()
        order = [file for name in names for file in OUTPUTS[name].files]
        written = sorted(staging.commit(), key=lambda path: order.index(path.name))  # as one after the other
        for name in names:  # e.g. the deck remembers its cards for --select changed
            report.problems.extend(OUTPUTS[name].committed(plans[name], workspace.root))
    except BaseException:
        if child:
            child.join(keep_outcome=False)  # this process failed first: its error is the one to report
        raise
    finally:
        staging.discard()
    planned.add_warnings()
    for name in names:
        report.problems.extend(OUTPUTS[name].leftovers(plans[name], workspace.output_dir))
    return written, report


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection during a build; the collector is as it was afterwards.

    CPython's cycle collector walks every object that is still alive, and a build keeps
    what it makes (the set faces) until the PDF is written, so each collection walked
    more of the same objects to free almost nothing. Measured (collector callbacks):
    0.65 s of a 3.5 s 1,000-card build and 3.1 s of an 18 s 5,000-card build went to
    collections. A build makes almost no cyclic garbage, so peak memory is the same
    without them (1,000 cards: 112 MB both ways; 5,000: 284 vs 285 MB). Reference
    counting still frees everything else at once, and ``watch`` collects as usual
    between rebuilds.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _draw(name: str, plan: Plan, staging: StagedOutputs) -> None:
    if plan.files:  # a plan with nothing to write (a deck without cards) is not drawn
        OUTPUTS[name].draw(plan, {file: staging.path_for(file) for file in plan.files})


def _draw_each(plans: dict[str, Plan], names: list[str], staging: StagedOutputs) -> None:
    for name in names:
        _draw(name, plans[name], staging)
