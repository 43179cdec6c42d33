"""Precision and recall of handoff lint on the labelled corpus (tests/domain/handoff_corpus).

Each line of notes.jsonl is a note as NOTE.json holds it, with its label: ``expect`` (pass,
block or warn), the rule ids a careful team lead expects, and ``split`` (tune or holdout,
fixed before any rule was tuned). ``python -m tests.domain.corpus_quality`` prints the table
for docs/handoff-lint-quality.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_lint import Finding, Severity, lint

CORPUS = Path(__file__).parent / "handoff_corpus" / "notes.jsonl"

# A family groups rule ids that answer one question; the corpus labels name rule ids.
FAMILIES = {
    "vague": ("vague_mash", "vague_reference", "vague_placeholder", "vague_too_few_words"),
    "card_number": ("card_number",),
    "password": ("password",),
    "copied_note": ("copied_note",),
    "short_summary": ("short_summary",),
    "no_deescalation": ("no_deescalation",),
}


@dataclass(frozen=True)
class Labelled:
    id: str
    expect: str
    rules: frozenset[str]
    split: str
    note: NoteContent
    previous: NoteContent | None
    now: datetime


@dataclass(frozen=True)
class Score:
    true_pos: int
    false_pos: int
    false_neg: int
    positives: int

    @property
    def precision(self) -> float:
        flagged = self.true_pos + self.false_pos
        return self.true_pos / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.true_pos / self.positives if self.positives else 1.0


def load(split: str | None = None) -> list[Labelled]:
    items = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        previous = raw.get("previous")
        item = Labelled(
            raw["id"],
            raw["expect"],
            frozenset(raw["rules"]),
            raw["split"],
            NoteContent.from_json(raw["note"]),
            NoteContent.from_json(previous) if previous else None,
            datetime.fromisoformat(raw["now"]),
        )
        if split is None or item.split == split:
            items.append(item)
    return items


def findings(item: Labelled) -> list[Finding]:
    return lint(item.note, now=item.now, previous=item.previous)


def score(items: list[Labelled], family: str | None = None) -> Score:
    """``family`` None: does lint block exactly the notes labelled "block"?"""
    tp = fp = fn = positives = 0
    for item in items:
        found = findings(item)
        if family is None:
            expected = item.expect == "block"
            flagged = any(f.severity is Severity.BLOCK for f in found)
        else:
            rules = FAMILIES[family]
            expected = bool(item.rules & set(rules))
            flagged = any(f.rule in rules for f in found)
        positives += expected
        tp += expected and flagged
        fp += flagged and not expected
        fn += expected and not flagged
    return Score(tp, fp, fn, positives)


def mistakes(items: list[Labelled]) -> list[str]:
    """One line per note where lint and the label disagree (for tuning on the tune half)."""
    lines = []
    for item in items:
        found = findings(item)
        got = {f.rule for f in found if not f.rule.startswith(("team_",))}
        severity = (
            "block"
            if any(f.severity is Severity.BLOCK for f in found)
            else ("warn" if found else "pass")
        )
        if severity != item.expect or not item.rules <= got or (got - item.rules):
            lines.append(
                f"{item.id}: expected {item.expect} {sorted(item.rules)}, got "
                f"{severity} {sorted(got)}"
            )
    return lines


def table() -> str:
    rows = [
        "| What | Half | Notes (positives) | Precision | Recall | False +/− |",
        "|---|---|---|---|---|---|",
    ]
    for family in (None, *FAMILIES):
        for split in ("tune", "holdout"):
            items = load(split)
            s = score(items, family)
            rows.append(
                f"| {family or 'blocks (any rule)'} | {split} | {len(items)} ({s.positives}) | "
                f"{s.precision:.2f} | {s.recall:.2f} | {s.false_pos}/{s.false_neg} |"
            )
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())
    print()
    print("\n".join(mistakes(load("tune"))))
