"""reportlab's private API is used in one module; this names it when reportlab changes under it."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

from deckbuilder.render import reportlab_seam

PRIVATE_NAMES = {"_code", "_doc", "_pdfVersion", "makeToUnicodeCMap", "_ttf_data", "_pdfScale", "_asciiReadable",
                 "_dynFaceNames"}


def test_the_seam_finds_every_private_reportlab_api_it_relies_on():
    missing = reportlab_seam.verify()
    assert not missing, ("reportlab changed under deckbuilder/render/reportlab_seam.py: "
                         + "; ".join(missing) + ". Update that module (and the version bound in pyproject.toml).")


def test_no_other_module_reaches_into_reportlab_internals():
    offenders = []
    for path in (REPO / "deckbuilder").rglob("*.py"):
        if path.name == "reportlab_seam.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in PRIVATE_NAMES:
                offenders.append(f"{Path(path).relative_to(REPO)}:{node.lineno}: .{node.attr}")
    assert not offenders, offenders


def test_the_cmap_patch_writes_characters_above_ffff_as_surrogate_pairs():
    from reportlab.pdfbase import ttfonts

    import deckbuilder.render.fonts  # noqa: F401  (installs the patch)

    cmap = ttfonts.makeToUnicodeCMap("F1", [0x41, 0x1F680])
    assert "<01> <D83DDE80>" in cmap and "<00> <0041>" in cmap
