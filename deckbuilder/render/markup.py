"""Markdown text to reportlab flowables.

markdown-it-py (CommonMark, raw HTML *off*) turns text into a flat token stream; one
small rule per token type turns that into flowables. Paragraph text becomes styled runs
for RichText (render/richtext.py), which never parses markup, so ``AT&T`` or ``<5%``
cannot be mistaken for tags; runs are split by which bundled font has each character.
Links keep their text and lose any scheme but http(s) and mailto.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from reportlab.lib.colors import black
from reportlab.pdfbase.pdfmetrics import stringWidth

from . import fonts, typography
from .bars import BarHeading
from .reportlab_seam import Flowable, HRFlowable, Spacer
from .richtext import RichText, Run

if TYPE_CHECKING:
    from markdown_it.token import Token
# markdown-it-py (``mdparse``) is imported where a text is first parsed: a warm build sets no
# face from its Markdown (``render.parsers`` says why that matters), so it may never be.

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
# More columns than a card can hold at a legible size (about 1.5 cm each on a 3x5 card);
# content with a wider table is refused by the loader, a template's is set a row to a line.
MAX_TABLE_COLUMNS = 12


class Tokens(tuple["Token", ...]):
    """A text's token stream, and whether the Rust parser read it (``mdparse``)."""

    by_rust: bool = False


@lru_cache(maxsize=512)
def parse(text: str) -> Tokens:
    """The token stream of ``text``, remembered: the sheet sets the same sections at every
    size and column count it tries, and ``watch`` sets them again on every save. The
    tokens are shared between callers, so they are read, never changed."""
    from . import mdparse

    primed = _PRIMED.pop(text, None)
    if primed is not None and mdparse.rust_available():
        return primed
    tokens, by_rust = mdparse.parse_read(text)
    parsed = Tokens(tokens)
    parsed.by_rust = by_rust
    return parsed


_PRIMED: dict[str, Tokens] = {}  # texts whose tokens are known before they are parsed (``prime``)
PRIMED_KEPT = 64  # each is asked for right after it is primed: a few are plenty


def prime(text: str, tokens: list[Token]) -> None:
    """Tokens the Rust parser would give ``text``, known without parsing it, for the next
    ``parse`` of it that is not remembered: a card face's body is cut from the face's own
    tokens (``faceparts``), which saves parsing most of every face twice."""
    if len(_PRIMED) >= PRIMED_KEPT:
        _PRIMED.clear()
    primed = _PRIMED[text] = Tokens(tokens)
    primed.by_rust = True


def plain_runs(text: str, bold: bool = False, italic: bool = False) -> list[Run]:
    """Plain text (not Markdown) as runs with font fallback; newlines break lines."""
    from markdown_it.token import Token

    return inline_runs([Token("text", "", 0, content=text)], bold=bold, italic=italic)


@dataclass(frozen=True)
class TextStyle:
    """The few numbers a block of text needs; every length derives from the size."""

    size: float
    leading: float = 1.22
    heading_scale: float = 1.15
    space_after: float = 0.35  # in units of the font size
    subheading_scale: float = 1.0  # level-3 headings (the sheet's sub-headings stand above its body)
    section_bars: bool = False  # level-2 headings as reversed-out bars (render.bars; the sheet)


def to_flowables(text: str, style: TextStyle) -> list[Flowable]:
    """Block Markdown (paragraphs, lists, headings, quotes, rules, tables) as flowables.

    Remembered per (text, style), like ``parse``: the sheet tries each section at the same
    few sizes on every ``watch`` rebuild. A flowable may so be handed out more than once;
    that is safe because all a flowable keeps between calls is what its last ``wrap``
    worked out, and every user wraps it right before measuring or drawing it.
    """
    return list(_flowables(text, style))


@lru_cache(maxsize=256)
def _flowables(text: str, style: TextStyle) -> tuple[Flowable, ...]:
    return tuple(_Blocks(style).run(parse(text)))


def inline_runs(children: list[Token], bold: bool = False, italic: bool = False) -> list[Run]:
    """Inline tokens as styled runs, split by which bundled font has each character."""
    runs: list[Run] = []
    state = {"bold": bold, "italic": italic, "strike": False}
    links: list[str | None] = []

    def add(text: str) -> None:
        text = typography.prose(text.replace("\t", "    "))  # no font draws a tab: it would print as a box
        link = links[-1] if links else None
        for part, is_label in typography.split_labels(text):
            face = fonts.ensure(fonts.BODY if is_label else _FACES[(state["bold"], state["italic"])])
            for font, piece in fonts.split_runs(part):
                runs.append(Run(piece, face if font == fonts.BODY else font, link, state["strike"], is_label))

    def add_code(text: str) -> None:
        mono = fonts.ensure(fonts.MONO_BOLD if state["bold"] else fonts.MONO)
        body = fonts.ensure(_FACES[(state["bold"], state["italic"])])
        link = links[-1] if links else None
        for font, piece in fonts.split_code_runs(text.replace("\t", "    "), mono):
            runs.append(Run(piece, body if font == fonts.BODY else font, link, state["strike"]))

    for tok in children:
        kind = tok.type
        if kind == "code_inline" or (kind == "text" and tok.meta.get("code")):
            add_code(tok.content or "")
        elif kind in ("text", "image", "html_inline"):
            add(tok.content or "")
        elif kind in ("strong_open", "strong_close"):
            state["bold"] = kind == "strong_open" or bold
        elif kind in ("em_open", "em_close"):
            state["italic"] = kind == "em_open" or italic
        elif kind in ("s_open", "s_close"):
            state["strike"] = kind == "s_open"
        elif kind == "softbreak":
            add(" ")
        elif kind == "hardbreak":
            add("\n")
        elif kind == "link_open":
            href = str(tok.attrs.get("href", ""))
            links.append(href if href.lower().startswith(SAFE_LINK_SCHEMES) else None)
        elif kind == "link_close" and links:
            links.pop()
    return runs


def _keep_spaces(code: str) -> str:
    """Code with its indentation and alignment kept: line breaking collapses spaces, so
    leading spaces and all but the last of a run of spaces become no-break spaces (the
    last stays breakable, so a long line can still wrap)."""
    lines = []
    for line in code.split("\n"):
        stripped = line.lstrip(" ")
        body = re.sub(r" +(?= )", lambda m: "\u00a0" * len(m.group(0)), stripped)
        lines.append("\u00a0" * (len(line) - len(stripped)) + body)
    return "\n".join(lines)


_FACES = {(False, False): fonts.BODY, (True, False): fonts.BODY_BOLD,
          (False, True): fonts.BODY_ITALIC, (True, True): fonts.BODY_BOLD_ITALIC}


class CellText(RichText):
    """Text in a table cell. A URL or a long number must not claim the whole row (reportlab
    would then give the other columns a negative width and fail): wrapping cuts such a
    word anyway, so a cell asks for at most about eight ems."""

    def minWidth(self) -> float:  # noqa: N802 - reportlab API
        return min(super().minWidth(), 8 * self.size + self.indent)


class _Blocks:
    """Walks block tokens, one small rule per token type."""

    def __init__(self, style: TextStyle) -> None:
        fonts.register_fonts()
        self.style = style
        self.out: list[Flowable] = []
        self.lists: list[list] = []  # stack of [ordered, next number]
        self.pending_bullet: str | None = None
        self.heading: int = 0
        self.quote_depth = 0

    def indent(self) -> float:
        return (len(self.lists) + self.quote_depth) * self.style.size * 1.1

    def run(self, tokens: Sequence[Token]) -> list[Flowable]:
        i = 0
        while i < len(tokens):
            i = self.block(tokens, i)
        return self.out

    def block(self, tokens: Sequence[Token], i: int) -> int:
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            self.heading = int(tok.tag[1])
        elif kind == "heading_close":
            self.heading = 0
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrs.get("start", 1)) if kind == "ordered_list_open" else 0
            self.lists.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_close":
            self.pending_bullet = None  # an empty item: its marker must not land on the next paragraph
        elif kind == "list_item_open":
            ordered, number = self.lists[-1]
            self.pending_bullet = f"{number}." if ordered else "•"
            self.lists[-1][1] += 1
        elif kind == "blockquote_open":
            self.quote_depth += 1
        elif kind == "blockquote_close":
            self.quote_depth -= 1
        elif kind == "inline":
            self.paragraph(inline_runs(tok.children or [], bold=bool(self.heading), italic=bool(self.quote_depth)))
        elif kind in ("fence", "code_block"):
            from markdown_it.token import Token

            code = Token("text", "", 0, content=_keep_spaces(tok.content.rstrip("\n")), meta={"code": True})
            self.paragraph(inline_runs([code]), extra_indent=self.style.size)
        elif kind == "hr":
            self.out.append(HRFlowable(width="100%", thickness=0.05 * self.style.size,
                                       spaceBefore=0.2 * self.style.size, spaceAfter=0.4 * self.style.size))
        elif kind == "table_open":
            return self.table(tokens, i)
        return i + 1

    def paragraph(self, runs: list[Run], extra_indent: float = 0.0) -> None:
        size = self.style.size * (self.style.heading_scale if self.heading in (1, 2)
                                  else self.style.subheading_scale if self.heading == 3 else 1.0)
        indent = self.indent() + extra_indent
        bullet_indent = 0.0
        if self.pending_bullet:
            # Room for the marker and a space: "10." is wider than "•", so the text moves right.
            marker = stringWidth(self.pending_bullet + " ", fonts.BODY, size)
            bullet_indent = max(indent - size * 1.1, 0.0)
            indent = max(indent, bullet_indent + marker)
        kind = BarHeading if self.heading == 2 and self.style.section_bars else RichText
        text = kind(runs, size, size * self.style.leading, indent=indent,
                    bullet=self.pending_bullet, bullet_indent=bullet_indent,
                    space_after=size * self.style.space_after)
        if self.heading:
            text.balanced = True
            text.keepWithNext = True  # layouts that break between flowables never strand a heading
        self.out.append(text)
        self.pending_bullet = None

    def _rows_as_lines(self, rows: list[list[list[Run]]]) -> None:
        """A table too wide for any card or page, each row as one line of its cells joined by
        ' · ' (reportlab would give every column less than its padding and fail)."""
        size = self.style.size
        for row in rows:
            runs: list[Run] = []
            for n, cell in enumerate(row):
                runs += ([Run(" · ", fonts.BODY)] if n else []) + cell
            self.out.append(RichText(runs, size, size * self.style.leading,
                                     space_after=size * self.style.space_after))

    def table(self, tokens: Sequence[Token], i: int) -> int:
        rows: list[list[Flowable]] = []
        cell_runs: list[list[list[Run]]] = []
        header_rows = 0
        in_head = False
        size = self.style.size
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                rows.append([])
                cell_runs.append([])
                header_rows += in_head
            elif tok.type == "inline":
                cell_runs[-1].append(inline_runs(tok.children or [], bold=in_head))
                rows[-1].append(CellText(cell_runs[-1][-1], size, size * self.style.leading))
            i += 1
        if rows and max(len(r) for r in rows) > MAX_TABLE_COLUMNS:
            self._rows_as_lines(cell_runs)  # from a template (content is checked): fit it, a row to a line
        elif rows:
            from .flextable import FlexTable, TableStyle  # most of reportlab's platypus: only for a table

            width = max(len(r) for r in rows)
            rows = [r + [Spacer(0, 0)] * (width - len(r)) for r in rows]
            pad = 0.3 * size
            # FONT: Table sets its own default (Helvetica, never embedded) on the canvas even though our
            # cells draw their own text; naming the body font keeps every font in the file embedded.
            commands = [("FONT", (0, 0), (-1, -1), fonts.BODY, size),
                        ("GRID", (0, 0), (-1, -1), 0.04 * size, black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.5), ("BOTTOMPADDING", (0, 0), (-1, -1), pad)]
            if header_rows:
                commands.append(("LINEBELOW", (0, 0), (-1, header_rows - 1), 0.1 * size, black))
            table = FlexTable(rows, hAlign="LEFT", spaceAfter=size * self.style.space_after)
            table.setStyle(TableStyle(commands))
            self.out.append(table)
        return i + 1
