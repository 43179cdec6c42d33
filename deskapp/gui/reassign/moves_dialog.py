"""What both reassign dialogs share: the moves being prepared, the submit through the task
runner, the report, and going back to the cases that did not move with their notes kept.

Closing before anything moved asks first when the lead wrote or changed a note: those notes
live only in this dialog.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.errors import DeskappError
from deskapp.gui.handoff.dialog import ERROR_STYLE, INFO_STYLE
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.reassign.moves_editor import MovesEditor
from deskapp.gui.reassign.report_view import ReportView
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import reassignment
from deskapp.services.reassignment import ReassignReport
from deskapp.services.reassignment_plan import ReassignPlan, plan_reassignment
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

WORK_PAGE, REPORT_PAGE = 0, 1
ConfirmDiscard = Callable[[QWidget], bool]


def ask_discard_box(parent: QWidget) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Close without moving?",
        "The notes you wrote or changed here are not saved anywhere else. Close anyway?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Discard


class MovesDialog(QDialog):
    cases_moved = Signal(list)  # the ids of the cases that moved, after each submit

    def __init__(
        self,
        runner: TaskRunner,
        ws: Workspace,
        actor: Actor,
        *,
        confirm_discard: ConfirmDiscard = ask_discard_box,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner, self._ws, self._actor = runner, ws, actor
        self._confirm_discard = confirm_discard
        self._submitting = False
        self._tickets = itertools.count(1)
        self._plan_ticket = 0
        self.report: ReassignReport | None = None
        self._subjects: dict[object, str] = {}
        self.moves = MovesEditor(self)
        self.report_view = ReportView(self)
        self.status = plain_label("", self, name="reassignStatus", wrap=True)
        self.status.setAccessibleName("What still stops the move")
        self.pages = QStackedWidget(self)
        self.pages.setObjectName("reassignPages")
        work = QWidget(self)
        work.setObjectName("reassignWorkPage")
        self.work_layout = QVBoxLayout(work)
        self.work_layout.setContentsMargins(0, 0, 0, 0)
        header = self._header(work)
        if header is not None:
            self.work_layout.addWidget(header)
        self.work_layout.addWidget(self.moves, 1)
        self.pages.addWidget(work)
        self.pages.addWidget(self.report_view)
        self.back_button = self._button("reassignBackButton", "← &Back to the cases not moved")
        self.close_button = self._button("reassignCloseButton", "Cancel")
        self.submit_button = self._button("reassignSubmitButton", "&Move")
        self.submit_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        screen = self.screen().availableGeometry()  # a 1366 x 768 laptop screen must fit
        self.resize(min(1380, screen.width() - 20), min(800, screen.height() - 40))
        self.back_button.hide()
        self.moves.changed.connect(self._update_submit)
        self.back_button.clicked.connect(self.go_back)
        self.close_button.clicked.connect(self.reject)
        self.submit_button.clicked.connect(self.submit)
        self._update_submit()

    def _header(self, parent: QWidget) -> QWidget | None:
        """What a dialog shows above the moves (Rep is out: who is out, where cases go)."""
        return None

    def _header_problem(self) -> str | None:
        """What the header still needs before anything can move."""
        return None

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    def submit_text(self, count: int) -> str:
        return f"&Move {count} case{'s' if count != 1 else ''}"

    # ------------------------------------------------------------------ the plan
    def show_plan(self, plan: ReassignPlan, *, chosen: bool, unbriefed_default: bool) -> None:
        self.moves.set_plan(plan, chosen=chosen, unbriefed_default=unbriefed_default)
        self._update_submit()

    def _plan_failed(self, exc: Exception) -> None:
        if isinstance(exc, DeskappError):
            self.show_error(str(exc))
        else:
            self.show_error("The cases could not be read. Close this window and try again.")
            self._runner.report_error(exc, "preparing a reassignment")

    # ------------------------------------------------------------------ submitting
    @Slot()
    def _update_submit(self) -> None:
        if self.pages.currentIndex() != WORK_PAGE:
            return
        count = len(self.moves.rows)
        self.submit_button.setText(self.submit_text(count))
        problem = self._header_problem() or self.moves.problem()
        self.submit_button.setEnabled(not self._submitting and problem is None)
        if not self._submitting:
            self.show_info(problem or "Ready: each case moves on its own, with its own note.")

    @Slot()
    def submit(self) -> None:
        if self.pages.currentIndex() != WORK_PAGE:
            self.accept()  # on the report, the default button closes
            return
        if self._submitting or (self._header_problem() or self.moves.problem()) is not None:
            self._update_submit()
            return
        ws, actor = self._ws, self._actor
        orders, reason = self.moves.orders(), self.moves.reason_text()
        self._subjects = {row.case_id: row.move.subject for row in self.moves.rows}
        self._submitting = True
        self._update_submit()
        self.show_info(f"Moving {len(orders)} case{'s' if len(orders) != 1 else ''}…")
        self._runner.write(
            lambda: reassignment.reassign(ws, actor, orders, reason),
            self._on_report,
            self._on_submit_failed,
            owner=self,
        )

    def _on_report(self, report: ReassignReport) -> None:
        self._submitting = False
        self.report = report
        self.moves.apply_results(report.results)
        self.report_view.show_report(report, self._subjects)
        self.pages.setCurrentIndex(REPORT_PAGE)
        self.submit_button.setText("&Close")
        self.submit_button.setEnabled(True)
        self.close_button.hide()
        left = len(self.moves.rows)
        self.back_button.setVisible(left > 0)
        self.show_info(
            f"The {left} not moved keep their notes: go back to them, or close."
            if left
            else "Done: the receivers see the cases in their queues now."
        )
        moved = [result.case_id for result in report.moved]
        if moved:
            self.cases_moved.emit(moved)
        changed = [result.case_id for result in report.changed]
        if changed:
            self._reread(changed)

    def _on_submit_failed(self, exc: Exception) -> None:
        self._submitting = False
        self._update_submit()
        if isinstance(exc, DeskappError):
            self.show_error(f"Nothing was moved: {exc}")
        else:
            self.show_error("Nothing was moved: something went wrong. Your notes are kept here.")
            self._runner.report_error(exc, "reassigning cases")

    def _reread(self, case_ids: list[uuid.UUID]) -> None:
        """The cases changed meanwhile: their current version and owner, for another try."""
        ws, actor = self._ws, self._actor
        self._runner.read(
            lambda: plan_reassignment(ws, actor, case_ids),
            self._on_reread,
            lambda _exc: None,
            owner=self,
        )

    def _on_reread(self, plan: ReassignPlan) -> None:
        gone = self.moves.refresh_moves(plan)
        if gone:
            self.back_button.setVisible(bool(self.moves.rows))
            why = "; ".join(s.reason for s in plan.skipped)
            self.show_info(f"{self.status.text()} {', '.join(gone)} can no longer move: {why}")

    @Slot()
    def go_back(self) -> None:
        self.pages.setCurrentIndex(WORK_PAGE)
        self.back_button.hide()
        self.close_button.show()
        self._update_submit()

    # ------------------------------------------------------------------ messages
    def show_info(self, text: str) -> None:
        self.status.setStyleSheet(INFO_STYLE)
        self.status.setText(text)

    def show_error(self, text: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(text)

    # ------------------------------------------------------------------ closing
    def reject(self) -> None:
        if self._may_close():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close():
            super().closeEvent(event)
        else:
            event.ignore()

    def _may_close(self) -> bool:
        if self._submitting:
            return False  # the result is on its way: it must be seen
        if self.pages.currentIndex() == REPORT_PAGE or not self.moves.is_dirty():
            return True
        return self._confirm_discard(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in a note field must not move cases by accident; Ctrl+Enter does.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            return
        super().keyPressEvent(event)
