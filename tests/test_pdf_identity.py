"""content/ builds into the very PDFs stored in tests/data/pdf-hashes.json.

Restructuring code must not change a byte of what is printed. When a change is meant to
change the pages, regenerate the hashes deliberately: ``.venv/bin/python tests/pdf_hashes.py``.
"""

from __future__ import annotations

import json

import pytest
from pdf_hashes import CONFIGS, STORED, compute, reportlab_version


@pytest.fixture(scope="module")
def stored() -> dict:
    data = json.loads(STORED.read_text("utf-8"))
    if data["reportlab"] != reportlab_version():
        pytest.skip(f"hashes were stored with reportlab {data['reportlab']}, this is {reportlab_version()}")
    return data["hashes"]


def test_content_builds_the_stored_pdfs(stored, tmp_path):
    built = compute(tmp_path)
    assert set(built) == set(CONFIGS)
    for name in CONFIGS:
        assert built[name] == stored[name], (
            f"{name}: the PDFs changed; if that is meant, run .venv/bin/python tests/pdf_hashes.py")


def test_two_processes_build_the_stored_pdfs(stored, tmp_path):
    """The default build forks twice (the deck planned, the packet drawn alongside): the same bytes."""
    import hashlib
    import shutil

    from pdf_hashes import REPO

    from deckbuilder import alongside
    from deckbuilder.build import BuildOptions, build
    from deckbuilder.workspace import Workspace

    if not alongside.available():
        pytest.skip("no fork or a single core: builds never fork here")
    shutil.copytree(REPO / "content", tmp_path / "content")
    written, _ = build(Workspace.at(tmp_path), BuildOptions(), parallel=True)
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in written} == stored["default"]
