"""The inputs of the handoff editor, one class per kind of template field.

Every input is plain text by construction (QPlainTextEdit, QLineEdit): a pasted ``<b>x</b>``
stays those eight characters. Each emits ``changed`` whenever what it holds changes, which is
what drives linting and autosave.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import tzinfo
from enum import Enum
from typing import Generic, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.handoff import NextAction, Promise
from deskapp.gui.handoff.due_edit import DueEdit
from deskapp.gui.panes.text_input import LongTextEdit

E = TypeVar("E", bound=Enum)
TEXT_LINES = 3  # tall enough for a real sentence or two, short enough to invite brevity


class Choice(QWidget, Generic[E]):
    """Exclusive choices (risk, mood) as radio buttons: every option visible, one keypress."""

    changed = Signal()

    def __init__(self, options: Sequence[tuple[E, str]], name: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName(name)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._values: list[E] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for index, (value, label) in enumerate(options):
            button = QRadioButton(label, self)
            button.setObjectName(f"{name}_{value.value}")
            self._group.addButton(button, index)
            self._values.append(value)
            layout.addWidget(button)
        layout.addStretch(1)
        self._group.idToggled.connect(lambda _id, _on: self.changed.emit())

    def value(self) -> E | None:
        index = self._group.checkedId()
        return self._values[index] if index >= 0 else None

    def set_value(self, value: E | None) -> None:
        if value is None:
            # An exclusive group cannot uncheck its last button: lift the rule for a moment.
            self._group.setExclusive(False)
            for button in self._group.buttons():
                button.setChecked(False)
            self._group.setExclusive(True)
            self.changed.emit()
        else:
            self._group.button(self._values.index(value)).setChecked(True)

    def button_for(self, value: E) -> QRadioButton:
        button = self._group.button(self._values.index(value))
        assert isinstance(button, QRadioButton)
        return button


class PlainTextInput(LongTextEdit):
    """A few lines of plain text; Tab moves on to the next field, as in a form. A pasted
    megabyte (a log, a transcript) is kept whole without freezing the editor (LongTextEdit)."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        lines = self.fontMetrics().lineSpacing() * TEXT_LINES
        self.setMinimumHeight(lines + 2 * self.frameWidth() + 8)
        self.setMaximumHeight(lines * 2)
        self.textChanged.connect(self.changed)

    def value(self) -> str:
        return self.toPlainText()

    def set_value(self, text: str) -> None:
        self.setPlainText(text)


class LineInput(QLineEdit):
    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.textChanged.connect(lambda _text: self.changed.emit())

    def value(self) -> str:
        return self.text()

    def set_value(self, text: str) -> None:
        self.setText(text)
        self.home(False)  # a prefilled line too long to fit shows its beginning, not its end


class _Rows(QWidget):
    """Rows of small inputs with a remove button each and an "add" button below."""

    changed = Signal()

    def __init__(self, name: str, add_text: str, headers: Sequence[str],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName(name)
        self._header_names = list(headers)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(6)
        self._headers: list[QLabel] = []
        for column, header in enumerate(headers):
            label = QLabel(header, self)
            label.setObjectName(f"{name}Header{column}")
            self._grid.addWidget(label, 0, column)
            self._headers.append(label)
        self._grid.setColumnStretch(0, 3)
        self._rows: list[list[QWidget]] = []
        self.add_button = QPushButton(add_text, self)
        self.add_button.setObjectName(f"{name}Add")
        self.add_button.clicked.connect(lambda: self._add_and_focus())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        bottom = QHBoxLayout()
        bottom.addWidget(self.add_button)
        bottom.addStretch(1)
        self._bottom = bottom
        layout.addLayout(bottom)
        self._show_headers()

    def row_count(self) -> int:
        return len(self._rows)

    def row_widgets(self, row: int) -> list[QWidget]:
        return self._rows[row]

    def _append(self, widgets: list[QWidget]) -> None:
        remove = QPushButton("Remove", self)
        remove.setObjectName(f"{self.objectName()}Remove{len(self._rows)}")
        remove.setToolTip("Remove this row")
        row = [*widgets, remove]
        remove.clicked.connect(lambda: self._remove(row))
        grid_row = len(self._rows) + 1
        for column, widget in enumerate(row):
            self._grid.addWidget(widget, grid_row, column)
        self._rows.append(row)
        self._show_headers()
        self._name_and_order()
        self.changed.emit()

    def _name_and_order(self) -> None:
        """Screen readers hear "Owner, row 2", not an anonymous box; Tab goes through the rows in
        reading order and only then to the add button (created first, so Qt had it first)."""
        for number, row in enumerate(self._rows, start=1):
            for header, widget in zip([*self._header_names, "Remove"], row, strict=True):
                widget.setAccessibleName(f"{header}, row {number}")
        chain = [widget for row in self._rows for widget in row]
        chain += [self.add_button, *self._after_add()]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _after_add(self) -> list[QWidget]:
        return []

    def _show_headers(self) -> None:
        # Column headings over no rows read like a table that failed to load.
        for label in self._headers:
            label.setVisible(bool(self._rows))

    def _remove(self, row: list[QWidget]) -> None:
        if row not in self._rows:
            return
        # Rebuild the grid: a removed row must not leave a gap the eye stumbles over.
        kept = [r for r in self._rows if r is not row]
        for widget in row:
            self._grid.removeWidget(widget)
            widget.deleteLater()
        for r in self._rows:
            for widget in r:
                self._grid.removeWidget(widget)
        self._rows = []
        for index, r in enumerate(kept, start=1):
            for column, widget in enumerate(r):
                self._grid.addWidget(widget, index, column)
            self._rows.append(r)
        self._show_headers()
        self._name_and_order()
        self.changed.emit()

    def _clear(self) -> None:
        for row in list(self._rows):
            for widget in row:
                self._grid.removeWidget(widget)
                widget.deleteLater()
        self._rows = []
        self._show_headers()

    def _add_and_focus(self) -> None:
        self.add_row()
        self._rows[-1][0].setFocus()

    def add_row(self) -> None:
        raise NotImplementedError


class ActionRows(_Rows):
    """Next actions: what, who, by when."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(name, "Add a next action", ("Action", "Owner", "Due (your time)"),
                         parent)  # fmt: skip
        self._grid.setColumnStretch(1, 2)  # room for a name, not just an initial

    def add_row(self, action: NextAction | None = None) -> None:
        what = LineInput(f"{self.objectName()}Action{len(self._rows)}", self)
        what.setPlaceholderText("e.g. Confirm the refund landed")
        who = LineInput(f"{self.objectName()}Owner{len(self._rows)}", self)
        who.setPlaceholderText("name or “next owner”")
        who.setMinimumWidth(who.fontMetrics().horizontalAdvance("name or “next owner”") + 24)
        due = DueEdit(None, self)
        due.setObjectName(f"{self.objectName()}Due{len(self._rows)}")
        if action is not None:
            what.set_value(action.action)
            who.set_value(action.owner)
            due.set_due(action.due)
        for signal in (what.changed, who.changed, due.due_changed):
            signal.connect(self.changed)
        self._append([what, who, due])

    def value(self) -> tuple[NextAction, ...]:
        found = []
        for what, who, due, _remove in self._rows:
            assert isinstance(what, LineInput) and isinstance(who, LineInput)
            assert isinstance(due, DueEdit)
            if what.value().strip() or who.value().strip() or due.is_set():
                found.append(NextAction(what.value(), who.value(), due.due()))
        return tuple(found)

    def set_value(self, actions: Sequence[NextAction]) -> None:
        self._clear()
        for action in actions:
            self.add_row(action)
        if not actions:
            self.add_row()
        self.changed.emit()


class PromiseRows(_Rows):
    """Commitments made to the customer, each with a date, or an explicit "nothing promised"."""

    def __init__(self, name: str, zone: tzinfo | None, zone_label: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(name, "Add a promise", ("Promise", f"Due ({zone_label})"), parent)
        self._zone = zone
        self.nothing_promised = QCheckBox("Nothing was promised to the customer", self)
        self.nothing_promised.setObjectName(f"{name}None")
        self.nothing_promised.toggled.connect(lambda _on: self.changed.emit())
        self._bottom.addWidget(self.nothing_promised)

    def _after_add(self) -> list[QWidget]:
        return [self.nothing_promised]

    def add_row(self, promise: Promise | None = None) -> None:
        what = LineInput(f"{self.objectName()}Promise{len(self._rows)}", self)
        what.setPlaceholderText("e.g. Call back with the refund status")
        due = DueEdit(self._zone, self)
        due.setObjectName(f"{self.objectName()}Due{len(self._rows)}")
        if promise is not None:
            what.set_value(promise.promise)
            due.set_due(promise.due)
        what.changed.connect(self.changed)
        due.due_changed.connect(self.changed)
        self._append([what, due])

    def value(self) -> tuple[Promise, ...]:
        found = []
        for what, due, _remove in self._rows:
            assert isinstance(what, LineInput) and isinstance(due, DueEdit)
            if what.value().strip() or due.is_set():
                found.append(Promise(what.value(), due.due()))
        return tuple(found)

    def set_value(self, promises: Sequence[Promise], nothing_promised: bool) -> None:
        self._clear()
        for promise in promises:
            self.add_row(promise)
        self.nothing_promised.setChecked(nothing_promised)
        self.changed.emit()
