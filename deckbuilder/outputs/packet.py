"""packet.pdf: everything in one bookmarked file, in reading order, to email to a coach.

Cover with a linked table of contents, the final-prep sheet, the matrix page, the loop plan
(when interviewers list principles), every card with its front and back side by side (grouped
by card set), and the full stories. One reportlab canvas draws it all: the sheet, matrix and
loop pages are drawn by their own modules' drawing functions (not merged from their PDFs), so
every font is embedded once, subset, and the file stays small, selectable and byte-identical
from build to build.

Everything is planned before anything is drawn, so the cover knows every page number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..content.model import Content
from ..layout.contents import Entry, Placed, place_contents
from ..layout.impose import Rect
from ..layout.reading import group_pages, reading_grid, stacked_grid
from ..layout.sizes import paper_size
from ..options import PrintOptions
from ..render import fonts, rendered, replay
from ..render.keeplines import KeepLines
from ..render.markup import TextStyle, to_flowables
from ..render.paginate import Anchor, paginate
from ..render.pdf import Meta, draw_stack, new_canvas
from ..render.reportlab_seam import Flowable, HRFlowable
from ..render.templates import Templates
from . import drawstore, loop, matrix, sheet
from .base import BaseOutput, Plan, plan_of
from .deck import DECK, DeckPlan, Printed, deck_label
from .faces import FaceStyle, SetFace, draw_face, drawn_as

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

FILES = ("packet.pdf",)
MARGIN = 18 * mm
CARD_PAGE_MARGIN = 8 * mm  # card pages are pictures of cards: a narrow margin fits two 3x5 cards at full size
BODY_PT = 10.0
FOOTER_PT = 7.5
CONTENTS_LINK = "↑ Contents"
GREY = HexColor("#555555")
BORDER = HexColor("#9a9a9a")
SET_TITLES = {"phases": "Deep-dive phases", "extras": "Backup cards", "stories": "Story cards",
              "questions": "Question-bank cards"}


@dataclass
class PlannedPage:
    """One page of the packet: its size, how to draw it, and the bookmarks that start on it."""

    size: tuple[float, float]
    draw: Callable[[Canvas], None]
    outline: list[tuple[str, str, int]] = field(default_factory=list)  # (key, title, level)
    footer: bool = True
    anchored: list[tuple[str, str, int]] = field(default_factory=list)  # bookmarks its flowables draw

    def contents(self) -> list[tuple[str, str, int]]:
        """Every bookmark that lands on this page, in order: for the table of contents."""
        return self.outline + self.anchored


@dataclass(kw_only=True)
class PacketPlan(Plan):
    """packet.pdf planned: the sheet's, the matrix's and the deck's plans it is made of, and
    its own pages. Those (the stories flowing over pages, the cover's table of contents)
    cannot fail, so they are laid out when first asked for, by ``draw``: ``check`` learns
    every problem the packet can have from its parts without paying for them."""

    content: Content
    templates: Templates
    page_size: tuple[float, float]
    sheet: sheet.SheetOutputPlan
    matrix: matrix.MatrixPlan
    deck: DeckPlan
    loop: loop.LoopOutputPlan | None = None  # the loop plan's page, when interviewers list principles
    meta: Meta | None = None
    _pages: list[PlannedPage] | None = None

    @property
    def pages(self) -> list[PlannedPage]:
        if self._pages is None:
            self._pages = packet_pages(self)
        return self._pages

    def ready(self) -> None:
        self.sheet.ready()  # the pages themselves are laid out where the packet is drawn


def card_options(options: PrintOptions) -> PrintOptions:
    """The options the packet's cards are set with: its own paper, no back offset (the packet
    shows each face; it never imposes them on a sheet, so only the face size matters)."""
    return replace(options, paper=options.sheet_paper, back_offset=(0.0, 0.0))


def plan_packet(content: Content, templates: Templates, options: PrintOptions) -> PacketPlan:
    """The packet composed of the sheet's, the matrix's and the deck's own plans, then the stories.

    The cards are the deck's plan for ``card_options``.
    """
    sheet_plan = plan_of(sheet.SHEET, content, templates, options)
    matrix_plan = plan_of(matrix.MATRIX, content, templates, options)
    deck_plan = plan_of(DECK, content, templates, card_options(options))
    assert isinstance(sheet_plan, sheet.SheetOutputPlan) and isinstance(matrix_plan, matrix.MatrixPlan)
    assert isinstance(deck_plan, DeckPlan)
    loop_plan = plan_of(loop.LOOP, content, templates, options)
    assert isinstance(loop_plan, loop.LoopOutputPlan)
    plan = PacketPlan(content=content, templates=templates, page_size=paper_size(options.sheet_paper),
                      sheet=sheet_plan, matrix=matrix_plan, deck=deck_plan,
                      loop=loop_plan if loop_plan.page is not None else None)
    plan.problems = [*sheet_plan.problems, *matrix_plan.problems, *deck_plan.face_problems, *loop_plan.problems]
    if not plan.problems:
        plan.meta = meta_for(content)
        plan.files = FILES
    return plan


def packet_pages(plan: PacketPlan) -> list[PlannedPage]:
    """Every page of the packet in order, the cover first with the page numbers of the rest."""
    content, templates, portrait = plan.content, plan.templates, plan.page_size
    pages: list[PlannedPage] = []
    layout = plan.sheet.layout
    pages.append(PlannedPage(layout.page, lambda c: sheet.draw_sheet(c, layout), [("sheet", "Final-prep sheet", 0)],
                             footer=False))
    matrix_plan = plan.matrix
    pages.append(PlannedPage(matrix_plan.page, lambda c: matrix.draw_page(c, matrix_plan),
                             [("matrix", "Principle matrix", 0)], footer=False))
    if plan.loop is not None and (loop_page := plan.loop.page) is not None:  # which story to tell to whom
        pages.append(PlannedPage(loop_page.size, lambda c: loop.draw_loop(c, loop_page), [("loop", "Loop plan", 0)],
                                 footer=False))

    printed: list[Printed] = plan.deck.printed or []
    if printed:
        assert plan.deck.style is not None
        pages += card_pages(printed, plan.deck.style, deck_label(content), landscape(portrait))

    if content.stories:
        pages += story_pages(content, templates, portrait)

    counts = dict(phases=sum(len(p.phases) for p in content.projects), stories=len(content.stories),
                  questions=sum(len(e.questions) for e in content.question_bank), cards=len(printed))
    cover_markdown = templates.render("packet/cover.md.j2", interview=content.interview,
                                      when=sheet.when_text(content), deck_label=deck_label(content),
                                      counts=counts)
    entries = [Entry(key, title, number, level)  # +2: the cover comes first, and pages count from 1
               for number, page in enumerate(pages, start=2) for key, title, level in page.contents()]
    pages.insert(0, PlannedPage(portrait, lambda c: draw_cover(c, portrait, cover_markdown, entries),
                                [("cover", "Cover and contents", 0)]))
    return pages


def draw_packet(plan: PacketPlan, path: Path) -> None:
    assert plan.meta is not None
    canvas = new_canvas(str(path), plan.page_size, plan.meta)
    canvas.showOutline()  # open with the bookmarks panel
    pages = plan.pages
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        canvas.setPageSize(page.size)
        for key, title, level in page.outline:
            canvas.bookmarkPage(key)
            canvas.addOutlineEntry(title, key, level=level, closed=level > 0)
        page.draw(canvas)
        if page.footer:
            draw_footer(canvas, page.size, f"{number} / {total}", contents_link=number > 1)
        canvas.showPage()
    canvas.save()


class PacketOutput(BaseOutput):
    """packet.pdf, in the Output shape (``outputs.base``)."""

    name = "packet"
    files: tuple[str, ...] = FILES

    def plan(self, content: Content, templates: Templates, options: PrintOptions) -> PacketPlan:
        return plan_packet(content, templates, options)

    def draw(self, plan: PacketPlan, paths: Mapping[str, Path]) -> None:
        draw_packet(plan, paths["packet.pdf"])


PACKET = PacketOutput()


def meta_for(content: Content) -> Meta:
    interview = content.interview
    title = f"Interview prep packet — {interview.headline()}" if interview else "Interview prep packet"
    keywords = ["interview prep", content.principles.name]
    if interview:
        keywords[:0] = [interview.company] + ([interview.role] if interview.role else [])
    return Meta(title=title, author=(interview.candidate or "") if interview else "",
                subject="Deep-dive, stories, cue cards and principle coverage for a behavioural interview",
                keywords=tuple(keywords))


def draw_footer(canvas: Canvas, size: tuple[float, float], text: str, contents_link: bool) -> None:
    """Page number on the right; on every page after the cover, a link back to the contents
    on the left (on a phone, the way back is otherwise a long scroll)."""
    canvas.saveState()
    canvas.setFillColor(GREY)
    canvas.setFont(fonts.BODY, FOOTER_PT)
    canvas.drawRightString(size[0] - MARGIN, MARGIN / 2, text)
    if contents_link:
        canvas.drawString(MARGIN, MARGIN / 2, CONTENTS_LINK)
        link_width = canvas.stringWidth(CONTENTS_LINK, fonts.BODY, FOOTER_PT)
        canvas.linkRect("", "cover", (MARGIN - 2, MARGIN / 2 - 3, MARGIN + link_width + 2, MARGIN / 2 + FOOTER_PT),
                        relative=0)
    canvas.restoreState()


# ---------------------------------------------------------------- cover

def draw_cover(canvas: Canvas, size: tuple[float, float], markdown: str, entries: list[Entry]) -> None:
    """The cover text, then the contents: each part, card group and story a link to its page."""
    width = size[0] - 2 * MARGIN
    y = draw_stack(canvas, to_flowables(markdown, TextStyle(13.0, heading_scale=1.7)), MARGIN,
                   size[1] - MARGIN, width)
    y -= 28
    canvas.setFont(fonts.BODY_BOLD, 13)
    canvas.drawString(MARGIN, y, "Contents")
    y -= 8
    for placed in place_contents(entries, MARGIN, y, width, y - MARGIN):
        draw_contents_line(canvas, placed)


def draw_contents_line(canvas: Canvas, placed: Placed) -> None:
    """Title, dotted leader, page number, and the whole line a link (a note: just its text)."""
    entry, size = placed.entry, placed.size
    if not entry.key:
        canvas.setFont(fonts.BODY_ITALIC, size)
        canvas.drawString(placed.x, placed.y, entry.title)
        return
    number = str(entry.page)
    number_width = canvas.stringWidth(number, fonts.BODY, size)
    title = shorten(entry.title, fonts.BODY, size, placed.width - number_width - 12)
    title_width = canvas.stringWidth(title, fonts.BODY, size)
    canvas.setFont(fonts.BODY, size)
    canvas.drawString(placed.x, placed.y, title)
    canvas.drawRightString(placed.x + placed.width, placed.y, number)
    canvas.saveState()
    canvas.setStrokeColor(BORDER)
    canvas.setLineWidth(0.4)
    canvas.setDash(1, 2)
    canvas.line(placed.x + title_width + 6, placed.y + 1, placed.x + placed.width - number_width - 6, placed.y + 1)
    canvas.restoreState()
    canvas.linkRect("", entry.key, (placed.x, placed.y - 0.33 * size, placed.x + placed.width, placed.y + size),
                    relative=0)


def shorten(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut at a word with an ellipsis so that it is at most ``width`` points wide."""
    if stringWidth(text, font, size) <= width:
        return text
    words = text.split()
    while words:
        candidate = " ".join(words).rstrip(",;:–—- ") + "…"
        if stringWidth(candidate, font, size) <= width:
            return candidate
        words.pop()
    return "…"


# ---------------------------------------------------------------- cards

def card_pages(printed: list[Printed], style: FaceStyle, label: str, size: tuple[float, float]) -> list[PlannedPage]:
    """Each card as a row, front left and back right, a few rows to a landscape page; cards too
    wide for that at full size (4x6, A6) go front above back on a portrait page instead."""
    grid = reading_grid(size[0], size[1], style.width, style.height, CARD_PAGE_MARGIN)
    if grid.scale < 1.0:
        portrait = (min(size), max(size))
        stacked = stacked_grid(portrait[0], portrait[1], style.width, style.height, CARD_PAGE_MARGIN)
        if stacked is not None:
            grid, size = stacked, portrait
    total = len(printed)
    pages: list[PlannedPage] = []
    seen: set[str] = set()
    for set_name, indices in group_pages([p.source.set for p in printed], grid.rows):
        title = SET_TITLES.get(set_name, set_name)
        outline = []
        if set_name not in seen:
            count = sum(1 for p in printed if p.source.set == set_name)
            outline.append((f"cards-{set_name}", f"{title} ({count})", 1))
            if not seen:
                outline.insert(0, ("cards", "Cards, front and back", 0))
            seen.add(set_name)
        heading = title if outline else f"{title} (continued)"

        def draw(canvas: Canvas, indices=indices, heading=heading) -> None:
            canvas.setFont(fonts.BODY_BOLD, 12)
            canvas.drawString(grid.fronts[0].x, size[1] - CARD_PAGE_MARGIN - 12, heading)
            canvas.setFont(fonts.BODY, 8)
            canvas.setFillColor(GREY)
            for rect, word in ((grid.fronts[0], "front"), (grid.backs[0], "back")):
                canvas.drawString(rect.x, rect.top + 4, word)
            canvas.setFillColor(HexColor("#000000"))
            placed = [(face, rect, style, f"{index + 1}/{total}") for row, index in enumerate(indices)
                      for rect, face in ((grid.fronts[row], printed[index].front),
                                         (grid.backs[row], printed[index].back))]

            def draw_faces() -> None:
                for face, rect, face_style, position in placed:
                    draw_scaled_face(canvas, rect, grid.scale, face, face_style, label, position)

            kept = drawstore.current()
            if kept is not None and not replay.active():  # a one-shot build: the page's faces replayed as one
                kept.draw_page(canvas, placed, label, draw_faces, variant=f"packet, scaled {grid.scale!r}")
            else:
                draw_faces()

        pages.append(PlannedPage(size, draw, outline))
    return pages


def draw_scaled_face(canvas: Canvas, rect: Rect, scale: float, face: SetFace, style: FaceStyle, label: str,
                     position: str) -> None:
    """A card face drawn at card size into ``rect`` scaled down, with a thin border (in
    ``watch``, replayed whole from the last rebuild where that writes the same bytes)."""
    if not replay.active():
        _draw_scaled_face(canvas, rect, scale, face, style, label, position)
        return
    replay.drawn(canvas, ("scaled", *drawn_as(face), rect, scale, style, label, position), (face.block, face.focal),
                 lambda: _draw_scaled_face(canvas, rect, scale, face, style, label, position))


def _draw_scaled_face(canvas: Canvas, rect: Rect, scale: float, face: SetFace, style: FaceStyle, label: str,
                      position: str) -> None:
    canvas.saveState()
    canvas.setStrokeColor(BORDER)
    canvas.setLineWidth(0.5)
    canvas.rect(rect.x, rect.y, rect.w, rect.h, stroke=1, fill=0)
    canvas.translate(rect.x, rect.y)
    canvas.scale(scale, scale)
    draw_face(canvas, Rect(0, 0, style.width, style.height), face, style, label, position)
    canvas.restoreState()


# ---------------------------------------------------------------- stories

_laid_out: tuple[Content, Templates, tuple[float, float], list[PlannedPage]] | None = None  # ``lay_out_stories``'s


def lay_out_stories(content: Content, templates: Templates, options: PrintOptions) -> None:
    """Lay out the stories as the packet will, for the packet drawn afterwards (in a process
    forked from this one) to take: ``build`` does it while the deck is planned. Before, the
    packet laid them out again from the set paragraphs (remembered per text and style): the
    pages (7-10 ms) and the texts' lookup, in the process every build waits for."""
    global _laid_out
    size = paper_size(options.sheet_paper)
    _laid_out = None
    _laid_out = (content, templates, size, story_pages(content, templates, size))


def story_pages(content: Content, templates: Templates, size: tuple[float, float]) -> list[PlannedPage]:
    """Every story in full, flowing over portrait pages, each bookmarked where it starts (those
    ``lay_out_stories`` laid out for this very content, templates and size, once)."""
    global _laid_out
    if _laid_out is not None and _laid_out[0] is content and _laid_out[1] is templates and _laid_out[2] == size:
        pages, _laid_out = _laid_out[3], None
        return pages
    return _story_pages(content, templates, size)


def _story_pages(content: Content, templates: Templates, size: tuple[float, float]) -> list[PlannedPage]:
    width, height = size[0] - 2 * MARGIN, size[1] - 2 * MARGIN
    flowables: list[Flowable] = [Anchor("stories", "Stories in full", 0)]
    total = len(content.stories)
    with rendered.kept(templates, "packet stories") as render:  # each story's text kept while the story is unchanged
        texts = [render("packet/story.md.j2", story=story, position=f"{n} of {total}")
                 for n, story in enumerate(content.stories, start=1)]
    for n, (story, markdown) in enumerate(zip(content.stories, texts), start=1):
        if n > 1:  # a rule between stories, before the anchor so the bookmark moves with the title
            flowables.append(HRFlowable(width="100%", thickness=0.5, color=BORDER, spaceBefore=4, spaceAfter=8))
        flowables.append(Anchor(f"story-{story.id}", story.title, 1))
        story_flowables = to_flowables(markdown, TextStyle(BODY_PT))
        for opening in story_flowables[:2]:  # the title and the line under it start a page together
            opening.keepWithNext = True
        flowables.append(KeepLines(story_flowables))  # splits with 3+ lines on each side of a page break
    pages = []
    for chunk in paginate(flowables, width, height):
        anchors = [(f.key, f.title, f.level) for f in chunk if isinstance(f, Anchor)]

        def draw(canvas: Canvas, chunk: list[Flowable] = chunk) -> None:
            draw_stack(canvas, chunk, MARGIN, size[1] - MARGIN, width, replaying=True)

        pages.append(PlannedPage(size, draw, anchored=anchors))
    return pages
