"""Editing the customer's profile note, without ever losing what the rep typed.

Saving is checked against the version the rep opened (services/customer_notes.py). When a
colleague saved first, their note appears beside the rep's, which stays in the editor unsaved,
and the rep chooses: keep mine (save it over theirs), take theirs (theirs goes into the editor,
mine moves beside it to copy from), or merge by hand (edit mine with theirs in view, then save).
Closing with unsaved text asks first. Plain text only.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.errors import DeskappError
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.panes.plain import plain_label, plain_viewer, preview_line
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import customer_notes
from deskapp.services.customer_notes import NOTE_MAX_CHARS, ProfileNote, ProfileNoteConflict
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

CONFLICT_STYLE = (
    "QFrame#profileNoteConflict { background: #fff4d6; border-left: 4px solid #e8a400; }"
)
PROBLEM_STYLE = "QLabel { color: #b3261e; }"


class ProfileNoteDialog(QDialog):
    saved = Signal(object)  # the ProfileNote as saved

    def __init__(self, runner: TaskRunner, ws: Workspace, actor: Actor, note: ProfileNote,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("profileNoteDialog")
        name = preview_line(note.customer_name, 80)
        self.setWindowTitle(f"Note about {name}")
        self.setAccessibleName(f"Note about {name}")
        self._runner, self._ws, self._actor = runner, ws, actor
        self._note = note  # the version saves are checked against
        self._theirs: ProfileNote | None = None
        self._set_aside = ""  # the rep's text after "Take theirs": closing still asks
        self._saving = self._done = False
        intro = plain_label(
            f"What every colleague should know about {name} before saying a word: how to "
            "reach them, what to avoid. What happened on a case belongs in the case.",
            self, name="profileNoteIntro", wrap=True, selectable=False,
        )  # fmt: skip
        self.editor = QPlainTextEdit(note.text, self)
        self.editor.setObjectName("profileNoteText")
        self.editor.setAccessibleName("Your note")
        self.editor.setTabChangesFocus(True)
        self.mine_heading = plain_label("Your note", self, name="profileNoteMineHeading",
                                        selectable=False)  # fmt: skip
        self.other_heading = plain_label("", self, name="profileNoteOtherHeading",
                                         selectable=False)  # fmt: skip
        for heading in (self.mine_heading, self.other_heading):
            heading.setStyleSheet("font-weight: bold;")
        self.other = plain_viewer(self, name="profileNoteOther")
        self.other.setAccessibleName("Their note")
        self.other.setTabChangesFocus(True)
        self.conflict = self._conflict_panel()
        self.status = plain_label("", self, name="profileNoteStatus", wrap=True,
                                  selectable=False)  # fmt: skip
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        name_standard_buttons(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        texts = QGridLayout()
        texts.addWidget(self.mine_heading, 0, 0)
        texts.addWidget(self.other_heading, 0, 1)
        texts.addWidget(self.editor, 1, 0)
        texts.addWidget(self.other, 1, 1)
        texts.setColumnStretch(0, 1)
        texts.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(texts, 1)
        layout.addWidget(self.conflict)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._show_other(False)
        self.resize(560, 360)

    @property
    def save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _conflict_panel(self) -> QFrame:
        panel = QFrame(self)
        panel.setObjectName("profileNoteConflict")
        panel.setStyleSheet(CONFLICT_STYLE)
        self.conflict_message = plain_label("", panel, name="profileNoteConflictMessage",
                                            wrap=True, selectable=False)  # fmt: skip
        self.keep_button = QPushButton("&Keep mine", panel)
        self.keep_button.setObjectName("profileNoteKeepMine")
        self.keep_button.setToolTip("Save your note over theirs")
        self.take_button = QPushButton("&Take theirs", panel)
        self.take_button.setObjectName("profileNoteTakeTheirs")
        self.take_button.setToolTip("Their note into the editor; yours stays beside it")
        self.merge_button = QPushButton("&Merge by hand", panel)
        self.merge_button.setObjectName("profileNoteMerge")
        self.merge_button.setToolTip("Edit your note with theirs in view, then save")
        self.keep_button.clicked.connect(self.keep_mine)
        self.take_button.clicked.connect(self.take_theirs)
        self.merge_button.clicked.connect(self.merge_by_hand)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.take_button, self.merge_button, self.keep_button):
            buttons.addWidget(button)
        self._finish_choice()  # nothing to choose until a colleague's save shows up
        layout = QVBoxLayout(panel)
        layout.addWidget(self.conflict_message)
        layout.addLayout(buttons)
        panel.hide()
        return panel

    def _show_other(self, shown: bool) -> None:
        for widget in (self.mine_heading, self.other_heading, self.other):
            widget.setVisible(shown)

    # ------------------------------------------------------------------ saving
    @Slot()
    def save(self) -> None:
        if self._saving:
            return
        text = self.editor.toPlainText()
        if len(text.strip()) > NOTE_MAX_CHARS:
            self._say(f"Keep the note under {NOTE_MAX_CHARS:,} characters.", error=True)
            return
        ws, actor, note, request_id = self._ws, self._actor, self._note, uuid.uuid4()
        self._saving = True
        self.save_button.setEnabled(False)
        self._say("Saving…")
        self._runner.write(
            lambda: customer_notes.set_profile_note(ws, actor, note.customer_id, note.version,
                                                    text, request_id=request_id),
            self._on_saved, self._on_failed, owner=self)  # fmt: skip

    def _on_saved(self, note: ProfileNote) -> None:
        self._saving = False
        self._done = True
        self.saved.emit(note)
        self.accept()

    def _on_failed(self, exc: Exception) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, ProfileNoteConflict):
            self._say("")
            self._show_conflict(exc)
        elif isinstance(exc, DeskappError):
            self._say(f"Not saved: {exc}", error=True)
        else:  # a bug: the unexpected-error handler logs it and tells the person
            self._say("Not saved because of an unexpected error. Your text is kept.", error=True)
            self._runner.report_error(exc, "saving the customer's note")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(PROBLEM_STYLE if error else "")

    # ------------------------------------------------------------------ someone saved first
    def _show_conflict(self, conflict: ProfileNoteConflict) -> None:
        theirs = self._theirs = conflict.current
        who = conflict.changed_by or "Someone else"
        self.conflict_message.setText(
            f"{who} saved this note while you were editing it. Yours is on the left, not saved "
            "yet; theirs is on the right. Keep yours, take theirs, or merge them by hand."
        )
        self.mine_heading.setText("Yours (not saved)")
        self.other_heading.setText(f"Theirs ({who})")
        self.other.setPlainText(theirs.text)
        self.other.setAccessibleName("Their note")
        self._show_other(True)
        for button in (self.keep_button, self.take_button, self.merge_button):
            button.setEnabled(True)
        self.conflict.show()
        self.save_button.setEnabled(False)  # choose first: a plain Save would only fail again
        self.resize(max(self.width(), 860), self.height())

    def _adopt_theirs(self) -> ProfileNote:
        theirs = self._theirs
        assert theirs is not None
        self._note = theirs  # saves are now checked against their version
        self.save_button.setEnabled(True)
        return theirs

    @Slot()
    def keep_mine(self) -> None:
        if self._theirs is None:
            return
        self._adopt_theirs()
        self.conflict.hide()
        self.save()

    @Slot()
    def take_theirs(self) -> None:
        if self._theirs is None:
            return
        theirs = self._adopt_theirs()
        mine = self._set_aside = self.editor.toPlainText()
        self.editor.setPlainText(theirs.text)
        self.mine_heading.setText("Their note (saved)")
        self.other_heading.setText("Your text (not saved)")
        self.other.setPlainText(mine)
        self.other.setAccessibleName("Your text, not saved")
        self.conflict_message.setText(
            "Their note is in the editor now. Your text is on the right: copy what you need "
            "into the editor and save, or close."
        )
        self._finish_choice()

    @Slot()
    def merge_by_hand(self) -> None:
        if self._theirs is None:
            return
        self._adopt_theirs()
        self.conflict_message.setText(
            "Edit your note on the left with theirs in view, then save: what you save replaces "
            "theirs."
        )
        self._finish_choice()
        self.editor.setFocus()

    def _finish_choice(self) -> None:
        for button in (self.keep_button, self.take_button, self.merge_button):
            button.setEnabled(False)

    # ------------------------------------------------------------------ closing
    def _changed(self) -> bool:
        saved = self._note.text.strip()
        aside = self._set_aside.strip()
        return self.editor.toPlainText().strip() != saved or bool(aside and aside != saved)

    def _may_close(self) -> bool:
        return self._done or self._saving or not self._changed() or self.confirm_discard()

    def reject(self) -> None:
        if self._may_close():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close():
            event.ignore()
            return
        super().closeEvent(event)

    def confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(),
                          "Close without saving? What you typed here will be lost.",
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                          self)  # fmt: skip
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Discard
