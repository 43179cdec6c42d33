"""The written answer to the customer: typed here (canned responses at the caret with "/" or
Ctrl+Space, or the panel's Insert), then "Send" logs it on the case as an outbound contact and
hands it on — copied to the clipboard for a chat or social reply, or opened in the system mail
client for an email. The text stays until the log succeeded: a refused or lost send never
throws the rep's words away."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.enums import Channel
from deskapp.gui.canned_picker import CannedInserter, install_canned_picker
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.panes.text_input import LongTextEdit
from deskapp.services.history import CaseDetail
from deskapp.services.interactions import body_too_large

COPY, MAIL = "copy", "mail"
WRITTEN = (Channel.EMAIL, Channel.CHAT, Channel.SOCIAL)


class ReplyComposer(QWidget):
    send_requested = Signal(str, str)  # the text, COPY or MAIL
    log_requested = Signal()  # the rep wants the full "Log interaction" dialog

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyComposer")
        self.setAccessibleName("Reply to the customer")
        heading = QLabel("&Reply", self)
        heading.setStyleSheet("font-weight: bold;")
        self.editor = LongTextEdit(self)  # a pasted megabyte must not freeze the window
        self.editor.setObjectName("replyText")
        self.editor.setAccessibleName("Reply text")
        self.editor.setPlaceholderText(
            "Write the answer… “/” at the start of a line or Ctrl+Space inserts a canned response"
        )
        self.editor.setTabChangesFocus(True)
        # A few lines: the history below is what the rep reads during the call.
        lines = self.editor.fontMetrics().lineSpacing()
        self.editor.setMinimumHeight(lines * 2 + 12)
        self.editor.setMaximumHeight(lines * 6 + 12)
        heading.setBuddy(self.editor)
        self.how = QComboBox(self)
        self.how.setObjectName("replyHow")
        self.how.setAccessibleName("Send the reply by")
        self.how.addItem("Copy to clipboard (chat, social)", COPY)
        self.how.addItem("Open in my mail app (email)", MAIL)
        self.send = QPushButton("&Send", self)
        self.send.setObjectName("replySend")
        self.send.setAccessibleName("Send the reply and log it")
        self.send.setToolTip("Log the reply on the case and copy or email it (Ctrl+Enter)")
        self.log = QPushButton("&Log interaction…", self)
        self.log.setObjectName("logInteraction")
        self.log.setAccessibleName("Log an interaction")
        self.log.setToolTip("Log a call, email, chat or other contact on this case (Ctrl+L)")
        self.problem = plain_label("", self, name="replyProblem", wrap=True)
        self.problem.setStyleSheet("QLabel { color: #b3261e; }")
        self.problem.hide()
        self._values: Callable[[], Mapping[str, str]] = dict
        self.inserter: CannedInserter = install_canned_picker(self.editor, lambda: self._values())
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.log)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.how, 1)
        bottom.addWidget(self.send)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.problem)
        layout.addLayout(bottom)
        send_key = QShortcut(QKeySequence("Ctrl+Return"), self.editor)
        send_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        send_key.activated.connect(self._on_send)
        self.send.clicked.connect(self._on_send)
        self.log.clicked.connect(self.log_requested)
        self.set_busy(False)
        self.setEnabled(False)

    def set_placeholder_values(self, values: Callable[[], Mapping[str, str]]) -> None:
        self._values = values

    def set_case(self, case: CaseDetail) -> None:
        """A case is in view. A draft for another case stays: the rep decides what to do
        with it (it was never sent)."""
        self.setEnabled(case.status.is_open)
        self.how.setCurrentIndex(self.how.findData(MAIL if case.channel is Channel.EMAIL
                                                   else COPY))  # fmt: skip

    def set_busy(self, busy: bool) -> None:
        self.send.setEnabled(not busy)
        self.editor.setReadOnly(busy)

    def sent(self) -> None:
        """The reply is logged: clear the way for the next one."""
        self.set_busy(False)
        self.problem.hide()
        self.editor.clear()

    @Slot()
    def _on_send(self) -> None:
        text = self.editor.toPlainText()
        if not text.strip() or not self.send.isEnabled():
            return
        problem = body_too_large(text)  # said now, before a round trip; the text stays
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        if problem is None:
            self.send_requested.emit(text, self.how.currentData())
