"""Canned responses at the caret: Ctrl+Space (or "/" at the start of a line) in a text field
opens a small ranked list; type to filter, arrows and Enter insert, Esc closes.

Insertion resolves the placeholders from the case in hand; whatever cannot be resolved is asked
for in a small form first (cancel inserts nothing), so no raw ``{{…}}`` reaches a customer. The
text goes in as plain text and the caret lands at ``{{cursor}}``.

The responses live in one :class:`CannedLibrary` per application (:func:`shared_library`):
CaseDesk fills it when a person signs in and records each use through ``response_used``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.placeholders import Resolution, Unresolved, resolve
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.services.canned import CannedInfo, ResponseRanker, UsageStat

Values = Callable[[], Mapping[str, str]]
MAX_SHOWN = 50  # a list longer than a screen is not read; typing narrows it faster


class CannedLibrary(QObject):
    """The responses this person may use, ranked on demand, and their own use of them."""

    response_used = Signal(object)  # the response's id, to count it for this person
    changed = Signal()  # the responses or this person's use of them changed: rank again
    target_changed = Signal()  # another text field became the place "Insert" writes to

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ranker = ResponseRanker([])
        self._usage: dict[uuid.UUID, UsageStat] = {}
        self.target: CannedInserter | None = None  # the text field the rep was last typing in

    @property
    def responses(self) -> list[CannedInfo]:
        return self._ranker.responses

    def set_responses(self, responses: Sequence[CannedInfo]) -> None:
        self.set_ranker(ResponseRanker(responses))

    def set_ranker(self, ranker: ResponseRanker) -> None:
        """Responses already prepared for ranking: CaseDesk builds the ranker on a worker
        thread, since indexing ten thousand responses takes half a second."""
        self._ranker = ranker
        self.changed.emit()

    def set_usage(self, usage: Mapping[uuid.UUID, UsageStat]) -> None:
        self._usage = dict(usage)
        self.changed.emit()

    def set_target(self, inserter: CannedInserter | None) -> None:
        if inserter is not self.target:
            self.target = inserter
            self.target_changed.emit()

    def rank(self, query: str) -> list[CannedInfo]:
        return self._ranker.rank(query, self._usage)

    def note_used(self, response_id: uuid.UUID) -> None:
        """Count a use at once, so the list reorders now; the database hears of it too."""
        old = self._usage.get(response_id)
        self._usage[response_id] = UsageStat((old.use_count if old else 0) + 1,
                                             datetime.now(UTC))  # fmt: skip
        self.response_used.emit(response_id)


_library: CannedLibrary | None = None


def shared_library() -> CannedLibrary:
    global _library
    if _library is None:
        _library = CannedLibrary()
    return _library


class CannedPicker(QFrame):
    """The popup list: a search line over ranked titles."""

    chosen = Signal(object)  # the CannedInfo picked
    dismissed = Signal()

    def __init__(self, library: CannedLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("cannedPicker")
        self.setAccessibleName("Insert a canned response")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._library = library
        self._shown: list[CannedInfo] = []
        self._done = False
        self.search = QLineEdit(self)
        self.search.setObjectName("cannedPickerSearch")
        self.search.setAccessibleName("Search canned responses")
        self.search.setPlaceholderText("Type to find a response…")
        self.results = QListWidget(self)
        self.results.setObjectName("cannedPickerResults")
        self.results.setAccessibleName("Matching responses")
        self.results.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        self.resize(420, 280)
        self._connect_signals()
        self._refilter("")

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._refilter)
        self.search.installEventFilter(self)
        self.results.itemActivated.connect(lambda _item: self._choose())

    @Slot(str)
    def _refilter(self, text: str) -> None:
        self._shown = self._library.rank(text)[:MAX_SHOWN]
        self.results.clear()
        for response in self._shown:
            shortcut = f"  /{response.shortcut}" if response.shortcut else ""
            self.results.addItem(f"{response.title}{shortcut}")
        if self._shown:
            self.results.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                self.results.keyPressEvent(event)  # arrows move the list, the text keeps focus
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose()
                return True
            if key == Qt.Key.Key_Escape:
                self.close()
                return True
        return super().eventFilter(watched, event)

    def _choose(self) -> None:
        row = self.results.currentRow()
        if 0 <= row < len(self._shown):
            self._done = True
            response = self._shown[row]
            self.close()
            self.chosen.emit(response)

    def closeEvent(self, event) -> None:
        if not self._done:
            self.dismissed.emit()
        super().closeEvent(event)


class PlaceholderForm(QDialog):
    """Asks for every placeholder the case could not fill, before anything is inserted."""

    def __init__(self, unresolved: Sequence[Unresolved], title: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("placeholderForm")
        self.setWindowTitle("Fill in the response")
        self.setAccessibleName("Fill in the response's placeholders")
        intro = QLabel(f"“{title}” needs a few details this case does not give:", self)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        form = QFormLayout()
        self.inputs: dict[str, QLineEdit] = {}
        for item in unresolved:
            field = QLineEdit(self)
            field.setObjectName(f"placeholder_{item.key}")
            field.setAccessibleName(item.label)
            field.setPlaceholderText("as the customer should read it")
            form.addRow(item.label, field)
            self.inputs[item.key] = field
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        name_standard_buttons(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Insert")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)  # room for an address or a sentence, not just a number

    def answers(self) -> dict[str, str]:
        return {key: field.text() for key, field in self.inputs.items()}


class CannedInserter(QObject):
    """Watches one text field for the picker's keys and inserts what the rep picks."""

    inserted = Signal(object)  # the CannedInfo inserted

    def __init__(self, field: QPlainTextEdit, values: Values, library: CannedLibrary) -> None:
        super().__init__(field)
        self._field = field
        self._values = values
        self._library = library
        self._slash = False
        self.picker: CannedPicker | None = None
        field.installEventFilter(self)
        field.destroyed.connect(self._forget)

    @property
    def field(self) -> QPlainTextEdit:
        return self._field

    @Slot()
    def _forget(self) -> None:
        if self._library.target is self:
            self._library.set_target(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._field and event.type() == QEvent.Type.FocusIn:
            self._library.set_target(self)  # the panel's "Insert" now writes here
        if watched is self._field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Space and (
                event.modifiers() == Qt.KeyboardModifier.ControlModifier
            ):
                self.open_picker(slash=False)
                return True
            if event.text() == "/" and self._at_line_start():
                # The slash is typed as usual (Esc leaves it, for a rep who wanted one);
                # picking a response replaces it.
                self._field.textCursor().insertText("/")
                self.open_picker(slash=True)
                return True
        return super().eventFilter(watched, event)

    def _at_line_start(self) -> bool:
        cursor = self._field.textCursor()
        if cursor.hasSelection():
            return False
        before = cursor.block().text()[: cursor.positionInBlock()]
        return not before.strip()

    def open_picker(self, *, slash: bool) -> CannedPicker:
        self._slash = slash
        picker = CannedPicker(self._library, self._field)
        picker.chosen.connect(self._insert)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        rect = self._field.cursorRect()
        picker.move(self._field.viewport().mapToGlobal(rect.bottomLeft()))
        self.picker = picker
        picker.show()
        picker.search.setFocus()
        return picker

    @Slot(object)
    def _insert(self, response: CannedInfo) -> None:
        self.picker = None
        self.insert(response)

    def insert(self, response: CannedInfo) -> None:
        """Put the response at the caret, placeholders filled (asking for what the case cannot
        give); the caret lands at ``{{cursor}}``."""
        slash, self._slash = self._slash, False  # only the picker's own "/" is replaced
        result = complete_response(response, self._values(), self._field.window())
        if result is None:
            self._field.setFocus()
            return
        cursor = self._field.textCursor()
        if slash and cursor.position() > 0:
            cursor.movePosition(cursor.MoveOperation.Left, cursor.MoveMode.KeepAnchor)
            if cursor.selectedText() != "/":
                cursor.clearSelection()
                cursor.movePosition(cursor.MoveOperation.Right)
        start = cursor.selectionStart()
        cursor.insertText(result.text)  # QTextCursor.insertText is plain text
        # Qt counts UTF-16 units: an emoji before the caret takes two.
        caret = len(result.text[: result.caret].encode("utf-16-le")) // 2
        cursor.setPosition(start + caret)
        self._field.setTextCursor(cursor)
        self._field.setFocus()
        self._library.note_used(response.id)
        self.inserted.emit(response)


def complete_response(response: CannedInfo, values: Mapping[str, str],
                      parent: QWidget | None) -> Resolution | None:  # fmt: skip
    """The response's text with every placeholder filled: from the case, and what the case
    cannot give asked for in a small form. None when the person cancels: nothing raw is ever
    inserted or copied."""
    result = resolve(response.body, values)
    if result.complete:
        return result
    form = PlaceholderForm(result.unresolved, response.title, parent)
    accepted = form.exec() == QDialog.DialogCode.Accepted
    answers = form.answers()
    form.deleteLater()
    return resolve(response.body, values, answers) if accepted else None


def install_canned_picker(field: QPlainTextEdit, values: Values,
                          library: CannedLibrary | None = None) -> CannedInserter:  # fmt: skip
    """Give a text field the canned-response picker; ``values`` gives the case's placeholder
    values at insertion time (times move on while a note is written)."""
    return CannedInserter(field, values, library or shared_library())
