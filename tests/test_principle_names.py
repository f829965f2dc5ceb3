"""The usual ways people write a principle are taken as that principle (no 'did you mean')."""

from __future__ import annotations

import pytest

from deckbuilder.content.principles import PrincipleMatcher, builtin_set


@pytest.mark.parametrize("written", ["Develop the Best", "Hire and Develop", "hire & develop"])
def test_short_forms_of_hire_and_develop_the_best(written):
    assert PrincipleMatcher(builtin_set()).match(written) == "Hire and Develop the Best"
