"""“Erase this customer's personal data…” on the profile card's right-click menu, for admins.

Reads who the customer is and how much there is about them, asks in EraseCustomerDialog,
erases (services/redaction.py, on the writer thread) and shows the case again, now redacted.
Hidden from anyone but an admin; the service refuses others anyway, and on PostgreSQL so does
the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from deskapp.domain.enums import Role
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.erase_customer_dialog import EraseCustomerDialog
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import redaction
from deskapp.services.history import CaseDetail
from deskapp.services.redaction import ErasureTarget, RedactionReport

Notify = Callable[[str], None]


class CustomerErasure(QObject):
    def __init__(self, runner: TaskRunner, desk: CaseDesk, window: QWidget, *,
                 notify: Notify) -> None:  # fmt: skip
        super().__init__(window)
        self._runner, self._desk, self._window, self._notify = runner, desk, window, notify
        self.dialog: EraseCustomerDialog | None = None
        card = desk.history_pane.card
        self._separator = QAction(self)
        self._separator.setSeparator(True)
        self.action = QAction("Erase this customer's personal data…", self)
        self.action.setObjectName("actionEraseCustomer")
        self.action.setToolTip("An erasure request: their personal data becomes [redacted]")
        card.addActions([self._separator, self.action])
        card.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._on_case_shown(None)
        self.action.triggered.connect(self.ask)
        desk.case_shown.connect(self._on_case_shown)

    @Slot(object)
    def _on_case_shown(self, case: CaseDetail | None) -> None:
        actor = self._desk.actor
        admin = actor is not None and actor.role is Role.ADMIN
        for action in (self._separator, self.action):
            action.setVisible(admin)
        self.action.setEnabled(admin and case is not None)

    @Slot()
    def ask(self) -> None:
        ws, actor, case = self._desk.workspace, self._desk.actor, self._desk.current_case
        if ws is None or actor is None or case is None or self.dialog is not None:
            return
        customer_id = case.customer.id
        self._runner.read(lambda: redaction.describe_customer(ws, actor, customer_id),
                          self._confirm, owner=self)  # fmt: skip

    def _confirm(self, target: ErasureTarget) -> None:
        if self.dialog is not None:
            return
        dialog = EraseCustomerDialog(target, self._window)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._erase(target, dialog.reason.text()))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: EraseCustomerDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _erase(self, target: ErasureTarget, reason: str) -> None:
        ws, actor = self._desk.workspace, self._desk.actor
        if ws is None or actor is None:
            return
        request_id = uuid.uuid4()  # chosen once: a retry after a lost reply erases once
        self._runner.write(
            lambda: redaction.redact_customer(ws, actor, target.customer_id, reason,
                                              request_id=request_id),
            self._erased, owner=self,
        )  # fmt: skip

    def _erased(self, report: RedactionReport) -> None:
        self._notify(
            f"Personal data erased: {report.cases} cases, {report.interactions} contacts, "
            f"{report.notes} handoff notes and {report.audit_events} audit events now read "
            "[redacted]."
        )
        case = self._desk.current_case
        if case is not None and case.customer.id == report.customer_id:
            self._desk.open_case(case.id)
        self._desk.reload_view()
