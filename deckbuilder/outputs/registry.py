"""The outputs deckbuilder can build: a table of objects in the Output shape (``outputs.base``).

In build order: the packet composes the deck's, the sheet's and the matrix's plans. The
names are also in ``outputs.NAMES``, which the command line's help reads without
importing every output (and reportlab) first.
"""

from __future__ import annotations

from . import NAMES
from .base import Output
from .deck import DECK
from .loop import LOOP
from .matrix import MATRIX
from .packet import PACKET
from .sheet import SHEET

OUTPUTS: dict[str, Output] = {output.name: output for output in (DECK, SHEET, MATRIX, LOOP, PACKET)}

assert tuple(OUTPUTS) == NAMES, "outputs.NAMES lists the registry's outputs, in the same order"
