"""Setting the faces of a large deck in two processes.

Setting a face (its Markdown parsed, set at the reference size, then sized to fit) is most
of the work of a large deck, and every face is set on its own. On two cores, a deck with
at least ``AT_LEAST`` faces not yet set has half of them (by length, ``deal``) set in a
forked process (``alongside``) while this one sets the rest; the forked one sends its set faces
back pickled (about 4 MB and 0.1 s of pickling for 1,000 cards, against 0.4-0.5 s of
setting half the faces), and they are remembered here as if set here (``faces.remember``),
so ``set_cards`` finds every face ready and works as it always did. The pages are the same
bytes either way: a face's setting depends only on its text, style and side.

Faces set in an earlier process (``fitstore``) are not set again, here or there; when a build
needs their text (``set_text``), a large deck's is set in two processes the same way.

Where nothing may fork (no fork, one core, already in the second process, or a build
told not to), or the forked process fails, the faces are set here one after the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from .. import alongside
from . import fitstore
from .faces import (
    FaceKey,
    FaceStyle,
    LazyBlock,
    Overflow,
    SetFace,
    fitted,
    from_store,
    is_remembered,
    remember,
    set_to_fit,
    store,
    unset_text,
)

# Measured with ``build --only cards`` on sample decks (idle-machine critical path from CPU
# clocks, docs/benchmarks.md): 250 cards 0.76 -> 0.66 s, 1,000 cards 2.48 -> 2.28 s; at 50 and
# 100 cards and the user's 121 the two were within the noise, so smaller decks stay in one.
AT_LEAST = 400

T = TypeVar("T")
R = TypeVar("R")


def fit_many(keys: list[FaceKey]) -> dict[FaceKey, SetFace | Overflow]:
    """Every face of ``keys`` set (each distinct one once), the remembered settings (not
    copies: callers copy what they mark), in two processes when there are enough to set."""
    todo = []
    done: dict[FaceKey, SetFace | Overflow] = {}
    stores: dict[FaceStyle, fitstore.Store | None] = {}  # each style's looked up once
    for key in dict.fromkeys(keys):
        if not is_remembered(key):
            style = key[1]
            if style not in stores:
                stores[style] = fitstore.store_for(style)
            stored = from_store(key, stores[style])  # set in an earlier process: nothing to set
            if stored is None:
                todo.append(key)
            else:
                remember(key, stored)  # and taken from here: a large deck's are no longer all remembered
                done[key] = stored
    if len(todo) >= AT_LEAST and alongside.available():
        ours, theirs = _in_two(*deal(todo), here=lambda key: fitted(*key), there=lambda key: set_to_fit(*key))
        done.update(ours)
        for key, result in theirs:
            remember(key, result)
            store(key, result)
            done[key] = result
    for key in keys:
        if key not in done:
            done[key] = fitted(*key)
    return done


def deal(keys: list[FaceKey]) -> tuple[list[FaceKey], list[FaceKey]]:
    """The faces in two shares of about equal work, each face to the share with less text
    so far. Not cut in two, nor dealt alternately: a deck's long deep-dive phases come first
    and its short questions last, and every back is longer than its front (1,000 sample
    cards: 0.58 s against 0.40 s of setting for halves, 0.55 s against 0.34 s alternately)."""
    return _deal_by(keys, lambda key: len(key[0]))


def _deal_by(items: list[T], text_length: Callable[[T], int]) -> tuple[list[T], list[T]]:
    """Each item to the share with less text so far."""
    shares: tuple[list[T], list[T]] = ([], [])
    text = [0, 0]
    for item in items:
        lighter = 0 if text[0] <= text[1] else 1
        shares[lighter].append(item)
        text[lighter] += text_length(item) + 40  # a face's fixed cost (parts, style, search) besides its text
    return shares


def _in_two(ours: list[T], theirs: list[T], here: Callable[[T], R], there: Callable[[T], R]
            ) -> tuple[list[tuple[T, R]], list[tuple[T, R]]]:
    """``here`` done for each of ``ours`` in this process while a forked one does ``there`` for
    each of ``theirs``: both shares with what was made of them; ``theirs`` comes back empty when
    the forked process could not send its work (the caller then does it here)."""
    child = alongside.Alongside(lambda: [there(item) for item in theirs], {}, [])
    try:
        made_here = [(item, here(item)) for item in ours]
    except BaseException:
        child.join(keep_outcome=False)
        raise
    made_there = child.value_or_none()  # None: not sent
    if isinstance(made_there, list) and len(made_there) == len(theirs):
        return made_here, list(zip(theirs, made_there))
    return made_here, []


def set_text(results: Iterable[SetFace | Overflow]) -> None:
    """Set the text of stored faces (``faces.LazyBlock``) now, where a build wants it done: in
    the process that plans the deck alongside, or before the packet's process forks (so the two
    drawing processes do not each set it); half in a forked process when there are many."""
    blocks = unset_text(results)
    if len(blocks) >= AT_LEAST and alongside.available():
        def set_now(block: LazyBlock) -> list[Any]:
            return block.flowables

        _, theirs = _in_two(*_deal_blocks(blocks), here=set_now, there=set_now)
        for block, flowables in theirs:
            block.flowables = flowables
    for block in blocks:
        block.flowables  # noqa: B018 - set it now (those the forked process could not)


def _deal_blocks(blocks: list[LazyBlock]) -> tuple[list[LazyBlock], list[LazyBlock]]:
    """``deal`` for texts to set: two shares of about equal length."""
    return _deal_by(blocks, lambda block: len(block.recipe[0]))
