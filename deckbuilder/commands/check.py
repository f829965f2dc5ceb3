"""``deckbuilder check``: validate content/ and report every problem at once."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check content/ for mistakes without building",
                       description="Read every file in content/ and report all problems at once as "
                                   "file:line: message. Warnings do not fail the check unless --strict.")
    p.add_argument("dir", nargs="?", default=".", help="workspace folder (default: the current folder)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit status 2)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..build import load
    from ..cli import EXIT_USER, print_problems
    from ..workspace import Workspace

    workspace = Workspace.at(args.dir)
    content, report = load(workspace)
    print_problems(report.warnings)
    phases = sum(len(p.phases) for p in content.projects)
    questions = sum(len(e.questions) for e in content.question_bank)
    print(f"content OK: {len(content.projects)} project(s) with {phases} phase(s), {len(content.stories)} "
          f"stories, {questions} bank question(s), {len(report.warnings)} warning(s)")
    if args.strict and report.warnings:
        print(f"--strict: {len(report.warnings)} warning(s) count as errors")
        return EXIT_USER
    return 0
