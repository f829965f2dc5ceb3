"""The practice log: ``.deckbuilder/practice.sqlite`` in the workspace, one row per review.

Every review is committed the moment it is given (one transaction per row, SQLite's
default rollback journal with full sync), so Ctrl-C, a closed terminal or a killed process
loses nothing that was graded. The schema's version is SQLite's ``user_version``;
``MIGRATIONS`` takes a log of any older version to the current one, in one transaction,
and a log written by a newer deckbuilder is refused rather than altered.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from . import LOG_DIR, LOG_NAME, log_path, utc_now

__all__ = ["GRADES", "LOG_DIR", "LOG_NAME", "MIGRATIONS", "SCHEMA_VERSION", "PracticeLog", "Review", "log_path",
           "open_log", "utc_now"]

# MIGRATIONS[n] takes a log from version n to n + 1: its SQL statements, run in one
# transaction with the version change. Version 0 is an empty (new) file.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    ("""
    CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        card_id TEXT NOT NULL,            -- practice.cards: 'story:fd-dsp', 'phase:proj:3', ...
        reviewed_at TEXT NOT NULL,        -- ISO 8601, UTC, when the grade was given
        grade INTEGER CHECK (grade BETWEEN 1 AND 4),  -- 1 Again .. 4 Easy, NULL: timed, not graded
        seconds REAL NOT NULL CHECK (seconds >= 0),   -- time spoken, front shown to back revealed
        content_hash TEXT NOT NULL        -- PracticeCard.content_hash at the time
    )""",
     "CREATE INDEX reviews_by_card ON reviews (card_id, reviewed_at)"),
)
SCHEMA_VERSION = len(MIGRATIONS)

GRADES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}


@dataclass(frozen=True)
class Review:
    card_id: str
    at: dt.datetime  # aware, UTC
    grade: int | None
    seconds: float
    content_hash: str


class PracticeLog:
    """An open practice log. Use as a context manager, or call ``close``."""

    def __init__(self, path: Path, create: bool = True) -> None:
        self.path = path
        if not create and not path.exists():
            self.conn = sqlite3.connect(":memory:")  # no log yet: an empty one, and nothing written
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(path, timeout=5)
            except (OSError, sqlite3.Error) as exc:
                raise UserError(f"cannot open the practice log: {exc}", file=str(path),
                                hint="check that the workspace's .deckbuilder/ folder is one you may write to",
                                ) from None
        self.conn.isolation_level = None  # we say where transactions begin and end
        try:
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise UserError(f"the practice log cannot be read ({exc})", file=str(path), hint=_read_hint(exc)) from None

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if 0 < version <= SCHEMA_VERSION:
            self._check_columns()
        if version > SCHEMA_VERSION:
            self.conn.close()
            raise UserError(f"the practice log was written by a newer deckbuilder (schema {version}, "
                            f"this one reads up to {SCHEMA_VERSION})", file=str(self.path),
                            hint="upgrade deckbuilder (pip install -U deckbuilder)")
        if version == SCHEMA_VERSION:
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for step in MIGRATIONS[version:]:
                for statement in step:
                    self.conn.execute(statement)
            self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def _check_columns(self) -> None:
        """A log of a version we know must have that version's table: a file that says it is
        one but is something else (another program's database, a hand-edited one) is refused."""
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(reviews)")}
        missing = {"id", "card_id", "reviewed_at", "grade", "seconds", "content_hash"} - columns
        if missing:
            self.conn.close()
            raise UserError(f"the practice log is not one deckbuilder wrote (its reviews table lacks "
                            f"{', '.join(sorted(missing))})", file=str(self.path),
                            hint="move the file away to start a new log; your content is not affected")

    def record(self, card_id: str, grade: int | None, seconds: float, content_hash: str,
               at: dt.datetime | None = None) -> Review:
        """Add one review and commit it before returning."""
        if grade is not None and grade not in GRADES:
            raise ValueError(f"grade {grade} is not 1-4")
        review = Review(card_id, (at or utc_now()).astimezone(dt.timezone.utc), grade, max(0.0, seconds),
                        content_hash)
        try:
            with self.conn:  # autocommit mode: this is one transaction, committed on leaving
                self.conn.execute("BEGIN")
                self.conn.execute("INSERT INTO reviews (card_id, reviewed_at, grade, seconds, content_hash) "
                                  "VALUES (?, ?, ?, ?, ?)",
                                  (review.card_id, review.at.isoformat(timespec="seconds"), review.grade,
                                   round(review.seconds, 2), review.content_hash))
                self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:  # a full disk, a read-only folder, a log locked too long
            raise UserError(f"cannot save the grade in the practice log ({exc})", file=str(self.path),
                            hint="check the disk and the permissions of .deckbuilder/; the grades given "
                                 "before this one are saved") from None
        return review

    def record_many(self, reviews: Iterable[Review]) -> None:
        """Add reviews in one transaction (for seeding a log and for imports)."""
        self.conn.execute("BEGIN")
        self.conn.executemany("INSERT INTO reviews (card_id, reviewed_at, grade, seconds, content_hash) "
                              "VALUES (?, ?, ?, ?, ?)",
                              [(r.card_id, r.at.astimezone(dt.timezone.utc).isoformat(timespec="seconds"),
                                r.grade, r.seconds, r.content_hash) for r in reviews])
        self.conn.execute("COMMIT")

    def reviews(self) -> list[Review]:
        """Every review, oldest first. A row deckbuilder could not have written (edited by hand or
        by another program: text that is no time, a grade out of 1-4) is the user's to fix, by id."""
        try:
            rows = self.conn.execute("SELECT id, card_id, reviewed_at, grade, seconds, content_hash FROM reviews "
                                     "ORDER BY reviewed_at, id").fetchall()
        except sqlite3.DatabaseError as exc:
            raise UserError(f"the practice log cannot be read ({exc})", file=str(self.path),
                            hint=_read_hint(exc)) from None
        reviews = []
        for row_id, card, at, grade, seconds, content_hash in rows:
            review = _review(card, at, grade, seconds, content_hash)
            if review is None:
                raise UserError(f"the practice log has a review deckbuilder could not have written (row {row_id}: "
                                f"{card!r:.60}, {at!r:.40}, grade {grade!r:.20}, seconds {seconds!r:.20})",
                                file=str(self.path),
                                hint=f"delete that row (sqlite3 {self.path.name} 'DELETE FROM reviews WHERE id = "
                                     f"{row_id}'), or move the file away to start a new log") from None
            reviews.append(review)
        return reviews

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PracticeLog:  # noqa: PYI034 - not subclassed
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_hint(exc: sqlite3.DatabaseError) -> str:
    """What to do about a log that cannot be read: wait for whoever holds it, or start afresh.
    A locked log is a good one that another process is writing: never tell the user to move it."""
    if "locked" in str(exc) or "busy" in str(exc):
        return ("another program is writing the log (a drill in another terminal?): let it finish, then try "
                "again; your grades are safe")
    return "move the file away to start a new log; your content is not affected"


def _review(card: object, at: object, grade: object, seconds: object, content_hash: object) -> Review | None:
    """A row as a Review, or None when it is not one this module writes."""
    if not (isinstance(card, str) and isinstance(at, str) and isinstance(content_hash, str)):
        return None
    if not (grade is None or (isinstance(grade, int) and grade in GRADES)):
        return None
    if not (isinstance(seconds, (int, float)) and 0 <= seconds < 1e7):  # NaN fails too
        return None
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    try:
        when = when.astimezone(dt.timezone.utc)
    except OverflowError:
        return None
    return Review(card, when, grade, float(seconds), content_hash)


def open_log(root: Path, create: bool = True) -> PracticeLog:
    """The workspace's log; with ``create=False`` a missing log reads as empty and no file is made.

    A log (or ``.deckbuilder``) that is a link leading outside the workspace is refused: the
    practice log is read and written inside the workspace only."""
    path = log_path(root)
    if (path.is_symlink() or path.parent.is_symlink()) and not path.resolve().is_relative_to(root.resolve()):
        raise UserError("the practice log is a link to a place outside the workspace", file=str(path),
                        hint=f"copy the log into the workspace's {LOG_DIR}/ instead of linking to it")
    return PracticeLog(path, create=create)
