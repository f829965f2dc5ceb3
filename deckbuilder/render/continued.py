"""Repeated headings: a column that opens in the middle of a headed list repeats the heading,
marked "(cont.)".

Why: on the sheet, a column that opened with an item whose heading stood at the foot of the
column before read as part of whatever stood above it. The sheet keeps a heading with two of
its items (``design.KEEP_WITH_ITEMS``); the items after those may still open a column, and
then the heading is repeated there. The repeat's height is known before the columns are
balanced (``layout.columns.Unit.lead``), so a column never runs past the page for it.
"""

from __future__ import annotations

import re

from .bars import BarHeading
from .markup import TextStyle, to_flowables
from .reportlab_seam import Flowable

CONT = "(cont.)"
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def heading_text(flowable: Flowable) -> str:
    """The words of a heading paragraph as plain text."""
    return " ".join("".join(piece.text for piece in word) for word in getattr(flowable, "words", []) if word)


def continued(heading: Flowable, style: TextStyle) -> list[Flowable]:
    """The heading again, at its level, with "(cont.)" after it."""
    level = "##" if isinstance(heading, BarHeading) else "###"
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", heading_text(heading))
    return to_flowables(f"{level} {text} {CONT}", style)
