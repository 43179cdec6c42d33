"""The suggestions a lead (or an admin) decides: who suggested what, on which response, and
why; the response as it is now beside the suggested wording, changed lines marked; Accept
applies the suggestion as an edit, Reject closes it, either with an optional comment for its
author.

Everything shown was written by colleagues, so it is shown as plain text only.
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.canned_validation import CATEGORY_LABELS
from deskapp.domain.errors import DeskappError
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.handoff.findings_view import BLOCK_STYLE
from deskapp.gui.panes.plain import plain_label, plain_viewer
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import canned_library
from deskapp.services.canned import CannedInfo
from deskapp.services.canned_library import SuggestionInfo
from deskapp.services.canned_suggestions import MAX_REASON
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

REMOVED_COLOUR = QColor("#fdecea")  # pale red: lines the suggestion takes out
ADDED_COLOUR = QColor("#e6f4ea")  # pale green: lines it brings in
INFO_STYLE = "QLabel { color: palette(text); }"

Decidable = tuple[SuggestionInfo, CannedInfo]


def load_decidable(ws: Workspace, actor: Actor) -> list[Decidable]:
    """The pending suggestions this person decides, each with its response as it is now (a
    task-runner read). Their own suggestions wait for someone else."""
    current = {r.id: r for r in canned_library.responses_for_editing(ws, actor)}
    return [
        (s, current[s.response_id])
        for s in canned_library.pending_suggestions(ws, actor)
        if s.response_id in current and s.author_id != actor.user_id
    ]


def differences(now: CannedInfo, suggestion: SuggestionInfo) -> list[str]:
    """The fields other than the text that the suggestion changes, in words."""
    draft = suggestion.draft
    found = []
    if draft.title != now.title:
        found.append(f"Title: “{now.title}” → “{draft.title}”")
    if (draft.shortcut or "") != (now.shortcut or ""):
        found.append(f"Shortcut: /{now.shortcut or '—'} → /{draft.shortcut or '—'}")
    if draft.category != now.category:
        found.append(
            f"Category: {CATEGORY_LABELS.get(now.category, now.category)} → "
            f"{CATEGORY_LABELS.get(draft.category, draft.category)}"
        )
    if tuple(draft.tags) != tuple(now.tags):
        found.append(f"Tags: {', '.join(now.tags) or '—'} → {', '.join(draft.tags) or '—'}")
    return found


def mark_lines(box: QPlainTextEdit, lines: Sequence[int], colour: QColor) -> None:
    """Shade whole lines of a plain-text box (the text itself stays plain)."""
    marks = []
    for number in lines:
        block = box.document().findBlockByNumber(number)
        if not block.isValid():
            continue
        mark = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        mark.format = fmt
        cursor = QTextCursor(block)
        cursor.clearSelection()
        mark.cursor = cursor
        marks.append(mark)
    box.setExtraSelections(marks)


def changed_lines(before: str, after: str) -> tuple[list[int], list[int]]:
    """Line numbers (from 0) taken out of ``before`` and brought into ``after``."""
    old, new = before.split("\n"), after.split("\n")
    removed: list[int] = []
    added: list[int] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            removed.extend(range(a1, a2))
            added.extend(range(b1, b2))
    return removed, added


class CannedSuggestionsDialog(QDialog):
    decided = Signal(object, bool)  # the suggestion's id, accepted or not

    def __init__(self, runner: TaskRunner, ws: Workspace, actor: Actor,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("cannedSuggestions")
        self.setWindowTitle("Suggested edits to review")
        self.setAccessibleName("Suggested edits to review")
        self._runner, self._ws, self._actor = runner, ws, actor
        self._items: list[Decidable] = []
        self._busy = False
        self._build()
        self._connect_signals()
        self.reload()

    def _build(self) -> None:
        self.list = QListWidget(self)
        self.list.setObjectName("cannedSuggestionList")
        self.list.setAccessibleName("Pending suggestions")
        self.heading = plain_label("", self, name="cannedSuggestionHeading", wrap=True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.reason = plain_label("", self, name="cannedSuggestionReason", wrap=True)
        self.fields = plain_label("", self, name="cannedSuggestionFields", wrap=True)
        self.current = plain_viewer(self, name="cannedSuggestionCurrent")
        self.current.setAccessibleName("The response's text now")
        self.current.setTabChangesFocus(True)
        self.suggested = plain_viewer(self, name="cannedSuggestionSuggested")
        self.suggested.setAccessibleName("The suggested text")
        self.suggested.setTabChangesFocus(True)
        self.comment = QLineEdit(self)
        self.comment.setObjectName("cannedSuggestionComment")
        self.comment.setAccessibleName("Comment for the author")
        self.comment.setPlaceholderText("Optional comment for the author, e.g. why not")
        self.comment.setMaxLength(MAX_REASON)
        self.reject_button = QPushButton("&Reject", self)
        self.reject_button.setObjectName("cannedSuggestionReject")
        self.reject_button.setAccessibleName("Reject the suggestion")
        self.accept_button = QPushButton("&Accept", self)
        self.accept_button.setObjectName("cannedSuggestionAccept")
        self.accept_button.setAccessibleName("Accept the suggestion and change the response")
        self.status = plain_label("", self, name="cannedSuggestionStatus", wrap=True,
                                  selectable=False)  # fmt: skip
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        name_standard_buttons(self.buttons)

        texts = QGridLayout()
        texts.addWidget(QLabel("Now", self), 0, 0)
        texts.addWidget(QLabel("Suggested", self), 0, 1)
        texts.addWidget(self.current, 1, 0)
        texts.addWidget(self.suggested, 1, 1)
        comment_label = QLabel("C&omment", self)
        comment_label.setBuddy(self.comment)
        decide = QHBoxLayout()
        decide.addWidget(comment_label)
        decide.addWidget(self.comment, 1)
        decide.addWidget(self.reject_button)
        decide.addWidget(self.accept_button)
        detail = QWidget(self)
        right = QVBoxLayout(detail)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.heading)
        right.addWidget(self.reason)
        right.addWidget(self.fields)
        right.addLayout(texts, 1)
        right.addLayout(decide)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("cannedSuggestionSplit")
        split.addWidget(self.list)
        split.addWidget(detail)
        split.setSizes([260, 760])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(1040, 600)

    def _connect_signals(self) -> None:
        self.list.currentRowChanged.connect(self._show)
        self.accept_button.clicked.connect(lambda: self.decide(True))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.buttons.rejected.connect(self.reject)

    # ------------------------------------------------------------------ loading
    @Slot()
    def reload(self, note: str = "") -> None:
        """Read the list again; ``note`` (what just happened) stays shown meanwhile and after."""
        ws, actor = self._ws, self._actor
        self._say(note or "Loading…")
        self._runner.read(lambda: load_decidable(ws, actor),
                          lambda items: self._fill(items, note), self._load_failed,
                          owner=self)  # fmt: skip

    def _fill(self, items: list[Decidable], note: str = "") -> None:
        keep = self.selected()
        self._items = items
        self.list.blockSignals(True)
        self.list.clear()
        for suggestion, _now in items:
            when = suggestion.created_at.astimezone().strftime("%d %b %H:%M")
            self.list.addItem(f"{suggestion.response_title}\n{suggestion.author_name}, {when}")
        self.list.blockSignals(False)
        ids = [s.id for s, _now in items]
        row = ids.index(keep.id) if keep is not None and keep.id in ids else 0
        waiting = "" if items else "No suggestions are waiting for you."
        self._say(" ".join(part for part in (note, waiting) if part))
        if items:
            self.list.setCurrentRow(row)
        self._show(self.list.currentRow())

    def _load_failed(self, exc: Exception) -> None:
        if not isinstance(exc, DeskappError):
            self._runner.report_error(exc, "loading suggestions")
        self._say(f"The suggestions could not be loaded: {exc}", error=True)

    def selected(self) -> SuggestionInfo | None:
        row = self.list.currentRow()
        return self._items[row][0] if 0 <= row < len(self._items) else None

    @Slot(int)
    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._items):
            for label in (self.heading, self.reason, self.fields):
                label.clear()
            self.current.clear()
            self.suggested.clear()
            self._update_buttons()
            return
        suggestion, now = self._items[row]
        self.heading.setText(f"“{now.title}”, suggested by {suggestion.author_name}")
        self.reason.setText(f"Why: {suggestion.reason}")
        changed = differences(now, suggestion)
        self.fields.setText("\n".join(changed) if changed else "Only the text changes.")
        self.current.setPlainText(now.body)
        self.suggested.setPlainText(suggestion.draft.body)
        removed, added = changed_lines(now.body, suggestion.draft.body)
        mark_lines(self.current, removed, REMOVED_COLOUR)
        mark_lines(self.suggested, added, ADDED_COLOUR)
        self.comment.clear()
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None and not self._busy
        self.accept_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

    # ------------------------------------------------------------------ deciding
    def decide(self, accept: bool) -> None:
        suggestion = self.selected()
        if suggestion is None or self._busy:
            return
        ws, actor, comment = self._ws, self._actor, self.comment.text()
        suggestion_id = suggestion.id
        self._busy = True
        self._update_buttons()
        self._say("Saving…")
        self._runner.write(
            lambda: canned_library.decide_suggestion(ws, actor, suggestion_id, accept, comment),
            lambda _none: self._decided(suggestion, accept),
            self._decide_failed,
            owner=self,
        )

    def _decided(self, suggestion: SuggestionInfo, accepted: bool) -> None:
        self._busy = False
        verb = "accepted: the response now reads as suggested" if accepted else "rejected"
        self.decided.emit(suggestion.id, accepted)
        self.reload(f"{suggestion.author_name}’s suggestion for “{suggestion.response_title}” "
                    f"{verb}.")  # fmt: skip

    def _decide_failed(self, exc: Exception) -> None:
        self._busy = False
        self._update_buttons()
        if not isinstance(exc, DeskappError):
            self._runner.report_error(exc, "deciding a suggestion")
            self._say("Not decided because of an unexpected error.", error=True)
            return
        self._say(str(exc), error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(BLOCK_STYLE if error and text else INFO_STYLE)

    def suggestion_ids(self) -> list[uuid.UUID]:
        return [s.id for s, _now in self._items]
