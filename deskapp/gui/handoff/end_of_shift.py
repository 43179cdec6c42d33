"""Case ▸ End of shift…: one step per open case the signed-in rep owns (issue 7).

For each case the rep decides: keep it (it stays theirs), or hand it to the team queue or to a
colleague with a note written in the usual handoff editor (team template, lint, drafts). A
refused note stays on its step with the findings under their fields; anything else that stops a
handoff is remembered with its reason. The last page says what is left: kept, handed off, and
what still needs a decision — the list a tired rep checks before signing off.

Every database call goes through the task runner; submits are writes (one note id per case, so
a retried submit cannot hand a case off twice).
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.enums import HandoffKind
from deskapp.domain.errors import DeskappError, StaleEdit
from deskapp.domain.handoff import NoteContent
from deskapp.drafts import DraftStore
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.handoff import service_calls
from deskapp.gui.handoff.autosave import DraftAutosave
from deskapp.gui.handoff.dialog import ERROR_STYLE, INFO_STYLE, draft_key
from deskapp.gui.handoff.editor import HandoffEditor
from deskapp.gui.handoff.end_of_shift_steps import (
    COLOURS,
    DONE_STATES,
    Decision,
    Step,
    StepData,
    StepState,
    read_step,
    summary_headline,
    summary_sections,
)
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import canned, cases, queue, users
from deskapp.services.history import CaseDetail
from deskapp.services.queue import QueueRow, QueueView
from deskapp.services.records import Actor, CaseInfo, UserInfo
from deskapp.services.workspace import Workspace
from deskapp.settings import DRAFT_AUTOSAVE_SECONDS, Settings

CASE_PAGE, SUMMARY_PAGE, MESSAGE_PAGE = 0, 1, 2
SECTION_COUNT = 4  # still to decide, handed off, kept, moved by someone else


class EndOfShiftWizard(QDialog):
    handed_off = Signal(object)  # the service's HandoffOutcome, once per case handed on

    def __init__(
        self,
        runner: TaskRunner,
        ws: Workspace,
        actor: Actor,
        *,
        store: DraftStore | None = None,
        autosave_seconds: int = DRAFT_AUTOSAVE_SECONDS.default,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("endOfShiftWizard")
        self.setWindowTitle("End of shift")
        self.setAccessibleName("End of shift: decide what happens to each of your open cases")
        self._runner, self._ws, self._actor = runner, ws, actor
        self.store = store or DraftStore()
        self._autosave_seconds = autosave_seconds
        self.steps: list[Step] = []
        self._people: list[UserInfo] = []
        self._index = -1
        self._data: StepData | None = None  # the current step's, once loaded
        self._submitting = False
        self._tickets = itertools.count(1)
        self._ticket = 0
        self.editor: HandoffEditor | None = None
        self.autosave: DraftAutosave | None = None
        self._build()
        self._connect_signals()
        self._show_message("Loading your open cases…")
        runner.read(lambda: (queue.list_queue(ws, actor, QueueView.MY_CASES), users.list_users(ws)),
                    self._on_cases_loaded, self._on_cases_failed, owner=self)  # fmt: skip

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.step_list = QListWidget(self)
        self.step_list.setObjectName("endOfShiftSteps")
        self.step_list.setAccessibleName("Your open cases and what you decided")
        self.step_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.step_list.setSpacing(2)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_heading = plain_label("Your open cases", self, name="endOfShiftListHeading",
                                        selectable=False)  # fmt: skip
        font = self.list_heading.font()
        font.setBold(True)
        self.list_heading.setFont(font)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list_heading)
        left_layout.addWidget(self.step_list, 1)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_case_page())
        self.pages.addWidget(self._build_summary_page())
        self.message = plain_label("", self, name="endOfShiftMessage", wrap=True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.message)
        splitter = QSplitter(self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.pages)
        splitter.setSizes([330, 850])
        self.back_button = self._button("backButton", "← &Back")
        self.skip_button = self._button("skipButton", "&Skip for now")
        self.summary_button = self._button("summaryButton", "&What is left?")
        self.close_button = self._button("closeButton", "Close (keep drafts)")
        self.next_button = self._button("nextButton", "&Next")
        self.next_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.summary_button)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.resize(1200, 880)

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    def _build_case_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("endOfShiftCasePage")
        self.progress = plain_label("", page, name="endOfShiftProgress", selectable=False)
        self.heading = plain_label("", page, name="endOfShiftCase", wrap=True, selectable=False)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.heading.setFont(font)
        self.facts = plain_label("", page, name="endOfShiftFacts", wrap=True)
        self.decision_box = QGroupBox("What happens to this case when you leave?", page)
        self.decision_box.setObjectName("endOfShiftDecision")
        self.keep = QRadioButton("&Keep it: it stays in my queue", self.decision_box)
        self.keep.setObjectName("decisionKeep")
        self.to_queue = QRadioButton("Hand it to the team &queue, with a note",
                                     self.decision_box)  # fmt: skip
        self.to_queue.setObjectName("decisionQueue")
        self.to_person = QRadioButton("Hand it to a &colleague, with a note:", self.decision_box)
        self.to_person.setObjectName("decisionPerson")
        self.person = QComboBox(self.decision_box)
        self.person.setObjectName("endOfShiftPerson")
        self.person.setAccessibleName("Colleague who receives the case")
        self.person.setMinimumContentsLength(22)
        self.decisions = QButtonGroup(self)
        for decision, button in self._decision_buttons().items():
            self.decisions.addButton(button, decision.value)
        person_row = QHBoxLayout()
        person_row.addWidget(self.to_person)
        person_row.addWidget(self.person)
        person_row.addStretch(1)
        box_layout = QVBoxLayout(self.decision_box)
        box_layout.addWidget(self.keep)
        box_layout.addWidget(self.to_queue)
        box_layout.addLayout(person_row)
        self.restored = plain_label("", page, name="endOfShiftRestored", wrap=True)
        self.restored.setStyleSheet(
            "QLabel { background: #e8f0fe; color: #0b2a5c; border-left: 4px solid #1a73e8;"
            " padding: 4px 6px; }"
        )
        self.restored.hide()
        self.editor_area = QWidget(page)
        self.editor_area.setObjectName("endOfShiftNote")
        self._editor_layout = QVBoxLayout(self.editor_area)
        self._editor_layout.setContentsMargins(0, 0, 0, 0)
        line = QFrame(page)
        line.setFrameShape(QFrame.Shape.HLine)
        self._editor_layout.addWidget(line)
        self.status = plain_label("", page, name="endOfShiftStatus", wrap=True)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.decision_box)
        layout.addWidget(self.restored)
        layout.addWidget(self.editor_area, 1)
        layout.addStretch(0)
        layout.addWidget(self.status)
        return page

    def _build_summary_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("endOfShiftSummaryPage")
        self.summary_headline = plain_label("", page, name="endOfShiftHeadline", wrap=True)
        font = self.summary_headline.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.summary_headline.setFont(font)
        sections = QWidget(page)
        sections.setObjectName("endOfShiftSections")
        section_layout = QVBoxLayout(sections)
        # One heading and one list per kind of outcome, filled in order, unused ones hidden.
        self.summary_labels: list[tuple[QLabel, QLabel]] = []
        for number in range(SECTION_COUNT):
            heading = plain_label("", sections, name=f"endOfShiftSection{number}",
                                  selectable=False)  # fmt: skip
            bold = heading.font()
            bold.setBold(True)
            heading.setFont(bold)
            body = plain_label("", sections, name=f"endOfShiftSectionCases{number}", wrap=True)
            section_layout.addWidget(heading)
            section_layout.addWidget(body)
            section_layout.addSpacing(8)
            self.summary_labels.append((heading, body))
        section_layout.addStretch(1)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(sections)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.summary_headline)
        layout.addWidget(scroll, 1)
        return page

    def summary_text(self) -> str:
        """The sections shown on the last page, as one text (tests, a screen reader's view)."""
        shown = [(h, b) for h, b in self.summary_labels if not h.isHidden()]
        return "\n\n".join(f"{heading.text()}\n{body.text()}" for heading, body in shown)

    def _decision_buttons(self) -> dict[Decision, QRadioButton]:
        return {Decision.KEEP: self.keep, Decision.QUEUE: self.to_queue,
                Decision.PERSON: self.to_person}  # fmt: skip

    def _connect_signals(self) -> None:
        self.step_list.currentRowChanged.connect(self._on_step_clicked)
        self.decisions.idClicked.connect(self._on_decision_clicked)
        self.person.currentIndexChanged.connect(self._on_person_changed)
        self.back_button.clicked.connect(self.go_back)
        self.skip_button.clicked.connect(self.skip)
        self.summary_button.clicked.connect(self.show_summary)
        self.close_button.clicked.connect(self.reject)
        self.next_button.clicked.connect(self.go_next)

    # ------------------------------------------------------------------ the cases
    def _on_cases_loaded(self, loaded: tuple[list[QueueRow], list[UserInfo]]) -> None:
        rows, people = loaded
        self._people = [p for p in people if p.id != self._actor.user_id]
        self.steps = [Step(row) for row in rows]
        self.list_heading.setText(f"Your open cases ({len(rows)})")
        self.step_list.blockSignals(True)
        for step in self.steps:
            self.step_list.addItem(QListWidgetItem(step.line()))
        self.step_list.blockSignals(False)
        self._refresh_list()
        if self.steps:
            self.go_to(0)
        else:
            self.show_summary()

    def _on_cases_failed(self, exc: Exception) -> None:
        reason = str(exc) if isinstance(exc, DeskappError) else "something went wrong"
        self._show_message(f"Your open cases could not be loaded: {reason}. Close this window "
                           "and try again in a moment.")  # fmt: skip
        if not isinstance(exc, DeskappError):
            self._runner.report_error(exc, "loading the cases for the end of shift")

    def _refresh_list(self) -> None:
        for row, step in enumerate(self.steps):
            item = self.step_list.item(row)
            item.setText(step.line())
            colour = COLOURS.get(step.state)
            item.setForeground(QColor(colour) if colour else self.palette().text().color())
            font = item.font()
            font.setBold(row == self._index and self.pages.currentIndex() == CASE_PAGE)
            item.setFont(font)

    # ------------------------------------------------------------------ moving between steps
    @Slot(int)
    def _on_step_clicked(self, row: int) -> None:
        if row != self._index and 0 <= row < len(self.steps):
            self.go_to(row)

    def go_to(self, index: int) -> None:
        """Show the step for ``steps[index]`` (its note comes back from the draft)."""
        if self._submitting:
            return
        self._leave_step()
        self._index = index
        step = self.steps[index]
        self.step_list.blockSignals(True)
        self.step_list.setCurrentRow(index)
        self.step_list.blockSignals(False)
        self.pages.setCurrentIndex(CASE_PAGE)
        self._refresh_list()
        left = sum(s.state not in DONE_STATES for s in self.steps)
        self.progress.setText(f"Case {index + 1} of {len(self.steps)}  ·  {left} still to decide")
        self.heading.setText(f"{step.row.key}  {step.row.subject}")
        self.facts.setText(_facts(step.row))
        self.restored.hide()
        self._set_decision(None)
        self.decision_box.setEnabled(False)
        self._show_info("Loading the case…")
        self._update_buttons()
        self._ticket = ticket = next(self._tickets)
        ws, case_id = self._ws, step.row.id
        self._runner.read(lambda: read_step(ws, case_id),
                          lambda data: self._on_step_loaded(ticket, data),
                          lambda exc: self._on_step_failed(ticket, exc), owner=self)  # fmt: skip

    def _leave_step(self) -> None:
        """Save the note being written (if any) and take its editor down."""
        self._data = None
        if self.autosave is not None:
            # Stopped, it is inert and goes with the wizard. Deleting it here (deleteLater)
            # crashed PySide 6.11 at the next event loop ("shared QObject was deleted
            # directly"); a few idle QObjects per shift cost nothing.
            self.autosave.stop()
            self.autosave = None
        if self.editor is not None:
            self._editor_layout.removeWidget(self.editor)
            self.editor.deleteLater()
            self.editor = None

    def _on_step_loaded(self, ticket: int, data: StepData) -> None:
        if ticket != self._ticket:  # the rep moved on meanwhile
            return
        step = self.steps[self._index]
        self._data = data
        step.version = data.case.version
        self.facts.setText(_facts(step.row, data.detail))
        if step.state is StepState.HANDED_OFF:
            self._show_info(f"Handed off {step.detail}. Nothing more to do here.")
        elif data.case.assignee_id != self._actor.user_id or not data.case.status.is_open:
            step.state = StepState.GONE
            now_with = data.detail.assignee or f"{data.detail.team}'s queue"
            step.detail = f"now with {now_with}" if data.case.status.is_open else "closed"
            self._show_info(f"{step.row.key} is no longer yours ({step.detail}): nothing to do.")
        else:
            self._open_note(step, data)
        self._refresh_list()
        self._update_buttons()

    def _on_step_failed(self, ticket: int, exc: Exception) -> None:
        if ticket != self._ticket:
            return
        step = self.steps[self._index]
        reason = str(exc) if isinstance(exc, DeskappError) else "it could not be read"
        step.state, step.detail = StepState.FAILED, reason
        self._show_error(f"{step.row.key} could not be opened: {reason} Skip it for now, or "
                         "come back to it in a moment.")  # fmt: skip
        self._refresh_list()
        self._update_buttons()
        if not isinstance(exc, DeskappError):
            self._runner.report_error(exc, "opening a case for the end of shift")

    def _open_note(self, step: Step, data: StepData) -> None:
        """The decision and the note editor for a case that is still the rep's."""
        self.person.blockSignals(True)
        self.person.clear()
        for person in self._people:
            if person.team_id == data.case.team_id:
                self.person.addItem(person.display_name, str(person.id))
        self.person.blockSignals(False)
        self.to_person.setEnabled(self.person.count() > 0)
        self.person.setEnabled(self.person.count() > 0)
        editor = HandoffEditor(data.template, customer_zone=data.detail.customer.time_zone,
                               parent=self.editor_area)  # fmt: skip
        self.editor = editor
        detail, agent = data.detail, self._actor.display_name
        editor.set_placeholder_values(
            lambda: canned.placeholder_values(detail, agent, datetime.now(UTC))
        )
        self._editor_layout.addWidget(editor, 1)
        key = draft_key(self._ws, self._actor, step.row.id)
        self.autosave = DraftAutosave(
            editor, self.store, key, seconds=self._autosave_seconds, case_key=step.row.key,
            extra=self._draft_choice,
            save_on_server=self._save_on_server if self._ws.is_server else None, parent=self,
        )  # fmt: skip
        editor.findings_changed.connect(self._update_buttons)
        editor.submittable_changed.connect(self._update_buttons)
        self.autosave.save_failed.connect(self._show_error)
        draft = self.autosave.restore()
        decision = step.decision
        if draft is not None:
            when = draft.saved_at.astimezone().strftime("%a %d %b %H:%M")
            self.restored.setText(f"Your unsent note from {when} is back. Check it, then hand off.")
            self.restored.show()
            decision = decision or self._decision_from_draft(draft.extra)
        self.decision_box.setEnabled(True)
        self._set_decision(decision)
        if step.state is StepState.FAILED:
            self._show_error(f"Last try: {step.detail}")
        elif decision is None:
            self._show_info("Keep it, or hand it on with a note.")

    def _decision_from_draft(self, extra: dict[str, object]) -> Decision | None:
        if extra.get("kind") != HandoffKind.END_OF_SHIFT.value:
            return None
        person = extra.get("person")
        if isinstance(person, str) and (index := self.person.findData(person)) >= 0:
            self.person.setCurrentIndex(index)
            return Decision.PERSON
        return Decision.QUEUE

    def _draft_choice(self) -> dict[str, str | None]:
        """Saved with the draft, in the handoff dialog's shape, so either window reopens it."""
        person = self.person.currentData() if self._decision() is Decision.PERSON else None
        return {"kind": HandoffKind.END_OF_SHIFT.value, "team": None, "person": person}

    def _save_on_server(self, content: NoteContent) -> None:
        ws, actor, case_id = self._ws, self._actor, self.steps[self._index].row.id
        self._runner.write(
            lambda: service_calls.save_server_draft(ws, actor, case_id, content),
            lambda _none: None,
            lambda exc: self._show_info("Draft saved on this computer only (not on the server)."),
            owner=self,
        )

    def _next_undecided(self) -> int | None:
        count = len(self.steps)
        for offset in range(1, count + 1):
            index = (self._index + offset) % count
            if self.steps[index].state is StepState.TO_DECIDE:
                return index
        return None

    def _advance(self) -> None:
        following = self._next_undecided()
        if following is None:
            self.show_summary()
        else:
            self.go_to(following)

    @Slot()
    def go_back(self) -> None:
        if self.pages.currentIndex() == SUMMARY_PAGE and self.steps:
            self.go_to(max(self._index, 0))
        elif self._index > 0:
            self.go_to(self._index - 1)

    @Slot()
    def skip(self) -> None:
        if self._submitting or not 0 <= self._index < len(self.steps):
            return
        step = self.steps[self._index]
        if step.state is StepState.TO_DECIDE:
            step.state = StepState.SKIPPED
            step.detail = "it stays yours for now"  # the list line reads "skipped: it stays…"
        self._advance()

    @Slot()
    def show_summary(self) -> None:
        if self._submitting:
            return
        self._leave_step()
        self._ticket = next(self._tickets)  # a step still loading no longer matters
        self.step_list.blockSignals(True)
        self.step_list.setCurrentRow(-1)
        self.step_list.blockSignals(False)
        self.pages.setCurrentIndex(SUMMARY_PAGE)
        self._refresh_list()
        self.summary_headline.setText(summary_headline(self.steps))
        sections = summary_sections(self.steps)
        for number, (heading, body) in enumerate(self.summary_labels):
            shown = number < len(sections)
            heading.setVisible(shown)
            body.setVisible(shown)
            if shown:
                heading.setText(sections[number][0])
                body.setText("\n".join(sections[number][1]))
        self.pages.setCurrentIndex(SUMMARY_PAGE)
        self._update_buttons()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.pages.setCurrentIndex(MESSAGE_PAGE)
        self._update_buttons()

    # ------------------------------------------------------------------ deciding
    def _decision(self) -> Decision | None:
        checked = self.decisions.checkedId()
        return Decision(checked) if checked > 0 else None

    def _set_decision(self, decision: Decision | None) -> None:
        self.decisions.setExclusive(False)  # an exclusive group cannot be cleared
        for choice, button in self._decision_buttons().items():
            button.setChecked(choice is decision)
        self.decisions.setExclusive(True)
        self._show_decision()

    def choose(self, decision: Decision, person_id: uuid.UUID | None = None) -> None:
        """Decide for the case in view (the radio buttons, or a test)."""
        if person_id is not None and (index := self.person.findData(str(person_id))) >= 0:
            self.person.setCurrentIndex(index)
        self._decision_buttons()[decision].setChecked(True)
        self._on_decision_clicked(decision.value)

    @Slot(int)
    def _on_decision_clicked(self, _id: int) -> None:
        decision = self._decision()
        if 0 <= self._index < len(self.steps):
            self.steps[self._index].decision = decision
        if self.autosave is not None:
            self.autosave.mark_changed()  # the receiver is part of the draft
        self._show_decision()

    @Slot(int)
    def _on_person_changed(self, _index: int) -> None:
        if self.to_person.isEnabled():
            self._decision_buttons()[Decision.PERSON].setChecked(True)
            self._on_decision_clicked(Decision.PERSON.value)

    def _show_decision(self) -> None:
        handing = self._decision() in (Decision.QUEUE, Decision.PERSON)
        self.editor_area.setVisible(handing and self.editor is not None)
        self._update_buttons()

    def _receiver_text(self) -> str:
        if self._decision() is Decision.PERSON:
            return f"to {self.person.currentText()}"
        team = self._data.detail.team if self._data else "the team"
        return f"to {team}'s queue"

    @Slot()
    def _update_buttons(self) -> None:
        page = self.pages.currentIndex()
        on_case = page == CASE_PAGE
        idle = not self._submitting
        self.back_button.setEnabled(idle and ((on_case and self._index > 0) or (
            page == SUMMARY_PAGE and bool(self.steps))))  # fmt: skip
        self.skip_button.setVisible(on_case)
        self.skip_button.setEnabled(idle and on_case)
        self.summary_button.setVisible(page != SUMMARY_PAGE)
        self.summary_button.setEnabled(idle and bool(self.steps))
        self.close_button.setEnabled(idle)
        self.close_button.setText("Close (keep drafts)" if page != SUMMARY_PAGE else "&Done")
        self.next_button.setVisible(on_case)
        if not on_case:
            return
        decision = self._decision()
        step = self.steps[self._index] if 0 <= self._index < len(self.steps) else None
        if step is None or self._data is None or step.state in (StepState.HANDED_OFF,
                                                                 StepState.GONE):  # fmt: skip
            self.next_button.setText("&Next")
            self.next_button.setEnabled(idle and step is not None and self._data is not None)
            return
        if decision is Decision.KEEP:
            self.next_button.setText("&Keep && next")
            self.next_button.setEnabled(idle)
        elif decision is None:
            self.next_button.setText("&Next")
            self.next_button.setEnabled(False)
        else:
            self.next_button.setText("&Hand off && next")
            ready = self.editor is not None and self.editor.can_submit()
            self.next_button.setEnabled(idle and ready)
            if idle and self.editor is not None and not ready:
                self._explain_not_ready(self.editor)
            elif idle:
                self._show_info(f"Ready to hand off {self._receiver_text()}.")

    def _explain_not_ready(self, editor: HandoffEditor) -> None:
        if self.status.styleSheet() == ERROR_STYLE and editor.findings():
            return  # the server's refusal stays in view until the note changes
        count = sum(f.severity.value == "block" for f in editor.findings())
        if count:
            self._show_info(f"{count} thing{'s' if count > 1 else ''} to fix before you can hand "
                            "off (marked “Must fix”).")  # fmt: skip
        else:
            self._show_info("Read the warnings, then tick “I've read the warnings”.")

    # ------------------------------------------------------------------ going on
    @Slot()
    def go_next(self) -> None:
        if self._submitting or not 0 <= self._index < len(self.steps):
            return
        step = self.steps[self._index]
        decision = self._decision()
        if step.state in (StepState.HANDED_OFF, StepState.GONE) or self._data is None:
            self._advance()
        elif decision is Decision.KEEP:
            step.state, step.detail = StepState.KEPT, "stays yours"
            self._advance()
        elif decision is not None:
            self._submit(step, decision)

    def _submit(self, step: Step, decision: Decision) -> None:
        editor, data = self.editor, self._data
        assert editor is not None and self.autosave is not None and data is not None
        editor.lint_now()
        if not editor.can_submit():
            self._update_buttons()
            focus = editor.first_problem_field()
            if focus is not None:
                focus.setFocus()
            return
        self.autosave.stop()  # the draft on disk is exactly what is being submitted
        to_user = uuid.UUID(self.person.currentData()) if decision is Decision.PERSON else None
        receiver = self._receiver_text()
        self._submitting = True
        self._update_buttons()
        self._show_info(f"Handing off {step.row.key} {receiver}…")
        ws, actor, case_id, version = self._ws, self._actor, step.row.id, step.version
        content, accept, request_id = editor.content(), editor.warnings_accepted(), step.request_id
        self._runner.write(
            lambda: service_calls.submit_handoff(
                ws, actor, case_id=case_id, kind=HandoffKind.END_OF_SHIFT, to_user_id=to_user,
                to_team_id=None, content=content, expected_version=version,
                accept_warnings=accept, request_id=request_id,
            ),
            lambda outcome: self._on_handed_off(step, receiver, outcome),
            lambda exc: self._on_submit_failed(step, exc),
            owner=self,
        )  # fmt: skip

    def _on_handed_off(self, step: Step, receiver: str, outcome: object) -> None:
        self._submitting = False
        step.state, step.detail = StepState.HANDED_OFF, receiver
        if self.autosave is not None:
            self.autosave.discard()
        self.handed_off.emit(outcome)
        self._advance()

    def _on_submit_failed(self, step: Step, exc: Exception) -> None:
        self._submitting = False
        findings = service_calls.rejected_findings(exc)
        if findings is not None and self.editor is not None:
            self.editor.show_server_findings(findings)
            self._update_buttons()
            self._show_error(str(exc).splitlines()[0])  # the findings sit on their fields
            return
        if isinstance(exc, StaleEdit):
            step.detail = "the case changed meanwhile"
            self._update_buttons()
            self._show_error(f"Not handed off: {exc}")
            self._reread_version(step)
            return
        reason = str(exc) if isinstance(exc, DeskappError) else "something went wrong"
        step.state, step.detail = StepState.FAILED, reason
        self._refresh_list()
        self._update_buttons()
        self._show_error(f"Not handed off: {reason} Your note is kept as a draft: try again, "
                         "keep the case, or skip it for now.")  # fmt: skip
        if not isinstance(exc, DeskappError):
            self._runner.report_error(exc, "handing off a case at the end of a shift")

    def _reread_version(self, step: Step) -> None:
        ws, case_id = self._ws, step.row.id

        def remember(case: CaseInfo) -> None:
            step.version = case.version

        self._runner.read(lambda: cases.get_case(ws, case_id), remember, owner=self)

    # ------------------------------------------------------------------ messages
    def _show_info(self, text: str) -> None:
        self.status.setStyleSheet(INFO_STYLE)
        self.status.setText(text)

    def _show_error(self, text: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(text)

    # ------------------------------------------------------------------ closing keeps the drafts
    def reject(self) -> None:
        if self.autosave is not None:
            self.autosave.stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.autosave is not None:
            self.autosave.stop()
        super().closeEvent(event)

    def keyPressEvent(self, event) -> None:
        # Enter in a one-line field must not hand a case off by accident; Ctrl+Enter does.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            return
        super().keyPressEvent(event)


def _facts(row: QueueRow, detail: CaseDetail | None = None) -> str:
    sla, _state = fmt.sla_text(row.resolution_due, datetime.now(UTC))
    parts = [row.customer_name, fmt.STATUS_LABELS[row.status],
             f"{fmt.PRIORITY_LABELS[row.priority]} priority", f"SLA: {sla}"]  # fmt: skip
    if detail is not None and detail.customer.time_zone:
        local = fmt.local_time(detail.customer.time_zone)
        if local:
            parts.append(f"customer's time {local}")
    return "  ·  ".join(parts)


class EndOfShiftAction(QObject):
    """Case ▸ End of shift…: opens the wizard for the signed-in person; once it closes, the
    desk reloads if any case changed hands."""

    def __init__(
        self,
        runner: TaskRunner,
        desk: CaseDesk,
        action: QAction,
        window: QWidget,
        *,
        settings: Settings | None = None,
        notify=lambda _text: None,
        store: DraftStore | None = None,
    ) -> None:
        super().__init__(window)
        self._runner, self._desk, self._window = runner, desk, window
        self._settings, self._notify, self._store = settings, notify, store
        self.wizard: EndOfShiftWizard | None = None
        self._handed_off = 0
        action.triggered.connect(self.open_wizard)

    @Slot()
    def open_wizard(self) -> EndOfShiftWizard | None:
        ws, actor = self._desk.workspace, self._desk.actor
        if ws is None or actor is None:
            self._notify("Sign in first: End of shift goes through the cases you own.")
            return None
        if self.wizard is not None and self.wizard.isVisible():
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        seconds = (self._settings.get(DRAFT_AUTOSAVE_SECONDS) if self._settings
                   else DRAFT_AUTOSAVE_SECONDS.default)  # fmt: skip
        wizard = EndOfShiftWizard(self._runner, ws, actor, store=self._store,
                                  autosave_seconds=seconds, parent=self._window)  # fmt: skip
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._handed_off = 0
        wizard.handed_off.connect(self._count_handed_off)
        wizard.finished.connect(self._on_finished)
        wizard.destroyed.connect(self._forget_wizard)
        self.wizard = wizard
        wizard.open()  # window-modal, returns at once: the event loop keeps running
        return wizard

    @Slot(object)
    def _count_handed_off(self, _outcome: object) -> None:
        self._handed_off += 1

    @Slot(int)
    def _on_finished(self, _result: int) -> None:
        if self._handed_off:
            count = self._handed_off
            self._notify(f"End of shift: {count} case{'s' if count != 1 else ''} handed off.")
            self._desk.reload_view()
            current = self._desk.current_case
            if current is not None:
                self._desk.open_case(current.id)

    @Slot()
    def _forget_wizard(self) -> None:
        self.wizard = None
