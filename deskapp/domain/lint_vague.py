"""Is this text too vague for the next rep to act on? (DESIGN.md §5: vague text blocks.)

One verdict per text, the most telling first: keyboard mash, a pointer elsewhere ("see above",
"same as last time"), a placeholder ("n/a", "looked into it", "working on it" and any wording
made only of such words), or too few words that say something for the kind of field.
Pure Python; words and filler come from lint_words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deskapp.domain.lint_words import content_count, points_elsewhere, specific_count, words

# How many words that say something each kind of text needs before it can stand on its own.
MIN_CONTENT_WORDS = {"summary": 3, "done": 2, "contingencies": 3, "action": 2, "promise": 2}

# What to write instead, per kind of text: the second half of every message.
WRITE_INSTEAD = {
    "summary": "Describe the situation: who the customer is, what went wrong, with order or "
    "reference numbers.",
    "done": "Write what you actually did: what you checked, changed or sent, with reference "
    "numbers.",
    "contingencies": "Write “if … then …”, e.g. “If the refund bounces, pay by bank transfer "
    "and email the customer”.",
    "action": "Say exactly what must be done, e.g. “Check refund RF-7781 was approved”.",
    "promise": "Say what was promised, e.g. “Email the customer the refund confirmation”.",
}

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qwertzuiop", "yxcvbnm")
_REPEATED_UNIT = re.compile(r"^(.{1,3})\1{2,}$")
_SAME_LETTER_RUN = re.compile(r"([^\W\d_])\1{3,}")
_ASCII_LETTERS = re.compile(r"^[a-zA-Z]+$")


@dataclass(frozen=True)
class Vagueness:
    rule: str  # vague_mash | vague_reference | vague_placeholder | vague_too_few_words
    message: str


def vagueness(text: str, kind: str, *, quote: bool = True) -> Vagueness | None:
    """Why ``text`` (a non-blank summary, done, contingencies, action or promise) is too vague
    to act on, or None when it says enough. ``quote`` False: the message does not repeat the
    text (it holds a card number or a password)."""
    minimum = MIN_CONTENT_WORDS[kind]
    instead = WRITE_INSTEAD[kind]
    quoted = _quote(text) if quote else "This text"
    if is_mash(text):
        return Vagueness("vague_mash", f"{quoted} looks like keyboard mash, not a note. {instead}")
    specific = specific_count(text)
    # A pointer elsewhere needs at least three facts beside it to stand on its own.
    if points_elsewhere(text) and specific < max(minimum, 3):
        return Vagueness(
            "vague_reference",
            f"{quoted} points somewhere else, but the next rep reads this note on its own. "
            f"{instead}",
        )
    if specific == 0:
        return Vagueness(
            "vague_placeholder", f"{quoted} does not tell the next rep anything. {instead}"
        )
    if content_count(text) < minimum:
        return Vagueness("vague_too_few_words", f"{quoted} is too short to act on. {instead}")
    return None


def is_mash(text: str) -> bool:
    """Mostly keyboard mash: runs along a keyboard row ("asdf", "lkjlkj"), a letter held down
    ("jjjjj"), a short unit repeated ("sdfsdf") or long Latin words without a vowel
    ("dkjfhg"). Judged by share of letters, so one odd word in a real sentence passes."""
    tokens = [w for w in words(text) if any(ch.isalpha() for ch in w)]
    letters = sum(len(w) for w in tokens)
    if not letters:
        return False
    mashed = sum(len(w) for w in tokens if _is_mash_word(w))
    if mashed * 2 >= letters:
        return True
    # Short mash typed in pieces ("qwe qwe qwe"): judge the letters run together.
    if len(tokens) <= 4 and letters >= 6:
        joined = "".join(tokens)
        return _row_coverage(joined) > 0.8 or bool(_REPEATED_UNIT.match(joined))
    return False


def _is_mash_word(word: str) -> bool:
    if len(word) < 4:
        return False
    if _SAME_LETTER_RUN.search(word) or _REPEATED_UNIT.match(word):
        return True
    if not _ASCII_LETTERS.match(word):
        return False  # other alphabets and accented words: never judged by English keyboards
    if len(word) >= 5 and not set(word) & set("aeiouy"):
        return True
    return _row_coverage(word) > 0.8


def _row_coverage(word: str) -> float:
    """Share of the letters in runs of three or more neighbours along one keyboard row."""
    covered = [False] * len(word)
    start = 0
    for end in range(1, len(word) + 1):
        if end < len(word) and _neighbours(word[start:end], word[end]):
            continue
        if end - start >= 3:
            covered[start:end] = [True] * (end - start)
        start = end
    return sum(covered) / len(word)


def _neighbours(run: str, nxt: str) -> bool:
    """Does ``nxt`` continue ``run`` one key further along a row, in the same direction?"""
    candidate = run + nxt
    return any(candidate in row or candidate in row[::-1] for row in _KEYBOARD_ROWS)


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return f"“{flat}”" if len(flat) <= 40 else f"“{flat[:37]}…”"
