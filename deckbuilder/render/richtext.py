"""A lean paragraph flowable: styled runs, greedy line breaking, drawn with a text object.

reportlab's Paragraph parses an XML-like markup string and re-examines every fragment
each time it wraps; shrink-to-fit wraps each face several times, and that dominated the
build time (profiled: 5.6 s of a 6.4 s 1000-card build). Here text arrives already split
into runs (font, text, link) by the Markdown converter, word widths are measured once with
reportlab's C string-width routine, and wrapping at any width is a loop over numbers.
No markup is ever parsed, so nothing in the text can be mistaken for a tag.
"""

from __future__ import annotations

import copy
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from . import replay
from .reportlab_seam import Flowable, append_operators, document_of
from .typography import DROPPED_AT_LINE_END, JOINERS, url_break

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

ASCENT = 0.76  # DejaVu Sans ascent per unit of font size (reportlab face metrics: 760/1000)
LINK_COLOUR = HexColor("#1a4f8b")
LABEL_COLOUR = HexColor("#555555")  # render.design.GREY (design imports nothing from here either way)

_WIDTHS: dict[tuple[str, str, float], float] = {}
_WIDTHS_LIMIT = 200_000  # distinct (word, font, size) triples; a long ``watch`` never grows without end


def text_width(text: str, font: str, size: float) -> float:
    """reportlab's stringWidth, remembered per (text, font, size).

    A deck says the same words over and over in a handful of fonts and sizes; a dict
    lookup costs a third of a call through pdfmetrics into the C routine (profiled:
    316,000 calls for a 1,000-card deck), and the value is the very same float.
    """
    key = (text, font, size)
    width = _WIDTHS.get(key)
    if width is None:
        if len(_WIDTHS) >= _WIDTHS_LIMIT:
            _WIDTHS.clear()
        width = _WIDTHS[key] = stringWidth(text, registered(font), size)
    return width


def registered(font: str) -> str:
    """``font``, registered with reportlab here if it is a bundled font that is not yet: text
    set in a forked process (``outputs.fitmany``, the deck planned alongside) registers the
    fonts it needs there only, and is drawn here (a question's *π* in bold italics crashed)."""
    if font not in _REGISTERED:
        from . import fonts

        if font in fonts.BUNDLED:
            fonts.ensure(font)
        _REGISTERED.add(font)
    return font


_REGISTERED: set[str] = set()


_PIECES: dict[tuple[str, str, float, str | None, bool, bool], _Piece] = {}


def _piece(text: str, font: str, size: float, link: str | None, strike: bool, grey: bool = False) -> _Piece:
    """The measured piece for this text, shared by all its occurrences.

    Pieces never change, and a deck repeats its vocabulary: sharing them (and their
    strings) took a fifth off the memory of the set faces of a 1,000-card deck.
    """
    key = (text, font, size, link, strike, grey)
    piece = _PIECES.get(key)
    if piece is None:
        if len(_PIECES) >= _WIDTHS_LIMIT:
            _PIECES.clear()
        piece = _PIECES[key] = _Piece(text, font, text_width(text, font, size), link, strike, grey)
    return piece


@dataclass(frozen=True)
class Run:
    """A stretch of text in one font, optionally a link or struck through."""

    text: str
    font: str
    link: str | None = None
    strike: bool = False
    grey: bool = False  # a section label (render.typography): secondary text


class _Piece(NamedTuple):
    """A measured stretch of a word in one font (a tuple: a deck makes a few hundred thousand)."""

    text: str
    font: str
    width: float
    link: str | None
    strike: bool
    grey: bool = False


_BREAK = None  # a forced line break (Markdown hard break) in the word list
_JOINER_ENDS = "".join({joiner[-1] for joiner in JOINERS})


class RichText(Flowable):
    """One paragraph: optional bullet, left indent, ragged right, fixed leading."""

    ink = "0 0 0 rg"  # the fill operator for plain text (a reversed-out heading draws white)
    replayable = True  # its drawing depends on itself, its wrap width and its place only (render.replay)
    decorated = True  # some piece is a link or struck through (set per paragraph in __init__)

    def __init__(self, runs: list[Run], size: float, leading: float, *, indent: float = 0.0,
                 bullet: str | None = None, bullet_font: str = "Deck", bullet_indent: float = 0.0,
                 space_after: float = 0.0, space_before: float = 0.0) -> None:
        super().__init__()
        self.size = size
        self.leading = leading
        self.indent = indent
        self.bullet = bullet
        self.bullet_font = bullet_font
        self.bullet_indent = bullet_indent
        self.spaceAfter = space_after
        self.spaceBefore = space_before
        self.balanced = False  # a heading: its lines are made about equally long (see _balance)
        self.decorated = any(run.link or run.strike for run in runs)  # something to draw beside the text
        self.words = self._words(runs)
        self._measure_words()

    def _measure_words(self) -> None:
        """Each word's width and the width of the space after it, once, for every wrap."""
        widths: list[float | None] = []
        spaces: list[float] = []
        joins: list[bool] = []  # the word ends with a joining separator ("CPU\u00a0→"): a line does not end on it
        space_in: dict[str, float] = {}
        size = self.size
        for word in self.words:
            if word is _BREAK:
                widths.append(None)
                spaces.append(0.0)
                joins.append(False)
                continue
            last = word[-1]
            font = last.font
            space = space_in.get(font)
            if space is None:
                space = space_in[font] = text_width(" ", font, size)
            # sum() of one float is that float: the same number, without the generator.
            widths.append(word[0].width if len(word) == 1 else sum(p.width for p in word))
            spaces.append(space)
            # The arrow may be a piece in a fallback font of its own: look at the last two pieces,
            # for the few words whose last character is one a joiner ends with.
            joins.append(last.text[-1:] in _JOINER_ENDS and "".join(p.text for p in word[-2:]).endswith(JOINERS))
        self.widths, self.spaces, self.joins = widths, spaces, joins
        self.widest = max((w for w in widths if w is not None), default=0.0)
        self._broken_at: float | None = None  # the width _lines were broken for
        self._lines: list[list] = []

    # -- measuring -----------------------------------------------------------------

    def _words(self, runs: list[Run]) -> list:
        """Words as lists of measured pieces; a word may change font midway ("**3**x")."""
        words: list = []
        current: list[_Piece] = []
        size = self.size
        known = _PIECES  # ``_piece``'s table, looked up here: a deck's paragraphs have some 50,000 words
        for run in runs:
            font, link, strike, grey = run.font, run.link, run.strike, run.grey
            parts = run.text.split("\n") if "\n" in run.text else [run.text]
            for n, part in enumerate(parts):
                if n:
                    if current:
                        words.append(current)
                        current = []
                    words.append(_BREAK)
                chunks = part.split(" ")
                for i, chunk in enumerate(chunks):
                    if i and current:
                        words.append(current)
                        current = []
                    if chunk:
                        piece = known.get((chunk, font, size, link, strike, grey))
                        current.append(piece if piece is not None else _piece(chunk, font, size, link, strike, grey))
        if current:
            words.append(current)
        return words

    def _space(self, word: list[_Piece]) -> float:
        return text_width(" ", word[-1].font, self.size)

    def _break(self, width: float) -> list[list]:
        """Greedy line breaking; a word wider than the line is split between characters."""
        if width == self._broken_at:
            return self._lines
        avail = max(width - self.indent, self.size)  # never loop forever on a silly width
        # Only the last width is kept: drawing follows measuring at the same width, and a
        # deck holds thousands of paragraphs whose other trial widths are of no more use.
        self._lines = self._greedy(avail) if self.widest <= avail else self._break_cutting(avail)
        if self.balanced and len(self._lines) > 1 and self.widest <= avail:
            self._lines = self._balance(avail, len(self._lines))
        self._broken_at = width
        return self._lines

    def _greedy(self, avail: float) -> list[list]:
        """Line breaking when every word fits on a line: a loop over the measured widths
        that only notes where lines start (the size search calls this for every size it
        tries). The arithmetic is _break_cutting's, step for step, so both break alike."""
        words, widths, spaces = self.words, self.widths, self.spaces
        lines: list[list] = []
        start, used, empty = 0, 0.0, True
        for i, width in enumerate(widths):
            if width is None:  # a forced line break
                lines.append(words[start:i])
                start, used, empty = i + 1, 0.0, True
            elif empty:
                used, empty = width, False
            elif used + spaces[i - 1] + width > avail:
                cut, carried = i, width
                while cut - 1 > start and self.joins[cut - 1]:  # "… US → Japan →" must not end a line:
                    cut -= 1  # take the chain of joined words to the next line, if it fits there
                    carried += widths[cut] + spaces[cut]  # type: ignore[operator]
                if cut < i and carried > avail:
                    cut, carried = i, width
                lines.append(words[start:cut])
                start, used = cut, carried
            else:
                used += spaces[i - 1] + width
        lines.append(words[start:])
        return lines

    def _balance(self, avail: float, count: int) -> list[list]:
        """The greedy lines at the narrowest width that still needs only ``count`` lines: a
        heading then breaks into lines of about equal length instead of leaving one word alone
        on its last line. The line count, and so the height, is the greedy one."""
        lo, hi = max(self.widest, avail / count), avail
        best = self._greedy(avail)
        for _ in range(12):
            if hi - lo < 0.5:
                break
            mid = (lo + hi) / 2
            lines = self._greedy(mid)
            if len(lines) <= count:
                hi, best = mid, lines
            else:
                lo = mid
        return best

    def _break_cutting(self, avail: float) -> list[list]:
        """The general case: a word wider than the whole line is cut between characters."""
        lines: list[list] = [[]]
        used = 0.0
        for word in self.words:
            if word is _BREAK:
                lines.append([])
                used = 0.0
                continue
            word_width = sum(p.width for p in word)
            gap = self._space(lines[-1][-1]) if lines[-1] else 0.0
            if lines[-1] and used + gap + word_width > avail:
                lines.append([])
                used, gap = 0.0, 0.0
            if word_width > avail:
                for piece_word in self._split_long(word, avail - used - gap, avail):
                    if lines[-1] and used + gap + sum(p.width for p in piece_word) > avail:
                        lines.append([])
                        used, gap = 0.0, 0.0
                    lines[-1].append(piece_word)
                    used += gap + sum(p.width for p in piece_word)
                    gap = 0.0
                continue
            lines[-1].append(word)
            used += gap + word_width
        return lines

    def _split_long(self, word: list[_Piece], first_room: float, avail: float) -> list[list[_Piece]]:
        """Cut an over-long word (a URL, a long number) into line-sized chunks."""
        chunks: list[list[_Piece]] = [[]]
        room = first_room if first_room > self.size else avail
        for piece in word:
            text = ""
            for char in piece.text:
                w = text_width(text + char, piece.font, self.size)
                if w > room and (text or chunks[-1]):
                    cut = url_break(text, len(text)) if text else 0  # a URL breaks after / . or -
                    text, carry = text[:cut], text[cut:]
                    if text:
                        chunks[-1].append(_Piece(text, piece.font, text_width(text, piece.font, self.size),
                                                 piece.link, piece.strike, piece.grey))
                    chunks.append([])
                    room, text = avail, carry + char
                else:
                    text += char
            if text:
                chunks[-1].append(_Piece(text, piece.font, text_width(text, piece.font, self.size),
                                         piece.link, piece.strike, piece.grey))
                room -= text_width(text, piece.font, self.size)
        return [c for c in chunks if c]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        self._break(availWidth)
        self.width = availWidth
        self.height = max(len(self._lines), 1) * self.leading
        return self.width, self.height

    def minWidth(self) -> float:  # noqa: N802 - reportlab API (tables ask for it)
        return self.widest + self.indent

    def split(self, availWidth: float, availHeight: float) -> list[RichText]:  # noqa: N803 - reportlab API
        """The lines that fit in ``availHeight`` and the rest, as two paragraphs (the rest
        without the bullet); [] when not even one line fits or everything does.

        Cuts after the last whole word of the last fitting line (a word cut between
        letters across that line stays whole on the rest's side).
        """
        lines = self._break(availWidth)
        count = int((availHeight + 1e-6) // self.leading)
        if count < 1 or count >= len(lines):
            return []
        kept = {id(word) for line in lines[:count] for word in line}
        last = max((i for i, word in enumerate(self.words) if word is not _BREAK and id(word) in kept), default=-1)
        if last < 0:
            return []
        rest_words = self.words[last + 1:]
        while rest_words and rest_words[0] is _BREAK:
            rest_words = rest_words[1:]
        if not rest_words:
            return []
        first, rest = copy.copy(self), copy.copy(self)
        first.words, rest.words = self.words[:last + 1], rest_words
        first.spaceAfter, rest.spaceBefore, rest.bullet = 0.0, 0.0, None
        for part in (first, rest):
            part._measure_words()
        return [first, rest]

    def split_all(self, availWidth: float, first_room: float, room: float) -> list[RichText]:  # noqa: N803
        """The paragraph dealt at once onto a first space ``first_room`` high and then spaces
        ``room`` high: the same pieces as calling ``split`` on each rest in turn, in time
        linear in the words (each ``split`` re-measured and re-broke the whole rest: a
        200,000-word field took minutes). Falls back to ``split`` when a word is wider than
        the line (then a rest breaks differently from the whole)."""
        lines = self._break(availWidth)
        first = int((first_room + 1e-6) // self.leading)
        per = int((room + 1e-6) // self.leading)
        if first < 1 or per < 1 or first >= len(lines) or self.widest > max(availWidth - self.indent, self.size):
            return self.split(availWidth, first_room)
        index = {id(word): i for i, word in enumerate(self.words) if word is not _BREAK}
        line_last, last = [], -1  # the last whole word of each line and every line before it
        for line in lines:
            for word in line:
                last = max(last, index.get(id(word), -1))
            line_last.append(last)
        cuts, at = [], first
        while at < len(lines):
            cuts.append(line_last[at - 1])
            at += per
        pieces: list[RichText] = []
        start = 0
        for cut in cuts:
            end = cut
            while end >= start and self.words[end] is _BREAK:
                end -= 1
            if end < start:
                break  # no whole word fits: leave the rest to split
            pieces.append(self._piece_of(start, end + 1, first=not pieces))
            start = cut + 1
            while start < len(self.words) and self.words[start] is _BREAK:
                start += 1
        if start >= len(self.words):
            if len(pieces) < 2:
                return []
            pieces[-1].spaceAfter = self.spaceAfter
            return pieces
        pieces.append(self._piece_of(start, len(self.words), first=not pieces))
        pieces[-1].spaceAfter = self.spaceAfter
        return pieces if len(pieces) >= 2 else []

    def _piece_of(self, start: int, end: int, first: bool) -> RichText:
        """Words ``start:end`` as a paragraph of their own, measured by slicing this one's
        measurements (the widest word is this one's: an upper bound, all line breaking needs)."""
        part = copy.copy(self)
        part.words = self.words[start:end]
        part.widths, part.spaces = self.widths[start:end], self.spaces[start:end]
        part._broken_at, part._lines = None, []
        part.spaceAfter = 0.0
        if not first:
            part.spaceBefore, part.bullet = 0.0, None
        return part

    # -- drawing -------------------------------------------------------------------

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802,N803 - reportlab API
        """Draw with the bottom-left corner at (x, y).

        reportlab's Flowable.drawOn wraps every flowable in save-state, translate and
        restore-state; a paragraph writes absolute positions instead, which is the same
        picture for a tenth of the work (a deck draws some 7,500 paragraphs)."""
        self._draw(canvas, x, y)

    def draw(self) -> None:
        self._draw(self.canv, 0.0, 0.0)

    def _draw(self, canvas: Canvas, x0: float, y0: float) -> None:
        """The paragraph as one PDF text object: a text matrix per line, then its shows."""
        shows = _Shows.of(canvas)
        ops = ["BT"]
        decorations: list[tuple[_Piece, float, float]] = []
        first_baseline = y0 + self.height - (self.leading - self.size) / 2 - ASCENT * self.size
        size = fp_str(self.size)
        for n, line in enumerate(self._lines):
            baseline = first_baseline - n * self.leading
            bullet = self.bullet if n == 0 else None
            self._line_ops(shows, ops, decorations, line, x0 + self.indent, x0 + self.bullet_indent, baseline, bullet,
                           size)
        ops.append("ET")
        append_operators(canvas, " ".join(ops))
        for piece, start, baseline in decorations:
            if piece.strike:
                y = baseline + self.size * 0.3
                canvas.setLineWidth(self.size * 0.06)
                canvas.line(start, y, start + piece.width, y)
            if piece.link:
                canvas.linkURL(piece.link, (start, baseline - self.size * 0.24, start + piece.width,
                                            baseline + self.size * 0.76), relative=1)

    def _line_ops(self, shows: _Shows, ops: list[str], decorations: list, line: list[list[_Piece]], x: float,
                  bullet_x: float, baseline: float, bullet: str | None, size: str) -> None:
        """One line: one text-show per change of font or colour (word-by-word shows made
        the file and the drawing slow), the bullet in the same text object so that text
        extraction reads "1. item" as one line. ``size`` is the font size as the PDF writes it.

        A deck draws some 11,000 lines: the pieces are gathered into shows in one pass, and
        where the paragraph has no link or strike-through nothing is measured."""
        if bullet:
            ops.append(f"1 0 0 1 {fp_str(bullet_x, baseline)} Tm")
            shows.show(ops, self.bullet_font, size, bullet + " ")
            ops.append(f"{fp_str(x - bullet_x)} 0 Td")
        else:
            ops.append(f"1 0 0 1 {fp_str(x, baseline)} Tm")
        groups: list[tuple[str, str, list[str]]] = []  # (font, colour, texts) of one show each, spaces included
        group_font = group_colour = ""
        texts: list[str] = []
        decorated = self.decorated
        cursor = x
        previous: _Piece | None = None
        for word in _without_trailing_separator(line):
            if previous is not None:  # the space before the word: in the previous piece's font
                font = previous.font
                colour = (_LINK_RG if previous.link and previous.link == word[0].link
                          else _GREY_RG if previous.grey and word[0].grey else _BLACK_RG)
                if font == group_font and colour == group_colour:
                    texts.append(" ")
                else:
                    group_font, group_colour, texts = font, colour, [" "]
                    groups.append((font, colour, texts))
                if decorated:
                    cursor += text_width(" ", font, self.size)
            for piece in word:
                font = piece.font
                colour = _LINK_RG if piece.link else _GREY_RG if piece.grey else _BLACK_RG
                if font == group_font and colour == group_colour:
                    texts.append(piece.text)
                else:
                    group_font, group_colour, texts = font, colour, [piece.text]
                    groups.append((font, colour, texts))
                if decorated:
                    if piece.link or piece.strike:
                        decorations.append((piece, cursor, baseline))
                    cursor += piece.width
            previous = word[-1]
        ink = self.ink
        current = _BLACK_RG
        for font, colour, group in groups:
            colour = ink if colour == _BLACK_RG else colour
            if colour != current:
                ops.append(colour)
                current = colour
            shows.show(ops, font, size, "".join(group))
        if current != _BLACK_RG:
            ops.append(_BLACK_RG)


def draw_string(canvas: Canvas, x: float, y: float, text: str, font: str, size: float, *,
                right: bool = False) -> None:
    """canvas.drawString (or, with ``right``, drawRightString) for one line in a bundled
    font, through the same per-document encoding as paragraphs; in the canvas's current
    fill colour. A deck draws two of these on every face."""
    if right:
        x -= text_width(text, font, size)
    ops = [f"BT 1 0 0 1 {fp_str(x, y)} Tm"]
    _Shows.of(canvas).show(ops, font, fp_str(size), text)
    ops.append("ET")
    append_operators(canvas, " ".join(ops))


# The fill operators for text (a piece, or the space after one): black, label grey, link blue.
_BLACK_RG = "0 0 0 rg"
_GREY_RG = f"{fp_str(*LABEL_COLOUR.rgb())} rg"
_LINK_RG = f"{fp_str(*LINK_COLOUR.rgb())} rg"


def _without_trailing_separator(line: list[list[_Piece]]) -> list[list[_Piece]]:
    """The line without a middle dot at its end (``render.typography``): the break separates."""
    if not line or not line[-1]:
        return line
    last = line[-1][-1]
    stripped = last.text.rstrip(" \u00a0")
    if not stripped.endswith(DROPPED_AT_LINE_END) or stripped == last.text.strip() == DROPPED_AT_LINE_END and \
            len(line) == 1 and len(line[-1]) == 1:
        return line
    text = stripped[:-1].rstrip(" \u00a0")
    word = line[-1][:-1] + ([last._replace(text=text, width=last.width)] if text else [])
    return line[:-1] + ([word] if word else [])



class _Shows:
    """Text-show operators for one PDF document, in the document's subsets of each font.

    reportlab's text object encodes every string it shows character by character
    (TTFont.splitString gives each new character a code in a subset of the font) and
    formats it through several layers: that was most of the time spent drawing a deck.
    The code a document gives a character never changes, so once a character has been
    through splitString its code is kept in a translation table, and a string whose
    characters are all known is encoded by ``str.translate``. Strings are still asked
    for in drawing order, so characters get the codes they always got.
    """

    _by_doc: weakref.WeakKeyDictionary[object, _Shows] = weakref.WeakKeyDictionary()

    def __init__(self, doc: object) -> None:
        self.doc = doc
        self.known: dict[str, set[str]] = {}  # font -> characters with a code in subset 0
        self.codes: dict[str, dict[int, str]] = {}  # font -> {character: its code, as a latin-1 char}
        self.names: dict[tuple[str, int], str] = {}

    @classmethod
    def of(cls, canvas: Canvas) -> _Shows:
        doc = document_of(canvas)
        shows = cls._by_doc.get(doc)
        if shows is None:
            shows = cls._by_doc[doc] = cls(doc)
        return shows

    def show(self, ops: list[str], font: str, size: str, text: str) -> None:
        """Append the operators that show ``text`` in ``font`` (a Tf per subset used)."""
        known = self.known.get(font)
        if known is not None and known.issuperset(text):  # ``encode``'s common case, inline
            if replay.recording():  # as ``encode`` does: a replayed drawing is checked against what it shows
                replay.note(font, text)
            data = text.translate(self.codes[font]).encode("latin-1")
            ops.append(f"{self.subset_name(font, 0)} {size} Tf ({escapePDF(data)}) Tj")
            return
        for subset, data in self.encode(font, text):
            ops.append(f"{self.subset_name(font, subset)} {size} Tf ({escapePDF(data)}) Tj")

    def encode(self, font: str, text: str) -> list[tuple[int, bytes]]:
        registered(font)  # before the note too: it looks the font up
        if replay.recording():
            replay.note(font, text)
        known = self.known.setdefault(font, set())
        codes = self.codes.setdefault(font, {})
        if known.issuperset(text):
            return [(0, text.translate(codes).encode("latin-1"))]
        pieces = getFont(font).splitString(text, self.doc)
        at = 0  # splitString gives exactly one byte per character
        for subset, data in pieces:
            if subset == 0:
                for char, code in zip(text[at:at + len(data)], data):
                    known.add(char)
                    codes[ord(char)] = chr(code)
            at += len(data)
        return pieces

    def subset_name(self, font: str, subset: int) -> str:
        key = (font, subset)
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = getFont(registered(font)).getSubsetInternalName(subset, self.doc)
        return name
