"""Warnings about a workspace's templates that no render would raise: a file that
overrides nothing (most likely in the wrong folder), characters no bundled font has."""

from __future__ import annotations

import difflib
from functools import lru_cache

import jinja2
from jinja2 import meta

from ..errors import Problem
from ..paths import is_inside
from .template_facts import TemplateFacts


@lru_cache(maxsize=8)
def workspace_warnings(facts: TemplateFacts, env: jinja2.Environment) -> tuple[Problem, ...]:
    """Warnings about the workspace's templates (kept until a file in templates/ changes):

    * a template that overrides nothing (no built-in has its path, and no workspace template
      includes, imports or extends it) while a built-in has its file name or a close path:
      it is most likely an override in the wrong folder, silently ignored;
    * characters in a used template's own text (not its comments) that no bundled font has:
      they would be left out of the PDFs without a word, as content's are not.

    Which templates the others use takes a parse of each; ``facts`` keeps that between runs.
    """
    workspace_dir, builtins = facts.workspace_dir, facts.builtins
    names = [n for n in facts.names if n.endswith(".j2") and not any(part.startswith(".") for part in n.split("/"))
             and is_inside(workspace_dir / n, [workspace_dir.parent])]  # a link leading out is refused, not read
    sources = {name: text for name in names if (text := facts.text(name)) is not None}
    refs = facts.references(lambda: references(env, sources))
    referenced = {n for name in names for n in refs.get(name) or ()}
    problems: list[Problem] = []
    for name in names:
        display = f"templates/{name}"
        if name in builtins or name in referenced:
            if name in sources:
                problems.extend(template_glyph_warnings(env, name, display, sources[name]))
            continue
        meant = _meant_builtin(name, builtins)
        if meant and not (workspace_dir / meant).is_file():  # is_file: also a case-insensitive disk's match
            problems.append(Problem(display, None, f"overrides nothing; did you mean templates/{meant}?",
                                    f"a file in templates/ replaces the built-in template at the same path: "
                                    f"move it to templates/{meant}", severity="warning"))
    return tuple(problems)


def references(env: jinja2.Environment, sources: dict[str, str]) -> dict[str, list[str] | None]:
    """The templates each of ``sources`` includes, imports or extends by a constant name, in
    the order they appear (``check`` reports their problems in that order); None for one that
    does not parse (reported when it is compiled or rendered)."""
    found: dict[str, list[str] | None] = {}
    for name, source in sources.items():
        try:
            found[name] = list(dict.fromkeys(n for n in meta.find_referenced_templates(env.parse(source)) if n))
        except (jinja2.TemplateError, RecursionError):
            found[name] = None
    return found


def _meant_builtin(name: str, builtins: frozenset[str]) -> str | None:
    """The built-in template a misplaced file was probably meant to override: one with the same
    file name (the closest path if several), else one whose path is close."""
    base = name.rsplit("/", 1)[-1].lower()
    same = sorted(b for b in builtins if b.rsplit("/", 1)[-1].lower() == base)
    if same:
        return max(same, key=lambda b: difflib.SequenceMatcher(None, name.lower(), b.lower()).ratio())
    lower = {b.lower(): b for b in sorted(builtins)}
    close = difflib.get_close_matches(name.lower(), list(lower), n=1, cutoff=0.8)
    return lower[close[0]] if close else None


def template_glyph_warnings(env: jinja2.Environment, name: str, display: str, source: str) -> list[Problem]:
    """One warning for the characters no bundled font has in a template's text and string
    literals (comments never print), at the first line that has one."""
    from .fonts import uncovered  # local: the font tables are only needed here

    if not uncovered("".join(dict.fromkeys(source))):  # each character once: every template has a newline,
        return []                                       # which sends uncovered() the slow way
    first: dict[str, int] = {}
    try:
        for token in env.lexer.tokenize(source, name):
            if token.type in ("data", "string"):
                for char in uncovered(token.value):
                    line = token.lineno + token.value[: token.value.index(char)].count("\n")
                    first[char] = min(first.get(char, line), line)
    except jinja2.TemplateSyntaxError:
        pass  # reported when the template is rendered; warn about what came before
    if not first:
        return []
    lines = set(first.values())
    chars = ", ".join(f"'{c}' (U+{ord(c):04X}{'' if len(lines) == 1 else f', line {n}'})"
                      for c, n in sorted(first.items(), key=lambda item: item[1]))
    return [Problem(display, min(lines), f"no bundled font has {chars}; it will be left out of the PDFs",
                    "replace it with a character the fonts have, or leave it if you do not need it printed",
                    severity="warning")]
