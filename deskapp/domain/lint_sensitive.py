"""Data that must never be written into a handoff note: full card numbers and passwords.

Card numbers: runs of 13 to 19 digits (single spaces or dashes allowed between digits) that pass
the Luhn check and start like a payment card (Visa, Mastercard, Amex, Discover, JCB, Diners,
UnionPay, Maestro). Phone numbers (a leading +), IBANs, numbers labelled as an order,
tracking or other reference, and "card ending 4242" pass.

Passwords: a password given in the text ("password is Summer2024!", "pw: hunter2",
"temp password X7k!pq") blocks; talk about passwords ("sent a reset link", "password reset
requested", "password is not working") passes. Pure Python.
"""

from __future__ import annotations

import re

CARD_MESSAGE = (
    "This looks like a full card number. Never write card numbers in a note: remove it and, "
    "if needed, write “card ending 1234” instead."
)
CREDENTIAL_MESSAGE = (
    "This gives a password. Never write passwords in a note: remove it and write what was "
    "done instead, e.g. “sent a password reset link”."
)

_DIGIT_RUN = re.compile(r"(?<![\w+])\d(?:[ -]?\d)*(?!\w)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
# A number right after one of these is a reference, not a card ("order 4000 1234 …").
_REFERENCE_LABEL = re.compile(
    r"(?:order|tracking|track|parcel|shipment|waybill|awb|consignment|invoice|ref|reference|"
    r"transaction|txn|case|ticket|incident|serial|account|customer|member|meter|iban|arn|"
    r"id|no\.?|number|nr\.?|#)\s*(?:number|no\.?|nr\.?|id|#)?\s*[:#]?\s*$",
    re.IGNORECASE,
)
# Written the way cards are printed (4-4-4-4, Amex 4-6-5): a label does not excuse it.
_CARD_GROUPS = re.compile(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{5}")
_CARD_WORD = re.compile(r"\b(?:card|visa|mastercard|amex|cc|credit|debit|pan)\b", re.IGNORECASE)


def card_numbers(text: str) -> list[str]:
    """The full card numbers in ``text`` (digits only), in order."""
    masked = _IBAN.sub(lambda m: "x" * len(m.group()), text)
    found: list[str] = []
    for match in _DIGIT_RUN.finditer(masked):
        before = masked[max(0, match.start() - 30) : match.start()]
        for digits in _candidates(match.group()):
            if not (_looks_like_card(digits) and _luhn_valid(digits)):
                continue
            labelled = _REFERENCE_LABEL.search(before) and not _CARD_WORD.search(before)
            if labelled and not _CARD_GROUPS.search(match.group()):
                continue
            found.append(digits)
    return found


def _candidates(run: str) -> list[str]:
    """The run itself, or for a longer run of groups ("order 5512 4111 1111 1111 1111"), each
    stretch of whole groups that is card-length. One unbroken long number is not split."""
    groups = re.split(r"[ -]", run)
    whole = "".join(groups)
    if len(whole) <= 19 or len(groups) == 1:
        return [whole] if 13 <= len(whole) <= 19 else []
    stretches = []
    for first in range(len(groups)):
        for last in range(first + 1, len(groups) + 1):
            digits = "".join(groups[first:last])
            if 13 <= len(digits) <= 19:
                stretches.append(digits)
    return stretches


def _looks_like_card(digits: str) -> bool:
    """Starts like a payment card's issuer range (first digits), so a Luhn-valid transaction
    id starting 1, 7, 8, 9 or 0 passes."""
    two, four = int(digits[:2]), int(digits[:4])
    return (
        digits[0] == "4"  # Visa
        or 51 <= two <= 55
        or 2221 <= four <= 2720  # Mastercard
        or two in (34, 37)  # Amex
        or two in (36, 38, 39)
        or 300 <= int(digits[:3]) <= 305  # Diners
        or digits.startswith(("6011", "65", "64", "62"))  # Discover, UnionPay
        or 3528 <= four <= 3589  # JCB
        or two in (50, 56, 57, 58, 60, 63, 67, 68, 69)  # Maestro and local schemes
    )


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


# ------------------------------------------------------------------------------- passwords
# The words for a secret, in the forms reps write them.
_CREDENTIAL_WORD = r"(?:password|passwort|passwd|passcode|passphrase|pwd|pw|pass|pin|mot de passe)"
# The word, optionally "temp/new/…", then how the value is given, then the value itself.
_GIVEN = re.compile(
    r"\b(?P<label>" + _CREDENTIAL_WORD + r")\b"
    r"(?P<link>\s*(?::=|[:=])\s*|(?:\s+[^\W\d]+){0,3}?\s+(?:is now|was set to|set to|is|was)\s+"
    r"|\s+to\s+|\s+)"
    r"(?P<quote>['\"‘“]?)(?P<value>[^\s'\"’”,;]+)",
    re.IGNORECASE,
)
_SET_TO = re.compile(
    r"\b(?:reset|set|changed?)\s+(?:his|her|their|the|your|my)?\s*(?:temporary\s+|temp\s+|new\s+)?"
    + _CREDENTIAL_WORD
    + r"\s+(?:to|as)\s+(?P<quote>['\"‘“]?)(?P<value>[^\s'\"’”,;]+)",
    re.IGNORECASE,
)
# What follows "password is …" when someone talks ABOUT a password rather than giving one.
_TALK_WORDS = frozenset(
    """reset resets resetting expired expires wrong incorrect correct right working works
    changed change locked blocked invalid valid unknown forgotten forgot required needed sent
    updated fine ok okay case-sensitive sensitive weak strong too not now still being also the
    a an their his her my your our its same different old new temporary temp missing
    compromised leaked stolen set saved stored accepted rejected fixed sorted unchanged empty
    blank hidden masked protected complex short long policy requirements rules field prompt
    page screen link email sms text request requested requests manager protected hashed in
    on for with by via and or but if when after before again never always only just mandatory
    rule length characters digits letters symbols expiry expiring entry entered attempts
    attempt lockout reuse recovery hint hints question questions through changes changing
    typed sharing shared protection""".split()  # noqa: SIM905 - a word list reads as prose
)


def password_given(text: str) -> bool:
    """Does ``text`` give a password's value (not only mention passwords)?"""
    for pattern in (_SET_TO, _GIVEN):
        for match in pattern.finditer(text):
            value = match.group("value").rstrip(".!?)")
            if _looks_like_secret(match, value):
                return True
    return False


def _looks_like_secret(match: re.Match[str], value: str) -> bool:
    raw = match.group("value")
    if not value or value.lower() in _TALK_WORDS or value.lower().rstrip(".") in _TALK_WORDS:
        return False
    label = (match.groupdict().get("label") or "").lower()
    link = _link_kind(match.groupdict().get("link") or "")
    quoted = bool(match.group("quote"))
    shaped = (
        any(ch.isdigit() for ch in raw)
        or any(not ch.isalnum() for ch in raw.rstrip(".!?)"))
        or (any(ch.isupper() for ch in raw[1:]) and any(ch.islower() for ch in raw))
    )
    if label == "pin":
        return bool(re.fullmatch(r"\d{4,8}", value)) and link != "direct"
    if label == "pass" and link == "direct":
        return shaped and len(value) >= 6 and not value.isdigit()  # "pass the case to …"
    if quoted or link == "given":
        return len(value) >= 3
    if link == "is":
        return shaped or len(value) >= 6
    return shaped and len(value) >= 4


def _link_kind(link: str) -> str:
    """How the value follows the word: "given" (":", "=", "set to", "is now"), "is" ("is",
    "was", maybe after a few words), "to", or "direct" (only a space)."""
    text = " ".join(link.split()).lower()
    if text.endswith((":", "=", "is now", "set to")):
        return "given"
    if text.endswith((" is", " was")) or text in ("is", "was"):
        return "is"
    if text == "to":
        return "to"
    return "direct"
