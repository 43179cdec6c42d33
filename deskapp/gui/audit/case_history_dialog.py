"""A case's audit history: who did what to it, when and why, newest first — every claim, status
change, contact logged, handoff and reassignment — and whether its record is whole (its hash
chain checked while the history loads, a few milliseconds for one case).

Opened from Case ▸ Audit history… or the case view's right-click menu. One read through the
task runner; nothing here writes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from deskapp import APP_NAME
from deskapp.gui.appearance import is_dark
from deskapp.gui.audit.rows_model import WHAT, WHEN, WHO, WHY, AuditRowsModel
from deskapp.gui.audit.table import audit_table
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import audit_review, audit_verify
from deskapp.services.audit_review import AuditRow
from deskapp.services.audit_verify import VerifyReport
from deskapp.services.workspace import Workspace

WHOLE_STYLE = {False: "QLabel { color: #1e6b35; }", True: "QLabel { color: #81c995; }"}  # dark?
BROKEN_STYLE = (
    "QLabel { color: white; background: #b3261e; padding: 4px 6px; border-radius: 3px;"
    " font-weight: bold; }"
)


@dataclass(frozen=True)
class CaseAudit:
    rows: tuple[AuditRow, ...]
    report: VerifyReport


def load_case_audit(ws: Workspace, case_id: uuid.UUID) -> CaseAudit:
    """The history and the check of its chain (a task-runner read)."""
    return CaseAudit(audit_review.case_history(ws, case_id), audit_verify.verify_case(ws, case_id))


def integrity_text(report: VerifyReport) -> str:
    if report.events_checked == 0:
        return "Nothing has been recorded for this case yet."
    if report.whole:
        events = "event" if report.events_checked == 1 else "events"
        return (
            f"✓ This record is whole: its {report.events_checked} {events} were checked and "
            "none was changed or removed."
        )
    link = report.broken[0]
    return (
        f"⚠ This record has been tampered with: at event {link.seq}, {link.explanation}. "
        "Tell your Deskapp admin."
    )


class CaseAuditDialog(QDialog):
    loaded = Signal()

    def __init__(self, runner: TaskRunner, ws: Workspace, case_id: uuid.UUID, case_key: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("caseAuditDialog")
        self.setAccessibleName(f"Audit history of {case_key}")
        self.setWindowTitle(f"Audit history of {case_key} — {APP_NAME}")
        self._runner, self._ws, self.case_id, self.case_key = runner, ws, case_id, case_key
        self.heading = plain_label(
            f"Who did what to {case_key}, when and why, newest first.", self,
            name="caseAuditHeading", wrap=True,
        )  # fmt: skip
        self.integrity = plain_label("Checking the record…", self, name="caseAuditIntegrity",
                                     wrap=True)  # fmt: skip
        self.integrity.setAccessibleName("Whether the record is whole")
        self.model = AuditRowsModel((WHEN, WHO, WHAT, WHY), self)
        self.table = audit_table(self, "caseAuditTable", f"Audit history of {case_key}",
                                 self.model)  # fmt: skip
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        name_standard_buttons(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.integrity)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(980, 460)
        self.buttons.rejected.connect(self.reject)
        self.reload()

    def reload(self) -> None:
        ws, case_id = self._ws, self.case_id
        self._runner.read(lambda: load_case_audit(ws, case_id), self._show, self._failed,
                          owner=self)  # fmt: skip

    @Slot(object)
    def _show(self, audit: CaseAudit) -> None:
        self.model.set_rows(audit.rows)
        self.integrity.setText(integrity_text(audit.report))
        whole = WHOLE_STYLE[is_dark(self.palette())]
        self.integrity.setStyleSheet(whole if audit.report.whole else BROKEN_STYLE)
        if audit.rows:
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        self.integrity.setText("The history could not be read.")
        self._runner.report_error(exc, "reading the audit history")
