"""The canned-response library's actions: the panel's New / Edit / Suggest / Retire requests
and the window's **Responses** menu (New response…, Edit… or Suggest an edit… and Retire… for
the panel's selected response, Suggestions to review (N)… for leads and admins, Import…,
Export…). Every service call goes through the task runner; after any change the library the
panel and the pickers rank from is loaded again.

A lead or an admin sees how many suggestions wait for them in the menu; the count is read
again whenever the library reloads (on sign-in, after a change, and on every reload the desk
makes).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QMessageBox, QWidget

from deskapp.domain.enums import Role
from deskapp.gui.canned_picker import shared_library
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import canned, canned_library
from deskapp.services.canned import CannedInfo
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

if TYPE_CHECKING:  # the editor and dialogs are imported when first opened: not at every start
    from deskapp.gui.canned_editor import CannedEditor
    from deskapp.gui.canned_export_dialog import CannedExportDialog
    from deskapp.gui.canned_import_dialog import CannedImportDialog
    from deskapp.gui.canned_suggestions_dialog import CannedSuggestionsDialog
    from deskapp.services.canned_transfer import ImportResult

D = TypeVar("D", bound=QDialog)
Notify = Callable[[str], None]
Confirm = Callable[[QWidget, str], bool]


def confirm_box(parent: QWidget, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, "Retire response", text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                      parent)  # fmt: skip
    box.setTextFormat(Qt.TextFormat.PlainText)  # the text quotes a colleague's title
    box.button(QMessageBox.StandardButton.Yes).setText("&Retire")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def review_text(count: int | None) -> str:
    return "&Suggestions to review…" if count is None else f"&Suggestions to review ({count})…"


class CannedActions(QObject):
    library_written = Signal()  # a response was created, changed, retired or imported

    def __init__(self, runner: TaskRunner, desk: CaseDesk, window: QWidget, *,
                 notify: Notify | None = None, confirm: Confirm | None = None) -> None:  # fmt: skip
        super().__init__(window)
        self._runner = runner
        self._desk = desk
        self._window = window
        self._pane = desk.canned_pane
        self._notify = notify or self._status_bar_message
        self._confirm = confirm
        self._tickets = itertools.count(1)
        self._latest_count = 0
        self.review_count: int | None = None
        self.editor: CannedEditor | None = None
        self.suggestions_dialog: CannedSuggestionsDialog | None = None
        self.import_dialog: CannedImportDialog | None = None
        self.export_dialog: CannedExportDialog | None = None
        self._build_menu()
        self._connect_signals()
        self._on_library_changed()

    # ------------------------------------------------------------------ the menu
    def _build_menu(self) -> None:
        def action(name: str, text: str, tip: str) -> QAction:
            made = QAction(text, self)
            made.setObjectName(name)
            made.setToolTip(tip)
            made.setStatusTip(tip)
            return made

        self.action_new = action("actionNewResponse", "&New response…",
                                 "Write a canned response")  # fmt: skip
        self.action_review = action("actionReviewSuggestions", review_text(None),
                                    "Accept or reject edits your team suggested")  # fmt: skip
        self.action_import = action("actionImportResponses", "&Import responses…",
                                    "Add or update responses from a JSON or CSV file")  # fmt: skip
        self.action_export = action("actionExportResponses", "&Export responses…",
                                    "Write responses to a JSON or CSV file")  # fmt: skip
        self.menu = QMenu("&Responses", self._window)
        self.menu.setObjectName("menuResponses")
        self.menu.setAccessibleName("Responses menu")
        self.menu.addAction(self.action_new)
        # The panel's own actions, so they are found from the menu bar too; the panel keeps
        # them enabled and shown per person and per selected response (Edit or Suggest).
        pane = self._pane
        self.menu.addActions([pane.action_edit, pane.action_suggest, pane.action_retire])
        self.menu.addSeparator()
        self.menu.addAction(self.action_review)
        self.menu.addSeparator()
        self.menu.addAction(self.action_import)
        self.menu.addAction(self.action_export)
        if isinstance(self._window, QMainWindow):
            bar = self._window.menuBar()
            help_menu = self._window.findChild(QMenu, "menuHelp")
            if help_menu is not None:
                bar.insertMenu(help_menu.menuAction(), self.menu)
            else:
                bar.addMenu(self.menu)

    def _connect_signals(self) -> None:
        self.action_new.triggered.connect(self.new_response)
        self.action_review.triggered.connect(self.review_suggestions)
        self.action_import.triggered.connect(self.import_responses)
        self.action_export.triggered.connect(self.export_responses)
        self._pane.new_requested.connect(self.new_response)
        self._pane.edit_requested.connect(self.edit_response)
        self._pane.suggest_requested.connect(self.suggest_edit)
        self._pane.retire_requested.connect(self.retire_response)
        # The desk fills the library when a person signs in: who they are is known by then.
        shared_library().changed.connect(self._on_library_changed)

    def _signed_in(self) -> tuple[Workspace, Actor] | None:
        ws, actor = self._desk.workspace, self._desk.actor
        return (ws, actor) if ws is not None and actor is not None else None

    @Slot()
    def _on_library_changed(self) -> None:
        actor = self._desk.actor
        self._pane.set_actor(actor)
        person = actor is not None
        for action in (self.action_new, self.action_import, self.action_export):
            action.setEnabled(person)
        decides = actor is not None and actor.role.rank >= Role.LEAD.rank
        self.action_review.setVisible(decides)
        self.action_review.setEnabled(decides)
        if decides:
            self.refresh_review_count()

    def refresh_review_count(self) -> None:
        signed_in = self._signed_in()
        if signed_in is None:
            return
        ws, actor = signed_in
        ticket = self._latest_count = next(self._tickets)
        from deskapp.gui.canned_suggestions_dialog import load_decidable

        def show(count: int) -> None:
            if ticket == self._latest_count:  # a newer count wins
                self.review_count = count
                self.action_review.setText(review_text(count))

        # A count that cannot be read is not worth a dialog: the menu just shows no number.
        self._runner.read(lambda: len(load_decidable(ws, actor)), show, lambda _exc: None,
                          owner=self)  # fmt: skip

    # ------------------------------------------------------------------ writing responses
    @Slot()
    def new_response(self) -> CannedEditor | None:
        return self._open_editor(None, suggest=False)

    @Slot(object)
    def edit_response(self, response: CannedInfo) -> CannedEditor | None:
        return self._open_editor(response, suggest=False)

    @Slot(object)
    def suggest_edit(self, response: CannedInfo) -> CannedEditor | None:
        return self._open_editor(response, suggest=True)

    def _open_editor(self, response: CannedInfo | None, *, suggest: bool) -> CannedEditor | None:
        signed_in = self._signed_in()
        if signed_in is None:
            return None
        if self.editor is not None and self.editor.isVisible():
            self.editor.raise_()  # one at a time: the person finishes or closes that one first
            self.editor.activateWindow()
            return self.editor
        ws, actor = signed_in
        from deskapp.gui.canned_editor import CannedEditor

        editor = CannedEditor(self._runner, ws, actor, response=response, suggest=suggest,
                              known=shared_library().responses, parent=self._window)  # fmt: skip
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._on_saved)
        editor.suggested.connect(self._on_suggested)
        editor.destroyed.connect(self._forget_editor)
        self.editor = editor
        editor.open()  # window-modal, returns at once: the event loop keeps running
        return editor

    @Slot()
    def _forget_editor(self) -> None:
        self.editor = None

    def _on_saved(self, response: CannedInfo) -> None:
        self._notify(f"Saved “{response.title}”.")
        self._written()

    def _on_suggested(self, suggestion: canned_library.SuggestionInfo) -> None:
        self._notify(
            f"Your suggestion for “{suggestion.response_title}” was sent to whoever maintains it."
        )
        self._written()

    @Slot(object)
    def retire_response(self, response: CannedInfo) -> None:
        signed_in = self._signed_in()
        if signed_in is None:
            return
        question = (
            f"Retire “{response.title}”? Nobody will be offered it any more. It stays on "
            "record, and importing it again brings it back."
        )
        if not (self._confirm or confirm_box)(self._window, question):
            return
        ws, actor = signed_in
        response_id, version = response.id, response.version

        def retired(_none: None) -> None:
            self._notify(f"Retired “{response.title}”.")
            self._written()

        # A refusal (someone changed it meanwhile, rights) takes the runner's path: a message.
        self._runner.write(lambda: canned_library.retire_response(ws, actor, response_id, version),
                           retired, owner=self)  # fmt: skip

    # ------------------------------------------------------------------ dialogs
    @Slot()
    def review_suggestions(self) -> CannedSuggestionsDialog | None:
        signed_in = self._signed_in()
        if signed_in is None:
            return None
        if (shown := self._raise(self.suggestions_dialog)) is not None:
            return shown
        from deskapp.gui.canned_suggestions_dialog import CannedSuggestionsDialog

        dialog = CannedSuggestionsDialog(self._runner, *signed_in, parent=self._window)
        dialog.decided.connect(lambda _id, _accepted: self._written())
        self.suggestions_dialog = self._show(dialog, "suggestions_dialog")
        return dialog

    @Slot()
    def import_responses(self) -> CannedImportDialog | None:
        signed_in = self._signed_in()
        if signed_in is None:
            return None
        if (shown := self._raise(self.import_dialog)) is not None:
            return shown
        from deskapp.gui.canned_import_dialog import CannedImportDialog

        dialog = CannedImportDialog(self._runner, *signed_in, parent=self._window)
        dialog.imported.connect(self._on_imported)
        self.import_dialog = self._show(dialog, "import_dialog")
        return dialog

    def _on_imported(self, result: ImportResult, source: str) -> None:
        from deskapp.gui.canned_import_dialog import import_message

        self._notify(import_message(result, source))
        self._written()

    @Slot()
    def export_responses(self) -> CannedExportDialog | None:
        signed_in = self._signed_in()
        if signed_in is None:
            return None
        if (shown := self._raise(self.export_dialog)) is not None:
            return shown
        from deskapp.gui.canned_export_dialog import CannedExportDialog, export_message

        dialog = CannedExportDialog(self._runner, *signed_in, parent=self._window)
        dialog.exported.connect(lambda count, path: self._notify(export_message(count, path)))
        self.export_dialog = self._show(dialog, "export_dialog")
        return dialog

    def _show(self, dialog: D, attribute: str) -> D:
        """Open ``dialog`` window-modal (the event loop keeps running) and remember it as
        ``self.<attribute>`` until it is gone."""

        def forget(_obj: object = None) -> None:
            if getattr(self, attribute) is dialog:
                setattr(self, attribute, None)

        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(forget)
        dialog.open()
        return dialog

    @staticmethod
    def _raise(dialog: D | None) -> D | None:
        """One of each at a time: an open one comes to the front instead of a second."""
        if dialog is None or not dialog.isVisible():
            return None
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    # ------------------------------------------------------------------ after a change
    def _written(self) -> None:
        self.library_written.emit()
        self.reload_library()

    def reload_library(self) -> None:
        """Load the responses again, so the panel and every picker show the change."""
        reload = getattr(self._desk, "reload_responses", None)
        if callable(reload):  # CaseDesk's own, once it has one (it then also drops stale loads)
            reload()
            return
        signed_in = self._signed_in()
        if signed_in is None:
            return
        ws, actor = signed_in
        self._runner.read(lambda: canned.usable_responses(ws, actor),
                          shared_library().set_responses, owner=self)  # fmt: skip

    def _status_bar_message(self, text: str) -> None:
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().showMessage(text, 10_000)
