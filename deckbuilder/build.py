"""Building outputs: content in, every output planned, then drawn to staged PDFs that are all
moved into place at once.

Planning comes first and for every output (``outputs.base``), so a build that would stop
stops before anything is drawn, naming every problem at once, and ``check`` runs the very
same plans. The warnings ``check`` prints, ``build`` and ``watch`` print too.

On two cores (``alongside``) a build uses both, twice. Planning: the deck is planned in a
forked process while this one plans the sheet, the matrix and the loop and lays out the
packet's stories (``build_plans``; ``check`` plans in one process), or, for a
deck large enough, its faces are set half in a forked process (``outputs.fitmany``). Drawing:
once every plan is made, the packet is drawn in a forked process while this one draws the
cards, the sheet, the matrix and the loop and makes the content's warnings (``ALONGSIDE``).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from . import alongside
from .content.coverage import Coverage, coverage
from .content.load import load_content
from .content.model import Content
from .errors import Problem, Report, UserError
from .options import BuildOptions, PrintOptions
from .outputs import drawstore, faces, fitmany, streamstore
from .outputs.base import Plan, plan_of, share_plan, shared_plans
from .outputs.deck import card_count
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


def build_plans(content: Content, templates: Templates, options: PrintOptions, names: list[str]) -> dict[str, Plan]:
    """Every named output's plan for a build (call inside ``shared_plans()``). With two cores
    the deck is planned in a forked process while this one plans the sheet, the matrix and
    the loop, makes what their drawing needs (``Plan.ready``) and lays out the packet's
    stories (their set paragraphs are remembered, so the packet drawn later finds them); it
    sends back the whole deck plans, and the faces it set, which this process remembers as
    if set here. A deck large enough to set its faces in two processes (``outputs.fitmany``)
    is planned here instead, where it can.

    ``check`` plans everything in one process (``plan_outputs``): with each face's size and
    each card's text kept in the cache folder, planning the deck here costs less than the
    fork. Measured, alternated, medians of 9: a warm check of the user's content 0.331 ->
    0.321 s, of 1,000 cards 0.392 -> 0.348 s; with an empty cache folder 0.768 -> 0.782 s (a
    large deck's faces are still set in two processes by ``fitmany``). A build still gains
    from it: one with an empty cache folder took 0.881 s with the fork, 1.050 s without."""
    decks = [options] if "cards" in names else []
    if "packet" in names:
        from .outputs.packet import card_options  # the packet's code only when the packet is planned

        decks = list(dict.fromkeys(decks + [card_options(options)]))
    rest = [name for name in names if name not in ("cards", "packet")]
    meanwhile = "packet" in names and bool(content.stories)
    if 2 * card_count(content) >= fitmany.AT_LEAST:
        return plan_outputs(content, templates, options, names)
    if not (decks and (rest or meanwhile) and alongside.available()):
        return plan_outputs(content, templates, options, names)
    deck = OUTPUTS["cards"]

    def plan_decks() -> object:
        known = faces.remembered()
        made = [deck.plan(content, templates, o) for o in decks]
        set_there = {key: face for key, face in faces.remembered().items() if key not in known}
        if len(faces.unset_text(set_there.values())) >= SET_THERE_AT_LEAST:
            fitmany.set_text(set_there.values())  # faces from the cache (fitstore): their text set here, not after
        return made, set_there

    child = alongside.Alongside(plan_decks, {}, [])
    try:
        plans = plan_outputs(content, templates, options, rest)
        for plan in plans.values():  # what drawing will need, made while the deck is planned there
            plan.ready()
        if meanwhile:
            from .outputs.packet import lay_out_stories

            try:
                lay_out_stories(content, templates, options)
            except Exception:  # noqa: BLE001 - only a head start: drawing the packet meets it again, in its turn
                pass
    except Exception:
        if "cards" in names:  # the deck comes first in a plain loop: its error is the one to report
            _raise_deck_error(child, lambda: plan_outputs(content, templates, options, ["cards"]))
        child.join(keep_outcome=False)
        raise
    except BaseException:
        child.join(keep_outcome=False)
        raise
    made = child.value_or_none()
    if not isinstance(made, tuple):  # the deck is planned again here
        return plan_outputs(content, templates, options, names)
    made, set_there = made
    for key, face in set_there.items():
        faces.remember(key, face)
    assert isinstance(made, list)
    for deck_options, deck_plan in zip(decks, made):
        share_plan(deck_plan, deck, content, templates, deck_options)
    plans.update(plan_outputs(content, templates, options, [name for name in names if name not in rest]))
    return {name: plans[name] for name in names}


# Faces whose text the process planning the deck sets before it sends them (a face kept in the
# cache folder comes unset; one whose drawing is kept too is never set): fewer are set here
# instead, before the packet's process forks. A warm build of the user's content has one (a
# face split over two cards, whose drawing is never kept): setting it there imported the Markdown
# parser in that process too, 40 ms in all, and the build waited 10 ms for it.
SET_THERE_AT_LEAST = 40


def _raise_deck_error(child: alongside.Alongside, plan_cards: Callable[[], object]) -> None:
    """Raise the error the deck planned in ``child`` met, if it met one: a whole plan's failure
    there is not sent back as itself (``build_plans``), so the cards are then planned
    here, which meets it again. Returns when the deck had no error."""
    try:
        child.join()
    except UserError:
        raise
    except Exception:  # noqa: BLE001 - met again here, raised where it happens (or not at all)
        plan_cards()


def plan_problems(plans: dict[str, Plan]) -> list[Problem]:
    """What would stop the build, each problem once (the packet's plan carries the sheet's,
    the matrix's and the deck's own problems too)."""
    return _once(p for plan in plans.values() for p in plan.problems)


def plan_warnings(plans: dict[str, Plan]) -> list[Problem]:
    return _once(p for plan in plans.values() for p in plan.warnings)


def content_warnings(content: Content, root: Path | None = None, cov: Coverage | None = None) -> list[Problem]:
    """What ``check`` says about the content beyond the files' own mistakes: coverage gaps,
    deep-dives over their slot, open questions (``verify:``), headlines resting on a guess,
    stories not rehearsed lately and the coach's story checks. ``build`` and ``watch`` print
    the same. ``cov``: ``coverage(content)``, when the caller has it already. For content
    loaded with its checks kept (``load``), all but the rehearsal warnings are said again
    from the cache folder while the files and the settings stay the same (``checkstore``)."""
    from .content import checkstore
    from .practice.feedback import stale_warnings

    def analysed() -> list[Problem]:
        from .content.headline import headline_problems
        from .content.verify import verify_problems

        return (cov or coverage(content)).problems() + verify_problems(content) + headline_problems(content)

    def coached() -> list[Problem]:
        from .coach.report import coach_warnings

        return coach_warnings(root, content) if root is not None else []

    store = checkstore.kept_for(content)
    if store is None:
        return analysed() + stale_warnings(content) + coached()  # stale: once drill has a log
    return store.warnings(root, analysed, lambda: stale_warnings(content), coached)


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

    content, report = load_content(workspace.content_dir, workspace.root, kept=True)
    return attach(content, workspace.root), report


# Outputs drawn from their own plans alone, never from what another output staged: a build
# may draw them in a second process (see alongside.py) while this one draws the rest. Every
# plan is made before anything is drawn, so the fork starts with the packet's plan (the
# sheet's, the matrix's and the deck's set faces) and the packet needs nothing from this
# process's drawing. The packet is drawn there because it is the longest drawing of a
# build (its story pages laid out, every card face drawn again at reading scale: 0.15-0.25 s
# of the user's content against 0.06-0.09 s for the cards and 0.03 s for the sheet and the
# matrix), so this process draws all the others and says the content's warnings meanwhile.
# It is last in OUTPUTS order, so an error here is always the one a plain loop meets first.
ALONGSIDE = ("packet",)
FACES_DRAWN = ("cards", "packet")  # the outputs that draw card faces (their drawings kept: outputs.drawstore)


def build(workspace: Workspace, options: PrintOptions, parallel: bool = True,
          again: bool = False) -> tuple[list[Path], Report]:
    """Build the selected outputs. On any error nothing in output/ changes.

    Every output is planned first; a problem in any plan stops the build before anything is
    drawn. With ``parallel`` (and two cores) the deck is planned in a forked process
    (``build_plans``; not for ``again``), and the ALONGSIDE outputs (the packet) are drawn in
    a forked process while this one draws the rest and makes the content's warnings; files,
    warnings and the error reported are the same as drawing one after the other in OUTPUTS
    order. ``again`` (``watch``, which builds again on the next save): everything is planned
    and drawn in this process, which remembers what the next build can take again: each
    unchanged card face's drawing is replayed from the last build (``render.replay``), which
    a forked process would not keep. Measured (critical path from CPU clocks, medians of 7
    rebuilds, three alternated rounds): drawing the packet alongside 0.268-0.293 s, all of it
    here 0.179-0.258 s; on a busy machine the forked process would also wait for a core.
    A one-shot build instead replays the card faces the last build of this workspace drew,
    kept in the cache folder (``outputs.drawstore``), and sets the text of none of them.
    """
    # Drawing's import (check plans without it), made before the build forks (alongside.py) so
    # that both processes have it rather than each importing it again.
    from reportlab.pdfgen import canvas  # noqa: F401

    from .render import replay

    names = selected_outputs(options.only)
    kept = drawstore.opened(workspace.root, [name for name in names if name in FACES_DRAWN],  # one-shot builds
                            selection=bool(options.select))
    with collector_paused(), (nullcontext() if parallel else alongside.serial()), \
            (replay.remembering() if again else kept), (nullcontext() if again else streamstore.opened(workspace.root)):
        return _build(workspace, options, names, parallel, again)


@dataclass
class Planned:
    """A workspace loaded and every selected output planned, with no problem in the way."""

    content: Content
    templates: Templates
    report: Report
    plans: dict[str, Plan]
    root: Path | None = None  # the workspace (its deckbuilder.toml says which coach checks are off)

    def warnings(self) -> list[Problem]:
        """The outputs' warnings, then the content's (coverage, timing, open questions, the
        coach's): what ``check``, ``build`` and ``watch`` all print."""
        return plan_warnings(self.plans) + content_warnings(self.content, self.root, self._planned_coverage())

    def coverage_analysis(self) -> Coverage:
        """``coverage(content)``: the matrix plan's when the matrix was planned (the same analysis
        of the same content; check and the warnings would otherwise work it out twice more)."""
        return self._planned_coverage() or coverage(self.content)

    def _planned_coverage(self) -> Coverage | None:
        planned = getattr(self.plans.get("matrix"), "coverage", None)
        return planned if isinstance(planned, Coverage) else None

    def add_warnings(self, warnings: list[Problem] | None = None) -> None:
        """Add ``warnings()`` (or those already made) to the report."""
        self.report.problems.extend(self.warnings() if warnings is None else warnings)


def plan_workspace(workspace: Workspace, options: PrintOptions, names: list[str] | None = None,
                   parallel: bool = False) -> Planned:
    """Load the content and plan every selected output (nothing drawn); a UserError with every
    problem any plan found, each once, when the build would stop. With ``parallel``, the deck
    is planned in a second process as ``build_plans`` says."""
    content, report = load(workspace)
    templates = Templates(workspace.templates_dir, report)
    names = selected_outputs(options.only) if names is None else names
    with shared_plans():
        if parallel:
            plans = build_plans(content, templates, options, names)
        else:
            plans = plan_outputs(content, templates, options, names)
    if problems := plan_problems(plans):
        raise UserError(problems)
    return Planned(content, templates, report, plans, workspace.root)


def _build(workspace: Workspace, options: PrintOptions, names: list[str], parallel: bool,
           again: bool = False) -> tuple[list[Path], Report]:
    planned = plan_workspace(workspace, options, names, parallel=parallel and not again)
    plans, report = planned.plans, planned.report
    remove_stale_temporaries(workspace.output_dir)
    staging = StagedOutputs(workspace.output_dir)
    aside = [name for name in names if name in ALONGSIDE] if parallel else []
    here = [name for name in names if name not in aside]
    child = None
    warnings: list[Problem] | None = None
    written: list[Path] = []
    try:
        fitmany.set_text(faces.remembered().values())  # before the fork, so the packet's process finds it set
        for plan in plans.values():  # likewise what planning left for drawing (made already, mostly)
            plan.ready()
        if aside and here and alongside.available() and not again:
            child = alongside.Alongside(lambda: _draw_each(plans, aside, staging), staging.staged, report.problems)
        else:
            here = names
        for name in here:
            _draw(name, plans[name], staging)
        if child:
            warnings = planned.warnings()  # while the second process draws: they need nothing it makes
            child.join()
        order = [file for name in names for file in OUTPUTS[name].files]
        written = sorted(staging.commit(), key=lambda path: order.index(path.name))  # as one after the other
        for name in names:  # e.g. the deck remembers its cards for --select changed
            report.problems.extend(OUTPUTS[name].committed(plans[name], workspace.root))
    except BaseException as exc:
        if child:
            child.join(keep_outcome=False)  # this process failed first: its error is the one to report
        _note_written(exc, written)
        raise
    finally:
        staging.discard()
    try:
        planned.add_warnings(warnings)
        for name in names:
            report.problems.extend(OUTPUTS[name].leftovers(plans[name], workspace.output_dir))
    except KeyboardInterrupt as exc:
        _note_written(exc, written)
        raise
    return written, report


def _note_written(exc: BaseException, written: list[Path]) -> None:
    """A Ctrl-C after the PDFs were moved into place carries them (``written``), so that the
    command does not say that nothing was written."""
    if written and isinstance(exc, KeyboardInterrupt):
        exc.written = written  # type: ignore[attr-defined]


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
        # faces drawn and page streams compressed by the last build taken again (a one-shot build)
        with drawstore.drawing(name), streamstore.compressing(name):
            OUTPUTS[name].draw(plan, {file: staging.path_for(file) for file in plan.files})


def _draw_each(plans: dict[str, Plan], names: list[str], staging: StagedOutputs) -> None:
    for name in names:
        _draw(name, plans[name], staging)
