"""The import report: what became what, what was changed to fit, what was not understood.

Printed at the end of ``deckbuilder import`` so that nothing is lost without a word:
counts per kind, every repair or demotion with its line in the notes, and every block
of text no recogniser claimed, with its line numbers and where it was kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .mojibake import MAC_ROMAN, OTHER, WINDOWS_1252, RepairStats
from .text import shorten

KINDS = ("interview", "projects", "phases", "extras", "stories", "bank questions", "questions to ask",
         "reminder groups")
_ENCODING_NAMES = {MAC_ROMAN: "UTF-8 read as Mac Roman", WINDOWS_1252: "UTF-8 read as Windows-1252",
                   OTHER: "other"}


@dataclass(frozen=True)
class Change:
    line: int | None
    message: str


@dataclass(frozen=True)
class Unrecognised:
    start: int
    end: int
    preview: str
    kept: str  # where the text went, e.g. "notes of story 'cms-tags'"


@dataclass
class FileReport:
    source: str
    target: str
    repairs: RepairStats = field(default_factory=RepairStats)
    counts: dict[str, int] = field(default_factory=lambda: {kind: 0 for kind in KINDS})
    frameworks: dict[str, int] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)  # repaired or demoted to pass the checks
    fitted: list[Change] = field(default_factory=list)  # split or shortened to fit a card
    unrecognised: list[Unrecognised] = field(default_factory=list)

    def change(self, line: int | None, message: str) -> None:
        self.changes.append(Change(line, message))

    def fit(self, line: int | None, message: str) -> None:
        self.fitted.append(Change(line, message))

    def kept(self, start: int, end: int, text: str, where: str) -> None:
        self.unrecognised.append(Unrecognised(start, end, shorten(text.replace("\n", " "), 60), where))

    def format(self) -> str:
        lines = [f"{self.source} -> {self.target}"]
        repaired = self.repairs.lines
        if repaired:
            kinds = ", ".join(f"{_ENCODING_NAMES[k]}: {len(v)}" for k, v in sorted(self.repairs.by_kind.items()))
            lines.append(f"  encoding: repaired {len(repaired)} line(s) ({kinds})")
        else:
            lines.append("  encoding: no mojibake found")
        found = ", ".join(f"{n} {kind}" for kind, n in self.counts.items())
        lines.append(f"  found: {found}")
        if self.frameworks:
            order = ("STAR", "SPSIL", "CARL", "free")
            lines.append("  stories by framework: " + ", ".join(
                f"{self.frameworks[fw]} {fw}" for fw in order if fw in self.frameworks))
        for title, entries in (("changed so that the workspace passes check", self.changes),
                               ("split or shortened to fit a 3x5 card", self.fitted)):
            if entries:
                lines.append(f"  {title} ({len(entries)}):")
                ordered = sorted(entries, key=lambda c: c.line or 0)
                lines += [f"    {_where(c.line)}{c.message}" for c in ordered]
        if self.unrecognised:
            lines.append(f"  not recognised, kept as notes ({len(self.unrecognised)}):")
            for u in self.unrecognised:
                span = f"line {u.start}" if u.start == u.end else f"lines {u.start}-{u.end}"
                lines.append(f"    {span}: \"{u.preview}\" -> {u.kept}")
        else:
            lines.append("  not recognised: nothing")
        return "\n".join(lines)


def _where(line: int | None) -> str:
    return f"line {line}: " if line else ""
