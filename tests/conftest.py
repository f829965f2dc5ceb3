"""Shared fixtures: throwaway workspaces, running the CLI in-process, reading PDFs back."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from deckbuilder.cli import main

# The font and template cache goes to a temporary folder for this process (and the processes
# it starts), set before anything is imported or built: test modules read fonts when they are
# collected and session fixtures build workspaces before any function fixture runs. Shared by
# the process's tests, so most run warm as a user's builds do; never the real user cache folder.
_TEST_CACHE = tempfile.TemporaryDirectory(prefix="deckbuilder-test-cache-")
os.environ["DECKBUILDER_CACHE_DIR"] = _TEST_CACHE.name
os.environ.pop("DECKBUILDER_NO_CACHE", None)

REPO = Path(__file__).resolve().parents[1]
STARTER = REPO / "deckbuilder" / "starter"


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _no_terminal_width(monkeypatch):
    """check fits its table to $COLUMNS; a developer's shell must not change what tests see."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(autouse=True)
def _printer_profiles_in_tmp(tmp_path_factory, monkeypatch):
    """Printer profiles go to a fresh temporary folder, never to the real user config folder."""
    monkeypatch.setenv("DECKBUILDER_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def run_cli(capsys):
    """Run ``deckbuilder ARGS`` in this process and capture status and output."""

    def run(*args: str) -> CliResult:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def make_workspace(tmp_path):
    """A workspace from {relative path: text}; text is dedented. Starts from the starter
    content unless ``starter=False``."""

    def make(files: dict[str, str] | None = None, *, starter: bool = True, name: str = "ws") -> Path:
        root = tmp_path / name
        (root / "content").mkdir(parents=True)
        (root / "output").mkdir()
        if starter:
            for source in STARTER.glob("*.yaml"):
                shutil.copy(source, root / "content" / source.name)
        for rel, text in (files or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(textwrap.dedent(text), "utf-8")
        return root

    return make


@pytest.fixture(scope="session")
def built_template(tmp_path_factory):
    """The starter workspace with every output built, once per run (a full build is ~1 s)."""
    from argparse import Namespace

    from deckbuilder.build import BuildOptions, build
    from deckbuilder.commands.new import run as new
    from deckbuilder.workspace import Workspace

    root = tmp_path_factory.mktemp("hostile") / "ws"
    new(Namespace(dir=str(root)))
    build(Workspace.at(root), BuildOptions())
    return root


@pytest.fixture
def built_workspace(built_template, tmp_path):
    """A fresh copy of the built starter workspace for each test."""
    return Path(shutil.copytree(built_template, tmp_path / "ws", symlinks=True))


def snapshot(ws: Path) -> dict[str, bytes]:
    """Every file in output/ by name: to prove a failed build changed nothing."""
    return {p.name: p.read_bytes() for p in (ws / "output").iterdir() if p.is_file()}


@pytest.fixture
def counted(monkeypatch):
    """How many remembered drawings were replayed, and how many were refused (the document's
    subsets had moved on), since the last reset."""
    from deckbuilder.render import replay

    counts = {"replayed": 0, "refused": 0}
    fits, play = replay.Drawing.fits, replay.Drawing.replay

    def counting_fits(self, doc):
        ok = fits(self, doc)
        counts["refused"] += not ok
        return ok

    def counting_replay(self, canvas):
        counts["replayed"] += 1
        play(self, canvas)

    monkeypatch.setattr(replay.Drawing, "fits", counting_fits)
    monkeypatch.setattr(replay.Drawing, "replay", counting_replay)
    return counts


@pytest.fixture
def renders(tmp_path, monkeypatch) -> list[str]:
    """A cache folder of this test's own, and the card and story templates rendered from now
    on, by name (``render.rendered``'s tests)."""
    from deckbuilder.render.templates import Templates

    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    names: list[str] = []
    render = Templates.render

    def counting(self, name, **context):
        names.append(name)
        return render(self, name, **context)

    monkeypatch.setattr(Templates, "render", counting)
    return names
