"""A card face's Markdown as plain text (terminal, CSV), as rich Text, and as HTML (Anki).

All three read markdown-it's tokens with raw HTML off, the same parser the PDFs use, so a
``<`` or ``&`` in a story is text everywhere: escaped in HTML, never markup for rich.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.text import Text


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])


def to_html(markdown: str) -> str:
    """HTML for an Anki field: raw HTML in the text is escaped, not passed through."""
    return _parser().render(markdown).strip()


def to_rich(markdown: str, compact: bool = False) -> Text:
    """Styled terminal text: headings bold (level 1 also underlined: a terminal has one size),
    **bold**, *italic*, list items with a bullet, a blank line between blocks (none when
    ``compact``, for a back that must fit 24 lines)."""
    gap = "\n" if compact else "\n\n"
    text = Text()
    styles: list[str] = []
    prefix = ""
    depth = 0
    for token in _parser().parse(markdown):
        if token.type == "heading_open":
            styles.append("bold underline" if token.tag == "h1" else "bold")
        elif token.type == "heading_close":
            styles.pop()
            text.append(gap)
        elif token.type == "paragraph_close" and not token.hidden:
            text.append(gap)
        elif token.type == "paragraph_close":
            text.append("\n")
        elif token.type == "list_item_open":
            prefix = "  " * (depth - 1) + ("• " if token.markup in "-*+" else f"{token.info}{token.markup} ")
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if not compact and not depth:
                text.append("\n")
        elif token.type == "inline":
            if prefix:
                text.append(prefix)
                prefix = ""
            _inline(text, token.children or [], styles)
    text.rstrip()
    return text


def _inline(text: Text, children: list[Token], styles: list[str]) -> None:
    inner = list(styles)
    for child in children:
        if child.type in ("strong_open", "em_open", "s_open"):
            inner.append({"strong_open": "bold", "em_open": "italic", "s_open": "strike"}[child.type])
        elif child.type in ("strong_close", "em_close", "s_close"):
            inner.pop()
        elif child.type in ("text", "code_inline"):
            text.append(child.content, style=" ".join(inner) or None)
        elif child.type in ("softbreak", "hardbreak"):
            text.append("\n")


def to_plain(markdown: str) -> str:
    """The text without its markup, blocks on their own lines: for a CSV cell or a pipe."""
    return to_rich(markdown).plain.replace("\u00a0", " ").strip()
