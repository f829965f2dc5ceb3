"""Loading and checking a workspace's content/ folder.

Every file is read and validated before anything is reported, so that one run shows
all problems at once, each with ``file:line``, the key path and a hint.
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any, Iterator

from pydantic import BaseModel, ValidationError

from ..errors import Report, UserError
from .model import (FRAMEWORK_SECTIONS, LIST_SECTIONS, SINGLE_SECTIONS, Content, ContentFile, Item)
from .principles import PrincipleMatcher, builtin_set, did_you_mean, normalise
from .yamlload import KeyPath, Marks, load_yaml

CONTENT_SUFFIXES = (".yaml", ".yml")


IGNORED_QUIETLY = {"deckbuilder.schema.json", "README.md", "readme.md", ".DS_Store"}


def content_files(content_dir: Path, report: Report | None = None, display_root: Path | None = None) -> list[Path]:
    """The YAML files of a content folder, in name order (the order lists merge in).

    Other files are skipped with a warning (a photo dropped into content/ is not an error,
    but the user should know it is not read). Files reached through a link that leads
    outside the workspace are refused: nothing is read from outside it.
    """
    root = (display_root or content_dir.parent).resolve()
    chosen = []
    for path in sorted(content_dir.rglob("*")):
        rel = path.relative_to(content_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_symlink() and not path.exists():
            if report is not None and path.suffix.lower() in CONTENT_SUFFIXES:
                report.error(_display(path, display_root or content_dir.parent), None,
                             "this file is a link to something that no longer exists",
                             "copy the file it pointed to back into content/, or delete the link")
            continue
        if not path.is_file():
            continue
        shown = _display(path, display_root or content_dir.parent)
        if not path.resolve().is_relative_to(root):
            if report is not None:
                report.error(shown, None, "this file is a link to a place outside the workspace",
                             "copy the file into content/ instead of linking to it")
            continue
        if path.suffix.lower() in CONTENT_SUFFIXES:
            chosen.append(path)
        elif report is not None and path.name not in IGNORED_QUIETLY:
            report.warn(shown, None, "not a .yaml file; it is not read", "content/ holds only YAML files")
    return chosen


def load_content(content_dir: Path, display_root: Path | None = None) -> tuple[Content, Report]:
    """Read, validate, merge and cross-check every content file.

    Raises UserError listing every error found; warnings come back in the Report.
    """
    report = Report()
    display_root = display_root or content_dir.parent
    if not content_dir.is_dir():
        raise UserError(f"no content/ folder in {display_root}", file=str(display_root),
                        hint="run 'deckbuilder new DIR' to start a workspace, or cd into one")
    files = content_files(content_dir, report, display_root)
    report.raise_if_errors()
    if not files:
        raise UserError("content/ holds no .yaml files", file=_display(content_dir, display_root),
                        hint="run 'deckbuilder new DIR' for a starting example")
    parsed: list[tuple[str, ContentFile]] = []
    unseen = Unseen()
    for path in files:
        name = _display(path, display_root)
        try:
            data, marks = load_yaml(path, name)
        except UserError as exc:
            report.problems.extend(exc.problems)
            unseen.note_unreadable(path)
            continue
        model = _validate_file(data, marks, name, report, unseen)
        if model is not None:
            parsed.append((name, model))
    errors_before = len(report.errors)
    content = _merge(parsed, report)
    if len(report.errors) == errors_before:
        # Even when some files or items are wrong, check what was read, so one run shows the
        # typo'd principle as well as the broken number; but stay quiet about what may hang
        # on the parts that could not be read.
        from ..render.fonts import use_workspace  # its fonts/ folder, for characters no bundled font has

        use_workspace(content_dir.parent)
        cross_check(content, report, unseen)
    report.raise_if_errors()
    return content, report


class Unseen:
    """What the content may hold that could not be read: cross checks must not call a story
    id unknown because the story that defines it has a typo of its own."""

    def __init__(self) -> None:
        self.story_ids: set[str] = set()
        self.principles = False  # a custom principle set may be among what was not read
        self.anything = False

    def note_item(self, section: str, raw: Any) -> None:
        self.anything = True
        if section == "stories" and isinstance(raw, dict) and raw.get("id") is not None:
            self.story_ids.add(str(raw["id"]))
        if section == "principles":
            self.principles = True

    def note_unreadable(self, path: Path) -> None:
        """A file that is not even YAML: guess from its text what it defines."""
        self.anything = True
        try:
            text = path.read_text("utf-8", errors="replace")
        except OSError:
            self.principles = True
            return
        self.story_ids.update(re.findall(r"^[\s-]*id:\s*['\"]?([^'\"\s#]+)", text, re.M))
        if re.search(r"^principles\s*:", text, re.M):
            self.principles = True


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- per-file validation

def _validate_file(data: Any, marks: Marks, name: str, report: Report, unseen: Unseen) -> ContentFile | None:
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        report.error(name, 1, f"file holds {kind}, but a content file is a mapping of sections",
                     "start with a section name such as 'stories:' and indent the list under it")
        return None
    try:
        model = ContentFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        for err in errors:
            if not _explained_by_typo(err, errors):
                _report_pydantic(err, marks, name, report)
        return _salvage(data, marks, name, unseen)
    _attach_sources(model, (), marks, name)
    return model


def _salvage(data: dict, marks: Marks, name: str, unseen: Unseen) -> ContentFile:
    """The sections and list items of a file that are valid on their own (their errors are
    already reported), so the cross checks can still look at them; the rest is noted unseen."""
    kept: dict[str, Any] = {}
    for section, value in data.items():
        if section in SINGLE_SECTIONS:
            try:
                kept[section] = getattr(ContentFile.model_validate({section: value}), section)
                _attach_sources(kept[section], (section,), marks, name)
            except ValidationError:
                unseen.note_item(section, value)
        elif section in LIST_SECTIONS and isinstance(value, list):
            kept[section] = []
            for index, raw in enumerate(value):
                try:
                    item = getattr(ContentFile.model_validate({section: [raw]}), section)[0]
                except ValidationError:
                    unseen.note_item(section, raw)
                    continue
                _attach_sources(item, (section, index), marks, name)
                kept[section].append(item)
        else:
            unseen.note_item(str(section), value)
    return ContentFile.model_construct(**{**{f: getattr(ContentFile(), f) for f in ContentFile.model_fields}, **kept})


def _explained_by_typo(err: dict, errors: list[dict]) -> bool:
    """A missing key next to an unknown key that is its misspelling ('titel' for 'title')
    is one mistake, reported once as the unknown key with its 'did you mean'."""
    if err["type"] != "missing":
        return False
    parent, wanted = tuple(err["loc"][:-1]), str(err["loc"][-1])
    for other in errors:
        if other["type"] == "extra_forbidden" and tuple(other["loc"][:-1]) == parent:
            if did_you_mean(str(other["loc"][-1]), [wanted]):
                return True
    return False


def _line_for(loc: KeyPath, marks: Marks) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in marks:
            return marks[loc[:cut]]
    return None


def _key_text(loc: KeyPath) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_PLAIN_WORDS = {
    "string_too_short": ("is empty", "write something here, or leave the key out if it is optional"),
    "too_short": ("needs at least one item", "add an item as a line starting with '- '"),
}

_TYPE_WORDS = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list (lines starting with '- ')",
    "dict_type": "expected a mapping (lines of 'key: value')",
    "model_type": "expected a mapping (lines of 'key: value')",
    "model_attributes_type": "expected a mapping (lines of 'key: value')",
    "date_from_datetime_parsing": "expected a date like 2025-10-09",
    "date_parsing": "expected a date like 2025-10-09",
}


def _report_pydantic(err: dict, marks: Marks, name: str, report: Report) -> None:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    kind = err["type"]
    line = _line_for(loc, marks)
    key = _key_text(loc)
    if kind == "extra_forbidden":
        field = str(loc[-1])
        allowed = _allowed_keys(loc[:-1])
        guess = did_you_mean(field, allowed) if allowed else None
        hint = f"did you mean '{guess}'?" if guess else (f"allowed keys here: {', '.join(allowed)}" if allowed else None)
        report.error(name, line, f"unknown key '{field}'", hint, key)
        return
    if kind == "missing":
        report.error(name, line, f"missing required key '{loc[-1]}'", f"add '{loc[-1]}:' here", _key_text(loc[:-1]) or None)
        return
    if kind in _TYPE_WORDS and err.get("input", "") is None:  # "answer:" with nothing after it
        kind = "string_too_short"
    if kind in _PLAIN_WORDS:
        message, hint = _PLAIN_WORDS[kind]
        report.error(name, line, f"'{loc[-1]}' {message}" if loc else message, hint, key)
        return
    if kind in _BOUND_WORDS:
        limit = next(iter(err.get("ctx", {}).values()), "?")
        description = _field_description(loc)
        hint = f"{loc[-1]}: {description[0].lower()}{description[1:]}" if description else None
        report.error(name, line, f"'{loc[-1]}' must be {_BOUND_WORDS[kind]} {limit}, got {err.get('input')!r}",
                     hint, key)
        return
    message = _TYPE_WORDS.get(kind) or err["msg"].removeprefix("Value error, ")
    given = err.get("input")
    if kind in _TYPE_WORDS and given is not None and not isinstance(given, (dict, list)):
        message += f", got {given!r}"
    elif kind in _TYPE_WORDS and isinstance(given, (dict, list)):
        message += f", got a {'list' if isinstance(given, list) else 'mapping'}"
    hint = None
    if kind == "string_type" and isinstance(given, bool):
        hint = "YAML reads yes/no/on/off/true/false as true or false: put the text in quotes, e.g. \"No\""
    elif kind == "literal_error" and isinstance(given, str):
        choices = [c.strip(" '") for c in err.get("ctx", {}).get("expected", "").replace(" or ", ", ").split(",")]
        guess = did_you_mean(given, [c for c in choices if c])
        hint = f"did you mean '{guess}'?" if guess else None
    elif kind == "string_pattern_mismatch":
        hint = "use letters, digits, '-', '_' or '.', starting with a letter or digit"
    elif kind == "string_too_long":
        hint = "shorten it"
    elif kind.startswith("date_"):
        hint = "write it year-month-day, which no reader can take the wrong way: 2026-10-09 is 9 October 2026"
    report.error(name, line, message, hint, key)


_BOUND_WORDS = {"less_than_equal": "at most", "less_than": "less than",
                "greater_than_equal": "at least", "greater_than": "more than"}


def _field_description(loc: KeyPath) -> str | None:
    """The model's description of the field at ``loc`` (what it means, its range), if any."""
    model = _model_at(loc[:-1]) if loc and isinstance(loc[-1], str) else None
    field = model.model_fields.get(str(loc[-1])) if model else None
    return field.description if field else None


def _allowed_keys(loc: KeyPath) -> list[str]:
    """Field names of the model found at ``loc`` inside a content file, for 'did you mean'."""
    model = _model_at(loc)
    return list(model.model_fields) if model else []


def _model_at(loc: KeyPath) -> type[BaseModel] | None:
    """The model found at ``loc`` inside a content file, or None where there is none."""
    model: Any = ContentFile
    for part in loc:
        model = _unwrap(model)
        if isinstance(part, int):
            args = typing.get_args(model)
            model = args[0] if args else None
        elif isinstance(model, type) and issubclass(model, BaseModel) and part in model.model_fields:
            model = model.model_fields[part].annotation
        else:
            return None
    model = _unwrap(model)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] and Annotated[...] down to the model or list type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _attach_sources(obj: Any, path: KeyPath, marks: Marks, name: str) -> None:
    """Record on every content object which file and line it came from."""
    if isinstance(obj, Item):
        obj._file, obj._line, obj._path, obj._marks = name, _line_for(path, marks), path, marks
        for field in type(obj).model_fields:
            _attach_sources(getattr(obj, field), path + (field,), marks, name)
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            _attach_sources(item, path + (i,), marks, name)


def where(obj: Item, *keys: str | int) -> tuple[str | None, int | None]:
    """(file, line) of ``obj`` or of one of its keys, for error messages."""
    marks: Marks = obj._marks
    if keys:
        line = _line_for(obj._path + tuple(keys), marks)
        return obj._file, line
    return obj._file, obj._line


# ---------------------------------------------------------------- merging

def _merge(parsed: list[tuple[str, ContentFile]], report: Report) -> Content:
    errors_before = len(report.errors)
    singles: dict[str, Any] = {}
    lists: dict[str, list] = {section: [] for section in LIST_SECTIONS}
    for name, model in parsed:
        for section in SINGLE_SECTIONS:
            value = getattr(model, section)
            if value is None:
                continue
            if section in singles:
                first = singles[section]
                report.error(name, value._line, f"'{section}' is already given in {first._file}:{first._line}",
                             "keep one of them; single sections may appear in only one file")
                continue
            singles[section] = value
        for section in LIST_SECTIONS:
            lists[section].extend(getattr(model, section))
    if len(report.errors) > errors_before:
        return Content(principles=builtin_set())
    principle_set = singles.pop("principles", None) or builtin_set()
    return Content(principles=principle_set, **{k: v for k, v in singles.items() if v is not None}, **lists)


# ---------------------------------------------------------------- cross checks

def cross_check(content: Content, report: Report, unseen: Unseen | None = None) -> None:
    """Checks that span files: ids, principle names, story references, framework sections.

    With ``unseen`` (parts of the content that could not be read), a principle name or story
    id that may be defined there is not reported as unknown.
    """
    unseen = unseen or Unseen()
    _check_principle_names(content, report)
    matcher = PrincipleMatcher(content.principles)
    _check_unique_ids(content.stories, "story", report)
    _check_unique_ids(content.projects, "project", report)
    _check_unique_labels(content.stories, report)
    for story in content.stories:
        for field in ("primary", "secondary"):
            names = getattr(story, field)
            for i, written in enumerate(names):
                canonical = _canonical_principle(written, matcher, story, (field, i), report, unseen)
                if canonical:
                    names[i] = canonical
        _check_sections(story, report)
    for entry in content.question_bank:
        canonical = _canonical_principle(entry.principle, matcher, entry, ("principle",), report, unseen)
        if canonical:
            entry.principle = canonical
        for question in entry.questions:
            for i, story_id in enumerate(question.stories):
                if content.story(story_id) is None and story_id not in unseen.story_ids:
                    guess = did_you_mean(story_id, [s.id for s in content.stories])
                    file, line = where(question, "stories", i)
                    report.error(file, line, f"unknown story id '{story_id}'",
                                 f"did you mean '{guess}'?" if guess else "story ids are listed under 'stories:'",
                                 "question_bank")
    for project in content.projects:
        seen: dict[int, Any] = {}
        for phase in project.phases:
            if phase.number in seen:
                file, line = where(phase, "number")
                report.error(file, line, f"phase number {phase.number} is used twice in project '{project.id}'",
                             "number phases 1, 2, 3, ... in speaking order")
            seen[phase.number] = phase
    _check_glyphs(content, report)


def _check_principle_names(content: Content, report: Report) -> None:
    """Two principles of a custom set must not share a name, short name or alias (after
    folding case and '&'): the second could never be matched and would always look uncovered."""
    owner: dict[str, Any] = {}
    for principle in content.principles.principles:
        for written in {principle.name, principle.short or "", *principle.aliases} - {""}:
            key = normalise(written)
            first = owner.setdefault(key, principle)
            if first is not principle:
                file, line = where(principle)
                report.error(file, line, f"principle '{principle.name}' has the name '{written}', which "
                             f"'{first.name}' already uses", "give every principle its own names and aliases",
                             "principles")


def _check_unique_ids(items: list, kind: str, report: Report) -> None:
    first: dict[str, Item] = {}
    for item in items:
        if item.id in first:
            f0, l0 = where(first[item.id])
            file, line = where(item, "id")
            report.error(file, line, f"duplicate {kind} id '{item.id}' (first used at {f0}:{l0})",
                         f"give each {kind} its own id")
        else:
            first[item.id] = item


def _check_unique_labels(stories: list, report: Report) -> None:
    """Labels head the matrix columns: two stories with one label make two columns nobody can
    tell apart. A warning, not an error: the night before, a build should still go through."""
    first: dict[str, Item] = {}
    for story in stories:
        key = " ".join(story.label.casefold().split())
        if key in first:
            f0, l0 = where(first[key], "label")
            file, line = where(story, "label")
            report.warn(file, line, f"stories '{first[key].id}' and '{story.id}' have the same label "
                        f"'{story.label}' (first at {f0}:{l0})",
                        "labels head the matrix columns; give each story its own", "stories")
        else:
            first[key] = story


def _canonical_principle(written: str, matcher: PrincipleMatcher, obj: Item, keys: tuple,
                         report: Report, unseen: Unseen) -> str | None:
    canonical = matcher.match(written)
    if canonical or unseen.principles:
        return canonical
    guess = matcher.closest(written)
    file, line = where(obj, *keys)
    report.error(file, line, f"unknown principle '{written}'",
                 f"did you mean '{guess}'?" if guess else f"principles are: {', '.join(matcher.names)}")
    return None


def _check_sections(story: Any, report: Report) -> None:
    expected = FRAMEWORK_SECTIONS.get(story.framework)
    if expected is None:
        if not story.sections:
            file, line = where(story, "sections")
            report.error(file, line, f"story '{story.id}' has no sections", "add at least one 'name: text' section")
        return
    for key in story.sections:
        if key.lower() not in expected:
            guess = did_you_mean(key, expected)
            file, line = where(story, "sections", key)
            report.error(file, line, f"'{key}' is not a {story.framework} section",
                         f"did you mean '{guess}'?" if guess else
                         f"{story.framework} sections are {', '.join(expected)}; or set framework: free")
    present = {k.lower() for k in story.sections}
    missing = [s for s in expected if s not in present]
    if missing:
        file, line = where(story, "sections")
        report.error(file, line, f"story '{story.id}' is missing {story.framework} section(s): {', '.join(missing)}",
                     "add them, or set framework: free for your own section names")


def iter_texts(obj: Any, owner: Item | None = None, rel: KeyPath = ()) -> Iterator[tuple[Item | None, KeyPath, str]]:
    """Every text value in the content, with the nearest content object holding it and the
    key path from that object (so a warning can point at the right file and line)."""
    if isinstance(obj, BaseModel):
        if isinstance(obj, Item):
            owner, rel = obj, ()
        for field in type(obj).model_fields:
            yield from iter_texts(getattr(obj, field), owner, rel + (field,))
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from iter_texts(value, owner, rel + (key,))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from iter_texts(value, owner, rel + (i,))
    elif isinstance(obj, str):
        yield owner, rel, obj


def _check_glyphs(content: Content, report: Report) -> None:
    """Warn about characters no bundled font can draw, naming file, line and character."""
    from ..render.fallback import missing_hint
    from ..render.fonts import uncovered  # local: the font tables are only needed here

    for owner, key, text in iter_texts(content):
        missing = uncovered(text)
        if not missing:
            continue
        file, line = where(owner, *key) if owner is not None else (None, None)
        chars = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
        report.warn(file, line, f"no font has {chars}; it will be left out of the PDFs", missing_hint(missing),
                    _key_text(owner._path + key) if owner is not None else None)
