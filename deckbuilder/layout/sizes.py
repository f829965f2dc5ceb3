"""Card and paper sizes as data: names people use, turned into points.

Index cards are held landscape (wider than tall), so every card size is returned as
(width, height) with width >= height.
"""

from __future__ import annotations

import re

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm

from ..errors import UserError

CARD_SIZES: dict[str, tuple[float, float]] = {
    "3x5": (5 * inch, 3 * inch),
    "4x6": (6 * inch, 4 * inch),
    "a6": (148 * mm, 105 * mm),
    "a7": (105 * mm, 74 * mm),
}
PAPER_SIZES: dict[str, tuple[float, float]] = {"letter": LETTER, "a4": A4}

MIN_CARD_MM = 40.0
MAX_CARD_MM = 300.0


def card_size(text: str) -> tuple[float, float]:
    """(width, height) in points for '3x5', 'a7', '90x55mm', '3x5in', ..."""
    key = text.strip().lower()
    if key in CARD_SIZES:
        return CARD_SIZES[key]
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?)\s*(mm|in)", key)
    if not m:
        raise UserError(f"--card {text!r} is not a card size",
                        hint="use 3x5, 4x6, a6, a7, or WxH with a unit such as 90x55mm or 3x5in")
    unit = mm if m.group(3) == "mm" else inch
    w, h = float(m.group(1)) * unit, float(m.group(2)) * unit
    for side in (w, h):
        if not MIN_CARD_MM * mm <= side <= MAX_CARD_MM * mm:
            raise UserError(f"--card {text}: each side must be between {MIN_CARD_MM:g} and {MAX_CARD_MM:g} mm",
                            hint="give the size of one card, e.g. 127x76mm")
    return (max(w, h), min(w, h))


def paper_size(name: str) -> tuple[float, float]:
    """Portrait (width, height) in points of a named paper size.

    A perforated stock's name gives the size of its sheet (Letter for avery-5388, A4 for
    avery-l7414): the cards go on the stock, and the sheet, matrix, loop and packet, which
    are pages and not cards, print on plain paper of the same size.
    """
    if name in PAPER_SIZES:
        return PAPER_SIZES[name]
    from .stock import STOCKS  # here: stock.py imports this module's neighbours

    if name in STOCKS:
        return STOCKS[name].sheet_w, STOCKS[name].sheet_h
    raise UserError(f"unknown paper '{name}'", hint="use letter or a4")
