"""The warnings of handoff lint (DESIGN.md §5): the author may read them and submit anyway.

- copied_note: the situation and what was done repeat the previous handoff (ignoring case,
  spacing and punctuation, and small edits), so nothing new reaches the next rep;
- short_summary: a situation too short to stand alone;
- no_deescalation: an angry customer, or a frustrated one on a case not judged stable, and
  nothing noted about calming them (an apology, an offer, a call-back, an escalation…) and no
  dated promise to them.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from deskapp.domain.enums import Mood, RiskLevel
from deskapp.domain.handoff import NoteContent
from deskapp.domain.lint_finding import Finding, Severity, warn
from deskapp.domain.lint_words import content_count, words
from deskapp.domain.note_text_checks import note_texts

# A situation with fewer words that say something than this rarely stands on its own.
SHORT_SUMMARY_WORDS = 8
# How alike (0 to 1, difflib's ratio of the words) two notes are before one counts as a copy.
COPY_SIMILARITY = 0.9

# Word stems of de-escalation, as reps write it (British and American spellings).
_DEESCALATION = re.compile(
    r"\b(?:apolog\w*|sorry|acknowledg\w*|empathi[sz]\w*|sympathi[sz]\w*|reassur\w*|"
    r"offer\w*|goodwill|gesture|compensat\w*|waiv\w*|"
    r"(?:gave|given|issued|applied|added|sent|granted)\s+(?:\S+\s+){0,3}?"
    r"(?:credit|voucher|discount|refund)\w*|"
    r"call[- ]?backs?|called\s+(?:him|her|them|the\s+customer)\s+back|ring\s+back|"
    r"escalat\w*|manager\w*|supervisor\w*|team\s+lead\w*|retention|complaint\s+(?:logged|"
    r"raised|registered)|priorit\w*|expedit\w*|calm\w*|listened|vent\w*|understand\w*|"
    r"thanked|kept\s+(?:him|her|them)\s+informed|de-?escalat\w*)\b",
    re.IGNORECASE,
)


def warnings(
    note: NoteContent, previous: NoteContent | None, found_so_far: list[Finding]
) -> list[Finding]:
    """The warnings for ``note``; ``found_so_far`` keeps a warning off a field already blocked."""
    blocked = {f.field for f in found_so_far if f.severity is Severity.BLOCK}
    found = []
    if previous is not None and is_copy(note, previous):
        found.append(
            warn(
                "done",
                "copied_note",
                "This note repeats the previous handoff. Write what changed since then: what "
                "you did, what the customer said, what is still open.",
            )
        )
    count = content_count(note.summary)
    if "summary" not in blocked and note.summary.strip() and count < SHORT_SUMMARY_WORDS:
        found.append(
            warn(
                "summary",
                "short_summary",
                "The situation is too short to stand alone. Add who the customer is, what they "
                "want and why it matters, so the next rep need not ask them again.",
            )
        )
    if note.mood is not None and needs_deescalation(note) and not deescalation_noted(note):
        found.append(
            warn(
                "mood",
                "no_deescalation",
                f"The customer is {note.mood.value}, but the note says nothing about calming "
                "them. Write what you did (apologised, offered a call-back, escalated…) or what "
                "the next rep should do.",
            )
        )
    return found


def is_copy(note: NoteContent, previous: NoteContent) -> bool:
    """Do the situation and what was done repeat ``previous``, give or take small edits?"""
    now_words = words(f"{note.summary} {note.done}")
    then_words = words(f"{previous.summary} {previous.done}")
    if not now_words or not then_words:
        return False
    return SequenceMatcher(None, now_words, then_words, autojunk=False).ratio() >= COPY_SIMILARITY


def needs_deescalation(note: NoteContent) -> bool:
    """An angry customer always; a frustrated one unless the author judged the case stable
    (nothing goes wrong if it waits its turn), so a mild annoyance does not nag every note."""
    if note.mood is Mood.ANGRY:
        return True
    return note.mood is Mood.FRUSTRATED and note.risk is not RiskLevel.STABLE


def deescalation_noted(note: NoteContent) -> bool:
    """An apology, an offer, a call-back, an escalation… anywhere in the note, or a dated
    promise to the customer: telling them when they will hear from us calms too."""
    if any(promise.due is not None for promise in note.commitments):
        return True
    return any(_DEESCALATION.search(piece.text) for piece in note_texts(note))
