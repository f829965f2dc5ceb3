"""The outputs deckbuilder can build: a table of objects in the Output shape (``outputs.base``).

In build order: the packet composes the deck's, the sheet's and the matrix's plans. The
names are also in ``outputs.NAMES``, which the command line's help reads without
importing every output (and reportlab) first.

An output's module is imported the first time the table is asked for that output, so
``build --only cards`` does not import the sheet's, the matrix's, the loop's and the
packet's code (about 40 ms of start-up). Each output is imported by name below, so the
import-cycle test sees every edge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from . import NAMES
from .base import Output


def _cards() -> Output:
    from .deck import DECK

    return DECK


def _sheet() -> Output:
    from .sheet import SHEET

    return SHEET


def _matrix() -> Output:
    from .matrix import MATRIX

    return MATRIX


def _loop() -> Output:
    from .loop import LOOP

    return LOOP


def _packet() -> Output:
    from .packet import PACKET

    return PACKET


LOADERS: dict[str, Callable[[], Output]] = {"cards": _cards, "sheet": _sheet, "matrix": _matrix, "loop": _loop,
                                            "packet": _packet}


class Registry(Mapping[str, Output]):
    """The outputs by name, in build order, each imported when it is first looked up
    (after that, the same object every time: tests replace an output's ``draw`` on it)."""

    def __getitem__(self, name: str) -> Output:
        return LOADERS[name]()

    def __contains__(self, name: object) -> bool:  # a name is known without importing its output
        return name in LOADERS

    def __iter__(self) -> Iterator[str]:
        return iter(LOADERS)

    def __len__(self) -> int:
        return len(LOADERS)


OUTPUTS: Mapping[str, Output] = Registry()

assert tuple(OUTPUTS) == NAMES, "outputs.NAMES lists the registry's outputs, in the same order"
