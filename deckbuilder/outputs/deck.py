"""cards.pdf: the cue-card deck, one card per deep-dive phase, story and bank question.

Each card face is a Jinja template rendered to Markdown, set at the largest size
that fits the card (never below the floor), and labelled with the deck label and its
position ``n/N`` so that a dropped deck can be sorted again.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from ..build import BuildContext
from ..content.model import Content
from ..errors import UserError
from ..layout.fit import Fit
from ..layout.sizes import card_size
from ..render import fonts
from ..render.markup import TextStyle, to_flowables
from ..render.pdf import REFERENCE_SIZE, Block, Meta, fit_block, new_canvas
from ..render.templates import Templates

FILES = ("cards.pdf",)
FLOOR_PT = 7.0  # legible on a 3x5 card held at arm's length
CEILING_PT = 16.0
FOOTER_PT = 7.0
PADDING = 0.16 * inch


@dataclass(frozen=True)
class Card:
    """One card of the deck: its Markdown faces and a name for messages."""

    set: str
    name: str
    front: str
    back: str


def collect_cards(content: Content, templates: Templates) -> list[Card]:
    """The cards of every set the content asks for, in the content's order."""
    cards: list[Card] = []
    for card_set in content.deck.sets:
        if card_set == "phases":
            for project in content.projects:
                for phase in sorted(project.phases, key=lambda p: p.number):
                    ctx = dict(phase=phase, project=project, interview=content.interview)
                    cards.append(Card("phases", f"phase {phase.number} '{phase.title}' of {project.id}",
                                      templates.render("cards/phase-front.md.j2", **ctx),
                                      templates.render("cards/phase-back.md.j2", **ctx)))
        elif card_set == "extras":
            for project in content.projects:
                for extra in project.extras:
                    ctx = dict(extra=extra, project=project)
                    cards.append(Card("extras", f"extra '{extra.title}' of {project.id}",
                                      templates.render("cards/extra-front.md.j2", **ctx),
                                      templates.render("cards/extra-back.md.j2", **ctx)))
        elif card_set == "stories":
            for story in content.stories:
                ctx = dict(story=story, principles=content.principle_names())
                cards.append(Card("stories", f"story '{story.id}'",
                                  templates.render("cards/story-front.md.j2", **ctx),
                                  templates.render("cards/story-back.md.j2", **ctx)))
        elif card_set == "questions":
            for entry in content.question_bank:
                for question in entry.questions:
                    stories = [s for s in (content.story(i) for i in question.stories) if s]
                    ctx = dict(question=question, entry=entry, stories=stories)
                    short = question.text if len(question.text) < 50 else question.text[:47] + "..."
                    cards.append(Card("questions", f"question '{short}'",
                                      templates.render("cards/question-front.md.j2", **ctx),
                                      templates.render("cards/question-back.md.j2", **ctx)))
    return cards


def deck_label(content: Content) -> str:
    if content.deck.label:
        return content.deck.label
    if content.interview:
        return content.interview.company
    return "deck"


def fit_face(markdown: str, width: float, height: float) -> tuple[Fit, Block]:
    """Largest size in [FLOOR_PT, CEILING_PT] at which the face's text fits its box."""
    block = Block(to_flowables(markdown, TextStyle(REFERENCE_SIZE)))
    return fit_block(block, width, height, FLOOR_PT, CEILING_PT), block


def body_box(width: float, height: float) -> tuple[float, float]:
    """The text area of a card face: inside the padding, above the footer."""
    return width - 2 * PADDING, height - 2 * PADDING - FOOTER_PT * 1.6


def draw_face(canvas: Canvas, x: float, y: float, width: float, height: float, block: Block, size: float,
              label: str, position: str) -> None:
    """One card face with its lower-left corner at (x, y)."""
    body_w, _ = body_box(width, height)
    block.draw_at(canvas, size, x + PADDING, y + height - PADDING, body_w)
    canvas.setFont(fonts.BODY, FOOTER_PT)
    canvas.drawString(x + PADDING, y + PADDING, label)
    canvas.drawRightString(x + width - PADDING, y + PADDING, position)


def check_fit(fit: Fit, card: Card, side: str, position: str) -> None:
    if not fit.fits:
        over = (fit.overflow_ratio - 1) * 100
        raise UserError(f"the {side} of {card.name} (card {position}) is {over:.0f}% too long for the card "
                        f"even at {FLOOR_PT:g} pt",
                        hint="shorten it, use a larger --card, or pass --split to continue it on another card")


def build(ctx: BuildContext) -> None:
    content = ctx.content
    cards = collect_cards(content, ctx.templates)
    if not cards:
        return
    width, height = card_size(ctx.options.card)
    body_w, body_h = body_box(width, height)
    label = deck_label(content)
    total = len(cards)
    faces = []
    for n, card in enumerate(cards, start=1):
        position = f"{n}/{total}"
        for side, markdown in (("front", card.front), ("back", card.back)):
            fit, block = fit_face(markdown, body_w, body_h)
            check_fit(fit, card, side, position)
            faces.append((block, fit.size, position))
    interview = content.interview
    meta = Meta(title=f"{label} cue cards", author=(interview.candidate or "") if interview else "",
                subject="Interview cue cards", keywords=("interview", "cue cards"))
    canvas = new_canvas(str(ctx.stage("cards.pdf")), (width, height), meta)
    for block, size, position in faces:
        draw_face(canvas, 0, 0, width, height, block, size, label, position)
        canvas.showPage()
    canvas.save()
