"""What an import tells the admin: the report (counts, rejected rows with line, column and
reason, a sample of what each row becomes), and the tally one pass keeps to write it.

Kept apart from the checking and the writing so that the window and the command line depend
on these frozen classes only (data_import.py re-exports them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from deskapp.services import import_values as v
from deskapp.services.import_sources import KINDS, Kind, Record, SourceFormat

MAX_LISTED_PROBLEMS = 1000  # the report keeps this many; the count is always exact
SAMPLE_ROWS = 200
NOTES_LOOKED_BACK = 5  # the same note on neighbouring rows (one unknown agent) is said once


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str
    kind: str = ""


@dataclass(frozen=True)
class KindCount:
    new: int = 0
    existing: int = 0
    rejected: int = 0


@dataclass(frozen=True)
class SampleRow:
    line: int
    kind: str
    outcome: str  # "new", "existing", "repeat" (a requester seen before), "rejected"
    summary: str  # the record in a few words (name, subject, the text's start)


@dataclass(frozen=True)
class ImportReport:
    source: str
    format: SourceFormat | None
    kind: Kind
    encoding: str | None = None
    delimiter: str | None = None
    columns: tuple[str, ...] = ()
    mapping: dict[str, str] = field(default_factory=dict)
    file_problems: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    problem_count: int = 0
    notes: tuple[str, ...] = ()
    counts: dict[str, KindCount] = field(default_factory=dict)
    sample: tuple[SampleRow, ...] = ()
    rows: int = 0
    written: bool = False

    @property
    def rejected(self) -> int:
        return sum(c.rejected for c in self.counts.values())

    @property
    def new(self) -> int:
        return sum(c.new for c in self.counts.values())

    @property
    def existing(self) -> int:
        return sum(c.existing for c in self.counts.values())

    @property
    def ok(self) -> bool:
        """Nothing rejected and nothing wrong with the file: it imports whole."""
        return not self.file_problems and self.rejected == 0

    def verdict(self, valid_only: bool) -> str:
        if self.file_problems:
            return "Nothing was imported: " + " ".join(self.file_problems)
        if self.rows == 0:
            return "Nothing was imported: the file holds no rows."
        if self.rejected and not valid_only:
            return (
                f"Nothing was imported: {self.rejected:,} row(s) were rejected (see the report). "
                "Fix the file, or choose to import only the valid rows."
            )
        return ""


def with_changes(report: ImportReport, **changes: Any) -> ImportReport:
    values = {f: getattr(report, f) for f in report.__dataclass_fields__}
    values.update(changes)
    return ImportReport(**values)


class Tally:
    """What one pass has found so far: every row's outcome counted, the first problems, notes
    and rows kept for the report (the counts stay exact past those limits)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.notes: list[str] = []
        self.sample: list[SampleRow] = []
        self.rows = 0  # lines of the file (a Zendesk ticket gives several records)
        self.rejected_rows = 0
        self.counts: dict[str, list[int]] = {k: [0, 0, 0] for k in KINDS}  # new, existing, rej

    @property
    def new_rows(self) -> int:
        return sum(self.counts[k][0] for k in KINDS)

    def kind_counts(self) -> dict[str, KindCount]:
        return {k: KindCount(*self.counts[k]) for k in KINDS if any(self.counts[k])}

    def problem(self, line: int, column: str, reason: str, kind: str = "") -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(Problem(line, column, reason, kind))

    @property
    def notes_full(self) -> bool:
        return len(self.notes) >= MAX_LISTED_PROBLEMS

    def note(self, note: str) -> None:
        if not self.notes_full and note not in self.notes[-NOTES_LOOKED_BACK:]:
            self.notes.append(note)

    def rejected(self, record: Record, found: list[tuple[str, str]], summary: str) -> None:
        self.counts[record.kind][2] += 1
        self.rejected_rows += 1
        for column, reason in found:
            self.problem(record.line, column, reason, record.kind)
        self.sampled(record, "rejected", summary)

    def kept(self, record: Record, outcome: str, summary: str) -> None:
        self.counts[record.kind][1] += 1
        self.sampled(record, outcome, summary)

    def added(self, record: Record, summary: str) -> None:
        self.counts[record.kind][0] += 1
        self.sampled(record, "new", summary)

    def sampled(self, record: Record, outcome: str, summary: str) -> None:
        if len(self.sample) < SAMPLE_ROWS:
            self.sample.append(SampleRow(record.line, record.kind, outcome, v.shown(summary, 80)))
