"""A team's own rules add findings on top of the core; they can never relax the core."""

from __future__ import annotations

from deskapp.domain.handoff_lint import Severity, blocks, lint
from deskapp.domain.handoff_template import FieldSpec, HandoffTemplate, TeamRule
from tests.domain.lint_notes import GOOD, NOW, changed


def template(*rules: TeamRule) -> HandoffTemplate:
    return HandoffTemplate(2, (FieldSpec("summary", "Situation"),), rules)


def test_a_team_rule_that_matches_adds_its_finding_on_its_field():
    rule = TeamRule("summary", r"\border\s+\d", "Write the order number as #12345.", "block")
    found = [f for f in lint(GOOD, now=NOW, template=template(rule)) if f.rule == "team_rule"]
    assert len(found) == 1
    assert (found[0].field, found[0].severity) == ("summary", Severity.BLOCK)
    assert found[0].message == "Write the order number as #12345."


def test_a_team_rule_that_does_not_match_adds_nothing():
    rule = TeamRule("done", r"\bRMA-\d+", "Quote the RMA number.", "warn")
    assert lint(GOOD, now=NOW, template=template(rule)) == []


def test_a_team_warning_cannot_soften_a_core_block():
    note = changed(done="looked into it; card 4111 1111 1111 1111")
    relaxing = TeamRule("done", r".*", "Fine by our team.", "warn")
    found = lint(note, now=NOW, template=template(relaxing))
    assert {"vague_placeholder", "card_number"} <= {f.rule for f in found} or {"card_number"} <= {
        f.rule for f in found
    }
    assert blocks(found)
    assert all(f.severity is Severity.BLOCK for f in found if f.rule == "card_number")


def test_a_broken_pattern_is_reported_not_a_crash_and_the_other_rules_still_run():
    broken = TeamRule("summary", r"(unclosed", "Mention the region.", "block")
    good = TeamRule("summary", r"Priya", "Do not use first names.", "warn")
    found = lint(GOOD, now=NOW, template=template(broken, good))
    invalid = [f for f in found if f.rule == "team_rule_invalid"]
    assert len(invalid) == 1 and invalid[0].severity is Severity.WARN
    assert "team lead" in invalid[0].message
    assert any(f.rule == "team_rule" and f.field == "summary" for f in found)
    assert not blocks(found)


def test_a_rule_on_next_actions_looks_at_each_action():
    rule = TeamRule("next_actions", r"reversal", "Reversals go to the payments queue.", "warn")
    found = [f for f in lint(GOOD, now=NOW, template=template(rule)) if f.rule == "team_rule"]
    assert [(f.field, f.message) for f in found] == [
        ("next_actions", "Next action 1: Reversals go to the payments queue.")
    ]
