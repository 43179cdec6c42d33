"""Help ▸ Keyboard shortcuts: one sheet of every key worth knowing.

Keys are read from the window's own actions when it opens and written as the platform writes
them (⌘ on macOS), so the sheet never disagrees with the menus. The keys that belong to a
widget rather than an action (j/k in the queue, Esc in the search box) are listed as fixed text.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

# (section, what it does, keys) for keys that no action carries.
FIXED_KEYS = [
    ("Queue", "Move down / up", "↓ / ↑   or   j / k"),
    ("Queue", "Open the case (the keyboard goes to it)", "Enter"),
    ("Queue", "Sort by a column", "click its header (again: the other way)"),
    ("Queue", "Clear the search and go back to the list", "Esc"),
    ("Anywhere", "Next / previous pane", "Tab / Shift+Tab"),
    ("Responses", "Canned responses at the caret", "Ctrl+Space"),
]


def keys_of(action: QAction) -> str:
    shortcuts = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
    return "   or   ".join(s for s in shortcuts if s)


class ShortcutSheet(QDialog):
    def __init__(self, sections: Iterable[tuple[str, Iterable[QAction]]],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("shortcutSheet")
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        rows: list[tuple[str, str, str]] = []
        for section, actions in sections:
            for action in actions:
                keys = keys_of(action)
                if keys:
                    rows.append((section, action.text().replace("&&", "\0").replace("&", "")
                                 .replace("\0", "&").rstrip("…"), keys))  # fmt: skip
        rows += FIXED_KEYS
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        line = 0
        for section in dict.fromkeys(r[0] for r in rows):
            title = QLabel(section)
            title.setTextFormat(Qt.TextFormat.PlainText)
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            grid.addWidget(title, line, 0, 1, 2)
            line += 1
            for _section, what, keys in (r for r in rows if r[0] == section):
                key_label = QLabel(keys)
                key_label.setTextFormat(Qt.TextFormat.PlainText)
                key_label.setObjectName("shortcutKeys")
                what_label = QLabel(what)
                what_label.setTextFormat(Qt.TextFormat.PlainText)
                what_label.setAccessibleName(f"{what}: {keys}")
                grid.addWidget(key_label, line, 0)
                grid.addWidget(what_label, line, 1)
                line += 1
        self.rows = rows
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea(self)
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.resize(560, 520)
