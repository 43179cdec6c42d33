"""The canned-response panel: ranked as you type, browsable by category, a preview with the
placeholders of the case in hand resolved (those it cannot fill stay visible as {{…}} and are
asked for before anything is inserted or copied), Insert at the caret of the text field the rep
was last typing in, and Copy for use in another application.

Ranking is the shared :class:`CannedLibrary`'s (fuzzy on title, shortcut and tags, words of the
body, this person's own use), the same one the Ctrl+Space picker in every editor uses.

The Manage menu (also the list's context menu; F2 edits) asks for a new response, an edit of the
selected one (or, for a response this person may not change, a suggested edit) or its retirement.
The panel only asks, through signals: CannedActions (gui/canned_actions.py) does the work.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.canned_validation import CATEGORIES, CATEGORY_LABELS
from deskapp.domain.placeholders import resolve
from deskapp.gui.canned_picker import CannedLibrary, complete_response
from deskapp.gui.panes.canned_list_model import CannedListModel
from deskapp.gui.panes.plain import plain_label, plain_viewer
from deskapp.services.canned import CannedInfo
from deskapp.services.canned_drafts import can_edit
from deskapp.services.records import Actor

ALL_CATEGORIES = ""
_CATEGORY_ORDER = {value: index for index, (value, _label) in enumerate(CATEGORIES)}


def _category_key(category: str) -> tuple[int, str]:
    """The domain's order (a rep's day), then any category it does not know, by name."""
    return _CATEGORY_ORDER.get(category, len(_CATEGORY_ORDER)), category


class CannedPane(QWidget):
    copied = Signal(object)  # the CannedInfo copied to the clipboard
    new_requested = Signal()
    edit_requested = Signal(object)  # the CannedInfo to edit
    suggest_requested = Signal(object)  # the CannedInfo to suggest an edit to
    retire_requested = Signal(object)  # the CannedInfo to retire (not confirmed yet)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cannedResponses")
        self.setAccessibleName("Canned responses")
        self._library = CannedLibrary(self)  # CaseDesk swaps in the application's shared one
        self._values: dict[str, str] = {}
        self._actor: Actor | None = None  # who is signed in: decides Edit or Suggest
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("cannedSearch")
        self.search.setAccessibleName("Search canned responses")
        self.search.setPlaceholderText("Search responses (title, shortcut, tag, words)…")
        self.search.setClearButtonEnabled(True)
        self.category = QComboBox(self)
        self.category.setObjectName("cannedCategory")
        self.category.setAccessibleName("Browse by category")
        self.category.addItem("All categories", ALL_CATEGORIES)
        self.model = CannedListModel(self)
        self.results = QListView(self)
        self.results.setObjectName("cannedResults")
        self.results.setAccessibleName("Matching responses")
        self.results.setModel(self.model)
        self.results.setUniformItemSizes(True)  # no per-row measuring: paints in constant time
        self.results.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.preview = plain_viewer(self, name="cannedPreview")
        self.preview.setAccessibleName("Response preview")
        self.preview.setPlaceholderText("Select a response to preview it.")
        # A {{…}} left in the preview is not a fault: say it will be asked for, not inserted.
        self.asks = plain_label("", self, name="cannedAsks", wrap=True, selectable=False)
        self.asks.setAccessibleName("Details asked for when the response is used")
        self.asks.setStyleSheet("QLabel { color: palette(placeholder-text); }")
        self.asks.hide()
        self.insert = QPushButton("&Insert", self)
        self.insert.setObjectName("cannedInsert")
        self.insert.setAccessibleName("Insert response at the caret")
        self.insert.setToolTip("Insert into the text you were last typing (Ctrl+Space there too)")
        self.copy = QPushButton("Copy", self)
        self.copy.setObjectName("cannedCopy")
        self.copy.setAccessibleName("Copy response text")
        self.copy.setToolTip("Copy with the placeholders filled, for another application")
        self._build_manage_menu()
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.category, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.manage)
        buttons.addStretch(1)
        buttons.addWidget(self.insert)
        buttons.addWidget(self.copy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.results, 2)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.asks)
        layout.addLayout(buttons)
        self._update_buttons()

    def _build_manage_menu(self) -> None:
        def action(name: str, text: str, tip: str) -> QAction:
            made = QAction(text, self)
            made.setObjectName(name)
            made.setToolTip(tip)
            return made

        self.action_new = action("actionCannedNew", "&New response…", "Write a new response")
        self.action_edit = action("actionCannedEdit", "&Edit…", "Change the selected response")
        self.action_suggest = action("actionCannedSuggest", "&Suggest an edit…",
                                     "Propose better wording to whoever maintains it")  # fmt: skip
        self.action_retire = action("actionCannedRetire", "&Retire…",
                                    "Stop offering the selected response to anyone")  # fmt: skip
        # F2 anywhere in the panel, as in a file manager: edit, or suggest where one may not.
        for edit in (self.action_edit, self.action_suggest):
            edit.setShortcut(QKeySequence(Qt.Key.Key_F2))
            edit.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.manage_menu = QMenu(self)
        self.manage_menu.setObjectName("cannedManageMenu")
        self.manage_menu.setAccessibleName("Manage canned responses menu")
        managing = (self.action_new, self.action_edit, self.action_suggest, self.action_retire)
        self.manage_menu.addActions(managing[:1])
        self.manage_menu.addSeparator()
        self.manage_menu.addActions(managing[1:])
        self.addActions([self.action_edit, self.action_suggest])  # for F2's shortcut
        self.manage = QToolButton(self)
        self.manage.setObjectName("cannedManage")
        self.manage.setText("&Manage")
        self.manage.setAccessibleName("Manage canned responses")
        self.manage.setToolTip("New, edit or suggest an edit, retire")
        self.manage.setMenu(self.manage_menu)
        self.manage.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.manage.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable with Tab
        self.results.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.results.addActions(list(managing))

    def _connect_signals(self) -> None:
        self.action_new.triggered.connect(self.new_requested)
        self.action_edit.triggered.connect(lambda: self._ask(self.edit_requested, editing=True))
        self.action_suggest.triggered.connect(
            lambda: self._ask(self.suggest_requested, editing=False))  # fmt: skip
        self.action_retire.triggered.connect(lambda: self._ask(self.retire_requested,
                                                               editing=True))  # fmt: skip
        self.search.textChanged.connect(self._refilter)
        self.search.installEventFilter(self)
        self.category.currentIndexChanged.connect(lambda _i: self._refilter(self.search.text()))
        self.results.selectionModel().currentChanged.connect(self._on_current)
        self.results.activated.connect(lambda _index: self._insert())
        self.insert.clicked.connect(self._insert)
        self.copy.clicked.connect(self._copy)
        self._watch(self._library)

    # ------------------------------------------------------------------ feeding
    def use_library(self, library: CannedLibrary) -> None:
        """Rank from the application's library (the one every editor's picker uses)."""
        self._library.changed.disconnect(self._on_library_changed)
        self._library.target_changed.disconnect(self._update_buttons)
        self._library = library
        self._watch(library)
        self._on_library_changed()

    def _watch(self, library: CannedLibrary) -> None:
        library.changed.connect(self._on_library_changed)
        library.target_changed.connect(self._update_buttons)

    def set_responses(self, responses: list[CannedInfo]) -> None:
        self._library.set_responses(responses)

    def set_actor(self, actor: Actor | None) -> None:
        """Who is signed in (None: nobody): whether Edit or Suggest is offered follows."""
        self._actor = actor
        self._update_buttons()

    def may_edit(self, response: CannedInfo | None) -> bool:
        return response is not None and self._actor is not None and can_edit(self._actor,
                                                                              response)  # fmt: skip

    def set_case_values(self, values: Mapping[str, str]) -> None:
        """The placeholder values of the case in hand ({} when none): the preview follows."""
        self._values = dict(values)
        self._show_preview(self.current_response())

    @Slot()
    def _on_library_changed(self) -> None:
        self.model.prepare(self._library.responses)
        categories = sorted({r.category for r in self._library.responses}, key=_category_key)
        chosen = self.category.currentData()
        self.category.blockSignals(True)
        while self.category.count() > 1:
            self.category.removeItem(1)
        for name in categories:
            self.category.addItem(CATEGORY_LABELS.get(name) or name[:1].upper() + name[1:], name)
        self.category.setCurrentIndex(max(0, self.category.findData(chosen)))
        self.category.blockSignals(False)
        self._refilter(self.search.text())

    # ------------------------------------------------------------------ what is shown
    def current_response(self) -> CannedInfo | None:
        return self.model.response(self.results.currentIndex().row())

    @Slot(str)
    def _refilter(self, text: str) -> None:
        keep = self.current_response()
        ranked = self._library.rank(text)
        category = self.category.currentData()
        if category:
            ranked = [r for r in ranked if r.category == category]
        self.model.set_rows(ranked)
        row = self.model.row_of(keep.id) if keep is not None and not text else -1
        self._select(row if row >= 0 else 0)

    def _select(self, row: int) -> None:
        if self.model.rowCount() == 0:
            self._show_preview(None)
            return
        index = self.model.index(row, 0)
        self.results.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)  # fmt: skip
        self.results.scrollTo(index)

    @Slot(QModelIndex, QModelIndex)
    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_preview(self.model.response(current.row()))

    def _show_preview(self, response: CannedInfo | None) -> None:
        asked: list[str] = []
        if response is None:
            self.preview.clear()
        else:  # one pass from the fixed list: a value holding "{{…}}" stays literal text
            result = resolve(response.body, self._values)
            self.preview.setPlainText(result.text)
            asked = [item.label for item in result.unresolved]
        self.asks.setText("You will be asked for: " + ", ".join(asked) + "." if asked else "")
        self.asks.setVisible(bool(asked))
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        response = self.current_response()
        chosen = response is not None
        self.copy.setEnabled(chosen)
        self.insert.setEnabled(chosen and self._library.target is not None)
        person = self._actor is not None
        editable = self.may_edit(response)
        self.action_new.setEnabled(person)
        self.action_edit.setVisible(editable or not chosen or not person)
        self.action_edit.setEnabled(editable)
        self.action_suggest.setVisible(not self.action_edit.isVisible())
        self.action_suggest.setEnabled(chosen and person and self._actor is not None
                                       and self._actor.user_id is not None)  # fmt: skip
        self.action_retire.setEnabled(editable)
        self.action_retire.setVisible(editable or not chosen or not person)
        self.manage.setEnabled(person)

    def _ask(self, signal, *, editing: bool) -> None:
        """Emit a request about the selected response, if the person may make it."""
        response = self.current_response()
        if response is not None and self._actor is not None and self.may_edit(response) == (
            editing):  # fmt: skip
            signal.emit(response)

    def eventFilter(self, watched, event) -> bool:
        """Arrows in the search line move through the results; Enter inserts."""
        if watched is self.search and isinstance(event, QKeyEvent) and (
            event.type() == QKeyEvent.Type.KeyPress):  # fmt: skip
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                row = self.results.currentIndex().row() + step
                if 0 <= row < self.model.rowCount():
                    self._select(row)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._insert()
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ using one
    @Slot()
    def _insert(self) -> None:
        response, target = self.current_response(), self._library.target
        if response is not None and target is not None:
            target.insert(response)

    @Slot()
    def _copy(self) -> None:
        """Copy for use elsewhere (a chat tool, a mail client): placeholders the case cannot
        fill are asked for first; cancelling copies nothing."""
        response = self.current_response()
        if response is None:
            return
        result = complete_response(response, self._values, self.window())
        if result is not None:
            QGuiApplication.clipboard().setText(result.text.replace("{{cursor}}", ""))
            self._library.note_used(response.id)
            self.copied.emit(response)
