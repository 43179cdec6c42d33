"""Full card numbers and passwords block in any text of a note; look-alikes and talk pass."""

from __future__ import annotations

from datetime import timedelta

import pytest

from deskapp.domain.handoff import NextAction
from deskapp.domain.handoff_lint import Severity, lint
from deskapp.domain.lint_sensitive import card_numbers, password_given
from tests.domain.lint_notes import NOW, changed


@pytest.mark.parametrize(
    "text",
    ["Customer read out 4111111111111111 to pay.", "Card used: 5454 5454 5454 5454",
     "Card 6011-1111-1111-1117 charged twice.", "Amex 3782 822463 10005 exp 03/28",
     "Old Visa 4222222222222 (13 digits).", "UnionPay 6212345678901234569 declined.",
     "New card is 2223-0000-4840-0011.", "Visa:4000001234567899",
     "Card details: 5454-5454 5454-5454.", "order 5512 4111 1111 1111 1111 paid"],
)  # fmt: skip
def test_luhn_valid_card_numbers_in_many_formats_are_found(text):
    assert card_numbers(text)


@pytest.mark.parametrize(
    "text",
    ["Amazon order 113-4567890-1234567.", "USPS tracking 9400 1000 0000 0000 0000 00",
     "FedEx 7712 3456 7890", "Mobile +44 7700 900123, landline (020) 7946-0958",
     "Call +1 (555) 010-4477 after 15:00", "Phone 0044 20 7946 0958",
     "Refund to the card ending 4242.", "Masked card 4111 **** **** 1111",
     "IBAN DE89 3704 0044 0532 0130 00", "IBAN GB29 NWBK 6016 1331 9268 19",
     "Invoice dated 2026-10-02, paid 24/10/2026", "Transaction ID 20261102153011",
     "Card 4111 1111 1111 1112 (a typo, not Luhn-valid)",
     "Order number 4539578763621486 from the legacy shop",
     "Tracking 1Z999AA10123456784", "Parcel 00340434161094022115"],
)  # fmt: skip
def test_look_alike_numbers_pass(text):
    assert card_numbers(text) == []


def test_a_card_written_in_card_groups_blocks_even_after_a_reference_label():
    assert card_numbers("Carrier reference 4917 6100 0000 0000 and depot HB-22")


@pytest.mark.parametrize(
    "text",
    ["Customer's password is Summer2024! and he wants it kept.", "pw: hunter2",
     "Login: user jvdberg, pass=Tulip#88", "Set a temp password X7k!pq for her.",
     "Reset his password to Welcome1.", "Password: bluebird77",
     "She gave her password 'Marmalade' on the phone.", "pwd=Rotterdam2026",
     "Account password was set to Winter2025$", "the password she uses is Tulpen2023",
     "passcode 7391, she asked us to remember it", "PIN is 4829"],
)  # fmt: skip
def test_a_password_given_is_found(text):
    assert password_given(text)


@pytest.mark.parametrize(
    "text",
    ["Sent a password reset link to the verified email.",
     "Customer forgot their password; the reset email was in spam.",
     "Password reset requested through the app.", "His password is not working since the update.",
     "The password is case-sensitive; caps lock was on.", "Pw reset done by the customer.",
     "Password was changed by someone else yesterday.", "Pass the case to billing on Friday.",
     "Temporary password expired; sent a fresh reset link.",
     "Explained that passwords must have at least 12 characters.",
     "Customer wanted to tell me his password and I stopped him.",
     "PIN reset letter posted to the billing address."],
)  # fmt: skip
def test_talk_about_passwords_passes(text):
    assert not password_given(text)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"summary": "Charged twice on card 4111 1111 1111 1111 for order 5512-8830 today."},
         "summary"),
        ({"contact_preference": "email; pw: hunter2"}, "contact_preference"),
        ({"next_actions": (NextAction("Charge 5454545454545454 for the €29 balance", "Dana",
                                      NOW + timedelta(hours=2)),)}, "next_actions"),
        ({"extra": {"order_ref": "card 4111-1111-1111-1111"}}, "order_ref"),
    ],
)  # fmt: skip
def test_sensitive_data_blocks_in_any_text_field_without_repeating_it(change, field):
    found = [f for f in lint(changed(**change), now=NOW) if f.rule in ("card_number", "password")]
    assert len(found) == 1 and found[0].field == field
    assert found[0].severity is Severity.BLOCK
    assert "1111" not in found[0].message and "hunter2" not in found[0].message
    assert "Never write" in found[0].message
