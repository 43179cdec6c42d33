"""Handoff lint: is this note good enough for the next rep to act on without calling anyone?

Pure Python (no Qt, no database). Blocking findings stop a note from being submitted; warnings
can be acknowledged and submitted. Every finding names its field, its severity, a message a
rep understands and a stable rule id. The rules are those of DESIGN.md §5:

- structure (here): every element present and complete;
- vague text (note_text_checks, lint_vague): vague_mash, vague_reference,
  vague_placeholder, vague_too_few_words;
- sensitive data (note_text_checks, lint_sensitive): card_number, password — in every text field;
- warnings (handoff_warnings): copied_note, short_summary, no_deescalation;
- a team's own rules (team_rules): team_rule, team_rule_invalid — added on top, never
  replacing the core rules, so a team can add checks but cannot relax any.
"""

from __future__ import annotations

from datetime import datetime

from deskapp.domain import handoff_warnings, note_text_checks, team_rules
from deskapp.domain.enums import RiskLevel
from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_template import HandoffTemplate
from deskapp.domain.lint_finding import Finding, Severity, block

__all__ = ["Finding", "Severity", "blocks", "lint"]


def lint(
    note: NoteContent,
    *,
    now: datetime,
    previous: NoteContent | None = None,
    template: HandoffTemplate | None = None,
) -> list[Finding]:
    """Every finding for ``note`` at ``now``; ``previous`` is the note handed over before it."""
    findings: list[Finding] = []
    findings += _structure(note, now)
    findings += note_text_checks.vague_findings(note)
    findings += note_text_checks.sensitive_findings(note)
    findings += handoff_warnings.warnings(note, previous, findings)
    if template is not None:
        findings += team_rules.team_findings(note, template.rules)
    return findings


def blocks(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.BLOCK for f in findings)


_block = block


def _structure(note: NoteContent, now: datetime) -> list[Finding]:
    """The elements every note must have, each complete (owner, due time, a date)."""
    found: list[Finding] = []
    if note.risk is None:
        found.append(
            _block("risk", "no_risk", "Say how risky this case is: stable, watch or at risk.")
        )
    if not note.summary.strip():
        found.append(
            _block(
                "summary",
                "empty",
                "Describe the situation so the next rep can act without asking the customer again.",
            )
        )
    if not note.done.strip():
        found.append(
            _block(
                "done", "empty", "Say what has been done so far (checks, changes, messages sent)."
            )
        )
    if not note.next_actions:
        found.append(
            _block(
                "next_actions",
                "no_next_action",
                "Add at least one next action, with who does it and by when.",
            )
        )
    for number, action in enumerate(note.next_actions, start=1):
        if not action.action.strip():
            found.append(
                _block(
                    "next_actions",
                    "empty_action",
                    f"Next action {number} says nothing: describe it or remove it.",
                )
            )
        if not action.owner.strip():
            found.append(
                _block(
                    "next_actions",
                    "action_without_owner",
                    f"Next action {number} has no owner: who will do it?",
                )
            )
        if action.due is None:
            found.append(
                _block(
                    "next_actions",
                    "action_without_due",
                    f"Next action {number} has no due time: by when?",
                )
            )
        elif action.due < now:
            found.append(
                _block(
                    "next_actions",
                    "due_in_past",
                    f"Next action {number} is due in the past; give a time still ahead.",
                )
            )
    if not note.commitments and not note.no_commitments:
        found.append(
            _block(
                "commitments",
                "commitments_unstated",
                "List what was promised to the customer, each with a date, or tick "
                "“nothing was promised”.",
            )
        )
    if note.commitments and note.no_commitments:
        found.append(
            _block(
                "commitments",
                "commitments_contradict",
                "You listed promises and also ticked “nothing was promised”: which is it?",
            )
        )
    for number, promise in enumerate(note.commitments, start=1):
        if not promise.promise.strip():
            found.append(
                _block(
                    "commitments",
                    "empty_promise",
                    f"Promise {number} says nothing: describe it or remove it.",
                )
            )
        if promise.due is None:
            found.append(
                _block(
                    "commitments",
                    "promise_without_date",
                    f"Promise {number} has no date: when did we say it happens?",
                )
            )
        elif promise.due < now:
            found.append(
                _block(
                    "commitments",
                    "due_in_past",
                    f"Promise {number} is due in the past: was it kept? Record what "
                    "happened and promise a new date if needed.",
                )
            )
    if note.risk in (RiskLevel.WATCH, RiskLevel.AT_RISK) and not note.contingencies.strip():
        found.append(
            _block(
                "contingencies",
                "no_contingency",
                "A case on watch or at risk needs a plan: “if … then …”.",
            )
        )
    if note.mood is None:
        found.append(_block("mood", "no_mood", "How did the customer feel at the last contact?"))
    return found
