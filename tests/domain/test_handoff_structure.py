"""The structural lint rules: every element present and complete (DESIGN.md §5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from deskapp.domain.enums import Mood, RiskLevel
from deskapp.domain.handoff import NextAction, NoteContent, Promise
from deskapp.domain.handoff_lint import Severity, blocks, lint

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
GOOD = NoteContent(
    risk=RiskLevel.WATCH,
    summary="Customer was charged twice for order #A123456 (2 x €49.95); second charge is real.",
    done="Verified identity, found both captures in the payment log, requested reversal REV-88.",
    next_actions=(NextAction("Check the reversal is visible", "Dana", NOW + timedelta(days=1)),),
    commitments=(Promise("Email confirmation of the reversal", NOW + timedelta(days=2)),),
    contingencies="If the reversal bounces, refund by bank transfer and tell the customer.",
    mood=Mood.FRUSTRATED,
    contact_preference="email only",
)


def _rules(note: NoteContent) -> set[str]:
    return {f.rule for f in lint(note, now=NOW)}


def test_a_complete_specific_note_passes():
    assert lint(GOOD, now=NOW) == []


@pytest.mark.parametrize(
    ("change", "rule", "field"),
    [
        ({"risk": None}, "no_risk", "risk"),
        ({"summary": "  "}, "empty", "summary"),
        ({"done": ""}, "empty", "done"),
        ({"next_actions": ()}, "no_next_action", "next_actions"),
        (
            {"next_actions": (NextAction("Call back", "", NOW + timedelta(hours=2)),)},
            "action_without_owner",
            "next_actions",
        ),
        (
            {"next_actions": (NextAction("Call back", "Dana", None),)},
            "action_without_due",
            "next_actions",
        ),
        (
            {"next_actions": (NextAction("Call back", "Dana", NOW - timedelta(hours=1)),)},
            "due_in_past",
            "next_actions",
        ),
        ({"commitments": ()}, "commitments_unstated", "commitments"),
        ({"commitments": (Promise("Call back", None),)}, "promise_without_date", "commitments"),
        ({"no_commitments": True}, "commitments_contradict", "commitments"),
        ({"contingencies": ""}, "no_contingency", "contingencies"),
        ({"mood": None}, "no_mood", "mood"),
    ],
)
def test_each_missing_element_blocks_with_a_reason_on_its_field(change, rule, field):
    findings = lint(NoteContent(**{**GOOD.__dict__, **change}), now=NOW)
    matching = [f for f in findings if f.rule == rule]
    assert matching and all(f.field == field and f.severity is Severity.BLOCK for f in matching)
    assert all(f.message.endswith((".", "?", "”.")) for f in findings)  # sentences for people
    assert blocks(findings)


def test_stable_needs_no_contingency_and_nothing_promised_can_be_said():
    note = NoteContent(**{**GOOD.__dict__, "risk": RiskLevel.STABLE, "contingencies": "",
                          "commitments": (), "no_commitments": True})  # fmt: skip
    assert lint(note, now=NOW) == []


def test_note_json_round_trips_and_rejects_what_is_not_a_note():
    assert NoteContent.from_json(GOOD.to_json()) == GOOD
    with pytest.raises(ValueError, match="time zone"):
        NoteContent.from_json({**GOOD.to_json(), "next_actions": [
            {"action": "x", "owner": "y", "due": "2026-11-25T10:00:00"}]})  # fmt: skip
    with pytest.raises(ValueError):
        NoteContent.from_json(["not", "a", "note"])
