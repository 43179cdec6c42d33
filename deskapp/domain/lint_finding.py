"""What handoff lint reports: a finding on one field, blocking or a warning, with a stable id.

Its own module so every rule module can build findings; handoff_lint re-exports these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    BLOCK = "block"
    WARN = "warn"


@dataclass(frozen=True)
class Finding:
    field: str  # a NoteContent field name ("summary", "next_actions", ...)
    severity: Severity
    message: str
    rule: str  # a stable id, e.g. "empty", "no_next_action", "card_number"


def block(field: str, rule: str, message: str) -> Finding:
    return Finding(field, Severity.BLOCK, message, rule)


def warn(field: str, rule: str, message: str) -> Finding:
    return Finding(field, Severity.WARN, message, rule)
