"""Widgets that can only ever show text as text.

Qt guesses "rich text" for any string that looks like HTML, so a customer called
``<b>x</b><img src=…>`` would render bold and fetch an image. Every label or text box that
shows customer or colleague text is built here, with the format fixed to plain text.
"""

from __future__ import annotations

import html
import re

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


def set_style(widget: QWidget, style: str) -> None:
    """Set a style sheet only when it changes: each set restyles the widget (and a case shown
    restyles half a dozen), which the same style again need not cost."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)


def plain_viewer(parent: QWidget | None = None, *, name: str = "") -> QPlainTextEdit:
    """A read-only text box: plain text by construction, fast with megabytes of text."""
    box = QPlainTextEdit(parent)
    box.setReadOnly(True)
    if name:
        box.setObjectName(name)
    return box


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` literally: Qt renders any tooltip that looks like HTML, so the
    text is escaped inside a paragraph that Qt treats as rich text and keeps line breaks."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


# C0 controls (except tab and newline, which the collapse below turns into spaces) shown as their
# visible pictures: a stray BEL or ESC from a pasted log must not vanish or upset a line.
_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20) if code not in (9, 10, 13)}
_CONTROL_PICTURES[0x7F] = 0x2421
_CONTROLS = re.compile("[\x00-\x1f\x7f]")
# Direction overrides and isolates stop at the end of a preview: an RTL override in a
# customer's text must not flip the next line's dates and names.
_BIDI_CLOSE = "\u202c\u2069"
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")  # a scan in C: lists preview hundreds


def preview_line(text: str, limit: int = 200) -> str:
    """The start of ``text`` on one line, at most ``limit`` characters (… when cut), controls
    shown as symbols: for lists and headers, where the full text is one action away."""
    head = text[: limit * 4]  # a megabyte is never scanned for a one-line preview
    line = " ".join(head.split())
    if _CONTROLS.search(line):  # rare: translate only then (it walks the line in a dict)
        line = line.translate(_CONTROL_PICTURES)
    if len(line) > limit or len(text) > len(head):
        line = line[: limit - 1].rstrip() + "…"
    if _BIDI_CONTROLS.search(line):
        line += _BIDI_CLOSE
    return line


WRAP_LIMIT = 20_000  # Qt lays a wrapped paragraph out in quadratic time: 1 MB on one line
# takes minutes; unwrapped it takes under a second.


def show_text(box: QPlainTextEdit, text: str) -> None:
    """Put ``text`` in a viewer, wrapped unless a line is too long to wrap without freezing
    the window (then the rep scrolls sideways)."""
    longest = max((len(line) for line in text.split("\n")), default=0)
    box.setLineWrapMode(
        QPlainTextEdit.LineWrapMode.NoWrap
        if longest > WRAP_LIMIT
        else QPlainTextEdit.LineWrapMode.WidgetWidth
    )
    box.setPlainText(text)
