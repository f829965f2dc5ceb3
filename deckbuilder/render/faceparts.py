"""A card face's Markdown cut into the parts the card design places: focal line, body, tag, running title.

Templates stay plain Markdown; the roles are read from where a heading stands:
- on a front, a level-1 heading that opens the face is the **focal line**: drawn bold at
  the deck's focal size with its first baseline at the same height on every card;
- on a front, a level-6 heading that closes the face is the **tag**: one small grey line
  in the card's bottom-left corner (the principles, the minutes);
- on a back, a level-6 heading that opens the face is the **running title**: the card's
  title repeated small above a rule, as printed Anki cards do.
Everything else is the body, set at one step of the deck's scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markdown_it.token import Token

from .markup import parse


@dataclass(frozen=True)
class FaceParts:
    focal: str  # Markdown of the focal line ("" for none)
    body: str  # Markdown of the rest
    tag: str  # plain text of the front's corner tag ("" for none)
    caption: str  # plain text of the back's running title ("" for none)


def plain_text(inline: Token) -> str:
    """The text of an inline token without its Markdown marks (emphasis, links, code ticks)."""
    out: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out).strip()


def _top_blocks(tokens: tuple[Token, ...]) -> list[int]:
    return [i for i, tok in enumerate(tokens) if tok.level == 0 and tok.nesting >= 0 and tok.map is not None]


@lru_cache(maxsize=4096)
def face_parts(markdown: str, side: str) -> FaceParts:
    """The parts of one face (remembered: the size search and the packet ask for the same faces)."""
    tokens = parse(markdown)
    lines = markdown.split("\n")
    blocks = _top_blocks(tokens)
    start, end = 0, len(lines)
    focal = tag = caption = ""
    if blocks:
        first = tokens[blocks[0]]
        if first.type == "heading_open" and first.map:
            if side == "front" and first.tag == "h1":
                focal = tokens[blocks[0] + 1].content.strip()
                start = first.map[1]
            elif side == "back" and first.tag == "h6":
                caption = plain_text(tokens[blocks[0] + 1])
                start = first.map[1]
        last = tokens[blocks[-1]]
        if (side == "front" and last.type == "heading_open" and last.tag == "h6" and last.map
                and len(blocks) > 1 and last.map[0] >= start):
            tag = plain_text(tokens[blocks[-1] + 1])
            end = last.map[0]
    body = "\n".join(lines[start:end]).strip("\n")
    return FaceParts(focal, body, tag, caption)
