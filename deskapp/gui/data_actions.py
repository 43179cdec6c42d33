"""File ▸ Import data… and File ▸ Export data…, for admins only.

An import or an export holds every customer's data, so the services refuse anyone else
(services/permissions.py); the menu does not offer them either: the actions are shown and
enabled only while an admin is signed in. The main window only creates this object.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from deskapp.domain.enums import Role
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

if TYPE_CHECKING:  # the dialogs are imported when first opened: not at every start
    from deskapp.gui.data_export_dialog import DataExportDialog
    from deskapp.gui.data_import_dialog import DataImportDialog
    from deskapp.services.data_import import ImportReport

Notify = Callable[[str], None]
D = TypeVar("D", bound=QDialog)


class DataActions(QObject):
    def __init__(self, runner: TaskRunner, desk: CaseDesk, workspaces: WorkspaceController,
                 menu: QMenu, window: QWidget, *, notify: Notify) -> None:  # fmt: skip
        super().__init__(window)
        self._runner, self._desk, self._workspaces = runner, desk, workspaces
        self._window, self._notify = window, notify
        self.import_dialog: DataImportDialog | None = None
        self.export_dialog: DataExportDialog | None = None
        self.action_import = self._action(
            "actionImportData",
            "&Import data…",
            "Customers, cases and interactions from a CSV, Zendesk or Freshdesk file",
        )
        self.action_export = self._action(
            "actionExportData", "E&xport data…", "Customers, cases or interactions to CSV or JSON"
        )
        quit_action = next((a for a in menu.actions() if a.objectName() == "actionQuit"), None)
        before = quit_action
        if quit_action is not None:  # File ▸ …, Import, Export, ─, Quit
            actions = menu.actions()
            index = actions.index(quit_action)
            if index and actions[index - 1].isSeparator():
                before = actions[index - 1]
        menu.insertActions(before, [self.action_import, self.action_export])  # type: ignore[arg-type]
        self._show_for(None)
        self.action_import.triggered.connect(self.import_data)
        self.action_export.triggered.connect(self.export_data)
        workspaces.opened.connect(lambda _ws: self._show_for(None))
        workspaces.signed_in.connect(self._show_for)

    def _action(self, name: str, text: str, tip: str) -> QAction:
        made = QAction(text, self)
        made.setObjectName(name)
        made.setToolTip(tip)
        made.setStatusTip(tip)
        return made

    @Slot(object)
    def _show_for(self, actor: Actor | None) -> None:
        admin = actor is not None and actor.role is Role.ADMIN
        for action in (self.action_import, self.action_export):
            action.setVisible(admin)
            action.setEnabled(admin)

    def _signed_in_admin(self) -> tuple[Workspace, Actor] | None:
        ws, actor = self._workspaces.workspace, self._workspaces.actor
        if ws is None or actor is None or actor.role is not Role.ADMIN:
            return None
        return ws, actor

    @Slot()
    def import_data(self) -> DataImportDialog | None:
        signed_in = self._signed_in_admin()
        if signed_in is None:
            return None
        if (shown := _raised(self.import_dialog)) is not None:
            return shown
        from deskapp.gui.data_import_dialog import DataImportDialog

        dialog = DataImportDialog(self._runner, *signed_in, parent=self._window)
        dialog.imported.connect(self._on_imported)
        self.import_dialog = dialog
        _open(dialog, lambda: setattr(self, "import_dialog", None))
        return dialog

    def _on_imported(self, report: ImportReport) -> None:
        from deskapp.gui.data_import_dialog import final_summary

        self._notify(final_summary(report, valid_only=True)[0])
        self._desk.reload_view()  # the queue shows the imported cases without waiting

    @Slot()
    def export_data(self) -> DataExportDialog | None:
        signed_in = self._signed_in_admin()
        if signed_in is None:
            return None
        if (shown := _raised(self.export_dialog)) is not None:
            return shown
        from deskapp.gui.data_export_dialog import DataExportDialog, export_message

        view = self._desk.queue.current_query
        dialog = DataExportDialog(self._runner, *signed_in, view, parent=self._window)
        dialog.exported.connect(
            lambda count, path: self._notify(export_message(count, dialog.chosen_kind(), path))
        )
        self.export_dialog = dialog
        _open(dialog, lambda: setattr(self, "export_dialog", None))
        return dialog


def _open(dialog: QDialog, forget: Callable[[], None]) -> None:
    """Window-modal (the event loop keeps running), deleted on close, then forgotten."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.destroyed.connect(lambda _obj=None: forget())
    dialog.open()


def _raised(dialog: D | None) -> D | None:
    """One of each at a time: an open one comes to the front instead of a second."""
    if dialog is None or not dialog.isVisible():
        return None
    dialog.raise_()
    dialog.activateWindow()
    return dialog
