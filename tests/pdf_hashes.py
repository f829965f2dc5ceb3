"""SHA-256 of every PDF that content/ builds into, under a few print settings.

The stored hashes (tests/data/pdf-hashes.json) pin the PDFs byte for byte, so a change
meant to move code around (not to change a page) is proved not to have changed one.
A change that *does* mean to change the pages regenerates them deliberately, once,
and says so in its commit:

    .venv/bin/python tests/pdf_hashes.py

The hashes depend on the installed reportlab (its version is stored with them): on
another version the test is skipped rather than failed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STORED = REPO / "tests" / "data" / "pdf-hashes.json"

# name -> the build's command-line options: the defaults, and one of each other choice of
# paper, card, flip, order and split, so every branch of the outputs' plans is pinned.
CONFIGS: dict[str, list[str]] = {
    "default": [],
    "a4-a6-manual-stack-split": ["--paper", "a4", "--card", "a6", "--flip", "manual", "--order", "stack", "--split"],
    "stock-4x6-offset": ["--paper", "stock", "--card", "4x6", "--back-offset", "1,-1", "--only", "cards"],
}


def reportlab_version() -> str:
    import reportlab

    return str(reportlab.Version)


def compute(root: Path) -> dict[str, dict[str, str]]:
    """Build content/ once per configuration under ``root``; {config: {file: sha256}}."""
    sys.path.insert(0, str(REPO))
    from deckbuilder.build import build
    from deckbuilder.cli import make_parser
    from deckbuilder.commands.build import options_from
    from deckbuilder.workspace import Workspace

    hashes: dict[str, dict[str, str]] = {}
    for name, argv in CONFIGS.items():
        ws = root / name
        shutil.copytree(REPO / "content", ws / "content")
        options = options_from(make_parser().parse_args(["build", str(ws), *argv]))
        written, _ = build(Workspace.at(ws), options, parallel=False)
        hashes[name] = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(written)}
    return hashes


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        hashes = compute(Path(tmp))
    STORED.write_text(json.dumps({"reportlab": reportlab_version(), "hashes": hashes}, indent=2) + "\n", "utf-8")
    print(f"wrote {STORED.relative_to(REPO)}")


if __name__ == "__main__":
    main()
