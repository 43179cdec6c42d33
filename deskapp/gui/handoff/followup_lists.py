"""The sender's and the lead's side of a handoff: the notes still waiting for their receiver's
read-back (mine; a lead sees the team's), with their age, and the questions receivers asked me,
which I answer here (DESIGN.md §5, issue 7).

An answer never edits the note: it goes through handoff_followup.answer_question, which adds it
as an addendum. Both lists load through the task runner when someone signs in, after an answer,
and with the desk's refresh timer; a list with nothing in it stays out of the way.
"""

from __future__ import annotations

import itertools
import uuid

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import handoff_followup
from deskapp.services.handoff_followup import TEXT_LIMIT
from deskapp.services.handoff_waiting import PendingHandoff
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

_ROWS_SHOWN = 4  # each list shows about this many two-line entries, then scrolls
ANSWER_HINT = "Your answer is added to the note as an addendum; the note itself never changes."


def _receiver(pending: PendingHandoff) -> str:
    return pending.receiver or f"{pending.team}'s queue"


def waiting_text(pending: PendingHandoff, me: str | None) -> str:
    by = "" if pending.author == me else f"  ·  by {pending.author}"
    asked = "  ·  question asked" if pending.open_question else ""
    return (f"{pending.case_key}  {pending.subject}\n"
            f"to {_receiver(pending)}, waiting {fmt.span(pending.age)}{by}{asked}")  # fmt: skip


def question_text(pending: PendingHandoff, me: str | None) -> str:
    asker = pending.receiver or f"The receiver from {pending.team}'s queue"
    for_whom = "" if pending.author == me else f"  ·  for {pending.author} (away)"
    return (f"{pending.case_key}  {pending.subject}\n"
            f"{asker} asks: “{pending.open_question}”{for_whom}")  # fmt: skip


def _list(parent: QWidget, name: str, accessible: str) -> QListWidget:
    """Two lines an entry, cut with "…" when the column is narrow (the whole text is in the
    tooltip), so every entry has the same height and the list can fit its content."""
    items = QListWidget(parent)
    items.setObjectName(name)
    items.setAccessibleName(accessible)
    items.setWordWrap(False)
    items.setTextElideMode(Qt.TextElideMode.ElideRight)
    items.setUniformItemSizes(True)
    items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return items


def _add(items: QListWidget, text: str, key: str) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setToolTip(text)
    item.setData(Qt.ItemDataRole.UserRole, key)
    items.addItem(item)
    return item


def _fit(items: QListWidget) -> None:
    """As tall as its entries, up to a few, so short lists leave room for the note below."""
    entry = items.fontMetrics().lineSpacing() * 2 + 4
    shown = max(1, min(items.count(), _ROWS_SHOWN))
    items.setFixedHeight(entry * shown + 2 * items.frameWidth())


def _bold(label: QLabel) -> None:
    font = label.font()
    font.setBold(True)
    label.setFont(font)


class WaitingForReadBack(QWidget):
    """Handoffs I (or, for a lead, my team) sent that nobody has acknowledged yet."""

    case_requested = Signal(object)  # uuid.UUID

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waitingForReadBack")
        self.setAccessibleName("Handoffs waiting for read-back")
        self.heading = plain_label("", self, name="waitingForReadBackHeading", selectable=False)
        _bold(self.heading)
        self.items = _list(self, "waitingForReadBackList", "Your handoffs nobody has read back")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.items)
        self.items.itemActivated.connect(self._on_activated)
        self.items.itemClicked.connect(self._on_activated)
        self.show_pending([], None)

    def show_pending(self, pending: list[PendingHandoff], me: str | None) -> None:
        self.items.clear()
        for entry in pending:
            _add(self.items, waiting_text(entry, me), str(entry.case_id))
        _fit(self.items)
        self.heading.setText(f"Waiting for read-back ({len(pending)})")
        self.setVisible(bool(pending))

    @Slot(QListWidgetItem)
    def _on_activated(self, item: QListWidgetItem) -> None:
        self.case_requested.emit(uuid.UUID(item.data(Qt.ItemDataRole.UserRole)))


class QuestionsForYou(QWidget):
    """Questions receivers asked about my notes (a lead: also about an absent rep's notes), with
    a box to answer the one selected."""

    case_requested = Signal(object)  # uuid.UUID
    answer_requested = Signal(object, str)  # note id, the answer

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionsForYou")
        self.setAccessibleName("Questions for you")
        self._pending: dict[str, PendingHandoff] = {}
        self.heading = plain_label("", self, name="questionsForYouHeading", selectable=False)
        _bold(self.heading)
        self.heading.setStyleSheet("QLabel { color: #8c1d18; }")
        self.items = _list(self, "questionsForYouList", "Questions waiting for your answer")
        self.answering = plain_label("", self, name="questionAnswering", wrap=True)
        self.answer = QPlainTextEdit(self)
        self.answer.setObjectName("questionAnswer")
        self.answer.setAccessibleName("Your answer")
        self.answer.setPlaceholderText("Select a question, then write your answer here.")
        self.answer.setTabChangesFocus(True)
        self.answer.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.send = QPushButton("Send &answer", self)
        self.send.setObjectName("questionSendAnswer")
        self.send.setToolTip(ANSWER_HINT)
        hint = plain_label(ANSWER_HINT, self, name="questionAnswerHint", wrap=True,
                           selectable=False)  # fmt: skip
        hint.setStyleSheet("QLabel { color: #5f6368; }")
        # The answer box appears once a question is chosen; until then the list says what to do.
        self.answer_box = QWidget(self)
        self.answer_box.setObjectName("questionAnswerBox")
        box = QVBoxLayout(self.answer_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.answering)
        box.addWidget(self.answer)
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(self.send, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(row)
        self.prompt = plain_label("Click a question to answer it.", self,
                                  name="questionPrompt", selectable=False)  # fmt: skip
        self.prompt.setStyleSheet("QLabel { color: #5f6368; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.items)
        layout.addWidget(self.prompt)
        layout.addWidget(self.answer_box)
        self.items.currentItemChanged.connect(self._on_current_changed)
        self.items.itemActivated.connect(self._on_activated)
        self.items.itemClicked.connect(self._on_activated)
        self.answer.textChanged.connect(self._update_send)
        self.send.clicked.connect(self._on_send)
        self.show_pending([], None)
        self._on_current_changed()

    def show_pending(self, pending: list[PendingHandoff], me: str | None) -> None:
        """Fresh questions; the one being answered stays selected (and its draft answer kept)
        as long as it is still open."""
        selected = self.selected_note()
        self._pending = {str(p.note_id): p for p in pending}
        self.items.blockSignals(True)
        self.items.clear()
        for entry in pending:
            item = _add(self.items, question_text(entry, me), str(entry.note_id))
            if entry.note_id == selected:
                self.items.setCurrentItem(item)
        self.items.blockSignals(False)
        _fit(self.items)
        if self.selected_note() != selected:
            self._on_current_changed()
        self._update_send()
        self.heading.setText(f"Questions for you ({len(pending)})")
        self.setVisible(bool(pending))

    def case_of(self, note_id: uuid.UUID) -> uuid.UUID | None:
        pending = self._pending.get(str(note_id))
        return pending.case_id if pending else None

    def selected_note(self) -> uuid.UUID | None:
        item = self.items.currentItem()
        return uuid.UUID(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def set_busy(self, busy: bool) -> None:
        self.answer.setReadOnly(busy)
        self.items.setEnabled(not busy)
        self.send.setEnabled(not busy and self._can_send())

    def clear_answer(self) -> None:
        self.answer.clear()

    # ------------------------------------------------------------------ reacting
    @Slot()
    def _on_current_changed(self, *_items: object) -> None:
        note_id = self.selected_note()
        pending = self._pending.get(str(note_id)) if note_id else None
        if pending is None:
            self.answering.setText("")
        else:
            self.answering.setText(f"Answering about {pending.case_key}: “{pending.open_question}”")
        self.answer_box.setVisible(pending is not None)
        self.prompt.setVisible(pending is None)
        self.answer.clear()
        self._update_send()

    @Slot(QListWidgetItem)
    def _on_activated(self, item: QListWidgetItem) -> None:
        pending = self._pending.get(item.data(Qt.ItemDataRole.UserRole))
        if pending is not None:
            self.case_requested.emit(pending.case_id)
            self.answer.setFocus()

    @Slot()
    def _update_send(self) -> None:
        self.send.setEnabled(self._can_send())

    def _can_send(self) -> bool:
        text = self.answer.toPlainText().strip()
        return self.selected_note() is not None and 0 < len(text) <= TEXT_LIMIT

    @Slot()
    def _on_send(self) -> None:
        note_id = self.selected_note()
        if note_id is not None and self._can_send():
            self.answer_requested.emit(note_id, self.answer.toPlainText().strip())


class FollowUpLists(QObject):
    """Loads both lists for the person signed in and sends their answers, through the runner."""

    answered = Signal(object, object)  # note id, case id

    def __init__(self, runner: TaskRunner, waiting: WaitingForReadBack,
                 questions: QuestionsForYou, parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._runner = runner
        self.waiting = waiting
        self.questions = questions
        self._ws: Workspace | None = None
        self._actor: Actor | None = None
        # A reply older than the latest request for its list is dropped (an answer's refresh
        # must not be overwritten by a slower timer refresh started before it).
        self._tickets = itertools.count(1)
        self._latest: dict[str, int] = {}
        self.questions.answer_requested.connect(self.answer)

    def start(self, ws: Workspace, actor: Actor) -> None:
        self._ws, self._actor = ws, actor
        self.refresh()

    def stop(self) -> None:
        self._ws = self._actor = None
        self._latest.clear()
        self.waiting.show_pending([], None)
        self.questions.show_pending([], None)

    @Slot()
    def refresh(self) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None or actor.user_id is None:
            return
        me = actor.display_name
        self._load("waiting", lambda: handoff_followup.unacknowledged_sent(ws, actor),
                   lambda rows: self.waiting.show_pending(rows, me))  # fmt: skip
        self._load("questions", lambda: handoff_followup.questions_for(ws, actor),
                   lambda rows: self.questions.show_pending(rows, me))  # fmt: skip

    @Slot(object, str)
    def answer(self, note_id: uuid.UUID, text: str) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None:
            return
        case_id = self.questions.case_of(note_id)
        request_id = uuid.uuid4()  # a retry after a lost reply answers once
        self.questions.set_busy(True)
        self._runner.write(
            lambda: handoff_followup.answer_question(ws, actor, note_id, text,
                                                     request_id=request_id),
            lambda _addendum: self._answered(note_id, case_id),
            self._answer_failed,
            owner=self,
        )  # fmt: skip

    def _answered(self, note_id: uuid.UUID, case_id: uuid.UUID | None) -> None:
        self.questions.clear_answer()
        self.questions.set_busy(False)
        self.answered.emit(note_id, case_id)
        self.refresh()

    def _answer_failed(self, exc: Exception) -> None:
        self.questions.set_busy(False)  # the typed answer stays in the box
        self._runner.report_error(exc, "answering a question on a handoff")
        self.refresh()  # the question may have been answered elsewhere meanwhile

    def _load(self, name: str, fetch, show) -> None:
        ticket = next(self._tickets)
        self._latest[name] = ticket

        def deliver(rows: list[PendingHandoff]) -> None:
            if self._latest.get(name) == ticket:
                show(rows)

        self._runner.read(fetch, deliver, owner=self)
