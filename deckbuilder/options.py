"""What the command line can say about a build, as typed values parsed once at its edge.

Paper, flip and order are closed sets of names (``Literal`` types: argparse's ``choices``
checks them); a card size is parsed from what the user typed into a ``Card`` that keeps
both the name (for messages: "a 3x5 card") and the size in points. Outputs and the
importer take a ``PrintOptions`` and never parse a string themselves.

This module imports nothing from the outputs or the build, so every one of them can
import it without a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .layout.impose import Flip, Order
from .layout.sizes import card_size

Paper = Literal["letter", "a4", "stock"]  # stock: one card per page at card size (cards only)
SheetPaper = Literal["letter", "a4"]  # what the sheet, the matrix and the packet print on

PAPERS: tuple[Paper, ...] = ("letter", "a4", "stock")
FLIPS: tuple[Flip, ...] = ("long", "short", "manual")
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
    """The sheet, the matrix and the packet print on letter or a4; 'stock' (card-sized
    pages) means the cards only, so those print on letter."""
    return "a4" if paper == "a4" else "letter"


@dataclass(frozen=True)
class PrintOptions:
    """Everything the command line can say about a build (one place, shared by outputs)."""

    only: tuple[str, ...] = ()
    paper: Paper = DEFAULT_PAPER
    card: Card = DEFAULT_CARD_SIZE
    flip: Flip = "long"  # long | short | manual
    back_offset: tuple[float, float] = (0.0, 0.0)  # mm, applied to card backs only
    order: Order = "deck"
    split: bool = False  # continue over-long card faces on a following card

    def __post_init__(self) -> None:
        if isinstance(self.card, str):  # a convenience for code and tests; the CLI passes a Card
            object.__setattr__(self, "card", Card.parse(self.card))

    @property
    def stock(self) -> bool:
        return self.paper == "stock"

    @property
    def sheet_paper(self) -> SheetPaper:
        return sheet_paper(self.paper)


BuildOptions = PrintOptions  # the name the build and the tests have always used
DEFAULTS = PrintOptions()  # a plain ``deckbuilder build``
