"""The starter canned-response library, as the installed package ships it: enough responses in
every category to start a team's day, each one valid and each one able to go to a customer
without a raw placeholder."""

from __future__ import annotations

from collections import Counter

from deskapp.domain.canned_validation import CATEGORY_LABELS, check_response, clean_shortcut
from deskapp.domain.placeholders import KNOWN, resolve
from deskapp.services.demo.canned_library import starter_responses

MIN_RESPONSES = 36  # "a few dozen"
MIN_PER_CATEGORY = 3


def test_the_packaged_starter_library_loads_with_a_few_dozen_responses():
    responses = starter_responses()  # read through importlib.resources, as a frozen app does
    assert len(responses) >= MIN_RESPONSES


def test_every_category_has_a_few_responses():
    per_category = Counter(r["category"] for r in starter_responses())
    assert set(per_category) == set(CATEGORY_LABELS), "all nine categories, none unknown"
    assert min(per_category.values()) >= MIN_PER_CATEGORY, per_category


def test_every_starter_response_validates_and_shortcuts_and_titles_are_unique():
    responses = starter_responses()
    for r in responses:
        problems = check_response(
            r["title"], clean_shortcut(r.get("shortcut")), r["category"], r.get("tags", []),
            r["body"],
        )  # fmt: skip
        assert problems == (), (r["title"], [str(p) for p in problems])
    shortcuts = [r["shortcut"] for r in responses]
    assert len(set(shortcuts)) == len(shortcuts)
    assert len({r["title"] for r in responses}) == len(responses)


def test_with_a_case_in_hand_only_details_the_rep_must_supply_are_left_to_ask():
    """The case fills every standard placeholder; what remains (an amount, a date) is a
    well-formed name the placeholder form asks for, never a broken or misspelt standard one."""
    values = {key: f"<{key}>" for key in KNOWN}
    for r in starter_responses():
        result = resolve(r["body"], values)
        for item in result.unresolved:
            assert item.reason == "unknown" and item.key not in KNOWN, (r["title"], item)
        assert "{{cursor}}" not in result.text
        answers = {item.key: "x" for item in result.unresolved}
        assert "{{" not in resolve(r["body"], values, answers).text, r["title"]
