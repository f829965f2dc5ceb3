"""Matching principle names as people write them in notes to the principle set.

``content.principles.PrincipleMatcher`` already folds case, '&'/'and' and punctuation
(``check`` uses it). Notes are looser than YAML, so the importer also accepts:

- a known name or alias inside a longer heading (``Backbone for action``, ``Ownership
  Section``), the longest one winning;
- the first words of exactly one name (``invent`` for Invent and Simplify);
- a close misspelling (``Ownesrship``, ``Are right alot``), via ``closest()``.
"""

from __future__ import annotations

import re

from ..content.model import PrincipleSet
from ..content.principles import PrincipleMatcher, normalise

FRAMEWORK_WORDS = {"star", "spsil", "carl", "free"}
# Words that make a heading about a principle without being part of its name.
_FILLER = re.compile(r"\b(section|principle|principles|questions?|stories|story|lp)\b", re.I)


class TagMatcher:
    def __init__(self, principle_set: PrincipleSet) -> None:
        self.matcher = PrincipleMatcher(principle_set)
        self.names = self.matcher.names
        self._aliases: list[tuple[str, str]] = []  # (normalised alias, canonical), longest first
        for p in principle_set.principles:
            for alias in [p.name, p.short or "", *p.aliases]:
                if alias:
                    self._aliases.append((normalise(alias), p.name))
        self._aliases.sort(key=lambda pair: -len(pair[0]))

    def match(self, written: str, max_words: int = 6) -> str | None:
        """The canonical principle for ``written``, or None when nothing is close.

        A name inside a longer text counts only when the text has at most ``max_words``
        words: "Backbone for action" is about the principle, a sentence that happens to
        say "deliver" is not.
        """
        text = _FILLER.sub(" ", written)
        key = normalise(text)
        if not key:
            return None
        exact = self.matcher.match(text)
        if exact:
            return exact
        padded = f" {key} "
        if len(key.split()) <= max_words:
            for alias, name in self._aliases:
                if f" {alias} " in padded:
                    return name
        starts = {name for alias, name in self._aliases if alias.startswith(key + " ")}
        if len(starts) == 1:
            return starts.pop()
        return self.matcher.closest(text)

    def split_tag_group(self, group: str) -> tuple[list[str], list[str], list[str]]:
        """A parenthesised tag group ``Customer Obsession|Ownership`` as
        (canonical principles, framework words, parts that match nothing)."""
        principles, frameworks, unknown = [], [], []
        for part in re.split(r"[|,/;]", group):
            part = part.strip()
            if not part:
                continue
            if part.lower() in FRAMEWORK_WORDS:
                frameworks.append(part.upper() if part.lower() != "free" else "free")
                continue
            name = self.match(part)
            if name:
                if name not in principles:
                    principles.append(name)
            else:
                unknown.append(part)
        return principles, frameworks, unknown
