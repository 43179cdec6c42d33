"""Vague text blocks, in every field the next rep acts on (DESIGN.md §5)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskapp.domain.handoff import NextAction, Promise
from deskapp.domain.handoff_lint import Severity, lint
from deskapp.domain.lint_vague import is_mash, vagueness
from tests.domain.lint_notes import GOOD, NOW, changed, rules


def test_the_good_note_has_no_findings():
    assert lint(GOOD, now=NOW) == []


@pytest.mark.parametrize(
    "text",
    ["n/a", "N/A", "tbd", "TBA", "todo", "?", "-", "...", "ok", "fyi", "done", "Checked.",
     "Looked into it.", "Working on it", "will do", "Had a look at it, all good",
     "Dealt with it", "Taken care of.", "In progress", "Followed up, still pending"],
)  # fmt: skip
def test_placeholders_and_their_paraphrases_block(text):
    verdict = vagueness(text, "done")
    assert verdict is not None and verdict.rule == "vague_placeholder"
    assert "what you checked, changed or sent" in verdict.message  # says what to write


@pytest.mark.parametrize(
    "text",
    ["see above", "As above", "Same as before.", "see previous", "per previous note",
     "Refer to the earlier notes on this case.", "same issue as last time", "As discussed",
     "Customer called again, no change since yesterday's note"],
)  # fmt: skip
def test_pointers_elsewhere_block(text):
    verdict = vagueness(text, "summary")
    assert verdict is not None and verdict.rule == "vague_reference"


def test_a_pointer_beside_real_facts_passes():
    text = "As discussed, refund €20 for late delivery of order 55123 to the original card."
    assert vagueness(text, "summary") is None


@pytest.mark.parametrize(
    "text", ["asdf", "qwerty", "jjjjjjj", "asdfasdf jkl", "sdfsdf", "dkjfhg sdkfj", "qwe qwe qwe",
             "lkjlkj", "zxcvbn", "aaaaaaaa"],
)  # fmt: skip
def test_keyboard_mash_blocks(text):
    assert is_mash(text)
    verdict = vagueness(text, "summary")
    assert verdict is not None and verdict.rule == "vague_mash"


@pytest.mark.parametrize(
    "text",
    ["Der Kunde möchte die Mehrwertsteuer auf Rechnung INV-2026-04417 separat ausgewiesen.",
     "Zkontroloval jsem platbu, čtvrtá splátka chybí; poslal jsem výzvu.",
     "Strč prst skrz krk: zákazník cituje jazykolam.",
     "客户的订单退款十二天后仍未到账，已提供收单参考号。",
     "Property tax invoice for the Wertheim office was sent twice.",
     "Rhythm of the HTTPS errors matches the CDN outage."],
)  # fmt: skip
def test_real_sentences_in_other_languages_are_not_mash_or_vague(text):
    assert not is_mash(text)
    assert vagueness(text, "summary") is None


@pytest.mark.parametrize(
    ("text", "kind"), [("Refund", "summary"), ("Billing query", "summary"), ("Refund", "action")]
)
def test_too_few_words_that_say_something_block(text, kind):
    verdict = vagueness(text, kind)
    assert verdict is not None and verdict.rule == "vague_too_few_words"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Customer wants refund", "summary"), ("Call customer back", "action"),
     ("Refund issued", "done"), ("Email the refund confirmation", "promise"),
     ("If no reply by Friday, close the case", "contingencies")],
)  # fmt: skip
def test_short_but_specific_text_passes(text, kind):
    assert vagueness(text, kind) is None


@pytest.mark.parametrize(
    ("change", "field", "where"),
    [
        ({"summary": "see above"}, "summary", ""),
        ({"done": "looked into it"}, "done", ""),
        ({"contingencies": "tbd"}, "contingencies", ""),
        ({"next_actions": (NextAction("follow up", "Dana", NOW + timedelta(hours=3)),)},
         "next_actions", "Next action 1: "),
        ({"commitments": (Promise("will update", NOW + timedelta(hours=3)),)},
         "commitments", "Promise 1: "),
    ],
)  # fmt: skip
def test_vague_text_blocks_on_its_own_field(change, field, where):
    found = [f for f in lint(changed(**change), now=NOW) if f.rule.startswith("vague_")]
    assert len(found) == 1
    assert found[0].field == field and found[0].severity is Severity.BLOCK
    assert found[0].message.startswith(where) and found[0].message.endswith((".", "”."))


def test_a_blank_field_is_reported_once_as_empty_not_also_as_vague():
    assert rules(changed(summary="   ")) & {"empty", "vague_placeholder"} == {"empty"}
