"""Mask full card numbers in text that is kept (interactions, outcomes): DESIGN.md §7.

Handoff notes refuse a card number (lint_sensitive); a logged interaction is a record of what the
customer said or wrote, so it is kept with the number masked instead: every digit but the last
four becomes ``*`` and spaces or dashes stay, so "4111 1111 1111 1111" reads
"**** **** **** 1111". What counts as a card number is lint_sensitive's decision (Luhn check,
issuer ranges, reference labels), so the note lint and the mask never disagree. Pure Python.
"""

from __future__ import annotations

import re

from deskapp.domain.lint_sensitive import card_numbers

MASK = "*"
KEEP_LAST = 4
# The same digit runs the detector looks at; the text just before a run is its label context.
_DIGIT_RUN = re.compile(r"(?<![\w+])\d(?:[ -]?\d)*(?!\w)")
_CONTEXT_CHARS = 40


def mask_card_numbers(text: str) -> tuple[str, int]:
    """``text`` with each full card number masked, and how many were masked."""
    if not any(ch.isdigit() for ch in text):
        return text, 0
    pieces: list[str] = []
    done = 0
    masked = 0
    for match in _DIGIT_RUN.finditer(text):
        run = match.group()
        if sum(ch.isdigit() for ch in run) < 13:
            continue
        window = text[max(0, match.start() - _CONTEXT_CHARS) : match.end()]
        digits = "".join(ch for ch in run if ch.isdigit())
        found = [card for card in card_numbers(window) if card in digits]
        if not found:
            continue
        pieces.append(text[done : match.start()])
        pieces.append(_mask_run(run, digits, found))
        done = match.end()
        masked += len(found)
    if not masked:
        return text, 0
    pieces.append(text[done:])
    return "".join(pieces), masked


def _mask_run(run: str, digits: str, cards: list[str]) -> str:
    """Mask, within ``run``, the digits of each card but its last four."""
    hidden = [False] * len(digits)
    for card in cards:
        start = digits.find(card)
        for index in range(start, start + len(card) - KEEP_LAST):
            hidden[index] = True
    out: list[str] = []
    position = 0
    for ch in run:
        if ch.isdigit():
            out.append(MASK if hidden[position] else ch)
            position += 1
        else:
            out.append(ch)
    return "".join(out)
