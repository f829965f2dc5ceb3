"""The few canvas-level helpers every output shares.

Each PDF starts from ``new_canvas``: bundled fonts as the initial font (otherwise
reportlab references an unembedded Helvetica), invariant mode (the same content gives
byte-identical files), and document metadata. Blocks of flowables are stacked top-down
with ``draw_stack``; text that must fit a box is a ``Block`` sized with ``fit_block``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import IO, TYPE_CHECKING

from ..layout.fit import Fit, largest_fitting
from . import fonts, replay
from .reportlab_seam import Flowable

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class Meta:
    title: str
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()


def new_canvas(target: str | IO[bytes], pagesize: tuple[float, float], meta: Meta) -> Canvas:
    """A canvas that embeds only bundled fonts and writes reproducible bytes."""
    from reportlab.pdfgen.canvas import Canvas  # only for drawing: check plans every output without it

    fonts.register_fonts()
    canvas = Canvas(target, pagesize=pagesize, invariant=1, pageCompression=1,
                    initialFontName=fonts.BODY, initialFontSize=10)
    canvas.setTitle(meta.title)
    canvas.setAuthor(meta.author)
    canvas.setSubject(meta.subject)
    canvas.setKeywords(", ".join(meta.keywords))
    canvas.setCreator("deckbuilder")
    canvas.setProducer("deckbuilder (reportlab)")
    return canvas


def gap_between(previous: Flowable | None, flowable: Flowable) -> float:
    """Space between two stacked flowables: the larger of one's space after and the next's
    space before (they collapse, as CSS margins do), and none above the first."""
    if previous is None:
        return 0.0
    return max(previous.getSpaceAfter(), flowable.getSpaceBefore())


def stack_height(flowables: list[Flowable], width: float) -> float:
    """Height the flowables need when stacked in a column ``width`` wide."""
    total, previous = 0.0, None
    for flowable in flowables:
        _, height = flowable.wrap(width, 1e9)
        total += height + gap_between(previous, flowable)
        previous = flowable
    return total


def draw_stack(canvas: Canvas, flowables: list[Flowable], x: float, top: float, width: float,
               replaying: bool = False) -> float:
    """Draw flowables downward from ``top``; returns the y where the last one ends.

    With ``replaying``, in ``watch``, a paragraph (``replayable``: its drawing a function of
    itself, the width it was just wrapped to and where it goes) is replayed from the last
    rebuild where that writes the same bytes (``render.replay``): the same text gives the
    same remembered paragraph object (``markup.to_flowables``), so after a one-line edit
    the packet's stories are mostly replayed. Not for text set afresh on every build (the
    sheet's sections, tried at several sizes): recording a drawing that is never replayed
    costs more than drawing it."""
    y, previous = top, None
    replaying = replaying and replay.active()
    for flowable in flowables:
        _, height = flowable.wrap(width, 1e9)
        y -= height + gap_between(previous, flowable)
        if replaying and getattr(flowable, "replayable", False):
            replay.drawn(canvas, ("paragraph", id(flowable), x, y, width), (flowable,),
                         partial(flowable.drawOn, canvas, x, y))
        else:
            flowable.drawOn(canvas, x, y)
        previous = flowable
    return y


REFERENCE_SIZE = 10.0


class Block:
    """Flowables set once at a reference size, then measured and drawn at any size.

    Every length in a text style is proportional to the font size, so text set at size
    s in width w is text set at the reference size r in width w*r/s, scaled by s/r.
    Measuring a size is then one line-breaking pass over already-parsed paragraphs:
    no Markdown or paragraph markup is parsed again, which is where naive shrink-to-fit
    spends its time. Drawing uses the same scaled layout, so what was measured is
    exactly what is drawn.
    """

    def __init__(self, flowables: list[Flowable], reference: float = REFERENCE_SIZE) -> None:
        self.flowables = flowables
        self.reference = reference

    def height_at(self, size: float, width: float) -> float:
        scale = size / self.reference
        return stack_height(self.flowables, width / scale) * scale

    def draw_at(self, canvas: Canvas, size: float, x: float, top: float, width: float) -> float:
        """Draw with the top-left corner at (x, top); returns the y where the text ends."""
        scale = size / self.reference
        canvas.saveState()
        canvas.translate(x, top)
        canvas.scale(scale, scale)
        bottom = draw_stack(canvas, self.flowables, 0, 0, width / scale)
        canvas.restoreState()
        return top + bottom * scale


def fit_block(block: Block, width: float, height: float, floor: float, ceiling: float,
              step: float = 0.25) -> Fit:
    """Largest size (floor..ceiling, on a ``step`` grid) at which ``block`` fits width x height."""
    return largest_fitting(lambda size: block.height_at(size, width), height, floor, ceiling, step)
