"""Markdown text to reportlab flowables.

markdown-it-py (CommonMark, raw HTML *off*) turns text into a flat token stream; one
small rule per token type turns that into reportlab's paragraph markup. Every piece of
plain text is escaped on the way (reportlab paragraphs are themselves markup: ``AT&T``
or ``<5%`` would otherwise be eaten), and split into runs by which bundled font has
each character. Links keep their text and lose any scheme but http(s) and mailto.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib.colors import black, HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from . import fonts

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
LINK_COLOUR = HexColor("#1a4f8b")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])


def parse(text: str) -> list[Token]:
    return _parser().parse(text)


def inline_markup(text: str) -> str:
    """Plain text as safe paragraph markup: escaped, with font fallback per character."""
    out = []
    for font, run in fonts.split_runs(text):
        run = escape(run)
        out.append(run if font == fonts.BODY else f'<font name="{font}">{run}</font>')
    return "".join(out)


def markdown_inline(text: str) -> str:
    """A one-line Markdown string (a title, a trigger) as paragraph markup."""
    tokens = parse(text)
    parts = [_inline(t.children or []) for t in tokens if t.type == "inline"]
    return "<br/>".join(parts)


def _inline(children: list[Token]) -> str:
    out: list[str] = []
    link_open: list[bool] = []
    for tok in children:
        kind = tok.type
        if kind == "text":
            out.append(inline_markup(tok.content))
        elif kind == "code_inline":
            out.append(inline_markup(tok.content))
        elif kind == "strong_open":
            out.append("<b>")
        elif kind == "strong_close":
            out.append("</b>")
        elif kind == "em_open":
            out.append("<i>")
        elif kind == "em_close":
            out.append("</i>")
        elif kind == "s_open":
            out.append("<strike>")
        elif kind == "s_close":
            out.append("</strike>")
        elif kind == "softbreak":
            out.append(" ")
        elif kind == "hardbreak":
            out.append("<br/>")
        elif kind == "link_open":
            href = str(tok.attrs.get("href", ""))
            safe = href.lower().startswith(SAFE_LINK_SCHEMES)
            link_open.append(safe)
            if safe:
                out.append(f'<a href={quoteattr(href)} color="{LINK_COLOUR.hexval()}">')
        elif kind == "link_close":
            if link_open and link_open.pop():
                out.append("</a>")
        elif kind == "image":
            out.append(inline_markup(tok.content or ""))
        else:  # html_inline cannot occur with html off; anything new is shown as text
            out.append(inline_markup(tok.content or ""))
    return "".join(out)


@dataclass(frozen=True)
class TextStyle:
    """The few numbers a block of text needs; everything else derives from them."""

    size: float
    leading: float = 1.22
    heading_scale: float = 1.15
    space_after: float = 0.35  # in units of the font size
    colour: object = black

    def paragraph(self, *, bold: bool = False, indent: float = 0.0, size: float | None = None,
                  bullet: bool = False) -> ParagraphStyle:
        size = size or self.size
        return _paragraph_style(size, self.leading, bold, indent, self.space_after, bullet)


@lru_cache(maxsize=512)
def _paragraph_style(size: float, leading: float, bold: bool, indent: float, space_after: float,
                     bullet: bool) -> ParagraphStyle:
    fonts.register_fonts()
    return ParagraphStyle(
        name=f"deck-{size}-{bold}-{indent}",
        fontName=fonts.BODY_BOLD if bold else fonts.BODY,
        fontSize=size,
        leading=size * leading,
        leftIndent=indent,
        bulletIndent=max(indent - size * 0.9, 0),
        bulletFontName=fonts.BODY,
        bulletFontSize=size,
        spaceAfter=size * space_after,
    )


def to_flowables(text: str, style: TextStyle) -> list[Flowable]:
    """Block Markdown (paragraphs, lists, headings, quotes, rules, tables) as flowables."""
    return _Blocks(style).run(parse(text))


class _Blocks:
    """Walks block tokens, one small rule per token type."""

    def __init__(self, style: TextStyle) -> None:
        self.style = style
        self.out: list[Flowable] = []
        self.lists: list[list] = []  # stack of [ordered, next number]
        self.pending_bullet: str | None = None
        self.heading: int = 0
        self.quote_depth = 0

    def indent(self) -> float:
        return (len(self.lists) + self.quote_depth) * self.style.size * 1.1

    def run(self, tokens: list[Token]) -> list[Flowable]:
        i = 0
        while i < len(tokens):
            i = self.block(tokens, i)
        return self.out

    def block(self, tokens: list[Token], i: int) -> int:
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            self.heading = int(tok.tag[1])
        elif kind == "heading_close":
            self.heading = 0
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrs.get("start", 1) or 1) if kind == "ordered_list_open" else 0
            self.lists.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "list_item_open":
            ordered, number = self.lists[-1]
            self.pending_bullet = f"{number}." if ordered else "•"
            self.lists[-1][1] += 1
        elif kind == "blockquote_open":
            self.quote_depth += 1
        elif kind == "blockquote_close":
            self.quote_depth -= 1
        elif kind == "inline":
            self.paragraph(_inline(tok.children or []))
        elif kind in ("fence", "code_block"):
            body = "<br/>".join(inline_markup(line) for line in tok.content.rstrip("\n").split("\n"))
            self.paragraph(body)
        elif kind == "hr":
            self.out.append(HRFlowable(width="100%", thickness=0.5, spaceBefore=2, spaceAfter=4))
        elif kind == "table_open":
            return self.table(tokens, i)
        return i + 1

    def paragraph(self, markup: str) -> None:
        size = self.style.size * (self.style.heading_scale if self.heading in (1, 2) else 1.0)
        pstyle = self.style.paragraph(bold=bool(self.heading), indent=self.indent(), size=size,
                                      bullet=self.pending_bullet is not None)
        if self.quote_depth:
            markup = f"<i>{markup}</i>"
        para = Paragraph(markup, pstyle, bulletText=self.pending_bullet)
        self.pending_bullet = None
        self.out.append(para)

    def table(self, tokens: list[Token], i: int) -> int:
        rows: list[list[Paragraph]] = []
        header_rows = 0
        in_head = False
        cell_style = self.style.paragraph()
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                rows.append([])
                header_rows += in_head
            elif tok.type == "inline":
                markup = _inline(tok.children or [])
                rows[-1].append(Paragraph(f"<b>{markup}</b>" if in_head else markup, cell_style))
            i += 1
        if rows:
            width = max(len(r) for r in rows)
            rows = [r + [Spacer(0, 0)] * (width - len(r)) for r in rows]
            table = Table(rows, hAlign="LEFT")
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, black),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("LINEBELOW", (0, 0), (-1, header_rows - 1), 1.0, black)]))
            self.out.append(table)
        return i + 1
