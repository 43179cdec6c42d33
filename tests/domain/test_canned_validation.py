"""Checking a canned response before it is saved: each problem on its field, in a sentence the
writer can act on, and nothing flagged in the text a rep actually writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deskapp.domain.canned_validation import (
    CATEGORIES,
    CATEGORY_LABELS,
    MAX_BODY_BYTES,
    category_value,
    check_response,
    clean_shortcut,
    clean_tags,
)

STARTER = Path(__file__).parents[2] / "resources" / "starter" / "canned_responses.json"


def problems(body: str = "Hi {{customer.first_name}}, {{cursor}}", **fields: object) -> dict:
    values = {"title": "Greeting", "shortcut": "hi", "category": "greeting", "tags": ()}
    values.update(fields)
    found = check_response(
        values["title"],
        values["shortcut"],
        values["category"],  # type: ignore[arg-type]
        values["tags"],
        body,
    )  # type: ignore[arg-type]
    grouped: dict[str, list[str]] = {}
    for problem in found:
        grouped.setdefault(problem.field, []).append(problem.message)
    return grouped


def test_a_good_response_has_no_problems():
    assert problems() == {}


def test_every_starter_response_passes_and_uses_a_known_category():
    starter = json.loads(STARTER.read_text(encoding="utf-8"))["responses"]
    for response in starter:
        assert (
            check_response(
                response["title"],
                response.get("shortcut"),
                response["category"],
                response.get("tags", []),
                response["body"],
            )
            == ()
        ), response["title"]
    assert {r["category"] for r in starter} == set(CATEGORY_LABELS)


def test_categories_have_labels_and_are_accepted_by_value_or_label():
    assert CATEGORIES[0] == ("greeting", "Greeting")
    assert category_value("Apology and Empathy") == "apology and empathy"
    assert category_value("  refunds   and chargebacks ") == "refunds and chargebacks"
    assert category_value("general") is None
    message = problems(category="refundz")["category"][0]
    assert "“refundz” is not a category" in message and "Refunds and chargebacks" in message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Hi <script>alert(1)</script>", "remove the <script> tag"),
        ("<b>Thanks</b> for <a href='x'>waiting</a>", "remove the <b> and <a> tags"),
        ('<div class="note">x</div>', "remove the <div> tag"),
        ("<span onclick=x>hi</span>", "remove the <span> tag"),
        ("<!-- hidden --> hello", "HTML comment"),
    ],
)
def test_markup_is_refused_naming_the_tag(body, expected):
    messages = problems(body)["body"]
    assert any(expected in m and m.startswith("Responses are plain text") for m in messages)


def test_angle_brackets_in_plain_text_are_not_markup():
    assert problems("Order <order number> arrives in < 3 days <3 and 5 > 4.") == {}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Hi {{customer.name",
            "“{{customer.name” is not closed: end it with }}, as in {{customer.name}}.",
        ),
        (
            "Hi {{customer.nmae}}",
            "“{{customer.nmae}}” is an unknown placeholder — did you mean {{customer.name}}?",
        ),
        ("Hi {{cusor}}", "did you mean {{cursor}}?"),
        ("Hi {{customer-name}}", "“{{customer-name}}” is not a placeholder"),
        ("Hi {{}}", "“{{}}” is not a placeholder"),
    ],
)
def test_broken_or_misspelt_placeholders_are_named_with_a_fix(body, expected):
    assert any(expected in message for message in problems(body)["body"]), problems(body)


def test_known_placeholders_cursor_and_other_names_are_fine():
    body = "{{ Customer.First_Name }} {{case.key}} {{cursor}} {{refund.amount}} {{today}}"
    assert problems(body) == {}  # {{refund.amount}} is asked for when the response is used


def test_a_100_kb_body_is_refused_with_its_size_and_the_limit():
    message = problems("x" * 100_000)["body"]
    assert message == [
        f"The text is 100 KB (100,000 bytes); a response may hold at most "
        f"{MAX_BODY_BYTES // 1000} KB. Shorten it or split it into two responses."
    ]
    assert problems("é" * (MAX_BODY_BYTES // 2)) == {}  # bytes counted, exactly at the limit
    assert "body" in problems("é" * (MAX_BODY_BYTES // 2 + 1))


def test_empty_title_and_body_and_control_characters():
    assert problems("   ", title=" ") == {
        "title": ["Give the response a title, so people can find it."],
        "body": ["Write the text of the response."],
    }
    assert "control characters" in problems("Hi\x00there")["body"][0]
    assert "one line" in problems(title="Two\nlines")["title"][0]
    assert "200 at most" in problems(title="t" * 201)["title"][0]


@pytest.mark.parametrize(
    ("shortcut", "expected"),
    [
        ("sorry wait", "has spaces in it"),
        ("x" * 31, "keep it to 30 at most"),
        ("héllo!", "cannot be a shortcut"),
    ],
)
def test_bad_shortcuts(shortcut, expected):
    assert expected in problems(shortcut=shortcut)["shortcut"][0]


def test_shortcuts_and_tags_are_cleaned_before_checking():
    assert clean_shortcut(" /SorryWait ") == "sorrywait"
    assert clean_shortcut("  ") is None and clean_shortcut(None) is None
    assert problems(shortcut=None) == {}
    assert clean_tags([" email ", "Email", "", "opening  hours"]) == ("email", "opening hours")
    assert "two tags" in problems(tags=("a,b",))["tags"][0]
    assert "too many" in problems(tags=tuple(f"t{i}" for i in range(13)))["tags"][0]
