"""``deckbuilder watch``: rebuild whenever a content or template file is saved.

Every rebuild is planned and drawn in this long-lived process, which remembers what makes
the next one fast (set faces, parsed and set sheet sections and stories, compiled templates,
and each card face's drawing, replayed where it writes the same bytes: ``render.replay``).
A forked process would not keep what it drew, so unlike ``build`` nothing is drawn alongside.
"""

from __future__ import annotations

import argparse
import gc
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import cache as user_cache
from ..errors import UserError
from .build import add_build_options, content_problems, options_from, settings_from, shown


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("watch", help="rebuild on every save (Ctrl-C to stop)",
                       description="Build once, then rebuild whenever a file in content/ or templates/, "
                                   "or deckbuilder.toml, changes. Mistakes are printed and the previous PDFs "
                                   "stay in place.")
    add_build_options(p)
    p.add_argument("--interval", type=float, default=0.2, help="seconds between looks for changes")
    p.set_defaults(run=run)


def snapshot(folders: list[Path]) -> dict[Path, tuple[int, int]]:
    """(mtime, size) of every file under the watched folders."""
    state: dict[Path, tuple[int, int]] = {}
    for folder in folders:
        if folder.is_dir():
            for path in folder.rglob("*"):
                if any(part.startswith(".") for part in path.relative_to(folder).parts) or path.name.endswith("~"):
                    continue  # editors' swap and backup files come and go while you type
                try:
                    st = path.stat()
                except OSError:  # deleted between listing and looking
                    continue
                if stat.S_ISREG(st.st_mode):
                    state[path] = (st.st_mtime_ns, st.st_size)
    return state


class Watcher:
    """Rebuilds when the watched files change; one ``poll`` per look, so tests can drive it."""

    def __init__(self, workspace, options, reconfigure: Callable[[], tuple[Any, Any]] | None = None) -> None:
        self.workspace = workspace
        self.options = options
        self.folders = [workspace.content_dir, workspace.templates_dir]
        self.untidy = False  # the cycle collector was switched off for a rebuild (see ``rebuild``)
        self.unwritten: user_cache.Writes = {}  # the cache folder's files a rebuild wrote, waiting for ``tidy``
        self.seen = snapshot(self.folders)
        # deckbuilder.toml is read again when it changes: an edited paper or offset takes effect
        # on the next save instead of being silently ignored until a restart.
        self.reconfigure = reconfigure
        self.settings_file = workspace.root / "deckbuilder.toml"
        self.settings_seen = _stamp(self.settings_file)
        from ..content.yamlload import prepare

        prepare()  # an edited content file is read with PyYAML, which a run from the cache never imports

    def rebuild(self) -> bool:
        """Build once; print what happened. Returns True when the PDFs were replaced.

        The cycle collector stays off until ``tidy``, which the watch loop calls once the
        rebuild has been printed: a build pauses the collector (``build.collector_paused``),
        and switched back on at its end the collector's next pass ran before the rebuild
        could return: 2.4 ms of a 0.15-0.2 s rebuild of the user's content (collector
        callbacks, 7 rebuilds), after the PDFs were written but before the user was told."""
        from ..build import build
        from ..errors import UserError, print_problems

        if gc.isenabled():
            gc.disable()
            self.untidy = True
        started = time.perf_counter()
        try:
            # Planned and drawn in this process, which remembers what makes the next rebuild
            # fast (see the module docstring).
            with user_cache.writes_put_off(self.unwritten):  # the stores keep it in memory: written by ``tidy``
                written, report = build(self.workspace, self.options, again=True)
        except UserError as exc:
            print_problems(exc.problems)
            print("not rebuilt; the previous PDFs are unchanged. Waiting for the next save...", flush=True)
            return False
        names = ", ".join(p.name for p in written)
        print(f"rebuilt {names} in {time.perf_counter() - started:.2f} s", flush=True)
        print_problems(report.warnings)  # once, after the files are written: the same warnings check prints
        return True

    def poll(self) -> bool | None:
        """Rebuild if anything changed since the last look; None when nothing changed."""
        now = snapshot(self.folders)
        stamp = _stamp(self.settings_file)
        settings_changed = stamp != self.settings_seen
        if now == self.seen and not settings_changed:
            return None
        self.seen, self.settings_seen = now, stamp
        if settings_changed and self.reconfigure is not None:
            from ..errors import UserError, print_problems

            try:
                self.workspace, self.options = self.reconfigure()
            except UserError as exc:
                print_problems(exc.problems)
                print("not rebuilt; the previous PDFs are unchanged. Waiting for the next save...", flush=True)
                return False
        return self.rebuild()

    def tidy(self) -> None:
        """Write what the last rebuild left for the cache folder (``cache.writes_put_off``),
        collect what it left for the cycle collector and switch that back on, and reap a second
        process that sent its result and was still ending: called while waiting for the next
        save, so no rebuild waits for any of them."""
        from .. import alongside  # here: every command's parser imports this module (``cli``)

        user_cache.write_all(self.unwritten)
        alongside.reap_ended()
        if self.untidy:
            self.untidy = False
            gc.enable()
            gc.collect()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def run(args: argparse.Namespace) -> int:
    from ..workspace import Workspace

    root = Workspace.at(args.dir)

    def configure() -> tuple[Workspace, Any]:
        """The settings in effect now (flags > deckbuilder.toml > printer > default), printed."""
        settings = settings_from(args, root.root)
        options = options_from(args, settings)
        print(settings.line(root.root), flush=True)
        workspace = root.writing_to(settings.values["out"])
        args.output_shown = f"{shown(workspace.output_dir, workspace.root)}/"  # cli: "the PDFs in ... are unchanged"
        return workspace, options

    try:
        workspace, options = configure()
    except UserError as exc:  # every mistake at once, as check and build report them
        raise UserError(list(exc.problems) + content_problems(root)) from None
    watcher = Watcher(workspace, options, configure)
    watcher.rebuild()
    print(f"watching {workspace.root}/content and templates (Ctrl-C to stop)", flush=True)
    try:
        while True:
            watcher.tidy()
            time.sleep(args.interval)
            watcher.poll()
    except KeyboardInterrupt:
        try:
            watcher.tidy()  # what the last rebuild learned, for the next process
        except KeyboardInterrupt:  # a second Ctrl-C: the files are only a cache (each written whole or not at all)
            pass
        print("stopped watching")
    return 0
