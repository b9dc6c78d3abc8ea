"""What the reader keeps between messages to save time reads the same as building it afresh, and
follows a change of the words it was built from."""

from __future__ import annotations

import re

from agent.reading.text import _alternation, alternation


def test_an_alternation_is_kept_per_word_list_and_follows_a_changed_list():
    units = {"box": 1, "pallet": 2, "roll": 3}
    first = alternation(units)
    hits = _alternation.cache_info().hits
    assert alternation(k for k in units) == first  # a generator of the same words: the kept one
    assert _alternation.cache_info().hits == hits + 1
    units["case of six"] = 4  # the catalog's words changed: a new alternation, not the kept one
    changed = alternation(units)
    assert changed != first and re.fullmatch(changed, "case  of six") and re.fullmatch(changed, "pallet")
    assert not re.fullmatch(first, "case of six")


def test_an_alternation_reads_as_before_longest_first_spaces_and_apostrophes_loose():
    pattern = alternation(["a", "you've been", "  ", "A"])
    assert pattern.split("|") == [r"you'?ve\s+been", "a"]
    assert re.fullmatch(pattern, "youve   been")
