"""Practice: rehearsing the deck out loud against the clock, remembering what was rehearsed
(a SQLite log in the workspace's ``.deckbuilder/``), scheduling with FSRS, and taking the
deck to Anki. Each module has one job: ``cards`` (the deck with stable ids), ``log`` (the
practice log), ``schedule`` (FSRS), ``text`` (Markdown for a terminal, a CSV, an Anki note),
``drill`` (the terminal session), ``stats`` and ``chart`` (what was rehearsed), ``export``.
"""

import datetime as dt
from pathlib import Path

# Here rather than in ``log``: every build asks whether the log exists and how old a rehearsal
# is (``feedback``), and only a workspace that has a log imports ``log`` and SQLite.
LOG_DIR = ".deckbuilder"
LOG_NAME = "practice.sqlite"


def log_path(root: Path) -> Path:
    return root / LOG_DIR / LOG_NAME


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
