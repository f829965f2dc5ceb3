"""Discovery: which files of a content folder are read, in which order, and how they are named.

Only YAML files are read; anything else is mentioned once, and a link that leads outside
the workspace is refused (nothing is read from outside it).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Report

CONTENT_SUFFIXES = (".yaml", ".yml")


IGNORED_QUIETLY = {"deckbuilder.schema.json", "README.md", "readme.md", ".DS_Store"}


def content_files(content_dir: Path, report: Report | None = None, display_root: Path | None = None) -> list[Path]:
    """The YAML files of a content folder, in name order (the order lists merge in).

    Other files are skipped with a warning (a photo dropped into content/ is not an error,
    but the user should know it is not read). Files reached through a link that leads
    outside the workspace are refused: nothing is read from outside it.
    """
    root = (display_root or content_dir.parent).resolve()
    chosen = []
    for path in sorted(content_dir.rglob("*")):
        rel = path.relative_to(content_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_symlink() and not path.exists():
            if report is not None and path.suffix.lower() in CONTENT_SUFFIXES:
                report.error(display(path, display_root or content_dir.parent), None,
                             "this file is a link to something that no longer exists",
                             "copy the file it pointed to back into content/, or delete the link")
            continue
        if not path.is_file():
            continue
        shown = display(path, display_root or content_dir.parent)
        if not path.resolve().is_relative_to(root):
            if report is not None:
                report.error(shown, None, "this file is a link to a place outside the workspace",
                             "copy the file into content/ instead of linking to it")
            continue
        if path.suffix.lower() in CONTENT_SUFFIXES:
            chosen.append(path)
        elif report is not None and path.name not in IGNORED_QUIETLY:
            report.warn(shown, None, "not a .yaml file; it is not read", "content/ holds only YAML files")
    return chosen


def display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
