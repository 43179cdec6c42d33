"""Case keys as people read them: ``C-123``, ``C-1234567``; no fixed width, so no overflow."""

import re

_PREFIX = "C-"
_KEY = re.compile(r"^\s*C-?(\d{1,18})\s*$", re.IGNORECASE)


def format_case_key(number: int) -> str:
    if number < 1:
        raise ValueError(f"case numbers start at 1, got {number}")
    return f"{_PREFIX}{number}"


def parse_case_key(text: str) -> int | None:
    """The case number in ``text`` ("C-42", "c42", "C-000042"), or None if it is not a key."""
    match = _KEY.match(text)
    return int(match.group(1)) if match else None
