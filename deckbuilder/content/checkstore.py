"""What the content's checks said, kept in the user's cache folder by everything it depends on.

Every ``check``, ``build`` and ``watch`` rebuild checks the content again although it seldom
changed since the last run: the cross-checks of ``load_content`` (ids, principle names,
framework sections, a character no font has: every text of the content looked at) and the
warnings about the content (``build.content_warnings``: coverage gaps, open questions,
headlines resting on a guess, and the coach's story checks and loop). At 1,000 cards that
is about 0.05 s of every run. Both are functions of the content files' bytes, so what they
said (every problem, with its file, line, message and hint, in order) is kept and said
again while nothing they depend on changed:

- the content: every content file's name and bytes, in the order they are read (a line
  added anywhere is another key: the warnings' lines move with it);
- for the warnings, the workspace's ``deckbuilder.toml`` (its bytes, and whether it is a link
  leading out of the workspace: ``[checks] off`` and the lines its warnings point at), and
  whether the coach's checks were asked for at all;
- the code: every module of ``deckbuilder/content/`` (the model, the loading, the checks)
  and the shipped principle sets, ``deckbuilder/coach/``, the modules that compose and format
  the problems and read the settings, and the font code that says which characters a
  bundled font has, with the versions of Python, pydantic, PyYAML (``yamlcache``'s
  fingerprint) and reportlab, and the bundled fonts (name, size and time of each file).

What is never kept: the cross-checks of content in which a character is drawn by a
workspace or system font, or by none (which fonts the machine has is not in the key), and
content with an error before them (they then run on what could be read); the warnings
about stories not rehearsed lately (they depend on the practice log and today's date: made
every time, in their place). A check that raises (a ``deckbuilder.toml`` that cannot be read)
is not kept either: it raises again next time.

One file per workspace (``cache.KeptLines``, kind ``checks``): a line per content state and
kind of check, its name then the problems as JSON, each checked as it is read; anything
unexpected is a miss. ``DECKBUILDER_NO_CACHE`` checks every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import weakref
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import cache as user_cache
from ..errors import Problem, Report

if TYPE_CHECKING:
    from .model import Content

FORMAT = 1
KIND = "checks"
MAGIC = b"deckbuilder content checks\n"
MAX_LINES = 16  # a line per content state and kind: a session of `watch` edits back and forth
SETTINGS = "deckbuilder.toml"  # coach.settings.FILE_NAME, not imported: the coach's code only on a miss
_SEVERITIES = ("error", "warning")


@cache
def code_fingerprint() -> str:
    """The source of the code whose output is kept, and the versions and fonts it depends on
    (read once per process)."""
    import pydantic
    import pydantic_core
    from reportlab import Version

    from ..outputs.fitstore import font_identity
    from .yamlcache import _fingerprint as yaml_fingerprint

    package = Path(__file__).resolve().parents[1]
    files = sorted([*(package / "content").glob("*.py"), *(package / "content" / "principles").glob("*.yaml")])
    files += sorted((package / "coach").glob("*.py"))
    files += [package / name for name in ("build.py", "errors.py", "config.py", "tomlfile.py")]
    files += [package / "render" / name for name in ("fonts.py", "fallback.py", "fontcache.py")]
    versions = (f"{FORMAT}|{sys.version}|{pydantic.VERSION}|{pydantic_core.__version__}|{Version}|{font_identity()}|"
                f"{_toml_reader()}\0")
    digest = hashlib.sha256(versions.encode("utf-8", "surrogateescape"))
    digest.update(yaml_fingerprint())
    for path in files:  # each by its place in the package: a module moved is another key
        digest.update(str(path.relative_to(package)).encode("utf-8", "surrogateescape") + b"\0")
    user_cache.add_files(digest, files)
    return digest.hexdigest()


def _toml_reader() -> str:
    """Which TOML reader reads deckbuilder.toml (``tomlfile``): Python's own from 3.11 (its
    version is Python's), tomli's before; found without importing either (2-3 ms)."""
    if sys.version_info >= (3, 11):
        return "tomllib"
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"tomli {version('tomli')}"
    except PackageNotFoundError:
        return "no tomli"


def _name(*parts: str) -> bytes:
    text = "\0".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=user_cache.NAME // 2).hexdigest().encode()


class Kept:
    """One workspace's kept checks for the content read as ``content_key`` (``opened``)."""

    def __init__(self, root: Path, content_key: str) -> None:
        self.root, self.content_key = root, content_key
        file = hashlib.sha256(f"{code_fingerprint()}\0{os.path.abspath(root)}".encode(
            "utf-8", "surrogateescape")).hexdigest()[:40]
        self.lines = user_cache.KeptLines(KIND, file, MAGIC, MAX_LINES)

    def cross_checked(self, report: Report, check: Callable[[], bool]) -> None:
        """The problems ``check()`` adds to ``report`` (``crosscheck.cross_check``), taken again
        when kept; kept when ``check()`` says what it said depends on the bundled fonts only."""
        name = _name("cross", self.content_key)
        kept = self._get(name, 1)
        if kept is not None:
            report.problems.extend(kept[0])
            return
        start = len(report.problems)
        if check():
            self._put(name, [report.problems[start:]])

    def warnings(self, root: Path | None, analysed: Callable[[], list[Problem]], unkept: Callable[[], list[Problem]],
                 coached: Callable[[], list[Problem]]) -> list[Problem]:
        """``analysed() + unkept() + coached()``, the first and last taken again when kept (the
        content's warnings: ``build.content_warnings``; ``coached``: the coach's, which read the
        settings of the workspace at ``root``, nothing without one). ``unkept`` is made every time."""
        settings = _settings(root) if root is not None else "no coach"
        if settings is None:  # deckbuilder.toml could not be read for the key: its reader says why
            return analysed() + unkept() + coached()
        name = _name("warnings", self.content_key, settings)
        kept = self._get(name, 2)
        if kept is not None:
            return kept[0] + unkept() + kept[1]
        first = analysed()
        middle = unkept()
        last = coached()
        self._put(name, [first, last])
        return first + middle + last

    def _get(self, name: bytes, parts: int) -> list[list[Problem]] | None:
        line = self.lines.get(name)
        if line is None:
            return None
        try:
            value = json.loads(line[user_cache.NAME:])
        except (ValueError, RecursionError):
            return None
        if not (isinstance(value, list) and len(value) == parts and all(isinstance(p, list) for p in value)):
            return None
        try:
            return [[_problem(item) for item in part] for part in value]
        except ValueError:
            return None

    def _put(self, name: bytes, parts: list[list[Problem]]) -> None:
        data = [[[p.file, p.line, p.message, p.hint, p.key, p.severity] for p in part] for part in parts]
        try:
            text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError):  # a problem that is not plain text and numbers: not kept
            return
        self.lines.add(name + text)
        self.lines.flush()


def _settings(root: Path) -> str | None:
    """What the coach reads of the workspace's settings, as a key: where the workspace is,
    deckbuilder.toml's bytes and whether it is a link leading out of the workspace (its reader
    then refuses it); None when it cannot be told."""
    from .. import tomlfile

    path = root / SETTINGS
    where = os.path.abspath(root)
    if not path.is_file():
        return f"{where}\0no settings"
    try:
        inside = path.resolve().is_relative_to(root.resolve())
        with open(path, "rb") as handle:  # as much as its reader reads (tomlfile.read_toml)
            digest = hashlib.sha256(handle.read(tomlfile.MAX_BYTES + 1)).hexdigest()
    except (OSError, RuntimeError, ValueError):
        return None
    return f"{where}\0{inside}:{digest}"


def _problem(item: Any) -> Problem:
    """A kept problem; ValueError for anything that is not one."""
    if not (isinstance(item, list) and len(item) == 6):
        raise ValueError("not a problem")
    file, line, message, hint, key, severity = item
    if not (_text_or_none(file) and (line is None or type(line) is int) and type(message) is str
            and _text_or_none(hint) and _text_or_none(key) and severity in _SEVERITIES):
        raise ValueError("not a problem")
    return Problem(file, line, message, hint, key, severity)


def _text_or_none(value: Any) -> bool:
    return value is None or type(value) is str


# The content loaded with its checks kept, and by what: ``content_warnings`` takes the same store.
_OPENED: dict[int, tuple[weakref.ref[Content], Kept]] = {}


def opened(root: Path, content_key: str) -> Kept | None:
    """The kept checks of the workspace at ``root`` for content read as ``content_key``; None
    when caching is off (``DECKBUILDER_NO_CACHE``)."""
    if user_cache.cache_dir() is None:
        return None
    return Kept(root, content_key)


def remember(content: Content, kept: Kept) -> None:
    """``content`` was loaded as ``kept`` says: its warnings are kept there too (``kept_for``)."""
    key = id(content)
    _OPENED[key] = (weakref.ref(content, lambda _ref: _OPENED.pop(key, None)), kept)


def kept_for(content: Content) -> Kept | None:
    """The kept checks ``content`` was loaded with; None for content made otherwise (in code,
    by the importer) or loaded with caching off."""
    known = _OPENED.get(id(content))
    if known is None or known[0]() is not content:
        return None
    return known[1]
