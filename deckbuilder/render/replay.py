"""Drawings remembered between the builds of one process (``watch``) and replayed when the
document is in the same state for them.

After a one-line edit a rebuild draws every card face again, twice (the deck and the
packet), though all but one or two are unchanged: that was most of a ``watch`` rebuild. A
face's drawing is a list of content-stream operators, a pure function of the face and
where it goes, except for one thing: the text in it is written in the document's font
subsets, where a character gets its code the first time a document shows it. So a
remembered drawing is replayed only when every character it shows still has the code it
had (and a character it showed first still is new, with the same next code to take), and
replaying it gives the document's subsets the characters it added, in the same order, as
drawing it would. The result is the very bytes drawing would have written; a drawing that
changes the canvas or the document in any other way (a link, say) is not remembered. The
packet's story paragraphs are replayed the same way (``pdf.draw_stack(replaying=True)``).

``remembering()`` turns it on (``build(again=True)``, i.e. ``watch``), with the pages'
compressed streams and the font subsets of the last build kept too
(``reportlab_seam.reusing_made``); elsewhere ``drawn`` just draws.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from reportlab.pdfbase import pdfmetrics

from .reportlab_seam import (
    document_of,
    fresh_assignments,
    fresh_state_size,
    next_code_after,
    page_operators,
    registered_fonts,
    reusing_made,
)

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

KEPT = 20_000  # drawings remembered (each a few kB); a deck of 5,000 cards draws 10,000 faces twice

_on = False
_notes: list[tuple[Any, str]] | None = None  # (font, text) shown while a drawing is recorded
_drawings: OrderedDict[Hashable, Drawing] = OrderedDict()


@contextmanager
def remembering() -> Iterator[None]:
    """Within this block ``drawn`` remembers drawings and replays them (``watch``'s rebuilds)."""
    global _on
    was, _on = _on, True
    try:
        with reusing_made():  # the pages' streams compressed, the font subsets made
            yield
    finally:
        _on = was


def remembering_now() -> bool:
    """Within ``remembering()`` (``watch``'s rebuilds): what an equal input made last time may be
    taken again (the sheet's layout search, ``outputs.sheet.plan_sheet``)."""
    return _on


def active() -> bool:
    """``drawn`` may replay here: remembering is on and no drawing is being recorded (a
    caller may then skip making a key)."""
    return _on and _notes is None


def recording() -> bool:
    """A drawing is being recorded: the paragraph renderer's encoder then calls ``note``."""
    return _notes is not None


def note(font: str, text: str) -> None:
    """``text`` is shown in ``font`` (called by the paragraph renderer's encoder)."""
    if _notes is not None:
        _notes.append((pdfmetrics.getFont(font), text))


@dataclass
class _FontUse:
    """What one drawing needed of one font's state in the document, and what it added."""

    font: Any  # the TTFont (one object may be registered under several names)
    had_state: bool
    next_code: int  # the state's next code before (when it added characters)
    name: str | None  # the state's internal name before
    known: tuple[int, ...]  # characters it had a code for
    codes: tuple[int | None, ...]  # ... and their codes (None: not in the font)
    added: str  # characters it gave codes to, in order
    next_after: int


@dataclass
class Drawing:
    keep: tuple  # the objects the key names by identity, kept alive with it
    code: list[str]
    fonts: list[_FontUse]
    named: list[Any]  # fonts it gave an internal name, in order
    mapped: int  # how many fonts the document had named before (when it named one)
    from_data: bool = False  # read from data (``drawing_of``), not recorded in this process

    def fits(self, doc: Any) -> bool:
        """The document is in a state where drawing again would write exactly ``code``."""
        if self.named and len(doc.fontMapping) != self.mapped:
            return False
        for use in self.fonts:
            state = use.font.state.get(doc)
            if state is None:  # the font's first use in the document: a new state's codes
                if use.had_state:
                    return False
                # what a new state starts with depends on reportlab's settings, which may not
                # be those of the process that drew it (a drawing kept in the cache folder)
                assignments = fresh_assignments(use.font)
            else:
                if not use.had_state or state.internalName != use.name:
                    return False
                if use.added and state.nextCode != use.next_code:
                    return False
                assignments = state.assignments
            if tuple(map(assignments.get, use.known)) != use.codes:
                return False
            if use.added and any(map(assignments.__contains__, map(ord, use.added))):
                return False
            if self.from_data and use.added and next_code_after(use.font, doc, use.added) != use.next_after:
                return False  # data this code did not write: ``replay`` would end out of step
        return True

    def replay(self, canvas: Canvas) -> None:
        """Add the drawing's operators, and its characters to the document's subsets, in the
        order drawing gave them codes (the paragraph encoder learns them from the font when
        it next meets them, as it does characters drawn by reportlab's own text objects)."""
        doc = document_of(canvas)
        for use in self.fonts:
            if use.added:
                use.font.splitString(use.added, doc)
        for font in self.named:
            font.getSubsetInternalName(0, doc)
        for use in self.fonts:
            if use.added:
                assert use.font.state[doc].nextCode == use.next_after, "replay out of step"
        page_operators(canvas).extend(self.code)

    def data(self) -> list[Any] | None:
        """The drawing as JSON data, its fonts by name (``outputs.drawstore`` keeps it in the
        cache folder): the operators as one text; of each font, the characters it had codes
        for and those codes, one character each, then the characters it had none for; None
        when an operator is not ASCII text (every operator drawing writes is: a page holds
        bytes), or a character or code is not one JSON text can hold."""
        if not all(isinstance(op, str) and op.isascii() for op in self.code):
            return None
        uses = []
        for use in self.fonts:
            known: tuple[int | None, ...] = use.known
            codes: tuple[int | None, ...] = use.codes
            uncoded: tuple[int, ...] = ()
            if None in codes:  # rare: a character shown that the font has no code for
                known = tuple(char for char, code in zip(use.known, use.codes) if code is not None)
                codes = tuple(code for code in use.codes if code is not None)
                uncoded = tuple(char for char, code in zip(use.known, use.codes) if code is None)
            try:
                texts = ["".join(map(chr, numbers)) for numbers in (known, codes, uncoded)]  # type: ignore[arg-type]  # no None left
                for text in texts:
                    text.encode("utf-8")  # a surrogate is not UTF-8
            except (ValueError, OverflowError):  # UnicodeEncodeError is a ValueError
                return None
            uses.append([use.font.fontName, use.had_state, use.next_code, use.name, *texts, use.added,
                         use.next_after])
        return ["\n".join(self.code), self.mapped, [font.fontName for font in self.named], uses]

    def font_names(self) -> set[str]:
        """The fonts it shows text in or names (by their names)."""
        return {use.font.fontName for use in self.fonts} | {font.fontName for font in self.named}


def drawing_of(data: Any, font_named: Callable[[str], Any]) -> Drawing:
    """The drawing ``Drawing.data`` made, its fonts looked up by ``font_named``; ValueError
    (or TypeError, KeyError) when ``data`` is not such data. The operators are one ASCII text,
    as the page joins them (each line of it an operator)."""
    code, mapped, named, uses = data
    if not (isinstance(code, str) and code.isascii() and _count(mapped) and isinstance(named, list)
            and isinstance(uses, list)):
        raise ValueError("not a drawing")
    fonts = []
    for use in uses:
        name, had_state, next_code, internal, coded, codes, uncoded, added, next_after = use
        if not (type(had_state) is bool and _count(next_code) and _count(next_after) and isinstance(added, str)
                and (internal is None or isinstance(internal, str)) and isinstance(coded, str)
                and isinstance(codes, str) and len(coded) == len(codes) and isinstance(uncoded, str)):
            raise ValueError("not a font's use")
        fonts.append(_FontUse(font_named(name), had_state, next_code, internal,
                              (*map(ord, coded), *map(ord, uncoded)), (*map(ord, codes), *(None,) * len(uncoded)),
                              added, next_after))
    return Drawing((), [code], fonts, [font_named(name) for name in named], mapped, from_data=True)


def _count(value: Any) -> bool:
    return type(value) is int and value >= 0


class Joined:
    """Drawings replayed one after another on one page, as one drawing: what ``record`` would
    have made of drawing them all (``outputs.drawstore``'s page of faces). Each drawing
    ``replay``ed here says what it showed in which font; the document's font states before
    and after say which characters got codes, as in ``record``. A font registered during the
    page (reading a kept drawing registers the bundled font it needs) has its state taken
    before the first drawing that uses it is replayed: none used it before, as it was not
    registered. A font registered otherwise, or a name given another font, makes it None; so
    does a font first used in the document on this page (a replay makes its state otherwise
    than drawing does: with the character 0 given a code, which no drawing shows)."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.doc = doc = document_of(canvas)
        self.fonts = registered_fonts()
        self.registered = dict(self.fonts)
        self.before = {id(font): (font, *_state_before(font, doc)) for font in self.fonts.values()
                       if getattr(font, "_dynamicFont", 0)}
        self.mapped = len(doc.fontMapping)
        self.operators = page_operators(canvas)
        self.start = len(self.operators)
        self.notes: list[tuple[Any, str]] = []

    def replay(self, drawing: Drawing) -> None:
        """Replay ``drawing`` onto the page, and note what it showed."""
        for font in (*(use.font for use in drawing.fonts), *drawing.named):
            if id(font) not in self.before and getattr(font, "_dynamicFont", False):
                self.before[id(font)] = (font, *_state_before(font, self.doc))
        drawing.replay(self.canvas)
        for use in drawing.fonts:
            self.notes.append((use.font, "".join(map(chr, use.known)) + use.added))

    def drawing(self) -> Drawing | None:
        """The drawings replayed, as one (None when the fonts changed otherwise, or one was new)."""
        fonts, doc = self.fonts, self.doc
        if (any(not had_state and font.state.get(doc) is not None for font, had_state, *_ in self.before.values())
                or any(fonts.get(name) is not font for name, font in self.registered.items())
                or any(id(font) not in self.before for name, font in fonts.items()
                       if name not in self.registered and getattr(font, "_dynamicFont", False))):
            return None
        return _recorded(self.notes, self.before, self.doc, (), self.operators[self.start:], self.mapped)


def drawn(canvas: Canvas, key: Hashable, keep: tuple, draw: Callable[[], None]) -> None:
    """``draw()`` onto ``canvas``, or its remembered drawing under ``key`` replayed when that
    writes the same bytes (see the module docstring). ``key`` says everything the drawing
    depends on; ``keep`` holds the objects it names by ``id``."""
    if not _on or _notes is not None:  # off, or inside a drawing being recorded: just draw
        draw()
        return
    remembered = _drawings.get(key)
    if remembered is not None and remembered.fits(document_of(canvas)):
        _drawings.move_to_end(key)
        remembered.replay(canvas)
        return
    drawing = record(canvas, draw, keep)
    if drawing is None:
        _drawings.pop(key, None)  # it changed more than its page's operators: draw it every time
        return
    _drawings[key] = drawing
    _drawings.move_to_end(key)
    while len(_drawings) > KEPT:
        _drawings.popitem(last=False)


def record(canvas: Canvas, draw: Callable[[], None], keep: tuple = ()) -> Drawing | None:
    """``draw()`` onto ``canvas`` (always), and what it drew as a drawing that can be replayed;
    None when it changed more than its page's operators and the fonts' subsets (a link, a
    font registered, the canvas's state), or gave a character a code unannounced."""
    global _notes
    doc = document_of(canvas)
    fonts = registered_fonts()
    registered = set(fonts)
    dynamic = {id(font): font for font in fonts.values() if getattr(font, "_dynamicFont", 0)}
    before = {key: (font, *_state_before(font, doc)) for key, font in dynamic.items()}
    mapped = len(doc.fontMapping)
    canvas_before = _shallow(canvas.__dict__, "_code")
    doc_before = _shallow(doc.__dict__, "fontMapping", "delayedFonts")
    operators = page_operators(canvas)
    start = len(operators)
    notes: list[tuple[Any, str]] = []
    was, _notes = _notes, notes
    wrapped = [_noting(font, doc) for font in dynamic.values()]
    try:
        draw()
    finally:
        _notes = was
        for font in wrapped:
            del font.splitString
    if (set(fonts) != registered or _shallow(canvas.__dict__, "_code") != canvas_before
            or _shallow(doc.__dict__, "fontMapping", "delayedFonts") != doc_before):
        return None
    return _recorded(notes, before, doc, keep, operators[start:], mapped)


def _state_before(font: Any, doc: Any) -> tuple[bool, int, int, str | None]:
    state = font.state.get(doc)
    if state is None:
        return False, 0, 0, None
    return True, len(state.assignments), state.nextCode, state.internalName


def _noting(font: Any, doc: Any) -> Any:
    """``font`` with its ``splitString`` noting what it is asked to show in ``doc`` (text
    drawn by reportlab's own text objects does not pass through the paragraph encoder)."""
    split = font.splitString

    def noted(text: Any, in_doc: Any, *args: Any, **kwargs: Any) -> Any:
        if in_doc is doc and _notes is not None:
            _notes.append((font, text if isinstance(text, str) else text.decode("utf-8")))
        return split(text, in_doc, *args, **kwargs)

    font.splitString = noted
    return font


def _recorded(notes: list[tuple[Any, str]], before: dict[int, tuple[Any, bool, int, int, str | None]], doc: Any,
              keep: tuple, code: list[str], mapped: int) -> Drawing | None:
    used: dict[int, set[int]] = {}
    for font, text in notes:
        used.setdefault(id(font), set()).update(map(ord, text))
    fonts: list[_FontUse] = []
    named: list[Any] = []
    for key, (font, had_state, count, next_code, internal) in before.items():
        state = font.state.get(doc)
        if state is None:
            continue
        if not had_state:  # made by this drawing: what a new state starts with was not added by it
            count = fresh_state_size(font)
        chars = used.get(key, set())
        if 0xA0 in chars:  # shown as a space
            chars = (chars - {0xA0}) | {0x20}
        grown = len(state.assignments) - count
        added = list(islice(reversed(state.assignments), grown))[::-1] if grown else []
        if not chars and not added and had_state and state.internalName == internal:
            continue  # not used by this drawing
        if not set(added) <= chars:
            return None  # a character given a code by something that did not say so
        if internal is None and state.internalName is not None:
            named.append(font)
        assignments = state.assignments
        known = tuple(sorted(chars - set(added)))
        fonts.append(_FontUse(font, had_state, next_code, internal, known, tuple(map(assignments.get, known)),
                              "".join(map(chr, added)), state.nextCode))
    order = list(doc.fontMapping)
    named.sort(key=lambda font: order.index(font.fontName))
    return Drawing(keep, code, fonts, named, mapped)


def _shallow(attributes: dict[str, Any], *skip: str) -> tuple[tuple[str, ...], tuple[int, ...], list[int]]:
    """Which attributes there are, which object each holds and, for a container (but those
    in ``skip``, which a drawing adds to), how many items: what a drawing that only adds
    operators to the page leaves as it was. (A tuple of the ids made at C speed: as a dict of
    pairs it was two thirds of what recording a drawing cost, 48 of 69 µs.)"""
    keys = tuple(attributes)
    names = _HELD_CONTAINERS.get((keys, skip))
    if names is None:  # which attributes held containers, once per set of attributes
        if len(_HELD_CONTAINERS) > 64:
            _HELD_CONTAINERS.clear()
        names = _HELD_CONTAINERS[(keys, skip)] = tuple(
            name for name, value in attributes.items() if isinstance(value, _CONTAINERS) and name not in skip)
    lengths = [len(value) if isinstance(value := attributes[name], _CONTAINERS) else -1 for name in names]
    return keys, tuple(map(id, attributes.values())), lengths  # an attribute given another object: its id


_CONTAINERS = (list, dict, set)
_HELD_CONTAINERS: dict[tuple[tuple[str, ...], tuple[str, ...]], tuple[str, ...]] = {}
