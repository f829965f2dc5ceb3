"""What the size search decided for each card face, kept in the user's cache folder.

Setting a face to fit (its Markdown parsed, set at the reference size, tried at the steps
of the deck's scale) is most of the work of planning a deck, and ``check`` and ``build``
start afresh in every process, so without this every face was set again although the user
changed one line. Here, per face (its Markdown and side), only the outcome is kept: a set
face's body size and focal size (and the few facts needed to rebuild it without parsing),
or an over-long face's ``Overflow``. ``outputs.faces`` rebuilds a stored face lazily at
those sizes, so an unchanged face is neither parsed nor laid out by ``check`` and only
parsed when ``build`` draws it; the pages are the same bytes either way.

One file (cache kind ``faces``) per face style and *layout fingerprint*: a hash of the
style's numbers, reportlab's and the Markdown parsers' versions, the bundled fonts (name, size and time of each file)
and the source bytes of the code that decides a face's size (``outputs/faces.py``, this
module, ``render/`` and ``layout/``). Any change to these reads another file, so a stale
size is never served. A face with a character that no bundled font has (set in a workspace
or system font, ``render.fallback``) is never stored: it is set every time.

The file is data only (a magic line, a JSON header with the payload's CRC-32, a JSON
payload); every entry is checked as it is read, and anything unexpected is a miss, set
again and written again. It is loaded once per process when a face is first looked up, and
written once (atomically, ``deckbuilder.cache``) when planning ends, only if a face was set.
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import astuple
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import cache as user_cache

if TYPE_CHECKING:
    from .faces import FaceStyle

FORMAT = 1
KIND = "faces"
MAGIC = b"deckbuilder face sizes\n"
MAX_ENTRIES = 20_000  # per style: ten decks of 1,000 cards; the least recently used go first

Entry = list[Any]  # JSON data: what ``faces`` stores for one face


@cache
def layout_fingerprint() -> str:
    """A hash of the source of every module whose code decides a face's size (read once per
    process: about 40 small files)."""
    package = Path(__file__).resolve().parents[1]
    files = sorted([*(package / "render").glob("*.py"), *(package / "layout").glob("*.py"),
                    package / "outputs" / "faces.py", Path(__file__).resolve()])
    digest = hashlib.sha256()
    user_cache.add_files(digest, files)
    return digest.hexdigest()


@cache
def font_identity() -> str:
    """The bundled fonts as they are on disk (name, size, modification time): a font changed
    by an upgrade reads another file."""
    from ..render import fonts

    parts = []
    for path in sorted(fonts.font_dir().glob("*.ttf")):
        try:
            status = path.stat()
        except OSError:
            continue
        parts.append(f"{path.name}:{status.st_size}:{status.st_mtime_ns}")
    return "|".join(parts)


def file_key(style: FaceStyle) -> str:
    """The name of the file for faces of ``style``, given this code, these fonts and this reportlab."""
    return _file_key(style, layout_fingerprint(), font_identity(), parser_identity())


def parser_identity() -> str:
    """Which Markdown parsers read the faces (their versions; whether the Rust one is used): a
    new parser may read a text otherwise, so a face it set is another entry. Found without
    importing markdown-it-py, which a warm build never needs (``render.parsers``)."""
    from ..render.parsers import parser_identity

    return parser_identity()


@lru_cache(maxsize=64)
def _file_key(style: FaceStyle, layout: str, fonts: str, parsers: str) -> str:
    from reportlab import Version

    meta = "|".join([str(FORMAT), Version, f"{sys.version_info[0]}.{sys.version_info[1]}", layout, fonts, parsers,
                     repr(astuple(style)), repr(astuple(style.scale))])
    return hashlib.sha256(meta.encode()).hexdigest()[:40]


@lru_cache(maxsize=1 << 14)
def face_key(markdown: str, side: str) -> str:
    """A hash of the face: the fitstore's and the drawstore's entries are found by it. Each face's
    is asked for three times a build or more (its size, whether its drawing is kept, drawing
    it): remembered for as many faces as a deck of 5,000 cards has, 10,000."""
    return hashlib.blake2b(f"{side}\n{markdown}".encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Store:
    """The stored faces of one style: those read from the file, those used and those set here."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.entries: dict[str, Entry] = load(key)
        self.used: set[str] = set()
        self.new: dict[str, Entry] = {}

    def get(self, name: str) -> Entry | None:
        entry = self.new.get(name) or self.entries.get(name)
        if entry is not None:
            self.used.add(name)
        return entry

    def add(self, name: str, entry: Entry) -> None:
        self.new[name] = entry

    def flush(self) -> bool:
        """Write the file once more if a face was set since it was read; the least recently
        used entries make room beyond ``MAX_ENTRIES``."""
        if not self.new:
            return False
        unused = {k: v for k, v in self.entries.items() if k not in self.used and k not in self.new}
        used = {k: v for k, v in self.entries.items() if k in self.used and k not in self.new}
        kept = list({**unused, **used, **self.new}.items())[-MAX_ENTRIES:]
        self.entries = dict(kept)
        self.new = {}
        name = f"{self.key}.json"
        return user_cache.when_idle(KIND, name, lambda: user_cache.write(KIND, name, encode(self.key, self.entries)))


_STORES: dict[tuple[Path, str], Store] = {}


def store_for(style: FaceStyle) -> Store | None:
    """The store of ``style``'s faces (loaded on first use in this process); None when
    caching is off (``DECKBUILDER_NO_CACHE``)."""
    folder = user_cache.cache_dir()
    if folder is None:
        return None
    key = file_key(style)
    store = _STORES.get((folder, key))
    if store is None:
        store = _STORES[(folder, key)] = Store(key)
    return store


def flush() -> None:
    """Write every store with faces set since it was read (the end of planning a deck)."""
    for store in _STORES.values():
        store.flush()


def forget() -> None:
    """Drop the stores this process has read (tests: the next lookup reads the file again)."""
    _STORES.clear()


def storable(markdown: str) -> bool:
    """Every character is drawn in a bundled font (or dropped as invisible): a face that needs
    a workspace or system font depends on fonts this store's key does not name."""
    from ..render import fonts, typography

    if fonts._body_chars().issuperset(markdown):
        return True
    text = markdown
    if typography.LABEL_OPEN in text:  # the marks around a section label, which is set in capitals
        text = text.replace(typography.LABEL_OPEN, "").replace(typography.LABEL_CLOSE, "")
        text += text.upper()
    return all(ch in "\n\t\r" or fonts.is_ignorable(ch) or fonts.font_for(ch) in fonts.FALLBACK_ORDER
               for ch in set(text) if ord(ch) >= 0x80)


# --- the file -----------------------------------------------------------------------------------

def encode(key: str, entries: dict[str, Entry]) -> bytes:
    return user_cache.pack_json(MAGIC, key, entries)


def decode(blob: bytes, key: str) -> dict[str, Entry]:
    """The entries of a whole, undamaged file for ``key``; ValueError otherwise."""
    entries = user_cache.unpack_json(MAGIC, key, blob)
    if not isinstance(entries, dict) or not all(isinstance(v, list) for v in entries.values()):
        raise ValueError("not a mapping of faces")
    return entries


def load(key: str) -> dict[str, Entry]:
    """The stored entries for ``key``; none when there is no file or it is not a good one."""
    return user_cache.read_packed(KIND, f"{key}.json", lambda blob: decode(blob, key)) or {}

