"""Page streams compressed by the last build, kept in the user's cache folder.

Every page of a PDF is a content stream that reportlab compresses with zlib when the file is
written: 90 streams, 10 ms of the 21 ms the packet of the user's content takes to be written
(``canvas.save``), and most of them the same bytes as in the last build. ``watch`` already
takes a stream compressed by its last rebuild (``reportlab_seam.reusing_made``); this keeps
them on disk for a one-shot ``build``: a stream's compressed bytes, by a hash of its bytes,
one file per workspace and output (each output is drawn by one process: ``build.ALONGSIDE``).

A kept stream is taken only when it decompresses to the very bytes to be compressed (about
a fifth of the cost of compressing them), and the file's key names zlib's version and the
compression level, so a stream this code kept is the one compressing would write. The check
cannot tell a stream compressed at another level or by another zlib: such a line, planted
in the user's own cache folder, gives a PDF with the same pages in other compressed bytes
(the folder is the user's, like the workspace; nothing outside it is read). A file holds
the streams of its output's last build and older ones up to as many again, at most ``MAX_ENTRIES``: an
output with more pages than that (a large deck) keeps none and sees its file as empty, so
its memory stays what it was. ``DECKBUILDER_NO_CACHE`` keeps nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import cache as user_cache
from ..render.reportlab_seam import streams_compressed_by

FORMAT = 1
KIND = "streams"
MAGIC = b"deckbuilder compressed page streams\n"
MAX_ENTRIES = 600  # the user's packet has 90 streams, a 1,000-card deck 500 pages
NAME = user_cache.NAME


def file_key(root: Path, output: str) -> str:
    """The file of ``output``'s streams for the workspace at ``root``, for this zlib."""
    meta = f"{FORMAT}|{zlib.ZLIB_RUNTIME_VERSION}|{zlib.Z_DEFAULT_COMPRESSION}|{root}|{output}"
    return hashlib.sha256(meta.encode("utf-8", "surrogatepass")).hexdigest()[:40]


class Store:
    """One output's kept streams (``cache.KeptLines``): a line per stream, its name (a hash of
    the bytes compressed) then the compressed bytes in base64."""

    def __init__(self, key: str) -> None:
        self.kept: user_cache.KeptLines | None = user_cache.KeptLines(KIND, key, MAGIC, MAX_ENTRIES)
        self.asked = 0
        self.taken = 0

    def compress(self, data: bytes) -> bytes:
        self.asked += 1
        if self.kept is None:
            return zlib.compress(data)
        if self.asked > MAX_ENTRIES:  # too many pages to keep: none kept, the memory given back
            self.kept = None
            return zlib.compress(data)
        name = hashlib.blake2b(data, digest_size=NAME // 2).hexdigest().encode()
        line = self.kept.get(name)
        if line is not None:
            try:
                made = base64.b64decode(line[NAME:], validate=True)
                if _decompresses_to(made, data):
                    self.taken += 1
                    return made
            except (binascii.Error, zlib.error, ValueError):
                pass  # damaged or not ours: compressed again (and kept again)
        made = zlib.compress(data)
        self.kept.add(name + base64.b64encode(made))
        return made

    def flush(self) -> bool:
        return self.kept.flush() if self.kept is not None else False


def _decompresses_to(made: bytes, data: bytes) -> bool:
    """Whether ``made`` is a whole zlib stream of exactly ``data``, never inflating more than one
    byte past it (a planted line could otherwise be a few bytes that inflate to gigabytes)."""
    inflate = zlib.decompressobj()
    out = inflate.decompress(made, len(data) + 1)
    return out == data and inflate.eof and not inflate.unconsumed_tail and not inflate.unused_data


_root: Path | None = None  # the workspace of the one-shot build under way (``opened``)


@contextmanager
def opened(root: Path) -> Iterator[None]:
    """Within this block (a one-shot build of the workspace at ``root``) ``compressing`` keeps
    each output's streams."""
    global _root
    was, _root = _root, root.resolve()
    try:
        yield
    finally:
        _root = was


@contextmanager
def compressing(output: str) -> Iterator[Store | None]:
    """Within this block the page streams of ``output`` (one PDF's) are taken from its kept
    ones where they are the same (in a build that ``opened`` them); what was compressed afresh
    is written when the block ends without an error."""
    if _root is None or user_cache.cache_dir() is None:
        yield None
        return
    store = Store(file_key(_root, output))
    with streams_compressed_by(store.compress):
        yield store
    store.flush()
