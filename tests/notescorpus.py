"""Scoring an import against what a person counts in a notes file.

Each ``tests/data/notes/NAME.md`` has a sidecar ``NAME.expect.yaml`` written by reading
the notes, not the importer: its stories in order (a word or two of the story, the
principles a reader would tag it with, and the framework sections when it is labelled),
its bank questions per principle (``(any)`` when the notes put them under no principle)
and how many questions to ask the interviewers it lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

NOTES = Path(__file__).parent / "data" / "notes"
ANY = "(any)"


@dataclass
class Score:
    name: str
    stories: int = 0  # counted by a person
    stories_found: int = 0  # recognised with the right principle tags
    sections_wrong: list[str] = field(default_factory=list)
    questions: int = 0  # bank questions and questions to ask, counted by a person
    questions_found: int = 0
    misses: list[str] = field(default_factory=list)
    extra_stories: int = 0  # imported stories a person does not count

    @property
    def counted(self) -> int:
        return self.stories + self.questions

    @property
    def found(self) -> int:
        return self.stories_found + self.questions_found


def corpus() -> list[Path]:
    return sorted(NOTES.glob("*.md"))


def expected(notes: Path) -> dict:
    return yaml.safe_load(notes.with_suffix(".expect.yaml").read_text("utf-8"))


def _text(story: dict) -> str:
    return " ".join([story["title"], *story["sections"].values(), story.get("notes", "")]).lower()


def score(notes: Path, data: dict) -> Score:
    """How much of what a person counts in ``notes`` the imported ``data`` holds."""
    want = expected(notes)
    result = Score(notes.name)
    stories = list(data.get("stories", []))
    unused = list(stories)
    for item in want.get("stories", []):
        result.stories += 1
        word = str(item["title"]).lower()
        match = next((s for s in unused if word in s["title"].lower()), None) \
            or next((s for s in unused if word in _text(s)), None)
        if match is None:
            result.misses.append(f"story '{item['title']}' not found")
            continue
        unused.remove(match)
        tags = set(match["primary"]) | set(match.get("secondary", []))
        if tags != set(item["tags"]) or match["primary"][0] not in item["tags"]:
            result.misses.append(f"story '{item['title']}' tagged {sorted(tags)}, expected {sorted(item['tags'])}")
            continue
        result.stories_found += 1
        if "sections" in item and list(match["sections"]) != list(item["sections"]):
            result.sections_wrong.append(f"story '{item['title']}': sections {list(match['sections'])}, "
                                         f"expected {item['sections']}")
    result.extra_stories = len(unused)
    bank = {e["principle"]: len(e["questions"]) for e in data.get("question_bank", [])}
    for principle, n in (want.get("bank_questions") or {}).items():
        result.questions += n
        got = sum(bank.values()) if principle == ANY else bank.get(principle, 0)
        result.questions_found += min(n, got)
        if got < n:
            result.misses.append(f"{principle}: {got} of {n} bank questions")
    asks = want.get("questions_to_ask", 0)
    result.questions += asks
    got = len(data.get("questions_to_ask", []))
    result.questions_found += min(asks, got)
    if got != asks:
        result.misses.append(f"{got} questions to ask, expected {asks}")
    return result
