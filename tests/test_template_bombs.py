"""Templates that ask for unbounded memory or time, by every route there is: each is a user
error at its own line, within a bounded time and a bounded amount of memory (measured with
tracemalloc), never a MemoryError, a crash or a hang. The classes: growth by ``~`` or ``+``
in a loop, ``join`` and other filters over many references to one long string, printing
such a list, integer arithmetic, formats, output that adds up in a loop, a macro, a block.
Then a property: any template source, under a tiny allowance, renders or is a user error.
"""

from __future__ import annotations

import tracemalloc

import pytest
from hangguard import hang_guard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckbuilder.errors import UserError
from deckbuilder.render import limits, sandbox
from deckbuilder.render import templates as templates_module
from deckbuilder.render.templates import Templates

FRONT = "cards/story-front.md.j2"
S = "{% set s = 'x' * 10000 %}"  # line 1 of every case: 10,000 characters, within every limit
LOOP = "{% set ns = namespace(v=VALUE) %}{% for i in range(64) %}{% set ns.v = STEP %}{% endfor %}{{ ns.v|length }}"


def _loop(value: str, step: str) -> str:
    return LOOP.replace("VALUE", value).replace("STEP", step)


BOMBS = {
    # growth in a loop: each step doubles what the last one made
    "~ doubling a string": _loop("'x'", "ns.v ~ ns.v"),
    "+ doubling a string": _loop("'x'", "ns.v + ns.v"),
    "+ doubling a list": _loop("[1]", "ns.v + ns.v"),
    "+ doubling a tuple": _loop("(1,)", "ns.v + ns.v"),
    "~ with a format": _loop("'x'", "'%s%s' % (ns.v, ns.v)"),
    "~ with str.format": _loop("'x'", "'{0}{0}'.format(ns.v)"),
    "~ with the format filter": _loop("'x'", "'%s%s'|format(ns.v, ns.v)"),
    "join of a pair": _loop("'x'", "[ns.v, ns.v]|join"),
    "str.join of a pair": _loop("'x'", "ns.v.join(['', '', ''])"),
    "replace doubling": _loop("'x'", "ns.v|replace('x', 'xx')"),
    "list * 2": _loop("[1]", "ns.v * 2"),
    # integers
    "squaring an integer": _loop("10**60", "ns.v * ns.v"),
    "doubling an integer": LOOP.replace("range(64)", "range(100000)").replace("VALUE", "10**60")
                               .replace("STEP", "ns.v + ns.v").replace("|length", ""),
    "power of a big integer": "{% set n = 10**60 %}{{ n ** 64 }}",
    "power of a power": "{{ (2 ** 64) ** 64 ** 64 }}",
    # one step over many references to one long string
    "join of references": S + "{{ ([s] * 10000)|join }}",
    "join of a generator": S + "{{ ([s] * 10000)|map('upper')|join }}",
    "str.join of references": S + "{{ ''.join([s] * 10000) }}",
    "join_words of references": S + "{{ ([s] * 10000)|join_words }}",
    "printing a list": S + "{{ [s] * 10000 }}",
    "string of a list": S + "{{ ([s] * 10000)|string }}",
    "~ with a list": S + "{{ 'a' ~ [s] * 10000 }}",
    "tojson of a list": S + "{{ ([s] * 10000)|tojson }}",
    "pprint of a list": S + "{{ ([s] * 10000)|pprint }}",
    "upper of a list": S + "{{ ([s] * 10000)|upper }}",
    "escape of a list": S + "{{ ([s] * 10000)|e }}",
    "urlencode of references": S + "{{ ([s] * 100)|join|urlencode }}",
    "sum of lists": S + "{{ ([[s] * 10000] * 10000)|sum(start=[])|length }}",
    "percent format of a list": S + "{{ '%s' % ([s] * 10000,) }}",
    "brace format of a list": S + "{{ '{}'.format([s] * 10000) }}",
    "many fields, one argument": S + "{{ ('{0}' * 3000).format(s) }}",
    "many % fields, one mapping": S + "{{ ('%(a)s' * 3000) % {'a': s} }}",
    # widths on many lines, tabs, translations
    "indent of many lines": "{{ ('\\n' * 10000)|indent(10000) }}",
    "expandtabs": "{{ ('\\t' * 10000).expandtabs(10000) }}",
    "translate to a long string": S + "{{ s.translate({120: s}) }}",
    "lipsum": "{{ lipsum(100000) }}",
    # output that adds up: only references until the final join
    "a loop printing references": S + "{% for i in range(100000) %}{{ s }}{% endfor %}",
    "a loop printing text": "{% for i in range(100000) %}" + "y" * 1000 + "{% endfor %}",
    "a macro printing references": S + "{% macro m() %}{% for i in range(100000) %}{{ s }}{% endfor %}"
                                       "{% endmacro %}{{ m() }}",
    "a set block": S + "{% set big %}{% for i in range(100000) %}{{ s }}{% endfor %}{% endset %}{{ big|length }}",
    "a filter block": S + "{% filter upper %}{% for i in range(100000) %}{{ s }}{% endfor %}{% endfilter %}",
    "a call block": S + "{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}"
                        "{% for i in range(100000) %}{{ s }}{% endfor %}{% endcall %}",
}


def _render_measured(tmp_path, source: str) -> tuple[BaseException | None, int]:
    """Render ``source`` as the story front; (the error, peak bytes allocated). How long a bomb
    takes to be stopped is measured by hand (the slowest 0.35 s), not asserted: a busy machine
    must not fail the suite; the guard only stops a render that never ends."""
    path = tmp_path / "templates" / FRONT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source + "\n", "utf-8")
    renderer = Templates(tmp_path / "templates")
    tracemalloc.start()
    try:
        with hang_guard(60):
            renderer.render(FRONT, story="s")
        error = None
    except BaseException as exc:  # noqa: BLE001 - the test looks at whatever came out
        error = exc
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return error, peak


@pytest.mark.parametrize("case", list(BOMBS))
def test_a_template_bomb_is_a_user_error_at_its_line_in_bounded_time_and_memory(tmp_path, case):
    error, peak = _render_measured(tmp_path, BOMBS[case])
    assert isinstance(error, UserError), (case, repr(error))
    problem = error.problems[0]
    assert problem.file == f"templates/{FRONT}" and problem.line == 1, problem.format()
    assert problem.hint, problem.format()
    # a few strings of MAX_TEXT characters at most (4 bytes a character when not ASCII)
    assert peak < 48 << 20, (case, peak >> 20)


def test_what_real_templates_do_still_renders(tmp_path):
    source = ("{% set ns = namespace(v='') %}{% for i in range(200) %}{% set ns.v = ns.v ~ i ~ ', ' %}{% endfor %}"
              "{{ ns.v|length }} {{ 2 ** 64 }} {{ (10 ** 60) * (10 ** 60) > 0 }} {{ ['a', 'b']|join(', ') }} "
              "{{ '%s=%d'|format('n', 3) }} {{ [1, 2] + [3] }} {{ 'ab' + 'cd' }} {{ 7 - 2 }} "
              "{{ 'a\\tb'.expandtabs(4) }}{{ range(3)|map('string')|join('-') }} {{ [[1], [2]]|sum(start=[]) }} "
              "{{ lipsum(1, html=False)|length > 0 }}")
    error, _ = _render_measured(tmp_path, source)
    assert error is None, repr(error)
    rendered = Templates(tmp_path / "templates").render(FRONT, story="s")
    assert rendered.startswith("890 18446744073709551616 True a, b n=3 [1, 2, 3] abcd 5 a   b0-1-2 [1, 2] True")


def test_a_runaway_render_in_watch_is_stopped_and_watch_goes_on(make_workspace, capsys):
    from deckbuilder.build import BuildOptions
    from deckbuilder.commands.watch import Watcher
    from deckbuilder.workspace import Workspace

    ws = make_workspace({f"templates/{FRONT}": "{{ story.title }}\n" + BOMBS["squaring an integer"] + "\n"})
    watcher = Watcher(Workspace.at(ws), BuildOptions(only=("cards",)))
    with hang_guard():
        assert watcher.rebuild() is False
    out = capsys.readouterr()
    assert f"templates/{FRONT}:2: template refused by the sandbox: '*' would make a number of about" in out.err
    assert "not rebuilt; the previous PDFs are unchanged" in out.out


# ------------------------------------------------------------------ property

PIECES = st.sampled_from([
    "{{ s }}", "{{ s ~ s }}", "{{ s + s }}", "{{ s * 40 }}", "{{ [s] * 50 }}", "{{ n * n }}", "{{ n ** 9 }}",
    "{{ n + n }}", "{{ s|join }}", "{{ [s, s]|join(s) }}", "{{ s|upper }}", "{{ s|center(900) }}",
    "{{ '%s%s' % (s, s) }}", "{{ '{0}{0}'.format(s) }}", "{{ s|replace('x', s) }}", "{{ s|indent(50) }}",
    "{% set s = s ~ s %}", "{% set s = s * 3 %}", "{% set n = n * n %}", "{% set n = n ** 3 %}",
    "{% set s = [s, s]|join %}", "{% set s = s|replace('x', 'xx') %}", "{% set l = l + l %}",
    "{% for i in range(N) %}", "{% endfor %}", "{% if n %}", "{% endif %}", "{{ l|tojson }}", "{{ l|sum }}",
    "{{ ns.v }}", "{% set ns.v = ns.v ~ s %}", "{% macro m(a) %}{{ a }}{{ a }}{% endmacro %}", "{{ m(s) }}",
    "{{ s.ljust(500) }}", "{{ l|batch(3)|list }}", "{{ s|wordwrap(7) }}", "text ", "\n",
])


@st.composite
def template_source(draw) -> str:
    pieces = draw(st.lists(PIECES, min_size=1, max_size=14))
    loops = draw(st.lists(st.sampled_from(["3", "50", "1000", "100000"]), min_size=len(pieces), max_size=len(pieces)))
    body = "".join(p.replace("N", n) for p, n in zip(pieces, loops))
    return ("{% set s = 'x' * 100 %}{% set n = 10 ** 20 %}{% set l = [1, 2, 3] %}"
            "{% set ns = namespace(v='') %}" + body)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(source=template_source())
def test_any_template_source_renders_or_is_a_user_error_within_a_tiny_allowance(tmp_path_factory, monkeypatch,
                                                                               source):
    """With allowances cut to a few hundred kilobytes and 0.5 s, whatever the pieces add up
    to (loops in loops, doubling, printing) ends in text or a user error, quickly and small."""
    monkeypatch.setattr(limits, "MAX_TEXT", 200_000)
    monkeypatch.setattr(limits, "MAX_OUTPUT", 400_000)
    monkeypatch.setattr(limits, "MAX_INT_BITS", 2048)
    monkeypatch.setattr(limits, "RENDER_MEMORY", 16 << 20)
    monkeypatch.setattr(sandbox, "SPEND_STEP", 100_000)
    monkeypatch.setattr(templates_module, "RENDER_SECONDS", 0.5)
    error, peak = _render_measured(tmp_path_factory.mktemp("prop"), source)
    assert error is None or isinstance(error, UserError), (source, repr(error))
    assert peak < 24 << 20, (source, peak >> 20)


def test_a_loop_keeping_lists_is_stopped_by_the_memory_allowance_soon(tmp_path, monkeypatch):
    """Lists of new numbers, kept: every list counts against the allowance as it is made, so
    the render is stopped within a few megabytes past its allowance, not after 40 loop turns
    of 4 MB each."""
    if limits.peak_memory() is None:
        pytest.skip("the process's peak memory cannot be read on this platform")
    monkeypatch.setattr(limits, "RENDER_MEMORY", 16 << 20)
    source = ("{% set ns = namespace(keep=()) %}{% for i in range(100000) %}"
              "{% set ns.keep = (ns.keep, range(1000 * i, 1000 * i + 100000)|list) %}{% endfor %}")
    error, peak = _render_measured(tmp_path, source)
    assert isinstance(error, UserError), repr(error)
    assert "MB of memory and was stopped here" in error.problems[0].message
    assert peak < 64 << 20, peak >> 20
