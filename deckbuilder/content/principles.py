"""Principle sets and forgiving name matching.

People write principle names the way they remember them: ``customer obsession``,
``Invent & Simplify``, ``Are right a lot``. Those are the same principle and are
accepted silently. A real misspelling (``Ownesrship``) is an error with the closest
name as a hint, so that a typo never quietly drops a story from the matrix.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from importlib import resources
from pathlib import Path

from .model import PrincipleSet
from .yamlload import load_yaml


def normalise(name: str) -> str:
    """Fold case, '&' vs 'and', punctuation and spacing so that equal names compare equal."""
    name = name.lower().replace("&", " and ").replace("’", "'")
    name = re.sub(r"[^a-z0-9']+", " ", name)
    return " ".join(name.replace("'", "").split())


@cache
def builtin_set(name: str = "amazon") -> PrincipleSet:
    """A principle set shipped with deckbuilder (data, not code: see principles/*.yaml).

    Read as content files are (``load_yaml``), so from the user's cache folder once it was
    read: a run whose files are all stored does not import PyYAML (12-18 ms of CPU)."""
    shipped = resources.files("deckbuilder.content").joinpath("principles").joinpath(f"{name}.yaml")
    if isinstance(shipped, Path):
        return PrincipleSet.model_validate(load_yaml(shipped)[0])
    import yaml  # a package in a zip file: no path to key a cache entry by

    # libyaml when PyYAML has it (0.5 ms against 4.4 ms in Python): shipped data, no marks needed
    text = shipped.read_text("utf-8")
    return PrincipleSet.model_validate(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


class PrincipleMatcher:
    """Maps what a person wrote to the canonical principle name, or suggests one."""

    def __init__(self, principle_set: PrincipleSet) -> None:
        self.names = [p.name for p in principle_set.principles]
        self._lookup: dict[str, str] = {}
        for p in principle_set.principles:
            for alias in [p.name, p.short or "", *p.aliases]:
                if alias:
                    self._lookup.setdefault(normalise(alias), p.name)

    def match(self, written: str) -> str | None:
        """The canonical name for ``written``, tolerating case, '&'/'and' and punctuation."""
        return self._lookup.get(normalise(written))

    def closest(self, written: str) -> str | None:
        """The most similar canonical name, for a 'did you mean' hint (and for importers)."""
        keys = list(self._lookup)
        best = difflib.get_close_matches(normalise(written), keys, n=1, cutoff=0.6)
        return self._lookup[best[0]] if best else None


def did_you_mean(word: str, choices: list[str] | tuple[str, ...], cutoff: float = 0.6) -> str | None:
    """The closest choice to ``word``, case-insensitively, or None."""
    lowered = {c.lower(): c for c in choices}
    best = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[best[0]] if best else None
