"""What ``check`` adds as a coach: the story warnings and the loop plan (or why there is none)."""

from __future__ import annotations

from ..content.model import Content
from ..errors import Report
from ..workspace import Workspace
from .checks import CODES, coach_problems
from .settings import read_check_settings


def coach_report(workspace: Workspace, content: Content, report: Report) -> list[str]:
    """Add the coach's warnings to ``report``; return the lines to print (the loop plan)."""
    settings = read_check_settings(workspace.root, CODES + LOOP_CODES)
    report.problems.extend(settings.problems)
    report.problems.extend(coach_problems(content, settings.off))
    return []


LOOP_CODES: tuple[str, ...] = ()
