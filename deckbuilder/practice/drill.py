"""The drill: one card at a time, told out loud against the clock, graded, logged.

The front is shown and a clock runs against the card's target time (green, then red past
it); space or Enter reveals the back and stops the clock (the seconds logged are the
telling, cue to check); ``1``-``4`` grade it as Anki does (Again, Hard, Good, Easy) and the
grade is committed to the log at once; ``q`` quits. With ``timed_only`` there is no grade:
space or Enter moves on and the time is logged alone.

Two front ends share the session: a full-screen terminal one (rich, single keys, fits 80x24)
and a plain one for when standard output is not a terminal (lines in, lines out: scripts,
pipes, screen readers).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import select
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.layout import Layout
from rich.panel import Panel
from rich.segment import Segment
from rich.text import Text

from .cards import PracticeCard
from .log import GRADES, PracticeLog, Review
from .text import to_plain, to_rich

KEYS_HELP = "space/Enter: show the back   q: quit"
GRADE_HELP = "grade it: 1 Again  2 Hard  3 Good  4 Easy   j/k: scroll   q: quit"
TIMED_HELP = "space/Enter: next card   j/k: scroll   q: quit"


def clock(seconds: float) -> str:
    """'1:05' for 65 seconds."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass
class Tally:
    """What the session did, for the closing line."""

    graded: dict[int, int] = field(default_factory=dict)
    timed: int = 0
    seconds: float = 0.0
    over: int = 0

    def add(self, grade: int | None, seconds: float, target: float) -> None:
        if grade is None:
            self.timed += 1
        else:
            self.graded[grade] = self.graded.get(grade, 0) + 1
        self.seconds += seconds
        self.over += seconds > target * 60

    def summary(self) -> str:
        done = sum(self.graded.values()) + self.timed
        if not done:
            return "no card rehearsed"
        grades = ", ".join(f"{n} {GRADES[g]}" for g, n in sorted(self.graded.items()))
        parts = [f"{done} card{'s' if done != 1 else ''} rehearsed in {clock(self.seconds)}"]
        if grades:
            parts.append(grades)
        if self.over:
            parts.append(f"{self.over} over time")
        return "; ".join(parts) + "; every one is in the practice log"


def changed_since(card: PracticeCard, history: dict[str, Review]) -> str | None:
    """A note when the card's text is not what was last rehearsed."""
    last = history.get(card.id)
    if last is None or last.content_hash == card.content_hash:
        return None
    return f"changed since you last rehearsed it ({last.at:%Y-%m-%d})"


def last_reviews(reviews: Sequence[Review]) -> dict[str, Review]:
    latest: dict[str, Review] = {}
    for review in reviews:  # oldest first: the last one stays
        latest[review.card_id] = review
    return latest


@dataclass
class Session:
    """The cards to go through and what to do with each answer: shared by both front ends."""

    cards: Sequence[PracticeCard]
    log: PracticeLog
    history: dict[str, Review]
    timed_only: bool = False
    now: Callable[[], float] = time.monotonic
    tally: Tally = field(default_factory=Tally)

    def record(self, card: PracticeCard, grade: int | None, seconds: float) -> None:
        self.log.record(card.id, grade, seconds, card.content_hash)
        self.tally.add(grade, seconds, card.target_minutes)

    def status(self, card: PracticeCard) -> str:
        last = self.history.get(card.id)
        return "new" if last is None else f"last {last.at:%Y-%m-%d}"


# ---------------------------------------------------------------- the terminal front end


KINDS = {"phases": "phase", "extras": "extra", "stories": "story", "questions": "question"}


def screen(session: Session, index: int, elapsed: float, back_shown: bool, width: int = 80,
           height: int = 24, scroll: int = 0) -> RenderableType:
    """The whole screen for card ``index``: a header, the front or (once shown) the back, the
    clock and the keys, laid out to fill the terminal and never run past it. A back longer
    than the screen scrolls (``scroll`` lines down) and says that there is more."""
    card = session.cards[index]
    target = card.target_minutes * 60
    over = elapsed > target
    header = Text.assemble((f" {index + 1}/{len(session.cards)} ", "reverse"), " ",
                           (KINDS.get(card.set, card.set), "bold"), f" · {session.status(card)}")
    note = changed_since(card, session.history)
    if note:
        header.append(f" · {note}", style="yellow")
    header.truncate(width, overflow="ellipsis")
    front = to_rich(card.front)
    front_lines = len(Console(width=width - 4).render_lines(front, pad=False))
    time_style = "bold white on red" if over else "bold green"
    timer = Text.assemble((f" {clock(elapsed)} ", time_style), f" of {clock(target)}")
    if over:
        timer.append(f"  over by {clock(elapsed - target)}", style="bold bright_red")
    elif back_shown:
        timer.append("  within time", style="green")
    keys = Text(KEYS_HELP if not back_shown else TIMED_HELP if session.timed_only else GRADE_HELP, style="dim")
    keys.truncate(width, overflow="ellipsis")
    layout = Layout()
    parts = [Layout(header, name="header", size=1)]
    if back_shown:
        room = max(1, height - 3 - 2)  # header, footer, the panel's borders
        lines = _back_lines(card, width, room)
        scroll = max(0, min(scroll, len(lines) - room))
        shown = Text("\n").join(_line_text(line) for line in lines[scroll:scroll + room])
        more = len(lines) > room
        title = f"back · lines {scroll + 1}-{min(len(lines), scroll + room)} of {len(lines)} (j/k scroll)" if more \
            else "back"
        parts.append(Layout(Panel(shown, title=title, title_align="left", border_style="cornflower_blue"), name="back"))
    else:
        parts.append(Layout(Panel(front, title="front", title_align="left", border_style="cyan"),
                            name="front", size=min(front_lines + 2, height - 3), minimum_size=3))
        parts.append(Layout(Text(" "), name="gap"))
    parts.append(Layout(Group(timer, keys), name="footer", size=2))
    layout.split_column(*parts)
    return layout


def _back_lines(card: PracticeCard, width: int, room: int) -> list[list[Segment]]:
    """The back as screen lines: with a blank line between blocks when that fits, else without."""
    lines = Console(width=width - 4).render_lines(to_rich(card.back), pad=False)
    if len(lines) > room:
        lines = Console(width=width - 4).render_lines(to_rich(card.back, compact=True), pad=False)
    return lines


def max_scroll(card: PracticeCard, width: int, height: int) -> int:
    """How far a back can scroll: to where its last line is at the bottom of the panel."""
    room = max(1, height - 5)
    return max(0, len(_back_lines(card, width, room)) - room)


def _line_text(segments: list[Segment]) -> Text:
    text = Text()
    for segment in segments:
        text.append(segment.text, segment.style)
    return text


@contextlib.contextmanager
def single_keys(stream: TextIO) -> Iterator[None]:
    """Keys arrive one at a time, unechoed, while Ctrl-C still interrupts (cbreak mode)."""
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def read_key(stream: TextIO, timeout: float) -> str | None:
    """One key, or None when none came within ``timeout`` seconds."""
    ready, _, _ = select.select([stream], [], [], timeout)
    if not ready:
        return None
    data = os.read(stream.fileno(), 32).decode(errors="replace")
    if not data:
        raise EOFError
    return data if data.startswith("\x1b") else data[0]  # an arrow key's escape sequence is one key


def run_terminal(session: Session, console: Console, keys: TextIO = sys.stdin) -> bool:
    """Drill every card on a full screen. True when every card was done, False on q."""
    from rich.live import Live

    with single_keys(keys), Live(console=console, screen=True, auto_refresh=False) as live:
        for index, card in enumerate(session.cards):
            start = session.now()
            spoken: float | None = None
            scroll = 0
            while True:
                elapsed = spoken if spoken is not None else session.now() - start
                live.update(screen(session, index, elapsed, spoken is not None, console.width, console.height,
                                   scroll), refresh=True)
                key = read_key(keys, 0.25)
                if key is None:
                    continue
                if key in ("q", "Q"):
                    return False
                if key in ("j", "J", "\x1b[B"):
                    scroll = min(scroll + 1, max_scroll(card, console.width, console.height))
                elif key in ("k", "K", "\x1b[A"):
                    scroll = max(0, scroll - 1)
                if spoken is None and key in (" ", "\n", "\r"):
                    spoken = session.now() - start
                elif spoken is not None and session.timed_only and key in (" ", "\n", "\r"):
                    session.record(card, None, spoken)
                    break
                elif spoken is not None and not session.timed_only and key in "1234":
                    session.record(card, int(key), spoken)
                    break
    return True


# ---------------------------------------------------------------- the plain front end


def run_plain(session: Session, out: TextIO, keys: TextIO) -> bool:
    """Drill with lines: the front, Enter, the back and the time, then a grade and Enter; a grade
    typed at the front shows the back and grades at once, so ``echo 3 | deckbuilder drill``
    grades one card."""

    def ask(prompt: str) -> str:
        print(prompt, file=out, flush=True)
        line = keys.readline()
        if not line:
            raise EOFError
        return line.strip().lower()

    try:
        for index, card in enumerate(session.cards):
            note = changed_since(card, session.history)
            print(f"\n[{index + 1}/{len(session.cards)}] {card.id} · {session.status(card)} · "
                  f"target {clock(card.target_minutes * 60)}" + (f" · {note}" if note else ""), file=out)
            print(to_plain(card.front), file=out)
            start = session.now()
            first = ask("-- Enter: show the back (or 1-4: show it and grade); q: quit")
            if first == "q":
                return False
            spoken = session.now() - start
            print(to_plain(card.back), file=out)
            over = spoken - card.target_minutes * 60
            print(f"-- time {clock(spoken)} of {clock(card.target_minutes * 60)}"
                  + (f", over by {clock(over)}" if over > 0 else ", within time"), file=out)
            if session.timed_only:
                if ask("-- Enter: next card; q: quit") == "q":
                    session.record(card, None, spoken)
                    return False
                session.record(card, None, spoken)
                continue
            answer = first  # a grade typed at the front (echo 3 | deckbuilder drill) grades the card at once
            while answer not in ("1", "2", "3", "4"):
                answer = ask("-- grade: 1 Again, 2 Hard, 3 Good, 4 Easy; q: quit")
                if answer == "q":
                    return False
            session.record(card, int(answer), spoken)
    except EOFError:
        return False
    return True


def next_due_line(when: dt.datetime | None, now: dt.datetime) -> str:
    if when is None:
        return "nothing is scheduled yet"
    if when <= now:
        return "cards are due now"
    return f"next card due {when.astimezone():%Y-%m-%d %H:%M}"
