"""The two kinds of failure deckbuilder knows.

A *user error* is something the person can fix in their files (a typo, a story that is
too long for a card). It carries where it happened and a hint, and the CLI prints it as
``file:line: message`` with exit status 2 and never a traceback. Anything else that
escapes is *our* bug: the CLI reports it with status 1.

Warnings use the same shape so that ``check`` can print both kinds the same way.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

EXIT_OK, EXIT_BUG, EXIT_USER = 0, 1, 2  # done; a bug in deckbuilder; the user's input needs fixing


@dataclass(frozen=True)
class Problem:
    """One finding about the user's input: where, what, and how to fix it."""

    file: str | None
    line: int | None
    message: str
    hint: str | None = None
    key: str | None = None  # dotted key path inside the file, e.g. "stories[2].principles"
    severity: str = "error"  # "error" or "warning"

    def format(self) -> str:
        """``file:line: message (at key)`` plus an indented hint line."""
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        prefix = "warning: " if self.severity == "warning" else ""
        text = f"{where}{prefix}{self.message}"
        if self.key:
            text += f" (at {self.key})"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class UserError(Exception):
    """One or more problems in the user's input; nothing was written."""

    def __init__(self, problems: list[Problem] | Problem | str, *, file: str | Path | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(str(file) if file else None, line, problems, hint)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        self.outputs_changed = False  # set when some PDFs had already been replaced
        super().__init__("\n".join(p.format() for p in problems))


class Warns(Protocol):
    """What can take a warning: a Report, or an output's plan (``outputs.base.Plan``)."""

    def warn(self, file: str | None, line: int | None, message: str, hint: str | None = None) -> None: ...


@dataclass
class Report:
    """Collects problems so that all of them are reported at once, not one per run."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, file: str | None, line: int | None, message: str, hint: str | None = None,
              key: str | None = None) -> None:
        self.problems.append(Problem(file, line, message, hint, key, "error"))

    def warn(self, file: str | None, line: int | None, message: str, hint: str | None = None,
             key: str | None = None) -> None:
        self.problems.append(Problem(file, line, message, hint, key, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise UserError(self.errors)


CODED = re.compile(r"^\[([a-z-]+)\] ")  # a coach warning's code: "[too-short] story 'x' takes ..."
SHOWN_PER_CODE = 5  # past this many warnings of one code, the rest are counted, not printed


def print_problems(problems: Iterable[Problem], stream: TextIO | None = None) -> None:
    """Each problem as ``file:line: message`` and its hint, on stderr unless told otherwise.

    Warnings of one coach code beyond the first few are counted in one line: ten thousand
    "[too-short]" lines would bury everything else (errors are always printed in full)."""
    out = stream or sys.stderr
    problems = list(problems)
    counts: dict[str, int] = {}
    for problem in problems:
        code = CODED.match(problem.message) if problem.severity == "warning" else None
        if code:
            counts[code.group(1)] = counts.get(code.group(1), 0) + 1
            if counts[code.group(1)] > SHOWN_PER_CODE:
                continue
        print(problem.format(), file=out)
    for name, count in counts.items():
        if count > SHOWN_PER_CODE:
            print(f"warning: {count - SHOWN_PER_CODE} more [{name}] warnings like these\n    hint: "
                  f"fix the stories above first; if the check does not fit how you write, switch it off with "
                  f"off = [\"{name}\"] under [checks] in deckbuilder.toml", file=out)
