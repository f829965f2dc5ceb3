"""How long a story takes to tell: its words at a steady speaking rate.

One function (``telling_seconds``) so that the card footer, ``check`` and the drill all
use the same estimate. The rate is 150 words a minute, the middle of the 140-160 that
speaking coaches quote for a clear, unhurried answer. What is counted is what is said:
the text of the story's sections, with Markdown marks, arrows and other symbols left out;
a figure like ``10K+`` or ``50%`` is one word, as it is one word spoken.
"""

from __future__ import annotations

import re

from ..content.model import Story

WORDS_PER_MINUTE = 150

_MARKUP = re.compile(r"\]\([^)]*\)|[*_`#>\[\]]")  # link targets (not spoken), emphasis, code, headings, quotes
_WORD = re.compile(r"[^\W_]+(?:['’.,%+-][^\W_]+)*[%+]?", re.UNICODE)  # "I've", "10.5%", "10K+", "on-call"


def count_words(text: str) -> int:
    """Spoken words in Markdown ``text``: runs of letters or digits; symbols are not words."""
    return len(_WORD.findall(_MARKUP.sub(" ", text)))


def story_words(story: Story) -> int:
    """Words in the story's sections (what is told), not its title, triggers or notes."""
    return sum(count_words(text) for text in story.sections.values())


def telling_seconds(story: Story, words_per_minute: float = WORDS_PER_MINUTE, words: int | None = None) -> float:
    """Estimated seconds to tell ``story`` aloud at ``words_per_minute`` (``words``: its
    ``story_words``, when the caller has counted them already)."""
    return (story_words(story) if words is None else words) * 60.0 / words_per_minute


def clock(seconds: float) -> str:
    """'2:10' for 130 seconds: minutes and seconds, rounded to the nearest 5 seconds
    (the estimate is not finer than that, and a round figure is easier to keep in mind)."""
    total = round(seconds / 5.0) * 5
    return f"{total // 60}:{total % 60:02d}"


def target_minutes(story: Story, default: float = 2.0) -> float:
    """The story's own target (``minutes:``, when the content model has it), else ``default``."""
    minutes = getattr(story, "minutes", None)
    if minutes is None:
        return default
    high = getattr(minutes, "high", minutes)  # a range "2-3" (Minutes) or a plain number
    return float(high)
