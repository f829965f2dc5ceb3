"""final-prep.pdf: the one page read in the last twenty minutes before the interview.

Each section (header, timeline, numbers, principles, questions, reminders) is a Jinja
template under ``templates/sheet/`` that produces Markdown, in the order and selection
given by ``sheet.sections``. The page is a stack of full-width *bands* (the header; a
deep-dive's heading and its timeline bar) and *flows* (everything else) poured into
balanced columns. The body size and column count are searched together
(``layout.fit.best_layout``): the largest size that fits, never below ``FLOOR_PT``. When
nothing fits, the build fails *before* anything is written, naming how much of the page
each section needs, so the user knows what to cut.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from reportlab.lib.colors import Color
from reportlab.lib.units import inch

from ..coach.loop import sheet_rows
from ..content import headline
from ..content.load import where
from ..content.model import BankEntry, Content, Principle, Project, Story
from ..errors import UserError
from ..layout.columns import Band, Block, Flow, Unit, balance
from ..layout.columns import stack_height as page_stack_height
from ..layout.fit import Fit, LayoutFit, best_layout, size_grid
from ..layout.sizes import paper_size
from ..layout.timeline import Timeline, timeline
from ..options import Paper, PrintOptions, sheet_paper
from ..render import design, replay
from ..render.continued import continued
from ..render.markup import TextStyle, to_flowables
from ..render.pdf import Meta, draw_stack, gap_between, new_canvas, stack_height
from ..render.reportlab_seam import Flowable
from ..render.templates import Templates
from ..render.timeline import TimelineBar
from . import fitstore, sheetstore
from .base import BaseOutput, Plan

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

FILES = ("final-prep.pdf",)
FLOOR_PT = design.SHEET_FLOOR  # smaller is not reliably readable on a printed page
CEILING_PT = design.SHEET_CEILING  # larger looks like a poster, not a brief
STEP_PT = design.SHEET_STEP  # the body sizes of the sheet's scale
COLUMN_COUNTS = (2, 3)  # fewer first: at equal sizes longer lines read better
MARGIN = 0.45 * inch
GUTTER = 0.22 * inch
HEADER_SCALE = design.SHEET_HEADER_SCALE  # the header's title against the body size
HEADING_SCALE = design.SHEET_BAR_SCALE  # section headings (reversed-out bars) against the body size
RULE_GREY = Color(0.55, 0.55, 0.55)

# Where a timeline template wants the bar: a line of its own, replaced by the drawing.
BAR_MARK = "%%TIMELINE-BAR%%"


# ---------------------------------------------------------------- views: what the templates see

@dataclass(frozen=True)
class PhaseRow:
    """A phase as the sheet lists it: its place on the clock as well as its words."""

    number: int
    title: str
    minutes: str | None  # as planned: "2" or "2-3"
    start: float  # minutes from the start of the deep-dive (upper ends of earlier phases)
    by: str | None  # the minute by which it should be done ("6"), counting upper ends; None if untimed
    triggers: list[str]
    summary: str | None
    verify: str | None = None  # the phase's "check before you say it" note


@dataclass(frozen=True)
class TimelineView:
    """One deep-dive project's pacing: phases in order, against its slot."""

    project: Project
    title: str
    label: str | None
    slot: int | None
    phases: list[PhaseRow]
    planned: str  # "28-30" or "30"
    over: float  # minutes past the slot (upper ends), 0 when it fits
    spare: float
    geometry: Timeline


@dataclass(frozen=True)
class IndexRow:
    """One principle and the story to tell for it, if any."""

    principle: Principle
    name: str
    short: str
    story: Story | None
    match: Literal["primary", "secondary"] | None


@dataclass(frozen=True)
class NumbersGroup:
    project: Project
    numbers: list[str]


def fmt_minutes(value: float) -> str:
    return f"{value:g}"


def timeline_view(content: Content, project: Project) -> TimelineView:
    """The pacing of one project: phases sorted by number, laid end to end."""
    phases = sorted(project.phases, key=lambda p: p.number)
    slot = content.project_minutes(project)
    geometry = timeline([(p.number, p.minutes.low if p.minutes else None, p.minutes.high if p.minutes else None)
                         for p in phases], slot)
    ends = {s.number: (s.start, s.end) for s in geometry.segments}
    rows = []
    for phase in phases:
        start, end = ends.get(phase.number, (None, None))
        rows.append(PhaseRow(phase.number, phase.title, str(phase.minutes) if phase.minutes else None,
                             start if start is not None else 0.0, fmt_minutes(end) if end is not None else None,
                             list(phase.triggers), phase.summary, phase.verify))
    low, high = geometry.planned_low, geometry.planned_high
    planned = fmt_minutes(high) if low == high else f"{fmt_minutes(low)}-{fmt_minutes(high)}"
    return TimelineView(project, project.title, project.label, slot, rows, planned, geometry.over, geometry.spare,
                        geometry)


def best_story(principle: str, stories: Sequence[Story], bank: Sequence[BankEntry] = ()
               ) -> tuple[Story | None, Literal["primary", "secondary"] | None]:
    """The story to tell for ``principle``: pinned, then the notes' tags over guesses, primary
    over secondary, strength, bank links, content order (``content.headline`` has the rules)."""
    chosen = headline.pick(principle, stories, bank)
    return chosen.story, chosen.match


def principle_index(content: Content) -> list[IndexRow]:
    rows = []
    for principle in content.principles.principles:
        story, match = best_story(principle.name, content.stories, content.question_bank)
        rows.append(IndexRow(principle, principle.name, principle.short or principle.name, story, match))
    return rows


def when_text(content: Content) -> str:
    """'Thu 9 Oct 2025 · 13:00 PDT' from whatever parts the interview gives."""
    interview = content.interview
    if interview is None:
        return ""
    parts = []
    if interview.date:
        d = interview.date
        parts.append(f"{d:%a} {d.day} {d:%b %Y}")
    clock = " ".join(x for x in (interview.time, interview.timezone) if x)
    if clock:
        parts.append(clock)
    return " · ".join(parts)


def template_context(content: Content, loop_lines: bool = True) -> dict:
    """The names every sheet template may use (documented in docs/readme/sheet.md)."""
    from ..practice.feedback import MARK, least_rehearsed  # practice: sheet_marks

    index = principle_index(content)
    return dict(
        interview=content.interview,
        when=when_text(content),
        projects=content.projects,
        timelines=[timeline_view(content, p) for p in content.projects if p.phases],
        numbers=[NumbersGroup(p, list(p.numbers)) for p in content.projects if p.numbers],
        index=index,
        gaps=[row.name for row in index if row.story is None],
        stories=content.stories,
        questions=list(content.questions_to_ask),
        reminders=list(content.reminders),
        rehearse=least_rehearsed(content, {row.story.id for row in index if row.story}), rehearse_mark=MARK,
        loop_rows=sheet_rows(content) if loop_lines else [],  # the loop plan, a row per interviewer
    )


# ---------------------------------------------------------------- sections as Markdown parts

@dataclass(frozen=True)
class Part:
    """A piece of a section: full-width text, the timeline bar, or text for the columns."""

    kind: Literal["band", "bar", "flow"]
    markdown: str = ""
    timeline: Timeline | None = None


@dataclass(frozen=True)
class Section:
    name: str
    parts: tuple[Part, ...]


def render_sections(content: Content, templates: Templates, loop_lines: bool = True) -> list[Section]:
    """Every switched-on section rendered to Markdown, in the content's order; empty ones dropped
    (``loop_lines=False``: without the loop's line per interviewer, for a sheet too full for them)."""
    context = template_context(content, loop_lines)
    sections = []
    for name in content.sheet.sections:
        template = f"sheet/{name}.md.j2"
        parts: list[Part] = []
        if name == "header":
            text = templates.render(template, **context)
            if text.strip():
                parts.append(Part("band", text))
        elif name == "timeline":
            for view in context["timelines"]:
                text = templates.render(template, **context, timeline=view, bar=BAR_MARK)
                parts.extend(split_at_bar(text, view.geometry))
        else:
            text = templates.render(template, **context)
            if text.strip():
                parts.append(Part("flow", text))
        if parts:
            sections.append(Section(name, tuple(parts)))
    return sections


def split_at_bar(text: str, geometry: Timeline) -> list[Part]:
    """A timeline section: text above the bar spans the page, the bar too, the rest flows.

    Without the bar mark (a template that leaves ``{{ bar }}`` out) all of it flows.
    """
    pieces = re.split(re.escape(BAR_MARK), text, maxsplit=1)
    if len(pieces) == 1:
        return [Part("flow", text)] if text.strip() else []
    before, after = (re.sub(re.escape(BAR_MARK), "", p) for p in pieces)
    parts = []
    if before.strip():
        parts.append(Part("band", before))
    parts.append(Part("bar", timeline=geometry))
    if after.strip():
        parts.append(Part("flow", after))
    return parts


# ---------------------------------------------------------------- flowables and blocks at one size

@dataclass
class BuiltBlock:
    """A block with its flowables: a band's chunks (one per section) or a flow's units."""

    kind: Literal["band", "flow"]
    chunks: list[tuple[str, list[Flowable]]] = field(default_factory=list)  # (section, flowables)
    units: list[Unit] = field(default_factory=list)
    leads: list[list[Flowable]] = field(default_factory=list)  # per unit: its heading "(cont.)", or []

    def geometry(self, width: float) -> Block:
        if self.kind == "band":
            return Band(stack_height([f for _, fl in self.chunks for f in fl], width))
        return Flow(tuple(self.units))


@dataclass
class Built:
    """The page at one (columns, size): blocks for the geometry, flowables for drawing."""

    columns: int
    size: float
    width: float
    column_width: float
    blocks: list[BuiltBlock]

    @property
    def block_gap(self) -> float:
        return self.size * 0.8

    def geometry(self) -> list[Block]:
        return [b.geometry(self.width) for b in self.blocks]

    def height(self) -> float:
        return page_stack_height(self.geometry(), self.columns, self.block_gap)


def glue_units(flowables: list[Flowable]) -> list[list[Flowable]]:
    """Flowables grouped into what a column break may not split.

    A heading (keepWithNext) never ends a column without at least ``KEEP_WITH_ITEMS`` of
    its items, so no column opens with an item whose heading is in the column before; and
    a section's last item never starts a column on its own: a lone line at the top of the
    next column reads as part of whatever stands above it.
    """
    units: list[list[Flowable]] = []
    glued = 0  # how many more flowables join the unit that holds the last heading
    for flowable in flowables:
        if glued and units:
            units[-1].append(flowable)
        else:
            units.append([flowable])
        glued = design.KEEP_WITH_ITEMS if flowable.getKeepWithNext() else max(glued - 1, 0)
    if len(units) >= 2:
        units[-2:] = [units[-2] + units[-1]]
    return units


def build_blocks(sections: Sequence[Section], columns: int, size: float, width: float) -> Built:
    """Turn the sections' Markdown into blocks of flowables set at ``size`` in ``columns``."""
    column_width = (width - GUTTER * (columns - 1)) / columns
    header_style = TextStyle(size, heading_scale=HEADER_SCALE)
    body_style = TextStyle(size, heading_scale=HEADING_SCALE, subheading_scale=design.SHEET_SUBHEADING_SCALE,
                           section_bars=True)
    section_gap = size * 1.1
    blocks: list[BuiltBlock] = []
    built = Built(columns, size, width, column_width, blocks)
    for section in sections:
        style = header_style if section.name == "header" else body_style
        for part in section.parts:
            if part.kind in ("band", "bar"):
                flowables = (to_flowables(part.markdown, style) if part.kind == "band"
                             else [TimelineBar(part.timeline, size, FLOOR_PT)])  # type: ignore[arg-type]
                if not blocks or blocks[-1].kind != "band" or blocks[-1].chunks[-1][0] != section.name:
                    blocks.append(BuiltBlock("band"))  # each section's band stands apart from the last
                blocks[-1].chunks.append((section.name, flowables))
                continue
            if not blocks or blocks[-1].kind != "flow":
                blocks.append(BuiltBlock("flow"))
            block = blocks[-1]
            previous: Flowable | None = None
            heading: Flowable | None = None  # the last heading of this part, repeated if a column opens under it
            for unit_flowables in glue_units(to_flowables(part.markdown, style)):
                if previous is None:  # a part opens a section (or follows its bar): set it apart
                    gap = section_gap if block.units else 0.0
                else:
                    gap = gap_between(previous, unit_flowables[0])
                lead: list[Flowable] = []
                if unit_flowables[0].getKeepWithNext():
                    heading = [f for f in unit_flowables if f.getKeepWithNext()][-1]
                elif heading is not None:
                    lead = continued(heading, style)
                lead_h = stack_height(lead, column_width) + gap_between(lead[-1], unit_flowables[0]) if lead else 0.0
                block.units.append(Unit(stack_height(unit_flowables, column_width), gap, lead_h))
                block.chunks.append((section.name, unit_flowables))
                block.leads.append(lead)
                previous = unit_flowables[-1]
    return built


# ---------------------------------------------------------------- fitting and drawing

@dataclass(frozen=True)
class SheetPlan:
    """The chosen layout, and what it needs: for the build, for error messages, for tests.

    The page set at the chosen layout (``built``) is made when first asked for: a layout kept
    in the cache folder (``outputs.sheetstore``) comes with its height and each section's
    share of the page, which is all ``check`` says about the sheet, so ``check`` sets no
    text for it (that was a third of its work: 55 ms of 160, markdown-it-py's import in it)."""

    choice: LayoutFit
    page: tuple[float, float]
    body: tuple[float, float]  # width, height inside the margins
    sections: tuple[Section, ...] = field(repr=False)
    kept_shares: tuple[tuple[str, float], ...] | None = None  # section_shares, as kept with the layout
    made: Built | None = field(default=None, compare=False, repr=False)  # the page, when the search set it

    @cached_property
    def built(self) -> Built:
        if self.made is not None:
            return self.made
        return build_blocks(self.sections, self.choice.columns, self.size, self.body[0])

    @property
    def size(self) -> float:
        """The body size the page is set at (the floor when nothing fits)."""
        return self.choice.fit.size if self.choice.fit.size is not None else FLOOR_PT

    @property
    def fits(self) -> bool:
        return self.choice.fit.fits

    @property
    def fill(self) -> float:
        """Share of the body height used (1.0 = to the bottom margin)."""
        return self.choice.fit.needed / self.body[1]


_SEARCHED: dict[tuple, SheetPlan] = {}  # watch: the last rebuilds' searches, by their sections and paper
_LAST_FITS: dict[str, dict[int, Fit]] = {}  # watch: each column count's answer in the last search, by paper
SEARCHED_KEPT = 4


def plan_sheet(sections: Sequence[Section], paper: Paper = "letter") -> SheetPlan:
    """Search columns x sizes for the largest body size at which the page holds everything.

    The choice is kept in the user's cache folder (``outputs.sheetstore``) with its height and
    the sections' shares: when the same sheet was planned before, the plan is the stored one
    and its page is set at that choice only when drawn (``SheetPlan.built``); otherwise, the search.

    In ``watch`` (``replay.remembering``) the search is not made again for sections and paper
    equal to a recent rebuild's: an edit that does not reach the sheet (most card text) then
    costs the sheet nothing but its drawing."""
    if not replay.remembering_now():
        return _search_sheet(sections, paper)
    key = (tuple(sections), paper)
    try:
        found = _SEARCHED.get(key)
    except TypeError:  # a section that cannot be compared by value: searched every time
        return _search_sheet(sections, paper)
    if found is None:  # the last search's answers for this paper are checked first (an edit moves them little)
        found = _search_sheet(sections, paper, _LAST_FITS.setdefault(paper, {}))
    _SEARCHED.pop(key, None)
    _SEARCHED[key] = found
    while len(_SEARCHED) > SEARCHED_KEPT:
        del _SEARCHED[next(iter(_SEARCHED))]
    return found


def _search_sheet(sections: Sequence[Section], paper: Paper, last_fits: dict[int, Fit] | None = None) -> SheetPlan:
    """The plan, from the store or the search; ``last_fits`` (``watch``): each column count's
    answer in the last search, checked first, then replaced by this search's."""
    page = paper_size(sheet_paper(paper))
    body_w, body_h = page[0] - 2 * MARGIN, page[1] - 2 * MARGIN
    cache: dict[tuple[int, float], Built] = {}

    def built_at(columns: int, size: float) -> Built:
        key = (columns, size)
        if key not in cache:
            cache[key] = build_blocks(sections, columns, size, body_w)
        return cache[key]

    store = sheetstore.store() if all(fitstore.storable(p.markdown) for s in sections for p in s.parts) else None
    key = sheetstore.entry_key(layout_key(sections, page)) if store is not None else ""
    stored = store.get(key, COLUMN_COUNTS, size_grid(FLOOR_PT, CEILING_PT, STEP_PT)) if store is not None else None
    if stored is not None:
        columns, fitting, needed, shares = stored
        if (needed <= body_h) == (fitting is not None):
            return SheetPlan(LayoutFit(columns, Fit(fitting, needed, body_h)), page, (body_w, body_h), tuple(sections),
                             tuple(shares))
    fits: dict[int, Fit] = {}
    choice = best_layout(lambda c, s: built_at(c, s).height(), body_h, COLUMN_COUNTS, FLOOR_PT, CEILING_PT, STEP_PT,
                         hints=dict(last_fits) if last_fits is not None else None, found=fits)
    if last_fits is not None:
        last_fits.clear()
        last_fits.update(fits)
    size = choice.fit.size if choice.fit.size is not None else FLOOR_PT
    plan = SheetPlan(choice, page, (body_w, body_h), tuple(sections), made=built_at(choice.columns, size))
    if store is not None:
        store.put(key, (choice.columns, choice.fit.size, choice.fit.needed, list(section_shares(plan).items())))
    return plan


def layout_key(sections: Sequence[Section], page: tuple[float, float]) -> str:
    """Everything the layout search reads besides the code and the fonts (``sheetstore``'s
    file key has those): the page, the search's grid, and each part as it is set."""
    parts = [(section.name, [(part.kind, part.markdown, repr(part.timeline)) for part in section.parts])
             for section in sections]
    return repr((page, MARGIN, GUTTER, COLUMN_COUNTS, FLOOR_PT, CEILING_PT, STEP_PT, HEADER_SCALE, HEADING_SCALE,
                 design.SHEET_SUBHEADING_SCALE, design.KEEP_WITH_ITEMS, parts))


def section_shares(plan: SheetPlan) -> dict[str, float]:
    """How much of the page each section takes at the plan's size (1.0 = a whole page).

    A band's share is its height over the page's; a flow unit's is its height over all
    the columns' height together, so the shares add up to roughly the page fill.
    """
    if plan.kept_shares is not None:
        return dict(plan.kept_shares)
    built, body_h = plan.built, plan.body[1]
    shares: dict[str, float] = {}
    for block in built.blocks:
        if block.kind == "band":
            for name, flowables in block.chunks:
                shares[name] = shares.get(name, 0.0) + stack_height(flowables, built.width) / body_h
        else:
            for (name, _), unit in zip(block.chunks, block.units):
                shares[name] = shares.get(name, 0.0) + (unit.height + unit.gap_before) / (built.columns * body_h)
    return shares


def section_source(content: Content, name: str) -> tuple[str | None, int | None]:
    """Where a sheet section's text comes from, so the overflow message points at a file."""
    sources: dict[str, list] = {
        "header": [content.interview],
        "timeline": [p for p in content.projects if p.phases],
        "numbers": [p for p in content.projects if p.numbers],
        "principles": content.stories,
        "questions": content.questions_to_ask,
        "reminders": content.reminders,
    }
    found = [obj for obj in sources.get(name, []) if obj is not None]
    return where(found[0]) if found else (None, None)


def overflow_error(plan: SheetPlan, content: Content) -> UserError:
    """The page does not fit even at the floor: say what each section needs, pointing at the
    file of the largest section (the first place to cut)."""
    shares = section_shares(plan)
    largest = max(shares, key=lambda name: shares[name]) if shares else ""
    file, line = section_source(content, largest)
    total = plan.fill
    listing = ", ".join(f"{name} {share * 100:.0f}%" for name, share in shares.items())
    slack = total - sum(shares.values())
    if slack >= 0.005:
        listing += f", spacing and column breaks {slack * 100:.0f}%"
    return UserError(
        f"final-prep.pdf does not fit on one page even at {FLOOR_PT:g} pt in {plan.choice.columns} columns; "
        f"the sections need: {listing} — total {total * 100:.0f}% of the page",
        file=file, line=line,
        hint=f"shorten the largest sections ({largest} first), or switch sections off by listing only the ones "
             "you want under 'sheet: sections:' in content/",
    )


def draw_sheet(canvas: Canvas, plan: SheetPlan) -> None:
    """Draw the planned page: bands full width, flows in balanced columns with thin rules."""
    built = plan.built
    x0 = MARGIN
    y = plan.page[1] - MARGIN
    first = True
    for block, geometry in zip(built.blocks, built.geometry()):
        height = geometry.height if isinstance(geometry, Band) else balance(geometry.units, built.columns).height
        if height <= 0:
            continue
        if not first:
            y -= built.block_gap
        first = False
        if block.kind == "band":
            draw_stack(canvas, [f for _, fl in block.chunks for f in fl], x0, y, built.width)
        else:
            _draw_flow(canvas, block, x0, y, built)
        y -= height


def _draw_flow(canvas: Canvas, block: BuiltBlock, x0: float, top: float, built: Built) -> None:
    columns = balance(block.units, built.columns)
    bounds = list(columns.starts) + [len(block.units)]
    for c in range(len(columns.starts)):
        x = x0 + c * (built.column_width + GUTTER)
        y = top
        for i in range(bounds[c], bounds[c + 1]):
            if i > bounds[c]:
                y -= block.units[i].gap_before
            elif block.leads[i]:  # the column opens under a heading of the column before: repeat it
                y = draw_stack(canvas, block.leads[i], x, y, built.column_width)
                y -= gap_between(block.leads[i][-1], block.chunks[i][1][0])
            y = draw_stack(canvas, block.chunks[i][1], x, y, built.column_width)
        if c > 0:
            canvas.saveState()
            canvas.setStrokeColor(RULE_GREY)
            canvas.setLineWidth(0.4)
            rule_x = x - GUTTER / 2
            canvas.line(rule_x, top, rule_x, top - columns.height)
            canvas.restoreState()


def meta_for(content: Content) -> Meta:
    interview = content.interview
    title = f"Final prep — {interview.headline()}" if interview else "Final prep"
    return Meta(title=title, author=(interview.candidate or "") if interview else "",
                subject="One-page interview brief", keywords=("interview", "final prep"))


@dataclass(kw_only=True)
class SheetOutputPlan(Plan):
    """final-prep.pdf planned: the chosen layout (``SheetPlan``) and the document's metadata."""

    layout: SheetPlan
    meta: Meta

    def ready(self) -> None:
        self.layout.built  # noqa: B018 - the page set at the kept layout (``SheetPlan.built``)


def plan_final_prep(content: Content, templates: Templates, options: PrintOptions) -> SheetOutputPlan:
    sections = render_sections(content, templates)
    layout = plan_sheet(sections, options.paper)
    plan = SheetOutputPlan(layout=layout, meta=meta_for(content))
    if options.paper == "stock":
        plan.warn(None, None, "final-prep.pdf: --paper stock sizes the cards only; the sheet is on Letter",
                  "pass --paper a4 for an A4 sheet")
    if not layout.fits and sheet_rows(content):  # the loop's lines are a convenience: loop.pdf has the plan
        without = plan_sheet(render_sections(content, templates, loop_lines=False), options.paper)
        if without.fits:
            layout = plan.layout = without
            plan.warn(None, None, "final-prep.pdf has no room for the loop's line per interviewer; the plan "
                                  "is in loop.pdf", "shorten the sheet's longest sections to bring the lines back")
    if not layout.fits:
        plan.refuse(overflow_error(layout, content))
    else:
        warn_when_small(plan, layout)
        plan.files = FILES
    return plan


def draw_final_prep(plan: SheetOutputPlan, path: Path) -> None:
    canvas = new_canvas(str(path), plan.layout.page, plan.meta)
    draw_sheet(canvas, plan.layout)
    canvas.showPage()
    canvas.save()


def warn_when_small(plan: Plan, layout: SheetPlan) -> None:
    """The sheet fits, but below 8 pt: say at what size, and which sections are the longest
    (the first places to cut for a more readable page)."""
    size = layout.size
    if size >= design.SHEET_WARN_BELOW:
        return
    shares = sorted(section_shares(layout).items(), key=lambda kv: -kv[1])
    longest = ", ".join(f"{name} {share * 100:.0f}%" for name, share in shares[:3])
    plan.warn(None, None, f"final-prep.pdf is set at {size:g} pt, below {design.SHEET_WARN_BELOW:g} pt; "
                          f"the longest sections take: {longest} of the page",
              hint="shorten those sections, or switch one off under 'sheet: sections:' in content/")


class SheetOutput(BaseOutput):
    """final-prep.pdf, in the Output shape (``outputs.base``)."""

    name = "sheet"
    files: tuple[str, ...] = FILES

    def plan(self, content: Content, templates: Templates, options: PrintOptions) -> SheetOutputPlan:
        return plan_final_prep(content, templates, options)

    def draw(self, plan: SheetOutputPlan, paths: Mapping[str, Path]) -> None:
        draw_final_prep(plan, paths["final-prep.pdf"])


SHEET = SheetOutput()
