"""A team's own lint rules (HandoffTemplate.rules), applied on top of the core rules.

A team rule only ever adds a finding: it cannot remove or soften a core finding, so a lead can
tighten the template but never relax the core fields or the sensitive-data block. A rule whose
pattern is not a valid regular expression is reported (as a warning for the lead to fix), never
a crash that would stop every rep of the team from handing off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_template import TeamRule
from deskapp.domain.lint_finding import Finding, Severity
from deskapp.domain.note_text_checks import note_texts

# Texts are short; a cap keeps a careless pattern from crawling a pasted e-mail for ever.
_MAX_TEXT = 5_000


def team_findings(note: NoteContent, rules: Iterable[TeamRule]) -> list[Finding]:
    found = []
    for rule in rules:
        try:
            pattern = re.compile(rule.pattern, re.IGNORECASE)
        except (re.error, TypeError):
            found.append(
                Finding(
                    rule.field,
                    Severity.WARN,
                    f"A team rule for this field has a broken pattern and was skipped "
                    f"(“{rule.message}”). Tell your team lead so they can fix it.",
                    "team_rule_invalid",
                )
            )
            continue
        severity = Severity.BLOCK if rule.severity == "block" else Severity.WARN
        for piece in note_texts(note):
            if rule.field not in (piece.field, "*") or piece.kind == "owner":
                continue
            if pattern.search(piece.text[:_MAX_TEXT]):
                found.append(
                    Finding(piece.field, severity, piece.where + rule.message, "team_rule")
                )
                break
    return found
