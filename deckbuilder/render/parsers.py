"""Which Markdown parsers this process reads faces with, found without importing markdown-it-py.

markdown-it-py takes about 20 ms to import (its package imports every rule), and a warm
build or ``check`` parses no Markdown at all: each face's size and drawing come from the
cache folder (``outputs.fitstore``, ``outputs.drawstore``), whose keys must still name the
parsers that set them. So this module, which those keys read, imports only the Rust parser
(a compiled extension, about 1 ms) and reads markdown-it-py's version from its package's
source; ``mdparse`` imports markdown-it-py when a text is first parsed.
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import cache
from typing import Any

markdown_it_pyrs: Any
try:  # an optional speed-up: see pyproject.toml for where it has wheels
    import markdown_it_pyrs
except ImportError:  # pragma: no cover - depends on the platform
    markdown_it_pyrs = None

PURE_PYTHON_SETTING = "DECKBUILDER_PURE_PYTHON_MARKDOWN"
_VERSION_LINE = re.compile(rb"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def rust_available() -> bool:
    """Whether faces are parsed by markdown-it-pyrs (installed, and not switched off)."""
    return markdown_it_pyrs is not None and not os.environ.get(PURE_PYTHON_SETTING)


def parser_identity() -> str:
    """Which Markdown parsers read the faces (their versions; whether the Rust one is used): a
    new parser may read a text otherwise, so what one set is not what another would."""
    rust = getattr(markdown_it_pyrs, "__version__", "?") if rust_available() else "-"
    return f"{markdown_it_version()}|{rust}"


@cache
def markdown_it_version() -> str:
    """markdown-it-py's ``__version__``, read from its package's ``__init__.py`` (a plain
    ``__version__ = "4.3.0"`` line); where there is no such line to read, the package is
    imported and asked, which gives the same answer, only slower."""
    try:
        spec = importlib.util.find_spec("markdown_it")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin and spec.origin.endswith("__init__.py"):
        try:
            with open(spec.origin, "rb") as source:
                found = _VERSION_LINE.search(source.read())
        except OSError:
            found = None
        if found:
            return found.group(1).decode("ascii", "replace")
    import markdown_it

    return str(markdown_it.__version__)
