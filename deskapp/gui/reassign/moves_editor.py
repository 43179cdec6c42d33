"""The working part of both reassign dialogs: the reason (asked once), the preview table, and
beside it the note of the case in hand — the handoff editor built from that case's team
template, pre-filled from the plan, linted as the lead types, with "hand over unbriefed" and
where the case goes.

Every row keeps its own note; one editor per case is built the first time the lead looks at
it, so moving between cases never loses a word. Nothing here talks to the database: the
dialogs load plans and submit through the task runner.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import QItemSelection, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.enums import Role
from deskapp.domain.handoff_lint import Finding
from deskapp.gui.handoff.editor import HandoffEditor
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.reassign.moves_table import CHOOSE, QUEUE, Choices, MovesModel, MovesTable
from deskapp.gui.reassign.rows import (
    MoveRow,
    RowState,
    counted_findings,
    missing_rules,
    new_row,
    problem,
    row_state,
    source_text,
)
from deskapp.services.reassignment import REASON_LIMIT, MoveOrder, MoveResult, MoveStatus
from deskapp.services.reassignment_plan import PlannedMove, ReassignPlan, Receiver

OUTCOME_STYLE = "QLabel { color: #b3261e; font-weight: bold; }"


class MovesEditor(QWidget):
    changed = Signal()  # a row, a note or the reason changed: the dialog re-checks its button

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reassignMoves")
        self.setAccessibleName("Cases to move and their handoff notes")
        self.plan: ReassignPlan | None = None
        self.rows: list[MoveRow] = []
        self._states: list[tuple[RowState, str]] = []
        self._editors: dict[uuid.UUID, HandoffEditor] = {}
        self._names: dict[uuid.UUID, str] = {}
        self._current = -1
        self._showing = False  # filling the panel for another row: not an edit
        self.model = MovesModel(lambda user_id: self._names.get(user_id, "someone"), self)
        self._build()
        self._connect_signals()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reassignReason")
        self.reason.setAccessibleName("Why these cases move")
        self.reason.setMaxLength(REASON_LIMIT)
        self.reason.setPlaceholderText(
            "Why do these cases move? For example “Rae is off sick today” — recorded with every "
            "move, and shown to whoever receives an unbriefed handoff"
        )
        reason_label = QLabel("&Reason:", self)
        reason_label.setBuddy(self.reason)
        self.all_to = QComboBox(self)
        self.all_to.setObjectName("reassignAllTo")
        self.all_to.setAccessibleName("Send every case to")
        self.all_to.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        all_label = QLabel("Send &every case to:", self)
        all_label.setBuddy(self.all_to)
        self.unbriefed_empty = QPushButton("&Unbriefed where nothing is written", self)
        self.unbriefed_empty.setObjectName("reassignUnbriefedWhereEmpty")
        self.unbriefed_empty.setToolTip(
            "Cases with no usable note go over unbriefed: the receiver sees the flag and your "
            "reason, and briefs themself from the history."
        )
        self.unbriefed_empty.setAutoDefault(False)
        top = QHBoxLayout()
        top.addWidget(reason_label)
        top.addWidget(self.reason, 1)
        bulk = QHBoxLayout()
        bulk.addWidget(all_label)
        bulk.addWidget(self.all_to)
        bulk.addStretch(1)
        bulk.addWidget(self.unbriefed_empty)
        self.table = MovesTable(self.model, self._choices_for_row, self)
        self.counts = plain_label("", self, name="reassignCounts", selectable=False)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(bulk)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.counts)
        splitter = QSplitter(self)
        splitter.setObjectName("reassignSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self._build_panel())
        splitter.setSizes([720, 640])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def _build_panel(self) -> QWidget:
        panel = QWidget(self)
        panel.setObjectName("reassignNotePanel")
        panel.setMinimumWidth(480)
        self.case_heading = plain_label(
            "", panel, name="reassignCaseHeading", wrap=True, selectable=False
        )
        font = self.case_heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.case_heading.setFont(font)
        self.case_facts = plain_label("", panel, name="reassignCaseFacts", wrap=True)
        self.case_outcome = plain_label("", panel, name="reassignCaseOutcome", wrap=True)
        self.case_outcome.setStyleSheet(OUTCOME_STYLE)
        self.case_outcome.hide()
        self.to = QComboBox(panel)
        self.to.setObjectName("reassignCaseDestination")
        self.to.setAccessibleName("Who takes this case")
        self.to.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        to_label = QLabel("&Goes to:", panel)
        to_label.setBuddy(self.to)
        self.unbriefed = QCheckBox("Hand over un&briefed (nobody can brief this case)", panel)
        self.unbriefed.setObjectName("reassignCaseUnbriefed")
        self.unbriefed.setToolTip(
            "The receiver sees the handoff flagged with your reason and briefs themself from "
            "the history. Empty fields may stay empty; what is written is still checked."
        )
        choice = QHBoxLayout()
        choice.addWidget(to_label)
        choice.addWidget(self.to)
        choice.addStretch(1)
        self.editors = QStackedWidget(panel)
        self.editors.setObjectName("reassignEditors")
        self.placeholder = plain_label(
            "Choose a case on the left to see and edit its note.",
            panel,
            name="reassignNoCase",
            wrap=True,
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.editors.addWidget(self.placeholder)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.case_heading)
        layout.addWidget(self.case_facts)
        layout.addWidget(self.case_outcome)
        layout.addLayout(choice)
        layout.addWidget(self.unbriefed)
        layout.addWidget(self.editors, 1)
        return panel

    def _connect_signals(self) -> None:
        self.reason.textChanged.connect(self._on_reason_changed)
        self.all_to.activated.connect(self._on_all_to_activated)
        self.unbriefed_empty.clicked.connect(self.unbriefed_where_empty)
        self.model.destination_chosen.connect(self._on_destination_chosen)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.to.activated.connect(self._on_panel_destination)
        self.unbriefed.toggled.connect(self._on_unbriefed_toggled)

    # ------------------------------------------------------------------ the plan
    def set_plan(self, plan: ReassignPlan, *, chosen: bool, unbriefed_default: bool) -> None:
        """Show ``plan``. ``chosen``: its destinations are proposals to keep (else each row
        says "Choose…"); ``unbriefed_default``: cases with nothing usable go unbriefed. A
        note the lead already edited for a case still in the plan is kept."""
        kept = {row.case_id: row for row in self.rows if row.edited}
        self.plan = plan
        self._names = {r.user_id: r.display_name for r in plan.receivers}
        for move in plan.moves:
            if move.from_user_id and move.from_name:
                self._names.setdefault(move.from_user_id, move.from_name)
        rows = []
        for move in plan.moves:
            row = new_row(move, chosen=chosen, unbriefed=None if unbriefed_default else False)
            before = kept.get(move.case_id)
            if before is not None:
                row.content, row.unbriefed, row.edited = before.content, before.unbriefed, True
                row.accept_warnings, row.request_id = before.accept_warnings, before.request_id
            rows.append(row)
        for case_id in [c for c in self._editors if c not in {r.case_id for r in rows}]:
            self._drop_editor(case_id)
        self._set_rows(rows)

    def refresh_moves(self, plan: ReassignPlan) -> list[str]:
        """After some cases changed meanwhile: take their current version (and owner) from a
        fresh plan, keeping the lead's notes and choices. Returns the keys of cases that can
        no longer move (dropped, with the reason said where the dialog reports)."""
        fresh = {move.case_id: move for move in plan.moves}
        gone = [row.move.key for row in self.rows if row.case_id not in fresh]
        rows = []
        for row in self.rows:
            if row.case_id in fresh:
                row.move = _with_destination(fresh[row.case_id], row.to_user_id)
                rows.append(row)
            else:
                self._drop_editor(row.case_id)
        self._set_rows(rows)
        return gone

    def _set_rows(self, rows: list[MoveRow]) -> None:
        self.rows = rows
        self._states = [self._state(row) for row in rows]
        self.model.set_rows(rows, self._states)
        self._fill_all_to()
        self._current = -1
        if rows:
            self.table.selectRow(0)
        else:
            self._show_row(-1)
        self._update_counts()
        self.changed.emit()

    def _drop_editor(self, case_id: uuid.UUID) -> None:
        editor = self._editors.pop(case_id, None)
        if editor is not None:
            self.editors.removeWidget(editor)
            editor.deleteLater()

    # ------------------------------------------------------------------ reading what was decided
    def orders(self) -> list[MoveOrder]:
        return [row.order() for row in self.rows]

    def reason_text(self) -> str:
        return self.reason.text().strip()

    def problem(self) -> str | None:
        return problem(
            (
                (row.move.key, state, text)
                for row, (state, text) in zip(self.rows, self._states, strict=True)
            ),
            self.reason.text(),
        )

    def is_dirty(self) -> bool:
        """Did the lead write anything that closing would throw away?"""
        return any(row.edited for row in self.rows)

    def apply_results(self, results: tuple[MoveResult, ...]) -> None:
        """After a submit: moved cases leave the table; the others stay with what was said
        about them (a refused note shows its findings on its fields)."""
        by_case = {result.case_id: result for result in results}
        keep = []
        for row in self.rows:
            result = by_case.get(row.case_id)
            if result is not None and result.status is MoveStatus.MOVED:
                self._drop_editor(row.case_id)
                continue
            if result is not None:
                row.last_outcome = f"Not moved: {result.message}"
                row.server_findings = result.findings
                editor = self._editors.get(row.case_id)
                if editor is not None and result.findings:
                    editor.show_server_findings(result.findings)
            keep.append(row)
        self._set_rows(keep)

    # ------------------------------------------------------------------ rows and states
    def _state(self, row: MoveRow) -> tuple[RowState, str]:
        assert self.plan is not None
        return row_state(row, self.plan.template_for(row.move.team_id), datetime.now(UTC))

    def _row_changed(self, position: int) -> None:
        self._states[position] = self._state(self.rows[position])
        self.model.row_changed(position, self._states[position])
        self._update_counts()
        self.changed.emit()

    def _update_counts(self) -> None:
        ready = sum(1 for state, _t in self._states if state is RowState.READY)
        unbriefed = sum(1 for row in self.rows if row.unbriefed)
        total = len(self.rows)
        parts = [f"{total} case{'s' if total != 1 else ''}", f"{ready} ready"]
        if unbriefed:
            parts.append(f"{unbriefed} unbriefed")
        if total - ready:
            parts.append(f"{total - ready} to look at")
        self.counts.setText("  ·  ".join(parts))

    # ------------------------------------------------------------------ destinations
    def receivers_for_row(self, position: int) -> tuple[Receiver, ...]:
        assert self.plan is not None
        move = self.rows[position].move
        return tuple(
            r for r in self.plan.receivers_for(move.team_id) if r.user_id != move.from_user_id
        )

    def _choices_for_row(self, position: int) -> Choices:
        choices: Choices = []
        if self.rows[position].move.from_user_id is not None:
            choices.append((QUEUE, None))
        for person in self.receivers_for_row(position):
            choices.append((_person_text(person), person.user_id))
        return choices

    def _fill_all_to(self) -> None:
        """Everyone who may take every case of the table (and the queue, when all have an
        owner to take them from)."""
        self.all_to.clear()
        self.all_to.addItem(CHOOSE, "choose")
        if not self.rows:
            return
        allowed = [
            {user_id for _l, user_id in self._choices_for_row(i)} for i in range(len(self.rows))
        ]
        for label, user_id in self._choices_for_row(0):
            if all(user_id in ids for ids in allowed):
                self.all_to.addItem(label, str(user_id) if user_id else "")

    @Slot(int)
    def _on_all_to_activated(self, index: int) -> None:
        raw = self.all_to.itemData(index)
        if raw == "choose" or raw is None:
            return
        user_id = uuid.UUID(raw) if raw else None
        for position, row in enumerate(self.rows):
            row.to_user_id, row.chosen = user_id, True
            self._row_changed(position)
        self._show_row(self._current)

    @Slot(int, object)
    def _on_destination_chosen(self, position: int, user_id: uuid.UUID | None) -> None:
        row = self.rows[position]
        row.to_user_id, row.chosen = user_id, True
        self._row_changed(position)
        if position == self._current:
            self._show_row(position)

    @Slot(int)
    def _on_panel_destination(self, index: int) -> None:
        if self._showing or not 0 <= self._current < len(self.rows):
            return
        raw = self.to.itemData(index)
        if raw == "choose":
            return
        self._on_destination_chosen(self._current, uuid.UUID(raw) if raw else None)

    # ------------------------------------------------------------------ unbriefed
    @Slot()
    def unbriefed_where_empty(self) -> None:
        for position, row in enumerate(self.rows):
            if self._states[position][0] in (RowState.NEEDS_NOTE, RowState.BLOCKED):
                row.unbriefed = True
                self._row_changed(position)
        self._show_row(self._current)

    @Slot(bool)
    def _on_unbriefed_toggled(self, checked: bool) -> None:
        if self._showing or not 0 <= self._current < len(self.rows):
            return
        row = self.rows[self._current]
        row.unbriefed, row.edited = checked, True
        editor = self._editors.get(row.case_id)
        if editor is not None:
            editor.lint_now()  # every finding again, then softened if unbriefed
        self._row_changed(self._current)

    def _soften(self, row: MoveRow, editor: HandoffEditor) -> None:
        """Unbriefed: an empty field is expected, so its "Must fix" would only mislead."""
        if not row.unbriefed:
            return
        waived = missing_rules(editor.template, datetime.now(UTC))
        for label in editor.findings_labels.values():
            label.show_findings([f for f in label.findings if f.rule not in waived])

    # ------------------------------------------------------------------ the case in hand
    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._show_row(rows[0].row() if rows else -1)

    def _show_row(self, position: int) -> None:
        self._current = position
        self._showing = True
        try:
            if not 0 <= position < len(self.rows):
                for widget in (self.to, self.unbriefed):
                    widget.setEnabled(False)
                self.case_heading.setText("")
                self.case_facts.setText("")
                self.case_outcome.hide()
                self.editors.setCurrentWidget(self.placeholder)
                return
            row = self.rows[position]
            move = row.move
            self.case_heading.setText(f"{move.key}  {move.subject}")
            owner = f"from {move.from_name}" if move.from_name else "from the team queue"
            self.case_facts.setText(
                f"{move.customer_name}  ·  {owner}  ·  note starts from {source_text(move)}"
            )
            self.case_outcome.setText(row.last_outcome)
            self.case_outcome.setVisible(bool(row.last_outcome))
            self._fill_destination(position)
            self.unbriefed.setEnabled(True)
            self.unbriefed.setChecked(row.unbriefed)
            self.editors.setCurrentWidget(self._editor_for(row))
        finally:
            self._showing = False

    def _fill_destination(self, position: int) -> None:
        row = self.rows[position]
        self.to.setEnabled(True)
        self.to.clear()
        if not row.chosen:
            self.to.addItem(CHOOSE, "choose")
        for label, user_id in self._choices_for_row(position):
            self.to.addItem(label, str(user_id) if user_id else "")
        if row.chosen:
            found = self.to.findData(str(row.to_user_id) if row.to_user_id else "")
            self.to.setCurrentIndex(max(found, 0))

    def _editor_for(self, row: MoveRow) -> HandoffEditor:
        editor = self._editors.get(row.case_id)
        if editor is not None:
            return editor
        assert self.plan is not None
        editor = HandoffEditor(
            self.plan.template_for(row.move.team_id),
            customer_zone=row.move.customer_time_zone,
            previous=row.move.previous,
            parent=self.editors,
        )
        editor.set_content(row.content)
        if row.server_findings:
            editor.show_server_findings(row.server_findings)
        editor.acknowledge.setChecked(row.accept_warnings)
        self._soften(row, editor)
        case_id = row.case_id
        editor.content_changed.connect(lambda: self._on_note_edited(case_id))
        editor.findings_changed.connect(lambda: self._on_findings_shown(case_id))
        editor.acknowledge.toggled.connect(lambda on: self._on_warnings_read(case_id, on))
        self._editors[case_id] = editor
        self.editors.addWidget(editor)
        return editor

    def _position_of(self, case_id: uuid.UUID) -> int:
        return next((i for i, row in enumerate(self.rows) if row.case_id == case_id), -1)

    def _on_note_edited(self, case_id: uuid.UUID) -> None:
        position = self._position_of(case_id)
        if position < 0:
            return
        row = self.rows[position]
        row.content, row.edited, row.server_findings = self._editors[case_id].content(), True, ()
        row.last_outcome = ""
        self._row_changed(position)

    def _on_findings_shown(self, case_id: uuid.UUID) -> None:
        position = self._position_of(case_id)
        if position >= 0:
            self._soften(self.rows[position], self._editors[case_id])

    def _on_warnings_read(self, case_id: uuid.UUID, accepted: bool) -> None:
        position = self._position_of(case_id)
        if position >= 0:
            self.rows[position].accept_warnings = accepted
            self._row_changed(position)

    @Slot(str)
    def _on_reason_changed(self, _text: str) -> None:
        self.changed.emit()

    # ------------------------------------------------------------------ for tests and callers
    def editor_of(self, case_id: uuid.UUID) -> HandoffEditor:
        """The note editor of a case (built now if the lead has not looked at it yet)."""
        position = self._position_of(case_id)
        if position < 0:
            raise KeyError(case_id)
        self.table.selectRow(position)
        return self._editor_for(self.rows[position])

    def state_of(self, case_id: uuid.UUID) -> tuple[RowState, str]:
        return self._states[self._position_of(case_id)]

    def findings_of(self, case_id: uuid.UUID) -> list[Finding]:
        row = self.rows[self._position_of(case_id)]
        assert self.plan is not None
        return counted_findings(row, self.plan.template_for(row.move.team_id), datetime.now(UTC))


def _person_text(person: Receiver) -> str:
    role = (
        " (lead)" if person.role is Role.LEAD else " (admin)" if person.role is Role.ADMIN else ""
    )
    return f"{person.display_name}{role} — {person.open_cases} open"


def _with_destination(move: PlannedMove, to_user_id: uuid.UUID | None) -> PlannedMove:
    return replace(move, to_user_id=to_user_id)
