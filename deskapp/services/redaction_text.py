"""What counts as a customer's personal data in stored text, and blanking it (pure, no database).

Two kinds of text are redacted differently:

- **Text about the customer** (an interaction's body, a note's summary, a promise made to
  them): every word of it goes, replaced by MARKER; the structure around it stays (a note's
  risk, owners and due times, an action list of the same length).
- **Audit details and reasons**, which hold ids, states and counts by design
  (services/audit_wording.py) and free text only by accident: a value goes when it mentions
  the customer (name, e-mail, phone) or reads as free text at all (spaces, capitals,
  punctuation); identifiers such as ``pending_customer``, hex ids, case keys and times stay,
  so the audit still says who did what when. Keys always stay.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from deskapp.services.redaction_marks import MARKER

# Note fields that are not about the customer: who acts next and by when (DESIGN.md §5).
NOTE_STRUCTURE = frozenset({"owner", "due"})
MIN_TERM = 3  # shorter name parts ("Li", "de") would match inside every other word
MIN_PHONE_DIGITS = 6
_IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9_.:+-]*\Z")  # states, rule names, hex ids, counts
_CASE_KEY = re.compile(r"[A-Z]-\d+\Z")
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?\Z")


def fold(text: str) -> str:
    """Lower case without accents, so "ZOË" mentions "Zoe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def personal_terms(
    name: str | None, email: str | None, phone: str | None, phone_digits: str | None
) -> tuple[str, ...]:
    """The strings whose mention makes a text personal: the name and each longer part of it,
    the e-mail address and its local part, the phone number as digits."""
    terms: set[str] = set()
    for value in (name, email, phone):
        if value and len(value.strip()) >= MIN_TERM:
            terms.add(fold(value.strip()))
    terms.update(fold(word) for word in re.split(r"[\s,;]+", name or "") if len(word) >= MIN_TERM)
    if email and "@" in email and len(email.split("@", 1)[0]) >= MIN_TERM:
        terms.add(fold(email.split("@", 1)[0]))
    digits = phone_digits or re.sub(r"\D", "", phone or "")
    if len(digits) >= MIN_PHONE_DIGITS:
        terms.add(digits)
    return tuple(sorted(terms))


def mentions(text: str, terms: Iterable[str]) -> bool:
    folded = fold(text)
    digits = re.sub(r"\D", "", text)
    return any(term in (digits if term.isdigit() else folded) for term in terms)


def is_free_text(value: str, terms: Iterable[str]) -> bool:
    """Could this string hold personal data? Identifiers and times cannot, unless they
    spell out the customer (a login made of their name)."""
    if not value.strip():
        return False
    if mentions(value, terms):
        return True
    return not (_IDENTIFIER.match(value) or _CASE_KEY.match(value) or _MOMENT.match(value))


def scrub_detail(value: Any, terms: Iterable[str]) -> Any:
    """An audit detail (or reason) with its free text replaced; keys and non-text kept."""
    words = tuple(terms)
    if isinstance(value, Mapping):
        return {key: scrub_detail(item, words) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_detail(item, words) for item in value]
    if isinstance(value, str) and is_free_text(value, words):
        return MARKER
    return value


def blank_text(value: Any, keep: frozenset[str] = NOTE_STRUCTURE) -> Any:
    """Every non-empty string replaced by MARKER, except under the keys in ``keep``; lists and
    objects keep their shape (a note's actions, promises and a team's added fields)."""
    if isinstance(value, Mapping):
        return {key: item if key in keep else blank_text(item, keep) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [blank_text(item, keep) for item in value]
    if isinstance(value, str):
        return MARKER if value.strip() else value
    return value
