"""The marks of the coverage grid and the kinds of finding, apart from the coverage itself.

They are plain enums with no imports, so ``deckbuilder --help`` can load the check command
(which names them in its tables) without loading the content model and pydantic.
"""

from __future__ import annotations

from enum import Enum


class Mark(str, Enum):
    """What a cell of the grid says about one story and one principle."""

    PRIMARY = "primary"
    SECONDARY = "secondary"


class Kind(str, Enum):
    """The findings, in the order the report lists them."""

    UNCOVERED = "uncovered principle"
    SINGLE = "single-story principle"
    OVERUSED = "overused story"
    UNMAPPED = "unmapped story"
    MISSING_STORY = "missing story"
    OVER_SLOT = "deep-dive over its slot"
