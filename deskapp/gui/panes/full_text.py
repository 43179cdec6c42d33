"""The whole of a long text, on demand: a read-only plain-text window (a megabyte opens in a
blink, nothing in it renders or is fetched)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.panes.plain import plain_label, plain_viewer, show_text


class FullTextDialog(QDialog):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fullTextDialog")
        self.setWindowTitle("Full text")
        self.setAccessibleName("Full text")
        self.heading = plain_label(title, self, name="fullTextHeading", wrap=True)
        self.viewer = plain_viewer(self, name="fullTextViewer")
        self.viewer.setAccessibleName("Full text")
        show_text(self.viewer, text)
        self.viewer.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        name_standard_buttons(buttons)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.viewer, 1)
        layout.addWidget(buttons)
        self.resize(720, 560)
