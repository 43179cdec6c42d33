"""Widgets that can only ever show text as text.

Qt guesses "rich text" for any string that looks like HTML, so a customer called
``<b>x</b><img src=…>`` would render bold and fetch an image. Every label or text box that
shows customer or colleague text is built here, with the format fixed to plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget


def plain_label(text: str = "", parent: QWidget | None = None, *, name: str = "",
                wrap: bool = False, selectable: bool = True) -> QLabel:  # fmt: skip
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def plain_viewer(parent: QWidget | None = None, *, name: str = "") -> QPlainTextEdit:
    """A read-only text box: plain text by construction, fast with megabytes of text."""
    box = QPlainTextEdit(parent)
    box.setReadOnly(True)
    if name:
        box.setObjectName(name)
    return box
