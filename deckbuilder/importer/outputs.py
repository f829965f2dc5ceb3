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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..content.model import Content, SheetSettings
from ..errors import UserError
from ..render.templates import Templates

SHEET_FILE = "imported-sheet.yaml"


@dataclass
class SheetFix:
    sections: list[str] | None = None  # the selection to write, when one is needed and allowed
    dropped: dict[str, float] = field(default_factory=dict)  # section -> share of the page it needed
    message: str | None = None  # what to tell the user


def fit_sheet(content: Content, templates: Templates, sheet_in: str | None) -> SheetFix:
    """Switch off the largest sheet sections (never the header) until the page fits."""
    from ..outputs.sheet import plan_sheet, render_sections, section_shares  # only needed here

    plan = plan_sheet(render_sections(content, templates))
    if plan.fits:
        return SheetFix()
    fix = SheetFix()
    selected = list(content.sheet.sections)
    if sheet_in:
        shares = section_shares(plan)
        listing = ", ".join(f"{name} {share * 100:.0f}%" for name, share in shares.items())
        fix.message = (f"final-prep.pdf will not fit on one page (sections need: {listing}); "
                       f"{sheet_in} chooses the sheet's sections: switch some off there, or shorten them")
        return fix
    original = content.sheet
    try:
        while not plan.fits and len(selected) > 1:
            shares = section_shares(plan)
            candidates = {name: share for name, share in shares.items() if name != "header" and name in selected}
            if not candidates:
                break
            drop = max(candidates, key=candidates.get)
            fix.dropped[drop] = candidates[drop]
            selected.remove(drop)
            content.sheet = SheetSettings(sections=selected)
            plan = plan_sheet(render_sections(content, templates))
    finally:
        content.sheet = original
    fix.sections = selected
    dropped = ", ".join(f"{name} (needed {share * 100:.0f}% of the page)" for name, share in fix.dropped.items())
    fix.message = (f"final-prep.pdf: the notes hold more than one page, so content/{SHEET_FILE} switches off "
                   f"{dropped}; their text stays in content/. Shorten them and list them again under "
                   f"'sheet: sections:' to bring them back")
    if not plan.fits:
        fix.message += "; even so the page is over: shorten the remaining sections"
    return fix


def matrix_problem(content: Content) -> str | None:
    """Why matrix.pdf would fail on letter paper, or None."""
    from ..content.coverage import coverage
    from ..outputs.matrix import fit_layout, matrix_text, page_size

    try:
        fit_layout(matrix_text(content, coverage(content)), page_size("letter"), "letter")
    except UserError as exc:
        problem = exc.problems[0]
        return f"matrix.pdf: {problem.message} ({problem.hint})" if problem.hint else f"matrix.pdf: {problem.message}"
    return None


def unprinted_sets(content: Content, imported: dict[str, int]) -> str | None:
    """Imported kinds of card that ``deck: sets`` leaves out of cards.pdf."""
    missing = [f"{imported[s]} {s}" for s in ("phases", "extras", "stories", "questions")
               if imported.get(s) and s not in content.deck.sets]
    if not missing:
        return None
    return (f"cards.pdf: 'deck: sets' in this workspace leaves out {', '.join(missing)} from the import; "
            "add them to 'deck: sets' to print them")
