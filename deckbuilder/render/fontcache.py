"""TrueType fonts parsed once per user, not once per process.

reportlab parses a font file in Python when it is registered (DejaVu Sans: 12 ms; a CJK
font from the system far more). What it parses (names, metrics, the character-to-glyph map,
widths, glyph offsets) is stored in the user's cache folder (``deckbuilder.cache``), keyed
by a hash of the file's bytes, its path, the face index, reportlab's version and this
format's version; the next process builds the same font object from it
(``reportlab_seam.font_from_state``) and reads only the file's bytes, which subsetting needs.

The stored form is data only (a JSON header and arrays of 64-bit numbers, then the CRC-32 of
all of it), checked as it is read: nothing in it is executed or unpickled. Anything unexpected
reads as a miss, the font is parsed as before, and the entry is written again.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
import zlib
from array import array
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import Any

from .. import cache
from . import reportlab_seam

FORMAT = 2  # 2: the checksum covers the header (the font's scalars) too
KIND = "fonts"
MAGIC = b"deckbuilder font cache\n"
_HEADER = struct.Struct("<I")
_INT64 = (-(1 << 63), (1 << 63) - 1)


class Unsupported(ValueError):
    """A parsed value this format has no form for: the font is then not cached."""


def load_ttfont(name: str, path: Path | str, subfont_index: int = 0) -> Any:
    """``TTFont(name, path, subfontIndex=subfont_index)``, from the cache when the same file was
    parsed before; raises what ``TTFont`` raises for a file it cannot read."""
    from reportlab.pdfbase.ttfonts import TTFont

    path = str(path)
    if cache.cache_dir() is None:
        return TTFont(name, path, subfontIndex=subfont_index)
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return TTFont(name, path, subfontIndex=subfont_index)  # fails as reportlab fails
    key = cache_key(path, subfont_index, data)
    stored = cache.read(KIND, key)
    if stored is not None:
        try:
            return reportlab_seam.font_from_state(name, decode(stored, key), data, subfont_index)
        except Exception:  # noqa: BLE001 - any damage to a cache file is a miss, never a failed build
            pass
    font = TTFont(name, path, subfontIndex=subfont_index)
    if reportlab_seam.file_bytes(font) == data:  # not changed on disk between the two reads
        try:
            cache.write(KIND, key, encode(reportlab_seam.face_state(font), key))
        except Exception:  # noqa: BLE001 - Unsupported, or any surprise: the font is simply not cached
            pass
    return font


def cache_key(path: str, subfont_index: int, data: bytes) -> str:
    from reportlab import Version

    # surrogateescape: a file named in another encoding than the file system's (os.fsdecode)
    meta = f"{FORMAT}|{Version}|{sys.byteorder}|{path}|{subfont_index}|".encode("utf-8", "surrogateescape")
    return hashlib.sha256(meta + hashlib.sha256(data).digest()).hexdigest()[:40]


# --- the stored form ----------------------------------------------------------------------
# A node is a JSON list whose first item says what it is. Long lists and int-keyed maps (the
# glyph tables) go to arrays of int64 ('q') or float64 ('d') after the header, in order.

def encode(state: dict[str, Any], key: str) -> bytes:
    arrays: list[array[Any]] = []
    encoded = _encode(state, arrays)
    payload = b"".join(a.tobytes() for a in arrays)
    header = json.dumps({"key": key, "state": encoded, "arrays": [[a.typecode, len(a)] for a in arrays]},
                        separators=(",", ":")).encode()
    body = MAGIC + _HEADER.pack(len(header)) + header + payload
    return body + zlib.crc32(body).to_bytes(4, "big")  # the whole entry: the header holds the metrics


def decode(blob: bytes, key: str) -> dict[str, Any]:
    """The state stored in ``blob``; ValueError (or another exception) when it is not a whole,
    well-formed entry for ``key``.

    Only the scalars are decoded here. Each container (the glyph maps, the widths, the
    metrics, the table directory: 30,000 Python objects for one DejaVu face) comes back as a
    ``reportlab_seam.Deferred``, decoded the first time the font's face is asked for it: a
    glyph check reads the character map only, measuring reads the widths, and only drawing
    (subsetting) reads the metrics and glyph offsets; ``glyphToChar`` is never read after a
    parse. Everything that can be checked without building the values is checked now (the
    checksum, every node's form, array types, indices and lengths), so a damaged entry is a
    miss here, not a failure later (``font_from_state`` parses the font's bytes should a
    deferred value still fail to build).
    """
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _HEADER.size + 4:
        raise ValueError("not a font cache file")
    if zlib.crc32(memoryview(blob)[:-4]) != int.from_bytes(blob[-4:], "big"):
        raise ValueError("damaged: the checksum differs")  # a flipped bit must not change a width or the ascent
    entry = memoryview(blob)[:-4]
    start = len(MAGIC) + _HEADER.size
    (size,) = _HEADER.unpack_from(entry, len(MAGIC))
    header = json.loads(bytes(entry[start:start + size]))
    if not isinstance(header, dict) or header.get("key") != key:
        raise ValueError("a cache file for another font")
    arrays: list[array[Any]] = []
    offset = start + size
    for typecode, count in header["arrays"]:
        if typecode not in ("q", "d") or type(count) is not int or count < 0:
            raise ValueError("bad array")
        values = array(typecode)
        end = offset + count * values.itemsize
        if end > len(entry):
            raise ValueError("truncated")
        values.frombytes(entry[offset:end])  # numbers as machine words: Python objects only when decoded
        arrays.append(values)
        offset = end
    if offset != len(entry):
        raise ValueError("trailing bytes")
    node = header["state"]
    if type(node) is not list or len(node) != 2 or node[0] != "d" or type(node[1]) is not list:
        raise ValueError("state is not a mapping of names")
    state: dict[str, Any] = {}
    for pair in node[1]:
        if type(pair) is not list or len(pair) != 2:
            raise ValueError("bad pair")
        name, value = _decode(pair[0], arrays), pair[1]
        if not isinstance(name, str):
            raise ValueError("state is not a mapping of names")
        kind = _shape(value, arrays)
        if kind in (list, tuple, dict):
            state[name] = reportlab_seam.Deferred(kind, partial(_decode, value, arrays))
        else:
            state[name] = _decode(value, arrays)
    return state


def _ints(values: list[Any]) -> bool:
    if not all(type(v) is int for v in values):
        return False
    return not values or (_INT64[0] <= min(values) and max(values) <= _INT64[1])


def _exact(values: list[Any]) -> bool:
    """Every number survives a float64: ints within 2**53."""
    return all(type(v) is float or -(1 << 53) <= v <= 1 << 53 for v in values)


def _add(arrays: list[array[Any]], typecode: str, values: list[Any]) -> int:
    arrays.append(array(typecode, values))
    return len(arrays) - 1


def _encode(value: Any, arrays: list[array[Any]]) -> Any:
    kind = type(value)
    if value is None or kind in (bool, int, str, float):
        return ["n", value]
    if isinstance(value, bytes):
        if reportlab_seam.is_name_bytes(value):
            return ["nb", value.decode("latin-1"), value.ustr]  # type: ignore[attr-defined]
        if kind is bytes:
            return ["b", value.decode("latin-1")]
    if kind is tuple:
        return ["t", [_encode(v, arrays) for v in value]]
    if kind is list:
        if len(value) > 8 and _ints(value):
            return ["aq", _add(arrays, "q", value)]
        if len(value) > 8 and all(type(v) is float for v in value):
            return ["ad", _add(arrays, "d", value)]
        split = next((i for i, v in enumerate(value) if type(v) is not int), len(value))
        if len(value) > 8 and _ints(value[:split]) and all(type(v) is float for v in value[split:]):
            # ints, then floats: reportlab's hmetrics scale the advances after the last full metric
            return ["if", _add(arrays, "q", value[:split]), _add(arrays, "d", value[split:])]
        if len(value) > 8 and all(type(v) in (int, float) for v in value) and _exact(value):
            # ints and floats in any other order
            return ["an", _add(arrays, "d", [float(v) for v in value]),
                    _add(arrays, "q", [v if type(v) is int else 0 for v in value]),
                    _add(arrays, "q", [int(type(v) is int) for v in value])]
        if len(value) > 8 and all(type(v) is tuple and len(v) == 2 for v in value):
            return ["p", _encode([v[0] for v in value], arrays), _encode([v[1] for v in value], arrays)]
        return ["l", [_encode(v, arrays) for v in value]]
    if kind is dict:
        keys, values = list(value), list(value.values())
        if len(value) > 8 and _ints(keys):
            if _ints(values):
                return ["dqq", _add(arrays, "q", keys), _add(arrays, "q", values)]
            if all(type(v) is float for v in values):
                return ["dqd", _add(arrays, "q", keys), _add(arrays, "d", values)]
            if all(type(v) is list and v for v in values):  # glyph -> characters: mostly one each
                firsts, at, more = [v[0] for v in values], [], []
                for i, v in enumerate(values):
                    at += [i] * (len(v) - 1)
                    more += v[1:]
                if _ints(firsts) and _ints(more):
                    return ["dq1", _add(arrays, "q", keys), _add(arrays, "q", firsts), _add(arrays, "q", at),
                            _add(arrays, "q", more)]
            if all(type(v) is list for v in values):
                flat = [x for v in values for x in v]
                if _ints(flat):
                    return ["dql", _add(arrays, "q", keys), _add(arrays, "q", [len(v) for v in values]),
                            _add(arrays, "q", flat)]
        return ["d", [[_encode(k, arrays), _encode(v, arrays)] for k, v in value.items()]]
    raise Unsupported(f"no stored form for {kind.__name__}")


def _decode(node: Any, arrays: list[array[Any]]) -> Any:
    tag, *rest = node
    if tag == "n":
        (value,) = rest
        if value is not None and type(value) not in (bool, int, float, str):
            raise ValueError("bad scalar")
        return value
    if tag == "b":
        return rest[0].encode("latin-1")
    if tag == "nb":
        raw, text = rest
        if not isinstance(text, str):
            raise ValueError("bad name")
        return reportlab_seam.name_bytes(raw.encode("latin-1"), text)
    if tag in ("t", "l"):
        (items,) = rest
        if not isinstance(items, list):
            raise ValueError("bad list")
        decoded = [_decode(v, arrays) for v in items]
        return tuple(decoded) if tag == "t" else decoded
    if tag == "d":
        (pairs,) = rest
        return {_decode(k, arrays): _decode(v, arrays) for k, v in pairs}
    if tag in ("aq", "ad"):
        return _array(arrays, rest[0], tag[1])
    if tag == "if":
        return _array(arrays, rest[0], "q") + _array(arrays, rest[1], "d")
    if tag == "an":
        floats, ints, is_int = _array(arrays, rest[0], "d"), _array(arrays, rest[1], "q"), _array(arrays, rest[2], "q")
        if not len(floats) == len(ints) == len(is_int) or not set(is_int) <= {0, 1}:
            raise ValueError("bad mixed numbers")
        return list(map(tuple.__getitem__, zip(floats, ints), is_int))  # each the float or the int
    if tag == "p":
        first, second = _decode(rest[0], arrays), _decode(rest[1], arrays)
        if not isinstance(first, list) or not isinstance(second, list) or len(first) != len(second):
            raise ValueError("bad pairs")
        return list(zip(first, second))
    if tag in ("dqq", "dqd"):
        keys, values = _array(arrays, rest[0], "q"), _array(arrays, rest[1], tag[2])
        if len(keys) != len(values):
            raise ValueError("keys and values differ in number")
        return dict(zip(keys, values))
    if tag == "dq1":
        keys, firsts, at, more = (_array(arrays, i, "q") for i in rest)
        if len(keys) != len(firsts) or len(at) != len(more):
            raise ValueError("bad lists")
        lists = list(map(list, zip(firsts)))
        for i, value in zip(at, more):
            lists[i].append(value)
        return dict(zip(keys, lists))
    if tag == "dql":
        keys, counts, flat = (_array(arrays, i, "q") for i in rest)
        if len(keys) != len(counts) or sum(counts) != len(flat) or min(counts, default=0) < 0:
            raise ValueError("bad lists")
        ends = list(accumulate(counts))
        return dict(zip(keys, map(flat.__getitem__, map(slice, [0, *ends[:-1]], ends))))
    raise ValueError(f"unknown node {tag!r}")


def _array(arrays: list[array[Any]], index: Any, typecode: str) -> list[Any]:
    return _stored(arrays, index, typecode).tolist()


def _stored(arrays: list[array[Any]], index: Any, typecode: str) -> array[Any]:
    if type(index) is not int or not 0 <= index < len(arrays):
        raise ValueError("bad array index")
    if arrays[index].typecode != typecode:
        raise ValueError("array of the wrong type")
    return arrays[index]


_SCALARS = (type(None), bool, int, float, str)


def _shape(node: Any, arrays: list[array[Any]]) -> type:
    """The type ``_decode(node, arrays)`` gives, checked without building it: every node's form,
    its arrays' types and indices, and every length and index ``_decode`` relies on; ValueError
    for anything else, so that a deferred value can always be built."""
    if type(node) is not list or not node:
        raise ValueError("bad node")
    tag, rest = node[0], node[1:]
    if tag == "n" and len(rest) == 1:
        if type(rest[0]) not in _SCALARS:
            raise ValueError("bad scalar")
        return type(rest[0])
    if tag == "b" and len(rest) == 1 and type(rest[0]) is str:
        rest[0].encode("latin-1")
        return bytes
    if tag == "nb" and len(rest) == 2 and type(rest[0]) is str and type(rest[1]) is str:
        rest[0].encode("latin-1")
        return bytes
    if tag in ("t", "l") and len(rest) == 1 and type(rest[0]) is list:
        for item in rest[0]:
            _shape(item, arrays)
        return tuple if tag == "t" else list
    if tag == "d" and len(rest) == 1 and type(rest[0]) is list:
        for pair in rest[0]:
            if type(pair) is not list or len(pair) != 2 or not _hashable(pair[0], arrays):
                raise ValueError("bad pair")
            _shape(pair[1], arrays)
        return dict
    if tag in ("aq", "ad", "if", "an", "p"):
        _length(node, arrays)
        return list
    if tag in ("dqq", "dqd") and len(rest) == 2:
        if len(_stored(arrays, rest[0], "q")) != len(_stored(arrays, rest[1], tag[2])):
            raise ValueError("keys and values differ in number")
        return dict
    if tag == "dq1" and len(rest) == 4:
        keys, firsts, at, more = (_stored(arrays, i, "q") for i in rest)
        if len(keys) != len(firsts) or len(at) != len(more) or (at and not 0 <= min(at) <= max(at) < len(keys)):
            raise ValueError("bad lists")
        return dict
    if tag == "dql" and len(rest) == 3:
        keys, counts, flat = (_stored(arrays, i, "q") for i in rest)
        if len(keys) != len(counts) or sum(counts) != len(flat) or min(counts, default=0) < 0:
            raise ValueError("bad lists")
        return dict
    raise ValueError(f"unknown node {tag!r}")


def _hashable(node: Any, arrays: list[array[Any]]) -> bool:
    """A dict key's node gives a value a dict can hold: a scalar, bytes, or a tuple of those."""
    kind = _shape(node, arrays)
    if kind is tuple:
        return all(_hashable(item, arrays) for item in node[1])
    return kind not in (list, dict)


def _length(node: Any, arrays: list[array[Any]]) -> int:
    """The length of the list an array node gives, checked as ``_shape`` checks."""
    tag, rest = node[0], node[1:]
    if tag in ("aq", "ad") and len(rest) == 1:
        return len(_stored(arrays, rest[0], tag[1]))
    if tag == "if" and len(rest) == 2:
        return len(_stored(arrays, rest[0], "q")) + len(_stored(arrays, rest[1], "d"))
    if tag == "an" and len(rest) == 3:
        floats, ints, is_int = (_stored(arrays, i, c) for i, c in zip(rest, "dqq"))
        if not len(floats) == len(ints) == len(is_int) or not set(is_int) <= {0, 1}:
            raise ValueError("bad mixed numbers")
        return len(floats)
    if tag == "p" and len(rest) == 2:
        if _length(rest[0], arrays) != _length(rest[1], arrays):
            raise ValueError("bad pairs")
        return _length(rest[0], arrays)
    if tag == "l" and len(rest) == 1 and _shape(node, arrays) is list:
        return len(rest[0])
    raise ValueError("not a list")
