"""``deckbuilder import``: the workspace it makes, the files it never overwrites, the report,
and cards that fit."""

import contextlib
import io
import textwrap

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importcheck import import_snippet
from matrixdata import many_stories, stories_yaml
from pdfcheck import all_text

from deckbuilder.content.schema import MODELINE, SCHEMA_FILENAME
from deckbuilder.importer import import_notes

STORY = """\
### CMS: Tags (Customer Obsession|Ownership)
S: CMS -> tagging
T: Implement the tagging service.
A: Designed a first version.
R: They love it.
"""


def write(path, text):
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def test_creates_a_workspace_that_checks_and_builds(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, STORY)
    ws = got.workspace
    assert (ws / "templates").is_dir() and (ws / "output").is_dir()
    assert (ws / "content" / SCHEMA_FILENAME).is_file()
    assert got.text.splitlines()[0] == MODELINE
    assert run_cli("check", ws).code == 0
    built = run_cli("build", ws)
    assert built.code == 0, built.err
    assert "CMS: Tags" in all_text(ws / "output" / "cards.pdf")


def test_never_overwrites_without_force(tmp_path, run_cli):
    notes = write(tmp_path / "notes.md", STORY)
    ws = tmp_path / "ws"
    assert run_cli("import", notes, ws).code == 0
    target = ws / "content" / "imported-notes.yaml"
    target.write_text(target.read_text() + "# my edits\n")
    again = run_cli("import", notes, ws)
    assert again.code == 2
    assert "imported-notes.yaml already exists" in again.err and "--force" in again.err
    assert target.read_text().endswith("# my edits\n")
    forced = run_cli("import", notes, ws, "--force")
    assert forced.code == 0, forced.err
    assert not target.read_text().endswith("# my edits\n")


def test_refusal_writes_nothing_at_all(tmp_path, run_cli):
    first, second = write(tmp_path / "a.md", STORY), write(tmp_path / "b.md", STORY)
    ws = tmp_path / "ws"
    assert run_cli("import", first, ws).code == 0
    refused = run_cli("import", second, first, ws)  # a.md exists already: b.md must not be written either
    assert refused.code == 2
    assert not (ws / "content" / "imported-b.yaml").exists()


def test_adding_notes_never_touches_earlier_files_and_keeps_ids_unique(tmp_path, run_cli):
    ws = tmp_path / "ws"
    first = write(tmp_path / "first.md", "**Interview:** Oct 9, 2025, 1PM PDT\n\n" + STORY)
    assert run_cli("import", first, ws).code == 0
    earlier = (ws / "content" / "imported-first.yaml").read_bytes()
    second = write(tmp_path / "second.md", "**Interview:** Oct 10, 2025, 2PM PDT\n\n" + STORY)
    result = run_cli("import", second, ws)
    assert result.code == 0, result.err
    assert (ws / "content" / "imported-first.yaml").read_bytes() == earlier
    data = yaml.safe_load((ws / "content" / "imported-second.yaml").read_text())
    assert data["stories"][0]["id"] == "cms-tags-2"
    assert "interview" not in data  # a workspace has one interview
    assert "interview header not written: content/imported-first.yaml already has 'interview:'" in result.out
    assert run_cli("check", ws).code == 0


def test_import_into_a_workspace_made_by_new(tmp_path, run_cli):
    ws = tmp_path / "ws"
    assert run_cli("new", ws).code == 0
    notes = write(tmp_path / "notes.md", """\
        **Interview:** Oct 9, 2025, 1PM PDT
        ### The Friday outage call (Ownership)
        S: Payments down.
        T: Restore.
        A: Rolled back.
        R: 40 min.
        """)
    result = run_cli("import", notes, ws)
    assert result.code == 0, result.err
    data = yaml.safe_load((ws / "content" / "imported-notes.yaml").read_text())
    assert data["stories"][0]["id"] == "the-friday-outage-call"
    assert "interview" not in data
    assert run_cli("check", ws).code == 0


def test_report_counts_repairs_and_unrecognised_blocks(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        Loose text at the top.
        ## 🎯 Story time
        ### CMS (Ownership)
        S: A ‚Üí B for L'Or√©al
        T: C â†’ D
        A: E
        R: F
        """)
    assert "encoding: repaired 2 line(s) (UTF-8 read as Mac Roman: 1, UTF-8 read as Windows-1252: 1)" in got.out
    assert ("found: 0 interview, 0 projects, 0 phases, 0 extras, 1 stories, 0 bank questions, "
            "0 questions to ask, 0 reminder groups") in got.out
    assert "stories by framework: 1 STAR" in got.out
    assert "line 1: \"Loose text at the top.\" -> notes of story 'cms'" in got.out
    assert "imported 1 notes file(s)" in got.out and "1 line(s) repaired" not in got.out
    assert got.story("CMS")["sections"]["situation"] == "A → B for L'Oréal"


def test_long_phase_answers_continue_on_backup_cards_and_build(tmp_path, run_cli):
    items = "\n".join(f"- **Point {i}:** *a long explanation of point number {i}, with detail enough to take "
                      f"two lines on a small card*" for i in range(1, 41))
    got = import_snippet(tmp_path, run_cli, f"""\
# VTO PROJECT
## PHASE 1: ARCHITECTURE (3 min)
**Trigger:** event-driven, serverless
{items}
""")
    project = got.project()
    (phase,) = project["phases"]
    continued = [e for e in project["extras"] if e["title"].startswith("1. ARCHITECTURE (cont")]
    assert len(continued) >= 2
    pieces = [phase["answer"]] + [e["answer"] for e in continued]
    assert "\n".join(pieces).count("**Point ") == 40  # nothing dropped, nothing doubled
    assert "phase 1. ARCHITECTURE: answer too long for one card; continues on" in got.out
    built = run_cli("build", got.workspace)
    assert built.code == 0, built.err
    text = " ".join(all_text(got.workspace / "output" / "cards.pdf").split())
    assert "• event-driven • serverless" in text and "Point 40:" in text  # the cue words one per line


def test_long_story_is_shortened_on_the_card_with_the_full_text_in_notes(tmp_path, run_cli):
    long = " ".join(f"Sentence {i} of a very long situation that goes on." for i in range(60))
    got = import_snippet(tmp_path, run_cli, f"""\
        ### Epic (Ownership)
        S: {long}
        T: Task.
        A: Action.
        R: Result.
        """)
    story = got.story("Epic")
    assert story["sections"]["situation"].endswith("…")
    assert long in story["notes"]
    assert "story 'epic': situation shortened on the card (full text in its notes)" in got.out
    assert run_cli("build", got.workspace).code == 0


def test_a_sheet_that_would_overflow_gets_a_section_selection(tmp_path, run_cli):
    groups = "\n".join(f"**Group {g}:**\n" + "\n".join(f"- reminder {g}.{i} to keep in mind before going in"
                                                         for i in range(10)) + "\n" for g in range(30))
    got = import_snippet(tmp_path, run_cli, f"## FINAL REMINDERS\n\n{groups}")
    sheet = yaml.safe_load((got.workspace / "content" / "imported-sheet.yaml").read_text())
    assert "reminders" not in sheet["sheet"]["sections"]
    assert "switches off reminders" in got.out
    built = run_cli("build", got.workspace)
    assert built.code == 0, built.err
    # a workspace that chose its sections already keeps its choice; the import only says so
    mine = tmp_path / "mine" / "content"
    mine.mkdir(parents=True)
    (mine / "mine.yaml").write_text("sheet:\n  sections: [header, reminders]\n")
    again = import_snippet(tmp_path, run_cli, f"## MORE REMINDERS\n\n{groups}", name="more.md", workspace="mine")
    assert "build: will stop at the sheet and write nothing:" in again.out
    assert "final-prep.pdf will not fit on one page" in again.out
    assert "content/mine.yaml chooses the sheet's sections" in again.out
    assert f"next: deckbuilder build {again.workspace} --only cards,matrix" in again.out
    assert not (tmp_path / "mine" / "content" / "imported-sheet.yaml").exists()


# ---------------------------------------------------------------- what the build will do

def test_a_workspace_that_builds_is_said_to(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, STORY)
    assert "build: OK (cards, sheet and matrix measured" in got.out
    assert got.out.rstrip().endswith(f"next: deckbuilder build {got.workspace}")


def test_import_measures_with_the_workspaces_settings_and_names_their_mistakes(tmp_path, run_cli):
    """The outlook is the build the workspace will run: deckbuilder.toml's paper, and no 'check: OK'
    while its mistakes stop check and build."""
    notes = write(tmp_path / "prep.md", STORY)
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "deckbuilder.toml").write_text('[print]\npaper = "a4"\n', "utf-8")
    got = run_cli("import", notes, ws)
    assert got.code == 0 and "measured as 'deckbuilder build' does: a4 paper, 3x5 cards" in got.out, got.out
    (ws / "deckbuilder.toml").write_text('[print]\npaper = "a3"\n', "utf-8")
    got = run_cli("import", notes, ws, "--force")
    assert got.code == 0 and "check: OK" not in got.out and "build: OK" not in got.out, got.out
    assert "deckbuilder.toml:2: [print] paper: 'a3'" in got.out + got.err, got.out + got.err
    assert run_cli("check", ws).code == 2


def test_import_says_the_build_will_stop_at_the_matrix_and_what_to_run_meanwhile(tmp_path, run_cli,
                                                                                make_workspace):
    # 2 starter stories + 51 of mine fit the matrix (54 columns on letter); 3 more from the notes do not
    ws = make_workspace({"content/mine.yaml": stories_yaml(many_stories(51, 12), bank={})})
    assert run_cli("build", ws, "--only", "matrix").code == 0
    notes = write(tmp_path / "notes.md", """\
        ### The Friday outage call (Ownership and Bias for Action)
        S: Payments failing on a Friday evening; owner team offline.
        T: Restore service without the owning team.
        A: Rolled back the release, paged the owner, wrote the runbook that night.
        R: Recovered in 40 min; runbook adopted by 4 teams.

        ### Tags (Customer Obsession & Ownership)
        S: Content team wanted tagging.
        T: Build the tagging service.
        A: Designed a first version with them.
        R: They loved it.

        ### Slow pages (Dive Deep + Invent and Simplify)
        S: Editing was laggy.
        T: Speed it up.
        A: Virtualized the lists.
        R: Fast, with few changes.
        """)
    got = run_cli("import", notes, ws)
    assert got.code == 0, got.err
    assert "check: OK" in got.out
    assert "build: will stop at the matrix and write nothing:" in got.out
    assert ("the principle matrix has one column per story, 56 (53 already in the workspace + 3 from this "
            "import), but at most 54 fit across a letter page") in got.out
    assert "merge or drop at least 2 stories" in got.out
    # the imported copy of a story the workspace has is named, next to the one it repeats
    assert ("'the-friday-outage-call' (content/imported-notes.yaml) and 'outage-call' (content/stories.yaml)"
            in got.out)
    assert "'tags' (content/imported-notes.yaml)" not in got.out
    suggested = f"next: deckbuilder build {ws} --only cards,sheet"
    assert suggested in got.out
    # and it is so: the plain build stops at the matrix, the suggested one builds
    plain = run_cli("build", ws)
    assert plain.code == 2 and "story columns" in plain.err
    assert run_cli("build", ws, "--only", "packet").code == 2  # the packet has the matrix page
    only = run_cli("build", ws, "--only", "cards,sheet")
    assert only.code == 0, only.err
    assert {p.name for p in (ws / "output").glob("*.pdf")} == {"cards.pdf", "final-prep.pdf", "matrix.pdf"}
    assert "wrote output/matrix.pdf" not in only.out


def test_import_says_the_build_will_stop_at_a_card_of_the_workspace_that_is_too_long(tmp_path, run_cli,
                                                                                    make_workspace):
    long = " ".join(f"Sentence {i} of a situation that goes on and on." for i in range(80))
    ws = make_workspace({"content/long.yaml": f"""\
        stories:
          - id: epic
            title: Epic
            label: Epic
            primary: [Ownership]
            sections:
              situation: {long}
              task: Task.
              action: Action.
              result: Result.
        """})
    got = run_cli("import", write(tmp_path / "notes.md", STORY), ws)
    assert got.code == 0, got.err
    assert "build: will stop at the cards and write nothing:" in got.out
    assert "cards.pdf: 1 card face(s) too long for a 3x5 card: the back of story 'epic'" in got.out
    assert "content/long.yaml" in got.out
    assert f"next: deckbuilder build {ws} --only sheet,matrix" in got.out
    assert run_cli("build", ws, "--only", "sheet,matrix").code == 0


def test_missing_notes_file_is_a_user_error(tmp_path, run_cli):
    result = run_cli("import", tmp_path / "nope.md", tmp_path / "ws")
    assert result.code == 2
    assert "no such notes file" in result.err
    assert not (tmp_path / "ws").exists()


def test_text_with_no_item_to_hold_it_is_kept_as_comments(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, "# Why Amazon?\n1. Best cloud services.\n")
    assert got.data == {}
    assert "# 1. Best cloud services." in got.text
    assert "-> a comment at the end of content/imported-notes.yaml" in got.out
    assert run_cli("check", got.workspace).code == 0


# Fragments of real notes conventions, good and broken, for a property test: whatever
# order they come in, the import succeeds and its result passes check (the import runs
# check itself and treats a failure as its own bug).
_FRAGMENTS = [
    "# Title", "## PHASE 1: WHY (2 min)", "### PHASE 2: WHAT (3-2 min)", "## PHASE 1: again", "**Trigger:** a, b",
    "### Story (Ownership|Teamwork)", "### Story (Nonsense|Other)", "### (Ownership)", "S: one", "T:", "A: act", "R: r",
    "- **Situation:** s", "- **Problem** p", "- Solution: x", "## Ownership", "**Sample Questions**:",
    "- Tell me about a time", "- #### Tell me about a time you failed?", "[q](#Tell-me-about-a-time-you-won-big) (Name)",
    "## QUESTIONS FOR THEM", '**1.** *"Why?"* **(To all)**', "## FINAL REMINDERS", "**Strategy:**", "- item", "",
    "---", "```", "> quoted (*Situation*) x (*Task*) y (*Action*) z (*Result*)", "**Interview:** Feb 30, 2025, 25PM",
    "**Time:** 0 hours total, 999 min for project", "## 🎯", "text ‚Üí and â†’", "x" * 400, "| a | b |", "AT&T < 5",
]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=25))
def test_property_any_mix_of_conventions_imports_and_checks(tmp_path_factory, fragments):
    root = tmp_path_factory.mktemp("mix")
    notes = write(root / "notes.md", "\n".join(fragments))
    with contextlib.redirect_stdout(io.StringIO()):
        result = import_notes([notes], root / "ws")
    assert result.check is not None and not result.check.errors
