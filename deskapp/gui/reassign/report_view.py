"""What a reassignment did, case by case: moved (and to whom), changed meanwhile (left as it
was), refused (and why, finding by finding). The lead reads it before closing, and goes back to
the cases that did not move with their notes kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from deskapp.domain.handoff_lint import Severity
from deskapp.gui.panes.plain import plain_label
from deskapp.services.reassignment import MoveResult, ReassignReport

_SECTIONS = (
    ("moved", "Moved", "reassignMovedList", "Cases moved"),
    ("changed", "Changed meanwhile — left as they are", "reassignChangedList",
     "Cases changed by someone else since the preview"),
    ("refused", "Refused", "reassignRefusedList", "Cases refused, with the reason"),
)  # fmt: skip
_PREFIX = {Severity.BLOCK: "Must fix", Severity.WARN: "Check"}


def result_text(result: MoveResult, subjects: dict[object, str]) -> str:
    subject = subjects.get(result.case_id, "")
    lines = [f"{result.key}  {subject}".rstrip(), f"    {result.message}"]
    lines += [f"    • {_PREFIX[f.severity]}: {f.message}" for f in result.findings]
    return "\n".join(lines)


class ReportView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reassignReport")
        self.setAccessibleName("What the reassignment did")
        self.headline = plain_label("", self, name="reassignHeadline", wrap=True)
        font = self.headline.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.headline.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        self.titles: dict[str, QLabel] = {}
        self.lists: dict[str, QListWidget] = {}
        for key, title, name, spoken in _SECTIONS:
            label = plain_label(title, self, name=f"{name}Title", selectable=False)
            label.setStyleSheet("QLabel { font-weight: bold; }")
            entries = QListWidget(self)
            entries.setObjectName(name)
            entries.setAccessibleName(spoken)
            entries.setWordWrap(True)
            entries.setAlternatingRowColors(True)
            self.titles[key], self.lists[key] = label, entries
            layout.addWidget(label)
            layout.addWidget(entries, 1)

    def show_report(self, report: ReassignReport, subjects: dict[object, str]) -> None:
        self.headline.setText(report.headline())
        for key, title, _name, _spoken in _SECTIONS:
            results = getattr(report, key)
            entries = self.lists[key]
            entries.clear()
            for result in results:
                item = QListWidgetItem(result_text(result, subjects))
                item.setData(Qt.ItemDataRole.UserRole, str(result.case_id))
                entries.addItem(item)
            self.titles[key].setText(f"{title} ({len(results)})")
            self.titles[key].setVisible(bool(results))
            entries.setVisible(bool(results))
