"""What the other outputs need from imported content, beyond cards that fit.

``build`` also writes the one-page sheet (final-prep.pdf), which fails when its sections
need more than a page, and the principle matrix (matrix.pdf), which fails when it has
more story columns than a page holds. Both are measured here with the outputs' own
code, on the whole workspace as it will be:

- a sheet that would overflow gets a ``sheet: sections:`` selection without its largest
  sections, in a file of its own (``imported-sheet.yaml``), when the workspace has no
  ``sheet:`` yet; nothing is lost (the sections' text stays in content/, and the
  timeline's phases are on the cards). If the workspace chose its sections already, that
  choice is the user's, and the import only says what will not fit;
- a matrix that would not fit, and card sets left out by ``deck: sets``, are reported.

``build`` is all or nothing: when one output fails, it writes none. So whatever would stop
it (a matrix with more story columns than a page holds, a sheet still over a page, a card
face too long) is a ``BuildStop``: the import says plainly that the build will stop there,
what to do, and which outputs build meanwhile (``deckbuilder build DIR --only cards,sheet``).

Everything is measured by the outputs' own plans (``outputs.base``), the very ones the
build and ``check`` run, with the print options the workspace is built with (``options``;
the defaults of ``options.PrintOptions`` until a workspace can say otherwise).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..content.load import where
from ..content.model import Content, Item, SheetSettings
from ..options import DEFAULTS, PrintOptions
from ..render.templates import Templates

SHEET_FILE = "imported-sheet.yaml"


@dataclass(frozen=True)
class BuildStop:
    """Something that will make ``deckbuilder build`` stop (and write nothing)."""

    output: str  # "cards", "sheet" or "matrix": the output that fails
    problem: str  # what is wrong, with the numbers
    fix: str  # what to do about it
    details: tuple[str, ...] = ()  # lines that help with the fix (stories that look alike)


# The outputs a failed one takes down with it: the packet holds the sheet, the matrix and the cards.
CONTAINS = {"packet": ("cards", "sheet", "matrix")}


def buildable(stops: list[BuildStop]) -> list[str]:
    """The outputs that still build when ``stops`` fail (for ``--only``), in build order."""
    from ..outputs import NAMES

    failing = {stop.output for stop in stops}
    return [name for name in NAMES
            if name not in failing and not failing & set(CONTAINS.get(name, ()))]


@dataclass
class SheetFix:
    sections: list[str] | None = None  # the selection to write, when one is needed and allowed
    dropped: dict[str, float] = field(default_factory=dict)  # section -> share of the page it needed
    message: str | None = None  # what to tell the user
    stop: BuildStop | None = None  # the page is over even so: the build will stop at it


def fit_sheet(content: Content, templates: Templates, sheet_in: str | None,
              options: PrintOptions = DEFAULTS) -> SheetFix:
    """Switch off the largest sheet sections (never the header) until the page fits."""
    from ..outputs.sheet import SHEET, SheetPlan, section_shares  # only needed here

    def plan_sheet() -> SheetPlan:
        return SHEET.plan(content, templates, options).layout

    plan = plan_sheet()
    if plan.fits:
        return SheetFix()
    fix = SheetFix()
    selected = list(content.sheet.sections)
    if sheet_in:
        shares = section_shares(plan)
        listing = ", ".join(f"{name} {share * 100:.0f}%" for name, share in shares.items())
        fix.stop = BuildStop("sheet", f"final-prep.pdf will not fit on one page (sections need: {listing})",
                             f"{sheet_in} chooses the sheet's sections: switch some off there, or shorten them")
        return fix
    original = content.sheet
    try:
        while not plan.fits and len(selected) > 1:
            shares = section_shares(plan)
            candidates = {name: share for name, share in shares.items() if name != "header" and name in selected}
            if not candidates:
                break
            drop = max(candidates, key=lambda name: candidates[name])
            fix.dropped[drop] = candidates[drop]
            selected.remove(drop)
            content.sheet = SheetSettings(sections=selected)
            plan = plan_sheet()
    finally:
        content.sheet = original
    fix.sections = list(selected)
    dropped = ", ".join(f"{name} (needed {share * 100:.0f}% of the page)" for name, share in fix.dropped.items())
    fix.message = (f"final-prep.pdf: the notes hold more than one page, so content/{SHEET_FILE} switches off "
                   f"{dropped}; their text stays in content/. Shorten them and list them again under "
                   f"'sheet: sections:' to bring them back")
    if not plan.fits:
        shares = section_shares(plan)
        listing = ", ".join(f"{name} {share * 100:.0f}%" for name, share in shares.items())
        fix.stop = BuildStop("sheet", f"final-prep.pdf is over one page even with only {', '.join(selected)} "
                                      f"(they need: {listing})",
                             f"shorten those sections, or switch more off in content/{SHEET_FILE}")
    return fix


def matrix_stop(content: Content, new_files: set[str], options: PrintOptions = DEFAULTS,
                templates: Templates | None = None) -> BuildStop | None:
    """Why matrix.pdf would fail on the paper it is built on, or None; with how many of its
    columns were in the workspace before, what A4 would hold (when built on letter), and
    which imported stories look like stories the workspace has already."""
    from ..layout.matrix import MatrixTooLarge, layout_matrix
    from ..outputs.matrix import MATRIX, MatrixPlan, text_width

    paper = options.sheet_paper
    wider = "a4" if paper == "letter" else None  # A4 is wider than letter: the one way out on paper
    plans: dict[str, MatrixPlan] = {}
    fit: dict[str, int | None] = {}
    for name in (paper, wider):
        if name is None:
            continue
        plans[name] = plan = MATRIX.plan(content, templates, replace(options, paper=name))  # type: ignore[arg-type]
        if plan.ok:
            fit[name] = None
            continue
        try:  # how many columns do fit: the layout's own count
            layout_matrix(plan.text, plan.page, text_width)
            fit[name] = -1
        except MatrixTooLarge as over:
            fit[name] = over.columns_fit if over.columns > over.columns_fit else -1
    most = fit[paper]
    if most is None:
        return None
    text = plans[paper].text
    if most < 0:  # too many principle rows: the principle set's doing, not the stories'
        first = plans[paper].problems[0]
        return BuildStop("matrix", f"matrix.pdf: {first.message}", first.hint or "")
    columns = len(text.columns)
    new = [s for s in content.stories if _file_name(s) in new_files]
    old = [s for s in content.stories if _file_name(s) not in new_files]
    where = (f"{len(old)} already in the workspace + {len(new)} from this import" if old
             else f"all {columns} from this import")
    problem = (f"matrix.pdf: the principle matrix has one column per story, {columns} ({where}), "
               f"but at most {most} fit across a{'n' if paper == 'a4' else ''} {paper} page")
    fix = f"merge or drop at least {columns - most} stories (strength: marks the weaker ones)"
    if wider is not None:
        if fit[wider] is None:
            fix += ", or build on A4, which is wider and holds them all (--paper a4)"
        elif (fit[wider] or 0) > most:
            fix += f"; A4 (--paper a4) is wider but holds only {fit[wider]}"
    if len(old) > most:
        fix += f"; the {len(old)} stories already in the workspace were over the limit before this import"
    pairs = alike(new, old)
    details: list[str] = []
    if pairs:
        fix += (f"; {len(pairs)} imported stor{'y' if len(pairs) == 1 else 'ies'} share most of their words with "
                "one already in the workspace, probably the same story told twice:")
        details = [f"'{a.id}' ({_file_name(a)}) and '{b.id}' ({_file_name(b)})" for a, b in pairs]
    return BuildStop("matrix", problem, fix, tuple(details))


# Two stories are probably the same one told twice when most of the longer words of the
# shorter one are in the other (overlap coefficient), and clearly more so than in any other
# story. A hint for merging, never acted on: measured on seed 003 imported into a workspace
# written by hand from the same notes, 23 of 31 stories pair up, each pair the same story.
ALIKE_SHARE = 0.6
ALIKE_MARGIN = 0.25


def alike(new: list, old: list) -> list[tuple]:
    """(imported story, existing story) pairs that look like the same story."""
    olds = [(story, _words(story)) for story in old]
    pairs = []
    for story in new:
        words = _words(story)
        if not words or not olds:
            continue
        scores = sorted(((len(words & w) / max(1, min(len(words), len(w))), i) for i, (_, w) in enumerate(olds)),
                        reverse=True)
        best, i = scores[0]
        second = scores[1][0] if len(scores) > 1 else 0.0
        if best >= ALIKE_SHARE and best - second >= ALIKE_MARGIN:
            pairs.append((story, olds[i][0]))
    return pairs


def _words(story) -> set[str]:
    text = " ".join([story.title, *story.sections.values(), story.notes or ""]).lower()
    return {w for w in re.findall(r"[a-z0-9]+", text) if len(w) > 3}


def _file_name(item: Item) -> str:
    """The content file ``item`` was read from ("content/stories.yaml"), or "" if made in code."""
    try:
        return where(item)[0] or ""
    except AttributeError:
        return ""


def cards_stop(content: Content, templates: Templates, options: PrintOptions = DEFAULTS) -> BuildStop | None:
    """What in the deck of the workspace as it will be would stop the build (card faces that
    do not fit the card it is printed on, imported or not); None when nothing does. Faces
    measured while fitting the import are cached, so this measures only the other cards."""
    from ..outputs.deck import DECK

    plan = DECK.plan(content, templates, options)
    if plan.ok:
        return None
    card = options.card.name
    problems = plan.face_problems or plan.problems
    first = problems[0]
    where = f" ({first.file}{f', line {first.line}' if first.line else ''})" if first.file else ""
    more = f", and {len(problems) - 1} more" if len(problems) > 1 else ""
    if not plan.face_problems:  # the card itself does not fit the paper (or the back offset)
        return BuildStop("cards", f"cards.pdf: {first.message}{where}", first.hint or "")
    return BuildStop("cards", f"cards.pdf: {len(problems)} card face(s) too long for a {card} card: "
                              f"{first.message}{where}{more}",
                     f"{first.hint or 'shorten them'} ('deckbuilder build' lists them all)")


def unprinted_sets(content: Content, imported: dict[str, int]) -> str | None:
    """Imported kinds of card that ``deck: sets`` leaves out of cards.pdf."""
    missing = [f"{imported[s]} {s}" for s in ("phases", "extras", "stories", "questions")
               if imported.get(s) and s not in content.deck.sets]
    if not missing:
        return None
    return (f"cards.pdf: 'deck: sets' in this workspace leaves out {', '.join(missing)} from the import; "
            "add them to 'deck: sets' to print them")
