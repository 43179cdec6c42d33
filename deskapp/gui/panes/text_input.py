"""A box for the text a rep writes to or about a customer that stays responsive when a megabyte
is pasted into it.

Qt lays out a paragraph again on every change to it, and with word wrapping a paragraph with no
spaces (a pasted log line, a base64 blob, minified JSON) takes time quadratic in its length:
100,000 characters take over a second, a megabyte takes minutes, and the window is frozen
meanwhile. Wrapping anywhere lays it out in linear time. So a paste or drop with a line longer
than ``LONG_LINE`` switches the box to wrap anywhere *before* the text goes in, and once the
whole text is shorter than that (sent, cleared) it wraps at word boundaries again — a check of
the document's length, constant time, the only work done per keystroke. The text itself is never
changed or cut: what the rep pasted is what is sent.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Slot
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget

LONG_LINE = 10_000  # characters in one paragraph: wrapped at words, that many take tens of ms


def longest_line(text: str) -> int:
    return max(map(len, text.split("\n")), default=0)


class LongTextEdit(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._word_wrap = self.wordWrapMode()
        self.textChanged.connect(self._on_text_changed)

    @property
    def wraps_anywhere(self) -> bool:
        return self.wordWrapMode() == QTextOption.WrapMode.WrapAnywhere

    def insertFromMimeData(self, source: QMimeData) -> None:
        """A paste or a drop: a long line switches the wrapping before it is laid out."""
        if source.hasText() and longest_line(source.text()) > LONG_LINE:
            self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        super().insertFromMimeData(source)

    def setPlainText(self, text: str) -> None:
        if longest_line(text) > LONG_LINE:
            self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        super().setPlainText(text)

    @Slot()
    def _on_text_changed(self) -> None:
        if self.wraps_anywhere and self.document().characterCount() <= LONG_LINE:
            self.setWordWrapMode(self._word_wrap)
