"""Splitting a heading's tag group into principles: names joined by '&', 'and', '+' or ';'
are each kept, in the order written, while names that contain 'and' or ';' themselves
("Learn and Be Curious", "Have Backbone; Disagree and Commit") stay whole, and words that
name nothing come back as unknown (the import reports them) instead of vanishing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deckbuilder.content.principles import builtin_set
from deckbuilder.importer.tags import TagMatcher

MATCHER = TagMatcher(builtin_set())
NAMES = [p.name for p in builtin_set().principles]


@pytest.mark.parametrize(("group", "principles", "unknown"), [
    ("Customer Obsession|Ownership", ["Customer Obsession", "Ownership"], []),
    ("Ownership and Customer Obsession", ["Ownership", "Customer Obsession"], []),
    ("Customer Obsession & Ownership", ["Customer Obsession", "Ownership"], []),
    ("Dive Deep & Ownership", ["Dive Deep", "Ownership"], []),
    ("Ownership + Dive Deep", ["Ownership", "Dive Deep"], []),
    ("Ownership; Dive Deep", ["Ownership", "Dive Deep"], []),
    ("Learn and Be Curious", ["Learn and Be Curious"], []),
    ("Invent & Simplify", ["Invent and Simplify"], []),
    ("Hire and Develop the Best", ["Hire and Develop the Best"], []),
    ("Have Backbone; Disagree and Commit", ["Have Backbone; Disagree and Commit"], []),
    ("Success and Scale Bring Broad Responsibility", ["Success and Scale Bring Broad Responsibility"], []),
    ("Hire and Develop the Best and Learn and Be Curious", ["Hire and Develop the Best", "Learn and Be Curious"], []),
    ("Have Backbone; Disagree and Commit and Ownership", ["Have Backbone; Disagree and Commit", "Ownership"], []),
    # misspellings, alone or next to other names
    ("Ownesrship and dive deep", ["Ownership", "Dive Deep"], []),
    ("Customer Obsesion & Ownesrship", ["Customer Obsession", "Ownership"], []),
    ("Learn and be curios", ["Learn and Be Curious"], []),
    ("Are right alot and Dive Deep", ["Are Right, A Lot", "Dive Deep"], []),
    ("Hire & Develp the Best + Ownership", ["Hire and Develop the Best", "Ownership"], []),
    ("Dive deep|Customer Obsession|Invent Simplify|Learn and be curious",
     ["Dive Deep", "Customer Obsession", "Invent and Simplify", "Learn and Be Curious"], []),
    ("invent | dive deep", ["Invent and Simplify", "Dive Deep"], []),
    # what names nothing is returned, not dropped
    ("Ownership and Teamwork", ["Ownership"], ["Teamwork"]),
    ("Ownership mindset", ["Ownership"], ["mindset"]),
    ("Łódź and Ownership", ["Ownership"], ["Łódź"]),
    # parentheses that are not tags name no principle
    ("Meta, 2019", [], ["Meta", "2019"]),
    ("Only If Asked", [], ["Only If Asked"]),
    ("we had to deliver in two weeks with the whole team", [], ["we had to deliver in two weeks with the whole team"]),
])
def test_split_tag_group(group, principles, unknown):
    found, _, missing = MATCHER.split_tag_group(group)
    assert (found, missing) == (principles, unknown)


def test_framework_words_are_not_principles():
    assert MATCHER.split_tag_group("SPSIL; Ownership") == (["Ownership"], ["SPSIL"], [])


@given(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True),
       st.lists(st.sampled_from([" & ", " and ", " + ", "; ", " | ", ", ", " / "]), min_size=3, max_size=3),
       st.booleans())
def test_any_names_joined_any_way_come_back_in_order(names, joins, lower):
    written = [n.lower() if lower else n for n in names]
    group = written[0] + "".join(j + n for j, n in zip(joins, written[1:]))
    assert MATCHER.split_tag_group(group) == (names, [], [])
