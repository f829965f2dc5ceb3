"""Where things are in a workspace, and writing outputs so that failures lose nothing.

A workspace is a folder with ``content/`` (the YAML), an optional ``templates/``
(overrides of the built-in layouts) and ``output/`` (the PDFs). Outputs are first written
to temporary files inside ``output/`` and moved into place together only when every
one of them is complete, so a failed or interrupted build leaves the previous PDFs
byte-for-byte as they were.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import paths
from .errors import UserError

SAFE_OUTPUT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\.pdf$")
STALE_AFTER_SECONDS = 15 * 60  # no build takes this long; a younger temp file may be another build's


def remove_stale_temporaries(output_dir: Path, now: float | None = None) -> list[Path]:
    """Delete our own temporary files (``.NAME.pdf.XXXX.tmp``) left by a build that was killed
    outright (power cut, SIGKILL), once they are old enough not to belong to a running build."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    if not paths.is_inside(output_dir, [output_dir.parent]):
        return removed  # a link leading out: nothing there is ours to delete (the build refuses it)
    for path in output_dir.glob(".*.pdf.*.tmp") if output_dir.is_dir() else ():
        try:
            if path.is_file() and now - path.stat().st_mtime > STALE_AFTER_SECONDS:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # not ours to fight over: the next build tries again
    return removed


@dataclass(frozen=True)
class Workspace:
    root: Path
    out: Path | None = None  # --out DIR or [output] dir in deckbuilder.toml; None: root/output

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def output_dir(self) -> Path:
        return self.out if self.out is not None else self.root / "output"

    def writing_to(self, out: Path | None) -> Workspace:
        """The same workspace with its PDFs going to ``out`` (None: output/)."""
        return Workspace(self.root, out)

    @classmethod
    def at(cls, path: str | Path | None) -> Workspace:
        """The workspace at ``path`` (default: the current folder), checked to have content/."""
        root = Path(path or ".").resolve()
        if not root.is_dir():
            raise UserError(f"no such folder: {path}", hint="give the path of a workspace folder")
        if not (root / "content").is_dir() and root.name == "content" and root.parent != root:
            raise UserError(f"{path} is a content/ folder itself, not a workspace", file=str(path),
                            hint=f"name the workspace that holds it: {_shown(root.parent, path)}")
        if not (root / "content").is_dir():
            raise UserError(f"{root} has no content/ folder", file=str(path or "."),
                            hint="cd into a workspace, name one (deckbuilder build DIR), "
                                 "or start one with 'deckbuilder new DIR'")
        return cls(root)


def _shown(folder: Path, given: str | Path | None) -> str:
    """``folder`` the way the user wrote its child ``given``: 'ws' for 'ws/content', '.' for 'content'."""
    parent = Path(given or ".").parent
    return str(parent) if str(given or ".").rstrip("/\\") != "content" else "."


@dataclass
class StagedOutputs:
    """Temporary files in output/, moved into place all together by ``commit``."""

    output_dir: Path
    staged: dict[str, Path] = field(default_factory=dict)
    roots: tuple[Path, ...] = ()  # where output_dir may resolve (default: its parent, see paths)

    def path_for(self, name: str) -> Path:
        """A fresh temporary path in output/ that will become ``output/name``."""
        if not SAFE_OUTPUT_NAME.match(name):
            raise ValueError(f"unsafe output name {name!r}")  # our bug: names come from code
        paths.check_output_folder(self.output_dir, self.roots)
        try:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.output_dir)
        except OSError as exc:
            raise UserError(f"cannot write to the output folder: {exc.strerror}", file=str(self.output_dir),
                            hint="check that output/ is a folder you may write to "
                                 "(permissions, a full disk, or a file named 'output')") from None
        os.close(fd)
        self.staged[name] = Path(tmp)
        return Path(tmp)

    def commit(self) -> list[Path]:
        """Move every staged file into place (each move is atomic on one file system).

        Targets are checked first, so a folder squatting on 'cards.pdf' stops the build
        before anything moves; a move that still fails (a PDF held open by a viewer on
        Windows) is reported saying which files were already replaced.
        """
        for name in self.staged:
            final = self.output_dir / name
            if final.exists() and not final.is_file():
                raise UserError(f"output/{name} is not a file, so it cannot be replaced", file=str(final),
                                hint="move or delete it, then build again")
        done: list[Path] = []
        umask = os.umask(0)
        os.umask(umask)
        for tmp in self.staged.values():
            paths.sync_file(tmp)  # on disk before the move: a power cut leaves the old PDF or the new, whole
        for name, tmp in self.staged.items():
            final = self.output_dir / name
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
            try:
                os.replace(tmp, final)
            except OSError as exc:
                replaced = ", ".join(p.name for p in done) or "none"
                error = UserError(f"cannot replace output/{name}: {exc.strerror}", file=str(final),
                                  hint=f"close it if a PDF viewer has it open, then build again "
                                       f"(already replaced: {replaced})")
                error.outputs_changed = bool(done)
                raise error from None
            done.append(final)
        self.staged.clear()
        paths.sync_folder(self.output_dir)
        return done

    def discard(self) -> None:
        for tmp in self.staged.values():
            tmp.unlink(missing_ok=True)
        self.staged.clear()
