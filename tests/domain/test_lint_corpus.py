"""Handoff lint against the labelled corpus: floors on the held-out half (never tuned on).

The figures themselves are in docs/handoff-lint-quality.md (``python -m
tests.domain.corpus_quality`` prints them).
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.domain.corpus_quality import FAMILIES, findings, load, score


def test_the_corpus_is_large_mixed_and_split_in_halves():
    items = load()
    assert len(items) >= 200
    splits = Counter(item.split for item in items)
    assert abs(splits["tune"] - splits["holdout"]) <= 4
    expects = Counter(item.expect for item in items)
    assert expects["pass"] >= 80 and expects["block"] >= 80 and expects["warn"] >= 30
    assert len({item.id for item in items}) == len(items)


def test_blocking_on_the_holdout_half_is_precise_and_complete():
    s = score(load("holdout"))
    assert s.precision >= 0.95, s
    assert s.recall >= 0.95, s


# no_deescalation: the corpus labels every frustrated customer, but lint spares a frustrated
# customer on a case judged stable (test_handoff_structure relies on it), so recall is lower.
RECALL_FLOORS = {"no_deescalation": 0.6}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_each_rule_family_on_the_holdout_half(family):
    s = score(load("holdout"), family)
    assert s.positives >= 6
    assert s.precision >= 0.9, s
    assert s.recall >= RECALL_FLOORS.get(family, 0.85), s


def test_every_note_labelled_pass_is_left_alone_on_both_halves():
    flagged = [item.id for item in load() if item.expect == "pass" and findings(item)]
    assert flagged == []
