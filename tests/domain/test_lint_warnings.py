"""Warnings: a copied note, a summary too short to stand alone, an upset customer with no
de-escalation noted. The author may read them and submit anyway."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskapp.domain.enums import Mood
from deskapp.domain.handoff import Promise
from deskapp.domain.handoff_lint import Severity, blocks, lint
from tests.domain.lint_notes import GOOD, NOW, changed, rules


def test_a_note_copied_from_the_previous_handoff_warns():
    found = lint(GOOD, now=NOW, previous=GOOD)
    assert [f.rule for f in found] == ["copied_note"]
    assert found[0].severity is Severity.WARN and not blocks(found)
    assert "what changed" in found[0].message


def test_a_copy_with_only_case_spacing_or_one_word_changed_still_warns():
    previous = changed(summary=GOOD.summary.upper(), done="  " + GOOD.done.replace(" ", "   "))
    assert "copied_note" in rules(GOOD, previous=previous)
    assert "copied_note" in rules(changed(done=GOOD.done + " today"), previous=GOOD)


def test_a_note_that_moved_on_is_not_a_copy():
    update = " Update: the reversal settled on 24 Nov and Priya confirmed the €64.90 is back."
    later = changed(done=GOOD.done + update)
    assert "copied_note" not in rules(later, previous=GOOD)
    assert "copied_note" not in rules(GOOD)  # no previous note: nothing to copy


@pytest.mark.parametrize(
    "summary", ["Double charge on order 5512-8830, reversal requested.", "Customer wants refund"]
)
def test_a_summary_too_short_to_stand_alone_warns(summary):
    found = [f for f in lint(changed(summary=summary), now=NOW) if f.rule == "short_summary"]
    assert len(found) == 1 and found[0].field == "summary"
    assert found[0].severity is Severity.WARN


def test_a_vague_summary_blocks_without_also_warning_it_is_short():
    assert rules(changed(summary="see above")) & {"vague_reference", "short_summary"} == {
        "vague_reference"
    }


NO_CALMING = {
    "done": "Confirmed both captures in the payment log, raised reversal REV-20931.",
    "commitments": (),
    "no_commitments": True,
    "contingencies": "If the reversal is rejected, pay back by bank transfer.",
}


@pytest.mark.parametrize("mood", [Mood.FRUSTRATED, Mood.ANGRY])
def test_an_upset_customer_with_no_deescalation_noted_warns(mood):
    found = [f for f in lint(changed(mood=mood, **NO_CALMING), now=NOW)
             if f.rule == "no_deescalation"]  # fmt: skip
    assert len(found) == 1 and found[0].field == "mood" and found[0].severity is Severity.WARN
    assert mood.value in found[0].message


@pytest.mark.parametrize(
    "calming",
    ["Apologised for the double charge.", "Said sorry and acknowledged the wait.",
     "Offered a call-back from the team lead.", "Escalated to the complaints manager.",
     "Gave a €10 goodwill credit.", "Apologized and expedited the refund."],
)  # fmt: skip
def test_deescalation_in_any_words_of_the_family_passes(calming):
    note = changed(mood=Mood.ANGRY, **{**NO_CALMING, "done": NO_CALMING["done"] + " " + calming})
    assert "no_deescalation" not in rules(note)


def test_a_dated_promise_to_the_customer_counts_as_deescalation_but_a_topic_word_does_not():
    promise = (Promise("Call her with the bank's decision", NOW + timedelta(days=1)),)
    base = changed(mood=Mood.ANGRY, **NO_CALMING)
    assert "no_deescalation" not in rules(changed(**{**base.__dict__, "commitments": promise,
                                                     "no_commitments": False}))  # fmt: skip
    topic = changed(**{**base.__dict__, "summary": GOOD.summary + " She asks about her discount."})
    assert "no_deescalation" in rules(topic)


@pytest.mark.parametrize("mood", [Mood.CALM, Mood.NEUTRAL])
def test_a_calm_customer_needs_no_deescalation(mood):
    assert "no_deescalation" not in rules(changed(mood=mood, **NO_CALMING))
