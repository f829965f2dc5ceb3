"""Small text helpers shared by the recognisers: titles, slugs, labels, trigger lists."""

from __future__ import annotations

import re
import textwrap
import unicodedata

LABEL_MAX = 24
ID_MAX = 40

_STOP_WORDS = {"a", "an", "the", "of", "for", "to", "in", "on", "with", "and", "using", "by", "at", "my", "our"}
# Words a label cut short should not end on.
_DANGLING = {"or", "and", "but", "what", "when", "where", "which", "that", "you", "was", "were", "is", "are", "to"}
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)]|\*\*\d+[.)]\*\*)\s+")


def is_decoration(char: str) -> bool:
    """Emoji and pictographs (and the invisible joiners that build them) that decorate headings.

    Ordinary symbols below U+2600 (°, ©, ™, arrows, ≤) are words, not decoration, and stay.
    """
    code = ord(char)
    if code in (0x200D, 0x20E3) or 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF:
        return True
    if 0xE0020 <= code <= 0xE007F:  # tag characters (flag sequences)
        return True
    return code >= 0x2600 and unicodedata.category(char) in ("So", "Sk", "Cn", "Co")


def strip_emoji(text: str) -> str:
    return re.sub(r"\s{2,}", " ", "".join(c for c in text if not is_decoration(c))).strip()


def strip_markup(text: str) -> str:
    """Text without Markdown emphasis, links or code marks: for titles and comparisons."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__|\*|`)", "", text)
    return text.strip()


def clean_title(title: str) -> str:
    """A heading as a title: no emoji, no emphasis marks, no trailing colon."""
    return strip_markup(strip_emoji(title)).rstrip(":").strip()


def slugify(text: str, max_length: int = ID_MAX) -> str:
    """A short id: lower-case ASCII words joined by '-', cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "item")


def unique(candidate: str, taken: set[str], sep: str = "-") -> str:
    """``candidate``, or ``candidate-2``, ``-3``, ... whichever is not taken; then taken."""
    name, n = candidate, 2
    while name.lower() in taken:
        name = f"{candidate}{sep}{n}"
        n += 1
    taken.add(name.lower())
    return name


# How interview questions open; a label made from a question keeps what it is about.
_QUESTION_LEAD = re.compile(
    r"^(?:tell me about (?:a time|an occasion|a situation|a moment|the (?:last )?time)"
    r"(?: (?:when|where|that))?(?: you)?"
    r"|(?:describe|share) (?:a|an|the) (?:time|situation|moment|occasion)(?: (?:when|where|that))?(?: you)?"
    r"|give me (?:an example|an instance|two instances|\w+ examples)(?: (?:of a time|of when|when|where))?(?: you)?"
    r"|how (?:do|did|would|will|have) you|have you ever|when (?:did|have) you)\s+(?=\S)",
    re.IGNORECASE)


def derive_label(title: str, limit: int = LABEL_MAX) -> str:
    """A short label for a card or matrix column, at most ``limit`` characters.

    The title itself when short; else without an interview question's opening words
    ("Tell me about a time you hired ..." -> "Hired ..."), without a subtitle (after
    ' - ' or ':'), without small words, then cut at a word boundary.
    """
    title = clean_title(title).rstrip("…").strip()
    if len(title) > limit:
        rest = _QUESTION_LEAD.sub("", title, count=1)
        if rest != title and len(rest.split()) >= 2:
            title = rest[0].upper() + rest[1:]
    if len(title) <= limit:
        return title
    for sep in (" - ", " – ", " — ", ": ", "; ", ", "):
        head = title.split(sep)[0].strip()
        if head and limit >= len(head) >= 3:
            return head
    words = [w for w in re.sub(r"\([^)]*\)", "", title).split()]
    short = [w for w in words if w.lower() not in _STOP_WORDS] or words
    label = ""
    for word in short:
        candidate = f"{label} {word}" if label else word
        if len(candidate) > limit:
            break
        label = candidate
    words = label.split()
    while len(words) > 2 and words[-1].lower() in _DANGLING:  # "Had conflict coworker or"
        words.pop()
    label = " ".join(words)
    return (label or title[:limit]).strip(" ,;:-–—")


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with '…' if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-— ")
    return cut + "…"


def strip_list_marker(text: str) -> str:
    return _LIST_MARKER.sub("", text, count=1).strip()


def is_list_item(text: str) -> bool:
    return bool(_LIST_MARKER.match(text))


def indent_of(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def split_words_list(text: str) -> list[str]:
    """'a, b (c, d), e' -> ['a', 'b (c, d)', 'e']: commas outside parentheses separate."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char in ",;" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [strip_markup(p).strip(" .") for p in parts if strip_markup(p).strip(" .")]


def markdown_body(lines: list[str]) -> str:
    """Lines of notes as tidy Markdown for a card: dedented, no trailing spaces,
    at most one blank line in a row, no blank lines at either end."""
    text = textwrap.dedent("\n".join(line.rstrip() for line in lines))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")
