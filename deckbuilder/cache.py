"""The per-user cache folder: things deckbuilder would otherwise work out again in every process.

What it holds (``fonts/``: each font file's parsed metrics and glyph coverage, keyed by the
file's content hash; ``templates/``: compiled Jinja templates, keyed by template and source;
``yaml/``: what each content file read as, per file, for the bytes it had)
only saves time: a build with the cache gives byte-identical PDFs to one without, and the
folder is safe to delete at any time.

Where: platformdirs' user cache folder (``~/.cache/deckbuilder`` on Linux,
``~/Library/Caches/deckbuilder`` on macOS, ``%LOCALAPPDATA%\\deckbuilder\\Cache`` on Windows),
never inside a workspace, so a workspace shared by someone else cannot plant anything that is
later loaded. ``DECKBUILDER_CACHE_DIR`` names another folder; set to an empty string or a relative path, or
with ``DECKBUILDER_NO_CACHE=1``, nothing is cached.

Files are read only from a folder that this user owns and no one else can write, and as files
this user owns that no one else may read or write (the folders are made 0700, the files 0600),
so another user cannot plant one through a shared ``DECKBUILDER_CACHE_DIR``, nor can a folder
of someone else's files checked out or unpacked (0644) where it points. Every failure is
quiet: a file that is missing, unreadable, truncated or from another version reads as a miss
(and is written again); a folder that cannot be written is skipped. Writes go to a temporary
file renamed into place, so a reader never sees half a file.

The folder does not grow without end: every edit of a content file, every new version of
deckbuilder and every workspace adds files, and nothing else removes them. Each kind keeps at
most ``KEEP_FILES`` files and ``KEEP_BYTES`` bytes; when a write goes past either, the files
used least recently go (down to three quarters of both), as do temporaries a crashed write
left. A file read is marked used (its time set to now) when it was last marked over a day
ago, so what every build reads stays while the entries of last month's edits go.
"""

from __future__ import annotations

import os
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

ENV = "DECKBUILDER_CACHE_DIR"
OFF_ENV = "DECKBUILDER_NO_CACHE"
T = TypeVar("T")
MAX_BYTES = 64 << 20  # a cache file bigger than this is not ours: not read
KEEP_FILES = 256  # files of one kind (a compiled template, a content file's state, a deck's drawings) kept
KEEP_BYTES = 96 << 20  # bytes of one kind kept: a 5,000-card deck's drawings are about 15 MB a file
MARK_USED_AFTER = 24 * 3600  # seconds: a file read is marked used at most once a day
STALE_TEMPORARY = 3600  # seconds: a temporary this old was left by a write that never finished


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    if os.environ.get(OFF_ENV, "") not in ("", "0"):
        return None
    override = os.environ.get(ENV)
    folder = (Path(override).expanduser() if override else None) if override is not None else _platform_dir()
    # a relative folder (a relative DECKBUILDER_CACHE_DIR, '~' where there is no home) would be
    # in the current folder, often a workspace, whose files would then be run as compiled code
    return folder if folder is not None and folder.is_absolute() else None


@cache
def _platform_dir() -> Path:
    if sys.platform == "linux" and "ANDROID_ROOT" not in os.environ:
        # platformdirs' XDG rule, without importing it (3 ms of every start), but a relative
        # XDG_CACHE_HOME is ignored as the XDG spec says: it would put the cache in the current
        # folder (a workspace), whose files this process would then load as compiled code
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        return Path(xdg if os.path.isabs(xdg) else os.path.expanduser("~/.cache")) / "deckbuilder"
    import platformdirs

    return Path(platformdirs.user_cache_dir("deckbuilder", appauthor=False))


def add_files(digest: Any, paths: Iterable[Path]) -> None:
    """Feed each file's name and bytes to ``digest`` (a hashlib object), a marker for one that
    cannot be read: the fingerprint of code whose output a cache keeps (a changed file is
    another key, so nothing stale is ever served)."""
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0unreadable\0")


def read(kind: str, name: str) -> bytes | None:
    """The bytes of cache file ``kind/name``; None if there is none or it cannot be read."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        if not _private(os.stat(folder / kind)):  # first: what another user planted is not even opened
            return None
        # not blocking: a named pipe planted at an entry's name must not wait for a writer
        handle = os.open(folder / kind / name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(handle, "rb") as file:
            status = os.fstat(file.fileno())
            if not stat.S_ISREG(status.st_mode) or not _private(status, _NO_ONE_ELSE):
                return None  # every file is written 0600: one others may read came another way
            data = file.read(MAX_BYTES + 1)
        if time.time() - status.st_mtime > MARK_USED_AFTER and not os.path.islink(folder / kind / name):
            # used: the pruning of this kind (``write``) keeps it; a link is not ours (pruning passes
            # it over), and its time set would be that of a file outside the cache folder
            os.utime(folder / kind / name)
    except (OSError, ValueError):
        return None
    return data if len(data) <= MAX_BYTES else None


_OTHERS_WRITE = 0o022
_NO_ONE_ELSE = 0o077  # a file: what cache.write makes (0600); a checked-out or unpacked one (0644) is not


def _private(status: os.stat_result, others: int = _OTHERS_WRITE) -> bool:
    """Owned by this user and writable by no one else (a file: with no permission for anyone
    else) where the system has owners: what another user could have written into a shared
    DECKBUILDER_CACHE_DIR, or a folder of someone's files checked out or unpacked where
    DECKBUILDER_CACHE_DIR points, is never loaded."""
    if not hasattr(os, "geteuid"):
        return True
    return status.st_uid == os.geteuid() and not status.st_mode & others


def write(kind: str, name: str, data: bytes | list[bytes]) -> bool:
    """Store ``data`` (or its pieces, one after the other) as cache file ``kind/name``
    atomically; False (and nothing raised) when the folder cannot be made or written."""
    import tempfile  # only when something is written: the read side is on every start (classcache)

    folder = cache_dir()
    if folder is None:
        return False
    target = folder / kind
    try:
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(os.stat(target)):
            return False  # it would never be read back
        handle, temp = tempfile.mkstemp(dir=target, prefix=f".{name}.", suffix=".tmp")
    except (OSError, ValueError):
        return False
    try:
        with os.fdopen(handle, "wb") as file:
            file.writelines([data] if isinstance(data, bytes) else data)
        os.replace(temp, target / name)
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
        return False
    prune(target, keep=name)
    return True


Writes = dict[tuple[str, str], Callable[[], bool]]  # writes put off (``writes_put_off``), by file
_put_off: Writes | None = None


def when_idle(kind: str, name: str, write: Callable[[], bool]) -> bool:
    """Write cache file ``kind/name`` with ``write()`` now and say whether it was written, or,
    inside ``writes_put_off``, later (only the last ``write`` given for each file: True)."""
    if _put_off is None:
        return write()
    _put_off[(kind, name)] = write
    return True


@contextmanager
def writes_put_off(waiting: Writes) -> Iterator[Writes]:
    """Inside this block the writes given to ``when_idle`` are added to ``waiting``, for the
    caller to make (``write_all``) when it is idle. ``watch`` does this: its stores keep what
    they learned in memory for the next rebuild, so their files are only for the next process.
    Writing them cost 1.5-3 ms of a rebuild of the user's content; with a cache folder a
    5,000-card deck was built with, each rebuild that set a face rewrote the 1.25 MB file of
    every deck's face sizes (5 rebuilds: 6.2 MB in 16 ms, besides encoding it), all before
    the rebuild could say it was done."""
    global _put_off
    outer, _put_off = _put_off, waiting
    try:
        yield waiting
    finally:
        _put_off = outer


def write_all(waiting: Writes) -> None:
    """Make the writes ``writes_put_off`` gathered in ``waiting``, in the order given."""
    writes = list(waiting.values())
    waiting.clear()
    for write in writes:
        write()


def prune(folder: Path, keep: str) -> None:
    """Remove the files of ``folder`` (one kind's) used least recently while it holds more than
    ``KEEP_FILES`` files or ``KEEP_BYTES`` bytes, down to three quarters of both, and the
    temporaries of writes that never finished; never ``keep`` (the file just written). Quiet:
    a file another process removed first, or one that cannot be removed, is passed over."""
    now = time.time()
    files: list[tuple[float, int, str]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    status = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if not stat.S_ISREG(status.st_mode):
                    continue
                if entry.name.startswith(".") and entry.name.endswith(".tmp"):
                    if now - status.st_mtime > STALE_TEMPORARY:
                        _remove(folder / entry.name)
                elif entry.name != keep:
                    files.append((status.st_mtime, status.st_size, entry.name))
    except OSError:
        return
    total = sum(size for _, size, _ in files)
    if len(files) < KEEP_FILES and total <= KEEP_BYTES:
        return
    files.sort()
    count = len(files)
    for _, size, name in files:  # least recently used first
        if count < KEEP_FILES * 3 // 4 and total <= KEEP_BYTES * 3 // 4:
            break
        if _remove(folder / name):
            count -= 1
            total -= size


def _remove(path: Path) -> bool:
    try:
        os.unlink(path)
        return True
    except OSError:
        return False


def read_packed(kind: str, name: str, unpack: Callable[[bytes], T]) -> T | None:
    """``unpack`` of the bytes of cache file ``kind/name``; None when there is no such file or
    ``unpack`` finds it is not a whole one (``unpack_json``'s and ``unpack_lines``' errors): every
    store's read, a damaged or foreign file being a miss."""
    blob = read(kind, name)
    if blob is None:
        return None
    try:
        return unpack(blob)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def pack_json(magic: bytes, key: str, value: Any) -> bytes:
    """A cache file holding JSON ``value`` for ``key``: ``magic``, a header line with the key and
    the payload's CRC-32, then the payload (the face-size and sheet-layout stores' files)."""
    import json

    payload = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()
    return magic + _header(key, zlib.crc32(payload), len(value)) + payload


def unpack_json(magic: bytes, key: str, blob: bytes) -> Any:
    """The value of a whole, undamaged ``pack_json`` file for ``key``; ValueError otherwise (also
    UnicodeDecodeError or RecursionError for bytes that are not such a file)."""
    import json

    return json.loads(_payload(magic, key, blob))


def pack_lines(magic: bytes, key: str, lines: list[bytes]) -> list[bytes]:
    """A cache file holding ``lines`` (none with a newline) for ``key``, as ``pack_json``'s but
    with a payload of one line each, in pieces for ``write``: a large file is written without
    being joined into one bytes object first (the face drawings' store)."""
    crc = 0
    for line in lines:
        crc = zlib.crc32(b"\n", zlib.crc32(line, crc))
    return [magic, _header(key, crc, len(lines)), *(piece for line in lines for piece in (line, b"\n"))]


def unpack_lines(magic: bytes, key: str, blob: bytes) -> list[bytes]:
    """The lines of a whole, undamaged ``pack_lines`` file for ``key``; ValueError otherwise."""
    payload = _payload(magic, key, blob)
    if payload and not payload.endswith(b"\n"):
        raise ValueError("damaged: the last line is cut short")
    return payload.split(b"\n")[:-1]


def _header(key: str, crc: int, count: int) -> bytes:
    import json

    return json.dumps({"key": key, "crc": crc, "count": count}).encode() + b"\n"


def _payload(magic: bytes, key: str, blob: bytes) -> bytes:
    """The payload of a whole, undamaged file for ``key`` (its magic, key and CRC-32 checked)."""
    import json

    if not blob.startswith(magic):
        raise ValueError("not this kind of file")
    end = blob.index(b"\n", len(magic))
    header = json.loads(blob[len(magic):end])
    payload = blob[end + 1:]
    if not isinstance(header, dict) or header.get("key") != key:
        raise ValueError("a file for another key")
    if zlib.crc32(payload) != header.get("crc"):
        raise ValueError("damaged: the checksum differs")
    return payload


NAME = 32  # hex digits that name each line of a ``KeptLines`` file (a 16-byte hash)


class KeptLines:
    """A cache file of lines (``pack_lines``), each starting with its ``NAME``-digit name: read
    when made, and written again by ``flush`` when a line was added. What is written: the lines
    used (``get``) or added since, then older ones up to as many again (another workspace's or
    another selection's), at most ``max_lines`` in all unless this run's own are more (a file
    too big to be read, over ``MAX_BYTES``, is not written); an unusable file reads as empty."""

    def __init__(self, kind: str, key: str, magic: bytes, max_lines: int) -> None:
        self.kind, self.key, self.magic, self.max_lines = kind, key, magic, max_lines
        self.lines = self._load()
        self.used: set[bytes] = set()
        self.new: dict[bytes, bytes] = {}

    def get(self, name: bytes) -> bytes | None:
        """The line named ``name`` (its name included), marked as used."""
        line = self.new.get(name) or self.lines.get(name)
        if line is not None:
            self.used.add(name)
        return line

    def add(self, line: bytes) -> None:
        self.new[line[:NAME]] = line

    def touch(self, names: Iterable[bytes]) -> None:
        """Mark the lines named ``names`` as used, unread (those another line stands for)."""
        self.used.update(names)

    def flush(self) -> bool:
        """Write the file if a line was added since it was read; False when nothing was written."""
        if not self.new:
            return False
        now = {name: self.lines[name] for name in self.used if name in self.lines} | self.new
        room = min(len(now), self.max_lines - len(now))
        older = [item for item in self.lines.items() if item[0] not in now][-room:] if room > 0 else []
        self.lines = {**dict(older), **now}
        self.new, self.used = {}, set()
        if sum(map(len, self.lines.values())) + len(self.lines) > MAX_BYTES - 4096:
            return False  # it could never be read back (``read``): not written at all
        pieces = pack_lines(self.magic, self.key, list(self.lines.values()))
        return when_idle(self.kind, self.key, lambda: write(self.kind, self.key, pieces))

    def _load(self) -> dict[bytes, bytes]:
        lines = read_packed(self.kind, self.key, lambda blob: unpack_lines(self.magic, self.key, blob)) or []
        return {line[:NAME]: line for line in lines if len(line) > NAME}
