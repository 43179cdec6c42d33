"""A good note to start lint tests from, and a way to change one field of it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from deskapp.domain.enums import Mood, RiskLevel
from deskapp.domain.handoff import NextAction, NoteContent, Promise
from deskapp.domain.handoff_lint import lint

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
GOOD = NoteContent(
    risk=RiskLevel.WATCH,
    summary="Customer Priya Shah was charged twice for order 5512-8830 (2 x €64.90) on 21 Nov; "
    "the second capture is genuine, not a pending hold.",
    done="Apologised, confirmed both captures in the payment log, raised reversal REV-20931.",
    next_actions=(
        NextAction("Check reversal REV-20931 has settled", "Dana", NOW + timedelta(days=1)),
    ),
    commitments=(Promise("Email Priya when the reversal is confirmed", NOW + timedelta(days=2)),),
    contingencies="If the reversal is rejected, refund by bank transfer and email the customer.",
    mood=Mood.FRUSTRATED,
    contact_preference="email, weekdays after 17:00",
)


def changed(**fields: Any) -> NoteContent:
    return dataclasses.replace(GOOD, **fields)


def rules(note: NoteContent, **kwargs: Any) -> set[str]:
    return {f.rule for f in lint(note, now=NOW, **kwargs)}
