"""Loading a workspace's content/ folder: read every file, validate it, merge, cross-check.

Every file is read and validated before anything is reported, so that one run shows
all problems at once, each with ``file:line``, the key path and a hint. The steps live in
their own modules: ``discover`` (which files), ``explain`` (pydantic's errors in plain
words), ``sources`` (file and line of every object), ``crosscheck`` (what spans files).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..cache import cache_dir
from ..errors import Report, UserError
from . import checkstore
from .crosscheck import Unseen, cross_check, iter_texts, normalise_content
from .discover import CONTENT_SUFFIXES, IGNORED_QUIETLY, content_files, display
from .explain import explained_by_typo, report_pydantic
from .model import LIST_SECTIONS, SINGLE_SECTIONS, Content, ContentFile
from .principles import builtin_set
from .sources import attach_sources, where
from .yamlload import Marks, load_yaml

__all__ = ["CONTENT_SUFFIXES", "IGNORED_QUIETLY", "Unseen", "content_files", "cross_check", "iter_texts",
           "load_content", "normalise_content", "where"]


def load_content(content_dir: Path, display_root: Path | None = None, kept: bool = False) -> tuple[Content, Report]:
    """Read, validate, merge and cross-check every content file.

    Raises UserError listing every error found; warnings come back in the Report. With
    ``kept`` (a workspace's content, ``build.load``), what the cross-checks said, and later
    the content's warnings, are kept in the user's cache folder by the files' bytes
    (``checkstore``), and said again while they stay the same.
    """
    report = Report()
    display_root = display_root or content_dir.parent
    if not content_dir.is_dir():
        raise UserError(f"no content/ folder in {display_root}", file=str(display_root),
                        hint="run 'deckbuilder new DIR' to start a workspace, or cd into one")
    files = content_files(content_dir, report, display_root)
    report.raise_if_errors()
    if not files:
        raise UserError("content/ holds no .yaml files", file=display(content_dir, display_root),
                        hint="run 'deckbuilder new DIR' for a starting example")
    parsed: list[tuple[str, ContentFile]] = []
    unseen = Unseen()
    digest = hashlib.blake2b(f"{len(files)}\0".encode()) if kept and cache_dir() is not None else None
    for path in files:
        name = display(path, display_root)
        try:
            data, marks = load_yaml(path, name, digest)
        except UserError as exc:
            report.problems.extend(exc.problems)
            unseen.note_unreadable(path)
            continue
        model = _validate_file(data, marks, name, report, unseen)
        if model is not None:
            parsed.append((name, model))
    errors_before = len(report.errors)
    content = _merge(parsed, report)
    if len(report.errors) == errors_before:
        # Even when some files or items are wrong, check what was read, so one run shows the
        # typo'd principle as well as the broken number; but stay quiet about what may hang
        # on the parts that could not be read.
        from ..render.fonts import use_workspace  # its fonts/ folder, for characters no bundled font has

        use_workspace(content_dir.parent)
        normalise_content(content)  # one pass that spells principles the set's way; then only checks
        store = checkstore.opened(display_root, digest.hexdigest()) if digest is not None else None
        if store is None or report.errors or unseen.anything:  # only what was all read is kept
            cross_check(content, report, unseen)
        else:
            store.cross_checked(report, lambda: cross_check(content, report, unseen))
            checkstore.remember(content, store)
    report.raise_if_errors()
    return content, report


# ---------------------------------------------------------------- per-file validation

def _validate_file(data: Any, marks: Marks, name: str, report: Report, unseen: Unseen) -> ContentFile | None:
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        report.error(name, 1, f"file holds {kind}, but a content file is a mapping of sections",
                     "start with a section name such as 'stories:' and indent the list under it")
        return None
    try:
        model = ContentFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        for err in errors:
            if not explained_by_typo(err, errors):
                report_pydantic(err, marks, name, report)
        return _salvage(data, marks, name, unseen)
    attach_sources(model, (), marks, name)
    return model


def _salvage(data: dict, marks: Marks, name: str, unseen: Unseen) -> ContentFile:
    """The sections and list items of a file that are valid on their own (their errors are
    already reported), so the cross checks can still look at them; the rest is noted unseen."""
    kept: dict[str, Any] = {}
    for section, value in data.items():
        if section in SINGLE_SECTIONS:
            try:
                kept[section] = getattr(ContentFile.model_validate({section: value}), section)
                attach_sources(kept[section], (section,), marks, name)
            except ValidationError:
                unseen.note_item(section, value)
        elif section in LIST_SECTIONS and isinstance(value, list):
            kept[section] = []
            for index, raw in enumerate(value):
                try:
                    item = getattr(ContentFile.model_validate({section: [raw]}), section)[0]
                except ValidationError:
                    unseen.note_item(section, raw)
                    continue
                attach_sources(item, (section, index), marks, name)
                kept[section].append(item)
        else:
            unseen.note_item(str(section), value)
    return ContentFile.model_construct(**{**{f: getattr(ContentFile(), f) for f in ContentFile.model_fields}, **kept})


# ---------------------------------------------------------------- merging

def _merge(parsed: list[tuple[str, ContentFile]], report: Report) -> Content:
    errors_before = len(report.errors)
    singles: dict[str, Any] = {}
    lists: dict[str, list] = {section: [] for section in LIST_SECTIONS}
    for name, model in parsed:
        for section in SINGLE_SECTIONS:
            value = getattr(model, section)
            if value is None:
                continue
            if section in singles:
                first = singles[section]
                report.error(name, value._line, f"'{section}' is already given in {first._file}:{first._line}",
                             "keep one of them; single sections may appear in only one file")
                continue
            singles[section] = value
        for section in LIST_SECTIONS:
            lists[section].extend(getattr(model, section))
    if len(report.errors) > errors_before:
        return Content(principles=builtin_set())
    principle_set = singles.pop("principles", None) or builtin_set()
    return Content(principles=principle_set, **{k: v for k, v in singles.items() if v is not None}, **lists)
