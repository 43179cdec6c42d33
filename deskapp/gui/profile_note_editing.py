"""Case ▸ Edit the customer's note… (also on the profile card's right-click menu): read the note
as saved now, open the editor (gui/profile_note_dialog.py), show the card again after a save."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.profile_note_dialog import ProfileNoteDialog
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import customer_notes
from deskapp.services.customer_notes import ProfileNote
from deskapp.services.history import CaseDetail


class ProfileNoteEditing(QObject):
    def __init__(self, runner: TaskRunner, desk: CaseDesk, menu: QMenu, window: QWidget) -> None:
        super().__init__(window)
        self._runner = runner
        self._desk = desk
        self._window = window
        self.dialog: ProfileNoteDialog | None = None
        self.action = QAction("Edit the customer's &note…", window)
        self.action.setObjectName("actionEditCustomerNote")
        self.action.setToolTip("What every colleague should know about this customer")
        menu.addAction(self.action)
        card = desk.history_pane.card
        card.addAction(self.action)
        card.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._on_case_shown(None)
        self.action.triggered.connect(self.open_editor)
        desk.case_shown.connect(self._on_case_shown)

    @Slot(object)
    def _on_case_shown(self, case: CaseDetail | None) -> None:
        self.action.setEnabled(case is not None)

    @Slot()
    def open_editor(self) -> None:
        ws, actor, case = self._desk.workspace, self._desk.actor, self._desk.current_case
        if ws is None or actor is None or case is None or self.dialog is not None:
            return
        customer_id = case.customer.id
        self._runner.read(lambda: customer_notes.profile_note(ws, customer_id), self._show,
                          owner=self)  # fmt: skip

    def _show(self, note: ProfileNote) -> None:
        ws, actor = self._desk.workspace, self._desk.actor
        if ws is None or actor is None or self.dialog is not None:
            return
        dialog = ProfileNoteDialog(self._runner, ws, actor, note, self._window)
        self.dialog = dialog
        dialog.saved.connect(self._on_saved)
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: ProfileNoteDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    @Slot(object)
    def _on_saved(self, _note: ProfileNote) -> None:
        case = self._desk.current_case
        if case is not None:
            self._desk.open_case(case.id)  # the profile card shows the note as saved
