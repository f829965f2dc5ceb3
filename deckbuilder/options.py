"""What the command line can say about a build, as typed values parsed once at its edge.

Paper, flip and order are closed sets of names (``Literal`` types: argparse's ``choices``
checks them); a card size is parsed from what the user typed into a ``Card`` that keeps
both the name (for messages: "a 3x5 card") and the size in points. Outputs and the
importer take a ``PrintOptions`` and never parse a string themselves.

This module imports nothing from the outputs or the build, so every one of them can
import it without a cycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import UserError
from .layout.impose import Order
from .layout.sizes import card_size
from .layout.stock import STOCKS

# letter | a4 | stock (one card per page at card size, cards only) | a perforated stock preset
# (layout.stock.STOCKS: the maker's sheet, cards on the perforations)
Paper = str
SheetPaper = Literal["letter", "a4"]  # what the sheet, the matrix and the packet print on
CardFlip = Literal["long", "short", "manual", "fold"]  # fold: front and back side by side, one-sided

PAPERS: tuple[str, ...] = ("letter", "a4", "stock", *STOCKS)
FLIPS: tuple[CardFlip, ...] = ("long", "short", "manual", "fold")
ORDERS: tuple[Order, ...] = ("deck", "stack")

DEFAULT_CARD = "3x5"  # the one place the default card size is written
DEFAULT_PAPER: Paper = "letter"


@dataclass(frozen=True)
class Card:
    """A card size: the name the user gave it (shown in messages) and (width, height) in
    points, landscape (width >= height)."""

    name: str
    width: float
    height: float

    @classmethod
    def parse(cls, text: str) -> Card:
        """'3x5', 'a7', '90x55mm', '3x5in', ...; a UserError for anything else."""
        width, height = card_size(text)
        return cls(text, width, height)

    @property
    def size(self) -> tuple[float, float]:
        return self.width, self.height

    def __str__(self) -> str:
        return self.name


DEFAULT_CARD_SIZE = Card.parse(DEFAULT_CARD)


def sheet_paper(paper: Paper) -> SheetPaper:
    """The sheet, the matrix and the packet print on letter or a4: a perforated stock's own
    paper size; 'stock' (card-sized pages) means the cards only, so those print on letter."""
    if paper in STOCKS:
        return "a4" if abs(STOCKS[paper].sheet_w - 595.28) < 1 else "letter"
    return "a4" if paper == "a4" else "letter"


@dataclass(frozen=True)
class PrintOptions:
    """Everything the command line can say about a build (one place, shared by outputs)."""

    only: tuple[str, ...] = ()
    paper: Paper = DEFAULT_PAPER
    card: Card = DEFAULT_CARD_SIZE
    flip: CardFlip = "long"  # long | short | manual | fold
    back_offset: tuple[float, float] = (0.0, 0.0)  # mm, applied to card backs only
    order: Order = "deck"
    split: bool = False  # continue over-long card faces on a following card
    select: tuple[str, ...] = ()  # print only these cards (selection.py), into cards-selection.pdf
    root: Path | None = None  # the workspace, where --select changed finds the deck last written whole

    def __post_init__(self) -> None:
        if isinstance(self.card, str):  # a convenience for code and tests; the CLI passes a Card
            object.__setattr__(self, "card", Card.parse(self.card))

    @property
    def stock(self) -> bool:
        """Card-sized pages (--paper stock): no cut lines, the card is the page."""
        return self.paper == "stock"

    @property
    def sheet_paper(self) -> SheetPaper:
        return sheet_paper(self.paper)


BuildOptions = PrintOptions  # the name the build and the tests have always used
DEFAULTS = PrintOptions()  # a plain ``deckbuilder build``


NUMBER = r"[-+]?\s*(?:\d+(?:\.\d*)?|\.\d+)"


def parse_offset(text: str) -> tuple[float, float]:
    """'X,Y' in mm: signs optional either way ('1.5,-0.5', '-1,2', '+5,0', as the calibration
    scale labels them), a typographic minus copied from a document taken as '-'."""
    m = re.fullmatch(rf"\s*({NUMBER})\s*,\s*({NUMBER})\s*(?:mm)?\s*", text.replace("\u2212", "-"))
    if not m:
        raise UserError(f"--back-offset {text!r} is not X,Y in mm",
                        hint="for example --back-offset 1.5,-0.5 or --back-offset -1,2")
    x, y = (float(g.replace(" ", "")) for g in m.groups())
    if abs(x) > 20 or abs(y) > 20:
        raise UserError(f"--back-offset {text} is more than 20 mm", hint="printers are off by a few mm at most; "
                        "re-read the calibration sheet")
    return x + 0.0, y + 0.0  # -0.0 prints as "-0"
