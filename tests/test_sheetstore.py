"""The sheet's chosen layout, kept in the user's cache folder (``outputs.sheetstore``): a warm
plan sets no text until the page is drawn and is the search's plan, to the same PDF bytes;
changed text, paper or layout code searches again; an entry no search could have written, a
damaged file or a foreign entry is searched and written again; a sheet set in a font the key
does not name and DECKBUILDER_NO_CACHE=1 always search."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from test_sheet import seedlike

from deckbuilder.build import load
from deckbuilder.outputs import sheet, sheetstore
from deckbuilder.outputs.sheet import Part, Section, SheetPlan, plan_sheet, render_sections, section_shares
from deckbuilder.render import fonts
from deckbuilder.render.templates import Templates
from deckbuilder.workspace import Workspace


@pytest.fixture
def searches(tmp_path, monkeypatch) -> list[int]:
    """A cache folder of this test's own, and one item per layout search from now on."""
    monkeypatch.setenv("DECKBUILDER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("DECKBUILDER_NO_CACHE", raising=False)
    sheetstore.forget()
    calls: list[int] = []
    real = sheet.best_layout
    monkeypatch.setattr(sheet, "best_layout", lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    yield calls
    sheetstore.forget()


@pytest.fixture(scope="module")
def seed_root(tmp_path_factory) -> Path:
    """The user-sized sample notes (their sheet is set below the ceiling, after a real search)."""
    base = tmp_path_factory.mktemp("sheetstore")

    def make(starter: bool = True, name: str = "ws") -> Path:
        root = base / name
        (root / "content").mkdir(parents=True)
        (root / "output").mkdir()
        return root

    return seedlike(make)


def sections_of(root: Path) -> list[Section]:
    workspace = Workspace.at(root)
    content, _ = load(workspace)
    return render_sections(content, Templates(workspace.templates_dir))


def outcome(plan: SheetPlan) -> tuple:
    """Everything a plan says: the choice, the page, and each section's share at that choice."""
    return plan.choice, plan.built.columns, plan.built.size, plan.page, plan.body, section_shares(plan)


def stored(tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / "cache" / sheetstore.KIND
    return {p.name: p.read_bytes() for p in folder.glob("*.json")} if folder.is_dir() else {}


def test_a_stored_layout_is_the_searched_one(seed_root, searches, monkeypatch, tmp_path):
    sections = sections_of(seed_root)
    cold = plan_sheet(sections)
    assert searches == [1] and len(stored(tmp_path)) == 1
    assert cold.fits and cold.built.size < sheet.CEILING_PT  # a real search: not everything fits at the top
    sheetstore.forget()  # a fresh process: the file is read again
    built: list[tuple[int, float]] = []
    real_build = sheet.build_blocks
    monkeypatch.setattr(sheet, "build_blocks", lambda s, c, size, w: built.append((c, size)) or real_build(s, c, size, w))
    warm = plan_sheet(sections)
    assert searches == [1] and built == []  # what check reads (fits, fill, shares) set no text
    assert (warm.fits, warm.fill, section_shares(warm)) == (cold.fits, cold.fill, section_shares(cold))
    assert outcome(warm) == outcome(cold)
    assert built == [(cold.built.columns, cold.built.size)]  # the page, set once when asked for: not a search
    recounted = SheetPlan(warm.choice, warm.page, warm.body, warm.sections)  # shares counted on the page set
    assert section_shares(recounted) == section_shares(warm)
    monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")
    assert outcome(plan_sheet(sections)) == outcome(cold) and searches == [1, 1]


def test_a_warm_build_draws_the_same_sheet(make_workspace, run_cli, searches):
    def build(name: str) -> str:
        root = make_workspace(name=name)
        result = run_cli("build", root, "--only", "sheet")
        assert result.code == 0, result.err
        return hashlib.sha256((root / "output" / "final-prep.pdf").read_bytes()).hexdigest()

    cold = build("cold")
    sheetstore.forget()
    assert build("warm") == cold and searches == [1]


def test_changed_text_paper_or_code_searches_again(seed_root, searches, monkeypatch, tmp_path):
    sections = sections_of(seed_root)
    plan_sheet(sections)
    plan_sheet(sections, "a4")
    assert searches == [1, 1]
    for paper in ("letter", "a4"):
        plan_sheet(sections, paper)
    assert searches == [1, 1]
    edited = [Section(s.name, tuple(Part(p.kind, p.markdown.replace("e", "ee", 1), p.timeline) for p in s.parts))
              if s.name == "reminders" else s for s in sections]
    changed = plan_sheet(edited)
    assert searches == [1, 1, 1]
    monkeypatch.setenv("DECKBUILDER_NO_CACHE", "1")
    assert outcome(changed) == outcome(plan_sheet(edited))
    monkeypatch.delenv("DECKBUILDER_NO_CACHE")
    searches.clear()
    sheetstore.forget()
    monkeypatch.setattr(sheetstore, "layout_fingerprint", lambda: "other code")
    plan_sheet(sections)
    assert searches == [1] and len(stored(tmp_path)) == 2


def test_an_entry_no_search_could_have_written_is_searched_again(seed_root, searches, tmp_path):
    """A well-formed entry is taken as it is, as a face's kept size is (``outputs.fitstore``): its
    key names everything the search reads. One no search writes is a miss, searched and written again."""
    sections = sections_of(seed_root)
    cold = plan_sheet(sections)
    (name, good), = stored(tmp_path).items()
    key = name[:-5]
    (entry, right), = sheetstore.load(key).items()
    columns, size, needed, shares = right
    wrong_entries = [
        [columns, size],  # the first format's entry
        [columns, 8.25, needed, shares],  # not a size of the grid
        [columns, "8", needed, shares], [columns, True, needed, shares], ["2", size, needed, shares],
        [5, size, needed, shares],  # not a column count the search tries
        [columns, size, cold.body[1] * 2, shares],  # 'fits' at a height that does not fit
        [columns, None, needed, shares],  # 'nothing fits' at a height that fits
        [columns, size, -1.0, shares], [columns, size, 1, shares],  # a negative height; an int
        [columns, size, needed, [["header", "0.1"]]], [columns, size, needed, [["header"]]],
        [columns, size, needed, {"header": 0.1}],
    ]
    for wrong in wrong_entries:
        sheetstore.user_cache.write(sheetstore.KIND, name, sheetstore.encode(key, {entry: wrong}))
        sheetstore.forget()
        searches.clear()
        assert outcome(plan_sheet(sections)) == outcome(cold)
        assert searches == [1], wrong
        assert stored(tmp_path)[name] == good  # the search's choice written again


def test_a_damaged_or_foreign_file_is_ignored_and_written_again(seed_root, searches, tmp_path):
    sections = sections_of(seed_root)
    plan_sheet(sections)
    (name, good), = stored(tmp_path).items()
    path = tmp_path / "cache" / sheetstore.KIND / name
    header, payload = good.split(b"\n", 2)[1:]
    other_key = sheetstore.MAGIC + header.replace(name[:-5].encode(), b"0" * 40) + b"\n" + payload
    flipped = good[:-3] + bytes([good[-3] ^ 1]) + good[-2:]  # the CRC no longer matches
    for bad in (b"not json at all", good[:len(good) // 2], flipped, other_key):
        path.write_bytes(bad)
        sheetstore.forget()
        searches.clear()
        plan_sheet(sections)
        assert searches == [1]
        assert path.read_bytes() == good


def test_a_sheet_set_in_another_font_is_never_stored(searches, tmp_path):
    assert fonts.font_for("退") not in fonts.FALLBACK_ORDER  # no bundled font has it: a system font, or none
    sections = [Section("reminders", (Part("flow", "- 退 a reminder in a font the store's key does not name"),))]
    plan_sheet(sections)
    plan_sheet(sections)
    assert searches == [1, 1] and stored(tmp_path) == {}


def test_another_reportlab_names_another_file(monkeypatch):
    """reportlab measures every line of the sheet: a sheet laid out with another version (an
    upgrade) must not take that version's choice (the face-size store's key had the version;
    the sheet's did not)."""
    import reportlab

    sheetstore.layout_fingerprint.cache_clear()
    try:
        usual = sheetstore.layout_fingerprint()
        sheetstore.layout_fingerprint.cache_clear()
        monkeypatch.setattr(reportlab, "Version", reportlab.Version + ".post1")
        assert sheetstore.layout_fingerprint() != usual
    finally:
        sheetstore.layout_fingerprint.cache_clear()
