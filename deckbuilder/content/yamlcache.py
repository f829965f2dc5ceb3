"""Content files read once per version of their text, not once per process.

Reading a content file (``yamlload.load_yaml``: the nesting check, PyYAML's node tree, our
builder with its limits and line marks) is 10-15 ms for the user's four files, in every
``check``, ``build`` and ``watch`` rebuild, for text that rarely changed since the last run.
What it gave for a file that read without a problem (plain data and the line of every key
path) is kept in the user's cache folder (``deckbuilder.cache``) as JSON: one entry per
file path, holding the SHA-256 of the file's bytes, so an edited file is a miss and its
entry is replaced (the folder does not grow with every save). A file with a mistake is
never stored: its message comes from reading it, every time.

The entry's key also covers what the result depends on besides the bytes: this module's
and ``yamlload``'s source, PyYAML's version and whether its C parser is used. The stored
form is data only (JSON after a CRC-32 of it), checked as it is read; anything unexpected
reads as a miss, and the file is read as before.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import zlib
from functools import cache as once
from pathlib import Path
from typing import Any

from .. import cache

KIND = "yaml"
MAGIC = b"deckbuilder yaml cache 1\n"


@once
def _fingerprint() -> bytes:
    """Python's version, PyYAML's (the package's folder and its files' names, sizes and times,
    so whether its C parser is there and which build of it, and its ``__init__`` with the
    version: found without importing PyYAML, which a run whose files are all stored never
    does) and the source of the code that reads a file."""
    import importlib.util

    digest = hashlib.sha256(sys.version.encode() + b"\0")
    spec = importlib.util.find_spec("yaml")
    folder = Path(spec.origin).parent if spec is not None and spec.origin else None
    if folder is not None:
        digest.update(str(folder).encode("utf-8", "surrogateescape") + b"\0")
        try:
            with os.scandir(folder) as entries:
                files = sorted(f"{e.name}|{e.stat().st_size}|{e.stat().st_mtime_ns}" for e in entries if e.is_file())
            digest.update("\0".join(files).encode("utf-8", "surrogateescape") + b"\0")
        except OSError:
            digest.update(b"\0unlisted\0")
        cache.add_files(digest, [folder / "__init__.py"])
    cache.add_files(digest, [Path(__file__), Path(__file__).with_name("yamlload.py")])
    return digest.digest()


def _key(path: Path) -> str:
    return hashlib.sha256(_fingerprint() + os.path.abspath(path).encode("utf-8", "surrogateescape")).hexdigest()[:40]


def read(path: Path, raw: bytes) -> tuple[Any, dict[tuple[str | int, ...], int]] | None:
    """What ``load_yaml`` gave for ``path`` when its bytes were ``raw``; None on a miss."""
    if cache.cache_dir() is None:
        return None
    key = _key(path)
    blob = cache.read(KIND, key)
    if blob is None or not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 4:
        return None
    body = memoryview(blob)[len(MAGIC) + 4:]
    if blob[len(MAGIC):len(MAGIC) + 4] != zlib.crc32(body).to_bytes(4, "big"):
        return None  # damaged: a flipped bit must not change a story's text
    try:
        stored = json.loads(body.tobytes())
        if (type(stored) is not dict or stored.get("key") != key
                or stored.get("text") != hashlib.sha256(raw).hexdigest() or type(stored.get("marks")) is not list):
            return None
        marks = {}
        for where, line in stored["marks"]:
            if type(where) is not list or type(line) is not int or not all(type(k) in (str, int) for k in where):
                return None
            marks[tuple(where)] = line
        return stored["data"], marks
    except (ValueError, TypeError):  # not JSON, or a mark that is not a [path, line] pair
        return None


def write(path: Path, raw: bytes, data: Any, marks: dict[tuple[str | int, ...], int]) -> None:
    """Keep what ``load_yaml`` gave for ``path`` with bytes ``raw``; quietly nothing when the
    cache is off or the data has a value JSON would not give back as it is (or cannot write:
    a 0x number of thousands of digits)."""
    if cache.cache_dir() is None or not _plain(data):
        return
    try:
        body = json.dumps({"key": _key(path), "text": hashlib.sha256(raw).hexdigest(), "data": data,
                           "marks": [[list(where), line] for where, line in marks.items()]},
                          allow_nan=False, separators=(",", ":")).encode("ascii")
    except ValueError:  # an int longer than Python turns into text (sys.get_int_max_str_digits): not stored
        return
    name = _key(path)
    cache.when_idle(KIND, name, lambda: cache.write(KIND, name, MAGIC + zlib.crc32(body).to_bytes(4, "big") + body))


def _plain(value: Any) -> bool:
    """Made only of what JSON gives back as it was: text, whole numbers, finite floats,
    true/false/null, lists, and mappings with text keys."""
    kind = type(value)
    if kind in (str, int, bool) or value is None:
        return True
    if kind is float:
        return value == value and value not in (float("inf"), float("-inf"))
    if kind is list:
        return all(map(_plain, value))
    if kind is dict:
        return all(type(k) is str for k in value) and all(map(_plain, value.values()))
    return False
