"""Reading PDFs back for tests: text, pages, fonts, as a reader (not the writer) sees them."""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pypdf import PdfReader
from pypdf.generic import ContentStream

F = TypeVar("F", bound=Callable[..., Any])
_READ: dict[tuple, Any] = {}


def _identity(path: Path) -> tuple:
    """What a PDF is: a rebuilt file (new inode, size or mtime) is a new key, so nothing stale is read."""
    st = os.stat(path)
    return (str(Path(path).resolve()), st.st_ino, st.st_size, st.st_mtime_ns)


def once_per_file(func: F) -> F:
    """Parse each PDF once however many helpers a test calls on it (the suite re-read the same
    files dozens of times); callers get their own copy, so one test's changes never leak."""

    @functools.wraps(func)
    def wrapper(path: Path, *args: Any) -> Any:
        key = (func.__name__, _identity(path), args)
        if key not in _READ:
            if len(_READ) > 2_000:
                _READ.clear()
            _READ[key] = func(path, *args)
        value = _READ[key]
        return value if isinstance(value, PdfReader) else copy.deepcopy(value)

    return wrapper  # type: ignore[return-value]


@once_per_file
def reader(path: Path) -> PdfReader:
    return PdfReader(str(path))


@once_per_file
def page_texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in reader(path).pages]


def all_text(path: Path) -> str:
    return "\n".join(page_texts(path))


@once_per_file
def font_names(path: Path) -> set[str]:
    """BaseFont names of every font resource on every page (embedded or not)."""
    names: set[str] = set()
    for page in reader(path).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


@once_per_file
def unembedded_fonts(path: Path) -> set[str]:
    """Fonts referenced without an embedded font file (what pdffonts shows as 'emb no')."""
    missing: set[str] = set()
    for page in reader(path).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descriptors = [font.get("/FontDescriptor")]
            for descendant in font.get("/DescendantFonts", []) or []:
                descriptors.append(descendant.get_object().get("/FontDescriptor"))
            embedded = any(d is not None and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                           for d in descriptors)
            if not embedded:
                missing.add(str(font["/BaseFont"]))
    return missing


@once_per_file
def text_sizes(path: Path, page_index: int | None = None) -> list[tuple[str, float]]:
    """(text, font size in points) for every text run, as pypdf's visitor sees them."""
    runs: list[tuple[str, float]] = []
    pages = reader(path).pages
    chosen = pages if page_index is None else [pages[page_index]]
    for page in chosen:
        def visit(text, cm, tm, font_dict, font_size):
            if text.strip():
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                runs.append((text, font_size * scale))
        page.extract_text(visitor_text=visit)
    return runs


@dataclass(frozen=True)
class Run:
    """One text run as a reader places it: text, start of its baseline (points), font size."""

    text: str
    x: float
    y: float
    size: float


@once_per_file
def texts_and_runs(path: Path) -> tuple[list[str], list[list[Run]]]:
    """Every page's text and its runs positioned in page space (text matrix, then CTM), from
    one extraction pass per page: the slow part of reading a deck back."""
    texts: list[str] = []
    pages: list[list[Run]] = []
    for page in reader(path).pages:
        runs: list[Run] = []

        def visit(text, cm, tm, font_dict, font_size, runs=runs):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                runs.append(Run(text.strip(), x, y, font_size * scale))
        texts.append(page.extract_text(visitor_text=visit) or "")
        pages.append(runs)
    return texts, pages


def text_runs(path: Path) -> list[list[Run]]:
    """Every page's text runs with their positions in page space (text matrix, then CTM)."""
    return texts_and_runs(path)[1]


@once_per_file
def page_sizes(path: Path) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader(path).pages]


def path_points(path: Path, page_index: int) -> list[tuple[float, float]]:
    """The points of every moveto/lineto on a page (cut lines and other drawn marks), in page
    space: each point goes through the transformation (q/Q/cm) in force where it is drawn."""
    r = reader(path)
    page = r.pages[page_index]
    ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    saved: list[tuple[float, ...]] = []
    points = []
    for operands, operator in ContentStream(page.get_contents(), r).operations:
        if operator == b"q":
            saved.append(ctm)
        elif operator == b"Q":
            ctm = saved.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            A, B, C, D, E, F = ctm
            ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
        elif operator in (b"m", b"l"):
            x, y = float(operands[0]), float(operands[1])
            A, B, C, D, E, F = ctm
            points.append((x * A + y * C + E, x * B + y * D + F))
    return points


def viewer_duplex(path: Path) -> str | None:
    """The /Duplex viewer preference the print dialog starts from, or None."""
    prefs = reader(path).trailer["/Root"].get("/ViewerPreferences")
    return str(prefs.get_object().get("/Duplex")) if prefs is not None else None


@dataclass(frozen=True)
class Box:
    """A text run with its width: where it starts and ends on its baseline (points)."""

    text: str
    x: float
    y: float
    size: float
    font: str  # the BaseFont without its subset tag, e.g. DejaVuSans-Bold

    @property
    def right(self) -> float:
        return self.x + text_width(self.text, self.font, self.size)


def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in the bundled font a PDF names (measured here, not by the writer)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"check-{font}"
    if name not in pdfmetrics.getRegisteredFontNames():
        fonts = Path(__file__).resolve().parents[1] / "deckbuilder" / "fonts"
        pdfmetrics.registerFont(TTFont(name, str(fonts / f"{font}.ttf")))
    return pdfmetrics.stringWidth(text, name, size)


@once_per_file
def text_boxes(path: Path) -> list[list[Box]]:
    """Every page's text, one Box per line of each run, in page space."""
    pages: list[list[Box]] = []
    for page in reader(path).pages:
        boxes: list[Box] = []

        def visit(text, cm, tm, font_dict, font_size, boxes=boxes):
            if not text.strip() or font_dict is None:
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            font = str(font_dict.get("/BaseFont", "")).lstrip("/").split("+")[-1]
            for line in text.split("\n"):
                if line.strip():
                    boxes.append(Box(line.rstrip(), x, y, font_size * scale, font))
        page.extract_text(visitor_text=visit)
        pages.append(boxes)
    return pages
