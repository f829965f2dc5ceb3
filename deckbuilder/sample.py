"""Synthetic workspaces of any size, for benchmarks and scale tests.

The text is made of interview-prep vocabulary in cue-card shapes (bold figures, short
bullets), seeded so the same N always gives the same files. About one face in eight is
long enough that fitting has to shrink it well below the maximum size.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from .content.principles import builtin_set
from .content.schema import MODELINE, SCHEMA_FILENAME, schema_text
from .paths import write_files

WORDS = [
    "pipeline", "latency", "customers", "rollout", "ownership", "dashboard", "rollback", "escalated", "prototype",
    "stakeholders", "accuracy", "experiment", "baseline", "throughput", "migration", "on-call", "deadline",
    "budget", "metrics", "regression", "launch", "design", "review", "feedback", "iteration", "model", "dataset",
    "labels", "cache", "service", "outage", "postmortem", "mentoring", "hiring", "roadmap", "tradeoff", "scope",
    "partner", "team", "quality"
]


def _phrase(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _bullets(rng: random.Random, long: bool) -> str:
    count = rng.randint(6, 9) if long else rng.randint(2, 4)
    lines = []
    for _ in range(count):
        figure = f"**{rng.randint(2, 95)}%**" if rng.random() < 0.4 else f"**{_phrase(rng, 1, 2)}**"
        lines.append(f"- {figure} {_phrase(rng, 5, 12 if long else 8)}")
    return "\n".join(lines)


def sample_content(cards: int, seed: int = 7) -> dict[str, dict]:
    """Content sections (file name -> mapping) holding exactly ``cards`` cards."""
    rng = random.Random(seed)
    principles = [p.name for p in builtin_set().principles]
    n_phases = max(1, cards // 10)
    n_stories = max(1, (cards - n_phases) * 2 // 5)
    n_questions = max(0, cards - n_phases - n_stories)
    phases = [{
        "number": i + 1,
        "title": f"{_phrase(rng, 1, 2).upper()} — {_phrase(rng, 2, 4)}",
        "minutes": rng.choice([2, 2, 3, "2-3"]),
        "triggers": [_phrase(rng, 1, 3) for _ in range(rng.randint(2, 5))],
        "summary": _phrase(rng, 6, 12),
        "answer": _bullets(rng, long=rng.random() < 0.125),
    } for i in range(n_phases)]
    stories = []
    for i in range(n_stories):
        long = rng.random() < 0.125
        stories.append({
            "id": f"story-{i + 1}",
            "title": _phrase(rng, 3, 6).capitalize(),
            "label": f"S{i + 1}",
            "framework": "STAR",
            "primary": rng.sample(principles, 1),
            "secondary": rng.sample(principles, rng.randint(0, 2)),
            "strength": rng.randint(1, 5),
            "triggers": [_phrase(rng, 1, 3) for _ in range(3)],
            "numbers": [f"{rng.randint(2, 95)}% {_phrase(rng, 1, 3)}"],
            "sections": {key: _phrase(rng, 12, 24 if long else 16)
                         for key in ("situation", "task", "action", "result")},
        })
    bank: dict[str, list] = {}
    for i in range(n_questions):
        principle = principles[i % len(principles)]
        refs = rng.sample([s["id"] for s in stories], min(len(stories), rng.randint(1, 2)))
        bank.setdefault(principle, []).append({"text": f"Tell me about a time {_phrase(rng, 6, 14)}.",
                                               "stories": refs})
    project = {"id": "sample", "title": "Sample deep-dive", "label": "Sample", "minutes": 30,
               "numbers": [f"{rng.randint(2, 95)}% {_phrase(rng, 1, 3)}" for _ in range(6)], "phases": phases}
    return {
        "interview.yaml": {
            "interview": {"candidate": "Sample Candidate", "company": "Example Corp", "role": "Engineer",
                          "date": "2026-01-15", "time": "10:00", "timezone": "UTC",
                          "total_minutes": 60, "deep_dive_minutes": 30},
            "deck": {"label": f"Sample {cards}"},
            "questions_to_ask": [{"text": "What does success look like in this role?"}],
            "reminders": [{"heading": "Strategy", "items": ["Numbers first.", "Let them steer."]}],
        },
        "deep-dive.yaml": {"projects": [project]},
        "stories.yaml": {"stories": stories},
        "question-bank.yaml": {"question_bank": [{"principle": p, "questions": q} for p, q in bank.items()]},
    }


FILE_ITEMS = 500  # list items per file: keeps every file far below the 2 MB content-file limit


def _parts(name: str, data: dict) -> list[tuple[str, dict]]:
    """Split a file whose one list section is long into numbered files (lists merge back
    in name order), the way a person would keep a large question bank."""
    if len(data) != 1:
        return [(name, data)]
    (section, items), = data.items()
    if not isinstance(items, list) or len(items) <= FILE_ITEMS:
        return [(name, data)]
    stem = name.removesuffix(".yaml")
    return [(f"{stem}-{i // FILE_ITEMS + 1:03d}.yaml", {section: items[i:i + FILE_ITEMS]})
            for i in range(0, len(items), FILE_ITEMS)]


def write_sample(root: Path, cards: int, seed: int = 7) -> None:
    """Write a workspace at ``root`` with ``cards`` cards (content/, templates/, output/)."""
    content_dir = root / "content"
    content_dir.mkdir(parents=True, exist_ok=True)
    (root / "templates").mkdir(exist_ok=True)
    (root / "output").mkdir(exist_ok=True)
    files: list[tuple[Path, bytes]] = []
    for name, data in sample_content(cards, seed).items():
        for part_name, part in _parts(name, data):
            text = yaml.safe_dump(part, sort_keys=False, allow_unicode=True, width=100)
            files.append((content_dir / part_name, f"{MODELINE}\n{text}".encode()))
    files.append((content_dir / SCHEMA_FILENAME, schema_text().encode("utf-8")))
    write_files(files, [root])  # all or nothing, never through a link leading out (--force on a linked file)
