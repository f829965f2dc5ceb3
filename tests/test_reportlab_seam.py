"""reportlab's private API is used in one module; this names it when reportlab changes under it."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

from deckbuilder.render import reportlab_seam

PRIVATE_NAMES = {"_code", "_doc", "_pdfVersion", "makeToUnicodeCMap", "_ttf_data", "_pdfScale", "_asciiReadable",
                 "_dynFaceNames", "_fonts"}


def test_the_seam_finds_every_private_reportlab_api_it_relies_on():
    missing = reportlab_seam.verify()
    assert not missing, ("reportlab changed under deckbuilder/render/reportlab_seam.py: "
                         + "; ".join(missing) + ". Update that module (and the version bound in pyproject.toml).")


def test_the_seam_says_when_a_face_no_longer_builds_what_it_lacks(monkeypatch):
    """As a reportlab whose TTFontFace answered every attribute itself (a ``__getattribute__``)
    would: the glyph tables a cached face defers would never be built."""
    monkeypatch.setattr(reportlab_seam._StoredFace, "__getattr__", lambda self, name: {})
    assert any("builds a value it lacks" in line for line in reportlab_seam.verify())


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


def _fresh_python(code: str) -> str:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_flowables_come_without_the_rest_of_platypus_which_is_whole_when_asked_for():
    """The seam's flowables import neither reportlab's Paragraph nor its tables; asking the
    package for any name then runs its __init__, and the package is as a plain import makes it."""
    names = "sorted(n for n in vars(reportlab.platypus) if not n.startswith('__'))"
    seam = _fresh_python(
        "import sys\n"
        "from deckbuilder.render import reportlab_seam\n"
        "assert 'reportlab.platypus.paragraph' not in sys.modules, 'paragraph imported'\n"
        "assert 'reportlab.platypus.tables' not in sys.modules, 'tables imported'\n"
        "from reportlab.platypus import Flowable, Paragraph, Table\n"
        "import reportlab.platypus\n"
        "assert Flowable is reportlab_seam.Flowable and Table.__mro__[1] is Flowable\n"
        "assert '__getattr__' not in vars(reportlab.platypus)\n"
        f"print({names})\n")
    plain = _fresh_python(f"import reportlab.platypus\nprint({names})\n")
    assert seam == plain


def test_a_package_init_stopped_half_way_is_imported_afresh_next_time():
    """A Ctrl-C (or an error) while the package's __init__ runs on demand leaves no half-built
    package behind: the next import of a platypus name runs it again, whole."""
    out = _fresh_python(
        "import importlib.util\n"
        "find_spec = importlib.util.find_spec\n"
        "def once_broken(name, *args):\n"
        "    spec = find_spec(name, *args)\n"
        "    if name == 'reportlab.platypus':\n"
        "        run = spec.loader.exec_module\n"
        "        calls = []\n"
        "        def exec_module(module):\n"
        "            calls.append(1)\n"
        "            if len(calls) == 1:\n"
        "                raise KeyboardInterrupt\n"
        "            run(module)\n"
        "        spec.loader.exec_module = exec_module\n"
        "    return spec\n"
        "importlib.util.find_spec = once_broken\n"
        "from deckbuilder.render import reportlab_seam\n"
        "importlib.util.find_spec = find_spec\n"
        "try:\n"
        "    from reportlab.platypus import Paragraph\n"
        "except KeyboardInterrupt:\n"
        "    print('stopped')\n"
        "from reportlab.platypus import Paragraph, Table\n"
        "import reportlab.platypus\n"
        "assert Table.__mro__[1] is reportlab_seam.Flowable\n"
        "assert reportlab.platypus.Paragraph is Paragraph and '__getattr__' not in vars(reportlab.platypus)\n"
        "print('whole')\n")
    assert out.split() == ["stopped", "whole"]
