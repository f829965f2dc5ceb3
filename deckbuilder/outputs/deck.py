"""cards.pdf: the cue-card deck, one card per deep-dive phase, story and bank question.

Three steps, each in its own module: the cards are collected here (content + templates
-> Markdown per face), each face is set at the largest size that fits (``faces``; a large
deck's faces half in a second process, ``fitmany``), and
the cards are imposed on sheets (``layout.impose``, pure geometry) and drawn (``sheets``).
Fronts go on odd pages and the back of the same sheet on the page after it, so a duplex
printer puts every back behind its own front; ``--flip manual`` writes the fronts and the
backs as two files instead, for printers that cannot print both sides.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm

from ..coach.timing import clock, telling_seconds
from ..content.load import where
from ..content.model import Content, Item
from ..errors import Problem, UserError
from ..layout.fold import FoldSheet, fold_sheet
from ..layout.impose import MARGIN, Grid, Placement, impose, manual_back_order, positions, sheet_count
from ..layout.sizes import paper_size
from ..options import Card as CardSize
from ..options import CardFlip, PrintOptions
from ..render import rendered
from ..render.pdf import Meta
from ..render.templates import Templates
from . import deck_notes, fitstore
from .base import BaseOutput, Plan
from .faces import FaceStyle, Overflow, SetFace, face_style, fit_face, own_copy, split_face
from .fitmany import fit_many
from .foldsheets import write_fold_pages
from .selected import SELECTION, remember_deck, selected_faces
from .sheets import Page, offset_room, sheet_grid, write_pages

FILES = ("cards.pdf", "cards-fronts.pdf", "cards-backs.pdf",
         f"{SELECTION}.pdf", f"{SELECTION}-fronts.pdf", f"{SELECTION}-backs.pdf")


@dataclass(frozen=True)
class Card:
    """One card of the deck: its Markdown faces, a name for messages, and where each face comes from."""

    set: str
    name: str
    front: str
    back: str
    front_at: tuple[str | None, int | None] = (None, None)
    back_at: tuple[str | None, int | None] = (None, None)
    title: str = ""  # what the user calls the card (Markdown): shown on continuation cards' fronts
    tags: frozenset[str] = frozenset()  # what --select matches besides the set: ids, principle:NAME (casefolded)
    note: str = ""  # the back's footer note: a story's telling time


def _at(obj: Item, key: str | None = None) -> tuple[str | None, int | None]:
    """(file, line) of a content object or one of its keys; never fails (messages only)."""
    try:
        return where(obj, key) if key else where(obj)
    except (AttributeError, KeyError, TypeError, IndexError):  # a missing line mark must not hide the message
        return getattr(obj, "_file", None), getattr(obj, "_line", None)


def collect_cards(content: Content, templates: Templates) -> list[Card]:
    """The cards of every set the content asks for, in the content's order (their templates'
    texts kept from the last run where nothing they depend on changed: ``render.rendered``)."""
    with rendered.kept(templates, "cards") as render:
        return _collect_cards(content, render)


def _collect_cards(content: Content, render: rendered.Render) -> list[Card]:
    cards: list[Card] = []
    ctx: dict[str, Any]  # what each card's templates are given
    for card_set in content.deck.sets:
        if card_set == "phases":
            for project in content.projects:
                for phase in sorted(project.phases, key=lambda p: p.number):
                    ctx = dict(phase=phase, project=project, interview=content.interview)
                    cards.append(Card("phases", f"phase {phase.number} '{phase.title}' of {project.id}",
                                      render("cards/phase-front.md.j2", **ctx),
                                      render("cards/phase-back.md.j2", **ctx),
                                      _at(phase, "triggers"), _at(phase, "answer"),
                                      f"{phase.number}. {phase.title}", _tags(project.id)))
        elif card_set == "extras":
            for project in content.projects:
                for extra in project.extras:
                    ctx = dict(extra=extra, project=project)
                    cards.append(Card("extras", f"extra '{extra.title}' of {project.id}",
                                      render("cards/extra-front.md.j2", **ctx),
                                      render("cards/extra-back.md.j2", **ctx),
                                      _at(extra), _at(extra, "answer"), extra.title, _tags(project.id)))
        elif card_set == "stories":
            for story in content.stories:
                ctx = dict(story=story, principles=content.principle_names())
                cards.append(Card("stories", f"story '{story.id}'",
                                  render("cards/story-front.md.j2", **ctx),
                                  render("cards/story-back.md.j2", **ctx),
                                  _at(story), _at(story, "sections"), story.title,
                                  _tags(story.id, *story.primary, *story.secondary),
                                  f"≈ {clock(telling_seconds(story))}"))
        elif card_set == "questions":
            for entry in content.question_bank:
                for question in entry.questions:
                    stories = [s for s in (content.story(i) for i in question.stories) if s]
                    ctx = dict(question=question, entry=entry, stories=stories)
                    short = question.text if len(question.text) < 50 else question.text[:47] + "..."
                    cards.append(Card("questions", f"question '{short}'",
                                      render("cards/question-front.md.j2", **ctx),
                                      render("cards/question-back.md.j2", **ctx),
                                      _at(question), _at(question, "stories"), question.text,
                                      _tags(None, entry.principle)))
    return cards


def card_count(content: Content) -> int:
    """How many cards ``collect_cards`` makes (before any is split), without rendering one."""
    count = {"phases": sum(len(p.phases) for p in content.projects),
             "extras": sum(len(p.extras) for p in content.projects), "stories": len(content.stories),
             "questions": sum(len(e.questions) for e in content.question_bank)}
    return sum(count.get(card_set, 0) for card_set in content.deck.sets)


def _tags(ident: str | None, *principles: str) -> frozenset[str]:
    from ..selection import normal

    return frozenset(([normal(ident)] if ident else []) + [f"principle:{normal(p)}" for p in principles])


def deck_label(content: Content) -> str:
    if content.deck.label:
        return content.deck.label
    if content.interview:
        return content.interview.company
    return "deck"


@dataclass
class Printed:
    """A physical card: one front and one back. An over-long face split with --split
    makes several, the later ones marked "cont."."""

    source: Card
    front: SetFace
    back: SetFace


_HOW_FAR = {1: "the card before this one", 2: "the card two before this one", 3: "the card three before this one"}


def continuation_back(style: FaceStyle, cards_back: int = 1) -> SetFace:
    """The back of a continuation card whose front ran on but whose back had ended.

    ``cards_back`` is how many cards earlier the answer's last part is printed: a cue
    split over three cards with a one-card answer points from its third card two back,
    not to the card just before, whose back is itself only a pointer.
    """
    where = _HOW_FAR.get(cards_back, f"the card {cards_back} before this one")
    face = fit_face(f"*The answer is on the back of {where}.*", style, "back")
    assert isinstance(face, SetFace)  # one short line fits every card size deckbuilder accepts
    return face


CONT_FRONT_WORDS = 12  # a title longer than this is cut short on a continuation front that cannot hold it


def continuation_front(card: Card, style: FaceStyle, first: SetFace) -> SetFace:
    """The front of a continuation card whose own front has nothing left to show (its back
    ran onto more cards than its front): the card's title and "(cont.)", in plain text no
    larger than the card's first front (``first``) nor a back's reading size.

    Why not the cue again: in the pocket, the fronts are what you flip through looking for
    a cue, so a repeated cue is a second card answering to it, and the wrong one to pull:
    its back starts in the middle of the answer. Repeating the first part of a front that
    was itself split was worse still: a fragment of the cue that read like a cue of its own
    (the audit's card 14/291 repeating card 12's partial cue). A title marked "(cont.)",
    in plain text no larger than a back's nor than the cue it follows, is plainly not a
    cue, yet says which card it goes with; its footer's n/N and "cont." put it back in
    place if the deck is dropped. So every continuation front without text of its own
    shows this, whether or not the cue would have fitted again.
    """
    words = card.title.split()
    titles = [" ".join(words)]
    if len(words) > CONT_FRONT_WORDS:  # a long question as the title: its first words, if all do not fit
        titles.append(" ".join(words[:CONT_FRONT_WORDS]) + "\u2026")
    for title in titles + [""]:
        markdown = f"{_not_a_block(title)} *(cont.)*" if title else "*(cont.)*"
        face = fit_face(markdown, style, "front")
        if isinstance(face, SetFace):  # a front step no larger than the first front nor a back's reading size
            reading = max((s for s in style.scale.front if s <= style.scale.back[0]), default=style.floor)
            return SetFace("front", min(face.size, first.size, reading), face.block, cont=True)
    raise AssertionError("'(cont.)' fits every card size deckbuilder accepts")


def _not_a_block(text: str) -> str:
    """``text`` as one Markdown paragraph: "1. WHY" is not a list, "# 5" not a heading."""
    return re.sub(r"^(\d+)([.)])|^([-+*#>])", lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def set_cards(cards: list[Card], style: FaceStyle, split: bool, card_name: str,
              back_style: FaceStyle | None = None) -> list[Printed]:
    """Every card's faces set to fit, split onto following cards where --split allows.

    All faces that are too long are reported together, each naming its card, its side
    and how much it is over, so one run shows everything that needs shortening.
    ``back_style`` sets the backs when they have less room than the fronts (card stock
    with a back offset, see ``FaceStyle.moved_by``).
    """
    try:
        return _set_cards(cards, style, split, card_name, back_style)
    finally:
        fitstore.flush()  # what the size search decided, for the next process (only if it set a face)


def _set_cards(cards: list[Card], style: FaceStyle, split: bool, card_name: str,
               back_style: FaceStyle | None) -> list[Printed]:
    styles = {"front": style, "back": back_style or style}
    printed: list[Printed] = []
    problems: list[Problem] = []
    overflows: list[tuple[int, Card, str, Overflow]] = []
    ready = fit_many([(markdown, styles[side], side) for card in cards
                      for side, markdown in (("front", card.front), ("back", card.back))])  # two processes if many
    for index, card in enumerate(cards):
        sides: dict[str, list[SetFace]] = {}
        for side, markdown in (("front", card.front), ("back", card.back)):
            result = own_copy(ready[(markdown, styles[side], side)])
            if isinstance(result, SetFace):
                sides[side] = [result]
                continue
            parts = split_face(markdown, styles[side], side) if split else None
            if parts is None:
                overflows.append((index, card, side, result))
                sides[side] = []
            else:
                sides[side] = parts
        if not sides["front"] or not sides["back"]:
            continue
        count = max(len(sides["front"]), len(sides["back"]))
        for i in range(count):
            if i < len(sides["front"]):
                front = sides["front"][i]
            else:
                front = continuation_front(card, styles["front"], sides["front"][0])
            if i < len(sides["back"]):
                back = sides["back"][i]
            else:
                back = continuation_back(styles["back"], cards_back=i - len(sides["back"]) + 1)
            if i > 0:
                front.cont = back.cont = True
            elif card.note:
                back.note = card.note  # the first back only: where the answer starts
            printed.append(Printed(card, front, back))
    for index, card, side, over in overflows:
        file, line = card.front_at if side == "front" else card.back_at
        problems.append(Problem(file, line, overflow_message(over, card, side, f"{index + 1}/{len(cards)}",
                                                             card_name, style.floor),
                                hint=overflow_hint(over, split, styles[side] is not style)))
    if problems:
        raise UserError(problems)
    return printed


def overflow_message(over: Overflow, card: Card, side: str, position: str, card_name: str, floor: float) -> str:
    """Which face, of which card, and how much too long (or that it is too wide)."""
    what = f"the {side} of {card.name} (card {position})"
    if over.wide:
        return f"{what} is too wide for a {card_name} card: a table or a word does not fit across it"
    percent = max(1, round((over.ratio - 1) * 100))  # a face a hair too long is not "0% too long"
    return (f"{what} is {percent}% too long for a {card_name} card even at {floor:g} pt: "
            f"about {over.lines} line{'s' if over.lines != 1 else ''} too many")


def overflow_hint(over: Overflow, split: bool, offset_takes_room: bool = False) -> str:
    if over.wide:
        hint = "give the table fewer columns or shorter cells, or use a larger --card"
    elif split:
        hint = "a single block of it (a table?) is taller than a whole card: break it up or use a larger --card"
    else:
        hint = "shorten it, use a larger --card, or pass --split to continue it on a following card marked 'cont.'"
    if offset_takes_room:
        hint += "; on card stock the --back-offset also takes its own size off every back"
    return hint


@dataclass(kw_only=True)
class DeckPlan(Plan):
    """The deck set and imposed: every printed card's faces at their sizes, and where each
    card goes on which sheet. ``printed`` is None when a face does not fit (the problems
    say which); ``face_problems`` are those alone, for the packet, which shows the faces
    but never imposes them."""

    cards: list[Card]
    card: CardSize
    sets: list[str]
    sets_at: tuple[str | None, int | None] = (None, None)
    style: FaceStyle | None = None
    back_style: FaceStyle | None = None
    printed: list[Printed] | None = None
    face_problems: list[Problem] = field(default_factory=list)
    grid: Grid | None = None
    placements: list[Placement] = field(default_factory=list)
    sheets: int = 0
    label: str = "deck"
    meta: Meta | None = None
    stock: bool = False
    flip: CardFlip = "long"
    select: bool = False  # --select: only some cards, into cards-selection.pdf
    total: int = 0  # the deck's N (printed cards, continuations included)
    faces: list[tuple[SetFace, SetFace, str]] = field(default_factory=list)  # what is drawn, each with its n/N
    fold: FoldSheet | None = None  # --flip fold: the fold-over sheet (outputs/foldsheets.py)
    fold_placed: list[tuple[int, int]] = field(default_factory=list)  # each card's (sheet, slot) on it


def plan_deck(content: Content, templates: Templates, options: PrintOptions) -> DeckPlan:
    """Collect, fit and impose the deck; what would stop the build goes into the plan's problems."""
    cards = collect_cards(content, templates)
    plan = DeckPlan(cards=cards, card=options.card, sets=list(content.deck.sets), sets_at=_at(content.deck, "sets"),
                    stock=options.stock, flip=options.flip, select=bool(options.select))
    if not cards:
        return plan
    width, height = options.card.size
    stock = options.stock
    offset = (options.back_offset[0] * mm, options.back_offset[1] * mm)
    if options.flip == "fold":  # one-sided fold-over sheets (drawn by outputs/foldsheets.py)
        plan_fold(plan, content, options)
        return plan
    style = face_style(width, height, stock)
    back_style = style
    if stock and any(offset):  # the card is the page: keep the shifted backs inside the 6 mm margin
        back_style = style.moved_by(*offset)
    plan.style, plan.back_style = style, back_style
    try:
        printed = set_cards(cards, style, options.split, options.card.name, back_style)
    except UserError as exc:
        plan.face_problems = exc.problems
    else:
        plan.printed = printed
    try:
        grid = sheet_grid(options.paper, width, height, offset, options.card.name, options.flip)  # too big fails first
        warn_about_lost_slots(plan, options, grid, sheet_grid(options.paper, width, height, (0.0, 0.0),
                                                              options.card.name))
        if back_style is not style:
            refuse_offset_without_room(options, style, back_style)
    except UserError as exc:
        plan.refuse(exc)
        return plan
    if plan.printed is None:
        plan.problems.extend(plan.face_problems)
        return plan
    deck_notes.warn_smallest_step(plan, plan.printed, style, back_style)
    deck_notes.warn_unanswered(plan, content)
    if not select_faces(plan, content, options):
        return plan
    plan.grid = grid
    plan.placements = impose(len(plan.faces), grid, options.flip, options.order, offset)
    plan.sheets = sheet_count(len(plan.faces), grid.slots)
    base = SELECTION if options.select else "cards"
    plan.files = (f"{base}-fronts.pdf", f"{base}-backs.pdf") if options.flip == "manual" else (f"{base}.pdf",)
    return plan


def select_faces(plan: DeckPlan, content: Content, options: PrintOptions) -> bool:
    """The printed cards' faces with their deck labels (n/N), narrowed to --select's choice,
    and the deck's label and metadata; False when the selection leaves nothing to print."""
    assert plan.printed is not None
    plan.total = len(plan.printed)
    faces = [(p.front, p.back, f"{n}/{plan.total}") for n, p in enumerate(plan.printed, start=1)]
    plan.faces = selected_faces(plan, options, content, plan.cards, plan.printed, faces)  # --select
    plan.label = deck_label(content)
    interview = content.interview
    fold = " (fold-over)" if plan.flip == "fold" else ""
    plan.meta = Meta(title=f"{plan.label} cue cards{fold}", author=(interview.candidate or "") if interview else "",
                     subject=f"Interview cue cards{', fold-over' if fold else ''}", keywords=("interview", "cue cards"))
    return bool(plan.faces)


def draw_deck(plan: DeckPlan, paths: Mapping[str, Path]) -> None:
    """Draw the imposed deck into its file(s): duplex in one, fronts and backs for --flip manual,
    or fold-over sheets."""
    assert plan.meta is not None
    if plan.fold is not None:
        draw_fold(plan, paths)
        return
    assert plan.grid is not None
    sheets = plan.sheets
    assert plan.grid is not None and plan.style is not None and plan.meta is not None
    grid, style, meta = plan.grid, plan.style, plan.meta

    def write(name: str, pages: list[Page], duplex: str) -> None:
        write_pages(paths[name], pages, grid=grid, placements=plan.placements, faces=plan.faces, style=style,
                    back_style=plan.back_style, label=plan.label, meta=meta, cut_lines=not plan.stock,
                    duplex=duplex)

    base = plan.files[0].removesuffix(".pdf").removesuffix("-fronts")
    if plan.flip == "manual":
        write(f"{base}-fronts.pdf", [Page(s, "front") for s in range(sheets)], "Simplex")
        write(f"{base}-backs.pdf", [Page(s, "back") for s in manual_back_order(sheets)], "Simplex")
    else:
        pages = [Page(s, side) for s in range(sheets) for side in ("front", "back")]
        write(f"{base}.pdf", pages, "DuplexFlipLongEdge" if plan.flip == "long" else "DuplexFlipShortEdge")


def plan_fold(plan: DeckPlan, content: Content, options: PrintOptions) -> None:
    """--flip fold: each card's front and back side by side (or stacked) on one page side."""
    width, height = options.card.size
    try:
        if options.paper not in ("letter", "a4"):
            raise UserError(f"--flip fold needs plain paper, not {options.paper}",
                            hint="use --paper letter or a4 with --flip fold; perforated stock and card stock are "
                                 "printed on both sides (--flip long, short or manual)")
        try:
            sheet = fold_sheet(*paper_size(options.paper), width, height, MARGIN)
        except ValueError:
            raise UserError(f"a {options.card} card's front and back side by side do not fit on {options.paper} "
                            "paper inside the 6 mm margin", hint="choose a smaller --card for --flip fold "
                            "(see 'Fold-over' in the README for which sizes fit)") from None
        if any(options.back_offset):
            plan.warn(None, None, "the back offset is not used with --flip fold: folding puts each back "
                                  "behind its front", hint=None)
        plan.style = plan.back_style = face_style(width, height, False)
        plan.printed = set_cards(plan.cards, plan.style, options.split, options.card.name)
    except UserError as exc:
        plan.refuse(exc)
        return
    if not select_faces(plan, content, options):
        return
    plan.fold = sheet
    plan.fold_placed = positions(len(plan.faces), sheet.slots, "stack" if options.order == "stack" else "deck")
    plan.files = (f"{SELECTION if options.select else 'cards'}.pdf",)


def draw_fold(plan: DeckPlan, paths: Mapping[str, Path]) -> None:
    """Fold-over sheets: drawn by outputs/foldsheets.py."""
    assert plan.fold is not None and plan.style is not None and plan.meta is not None
    write_fold_pages(paths[plan.files[0]], plan.fold, plan.fold_placed, plan.faces, plan.style, plan.label,
                     plan.meta)


class DeckOutput(BaseOutput):
    """cards.pdf (or cards-fronts.pdf and cards-backs.pdf), in the Output shape (``outputs.base``)."""

    name = "cards"
    files: tuple[str, ...] = FILES

    def plan(self, content: Content, templates: Templates, options: PrintOptions) -> DeckPlan:
        return plan_deck(content, templates, options)

    def draw(self, plan: DeckPlan, paths: Mapping[str, Path]) -> None:
        draw_deck(plan, paths)

    def leftovers(self, plan: DeckPlan, output_dir: Path) -> list[Problem]:
        if not plan.cards:
            return warn_about_cards_not_rebuilt(plan, output_dir)
        if plan.select:
            return []  # a selection leaves the whole deck's files as they are, on purpose
        return warn_about_other_kind(plan, output_dir)

    def committed(self, plan: DeckPlan, root: Path) -> list[Problem]:
        """The whole deck is in place: remember its cards for --select changed."""
        if plan.files and not plan.select:
            return remember_deck(root, plan.cards, plan.total)
        return []


DECK = DeckOutput()


STOCK_OFFSET_MIN_ROOM = 0.75  # a shifted back on stock keeps at least this share of a face's text width and height


def refuse_offset_without_room(options: PrintOptions, style: FaceStyle, back_style: FaceStyle) -> None:
    """On stock the back offset comes off the backs' text area; refuse one that would take
    so much that the backs no longer read like the card the user chose."""
    (w, h), (bw, bh) = style.body, back_style.body
    if bw >= STOCK_OFFSET_MIN_ROOM * w and bh >= STOCK_OFFSET_MIN_ROOM * h:
        return
    x, y = options.back_offset
    raise UserError(f"--back-offset {x:g},{y:g} is too large for {options.card.name} card stock: on stock the card is "
                    f"the page, so the shifted backs would keep only {bw / mm:.0f} x {bh / mm:.0f} mm of the "
                    f"{w / mm:.0f} x {h / mm:.0f} mm text area inside the printer's 6 mm margin",
                    hint="check the calibration reading (printers are off by a few mm), or feed the stock so "
                         "that the printer places the back better")


def warn_about_lost_slots(plan: Plan, options: PrintOptions, grid: Grid, plain: Grid) -> None:
    """A back offset too large for the sheet's spare room costs cards per sheet: say so, and
    how large an offset would keep them (a reading that large is usually a misread scale)."""
    if grid.slots >= plain.slots:
        return
    x, y = options.back_offset
    room_x, room_y = offset_room(plain)
    plan.warn(None, None, f"--back-offset {x:g},{y:g} leaves room for {grid.slots} card"
                                f"{'s' if grid.slots != 1 else ''} per sheet instead of {plain.slots}: "
                                f"the backs would cross the 6 mm margin",
              hint=f"{plain.slots} cards per sheet allow a back offset of up to {room_x / mm:.1f} mm "
                         f"in X and {room_y / mm:.1f} mm in Y; check the calibration reading")


def warn_about_cards_not_rebuilt(plan: DeckPlan, output_dir: Path) -> list[Problem]:
    """No cards to build (``deck.sets`` is empty, or its sets have nothing in them): any
    cards PDF in output/ stays as it was and would pass for this build's, so say it is old.
    Without one there is nothing to say: an empty deck.sets is a choice, not a mistake."""
    stale = [name for name in FILES if (output_dir / name).is_file()]
    if not stale:
        return []
    sets = plan.sets
    why = "deck.sets is empty" if not sets else f"the card sets in deck.sets ({', '.join(sets)}) are all empty"
    file, line = plan.sets_at
    return [Problem(file, line, f"no cards to build ({why}); output/{' and output/'.join(stale)} "
                                f"{'is' if len(stale) == 1 else 'are'} left from an earlier build",
                    hint="delete the old file(s) so that nobody prints cards that are no longer in content/, "
                         "or list the card sets to print under deck.sets", severity="warning")]


def warn_about_other_kind(plan: DeckPlan, output_dir: Path) -> list[Problem]:
    """A duplex build leaves an older manual pair in output/ (and the other way round): say
    which files this build did not write, so nobody prints last week's cards."""
    manual = plan.flip == "manual"
    stale = [name for name in (("cards.pdf",) if manual else ("cards-fronts.pdf", "cards-backs.pdf"))
             if (output_dir / name).is_file()]
    if not stale:
        return []
    wrote = "cards-fronts.pdf and cards-backs.pdf" if manual else "cards.pdf"
    return [Problem(None, None, f"output/{' and output/'.join(stale)}: left from an earlier build; "
                                f"this one wrote {wrote}",
                    hint="delete the older file(s) so that only the current cards get printed", severity="warning")]
