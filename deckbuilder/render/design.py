"""The design system: every size, weight, grey and rule the outputs draw with, as named steps.

Why one module: when each face or section shrank on its own, the deck used 44 different
text sizes on its fronts and two backs side by side sat at 12 and 8 pt. Here the sizes
are a small scale per card size, chosen once for the whole deck, and every output picks
from it; ``docs/design.md`` shows the steps as pictures.

The card scale is the 3x5 scale times the card's size relative to 3x5 (rounded to half
points), so a 4x6 or A6 card gets larger text rather than the 3x5 text with white space
under it. The smallest step of each side is the legible floor (7 pt; 6.5 pt on cards
smaller than 3x5): a face that needs it is listed by the build so the user knows what to
shorten.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import HexColor

# -- greys and rules ------------------------------------------------------------------

INK = HexColor("#000000")
GREY = HexColor("#555555")  # footers, tags, running titles, section labels: secondary text
RULE_GREY = HexColor("#9a9a9a")  # thin rules inside a page (never a cut line)
ZEBRA = HexColor("#eeeeee")  # row guides on the matrix
BAR = HexColor("#222222")  # reversed-out section bars on the sheet
CUT_MARK_WIDTH = 0.5  # pt, solid black: a mono laser prints it as a line, not dots
HAIRLINE = 0.3  # pt: rules inside a card or a page
RULED_PITCH = 0.3 * 72  # pt between the writing lines on a back with no answer (a question with no story)

# -- the card scale ---------------------------------------------------------------------

BASE_FOCAL = 15.0  # the focal line of a 3x5 front (bold)
BASE_FRONT_STEPS = (13.0, 10.5)  # cue sizes above the floor, 3x5
BASE_BACK_STEPS = (10.0, 8.5)  # answer sizes above the floor, 3x5
BASE_WIDTH, BASE_HEIGHT = 360.0, 216.0  # 3x5 in points, landscape


def _half(value: float) -> float:
    return round(value * 2) / 2


@dataclass(frozen=True)
class CardScale:
    """The sizes a deck of one card size uses: nothing else is ever set on a card.

    ``front`` and ``back`` are the body steps, largest first, ending at the floor;
    ``small`` is the footer, the front's corner tag, the back's running title and the
    section labels' size (the floor, so it is always legible).
    """

    focal: float
    front: tuple[float, ...]
    back: tuple[float, ...]
    small: float

    def steps(self, side: str) -> tuple[float, ...]:
        return self.front if side == "front" else self.back

    @property
    def floor(self) -> float:
        return self.small


@lru_cache(maxsize=64)
def card_scale(width: float, height: float, floor: float) -> CardScale:
    """The scale for a card of ``width`` x ``height`` points whose legible floor is ``floor``
    (remembered: every face asks for it several times, 8,000 calls for 1,000 cards).

    Cards at least as large as 3x5 in both directions scale up with the tighter ratio; a
    smaller card keeps the 3x5 steps (capped, so no step is above what fits) down to its floor.
    """
    ratio = min(width / BASE_WIDTH, height / BASE_HEIGHT)
    factor = max(ratio, 1.0) if ratio >= 0.98 else ratio
    front = tuple(max(_half(s * factor), floor) for s in BASE_FRONT_STEPS) + (floor,)
    back = tuple(max(_half(s * factor), floor) for s in BASE_BACK_STEPS) + (floor,)
    front, back = _dedupe(front), _dedupe(back)
    return CardScale(focal=max(_half(BASE_FOCAL * factor), front[0]), front=front, back=back, small=floor)


def _dedupe(steps: tuple[float, ...]) -> tuple[float, ...]:
    out: list[float] = []
    for step in steps:
        if step not in out:
            out.append(step)
    return tuple(out)


# -- spacing (in ems of the text they follow) -----------------------------------------------

FRONT_SPACE_AFTER = 0.2  # between a front's cue lines (0.35 between paragraphs elsewhere)
FOCAL_GAP_EM = 0.55  # between the focal line and the cues
CAPTION_RULE_GAP_EM = 0.45  # between the back's running title, its rule and the answer
TAG_LINE_EM = 1.45  # the corner tag's line on a front (in ems of ``small``)
FOOTER_LINE_EM = 1.6  # the footer's line (in ems of ``small``)


# -- the sheet ---------------------------------------------------------------------------

SHEET_CEILING = 10.0  # a brief, not a poster
SHEET_FLOOR = 7.0  # smaller is not reliably readable on a printed page
SHEET_STEP = 0.5  # the body sizes the sheet chooses from: 10, 9.5, ... 7
SHEET_WARN_BELOW = 8.0  # the build says so, and names the longest sections
SHEET_BAR_SCALE = 1.1  # section bars (reversed-out) against the body
SHEET_SUBHEADING_SCALE = 1.1  # sub-headings (bold) against the body
SHEET_HEADER_SCALE = 1.75  # the header's title against the body
KEEP_WITH_ITEMS = 2  # a heading never ends a column with fewer than this many of its items
