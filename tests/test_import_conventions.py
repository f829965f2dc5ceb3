"""Each notes convention, from a small snippet through ``deckbuilder import`` to YAML that
passes ``check`` (the import refuses to write anything that does not)."""

import datetime as dt

from importcheck import import_snippet

# ---------------------------------------------------------------- deep-dive projects

def test_phases_with_trigger_lines_minutes_and_answers(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ## 📋 VTO PROJECT - 2 Phases

        ### PHASE 1: WHY - The Problem (2 min)

        **Trigger:** Third-party expensive, non-extensible, 2 days slow

        *We had a* **third-party tool** *for* **AR try-on**.

        ---

        ### PHASE 2: WORKING BACKWARD - Fix Root Cause (2-3 min)

        **Memory Trigger:** Contact brands, standardize photos (white circle), add RGB field

        **Actions:**
        - Contacted **bridge teams**
        """)
    project = got.project()
    assert project["title"] == "VTO PROJECT - 2 Phases"  # the emoji is dropped from the title
    assert project["label"] == "VTO PROJECT - 2 Phases"  # short enough to be its own label
    one, two = project["phases"]
    assert (one["number"], one["title"], one["minutes"]) == (1, "WHY - The Problem", 2)
    assert one["triggers"] == ["Third-party expensive", "non-extensible", "2 days slow"]
    assert one["answer"] == "*We had a* **third-party tool** *for* **AR try-on**."
    assert (two["number"], two["minutes"]) == (2, "2-3")
    assert two["triggers"] == ["Contact brands", "standardize photos (white circle)", "add RGB field"]
    assert "Memory Trigger" not in two["answer"] and "**Actions:**" in two["answer"]


def test_phases_with_no_heading_above_them_are_a_project_named_after_the_notes(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ## PHASE 1: WHY (2 min)
        **Trigger:** cost
        Expensive.
        ## PHASE 2: WHAT (1 min)
        **Trigger:** scope
        Lipsticks.
        """, name="search-revamp.md")
    project = got.project()
    assert (project["id"], project["title"]) == ("search-revamp", "search-revamp")
    assert [p["number"] for p in project["phases"]] == [1, 2]


def test_phase_without_triggers_gets_them_from_bold_words(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        # Deep dive
        ## Phase 1: Design (3 min)
        **Options:**
        - **Step Functions** were cheaper than **ML Pigeon**.
        """)
    (phase,) = got.project()["phases"]
    assert phase["triggers"] == ["Step Functions", "ML Pigeon"]  # "Options:" is a label, not a trigger
    assert "line 2: phase 1 'Design' has no trigger line; triggers derived: Step Functions, ML Pigeon" in got.out


def test_sections_after_a_project_become_its_backup_cards(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        # PREP
        ## VTO PROJECT
        ### PHASE 1: WHY (2 min)
        **Trigger:** cost
        Expensive.
        ## 🚀 PROJECT SCOTT (Only If Asked)
        **Trigger:** Workshop, prototype
        **Problem:** incomplete docs
        ## 🔧 TECHNICAL DEEP-DIVE
        ### Why Step Functions?
        1. **Jobs run days**
        """)
    extras = {e["title"]: e for e in got.project()["extras"]}
    assert extras["PROJECT SCOTT (Only If Asked)"]["triggers"] == ["Workshop", "prototype"]
    assert extras["PROJECT SCOTT (Only If Asked)"]["answer"] == "**Problem:** incomplete docs"
    assert extras["Why Step Functions?"]["answer"] == "1. **Jobs run days**"


def test_a_backup_card_with_only_triggers_under_an_emoji_heading_keeps_them_as_its_answer(tmp_path, run_cli):
    # found by the property test in test_import_command.py: the card's answer was empty and check failed
    got = import_snippet(tmp_path, run_cli, """\
        ## PHASE 1: WHY (2 min)
        Expensive.
        ## 🎯
        **Trigger:** a, b
        """)
    (extra,) = got.project()["extras"]
    assert (extra["title"], extra["triggers"], extra["answer"]) == ("Notes", ["a", "b"], "a, b")


def test_interview_header_lines(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        # FINAL PREP
        **Interview:** Oct 9, 2025, 1PM PDT
        **Time:** 1 hour total, ~30 min for VTO project
        ## VTO PROJECT
        ### PHASE 1: WHY (2 min)
        **Trigger:** cost
        Expensive.
        """)
    interview = got.data["interview"]
    assert interview["date"] == dt.date(2025, 10, 9)
    assert (interview["time"], interview["timezone"]) == ("1PM", "PDT")
    assert (interview["total_minutes"], interview["deep_dive_minutes"]) == (60, 30)
    assert got.project()["minutes"] == 30
    # company is required (a guess, and the report says so); role is optional
    assert "role" not in interview  # optional: nothing is invented
    assert "no role in the notes" in got.out


# ---------------------------------------------------------------- stories

def test_star_lines_under_a_tagged_heading(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ## My Stories
        ### CMS: Tags (Customer Obsession|Ownership)
        S: CMS -> Special feature: tagging

        T: Implement the tagging service.

        A: Designed a first version.
        Had follow-up meetings and completed the design.

        R: They love the final version.
        """)
    story = got.story("CMS: Tags")
    assert story["framework"] == "STAR"
    assert story["primary"] == ["Customer Obsession"] and story["secondary"] == ["Ownership"]
    assert story["sections"] == {
        "situation": "CMS -> Special feature: tagging",
        "task": "Implement the tagging service.",
        "action": "Designed a first version.\nHad follow-up meetings and completed the design.",
        "result": "They love the final version.",
    }
    assert story["id"] == "cms-tags" and story["label"] == "CMS: Tags"


def test_tags_tolerate_case_and_misspellings_and_unknown_tags_go_to_notes(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### Slow CMS (dive deep | Invent & Simplify | Ownesrship | Teamwork)
        S: Slow.
        T: Speed it up.
        A: Virtualized lists.
        R: Fast.
        """)
    story = got.story("Slow CMS")
    assert story["primary"] == ["Dive Deep"]
    assert story["secondary"] == ["Invent and Simplify", "Ownership"]
    assert "Teamwork" in story["notes"]
    assert "tag(s) 'Teamwork' match no principle; moved into its notes" in got.out


def test_tags_joined_by_and_ampersand_or_plus_are_each_kept_in_the_order_written(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### Perf (Ownership and Customer Obsession)
        S: s1
        T: t1
        A: a1
        R: r1

        ### Tags (Customer Obsession & Ownership)
        S: s2
        T: t2
        A: a2
        R: r2

        ### Plus (Ownership + Dive Deep)
        S: s3
        T: t3
        A: a3
        R: r3

        ### Typos (Ownesrship & dive deep and Teamwork)
        S: s4
        T: t4
        A: a4
        R: r4
        """)
    stories = got.stories()
    assert (stories["Perf"]["primary"], stories["Perf"]["secondary"]) == (["Ownership"], ["Customer Obsession"])
    assert (stories["Tags"]["primary"], stories["Tags"]["secondary"]) == (["Customer Obsession"], ["Ownership"])
    assert (stories["Plus"]["primary"], stories["Plus"]["secondary"]) == (["Ownership"], ["Dive Deep"])
    assert (stories["Typos"]["primary"], stories["Typos"]["secondary"]) == (["Ownership"], ["Dive Deep"])
    assert "Teamwork" in stories["Typos"]["notes"]
    assert "story 'typos': tag(s) 'Teamwork' match no principle; moved into its notes" in got.out


def test_names_that_contain_and_or_a_semicolon_stay_one_principle(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### One (Learn and Be Curious & Invent and Simplify)
        S: s1
        T: t1
        A: a1
        R: r1

        ### Two (Have Backbone; Disagree and Commit)
        S: s2
        T: t2
        A: a2
        R: r2

        ### Three (Hire & Develop the Best and Are right alot)
        S: s3
        T: t3
        A: a3
        R: r3
        """)
    stories = got.stories()
    assert stories["One"]["primary"] == ["Learn and Be Curious"]
    assert stories["One"]["secondary"] == ["Invent and Simplify"]
    assert stories["Two"]["primary"] == ["Have Backbone; Disagree and Commit"] and "secondary" not in stories["Two"]
    assert stories["Three"]["primary"] == ["Hire and Develop the Best"]
    assert stories["Three"]["secondary"] == ["Are Right, A Lot"]
    assert "match no principle" not in got.out


def test_star_story_missing_a_section_becomes_free(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### Math Tutor (Customer Obsession|Bias for Action):
        S: Demo of the prototype.
        T:
        A: Told the manager early and offered 2 plans.
        R: Met the deadline.
        """)
    story = got.story("Math Tutor")
    assert story["framework"] == "free"
    assert list(story["sections"]) == ["situation", "action", "result"]
    assert "line 1: story 'Math Tutor': closest to STAR but no task (task left empty)" in got.out


def test_story_with_no_principle_is_kept_as_notes_of_the_nearest_story(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### CMS (Ownership)
        S: One.
        T: Two.
        A: Three.
        R: Four.
        ### CMS again:
        S: Video URLs expire.
        T: Refresh them.
        """)
    assert list(got.stories()) == ["CMS"]
    assert "Video URLs expire." in got.story("CMS")["notes"]
    assert "line 6: story 'CMS again' demoted: it has no principle tag" in got.out


def test_spsil_bold_bullets_under_a_question_in_a_principle_section(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        > [!important]
        > ## Have backbone; disagree and commit

        - #### Tell me about a time your work was criticized
           - **Situaton**: My first project; I over-engineered it.
           - **Problem** My manager said less is better.
           - **Solutoin** I prioritized the features.
           - **Impact** Delivered on the deadline.
           - **Lessons** Look for the minimum viable solution.
        """)
    (story,) = got.data["stories"]
    assert story["framework"] == "SPSIL"
    assert story["primary"] == ["Have Backbone; Disagree and Commit"]
    assert story["sections"]["solution"] == "I prioritized the features."  # typo'd labels still count
    questions = got.bank()["Have Backbone; Disagree and Commit"]
    assert questions == [{"text": "Tell me about a time your work was criticized", "stories": [story["id"]]}]


def test_plain_label_bullets_and_continuation_bullets(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ## Ownership
        - #### Tell me about a time you decided without your boss
           - Situation: I was the DRI for face detection.
           - Problem: Bad exposure in snapshots right before shipping.
           - The product manager was very concerned.
           - Solution: I shipped the DSP model.
           - Impact: We shipped on time.
           - Lessons: Own the call.
        """)
    (story,) = got.data["stories"]
    assert story["framework"] == "SPSIL"
    assert story["sections"]["problem"] == ("Bad exposure in snapshots right before shipping.\n\n"
                                            "The product manager was very concerned.")


def test_carl_story(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### Flaky deploys (Dive Deep)
        - **Context:** Deploys failed one time in five.
        - **Action:** Bisected the pipeline.
        - **Result:** Zero flaky deploys.
        - **Learning:** Measure first.
        """)
    story = got.story("Flaky deploys")
    assert story["framework"] == "CARL"
    assert list(story["sections"]) == ["context", "action", "result", "learning"]


def test_inline_section_markers(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ## Ownership
        > [!note]
        > I was on PTO and saw complaints about dark faces.(*Situation*). We had to enable face detection for snapshots(*Task*). I exported the model to the DSP (*Action*) We delivered on time. (*Result*) Nobody asked me to.
        """)
    (story,) = got.data["stories"]
    assert story["framework"] == "STAR"
    assert story["sections"]["task"] == "We had to enable face detection for snapshots"
    assert story["notes"] == "Nobody asked me to"


def test_principle_section_with_sample_questions(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        > [!important]
        > ## Ownseship:
        **Understand the Ownership Principle**:
           - **Definition**: Taking responsibility beyond your role.

        **Sample Questions**:

        - Tell me about a time you did something that wasn't your responsibility
        - How would you make Amazon.com better?

        ### Ownership Section
        - #### Give me an example of going above and beyond
           - Short: the DSP model
        """)
    questions = got.bank()["Ownership"]
    assert [q["text"] for q in questions] == [
        "Tell me about a time you did something that wasn't your responsibility",
        "How would you make Amazon.com better?",
        "Give me an example of going above and beyond — *Short: the DSP model*",  # a short answer is a hint
    ]


def test_index_links_name_the_stories_written_under_their_questions(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### Ownesrship(STAR) [AEC issue DNN, DSP Face]
        [Without boss permission](#Tell-me-about-a-time-you-decided-without-your-boss) (DSP FD)

        [Above and beyond](#Give-me-two-instances-when-you-went-above-and-beyond) (AEC DNN)

        # Amazons Principles
        ## Ownership
        - #### Tell me about a time you decided without your boss
           - Situation: I was the DRI.
           - Task: Fix exposure.
           - Action: Shipped the DSP model.
           - Result: On time.
        """)
    story = got.story("DSP FD")  # the index names the story written under its question
    assert story["framework"] == "STAR"
    questions = {q["text"]: q for q in got.bank()["Ownership"]}
    assert questions["Tell me about a time you decided without your boss"]["stories"] == [story["id"]]
    # an index question with no story written under it keeps the names as a hint
    assert "Give me two instances when you went above and beyond — *AEC DNN*" in questions
    # the index heading's list of story names is about every story: kept, as a comment at the end
    assert "AEC issue DNN, DSP Face" not in story.get("notes", "")
    assert "# *Ownesrship (STAR):* AEC issue DNN, DSP Face" in got.text


def test_of_several_index_names_for_a_question_the_one_that_fits_its_story_titles_it(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### Bias for Action
        [Feature with risk](#Tell-me-about-a-time-when-you-launched-a-feature-with-known-risks)(Temporal Filtering, adding latency delay)(Gesture detection demo no device, simulated data)

        # Amazons Principles
        ## Bias For Action
        - #### Tell me about a time when you launched a feature with known risks
           - I had to train a gesture detection model without a device.
           - We simulated the data from the data sheet and trained a model.
           - The model worked after some finetuning.
        """)
    (story,) = got.stories().values()
    assert story["title"] == "Gesture detection demo no device, simulated data"  # not both names joined
    (question,) = got.bank()["Bias for Action"]
    # the other name names another story: it stays on the question's card, the title is not pasted there
    assert question["text"] == ("Tell me about a time when you launched a feature with known risks"
                                " — *Temporal Filtering, adding latency delay*")
    assert question["stories"] == [story["id"]]
    assert ("of the names the index gives for its question, this one fits the story; "
            "'Temporal Filtering, adding latency delay' kept on the question's card") in got.out


def test_an_index_name_that_is_not_the_story_written_under_the_question_does_not_title_it(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### Hire and develop the best
        [worked with smarter people](#Tell-me-about-a-time-you-hired-or-worked-with-people-smarter-than-you-are)(Dong and Altumview when I was Junior)

        [Above and beyond](#Give-me-two-instances-when-you-went-above-and-beyond-what-was-expected-of-you)(AEC DNN)

        # Amazons Principles
        ## Hire and develop the best
        - #### Tell me about a time you hired or worked with people smarter than you are
           - We wanted to hire an expert in computer graphics for a portrait relighting project.
           - We read papers first, then posted the job and handpicked the applicants.
           - We hired two interns competing with each other and kept the smarter one.
        - #### Give me two instances when you went above and beyond what was expected of you?
           - **DSP model** *we moved face detection to the DSP in two weeks, on my own call*
           - **Gesture detection dataset** *no data, so I organised a capture: 10K images in three days*
           - **AE issue with gesture detection** *the AEC flag for the on-sensor DNN was never enabled*
        """)
    hired, instances = got.stories().values()
    # no word of the name is in the story: the story keeps its question as title, the name its question card
    assert hired["title"] == "Tell me about a time you hired or worked with people smarter than you are"
    assert hired["label"] == "Hired or worked people"  # a label from a question drops its opening words
    # an answer listing several instances is not one story: a name of one of them does not title it
    assert instances["title"] == "Give me two instances when you went above and beyond what was expected of you?"
    bank = {q["text"]: q for q in got.bank()["Hire and Develop the Best"]}
    assert ("Tell me about a time you hired or worked with people smarter than you are"
            " — *Dong and Altumview when I was Junior*") in bank
    assert "Give me two instances when you went above and beyond what was expected of you? — *AEC DNN*" in bank
    assert "the index names it 'Dong and Altumview when I was Junior', but no word of it is in the story" in got.out
    assert "the index names it 'AEC DNN', but its answer lists several instances" in got.out


def test_index_question_under_a_non_principle_is_kept_as_notes(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### Conflict (SPSIL):
        [Conflict with manager](#Tell-me-about-a-conflict-with-your-manager) (Martin Story)

        ### Flaky deploys (Dive Deep)
        S: One.
        T: Two.
        A: Three.
        R: Four.
        """)
    assert "question_bank" not in got.data
    assert "Tell me about a conflict with your manager" in got.story("Flaky deploys")["notes"]
    assert "line 2: question under 'Conflict', which is not a principle: kept as notes" in got.out


# ---------------------------------------------------------------- questions to ask, reminders

def test_questions_for_the_interviewers(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ## 🙋 QUESTIONS FOR THEM

        **1.** *"What does success look like to you for this role?"* **(To all three)**

        **2.** *"What would you share? X, kick us off?"* **(If same answer, change order)**
        """)
    assert got.data["questions_to_ask"] == [
        {"text": "What does success look like to you for this role?", "to": "all three"},
        {"text": "What would you share? X, kick us off?", "note": "If same answer, change order"},
    ]


def test_reminders_grouped_by_bold_labels_and_sub_headings(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ## ⚠️ FINAL REMINDERS

        **Strategy:**
        - **30 min for VTO** (let them guide)
        - **Watch cues**

        **Confidence:**
        - **40M+ users**

        ## 🎯 YOU'VE GOT THIS!

        **Take break → Walk in confident**
        """)
    assert got.data["reminders"] == [
        {"heading": "Strategy", "items": ["**30 min for VTO** (let them guide)", "**Watch cues**"]},
        {"heading": "Confidence", "items": ["**40M+ users**"]},
        {"heading": "YOU'VE GOT THIS!", "items": ["**Take break → Walk in confident**"]},
    ]


# ---------------------------------------------------------------- nothing lost, ids and labels

def test_unrecognised_text_goes_to_the_nearest_story_and_into_the_report(tmp_path, run_cli):
    """Text among the stories goes to the nearest one; a preamble (text ending more than two
    lines above the first story: general questions, an index) is about no story in
    particular and is kept as comments at the end, not printed under the first story."""
    got = import_snippet(tmp_path, run_cli, """\
        Some general questions:
        ## Why Amazon?
        1. Best cloud services.

        ## My Stories
        Told in STAR, two minutes each.
        ### CMS (Ownership)
        S: One.
        T: Two.
        A: Three.
        R: Four.

        ### Hal (Earn Trust)
        S: One.
        T: Two.
        A: Three.
        R: Four.
        """)
    assert "notes" not in got.story("Hal")
    assert got.story("CMS")["notes"] == "**My Stories**\n\nTold in STAR, two minutes each."  # right above it
    assert "# Some general questions:" in got.text and "# 1. Best cloud services." in got.text
    assert "not recognised, kept as notes (3):" in got.out
    target = "a comment at the end of content/imported-notes.yaml"
    assert f"line 1: \"Some general questions:\" -> {target}" in got.out
    assert f"lines 2-3: \"**Why Amazon?** 1. Best cloud services.\" -> {target}" in got.out
    assert "lines 5-6: \"**My Stories** Told in STAR, two minutes each.\" -> notes of story 'cms'" in got.out


def test_unrecognised_text_in_a_project_goes_on_a_notes_card(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        # VTO PROJECT
        **Based on:** feedback from Mehul
        ## PHASE 1: WHY (2 min)
        **Trigger:** cost
        Expensive.
        """)
    extras = got.project()["extras"]
    assert extras == [{"title": "Notes", "answer": "**Based on:** feedback from Mehul"}]
    assert "line 2: \"**Based on:** feedback from Mehul\" -> the 'Notes' card of project 'vto-project'" in got.out


def test_ids_are_unique_slugs_and_labels_are_short(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### Python tutorial for using the .so file (Ownership)
        S: a
        T: b
        A: c
        R: d
        ### Python tutorial for using the .so file (Think Big)
        S: a
        T: b
        A: c
        R: d
        """)
    first, second = got.data["stories"]
    assert first["id"] == "python-tutorial-for-using-the-so-file"
    assert second["id"] == "python-tutorial-for-using-the-so-file-2"
    assert first["label"] == "Python tutorial .so file"
    assert len(second["label"]) <= 24 and second["label"] != first["label"]


def test_a_label_made_from_a_question_keeps_what_the_question_is_about(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ### Tell me about a time you had a conflict with a coworker or manager (Earn Trust)
        S: a
        T: b
        A: c
        R: d
        ### How do you manage a low performer in the team (Earn Trust)
        S: a
        T: b
        A: c
        R: d
        """)
    first, second = got.data["stories"]
    # not "Tell me about time you" twice (and "... 2"): the opening words say nothing in a matrix column
    assert (first["label"], second["label"]) == ("Had conflict coworker", "Manage low performer")


def test_emoji_decorating_headings_are_dropped_from_titles(tmp_path, run_cli):
    got = import_snippet(tmp_path, run_cli, """\
        ## 🎯 Launch story 🚀 (Deliver Results)
        S: a
        T: b
        A: c
        R: d ✅
        """)
    story = got.data["stories"][0]
    assert story["title"] == "Launch story"
    assert story["sections"]["result"] == "d ✅"  # emoji in text are the user's words and stay
