"""The one place deckbuilder touches reportlab's private API.

reportlab has no public way to do four things we need, so we reach into it here and
nowhere else: append ready-made PDF operators to a page (``Canvas._code``; drawing a deck
through the public text object was most of a build's time), find the document behind a
canvas (``Canvas._doc``: fonts keep their subsets per document), raise the PDF version
in the header (``_pdfVersion``: /Duplex is a PDF 1.7 key), and replace the ToUnicode CMap
maker (``ttfonts.makeToUnicodeCMap``: reportlab writes characters above U+FFFF in a form
readers cannot copy). ``Flowable.drawOn``'s private ``_sW`` argument is the fifth: our
paragraph overrides ``drawOn`` with the same signature.

One unusual use of the public API lives here too: deckbuilder's flowables are built on
``reportlab.platypus.flowables`` (``Flowable``, ``Spacer``, ``HRFlowable``), imported
without running the ``reportlab.platypus`` package's ``__init__``. That ``__init__``
imports all of platypus, reportlab's Paragraph among it (whose module compiles a large
Unicode regex): 45-90 ms of every start-up, measured, for classes we never use. See
:func:`_platypus_package_on_demand`; a markdown table, the one user of the rest of
platypus, imports ``reportlab.platypus.tables`` when it is set.

``pyproject.toml`` bounds reportlab below its next major version, and
``tests/test_reportlab_seam.py`` calls :func:`verify` so a reportlab release that changes any
of these fails one test that names this module, not a hundred that draw.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import reportlab
from reportlab.pdfbase import ttfonts

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

PLATYPUS = "reportlab.platypus"


def _platypus_package_on_demand() -> None:
    """Put ``reportlab.platypus`` in ``sys.modules`` without running its ``__init__`` yet,
    so that importing one of its modules (``flowables``) imports only what that module needs.

    The package's ``__init__`` runs, in the same module object, the first time anyone asks
    the package for a name it does not have yet (``from reportlab.platypus import
    Paragraph``, ``reportlab.platypus.Table``, ``import *``): a PEP 562 module
    ``__getattr__``, removed once it has run, so the package then is exactly what a plain
    import makes. Nothing is done when platypus is already imported, or when the import
    system cannot describe the package (then the plain import below runs the ``__init__``
    as usual). ``tests/test_reportlab_seam.py`` checks both halves in a fresh interpreter.
    """
    if PLATYPUS in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(PLATYPUS)
    except (ImportError, ValueError):
        return
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        return
    loader = spec.loader
    package = importlib.util.module_from_spec(spec)
    running = False

    def complete(name: str) -> Any:
        nonlocal running
        if running:  # asked while the __init__ runs: a plain import would not have the name yet either
            raise AttributeError(f"partially initialized module {PLATYPUS!r} has no attribute {name!r}")
        running = True
        try:
            loader.exec_module(package)
        finally:
            vars(package).pop("__getattr__", None)
        return getattr(package, name)

    vars(package)["__getattr__"] = complete
    sys.modules[PLATYPUS] = package
    reportlab.platypus = package


_platypus_package_on_demand()

from reportlab.platypus.flowables import Flowable, HRFlowable, Spacer  # noqa: E402 - after the package is in place

__all__ = ["CMapMaker", "Flowable", "HRFlowable", "Spacer", "append_operators", "document_of", "raise_pdf_version",
           "verify", "wrap_to_unicode_cmap"]

CMapMaker = Callable[[str, list[int]], str]


def append_operators(canvas: Canvas, operators: str) -> None:
    """Add PDF content-stream operators to the current page, as ``canvas.drawText`` does
    with a text object's code."""
    canvas._code.append(operators)


def document_of(canvas: Canvas) -> Any:
    """The PDF document a canvas writes into: font subsets and their codes live there."""
    return canvas._doc


def raise_pdf_version(canvas: Canvas, version: tuple[int, int]) -> None:
    """Make the file's header at least ``version`` (reportlab writes 1.3 or 1.4; a strict
    reader ignores keys newer than the header says)."""
    doc = canvas._doc
    doc._pdfVersion = max(tuple(doc._pdfVersion), version)


def wrap_to_unicode_cmap(make: Callable[[CMapMaker, str, list[int]], str]) -> None:
    """Replace reportlab's ToUnicode CMap maker by ``make(original, fontname, subset)``, once
    per process even if the calling module is reloaded."""
    original = getattr(ttfonts, "_deckbuilder_original_cmap", None)
    if original is None:
        original = ttfonts._deckbuilder_original_cmap = ttfonts.makeToUnicodeCMap
    ttfonts.makeToUnicodeCMap = lambda fontname, subset: make(original, fontname, subset)


def verify() -> list[str]:
    """What of the private API above this reportlab no longer has (empty when all is there)."""
    from reportlab.pdfgen.canvas import Canvas

    missing: list[str] = []
    canvas = Canvas(None)  # never saved: no file is written
    if not isinstance(getattr(canvas, "_code", None), list):
        missing.append("Canvas._code is no longer a list of operator strings")
    doc = getattr(canvas, "_doc", None)
    if not isinstance(getattr(doc, "_pdfVersion", None), tuple | list):
        missing.append("Canvas._doc._pdfVersion is gone")
    maker = getattr(ttfonts, "_deckbuilder_original_cmap", getattr(ttfonts, "makeToUnicodeCMap", None))
    if not callable(maker) or "beginbfchar" not in maker("F1", [65, 66]):
        missing.append("ttfonts.makeToUnicodeCMap(fontname, subset) no longer writes a bfchar CMap")
    if list(inspect.signature(Flowable.drawOn).parameters) != ["self", "canvas", "x", "y", "_sW"]:
        missing.append("Flowable.drawOn(canvas, x, y, _sW) changed its signature")
    return missing
