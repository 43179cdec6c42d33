"""The import preview's two tables: the first rows of the file (what each would become) and the
rows rejected (line, column, reason), over report_table.TextRowsModel. Cells come from the
customer's file: no tooltip role is answered, because Qt renders a tooltip that looks like HTML.
"""

from __future__ import annotations

from deskapp.gui.panes.plain import preview_line
from deskapp.gui.report_table import TextRowsModel
from deskapp.services.data_import import ImportReport

OUTCOME_WORDS = {"new": "New", "existing": "Already imported", "repeat": "Same as above",
                 "rejected": "Rejected"}  # fmt: skip
KIND_WORDS = {"customers": "Customer", "cases": "Case", "interactions": "Interaction"}


class SampleRowsModel(TextRowsModel):
    """The file's first rows and what importing would do with each."""

    HEADERS = ("Line", "Record", "Outcome", "Content")

    def show(self, report: ImportReport | None) -> None:
        sample = report.sample if report else ()
        self.set_rows(
            [(str(r.line), KIND_WORDS.get(r.kind, r.kind), OUTCOME_WORDS.get(r.outcome, r.outcome),
              preview_line(r.summary, 120)) for r in sample],
            [r.outcome == "rejected" for r in sample],
        )  # fmt: skip


class ProblemsModel(TextRowsModel):
    """Every rejected row the report lists: where, and why."""

    HEADERS = ("Line", "Column", "Reason")

    def show(self, report: ImportReport | None) -> None:
        problems = report.problems if report else ()
        self.set_rows(
            [(str(p.line) if p.line else "", preview_line(p.column, 60),
              preview_line(p.reason, 400)) for p in problems],
            [True] * len(problems),
        )  # fmt: skip
