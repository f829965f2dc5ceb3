"""Reading one YAML file safely, keeping the line of every value.

PyYAML's ``safe_load`` throws positions away, and error messages that say
``file:line`` need them. So we compose the node tree (safe: no Python tags are ever
constructed) and build plain data ourselves, recording the line of each key path.

While building we also refuse what ``safe_load`` lets through silently: duplicate keys
(the later one would win without a word), alias bombs (a few lines that expand to
billions of nodes), and YAML 1.1 surprises such as ``13:00`` becoming the integer 780.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import Problem, UserError
from . import yamlcache

if TYPE_CHECKING:
    import yaml

KeyPath = tuple[str | int, ...]
Marks = dict[KeyPath, int]

_STR_TAG = "tag:yaml.org,2002:str"
_LOADER: Any = None  # made on first use (``_loader``); PyYAML is imported only to read a file the cache lacks


def _loader() -> Any:
    """The safe loader (libyaml's composer when present, about 10x faster; both are safe,
    neither constructs objects) with a quicker tag resolver for scalars (the composer asks
    once per value: 230,000 times for 10,000 stories, where PyYAML's general resolve took a
    second)."""
    global _LOADER
    if _LOADER is None:
        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class Loader(base):  # type: ignore[valid-type,misc]
            _implicit: ClassVar[dict[str, tuple]] = {first: tuple(pairs)
                                                     for first, pairs in base.yaml_implicit_resolvers.items()}

            def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
                if kind is yaml.ScalarNode and not self.yaml_path_resolvers:
                    if implicit[0]:
                        for tag, regexp in self._implicit.get(value[:1] if value else "", ()):
                            if regexp.match(value):
                                return tag
                    return _STR_TAG
                return super().resolve(kind, value, implicit)

        _LOADER = Loader
    return _LOADER


def prepare() -> None:
    """Import PyYAML and make the loader now, for a process that will read an edited file
    soon (``watch``): its first rebuild after a save then does not wait 12-18 ms for it."""
    _loader()


MAX_FILE_BYTES = 2 * 1024 * 1024
_LONGEST_INT = 10 ** 1000  # an int of more digits is refused: Python prints none over 4,300
MAX_NODES = 200_000
MAX_DEPTH = 50
MAX_TABLE_COLUMNS = 12  # as render.markup's: about 1.5 cm a column on a 3x5 card
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")  # |---|:--:|
MAX_FIELD_CHARS = 50_000  # one text value: about 8,000 words, a dozen packet pages; a card holds a few hundred


def _fail(name: str, line: int | None, message: str, hint: str | None = None) -> UserError:
    return UserError(Problem(name, line, message, hint))


def read_text(path: Path, name: str) -> str:
    """Read a content file as UTF-8 text, or explain in plain words why it is not one."""
    return _text(_read_bytes(path), path, name)


def _read_bytes(path: Path) -> bytes:
    with open(path, "rb") as stream:
        return stream.read(MAX_FILE_BYTES + 1)  # never more: a huge file is refused, not read whole


def _text(raw: bytes, path: Path, name: str) -> str:
    """``raw``, a content file's bytes, as UTF-8 text, or a UserError saying why it is not."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _fail(name, 1, "file is UTF-16 text (what Notepad calls 'Unicode'), not UTF-8",
                    "save it again as UTF-8 in your editor")
    if len(raw) > MAX_FILE_BYTES:
        size = max(len(raw), path.stat().st_size)
        raise _fail(name, 1, f"file is {size / 1e6:.1f} MB; content files are limited to "
                    f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
                    "a cue card holds a few hundred words: move long text out of content/")
    if b"\x00" in raw[:8192]:
        raise _fail(name, 1, "this is a binary file, not YAML text",
                    "keep only .yaml files in content/ (move images and documents elsewhere)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start]
        try:
            meant = f" (probably '{bytes([byte]).decode('cp1252')}' saved as Windows-1252)"
        except UnicodeDecodeError:
            meant = ""
        raise _fail(name, line, f"file is not UTF-8 text: byte 0x{byte:02x} on this line cannot be read{meant}",
                    "save the file again as UTF-8 (Notepad: Save As, Encoding: UTF-8; VS Code: click the "
                    "encoding in the status bar, Reopen with Encoding: Windows 1252, then Save with Encoding: "
                    "UTF-8)") from None
    return text


def load_yaml(path: Path, name: str | None = None, digest: Any = None) -> tuple[Any, Marks]:
    """Parse ``path`` into plain data plus a map from key path to 1-based line number.

    What a file that reads without a problem gives is kept in the user's cache folder
    (``yamlcache``) and given back while the file's bytes stay the same. ``digest`` (a
    hashlib object) is fed the file's name and the bytes read: the key of what the
    content's checks said (``checkstore``)."""
    name = name or str(path)
    raw = _read_bytes(path)
    if digest is not None:
        digest.update(f"{len(name)}:{name}:{len(raw)}:".encode("utf-8", "surrogatepass") + raw)
    stored = yamlcache.read(path, raw) if len(raw) <= MAX_FILE_BYTES else None
    if stored is not None:
        return stored
    text = _text(raw, path, name)
    import yaml

    if not text.strip():
        raise _fail(name, 1, "file is empty", "add content to it, or delete it")
    too_deep = nesting_beyond(text, MAX_DEPTH)
    if too_deep:
        raise _nesting_error(name, too_deep)
    try:
        nodes = list(yaml.compose_all(text, Loader=_loader()))
    except yaml.reader.ReaderError as exc:  # a control character, which YAML forbids
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        raise _fail(name, line, f"YAML cannot hold the control character U+{exc.character:04X}",
                    "delete it (it is invisible in most editors: retype the line)") from None
    except yaml.MarkedYAMLError as exc:
        what = exc.problem or str(exc)
        mark = exc.problem_mark or exc.context_mark
        if "end of stream" in what and exc.context_mark:  # an unclosed quote or bracket: point at its start
            mark = exc.context_mark
            what = "a quote or bracket opened on this line is never closed"
        if "maximum nesting depth" in what:  # libyaml 0.2.6 stops runaway brackets itself
            raise _fail(name, (mark.line + 1) if mark else None, f"values are nested more than {MAX_DEPTH} levels "
                        "deep", "content files need a few levels: check for runaway brackets") from None
        line = mark.line + 1 if mark else None
        lines = text.splitlines()
        source_line = lines[line - 1] if line and line <= len(lines) else ""
        hint = _indent_hint(what, lines, line, mark.column) if line and mark else None
        raise _fail(name, line, f"YAML syntax error: {what}", hint or _syntax_hint(what, source_line)) from None
    except yaml.YAMLError as exc:
        raise _fail(name, None, f"YAML error: {exc}", "check the file's indentation and quotes") from None
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        raise _fail(name, 1, "file has no content (only comments)", "add content to it, or delete it")
    if len(nodes) > 1:
        raise _fail(name, nodes[1].start_mark.line + 1, "file holds more than one YAML document ('---')",
                    "keep one document per file: remove the extra '---' line")
    builder = _Builder(name)
    data = builder.build(nodes[0], ())
    yamlcache.write(path, raw, data, builder.marks)
    return data, builder.marks


def _nesting_error(name: str, line: int) -> UserError:
    return _fail(name, line, f"values are nested more than {MAX_DEPTH} levels deep",
                 "content files need a few levels: check for runaway brackets or indentation")


_DASHES = re.compile(r"(?:- +)*")  # a line's '- ' prefixes, each a level
_STRUCTURE = re.compile(r"['\"\[\]{}#]")  # what nesting_beyond's character loop acts on, outside quotes
_BLOCK_SCALAR = re.compile(r"(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$")


def nesting_beyond(text: str, limit: int) -> int | None:
    """The 1-based line where ``text`` first nests deeper than ``limit``, or None.

    Runs before any YAML parser sees the text, because parsers disagree about deep
    nesting: PyYAML 6.0.4's libyaml stops with its own message, 6.0.3's libyaml has no
    limit and crashes the process (status 139) near 30,000 levels, and the pure-Python
    loader raises RecursionError. One linear pass counts flow brackets (outside quotes
    and comments) plus block levels (indentation steps and '- ' prefixes), skipping the
    text of block scalars (``|`` and ``>``), which YAML does not read as structure. It
    over-counts rather than under-counts, and real content stays far below the limit.
    """
    flow = 0
    indents: list[int] = []
    scalar_indent: int | None = None  # inside a block scalar started on a line with this indent
    quote = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if scalar_indent is not None:
            if not stripped.strip() or indent > scalar_indent:
                continue
            scalar_indent = None
        if not stripped.strip() or (stripped.startswith("#") and not quote):
            continue
        if not flow and not quote:
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            dashes = _DASHES.match(stripped).group(0).count("-") if stripped[0] == "-" else 0  # type: ignore[union-attr]
            if len(indents) + dashes > limit:
                return number
        last = ""  # the last non-space character outside quotes on this line
        escaped = previous = ""
        # A line outside quotes with no quote, bracket, brace or '#' changes nothing the loop
        # tracks (most lines of prose): skip its characters (79 ms -> 4 ms on 500 KB of cards).
        for char in stripped if quote or _STRUCTURE.search(stripped) else ():
            if quote:
                if escaped:
                    escaped = ""
                elif char == "\\" and quote == '"':
                    escaped = char
                elif char == quote:
                    quote, last = "", char
            elif char == "#" and previous in ("", " ", "\t"):
                break
            elif char in "'\"" and last in ("", ":", "-", "?", "[", "{", ","):
                quote = char
            elif char in "[{" and (flow or last in ("", ":", "-", "?")):
                flow += 1
                if flow + len(indents) > limit:
                    return number
            elif char in "]}" and flow:
                flow -= 1
            if char not in " \t" and not quote:
                last = char
            previous = char
        if not flow and not quote and _BLOCK_SCALAR.search(stripped):
            scalar_indent = indent
    return None


_KEY_AT_START = re.compile(r"^ *(?:- +)?([^\s#:][^:]*?):(?: |$)")


def _indent_hint(problem: str, lines: list[str], line: int, column: int) -> str | None:
    """For 'mapping values are not allowed' at a line's own first key: the line is indented
    more than the key line above it, so YAML read it as the rest of that line's value. The
    usual cause is a key above that lost (or a key here that gained) a few spaces, not a
    colon to quote; say which two lines disagree."""
    if "mapping values are not allowed" not in problem:
        return None
    here = _KEY_AT_START.match(lines[line - 1])
    if not here or column != here.end(1):
        return None  # the colon is further along the line: a value with ': ' in it
    for above_number in range(line - 1, 0, -1):
        above = lines[above_number - 1]
        if above.strip() and not above.lstrip().startswith("#"):
            key = _KEY_AT_START.match(above)
            if key and key.start(1) < here.start(1):
                return (f"'{here.group(1)}:' is indented more than '{key.group(1)}:' on line {above_number}, so YAML "
                        f"reads it as part of that value: keys that belong together start in the same column")
            return None
    return None


def _syntax_hint(problem: str, source_line: str = "") -> str:
    if "never closed" in problem:
        return "add the closing quote or bracket (a quote inside quoted text is written twice: 'it''s')"
    if "tab" in problem or "\t" in source_line[: len(source_line) - len(source_line.lstrip())]:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"Phase 1: Why\""
    if "could not find expected ':'" in problem:
        return "every line in a mapping needs 'key: value'; check the line above for a missing colon or quote"
    if "found character '@'" in problem or "found character '`'" in problem:
        return "values that start with @ or ` must be quoted"
    return "check indentation and quotes on this line and the one above"


_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in
               ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge")}


class _Builder:
    """Turns a composed node tree into plain Python data, with line marks and limits."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.marks: Marks = {}
        self.count = 0
        self.active: set[int] = set()
        self.explicit_keys: set[KeyPath] = set()
        import yaml

        self.constructor = yaml.constructor.SafeConstructor()
        self.constructor_error = yaml.constructor.ConstructorError
        self.nodes = yaml.MappingNode, yaml.SequenceNode, yaml.ScalarNode

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _fail(self.name, node.start_mark.line + 1,
                        f"file expands to more than {MAX_NODES:,} values (YAML anchors/aliases used as a bomb?)",
                        "remove the '&anchor' / '*alias' references")
        if len(path) > MAX_DEPTH:
            raise _nesting_error(self.name, node.start_mark.line + 1)
        if id(node) in self.active:
            raise _fail(self.name, node.start_mark.line + 1, "an alias refers to itself",
                        "remove the recursive '*alias'")
        self.marks.setdefault(path, node.start_mark.line + 1)
        if node.tag not in _PLAIN_TAGS:
            raise _fail(self.name, node.start_mark.line + 1,
                        f"cannot read value: YAML tag '{node.tag}' is not supported",
                        "remove the '!' tag and write plain text, lists and mappings")
        mapping, sequence, scalar = self.nodes
        if isinstance(node, mapping):
            return self._mapping(node, path)
        if isinstance(node, sequence):
            self.active.add(id(node))
            try:
                return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
            finally:
                self.active.discard(id(node))
        assert isinstance(node, scalar)
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        self.active.add(id(node))
        try:
            explicit = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
            self.constructor.flatten_mapping(node)  # merged ('<<: *base') pairs come first
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, self.nodes[2]):
                    raise _fail(self.name, key_node.start_mark.line + 1, "a key must be a plain word",
                                "write 'key: value'")
                key = str(self._scalar(key_node))
                if key in result and id(key_node) in explicit and (path + (key,)) in self.explicit_keys:
                    raise _fail(self.name, key_node.start_mark.line + 1,
                                f"duplicate key '{key}' (first given on line {self.marks[path + (key,)]})",
                                "remove one of the two; YAML would silently keep only the last")
                self.marks[path + (key,)] = key_node.start_mark.line + 1
                if id(key_node) in explicit:  # an explicit key overrides one merged in
                    self.explicit_keys.add(path + (key,))
                result[key] = self.build(value_node, path + (key,))
            return result
        finally:
            self.active.discard(id(node))

    def _check_tables(self, node: yaml.ScalarNode) -> None:
        """A Markdown table with more columns than a card can hold is refused here, where its
        line is known, so that check stops at it as build would."""
        for n, text in enumerate(node.value.split("\n")):
            if "|" in text and _TABLE_RULE.match(text):
                columns = text.strip().strip("|").count("|") + 1
                if columns > MAX_TABLE_COLUMNS:
                    line = node.start_mark.line + 1 + n + (1 if node.style in ("|", ">") else 0)
                    raise _fail(self.name, line, f"this Markdown table has {columns} columns; a card or page "
                                f"holds at most {MAX_TABLE_COLUMNS}",
                                "split it into narrower tables, or write the rows as a list")

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if "|" in node.value and "-" in node.value:
            self._check_tables(node)
        if len(node.value) > MAX_FIELD_CHARS:
            raise _fail(self.name, node.start_mark.line + 1, f"this value is {len(node.value):,} characters long; "
                        f"a text value is limited to {MAX_FIELD_CHARS:,}",
                        "a card holds a few hundred words: keep the essentials here and the rest in your own notes")
        if tag == "tag:yaml.org,2002:str":
            return node.value  # what SafeConstructor returns, without its bookkeeping (a third of a big load)
        if tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text; the model parses them
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in node.value:
            return node.value  # YAML 1.1 reads 13:00 as 780; a person means a time
        try:
            value = self.constructor.construct_object(node, deep=True)
        except self.constructor_error as exc:
            raise _fail(self.name, node.start_mark.line + 1, f"cannot read value: {exc.problem}",
                        "quote the value to keep it as text") from None
        except ValueError:  # int() of more digits than Python reads (sys.get_int_max_str_digits)
            value = _LONGEST_INT
        if type(value) is int and not -_LONGEST_INT < value < _LONGEST_INT:
            # no one means a number this long, and Python cannot print it (nor messages about it)
            raise _fail(self.name, node.start_mark.line + 1,
                        f"cannot read value: a number of {len(node.value):,} characters",
                        "quote the value to keep it as text, or shorten it") from None
        return value
