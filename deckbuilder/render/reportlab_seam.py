"""The one place deckbuilder touches reportlab's private API.

reportlab has no public way to do four things we need, so we reach into it here and
nowhere else: append ready-made PDF operators to a page (``Canvas._code``; drawing a deck
through the public text object was most of a build's time), find the document behind a
canvas (``Canvas._doc``: fonts keep their subsets per document), raise the PDF version
in the header (``_pdfVersion``: /Duplex is a PDF 1.7 key), and replace the ToUnicode CMap
maker (``ttfonts.makeToUnicodeCMap``: reportlab writes characters above U+FFFF in a form
readers cannot copy). ``Flowable.drawOn``'s private ``_sW`` argument is the fifth: our
paragraph overrides ``drawOn`` with the same signature. The sixth: a TrueType font's parsed
state (``TTFontFace``'s attributes, ``_ttf_data`` the file's bytes) is taken out and put back
(:func:`face_state`, :func:`font_from_state`), so a font read once is not parsed again in the
next process (``fontcache.py``); a face put back builds its large tables the first time
reportlab reads them (``_StoredFace``, a ``TTFontFace`` with a ``__getattr__``). The seventh: in
``watch``, the page streams' compressor
(``pdfdoc.PDFZCompress.encode``) and the font subsetter (``TTFontFace.makeSubset``) are
wrapped so that what the last rebuild made is taken again, as is a formatted ``PDFArray``
of numbers (:func:`reusing_made`), and a
face's drawing is replayed from the page's operators, the registered fonts and their
per-document subset states (``render/replay.py``, through :func:`page_operators`,
:func:`registered_fonts`, :func:`fresh_state_size`). The eighth: the functions reportlab
formats every PDF object with (``pdfdoc.format``, ``PDFName``, ``pdfdocEnc`` and the ``format``
of dictionaries, arrays, references and indirect objects) are replaced, in every build, by
equivalents that write the same bytes with less work (:func:`format_objects_faster`), checked
against the source they were written from.

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

import hashlib
import importlib.util
import inspect
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple
from weakref import WeakKeyDictionary

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
        except BaseException:  # a Ctrl-C or an error half-way: the next import starts afresh, as a plain one would
            if sys.modules.get(PLATYPUS) is package:
                del sys.modules[PLATYPUS]
                vars(reportlab).pop("platypus", None)
            raise
        finally:
            vars(package).pop("__getattr__", None)
        return getattr(package, name)

    vars(package)["__getattr__"] = complete
    sys.modules[PLATYPUS] = package
    reportlab.platypus = package


_platypus_package_on_demand()

from reportlab.platypus.flowables import Flowable, HRFlowable, Spacer  # noqa: E402 - after the package is in place

__all__ = ["CMapMaker", "Flowable", "HRFlowable", "Spacer", "append_operators", "document_of", "format_objects_faster",
           "fresh_state_size", "page_operators", "raise_pdf_version", "registered_fonts", "reportlab_formatting",
           "reusing_made", "verify", "wrap_to_unicode_cmap"]

CMapMaker = Callable[[str, list[int]], str]


def append_operators(canvas: Canvas, operators: str) -> None:
    """Add PDF content-stream operators to the current page, as ``canvas.drawText`` does
    with a text object's code."""
    canvas._code.append(operators)


def document_of(canvas: Canvas) -> Any:
    """The PDF document a canvas writes into: font subsets and their codes live there."""
    return canvas._doc


def page_operators(canvas: Canvas) -> list[str]:
    """The current page's operators so far (``render.replay`` takes a drawing's share of them
    and adds it again)."""
    return canvas._code


_DRAWING_STATE = ("_fontname", "_fontsize", "_leading", "_charSpace", "_wordSpace", "_horizScale", "_rise",
                  "_textRenderMode", "_textMode", "_fillMode", "_fillColorObj", "_strokeColorObj", "_lineWidth",
                  "_lineCap", "_lineJoin", "_lineDash", "_mitreLimit", "_currentMatrix", "_textMatrix",
                  "_textLineMatrix", "_x", "_y", "bottomup", "_enforceColorSpace")


def drawing_state(canvas: Canvas) -> str:
    """The canvas's state that a drawing's operators may depend on (the font and colours it
    starts with, the text position ...), as text: part of ``outputs.drawstore``'s key, so that
    a drawing is only replayed where drawing would start from the same state."""
    attributes = canvas.__dict__
    extended = getattr(attributes.get("_extgstate"), "__dict__", None)
    return repr(([attributes.get(name) for name in _DRAWING_STATE], sorted(extended.items()) if extended else None))


def registered_fonts() -> dict[str, Any]:
    """Every font registered with reportlab, by name (one font may have several names)."""
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics._fonts


def fresh_state_size(font: Any) -> int:
    """How many characters a TrueType font's subsets in a new document start with (the
    printable ASCII ones, when reportlab keeps them readable)."""
    return len(ttfonts.TTFont.State(getattr(font, "_asciiReadable", None), font).assignments)


def fresh_assignments(font: Any) -> dict[int, int]:
    """The codes a TrueType font's subsets in a new document start with (the printable ASCII
    characters at their own codes when reportlab keeps them readable, its ``ttfAsciiReadable``,
    which ``RL_ttfAsciiReadable`` or a reportlab settings file may change; else none)."""
    return ttfonts.TTFont.State(getattr(font, "_asciiReadable", None), font).assignments


class _Scratch:
    """A stand-in document: a font keeps its states by document, weakly."""


def next_code_after(font: Any, doc: Any, text: str) -> int | None:
    """The next code ``font``'s state in ``doc`` (a new one if it has none) would have after
    showing ``text``, worked out on a copy of the state (``doc`` is not changed); None when
    reportlab would refuse (a document already written)."""
    import copy

    from reportlab.pdfbase.pdfdoc import PDFError

    state = font.state.get(doc)
    if state is None:
        scratch = ttfonts.TTFont.State(getattr(font, "_asciiReadable", None), font)
    else:
        scratch = copy.copy(state)
        scratch.assignments = dict(state.assignments)
        scratch.subsets = [list(subset) for subset in state.subsets]
    stand_in = _Scratch()
    font.state[stand_in] = scratch
    try:
        font.splitString(text, stand_in)
    except PDFError:
        return None
    finally:
        del font.state[stand_in]
    return scratch.nextCode


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


# --- streams and font subsets made again in the next build of the same process (``watch``) ----

_made: dict[tuple, Any] = {}  # made in the block now open or the last one: (kind, ...) -> value
_made_before: dict[tuple, Any] = {}


@contextmanager
def reusing_made() -> Iterator[None]:
    """Within this block, a page stream compressed (or a font subset made) that was compressed
    (made) in this block or in the last one is taken as it was, not made again: the same
    input gives the same bytes (zlib at one level, reportlab's subsetter), and after a
    one-line edit most of a rebuild's pages and every font subset but one or two are the
    same. Only the last block's are kept, so memory stays at about one build's output.
    Long arrays of numbers (each font subset's 256 widths) are formatted once as well, and each
    subset's ToUnicode CMap (the same font name and codes, the same text) made once."""
    global _made, _made_before
    _made_before, _made = _made, {}
    from reportlab.pdfbase import pdfdoc

    compress = pdfdoc.PDFZCompress
    make_subset = ttfonts.TTFontFace.makeSubset

    def encode(text: str | bytes) -> bytes:
        data = text.encode("utf8") if isinstance(text, str) else text
        return _remembered(("z", hashlib.blake2b(data, digest_size=20).digest()), lambda: zlib.compress(data))

    def made_subset(face: Any, subset: list[int]) -> bytes:
        key = ("subset", id(face), tuple(subset))
        return _remembered(key, lambda: (face, make_subset(face, subset)))[1]  # the face kept: its id stays its

    array_format = pdfdoc.PDFArray.format

    def format_array(array: Any, document: Any, IND: bytes = b"\n ") -> bytes:  # noqa: N803 - reportlab's name
        """A font subset's widths (256 numbers) formatted as reportlab formats them, once."""
        sequence = array.sequence
        if len(sequence) < 64 or not all(type(e) is int or type(e) is float for e in sequence):
            return array_format(array, document, IND)
        key = ("array", type(array), getattr(array, "multiline", None), tuple(sequence), IND)
        return _remembered(key, lambda: array_format(array, document, IND))

    make_cmap = ttfonts.makeToUnicodeCMap

    def made_cmap(fontname: str, subset: list[int]) -> str:
        return _remembered(("cmap", make_cmap, fontname, tuple(subset)), lambda: make_cmap(fontname, subset))

    compress.encode = encode
    ttfonts.TTFontFace.makeSubset = made_subset
    pdfdoc.PDFArray.format = format_array
    ttfonts.makeToUnicodeCMap = made_cmap
    try:
        yield
    finally:
        del compress.encode
        ttfonts.TTFontFace.makeSubset = make_subset
        pdfdoc.PDFArray.format = array_format
        ttfonts.makeToUnicodeCMap = make_cmap


@contextmanager
def streams_compressed_by(compress: Callable[[bytes], bytes]) -> Iterator[None]:
    """Within this block reportlab compresses each page stream with ``compress(data)``, which
    must give the bytes ``zlib.compress(data)`` gives (``outputs.streamstore``). Inside
    ``reusing_made`` (``watch``), which already takes streams compressed before, nothing changes."""
    from reportlab.pdfbase import pdfdoc

    target = pdfdoc.PDFZCompress
    if "encode" in vars(target):  # reusing_made's, or another block's
        yield
        return

    def encode(text: str | bytes) -> bytes:
        return compress(text.encode("utf8") if isinstance(text, str) else text)

    target.encode = encode
    try:
        yield
    finally:
        del target.encode


def _remembered(key: tuple, make: Callable[[], Any]) -> Any:
    value = _made.get(key)
    if value is None:
        value = _made_before.get(key)
        if value is None:
            value = make()
        _made[key] = value
    return value


# --- reportlab's PDF objects formatted by faster equivalents of its own functions ---------------

# What :func:`format_objects_faster` replaces in ``reportlab.pdfbase.pdfdoc``, each with the
# SHA-256 of the original's source it was written from. Its equivalents are the originals with
# the common cases taken first (exact ``str``, ``bytes``, ``int``, ``float``), every other
# case handed to the original, and the same branches (``rl_config.invariant``, ``pdfComments``,
# ``pdfMultiLine``, an ``OrderedDict``'s key order, ``__RefOnly__``, ``__Comment__``).
_FORMATTING = {
    "format": "84e14ffb9186e488811fb6a87efe705beb683121048a2484a69f4692bde3b570",
    "pdfdocEnc": "f434c870497e5af17e09c2e1f1be2993cb3961cd76610038820a8299da062174",
    "PDFName": "93b1b1c9c75baa341badf4fe558d7f246fe8e2003edd94ba589be2228a787e84",
    "PDFDictionary.format": "cadcf492fbf044b97989d74ac7594c71dbf5da91068363f4c30a5e357167bbeb",
    "PDFArray.format": "fc30311a1fbb5aae3b594170eea8cfc2313a8d2c4c3a6a7ce439467aa10cc129",
    "PDFObjectReference.format": "b112c5bb41e9f46734b324beff681461a24e7f6fff45c3553b4ae5040138fcf3",
    "PDFIndirectObject.format": "51e5f73e4f8e16f629ac9307f4e856a5deff86ad375ce54959c71a2f5a8ef7e0",
}
_FORMATTING_VERSION = "5.1.0"  # the reportlab the hashes above were taken from
_formatting_originals: dict[str, Any] = {}  # name -> reportlab's original, while the equivalents are in
_NAMES_KEPT = 4096  # names formatted and remembered (a PDF has a few dozen distinct ones)


def _pdfdoc_attribute(pdfdoc: Any, name: str) -> Any:
    owner, _, attribute = name.rpartition(".")
    return vars(getattr(pdfdoc, owner) if owner else pdfdoc)[attribute]


def _set_pdfdoc_attribute(pdfdoc: Any, name: str, value: Any) -> None:
    owner, _, attribute = name.rpartition(".")
    setattr(getattr(pdfdoc, owner) if owner else pdfdoc, attribute, value)


def _formatting_differences(pdfdoc: Any) -> list[str]:
    """Which of the functions :func:`format_objects_faster` replaces are not (by their source)
    the ones its equivalents were written from."""
    differ = []
    for name, digest in _FORMATTING.items():
        original = _formatting_originals.get(name)
        try:
            source = inspect.getsource(original or _pdfdoc_attribute(pdfdoc, name))
        except (AttributeError, KeyError, OSError, TypeError):
            differ.append(name)
            continue
        if hashlib.sha256(source.encode("utf-8")).hexdigest() != digest:
            differ.append(name)
    return differ


def _printable_ascii_is_itself() -> bool:
    """Whether reportlab's PDFDocEncoding (``extpdfdoc``) writes each printable ASCII character
    as its own byte (it does not for all of ASCII: ``\\x18`` to ``\\x1f`` have no code)."""
    printable = bytes(range(0x20, 0x7F))
    try:
        return (printable.decode("ascii").encode("extpdfdoc") == printable
                and all(chr(code).encode("extpdfdoc") == bytes((code,)) for code in printable))
    except (LookupError, UnicodeError):
        return False


def format_objects_faster() -> bool:
    """Replace the functions reportlab formats every PDF object with (``pdfdoc.format`` and the
    ``format`` of dictionaries, arrays and references, the names and the PDFDocEncoding) by
    equivalents that write the same bytes with less work, once per process; False (reportlab's
    own left in place) when this reportlab's functions are not those the equivalents were
    written from. Measured: a fifth of a 1,000-card build and a quarter of a ``watch`` rebuild
    was reportlab formatting objects in Python (``pdfdoc.format`` called 20,000 times for 1,000
    cards, each name and number encoded through the codec registry)."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc

    if _formatting_originals:
        return True
    if reportlab.Version != _FORMATTING_VERSION and _formatting_differences(pdfdoc):
        return False  # verify() names them; reading the sources is done only for another version
    if not _printable_ascii_is_itself():
        return False
    originals = {name: _pdfdoc_attribute(pdfdoc, name) for name in _FORMATTING}
    original_format = originals["format"]
    original_encode = originals["pdfdocEnc"]
    original_name = originals["PDFName"]
    original_array = originals["PDFArray.format"]
    fp_str = pdfdoc.fp_str
    pdf_object = pdfdoc.PDFObject
    ordered = pdfdoc.OrderedDict
    names: dict[str, str] = {}
    name_bytes_made: dict[str, bytes] = {}

    def encoded(text: str) -> bytes:
        """``text.encode("extpdfdoc")`` of an exact ``str``: printable ASCII is itself (checked above)."""
        return text.encode("ascii") if text.isascii() and text.isprintable() else text.encode("extpdfdoc")

    def pdfdoc_enc(x: Any) -> Any:
        return encoded(x) if type(x) is str else original_encode(x)

    def pdf_name(data: Any, lo: str = chr(0x21), hi: str = chr(0x7E)) -> Any:
        if type(data) is not str or lo != "!" or hi != "~":
            return original_name(data, lo, hi)
        name = names.get(data)
        if name is None:
            if len(names) >= _NAMES_KEPT:
                names.clear()
            name = names[data] = original_name(data)
        return name

    def format(element: Any, document: Any, toplevel: int = 0) -> Any:  # noqa: A001 - reportlab's name
        kind = type(element)
        if kind is str:
            return encoded(element)
        if kind is bytes:
            return element
        if kind is int or kind is float:
            return pdfdoc_enc(fp_str(element))
        if isinstance(element, pdf_object):
            if not toplevel and hasattr(element, "__RefOnly__"):
                return document.Reference(element).format(document)
            f = element.format(document)
            if not rl_config.invariant and rl_config.pdfComments and hasattr(element, "__Comment__"):
                f = pdfdoc_enc("%% %s\n" % element.__Comment__) + f  # noqa: UP031 - reportlab's formatting
            return f
        return original_format(element, document, toplevel)

    def key_bytes(key: Any, document: Any) -> bytes:
        """``format(PDFName(key), document)``: a name's bytes, remembered."""
        if type(key) is not str:
            return format(pdf_name(key), document)
        made = name_bytes_made.get(key)
        if made is None:
            if len(name_bytes_made) >= _NAMES_KEPT:
                name_bytes_made.clear()
            made = name_bytes_made[key] = format(pdf_name(key), document)
        return made

    def joined(self: Any, parts: list[bytes], every: int, IND: bytes) -> bytes:  # noqa: N803 - reportlab's name
        """A dictionary's or array's formatted parts as reportlab joins them: one a line when
        the object is multi-line, else on one line broken every ``every`` parts."""
        if (self.multiline and rl_config.pdfMultiLine) or self.multiline == "forced":
            return IND.join(parts)
        for i in reversed(range(every, len(parts), every)):
            parts.insert(i, b"\n ")
        return b" ".join(parts)

    def dictionary_format(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:  # noqa: N803 - reportlab's name
        dict = self.dict  # noqa: A001 - as reportlab names it
        try:
            keys = list(dict.keys())
        except:  # noqa: E722 - as reportlab does
            print(ascii(dict))
            raise
        if not isinstance(dict, ordered):
            keys.sort()
        parts = [key_bytes(k, document) + b" " + format(dict[k], document) for k in keys]
        return b"<<\n" + joined(self, parts, 6, IND) + b"\n>>"  # a line break every 6 entries anyway

    def array_format(self: Any, document: Any, IND: bytes = b"\n ") -> bytes:  # noqa: N803 - reportlab's name
        return b"[ " + joined(self, [format(e, document) for e in self.sequence], 10, IND) + b" ]"  # every 10

    def reference_format(self: Any, document: Any) -> bytes:
        try:
            number = document.idToObjectNumberAndVersion[self.name]
            if type(number) is tuple and len(number) == 2 and type(number[0]) is int and type(number[1]) is int:
                return b"%d %d R" % number
            return pdfdoc_enc("%s %s R" % number)  # noqa: UP031 - reportlab's formatting
        except:  # noqa: E722 - as reportlab does
            raise KeyError("forward reference to %s not resolved upon final formatting" % repr(self.name))  # noqa: B904, UP031

    def indirect_format(self: Any, document: Any) -> bytes:
        n, v = document.idToObjectNumberAndVersion[self.name]
        document.encrypt.register(n, v)
        fcontent = format(self.content, document, toplevel=1)
        head = b"%d %d obj\n" % (n, v) if type(n) is int and type(v) is int else pdfdoc_enc("%s %s obj\n" % (n, v))  # noqa: UP031
        return head + fcontent + (b"" if fcontent.endswith(b"\n") else b"\n") + b"endobj\n"

    del original_array  # the array's equivalent needs nothing of it (kept in originals)
    faster = {"format": format, "pdfdocEnc": pdfdoc_enc, "PDFName": pdf_name, "PDFDictionary.format": dictionary_format,
              "PDFArray.format": array_format, "PDFObjectReference.format": reference_format,
              "PDFIndirectObject.format": indirect_format}
    _formatting_originals.update(originals)
    for name, value in faster.items():
        _set_pdfdoc_attribute(pdfdoc, name, value)
    return True


@contextmanager
def reportlab_formatting() -> Iterator[None]:
    """reportlab's own formatting within this block, the faster equivalents (if they were in)
    after it: for the tests that compare the bytes each writes."""
    from reportlab.pdfbase import pdfdoc

    installed = dict(_formatting_originals)
    if not installed:
        yield
        return
    faster = {name: _pdfdoc_attribute(pdfdoc, name) for name in installed}
    for name, original in installed.items():
        _set_pdfdoc_attribute(pdfdoc, name, original)
    _formatting_originals.clear()
    try:
        yield
    finally:
        for name, value in faster.items():
            _set_pdfdoc_attribute(pdfdoc, name, value)
        _formatting_originals.update(installed)


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
    from reportlab.pdfbase import pdfdoc, pdfmetrics

    if not isinstance(getattr(pdfmetrics, "_fonts", None), dict):
        missing.append("pdfmetrics._fonts (the registered fonts) is gone")
    state = ttfonts.TTFont.State(True)
    if not (isinstance(getattr(state, "assignments", None), dict) and isinstance(getattr(state, "nextCode", None), int)
            and hasattr(state, "internalName") and hasattr(doc, "fontMapping")):
        missing.append("TTFont.State (assignments, nextCode, internalName) or the document's fontMapping changed")
    if not callable(getattr(getattr(pdfdoc, "PDFZCompress", None), "encode", None)):
        missing.append("pdfdoc.PDFZCompress.encode (the page streams' compression) is gone")
    if not callable(getattr(ttfonts.TTFontFace, "makeSubset", None)):
        missing.append("TTFontFace.makeSubset(subset) is gone")
    differ = _formatting_differences(pdfdoc)
    if differ:
        missing.append(f"pdfdoc's {', '.join(differ)} changed (by source): the faster formatting is off; write its "
                       "equivalents (format_objects_faster) from the new source and record the hashes in _FORMATTING")
    elif reportlab.Version != _FORMATTING_VERSION:
        missing.append(f"the formatting functions format_objects_faster replaces are unchanged in reportlab "
                       f"{reportlab.Version}: set _FORMATTING_VERSION to it")
    if not _printable_ascii_is_itself():
        missing.append("pdfdoc's extpdfdoc codec no longer writes printable ASCII as itself")
    missing += _verify_font_state()
    return missing


# --- a parsed TrueType font, taken out and put back (fontcache.py) -----------------------------

_NOT_STATE = ("_ttf_data", "_pdfScale")  # the file's bytes (read again) and a closure (made again)
# What measuring, coverage and subsetting read from a face, with its type: a cached state
# without one of these is not used.
_NUMBER = (int, float)
_NEEDED: dict[str, type | tuple[type, ...]] = {
    "name": bytes, "charToGlyph": dict, "charWidths": dict, "defaultWidth": _NUMBER, "hmetrics": list,
    "glyphPos": list, "table": dict, "unitsPerEm": int, "bbox": list, "ascent": _NUMBER, "descent": _NUMBER,
    "capHeight": _NUMBER, "flags": int, "italicAngle": _NUMBER, "stemV": int, "subfontNameX": bytes, "filename": str,
}


def face_state(font: Any) -> dict[str, Any]:
    """Everything reportlab parsed from a TrueType font file (``font.face``'s attributes), as
    plain values, without the file's bytes (a stored face's deferred values built first)."""
    pending = _PENDING.get(font.face)
    for key in list(pending[0]) if pending else ():
        getattr(font.face, key)
    return {key: value for key, value in vars(font.face).items() if key not in _NOT_STATE}


def file_bytes(font: Any) -> bytes:
    """The font file's bytes as reportlab read them."""
    return bytes(font.face._ttf_data)


def name_bytes(raw: bytes, text: str) -> bytes:
    """A font name as reportlab keeps it: bytes that also carry the decoded text (``.ustr``)."""
    value = bytes.__new__(ttfonts.TTFNameBytes, raw)
    value.ustr = text
    return value


def is_name_bytes(value: Any) -> bool:
    return isinstance(value, ttfonts.TTFNameBytes)


class Deferred(NamedTuple):
    """A value of a font's state not built yet: ``make()`` builds it, ``kind`` is its type."""

    kind: type
    make: Callable[[], Any]


# A stored face's values not built yet, and how to parse its font should one fail to build.
_PENDING: WeakKeyDictionary[Any, tuple[dict[str, Deferred], Callable[[], Any]]] = WeakKeyDictionary()


class _StoredFace(ttfonts.TTFontFace):
    """A ``TTFontFace`` put back from a stored state (:func:`font_from_state`) whose deferred
    values are built the first time they are read, then kept as plain attributes: the same
    attributes and values as a parsed face once read (``__getattr__`` runs only for a name
    the face does not have yet)."""

    def __getattr__(self, name: str) -> Any:
        pending = _PENDING.get(self)
        if pending is None or name not in pending[0]:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        values, reparse = pending
        try:
            value = values[name].make()
            if not isinstance(value, values[name].kind):
                raise ValueError(f"{name} is not a {values[name].kind.__name__}")
        except Exception:  # noqa: BLE001 - checked when read from the cache, so never expected: parse instead
            value = getattr(reparse(), name)
        del values[name]
        if not values:
            del _PENDING[self]
        setattr(self, name, value)
        return value


def font_from_state(name: str, state: dict[str, Any], data: bytes, subfont_index: int = 0) -> Any:
    """The ``TTFont`` that ``TTFont(name, file, subfontIndex=subfont_index)`` would make, from a
    :func:`face_state` of the same file and its bytes (subsetting reads glyphs from them),
    without parsing; ValueError when the state lacks something reportlab needs. A value of the
    state may be a :class:`Deferred`, built when the face is first asked for it."""
    from fnmatch import fnmatch
    from io import BytesIO

    from reportlab import rl_config

    for key, kind in _NEEDED.items():
        value = state.get(key)
        if not (issubclass(value.kind, kind) if isinstance(value, Deferred) else isinstance(value, kind)):
            raise ValueError(f"font state without {key}")
    face = _StoredFace.__new__(_StoredFace)
    # a name the class has too (a collection's ttfVersions) would be read from the class: built now
    deferred = {key: value for key, value in state.items()
                if isinstance(value, Deferred) and not hasattr(_StoredFace, key)}
    face.__dict__.update((key, value.make() if isinstance(value, Deferred) else value)
                         for key, value in state.items() if key not in deferred)
    if deferred:
        _PENDING[face] = (deferred, lambda: ttfonts.TTFontFace(BytesIO(data), subfontIndex=subfont_index))
    face._ttf_data = data
    units = state["unitsPerEm"]
    if units == 1000:
        face._pdfScale = lambda x: x
    else:
        per_unit = 1000 / units
        face._pdfScale = lambda x: x * per_unit
    font = ttfonts.TTFont.__new__(ttfonts.TTFont)
    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in ttfonts.unShapedFontGlob)
    return font


def _verify_font_state() -> list[str]:
    """A font put back from its state must be the font reportlab parses, attribute for attribute."""
    from importlib import resources

    path = str(resources.files("deckbuilder").joinpath("fonts").joinpath("DejaVuSans-Oblique.ttf"))
    parsed = ttfonts.TTFont("SeamCheck", path)
    try:
        rebuilt = font_from_state("SeamCheck", face_state(parsed), parsed.face._ttf_data)
    except ValueError as exc:
        return [f"a parsed TTFontFace lacks what deckbuilder reads from it ({exc})"]
    missing = []
    if set(vars(parsed)) != set(vars(rebuilt)):
        missing.append(f"TTFont's attributes changed: {sorted(set(vars(parsed)) ^ set(vars(rebuilt)))}")
    for key, value in vars(parsed).items():
        if key not in ("face", "state", "encoding") and getattr(rebuilt, key, None) != value:
            missing.append(f"TTFont.{key} is made differently by TTFont()")
    if type(rebuilt.encoding) is not type(parsed.encoding) or vars(rebuilt.encoding) != vars(parsed.encoding):
        missing.append("TTFont.encoding is made differently by TTFont()")
    if vars(rebuilt.face).keys() != vars(parsed.face).keys():
        missing.append("TTFontFace's attributes changed")
    elif rebuilt.face._pdfScale(1234) != parsed.face._pdfScale(1234):
        missing.append("TTFontFace._pdfScale scales differently")
    if type(parsed.face.name) is not ttfonts.TTFNameBytes or not hasattr(parsed.face.name, "ustr"):
        missing.append("TTFontFace.name is no longer a TTFNameBytes with .ustr")

    def kept(value: Any) -> Callable[[], Any]:
        return lambda: value

    state = {key: Deferred(type(value), kept(value)) if isinstance(value, dict | list) else value
             for key, value in face_state(parsed).items()}
    deferred = font_from_state("SeamCheck", state, parsed.face._ttf_data)
    if deferred.face.charWidths is not parsed.face.charWidths:
        missing.append("a face put back no longer builds a value it lacks when it is read (__getattr__)")
    elif face_state(deferred).keys() != face_state(parsed).keys():
        missing.append("a face put back has other attributes once every value is built")
    return missing
