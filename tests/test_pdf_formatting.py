"""reportlab_seam's faster PDF object formatting writes the very bytes reportlab's own writes.

The seam replaces ``pdfdoc.format`` and the ``format`` of dictionaries, arrays, references and
indirect objects (with ``PDFName`` and ``pdfdocEnc``) by equivalents with fast paths; every
build uses them. Here the same outputs are built with them and with reportlab's originals
(``reportlab_seam.reportlab_formatting``), and odd objects are formatted both ways.
"""

from __future__ import annotations

import shutil
from collections import OrderedDict
from pathlib import Path

import pytest
from conftest import STARTER

from deckbuilder.build import BuildOptions, build
from deckbuilder.render import fonts, reportlab_seam  # noqa: F401 - fonts installs the faster formatting
from deckbuilder.workspace import Workspace

STORY = """\
  - id: unicode-title
    title: "Café ☕ — naïve 🚀 (brackets) [and] <angles> #hash %pct"
    label: Café
    framework: STAR
    strength: 4
    primary: [Ownership]
    sections:
      situation: "A line with a tab\\tand a backslash \\\\ and a 'quote'."
      task: Ünïcödé everywhere.
      action: Did the thing.
      result: It worked.
"""


def _build(root: Path) -> dict[str, bytes]:
    written, _ = build(Workspace.at(root), BuildOptions(), parallel=False)
    return {path.name: path.read_bytes() for path in written}


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Every output of one workspace, built with the faster formatting and with reportlab's,
    each without the cache folder (so both draw every face)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DECKBUILDER_NO_CACHE", "1")
        built = []
        for name in ("faster", "reportlab"):
            root = tmp_path_factory.mktemp(name)
            shutil.copytree(STARTER, root / "content", ignore=shutil.ignore_patterns("*.md", "__*"))
            stories = root / "content" / "stories.yaml"
            stories.write_text(stories.read_text("utf-8").replace("\nquestion_bank:", STORY + "\nquestion_bank:"), "utf-8")
            if name == "faster":
                built.append(_build(root))
            else:
                with reportlab_seam.reportlab_formatting():
                    built.append(_build(root))
        return built[0], built[1]


def test_the_faster_formatting_is_in_for_builds():
    from reportlab.pdfbase import pdfdoc

    assert reportlab_seam.format_objects_faster()
    assert pdfdoc.format is not reportlab_seam._formatting_originals["format"]
    with reportlab_seam.reportlab_formatting():
        assert pdfdoc.format.__module__ == "reportlab.pdfbase.pdfdoc"
    assert pdfdoc.format.__module__ == reportlab_seam.__name__


def test_every_output_is_byte_identical_to_reportlabs_own_formatting(both):
    faster, reportlab = both
    assert set(faster) == {"cards.pdf", "final-prep.pdf", "matrix.pdf", "packet.pdf"}
    assert set(faster) == set(reportlab)
    for name in faster:
        assert faster[name] == reportlab[name], f"{name} differs from reportlab's own formatting"


def test_the_packet_has_its_bookmarks_and_the_unicode_title(both):
    """What the comparison covers: outlines (PDFOutlines, UTF-16 titles) and non-ASCII text."""
    from io import BytesIO

    from pypdf import PdfReader

    packet = PdfReader(BytesIO(both[0]["packet.pdf"]))
    titles = [item.title for item in packet.outline if not isinstance(item, list)]
    assert titles and any("Café ☕" in (title or "") for title in _all_titles(packet.outline))
    assert "Café" in "".join(page.extract_text() for page in PdfReader(BytesIO(both[0]["cards.pdf"])).pages)


def _all_titles(outline: list) -> list[str]:
    return [title for item in outline
            for title in (_all_titles(item) if isinstance(item, list) else [item.title])]


def _odd_objects() -> list:
    from reportlab.pdfbase import pdfdoc

    class Number(int):
        pass

    class Text(str):
        def encode(self, *args, **kwargs):  # a subclass's own encode must be called, as reportlab does
            return b"<Text>"

    compact = pdfdoc.PDFDictionary({"B": 1, "A": [1, 2], "Long": "x" * 10})
    compact.multiline = False
    forced = pdfdoc.PDFDictionary({"Z": 1, "Y": 2})
    forced.multiline = "forced"
    many = pdfdoc.PDFDictionary({f"K{i}": i for i in range(15)})
    many.multiline = False
    ordered = pdfdoc.PDFDictionary(OrderedDict([("Zeta", 1), ("Alpha", 2)]))
    names = pdfdoc.PDFDictionary({"with space": 1, "hash#": 2, "Ünï": 3, "(x)": 4, "": 5})
    nested = pdfdoc.PDFDictionary({"Inner": pdfdoc.PDFDictionary({"A": pdfdoc.PDFArray([1.5, -0.0, 1e-9, 3])}),
                                   "Ref": pdfdoc.PDFObjectReference("R1"), "S": pdfdoc.PDFString("Café (x)")})
    long_array = pdfdoc.PDFArray(list(range(37)))
    long_array.multiline = False
    return [
        "plain", "", "tab\there", "new\nline", "Café", "\x18", "\x7f", "€", "🚀", b"raw\x00bytes", Text("text"),
        0, -1, 12345678901234567890, 1.5, -0.0, 0.1 + 0.2, 1e-9, 1e20, float("inf"), float("nan"), True, False,
        None, Number(7), 3 + 4j, ["a", 1], ("t",),
        compact, forced, many, ordered, names, nested, long_array, pdfdoc.PDFArray([]),
        pdfdoc.PDFArrayCompact(list(range(25))), pdfdoc.PDFObjectReference("R1"),
        pdfdoc.PDFObjectReference("missing"), pdfdoc.PDFName("Name with #"),
    ]


def _outcome(function, *args):
    """What ``function(*args)`` returns, or the type and text of the error it raises."""
    try:
        return function(*args)
    except Exception as exc:  # noqa: BLE001 - the same error is part of the same behaviour
        return type(exc), str(exc)


def _formatted(objects: list) -> list:
    from reportlab.pdfbase import pdfdoc

    doc = pdfdoc.PDFDocument(invariant=1)
    doc.Reference(pdfdoc.PDFDictionary({"X": 1}), "R1")
    out = []
    for obj in objects:
        out.append(_outcome(pdfdoc.format, obj, doc))
        if not isinstance(obj, pdfdoc.PDFObject):
            out.append(_outcome(pdfdoc.pdfdocEnc, obj))
        if isinstance(obj, str):
            out.append(_outcome(pdfdoc.PDFName, obj))
    stream = pdfdoc.PDFStream(content="q 1 0 0 1 0 0 cm Q\n")
    doc.Reference(stream)
    out.append(pdfdoc.PDFIndirectObject("R1", doc.idToObject["R1"]).format(doc))
    out.append(pdfdoc.PDFIndirectObject(stream.__InternalName__, stream).format(doc))
    return [repr(item) for item in out]  # repr: a NaN handed back is not equal to itself


@pytest.mark.parametrize("settings", [{}, {"invariant": 0, "pdfComments": 1}, {"pdfMultiLine": 1}],
                         ids=["default", "comments", "multiline"])
def test_odd_objects_format_as_reportlab_formats_them(settings, monkeypatch):
    from reportlab import rl_config

    for key, value in settings.items():
        monkeypatch.setattr(rl_config, key, value)
    faster = _formatted(_odd_objects())
    with reportlab_seam.reportlab_formatting():
        reportlab = _formatted(_odd_objects())
    assert faster == reportlab
    assert any("UnicodeEncodeError" in item for item in reportlab)  # "\x18"
    assert any("KeyError" in item for item in reportlab)  # "missing"


def test_the_seam_says_when_a_replaced_function_changed(monkeypatch):
    """A reportlab whose formatting functions are not those the equivalents were written from."""
    monkeypatch.setitem(reportlab_seam._FORMATTING, "PDFDictionary.format", "0" * 64)
    assert any("PDFDictionary.format" in line for line in reportlab_seam.verify())
