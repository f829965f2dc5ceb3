"""The sandbox's size limits (deckbuilder.render.limits): what a real template writes passes,
a width, format or replace that would make megabytes is refused before it is made."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from deckbuilder.errors import Problem, UserError
from deckbuilder.render import limits
from deckbuilder.render.limits import LimitError


def _render(source: str, **context) -> str:
    from deckbuilder.render.templates import _environment, builtin_template_dir

    return _environment(None, builtin_template_dir(), frozenset()).from_string(source).render(**context)


@pytest.mark.parametrize("source, expected", [
    ('{{ "ab"|center(6) }}|', "  ab  |"),
    ('{{ "a\\nb"|indent(2) }}', "a\n  b"),
    ('{{ "%5.1f" % 3.14159 }}', "  3.1"),
    ('{{ "%(n)03d" % {"n": 7} }}', "007"),
    ('{{ 7 % 3 }}', "1"),
    ('{{ "%d%% 250000 users" % 93 }}', "93% 250000 users"),
    ('{{ "%s-%s"|format("a", "b") }}', "a-b"),
    ('{{ "{:>4}".format(12) }}', "  12"),
    ('{{ "{:>{w}}".format(1, w=3) }}', "  1"),
    ('{{ "x".ljust(3, ".") }}', "x.."),
    ('{{ "banana"|replace("a", "o") }}', "bonono"),
    ('{{ "a-b".replace("-", " · ") }}', "a · b"),
    ('{{ [1, 2, 3]|batch(2)|list|length }}', "2"),
])
def test_what_templates_really_write_passes(source, expected):
    assert _render(source) == expected


@pytest.mark.parametrize("source, message", [
    ('{{ "x"|center(10**9) }}', "the filter 'center' was given 1,000,000,000"),
    ('{{ "x"|wordwrap(20000) }}', "the filter 'wordwrap' was given 20,000"),
    ('{{ [1]|batch(10**8, 0)|list }}', "the filter 'batch' was given 100,000,000"),
    ('{{ "x".zfill(10**9) }}', "'.zfill()' was given 1,000,000,000"),
    ('{{ "%-20000s" % "x" }}', "asks for a width of 20,000"),
    ('{{ "%.20000f" % 1 }}', "asks for a width of 20,000"),
    ('{{ "%*s" % (10**9, "x") }}', "a '*' width in a % format was given 1,000,000,000"),
    ('{{ "%099999d"|format(1) }}', "asks for a width of 99,999"),
    ('{{ "{:>100000000}".format("x") }}', "asks for a width of 100,000,000"),
    ('{{ "{:>{w}}".format("x", w=10**9) }}', "a nested width in a {} format was given 1,000,000,000"),
    ("{% set s = 'x' * 10000 %}{{ s.replace('x', s) }}", "would make more than 1,000,000 characters"),
    ("{% set s = 'x' * 10000 %}{{ s|replace('x', 'xx')|replace('x', 'xx')|replace('x', 'xx')|replace('x', 'xx')"
     "|replace('x', 'xx')|replace('x', 'xx')|replace('x', 'xx') }}", "would make more than 1,000,000 characters"),
    ("{{ ('x' * 10000)|replace('', 'y' * 200) }}", "would make more than 1,000,000 characters"),
])
def test_a_request_for_megabytes_is_refused_before_it_is_made(source, message):
    with pytest.raises(LimitError) as caught:
        _render(source)
    assert message in str(caught.value)
    assert caught.value.hint


def test_a_join_is_measured_before_it_joins():
    """Joining 10,000 references to a 10,000-character string would build 100 MB: refused
    from the items' lengths, before the join (it once built a gigabyte before the cap)."""
    with pytest.raises(LimitError, match="the filter 'join' would make about 1,0"):
        _render("{% set s = 'x' * 10000 %}{{ ([s] * 10000)|join('') }}")


def _stopped_at(tmp_path, source: str) -> Problem:
    from deckbuilder.render.templates import Templates

    path = tmp_path / "templates" / "cards" / "story-front.md.j2"
    path.parent.mkdir(parents=True)
    path.write_text(source, "utf-8")
    with pytest.raises(UserError) as caught:
        Templates(tmp_path / "templates").render("cards/story-front.md.j2", story="s")
    problem = caught.value.problems[0]
    assert (problem.file, problem.line) == ("templates/cards/story-front.md.j2", 2), problem.format()
    return problem


def test_a_loop_that_prints_too_much_is_stopped_at_its_line(tmp_path):
    """100,000 iterations printing 10,000 characters each would build a gigabyte well inside
    the time budget: the render's output limit stops it, at the loop's line."""
    problem = _stopped_at(tmp_path, "{{ story }}\n{% for i in range(100000) %}{{ 'x' * 10000 }}{% endfor %}\n")
    assert problem.message == f"template refused by the sandbox: the template's output would be more than " \
                              f"{limits.MAX_OUTPUT:,} characters"


def test_a_loop_that_keeps_too_much_is_stopped_by_the_memory_allowance(tmp_path, monkeypatch):
    """Kept in a namespace rather than printed, the strings pass every size check: the
    render's memory allowance stops it (cut to 32 MB to keep this light), looked at after
    every few megabytes made, not after 256 loop turns."""
    if limits.peak_memory() is None:
        pytest.skip("the process's peak memory cannot be read on this platform")
    monkeypatch.setattr(limits, "RENDER_MEMORY", 32 << 20)
    problem = _stopped_at(tmp_path, "{% set ns = namespace(keep=()) %}\n{% for i in range(100000) %}"
                                    "{% set ns.keep = (ns.keep, 'x' * 10000 ~ i) %}{% endfor %}\n")
    assert problem.message == "template used more than 32 MB of memory and was stopped here"


@pytest.mark.skipif(not hasattr(os, "fork") or limits.peak_memory() is None or not sys.platform.startswith("linux"),
                    reason="reads /proc/self/statm after a fork")
def test_memory_is_the_reading_process_own_after_a_fork():
    """The statm file is kept open between looks; a forked child (a build's second process)
    must read its own memory, not the parent's through the inherited descriptor."""
    limits.peak_memory()  # the parent opens the file
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        ok = False
        try:
            grown = bytearray(64 << 20)  # the child grows by 64 MB; the parent does not
            grown[::4096] = b"x" * len(grown[::4096])
            ok = abs(limits.peak_memory() - _resident(os.getpid())) < (8 << 20)
        finally:
            os.write(write_end, b"1" if ok else b"0")
            os._exit(0)
    os.close(write_end)
    answer = os.read(read_end, 1)
    os.waitpid(pid, 0)
    assert answer == b"1"
    assert abs(limits.peak_memory() - _resident(os.getpid())) < (8 << 20)


def _resident(pid: int) -> int:
    """A process's resident memory in bytes, read afresh."""
    return int(Path(f"/proc/{pid}/statm").read_bytes().split()[1]) * os.sysconf("SC_PAGE_SIZE")
