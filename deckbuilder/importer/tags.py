"""Matching principle names as people write them in notes to the principle set.

``content.principles.PrincipleMatcher`` already folds case, '&'/'and' and punctuation
(``check`` uses it). Notes are looser than YAML, so the importer also accepts:

- a known name or alias inside a longer heading (``Backbone for action``, ``Ownership
  Section``), the longest one winning;
- the first words of exactly one name (``invent`` for Invent and Simplify);
- a close misspelling (``Ownesrship``, ``Are right alot``), via ``closest()``;
- in a story's tag group, several names joined by '&', 'and', '+' or ';' as well as by
  '|', ',' or '/' (``split_tag_group``), each kept in the order written.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..content.model import PrincipleSet
from ..content.principles import PrincipleMatcher, normalise

_SMALL = {"and", "the", "for", "on", "a", "to", "be", "of"}
# Words of principle names too common in questions to name one ("tell me about the best ...").
_GENERIC = {"results", "right", "scale", "bring", "broad", "success", "earth", "strive", "employer", "highest",
            "leaders", "leader"}
FRAMEWORK_WORDS = {"star", "spsil", "carl", "sail", "par", "free"}
# Words that make a heading about a principle without being part of its name.
_FILLER = re.compile(r"\b(section|principle|principles|questions?|stories|story|lps?)\b", re.IGNORECASE)


class TagMatcher:
    def __init__(self, principle_set: PrincipleSet) -> None:
        self.matcher = PrincipleMatcher(principle_set)
        self.names = self.matcher.names
        self._groups: dict[str, tuple[list[str], list[str], list[str]]] = {}  # split_tag_group, remembered
        self._aliases: list[tuple[str, str]] = []  # (normalised alias, canonical), longest first
        for p in principle_set.principles:
            for alias in [p.name, p.short or "", *p.aliases]:
                if alias:
                    self._aliases.append((normalise(alias), p.name))
        self._aliases.sort(key=lambda pair: -len(pair[0]))
        # initials people tag with (CO, DD, BFA, ARAL, HDB): every word's, and without the small words
        self._initials: dict[str, str] = {}
        for p in principle_set.principles:
            words = normalise(p.name).split()
            for chosen in (words, [w for w in words if w not in _SMALL]):
                if len(chosen) >= 2:
                    self._initials.setdefault("".join(w[0] for w in chosen), p.name)
        # the first five letters of the longer words of each name and its aliases (for named_in)
        self._name_stems: dict[str, set[str]] = {
            p.name: {w[:5] for name in [p.name, *p.aliases] for w in re.findall(r"[a-z]+", name.lower())
                     if len(w) >= 5 and w not in _GENERIC}
            for p in principle_set.principles}
        # the same, as lists of words, the most words first (for split_part)
        self._alias_words = sorted(((alias.split(), name) for alias, name in self._aliases),
                                   key=lambda pair: -len(pair[0]))

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
        return self.closest(key)

    def closest(self, key: str) -> str | None:
        """A misspelt name (``Ownesrship``, ``Are right alot``): one letter in ten may differ.
        Stricter than ``check``'s suggestions, since here a near miss becomes a tag
        (``Learning Rust`` is not Earn Trust)."""
        aliases = dict(self._aliases)
        best = difflib.get_close_matches(key, list(aliases), n=1, cutoff=0.8)
        return aliases[best[0]] if best else None

    def split_tag_group(self, group: str) -> tuple[list[str], list[str], list[str]]:
        """See ``_split_tag_group``; remembered per text, since the parser asks about the same
        line more than once (is it a title? a tag line?)."""
        found = self._groups.get(group)
        if found is None:
            found = self._split_tag_group(group)
            if len(self._groups) < 10_000:
                self._groups[group] = found
        return list(found[0]), list(found[1]), list(found[2])

    def _split_tag_group(self, group: str) -> tuple[list[str], list[str], list[str]]:
        """A parenthesised tag group ``Customer Obsession|Ownership`` as
        (canonical principles, framework words, parts that match nothing), in the order
        written, so that the first principle named stays the primary one.

        '|', ',' and '/' separate tags (except inside a name: "Are Right, A Lot"). Within
        a tag, names joined by '&', 'and', '+' or ';' are found by matching known names
        and aliases greedily, longest first, so that "Ownership and Customer Obsession" is
        two principles while "Learn and Be Curious" and "Have Backbone; Disagree and
        Commit" stay one; see ``split_part``."""
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(group)]
        keys = [_key(group[a:b]) for a, b in tokens]
        parts, start, i = [], 0, 0
        while i < len(tokens):
            hit = self._alias_at(keys, i)
            if hit:
                i += hit[1]
                continue
            if keys[i] in _SEPARATORS:
                parts.append((start, i))
                start = i + 1
            i += 1
        parts.append((start, len(tokens)))
        principles, frameworks, unknown = [], [], []
        for a, b in parts:
            for kind, value in self.split_part(group, tokens[a:b], keys[a:b]):
                if kind == "principle":
                    if value not in principles:
                        principles.append(value)
                elif kind == "framework":
                    frameworks.append(value)
                else:
                    unknown.append(value)
        return principles, frameworks, unknown

    def split_part(self, text: str, tokens: list[tuple[int, int]], keys: list[str]) -> list[tuple[str, str]]:
        """One tag (or several joined by '&', 'and', '+', ';'), given as its tokens in
        ``text``, as ("principle", name), ("framework", word) and ("unknown", text as
        written) items, in the order written.

        Known names and aliases are matched word by word, the longest one first at each
        position. What is left between them and the joining words is matched as a whole,
        forgiving misspellings (``match``): two leftovers joined by 'and' are read as one
        name when together they name one principle ("Learn and be curios"), and a leftover
        written right against a name is part of it when together they spell that name
        almost exactly ("Are right alot"). Whatever still names nothing is returned as
        unknown, never dropped. A part that is mostly other words (more than six left
        over, as in "(we had to deliver in two weeks with the team)") is not a list of
        names: it is matched as a whole, as ``match`` does for any text."""
        if not tokens:
            return []
        span = lambda a, b: text[tokens[a][0]:tokens[b - 1][1]]  # noqa: E731
        part = span(0, len(tokens))
        whole = _framework(part) or self._exact(part)
        if whole:
            return [whole]
        items: list[_Item] = []
        i = 0
        while i < len(tokens):
            hit = self._alias_at(keys, i)
            if hit:
                name, size = hit
                items.append(_Item("principle", i, i + size, name))
                i += size
            elif keys[i] in (";", "and"):
                items.append(_Item("join", i, i + 1))
                i += 1
            elif items and items[-1].kind == "run":
                items[-1].end = i + 1
                i += 1
            else:
                items.append(_Item("run", i, i + 1))
                i += 1
        runs = [item for item in items if item.kind == "run"]
        if len(runs) == len([item for item in items if item.kind != "join"]) and len(runs) <= 1:
            return self._leftover(part)  # no known name inside: one name, perhaps misspelt, as before
        items = self._merge_runs(items, span)
        out: list[tuple[str, str]] = []
        left = 0
        for item in items:
            if item.kind == "principle":
                out.append(("principle", item.name))
            elif item.kind == "run":
                found = self._leftover(span(item.start, item.end))
                if found[0][0] == "unknown":
                    left += item.end - item.start
                out += found
        if left > 6:
            return self._leftover(part)
        return [item for item in out if not (item[0] == "unknown" and not _FILLER.sub(" ", item[1]).strip(" .-;"))]

    def _merge_runs(self, items: list[_Item], span) -> list[_Item]:
        out: list[_Item] = []
        for item in items:
            prev = out[-1] if out else None
            if item.kind == "run" and prev is not None and len(out) >= 2 and prev.kind == "join" \
                    and out[-2].kind == "run" \
                    and span(prev.start, prev.end) != ";":
                first = out[-2]
                both = self.match(span(first.start, item.end))
                apart = {self.match(span(first.start, first.end)), self.match(span(item.start, item.end))}
                if both and (None in apart or apart == {both}):
                    out[-2:] = [_Item("run", first.start, item.end)]
                    continue
            if prev and {item.kind, prev.kind} == {"run", "principle"}:
                name = item.name if item.kind == "principle" else prev.name
                if self._spells(span(prev.start, item.end), name):
                    out[-1] = _Item("principle", prev.start, item.end, name)
                    continue
            out.append(item)
        return out

    def _spells(self, text: str, name: str) -> bool:
        """``text`` is one of the names or aliases of principle ``name``, nearly letter for letter."""
        key = normalise(text)
        return any(difflib.SequenceMatcher(None, key, alias).ratio() >= 0.85
                   for alias, canonical in self._aliases if canonical == name)

    def _exact(self, text: str) -> tuple[str, str] | None:
        name = self.matcher.match(_FILLER.sub(" ", text))
        return ("principle", name) if name else None

    def named_in(self, text: str) -> str | None:
        """The one principle whose name's words a question uses ("... earn the trust of ...",
        "... disagreed with ..."): a word of five letters or more from a principle's name or
        aliases, compared by its first five letters. None when no principle, or more than one,
        is named."""
        stems = {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 5}
        hits = {name: len(words & stems) for name, words in self._name_stems.items() if words & stems}
        if not hits:
            return None
        best = max(hits.values())
        winners = [name for name, n in hits.items() if n == best]
        return winners[0] if len(winners) == 1 else None

    def initials(self, text: str) -> str | None:
        """``CO``, ``BFA``, ``I&S``: a principle's initials, written in capitals."""
        letters = text.strip().replace("&", "")
        if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper():
            return self._initials.get(letters.lower())
        return None

    def _leftover(self, text: str) -> list[tuple[str, str]]:
        text = text.strip()
        found = _framework(text)
        if found:
            return [found]
        by_initials = self.initials(text)
        if by_initials:
            return [("principle", by_initials)]
        name = self.match(text)
        return [("principle", name)] if name else [("unknown", text)]

    def _alias_at(self, keys: list[str], i: int) -> tuple[str, int] | None:
        """The longest known name or alias whose words start at token ``i``, as (name,
        tokens it takes); a ',' or ';' inside a name is part of it ("Are Right, A Lot")."""
        for words, name in self._alias_words:
            j = n = 0
            while n < len(words) and i + j < len(keys):
                key = keys[i + j]
                if n and key in (",", ";"):
                    j += 1
                    continue
                if key != words[n]:
                    break
                j, n = j + 1, n + 1
            if n == len(words):
                return name, j
        return None


@dataclass
class _Item:
    kind: str  # "principle" (a known name or alias), "join" ('and' or ';') or "run" (other words)
    start: int  # token indexes
    end: int
    name: str = ""


# words (with their apostrophes), and the punctuation that separates or joins tags
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[|,/;&+]")
_SEPARATORS = {"|", ",", "/"}


def _key(token: str) -> str:
    """A token as compared with the names: a word normalised, '&' and '+' as 'and'."""
    if token in ("&", "+"):
        return "and"
    return token if len(token) == 1 and token in "|,/;" else normalise(token)


def _framework(text: str) -> tuple[str, str] | None:
    word = text.strip().lower()
    if word in FRAMEWORK_WORDS:
        return ("framework", "free" if word == "free" else word.upper())
    return None
