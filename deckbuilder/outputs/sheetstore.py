"""The sheet's chosen layout (columns and body size), kept in the user's cache folder.

Choosing final-prep.pdf's layout sets every section at several sizes in two and three
columns (``layout.fit.best_layout``: five trial layouts for the user's sheet), and ``check``
and ``build`` start afresh in every process, although the sheet's text seldom changes
between two runs. Here only the outcome is kept, per sheet: the chosen column count and
size (or, when nothing fits, the column count that comes closest), the height the sections
need there and each section's share of the page. That is all ``check`` says of the sheet
(whether it fits, at what size, which sections take the most room), so a plan from a stored
entry sets no text; ``outputs.sheet`` sets the page at the stored choice when it is drawn.
The stored choice is the search's own, so the plan and the page are the same either way. A
well-formed entry is taken as it is, as a face's stored size is (``outputs.fitstore``): its
key names everything the search reads; one no search could have written is a miss.

One file (cache kind ``sheet``) per *layout fingerprint*: ``fitstore``'s (the source of
``render/`` and ``layout/``, the bundled fonts, reportlab's version) and the source of
``outputs/sheet.py`` and this module, with the Markdown parsers' versions. In the file, an
entry per sheet, keyed by a hash of everything the search reads (``outputs.sheet``'s
``layout_key``: each section's name, each part's kind, rendered Markdown and timeline
bar, the page, the margins and the size grid). Any change reads another entry or another
file, so a stale layout is never served. A sheet with a character no bundled font has (set
in a workspace or system font, ``render.fallback``) is never stored: it is searched every time.

The file is data only (a magic line, a JSON header with the payload's CRC-32, a JSON
payload), checked as it is read; anything unexpected is a miss, searched and written again.
It is read once per process, and written (atomically, ``deckbuilder.cache``) right after a
search, which happens only on a miss.
"""

from __future__ import annotations

import hashlib
import math
import sys
from functools import cache
from pathlib import Path

from .. import cache as user_cache
from . import fitstore

FORMAT = 2  # 2: an entry has the page's height and the sections' shares (check sets no sheet text)
KIND = "sheet"
MAGIC = b"deckbuilder sheet layouts\n"
MAX_ENTRIES = 200  # a sheet per entry: a long session of `watch` edits; the least recently used go first

# columns, size (None: nothing fits; the columns that come closest), the height the sections
# need at that layout, and each section's share of the page (``outputs.sheet.section_shares``)
Entry = tuple[int, float | None, float, list[tuple[str, float]]]


@cache
def layout_fingerprint() -> str:
    """``fitstore``'s fingerprint (render/, layout/, the fonts, the Markdown parsers), reportlab's
    version and the source of the sheet's own layout code (read once per process)."""
    from reportlab import Version  # it measures every line: an upgrade may set the sheet otherwise

    here = Path(__file__).resolve()
    digest = hashlib.sha256()
    user_cache.add_files(digest, [here.parent / "sheet.py", here])
    meta = "|".join([str(FORMAT), fitstore.layout_fingerprint(), fitstore.font_identity(), fitstore.parser_identity(),
                     Version, f"{sys.version_info[0]}.{sys.version_info[1]}"])
    digest.update(meta.encode())
    return digest.hexdigest()[:40]


def entry_key(description: str) -> str:
    """The entry for a sheet described by ``description`` (``outputs.sheet.layout_key``)."""
    return hashlib.blake2b(description.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Store:
    """The stored layouts: those read from the file and those chosen here since."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.entries: dict[str, list] = load(key)

    def get(self, name: str, columns: tuple[int, ...], sizes: tuple[float, ...]) -> Entry | None:
        """The stored choice, if there is one and it is one of the search's (``columns`` x ``sizes``),
        with a height and shares such as a search gives (finite numbers, named sections)."""
        entry = self.entries.get(name)
        if not (isinstance(entry, list) and len(entry) == 4):
            return None
        count, size, needed, shares = entry
        if type(count) is not int or count not in columns:
            return None
        if size is not None and not (type(size) is float and size in sizes):
            return None
        if not (_number(needed) and isinstance(shares, list)):
            return None
        pairs: list[tuple[str, float]] = []
        for pair in shares:
            if not (isinstance(pair, list) and len(pair) == 2 and type(pair[0]) is str and _number(pair[1])):
                return None
            pairs.append((pair[0], pair[1]))
        return count, size, needed, pairs

    def put(self, name: str, entry: Entry) -> bool:
        """Keep ``entry`` and write the file (the most recently chosen last)."""
        count, size, needed, shares = entry
        self.entries.pop(name, None)
        self.entries[name] = [count, size, float(needed), [[section, float(share)] for section, share in shares]]
        self.entries = dict(list(self.entries.items())[-MAX_ENTRIES:])
        name = f"{self.key}.json"
        return user_cache.when_idle(KIND, name, lambda: user_cache.write(KIND, name, encode(self.key, self.entries)))


def _number(value: object) -> bool:
    return type(value) is float and math.isfinite(value) and value >= 0.0


_STORES: dict[tuple[Path, str], Store] = {}


def store() -> Store | None:
    """The store (read on first use in this process); None when caching is off
    (``DECKBUILDER_NO_CACHE``)."""
    folder = user_cache.cache_dir()
    if folder is None:
        return None
    key = layout_fingerprint()
    found = _STORES.get((folder, key))
    if found is None:
        found = _STORES[(folder, key)] = Store(key)
    return found


def forget() -> None:
    """Drop what this process has read (tests: the next lookup reads the file again)."""
    _STORES.clear()


# --- the file -----------------------------------------------------------------------------------

def encode(key: str, entries: dict[str, list]) -> bytes:
    return user_cache.pack_json(MAGIC, key, entries)


def decode(blob: bytes, key: str) -> dict[str, list]:
    """The entries of a whole, undamaged file for ``key``; ValueError otherwise."""
    entries = user_cache.unpack_json(MAGIC, key, blob)
    if not isinstance(entries, dict):
        raise ValueError("not a mapping of sheets")
    return entries


def load(key: str) -> dict[str, list]:
    """The stored entries for ``key``; none when there is no file or it is not a good one."""
    return user_cache.read_packed(KIND, f"{key}.json", lambda blob: decode(blob, key)) or {}
