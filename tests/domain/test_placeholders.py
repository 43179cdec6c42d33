"""Placeholders resolve from a fixed list in one pass; nothing unresolved slips through."""

from __future__ import annotations

import json
import re
from pathlib import Path

from deskapp.domain.placeholders import KNOWN, Unresolved, problems, resolve

VALUES = {
    "customer.first_name": "Ana",
    "customer.name": "Ana Souza",
    "case.key": "C-42",
    "case.subject": "Refund missing",
    "agent.first_name": "Sam",
    "team.name": "Billing",
    "today": "3 May 2025",
    "customer.local_time": "14:05",
    "commitment.next_due": "Mon 5 May 10:00",
}
STARTER = Path(__file__).parents[2] / "resources" / "starter" / "canned_responses.json"


def test_every_known_placeholder_resolves_from_the_values() -> None:
    body = " | ".join("{{" + name + "}}" for name in KNOWN)
    result = resolve(body, VALUES)
    assert result.text == " | ".join(VALUES[name] for name in KNOWN)
    assert result.complete


def test_caret_lands_at_the_cursor_marker_which_leaves_no_trace() -> None:
    result = resolve("Hi {{customer.first_name}},\n\n{{cursor}}\n\nSam", VALUES)
    assert result.text == "Hi Ana,\n\n\n\nSam"
    assert result.caret == len("Hi Ana,\n\n")


def test_without_a_cursor_marker_the_caret_goes_to_the_end_and_extra_markers_vanish() -> None:
    assert resolve("Thanks {{customer.first_name}}", VALUES).caret == len("Thanks Ana")
    twice = resolve("a{{cursor}}b{{cursor}}c", VALUES)
    assert (twice.text, twice.caret) == ("abc", 1)


def test_a_value_that_looks_like_a_placeholder_stays_literal() -> None:
    values = {**VALUES, "customer.name": "{{agent.first_name}}", "case.subject": "{{cursor}}"}
    result = resolve("Dear {{customer.name}}, re: {{case.subject}}. {{agent.first_name}}", values)
    assert result.text == "Dear {{agent.first_name}}, re: {{cursor}}. Sam"
    assert result.complete  # the customer's text is not treated as a placeholder
    assert result.caret == len(result.text)


def test_answers_are_inserted_literally_too() -> None:
    result = resolve("Refund of {{refund.amount}}", VALUES, {"refund.amount": "{{today}}"})
    assert result.text == "Refund of {{today}}" and result.complete


def test_unknown_names_are_listed_once_and_kept_raw_for_the_preview() -> None:
    result = resolve("{{refund.amount}} by {{refund.due}}; again {{refund.amount}}", VALUES)
    assert result.unresolved == (
        Unresolved("refund.amount", "{{refund.amount}}", "unknown"),
        Unresolved("refund.due", "{{refund.due}}", "unknown"),
    )
    assert result.text == "{{refund.amount}} by {{refund.due}}; again {{refund.amount}}"
    assert not result.complete
    assert result.unresolved[0].label == "Refund amount"


def test_a_known_placeholder_without_a_value_is_asked_for() -> None:
    result = resolve("Due {{commitment.next_due}}", {**VALUES, "commitment.next_due": ""})
    assert result.unresolved == (
        Unresolved("commitment.next_due", "{{commitment.next_due}}", "no_value"),
    )
    answered = resolve("Due {{commitment.next_due}}", {}, {"commitment.next_due": "Friday"})
    assert answered.text == "Due Friday" and answered.complete


def test_spaces_inside_the_braces_are_forgiven() -> None:
    result = resolve("{{ customer.name }} / {{ customer . name }} / {{\tcase.key}}", VALUES)
    assert result.text == "Ana Souza / Ana Souza / C-42"


def test_capitals_in_a_name_mean_the_same_placeholder() -> None:
    assert resolve("{{Customer.Name}} {{CURSOR}}!", VALUES).text == "Ana Souza !"


def test_an_unclosed_placeholder_is_malformed_and_asked_about() -> None:
    result = resolve("Hi {{customer.name, thanks for {{case.key}}", VALUES)
    assert result.unresolved == (Unresolved("{{customer.name", "{{customer.name", "malformed"),)
    assert result.text == "Hi {{customer.name, thanks for C-42"
    assert "Broken placeholder" in result.unresolved[0].label
    fixed = resolve("Hi {{customer.name, thanks", VALUES, {"{{customer.name": "Ana"})
    assert fixed.text == "Hi Ana, thanks" and fixed.complete


def test_braces_around_something_that_is_not_a_name_are_malformed() -> None:
    for body in ("{{customer-name}}", "{{}}", "{{ 1 + 1 }}", "{{__import__('os')}}"):
        result = resolve(body, VALUES)
        assert [u.reason for u in result.unresolved] == ["malformed"], body


def test_an_extra_brace_stays_a_brace() -> None:
    assert resolve("{{{case.key}}}", VALUES).text == "{C-42}"


def test_text_without_placeholders_is_untouched() -> None:
    body = "Plain <b>text</b> with } and { and }} alone."
    assert resolve(body, VALUES) == resolve(body, {})
    assert resolve(body, VALUES).text == body


def test_problems_name_broken_and_misspelt_placeholders_for_the_writer() -> None:
    found = problems("Hi {{customer.frist_name}}, {{refund.amount}} {{case.key")
    assert len(found) == 2
    assert "did you mean {{customer.first_name}}" in found[0]
    assert "“{{case.key” is not a complete placeholder" in found[1]
    assert problems("Hi {{customer.first_name}} {{cursor}}") == []


def test_every_starter_response_resolves_to_known_or_asked_placeholders() -> None:
    responses = json.loads(STARTER.read_text(encoding="utf-8"))["responses"]
    for response in responses:
        assert problems(response["body"]) == [], response["title"]
        result = resolve(response["body"], VALUES)
        assert all(u.reason == "unknown" for u in result.unresolved)
        answers = {u.key: "x" for u in result.unresolved}
        assert not re.search(r"\{\{", resolve(response["body"], VALUES, answers).text)
