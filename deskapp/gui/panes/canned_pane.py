"""The canned-response panel: filter as you type, a preview with the placeholders of the case
in hand resolved (those it cannot fill stay visible as {{…}}: the picker asks for them), copy.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.placeholders import resolve
from deskapp.gui.canned_picker import complete_response
from deskapp.gui.panes.plain import plain_viewer
from deskapp.services.canned import CannedInfo


class CannedPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cannedResponses")
        self.setAccessibleName("Canned responses")
        self.search = QLineEdit(self)
        self.search.setObjectName("cannedSearch")
        self.search.setAccessibleName("Search canned responses")
        self.search.setPlaceholderText("Search responses (title, shortcut, tag)…")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setObjectName("cannedResults")
        self.results.setAccessibleName("Matching responses")
        self.preview = plain_viewer(self, name="cannedPreview")
        self.preview.setAccessibleName("Response preview")
        self.preview.setPlaceholderText("Select a response to preview it.")
        self.copy = QPushButton("Copy", self)
        self.copy.setObjectName("cannedCopy")
        self.copy.setAccessibleName("Copy response text")
        self.copy.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 2)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self._responses: list[CannedInfo] = []
        self._shown: list[CannedInfo] = []
        self._values: dict[str, str] = {}
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._refilter)
        self.results.currentRowChanged.connect(self._on_selected)
        self.copy.clicked.connect(self._copy)

    def set_responses(self, responses: list[CannedInfo]) -> None:
        self._responses = list(responses)
        self._refilter(self.search.text())

    def set_case_values(self, values: Mapping[str, str]) -> None:
        """The placeholder values of the case in hand ({} when none): the preview follows."""
        self._values = dict(values)
        self._on_selected(self.results.currentRow())

    @Slot(str)
    def _refilter(self, text: str) -> None:
        words = text.lower().split()
        self._shown = [
            r for r in self._responses
            if all(w in f"{r.title} {r.shortcut or ''} {' '.join(r.tags)} {r.category}".lower()
                   for w in words)
        ]  # fmt: skip
        self.results.clear()
        for response in self._shown:
            shortcut = f"  /{response.shortcut}" if response.shortcut else ""
            item = QListWidgetItem(f"{response.title}{shortcut}")
            item.setData(Qt.ItemDataRole.UserRole, response.category)
            self.results.addItem(item)
        if self._shown:
            self.results.setCurrentRow(0)
        else:
            self.preview.clear()
            self.copy.setEnabled(False)

    @Slot(int)
    def _on_selected(self, row: int) -> None:
        if 0 <= row < len(self._shown):
            # One pass from the fixed list: a value holding "{{…}}" stays literal text.
            self.preview.setPlainText(resolve(self._shown[row].body, self._values).text)
            self.copy.setEnabled(True)

    @Slot()
    def _copy(self) -> None:
        """Copy for use elsewhere (a chat tool, a mail client): placeholders the case cannot
        fill are asked for first; cancelling copies nothing."""
        row = self.results.currentRow()
        if not 0 <= row < len(self._shown):
            return
        result = complete_response(self._shown[row], self._values, self.window())
        if result is not None:
            QGuiApplication.clipboard().setText(result.text.replace("{{cursor}}", ""))
