"""The "Hand off…" action (Ctrl+Shift+H): enabled while a signed-in rep has a case in view;
opens the handoff dialog for it and, once the case has changed hands, refreshes the desk."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from deskapp.drafts import DraftStore
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.handoff.dialog import HandoffDialog
from deskapp.gui.task_runner import TaskRunner
from deskapp.services.history import CaseDetail
from deskapp.settings import DRAFT_AUTOSAVE_SECONDS, Settings

Notify = Callable[[str], None]


class HandoffActions(QObject):
    def __init__(
        self,
        runner: TaskRunner,
        desk: CaseDesk,
        action: QAction,
        window: QWidget,
        *,
        settings: Settings | None = None,
        notify: Notify = lambda _text: None,
        store: DraftStore | None = None,
    ) -> None:
        super().__init__(window)
        self._runner = runner
        self._desk = desk
        self._action = action
        self._window = window
        self._settings = settings
        self._notify = notify
        self._store = store or DraftStore()
        self.dialog: HandoffDialog | None = None
        action.setEnabled(False)
        action.triggered.connect(self.open_dialog)
        desk.case_shown.connect(self._on_case_shown)

    @Slot(object)
    def _on_case_shown(self, case: CaseDetail | None) -> None:
        self._action.setEnabled(case is not None and self._desk.actor is not None)

    @Slot()
    def open_dialog(self) -> HandoffDialog | None:
        ws, actor, case = self._desk.workspace, self._desk.actor, self._desk.current_case
        if ws is None or actor is None or case is None:
            return None
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        seconds = (
            self._settings.get(DRAFT_AUTOSAVE_SECONDS)
            if self._settings
            else DRAFT_AUTOSAVE_SECONDS.default
        )
        dialog = HandoffDialog(self._runner, ws, actor, case, store=self._store,
                               autosave_seconds=seconds, parent=self._window)  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.handed_off.connect(lambda _outcome: self._on_handed_off(case))
        dialog.destroyed.connect(self._forget_dialog)
        self.dialog = dialog
        dialog.open()  # window-modal, returns at once: the event loop keeps running
        return dialog

    @Slot()
    def _forget_dialog(self) -> None:
        self.dialog = None

    def _on_handed_off(self, case: CaseDetail) -> None:
        self._notify(f"{case.key} handed off. Your draft was removed.")
        self._desk.reload_view()
        self._desk.open_case(case.id)
