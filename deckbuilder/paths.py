"""One rule for every file deckbuilder reads or writes, and one way to write.

The rule: a path deckbuilder reads (content, templates) or writes (outputs, imported
files, their temporary files) must resolve, links followed, inside one of the folders it
was allowed: the workspace, and an output folder the user named (``--out``). A link that
leads anywhere else is a user error naming the link, exit 2: a template bundle or a
content folder from someone else must not be able to read ``/etc/passwd`` into a PDF, or
make a build or an import write over a file outside the workspace.

Writing: ``write_files`` writes a set of files all or nothing. Each file goes first to a
temporary file with a unique name, created exclusively (``O_EXCL``: a link planted at
the name is never followed) next to its target, flushed to disk; only when every one is
complete are they moved into place (``os.replace``, atomic on one file system), and
should a move still fail, the ones already moved are put back. A full disk therefore
leaves every target as it was and no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import UserError

OUTSIDE_HINT = ("deckbuilder reads and writes only inside the workspace (and an output folder you name): "
                "copy the file or folder in instead of linking to it")


def resolved_roots(roots: Iterable[Path]) -> tuple[Path, ...]:
    return tuple(Path(root).resolve() for root in roots)


def is_inside(path: Path, roots: Iterable[Path]) -> bool:
    """Whether ``path``, every link on the way followed, is inside one of ``roots``."""
    real = Path(os.path.realpath(path))
    return any(real == root or real.is_relative_to(root) for root in resolved_roots(roots))


def shown(path: Path, roots: Sequence[Path]) -> str:
    """``path`` as the user knows it: relative to the first root it is written under."""
    for root in roots:
        for base in (Path(root), Path(root).resolve()):
            try:
                return str(Path(path).relative_to(base.parent if base.name else base))
            except ValueError:
                continue
    return str(path)


def require_inside(path: Path, roots: Sequence[Path], what: str = "file") -> Path:
    """``path`` resolved, or a UserError naming it (and where it leads) when a link on the
    way takes it outside every one of ``roots``."""
    real = Path(os.path.realpath(path))
    if any(real == root or real.is_relative_to(root) for root in resolved_roots(roots)):
        return real
    raise UserError(f"this {what} is a link to a place outside the workspace ({real}); it is not "
                    f"{'read' if what in ('file', 'template', 'folder') else 'written'}",
                    file=shown(path, roots), hint=OUTSIDE_HINT)


def links_leading_out(folder: Path, roots: Sequence[Path]) -> list[Path]:
    """Every link under ``folder`` (to a file or a folder, not followed) that resolves outside
    ``roots``, in name order; ``folder`` itself first if it is one."""
    if not os.path.lexists(folder):
        return []
    if not is_inside(folder, roots):
        return [Path(folder)]
    found: list[Path] = []
    for parent, dirs, files in os.walk(folder):
        for name in sorted(dirs + files):
            path = Path(parent) / name
            if os.path.islink(path) and not is_inside(path, roots):
                found.append(path)
    return sorted(found)


def check_output_folder(folder: Path, roots: Sequence[Path] = ()) -> Path:
    """``folder`` (where outputs go), refused when it exists as a link leading outside
    ``roots``: by default its own parent folder, so a workspace's ``output/`` that links
    elsewhere is refused (the PDFs would be written somewhere the user never said), while
    an output folder the user named (``--out DIR``, passed as its own root) may be anywhere."""
    allowed = tuple(roots) or (Path(folder).parent,)
    if os.path.lexists(folder) and not is_inside(folder, allowed):
        raise UserError(f"{Path(folder).name}/ is a link to a place outside the workspace "
                        f"({os.path.realpath(folder)}); nothing was written there", file=str(folder),
                        hint="make it an ordinary folder, or name the folder you want the PDFs in")
    return Path(folder)


def sync_file(path: Path) -> None:
    """Flush a file someone else wrote (reportlab) to disk before it is moved into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_files(files: Sequence[tuple[Path, bytes]], roots: Sequence[Path], mode: int | None = None) -> list[Path]:
    """Write every (target, data) or none of them (see the module's docstring).

    Every target's folder must resolve inside ``roots``, and a target that is a link
    leading out is refused before anything is written. ``mode``: the new files' permission
    bits (default: 0o666 less the umask, as an ordinary file).
    """
    for target, _ in files:
        require_inside(target.parent, roots, "folder")
        if os.path.islink(target):
            require_inside(target, roots, "file")
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            staged.append((_stage(target, data, mode), target))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    return _move_all(staged)


def _stage(target: Path, data: bytes, mode: int) -> Path:
    """``data`` in a new, uniquely named file next to ``target``, flushed to disk."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)  # O_EXCL, 0600
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _move_all(staged: list[tuple[Path, Path]]) -> list[Path]:
    """Move each staged file onto its target; if one move fails, put back the targets
    already replaced (their old content kept as a hard link until every move succeeded),
    remove the ones this call created, and every temporary file."""
    moved: list[tuple[Path, Path | None, bool]] = []  # (target, hard link to its old content, existed before)
    backup: Path | None = None
    try:
        for tmp, target in staged:
            existed, backup = os.path.lexists(target), None
            if existed and os.path.isfile(target) and not os.path.islink(target):
                backup = _link_aside(target)
            os.replace(tmp, target)
            moved.append((target, backup, existed))
            backup = None
    except BaseException:
        for target, old, existed in reversed(moved):
            try:
                if old is not None:
                    os.replace(old, target)
                elif not existed:
                    target.unlink(missing_ok=True)
            except OSError:
                pass  # nothing better to do: the error below is reported
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if backup is not None:
            backup.unlink(missing_ok=True)
        raise
    for _, old, _ in moved:
        if old is not None:
            old.unlink(missing_ok=True)
    _sync_folders({target.parent for _, target in staged})
    return [target for _, target in staged]


def _link_aside(target: Path) -> Path | None:
    """A second name for ``target``'s current content (no copy, no disk space), or None
    where the file system has no hard links."""
    for _ in range(10):
        aside = target.with_name(f".{target.name}.{os.urandom(4).hex()}.old")
        try:
            os.link(target, aside)  # fails on an existing name, link or not: never follows one
            return aside
        except FileExistsError:
            continue
        except OSError:
            return None
    return None


def _sync_folders(folders: Iterable[Path]) -> None:
    for folder in folders:
        sync_folder(folder)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames) to disk where the system allows it (not Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
