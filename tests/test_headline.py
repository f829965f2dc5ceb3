"""The sheet's best story per principle chosen on purpose (pins, guesses, primary, strength,
bank links, order), the marks that make no sense refused, and check's warnings about guesses
and open questions."""

from __future__ import annotations

import re
import textwrap

from deckbuilder.content.headline import pick
from deckbuilder.content.model import BankEntry, BankQuestion, Story
from deckbuilder.outputs.sheet import render_sections
from deckbuilder.render.templates import Templates


def story(sid: str, strength: int, primary: list[str], secondary: list[str] = (), judgement: list[str] = (),
          headline: list[str] = ()) -> Story:
    return Story(id=sid, title=sid, label=sid, framework="free", sections={"x": "y"}, primary=primary,
                 secondary=list(secondary), strength=strength, judgement=list(judgement), headline=list(headline))


def test_the_notes_tags_beat_guesses_then_primary_strength_bank_links_order():
    guess = story("guess", 5, ["Dive Deep"], judgement=["Dive Deep"])
    noted_secondary = story("noted-secondary", 2, ["Ownership"], ["Dive Deep"])
    assert pick("Dive Deep", [guess, noted_secondary]).story is noted_secondary  # a guess loses to any noted tag
    only_guess = pick("Dive Deep", [guess])
    assert (only_guess.story, only_guess.guessed, only_guess.pinned) == (guess, True, False)

    first, linked = story("first", 3, ["Dive Deep"]), story("linked", 3, ["Dive Deep"])
    bank = [BankEntry(principle="Dive Deep", questions=[BankQuestion(text="q", stories=["linked", "first"]),
                                                        BankQuestion(text="q2", stories=["linked"])]),
            BankEntry(principle="Ownership", questions=[BankQuestion(text="q3", stories=["first", "first"])])]
    assert pick("Dive Deep", [first, linked], bank).story is linked  # 2 links for Dive Deep against 1
    assert pick("Dive Deep", [first, linked]).story is first  # without a bank: the first of equals
    guessed_links = [BankEntry(principle="Dive Deep", questions=[
        BankQuestion(text="q", stories=["linked"], judgement=["linked"])])]
    assert pick("Dive Deep", [first, linked], guessed_links).story is first  # a guessed link does not count
    stronger = story("stronger", 4, ["Dive Deep"])
    assert pick("Dive Deep", [first, linked, stronger], bank).story is stronger  # strength before links

    pinned = story("pinned", 1, ["Ownership"], ["Dive Deep"], judgement=["Dive Deep"], headline=["Dive Deep"])
    chosen = pick("Dive Deep", [stronger, pinned, noted_secondary])
    assert (chosen.story, chosen.match, chosen.guessed, chosen.pinned) == (pinned, "secondary", True, True)
    assert pick("Frugality", [stronger]).story is None


STORIES = """\
    stories:
      - id: noted
        title: Noted story
        label: Noted
        framework: free
        primary: [Ownership]
        secondary: [Frugality]
        judgement: [Frugality]
        verify: The notes say **both** 3 and 4 days.
        sections: {story: text}
      - id: other
        title: Other story
        label: Other
        framework: free
        primary: [Ownership]
        sections: {story: text}
    questions_to_ask:
      - text: What does success look like?
        verify: Ask all three?
    """


def test_check_lists_open_questions_and_guessed_headlines_and_the_sheet_marks_them(make_workspace, run_cli):
    root = make_workspace({"content/more.yaml": STORIES})
    result = run_cli("check", root)
    assert result.code == 0, result.err
    lines = result.err.splitlines()
    assert "content/more.yaml:9: warning: check before you say it, story 'noted': The notes say both 3 and 4 days." \
        in lines
    assert any(re.fullmatch(r"content/more\.yaml:19: warning: check before you say it, question to ask \d+: "
                            r"Ask all three\?", line) for line in lines), result.err
    assert ("content/more.yaml:8: warning: the sheet's best story for Frugality is 'noted', tagged Frugality on "
            "your own judgement only") in lines
    assert run_cli("check", root, "--strict").code == 2

    from deckbuilder.build import load
    from deckbuilder.workspace import Workspace

    content, _ = load(Workspace.at(root))
    text = "\n".join(part.markdown for section in render_sections(content, Templates(None)) for part in section.parts)
    assert "- **Frugality:** Noted story (3/5, secondary, *my guess*)\\\n*⚠ Check before you say it:* " \
           "The notes say **both** 3 and 4 days." in text
    assert "Ask all three?" in text.split("## Questions to ask")[1]


def test_marks_that_cannot_mean_anything_are_errors(make_workspace, run_cli):
    bad = (textwrap.dedent(STORIES).replace("judgement: [Frugality]", "judgement: [Dive Deep]")
           .replace("framework: free\n", "framework: free\n    headline: [Ownership]\n")
           + "question_bank:\n  - principle: Ownership\n    questions:\n"
             "      - text: Q?\n        stories: [noted]\n        judgement: [other]\n")
    result = run_cli("check", make_workspace({"content/more.yaml": bad}))
    assert result.code == 2
    assert re.search(r"^content/more\.yaml:9: 'Dive Deep' is under judgement: but not among the primary or "
                     r"secondary principles of story 'noted'", result.err, re.MULTILINE), result.err
    assert re.search(r"^content/more\.yaml:16: 'Ownership' is pinned as headline by story 'noted' "
                     r"\(content/more\.yaml:6\) and by 'other'", result.err, re.MULTILINE), result.err
    assert re.search(r"^content/more\.yaml:27: 'other' is under judgement: but not among this question's stories",
                     result.err, re.MULTILINE), result.err
    assert "Traceback" not in result.err


def test_a_misspelt_tag_or_story_id_is_one_error_not_two(make_workspace, run_cli):
    """A typo in primary: (or in a question's stories:) is reported as unknown; the judgement: or
    headline: naming what it meant must not add a second, misleading error about the same slip."""
    bad = (textwrap.dedent(STORIES).replace("primary: [Ownership]\n    secondary: [Frugality]",
                                            "primary: [Ownrship]\n    secondary: [Frugality]\n"
                                            "    headline: [Ownership]")
           + "question_bank:\n  - principle: Ownership\n    questions:\n"
             "      - text: Q?\n        stories: [nted]\n        judgement: [noted]\n")
    result = run_cli("check", make_workspace({"content/more.yaml": bad}))
    assert result.code == 2 and "Traceback" not in result.err
    assert "unknown principle 'Ownrship'" in result.err and "unknown story id 'nted'" in result.err, result.err
    assert "is under headline:" not in result.err and "is under judgement:" not in result.err, result.err
    assert "2 problems to fix" in result.err, result.err
