"""The import report: what became what, what was changed to fit, what was not understood.

Printed at the end of ``deckbuilder import`` so that nothing is lost without a word:
counts per kind, every repair or demotion with its line in the notes, and every block
of text no recogniser claimed, with its line numbers and where it was kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..render.fallback import missing_hint
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
    comment: bool = False  # kept only as a YAML comment: it prints nowhere
    numbers: tuple[int, ...] = ()  # its lines, when not every line from start to end


LOW_SHARE = 0.5  # below this share of the notes' lines in content, the import warns
LARGEST = 3  # comment blocks listed by place


@dataclass(frozen=True)
class Coverage:
    """Where the notes' lines went: into content (items and their notes, which print) or
    into comments (which never print). Blank lines and rules are counted in neither."""

    lines: int  # lines with text
    comments: int  # of those, lines kept only as comments
    blocks: tuple[tuple[int, int, int], ...] = ()  # (start, end, lines with text) of the comment blocks
    notes: int = 0  # lines not recognised but kept in content, as notes of the nearest story or project

    @property
    def content(self) -> int:
        return self.lines - self.comments

    @property
    def share(self) -> float:
        return self.content / self.lines if self.lines else 1.0

    @property
    def recognised(self) -> float:
        """The share of lines that became items (stories, questions, phases ...), not notes or comments."""
        return (self.lines - self.comments - self.notes) / self.lines if self.lines else 1.0


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
    legacy_lines: list[int] = field(default_factory=list)  # lines that were not UTF-8
    unprintable: list[str] = field(default_factory=list)  # characters no font here has: left out of the PDFs
    coverage: Coverage | None = None

    @property
    def printable(self) -> int:
        """Items that print on a card or the sheet."""
        return sum(self.counts[k] for k in ("phases", "extras", "stories", "bank questions", "questions to ask",
                                            "reminder groups"))

    def measure(self, lines: list[str]) -> None:
        """Count the notes' lines that went into comments (see ``Coverage``)."""
        has_text = [bool(line.strip()) and line.strip() not in ("---", "***", "&nbsp;", "<br>") for line in lines]
        blocks = []
        commented: set[int] = set()
        noted: set[int] = set()
        for u in self.unrecognised:
            numbers = {n for n in (u.numbers or range(u.start, u.end + 1)) if 0 < n <= len(lines) and has_text[n - 1]}
            if u.comment:
                commented |= numbers
                blocks.append((u.start, u.end, len(numbers)))
            else:
                noted |= numbers
        blocks.sort(key=lambda b: (-b[2], b[0]))
        self.coverage = Coverage(sum(has_text), len(commented), tuple(blocks), len(noted - commented))

    def warnings(self) -> list[str]:
        """Plain words when the import understood little of the notes."""
        out = []
        cov = self.coverage
        if cov is not None and cov.lines and cov.recognised < LOW_SHARE:
            out.append(f"warning: only {cov.recognised:.0%} of the lines of {self.source} were recognised as stories, "
                       f"questions, phases or questions to ask; {cov.notes / cov.lines:.0%} are kept as notes of the "
                       f"nearest item and {1 - cov.share:.0%} as comments in {self.target}, which print nowhere")
        if self.unprintable:
            shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in self.unprintable[:8])
            more = f" and {len(self.unprintable) - 8} more" if len(self.unprintable) > 8 else ""
            out.append(f"warning: no font on this machine has {shown}{more}; they will be left out of the PDFs: "
                       f"{missing_hint(self.unprintable)}")
        if self.printable == 0 and cov is not None and cov.lines:
            out.append(f"warning: nothing in {self.source} was recognised as a story, question or phase: "
                       "the PDFs will have nothing from it")
        return out

    def change(self, line: int | None, message: str) -> None:
        self.changes.append(Change(line, message))

    def fit(self, line: int | None, message: str) -> None:
        self.fitted.append(Change(line, message))

    def kept(self, start: int, end: int, text: str, where: str, comment: bool = False,
             numbers: tuple[int, ...] = ()) -> None:
        self.unrecognised.append(Unrecognised(start, end, shorten(text.replace("\n", " "), 60), where, comment,
                                              numbers))

    def format(self) -> str:
        lines = [f"{self.source} -> {self.target}"]
        repaired = self.repairs.lines
        if repaired:
            kinds = ", ".join(f"{_ENCODING_NAMES[k]}: {len(v)}" for k, v in sorted(self.repairs.by_kind.items()))
            lines.append(f"  encoding: repaired {len(repaired)} line(s) ({kinds})")
        else:
            lines.append("  encoding: no mojibake found")
        if self.legacy_lines:
            shown = ", ".join(str(n) for n in self.legacy_lines[:10]) + (", ..." if len(self.legacy_lines) > 10 else "")
            lines.append(f"  encoding: {len(self.legacy_lines)} line(s) not UTF-8, read as Windows-1252 "
                         f"(or Mac Roman): line(s) {shown}")
        found = ", ".join(f"{n} {kind}" for kind, n in self.counts.items())
        lines.append(f"  found: {found}")
        cov = self.coverage
        if cov is not None and cov.lines:
            lines.append(f"  lines: {cov.lines} with text; {cov.content} ({cov.share:.0%}) into content "
                         f"({cov.notes} of them as notes, not recognised), "
                         f"{cov.comments} ({1 - cov.share:.0%}) kept only as comments")
            if cov.blocks:
                name = self.source
                largest = ", ".join(f"{name}:{start}" + (f"-{end}" if end != start else "") + f" ({n} lines)"
                                    for start, end, n in cov.blocks[:LARGEST])
                lines.append(f"  largest blocks kept as comments: {largest}")
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
        lines += [f"  {w}" for w in self.warnings()]
        return "\n".join(lines)


def _where(line: int | None) -> str:
    return f"line {line}: " if line else ""
