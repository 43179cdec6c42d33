"""Canned-response placeholders: ``{{customer.first_name}}`` and friends, resolved in one pass.

Security first (DESIGN.md §7): names come from a fixed list and are looked up in a plain
mapping; nothing is evaluated, and the resolved text is never scanned again, so a value that
itself contains ``{{…}}`` (a customer who calls themself ``{{agent.name}}``) stays literal text.

Deliberate forgiveness and strictness about what people actually type in a response:

* ``{{ customer.name }}`` and ``{{ customer . name }}``: spaces inside the braces are ignored.
* ``{{Customer.Name}}``: names are not case sensitive; the writer meant the same thing.
* ``{{customer-name}}``, ``{{}}``: braces around something that is not a name are *malformed*.
* ``{{customer.name`` with no closing braces is *malformed* too (the broken fragment is
  ``{{`` plus the name-like run after it).

Nothing unresolved is ever silently kept: every placeholder without a value (an unknown name
like ``{{refund.amount}}``, a known one with no value for this case, a malformed fragment) is
listed in :attr:`Resolution.unresolved`, and the caller asks the person for each before using
the text. Answers go back through :func:`resolve` as ``answers``, keyed by
:attr:`Unresolved.key`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

CURSOR = "cursor"
KNOWN: tuple[str, ...] = (
    "customer.first_name",
    "customer.name",
    "case.key",
    "case.subject",
    "agent.first_name",
    "team.name",
    "today",
    "customer.local_time",
    "commitment.next_due",
)

_NAME = r"[A-Za-z_][A-Za-z0-9_]*(?:[ \t]*\.[ \t]*[A-Za-z_][A-Za-z0-9_]*)*"
_WELL_FORMED = re.compile(r"\{\{[ \t]*(" + _NAME + r")[ \t]*\}\}")
_CLOSED_JUNK = re.compile(r"\{\{([^{}\n]*)\}\}")  # braces around something that is no name
_UNCLOSED = re.compile(r"\{\{[ \t]*[A-Za-z0-9_.]*")

Reason = Literal["unknown", "no_value", "malformed"]


@dataclass(frozen=True)
class Unresolved:
    key: str  # the normalized name, or the raw fragment for a malformed one
    raw: str  # as written in the response, for showing the person
    reason: Reason

    @property
    def label(self) -> str:
        """What the form asks for, in words: "Refund amount", or the broken fragment."""
        if self.reason == "malformed":
            return f"Broken placeholder “{self.raw}”: text to use instead"
        return self.key.replace(".", " ").replace("_", " ").capitalize()


@dataclass(frozen=True)
class Resolution:
    text: str
    caret: int  # where the caret lands: at {{cursor}}, else at the end
    unresolved: tuple[Unresolved, ...]

    @property
    def complete(self) -> bool:
        return not self.unresolved


@dataclass(frozen=True)
class _Literal:
    text: str


@dataclass(frozen=True)
class _Slot:
    key: str
    raw: str
    malformed: bool


def normalize(name: str) -> str:
    return re.sub(r"\s+", "", name).lower()


def _segments(body: str) -> list[_Literal | _Slot]:
    segments: list[_Literal | _Slot] = []
    start = position = 0
    while (found := body.find("{{", position)) >= 0:
        if body.startswith("{{{", found):  # "{{{x}}}": the outer brace is just a brace
            position = found + 1
            continue
        segments.append(_Literal(body[start:found]))
        if match := _WELL_FORMED.match(body, found):
            segments.append(_Slot(normalize(match.group(1)), match.group(0), malformed=False))
        else:
            match = _CLOSED_JUNK.match(body, found) or _UNCLOSED.match(body, found)
            assert match is not None  # _UNCLOSED matches any "{{"
            segments.append(_Slot(match.group(0), match.group(0), malformed=True))
        start = position = match.end()
    segments.append(_Literal(body[start:]))
    return segments


def resolve(
    body: str, values: Mapping[str, str], answers: Mapping[str, str] | None = None
) -> Resolution:
    """Replace every placeholder in ``body`` once. ``values`` are the case's (by known name; an
    empty value counts as none), ``answers`` what the person typed (by :attr:`Unresolved.key`).
    What stays unresolved keeps its raw form in ``text`` (fine for a preview) and is listed."""
    answers = answers or {}
    parts: list[str] = []
    caret: int | None = None
    unresolved: dict[str, Unresolved] = {}
    length = 0
    for segment in _segments(body):
        if isinstance(segment, _Literal):
            piece = segment.text
        elif not segment.malformed and segment.key == CURSOR:
            if caret is None:
                caret = length
            continue  # a second {{cursor}} just disappears
        else:
            piece = _value_for(segment, values, answers, unresolved)
        parts.append(piece)
        length += len(piece)
    return Resolution("".join(parts), length if caret is None else caret,
                      tuple(unresolved.values()))  # fmt: skip


def _value_for(
    slot: _Slot,
    values: Mapping[str, str],
    answers: Mapping[str, str],
    unresolved: dict[str, Unresolved],
) -> str:
    if slot.key in answers:
        return answers[slot.key]
    if not slot.malformed and slot.key in KNOWN and values.get(slot.key):
        return values[slot.key]
    reason: Reason = "malformed" if slot.malformed else (
        "no_value" if slot.key in KNOWN else "unknown")  # fmt: skip
    unresolved.setdefault(slot.key, Unresolved(slot.key, slot.raw, reason))
    return slot.raw


def problems(body: str) -> list[str]:
    """What the writer of a response should fix, in words: broken placeholders and names that
    look like a misspelt known one. Other unknown names are fine: they are asked for."""
    found: list[str] = []
    for segment in _segments(body):
        if not isinstance(segment, _Slot):
            continue
        if segment.malformed:
            found.append(f"“{segment.raw}” is not a complete placeholder: write a name between "
                         "double braces, for example {{customer.first_name}}.")  # fmt: skip
        elif segment.key not in KNOWN and segment.key != CURSOR:
            close = difflib.get_close_matches(segment.key, [*KNOWN, CURSOR], n=1, cutoff=0.8)
            if close:
                found.append(f"“{segment.raw}” is not a placeholder we know: did you mean "
                             f"{{{{{close[0]}}}}}?")  # fmt: skip
    return found
