"""Importing Markdown prep notes into a workspace (``deckbuilder import``).

The steps, each a plain function of the one before:

    bytes --decode, repair mojibake line by line--> lines      (mojibake.py)
    lines --classify, group, nest by heading--> section tree   (blocks.py)
    tree --one recogniser per convention--> drafts             (parse.py, recognise.py, tags.py)
    drafts --ids, labels, principles, repairs, demotions--> content data   (assemble.py)
    content data --measured against the card, split or shortened--> data that builds   (fit.py)
    data --> content/imported-<notes>.yaml                     (write.py)
    the workspace as it will be --check, then cards, sheet and matrix measured as build
        does--> written, or not; and what would stop the build     (outputs.py)

Every step adds to a FileReport (report.py), printed at the end.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..content.load import load_content
from ..content.model import Content
from ..content.principles import builtin_set
from ..errors import Report, UserError
from ..options import DEFAULTS, PrintOptions
from ..render.fonts import uncovered, use_workspace
from ..render.templates import Templates
from .assemble import Assembler, Taken, count
from .blocks import parse_tree
from .exports import undo_export_markup
from .fit import CardFitter, fit_content
from .mojibake import decode_notes, repair_lines
from .outputs import SHEET_FILE, BuildStop, cards_stop, fit_sheet, matrix_stop, unprinted_sets
from .parse import parse_sections
from .recognise import phase_heading
from .report import FileReport
from .tags import TagMatcher
from .text import clean_title, slugify, unique
from .write import read_existing, write_workspace, yaml_text

MAX_NOTES_BYTES = 5 * 1024 * 1024


@dataclass
class ImportResult:
    reports: list[FileReport] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    check: Report | None = None
    notices: list[str] = field(default_factory=list)  # about the workspace as a whole (sheet, sets)
    stops: list[BuildStop] = field(default_factory=list)  # what will make 'deckbuilder build' fail
    measured: bool = False  # the outputs were measured (the workspace passed check)
    planned: list[Path] = field(default_factory=list)  # the content files the import writes (or would, dry run)


def target_name(notes: Path) -> str:
    return f"imported-{slugify(notes.stem, 60)}.yaml"


def read_notes(path: Path) -> tuple[str, list[int]]:
    """The text of a notes file, and its lines that were not UTF-8 (see ``decode_notes``)."""
    if not path.exists():
        raise UserError(f"no such notes file: {path}", file=str(path), hint="give the path of a Markdown file")
    if path.is_dir():
        raise UserError(f"{path} is a folder, not a notes file", file=str(path),
                        hint="the last argument is the workspace folder; the ones before it are notes files")
    with open(path, "rb") as stream:
        raw = stream.read(MAX_NOTES_BYTES + 1)  # a huge file is refused, never read whole
    if len(raw) > MAX_NOTES_BYTES:
        size = max(len(raw), path.stat().st_size)
        raise UserError(f"{path} is {size / 1e6:.1f} MB; notes files are limited to 5 MB", file=str(path))
    if b"\x00" in raw[:8192]:
        raise UserError(f"{path} is a binary file, not Markdown text", file=str(path),
                        hint="export the notes as Markdown (.md) or plain text first")
    return decode_notes(raw)


def import_notes(notes_paths: list[Path], root: Path, force: bool = False, dry_run: bool = False,
                 options: PrintOptions = DEFAULTS) -> ImportResult:
    """Import notes files into the workspace at ``root``; nothing is written unless every
    file imports and the resulting workspace passes ``check`` (and nothing at all with
    ``dry_run``: the report says what would be written). The outputs are measured with
    ``options``, the workspace's own print settings (deckbuilder.toml), as its build will be."""
    if root.exists() and not root.is_dir():
        raise UserError(f"{root} exists and is not a folder", file=str(root), hint="give a folder for the workspace")
    content_dir = root / "content"
    names: set[str] = {SHEET_FILE.removesuffix(".yaml")}  # notes named sheet.md must not take the sheet's file
    targets: list[Path] = []
    for path in notes_paths:
        name = unique(target_name(path).removesuffix(".yaml"), names) + ".yaml"
        targets.append(content_dir / name)
    existing = [t for t in targets if t.exists()]
    if existing and not force and not dry_run:
        raise UserError([UserError(f"{t} already exists", file=str(t),
                                   hint="deckbuilder import never overwrites a file; pass --force to replace it, "
                                        "or rename the notes file").problems[0] for t in existing])
    read = [read_notes(path) for path in notes_paths]
    taken, custom = read_existing(content_dir, {t.resolve() for t in targets})
    principle_set = custom or builtin_set()
    matcher = TagMatcher(principle_set)
    use_workspace(root)  # its fonts/ folder prints what the bundled fonts cannot
    templates = Templates(root / "templates")
    fitter = CardFitter(templates, [p.name for p in principle_set.principles])
    result = ImportResult()
    outputs: list[tuple[Path, str]] = []
    for path, target, (text, legacy) in zip(notes_paths, targets, read):
        report = FileReport(str(path), f"content/{target.name}", legacy_lines=legacy)
        outputs.append((target, convert(text, path, report, taken, principle_set, matcher, fitter)))
        result.reports.append(report)
    content, result.check = verify(content_dir, outputs, root)
    if content is not None:
        new_files = {f"content/{target.name}" for target, _ in outputs}
        extra = check_outputs(content, root, templates, taken, result, new_files, options)
        if extra:  # the sheet's selection: check the workspace with it too
            outputs += extra
            content, result.check = verify(content_dir, outputs, root)
    result.planned = [root / "content" / target.name for target, _ in outputs]
    if not dry_run:
        result.written = write_workspace(root, outputs, force)
    return result


def check_outputs(content: Content, root: Path, templates: Templates, taken: Taken,
                  result: ImportResult, new_files: set[str],
                  options: PrintOptions = DEFAULTS) -> list[tuple[Path, str]]:
    """The cards, the sheet, the matrix and the deck's card sets for the workspace as it
    will be, measured as a plain ``deckbuilder build`` would (see outputs.py); returns the
    sheet selection file when one is needed. What would stop the build goes to
    ``result.stops``, the rest to ``result.notices``."""
    extra: list[tuple[Path, str]] = []
    chosen = taken.sheet_in or (f"content/{SHEET_FILE}" if (root / "content" / SHEET_FILE).exists() else None)
    fix = fit_sheet(content, templates, chosen, options)
    if fix.sections is not None:
        text = yaml_text({"sheet": {"sections": fix.sections}}, "", [],
                         about="Written by 'deckbuilder import': the imported notes hold more than the one-page "
                               "sheet; list the sections you want.")
        extra.append((Path("content") / SHEET_FILE, text))
    if fix.message:
        result.notices.append(fix.message)
    imported: dict[str, int] = {}
    for report in result.reports:
        for kind, key in (("phases", "phases"), ("extras", "extras"), ("stories", "stories"),
                          ("questions", "bank questions")):
            imported[kind] = imported.get(kind, 0) + report.counts[key]
    result.measured = True
    result.stops = [stop for stop in (cards_stop(content, templates, options), fix.stop,
                                      matrix_stop(content, new_files, options, templates)) if stop]
    notice = unprinted_sets(content, imported)
    if notice:
        result.notices.append(notice)
    return extra


def convert(text: str, path: Path, report: FileReport, taken: Taken, principle_set, matcher: TagMatcher,
            fitter: CardFitter) -> str:
    """One notes file as the text of one content file."""
    lines, report.repairs = repair_lines(text.splitlines())
    lines = undo_export_markup(lines)
    tree = parse_tree(lines)
    first_heading = next((c.title for c in tree.children if c.heading and not phase_heading(c.title)), "")
    parsed = parse_sections(tree, matcher, clean_title(first_heading) or path.stem)
    assembled = Assembler(parsed, report, taken, principle_set, "\n".join(lines), report.target).run()
    fit_content(assembled.data, fitter, report, assembled.phase_lines, assembled.story_lines)
    count(assembled.data, report)
    report.measure(lines)
    written = yaml_text(assembled.data, path.name, assembled.trailer)
    body = written.split("\n# Text from the notes that belongs to no one story")[0]  # comments never print
    report.unprintable = uncovered(body)
    return written


def verify(content_dir: Path, outputs: list[tuple[Path, str]], root: Path) -> tuple[Content | None, Report]:
    """Run ``check`` on a copy of the workspace with the new files in it, before writing.

    A failure here is a bug in the importer (its whole point is output that passes), so
    it is raised as one, unless the workspace failed the check already without them
    (then the content is None and the report holds the workspace's own problems)."""
    # inside the workspace (nothing of it is written elsewhere), unique and made exclusively
    with tempfile.TemporaryDirectory(prefix=".deckbuilder-import-", dir=_scratch(root)) as tmp:
        copy = Path(tmp) / "content"
        if content_dir.is_dir():
            shutil.copytree(content_dir, copy, symlinks=True)
        else:
            copy.mkdir()
        for target, text in outputs:
            (copy / target.name).unlink(missing_ok=True)  # a copied link: never write through it
            (copy / target.name).write_text(text, "utf-8")
        try:
            return load_content(copy, Path(tmp))
        except UserError as exc:
            if content_dir.is_dir() and _already_failing(content_dir, {t.name for t, _ in outputs}):
                return None, Report(list(exc.problems))
            raise RuntimeError("the imported content does not pass check:\n"
                               + "\n".join(p.format() for p in exc.problems)) from None


def _scratch(root: Path) -> Path | None:
    """Where the import checks the workspace as it will be: inside it (a new workspace, which
    holds nothing of the user's yet, uses the system's temporary folder)."""
    return root if root.is_dir() else None


def _already_failing(content_dir: Path, new_names: set[str]) -> bool:
    with tempfile.TemporaryDirectory(prefix=".deckbuilder-import-", dir=_scratch(content_dir.parent)) as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(content_dir, copy, symlinks=True)
        for name in new_names:
            (copy / name).unlink(missing_ok=True)
        try:
            load_content(copy, Path(tmp))
        except UserError:
            return True
        return False
