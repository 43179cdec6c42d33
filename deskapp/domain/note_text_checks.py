"""The text rules of handoff lint, applied field by field: vague text and sensitive data.

Vague text is judged in the fields the next rep acts on (situation, done, contingencies, each
action and promise); sensitive data in every text a note holds, team fields included, because
a card number leaks wherever it is written. Blank fields are left to the structural rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from deskapp.domain.handoff import NoteContent
from deskapp.domain.lint_finding import Finding, block
from deskapp.domain.lint_sensitive import (
    CARD_MESSAGE,
    CREDENTIAL_MESSAGE,
    card_numbers,
    password_given,
)
from deskapp.domain.lint_vague import vagueness


@dataclass(frozen=True)
class NoteText:
    field: str  # the NoteContent field (or a team field's key)
    kind: str  # summary | done | contingencies | action | promise | owner | other
    where: str  # how a message names it: "" for a whole field, "Next action 2: " for an item
    text: str


def note_texts(note: NoteContent) -> Iterator[NoteText]:
    """Every piece of text in ``note``, with the field it belongs to."""
    yield NoteText("summary", "summary", "", note.summary)
    yield NoteText("done", "done", "", note.done)
    for number, action in enumerate(note.next_actions, start=1):
        yield NoteText("next_actions", "action", f"Next action {number}: ", action.action)
        yield NoteText("next_actions", "owner", f"Next action {number}, owner: ", action.owner)
    for number, promise in enumerate(note.commitments, start=1):
        yield NoteText("commitments", "promise", f"Promise {number}: ", promise.promise)
    yield NoteText("contingencies", "contingencies", "", note.contingencies)
    yield NoteText("contact_preference", "other", "", note.contact_preference)
    for key, value in note.extra.items():
        yield NoteText(key, "other", "", value)


def vague_findings(note: NoteContent) -> list[Finding]:
    found = []
    for piece in note_texts(note):
        if piece.kind in ("owner", "other") or not piece.text.strip():
            continue
        secret = bool(card_numbers(piece.text)) or password_given(piece.text)
        verdict = vagueness(piece.text, piece.kind, quote=not secret)
        if verdict is not None:
            found.append(block(piece.field, verdict.rule, piece.where + verdict.message))
    return found


def sensitive_findings(note: NoteContent) -> list[Finding]:
    found = []
    for piece in note_texts(note):
        if card_numbers(piece.text):
            found.append(block(piece.field, "card_number", piece.where + CARD_MESSAGE))
        if password_given(piece.text):
            found.append(block(piece.field, "password", piece.where + CREDENTIAL_MESSAGE))
    return found
