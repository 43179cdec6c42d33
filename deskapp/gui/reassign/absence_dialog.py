"""Team ▸ Rep is out…: move every open case of an absent colleague in one flow (issue 8).

The lead picks who is out and where the cases go — the team queue, or named colleagues shared
round-robin or to whoever holds the fewest open cases — and sees every case with its proposed
receiver (each row can still be changed). Where the absent rep left a usable draft or note it
goes along; elsewhere the handoff is *unbriefed* with the lead's reason (DESIGN.md §5), and the
receivers see it flagged. Then the same report as any reassignment.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QWidget,
)

from deskapp.domain.enums import Role
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.reassign.moves_dialog import ConfirmDiscard, MovesDialog, ask_discard_box
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import queue, users
from deskapp.services.queue import RepLoad
from deskapp.services.reassignment_plan import ReassignPlan, Spread, plan_absence
from deskapp.services.records import Actor, UserInfo
from deskapp.services.workspace import Workspace

REPLAN_MS = 150  # ticking three colleagues is one plan, not three
SPREADS = [(Spread.BY_LOAD, "fewest open cases first"), (Spread.ROUND_ROBIN, "in turn")]


class RepIsOutDialog(MovesDialog):
    def __init__(
        self,
        runner: TaskRunner,
        ws: Workspace,
        actor: Actor,
        rep_id: uuid.UUID | None = None,
        *,
        confirm_discard: ConfirmDiscard = ask_discard_box,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, ws, actor, confirm_discard=confirm_discard, parent=parent)
        self._people: dict[uuid.UUID, tuple[RepLoad, UserInfo | None]] = {}
        self._wanted_rep = rep_id
        self._auto_reason = ""  # the reason this dialog wrote, replaced when the rep changes
        self.setObjectName("repIsOutDialog")
        self.setAccessibleName("A rep is out: move their open cases")
        self.setWindowTitle("Rep is out")
        self.left_for_later = plain_label("", self, name="absenceLeftForLater", wrap=True)
        self.left_for_later.setAccessibleName("Cases left for another run")
        self.left_for_later.hide()
        self.work_layout.insertWidget(0, self.left_for_later)
        self._replan = QTimer(self)
        self._replan.setSingleShot(True)
        self._replan.setInterval(REPLAN_MS)
        self._replan.timeout.connect(self.load_plan)
        self.who.currentIndexChanged.connect(self._on_who_changed)
        self.destinations.idToggled.connect(self._on_setting_changed)
        self.colleagues.itemChanged.connect(self._on_setting_changed)
        self.spread.currentIndexChanged.connect(self._on_setting_changed)
        self.show_info("Reading your team…")
        runner.read(
            lambda: (queue.rep_loads(ws, actor), users.list_users(ws)),
            self._on_people,
            self._plan_failed,
            owner=self,
        )

    # ------------------------------------------------------------------ building
    def _header(self, parent: QWidget) -> QWidget:
        box = QGroupBox("Who is out, and where do their open cases go?", parent)
        box.setObjectName("repIsOutChoice")
        self.who = QComboBox(box)
        self.who.setObjectName("repIsOutWho")
        self.who.setAccessibleName("Who is out")
        self.who.setMinimumContentsLength(24)
        who_label = QLabel("&Who is out:", box)
        who_label.setBuddy(self.who)
        self.to_queue = QRadioButton("The team &queue", box)
        self.to_queue.setObjectName("repIsOutToQueue")
        self.to_colleagues = QRadioButton("&Colleagues, shared", box)
        self.to_colleagues.setObjectName("repIsOutToColleagues")
        self.destinations = QButtonGroup(box)
        self.destinations.addButton(self.to_queue, 0)
        self.destinations.addButton(self.to_colleagues, 1)
        self.to_queue.setChecked(True)
        self.spread = QComboBox(box)
        self.spread.setObjectName("repIsOutSpread")
        self.spread.setAccessibleName("How the cases are shared among the colleagues")
        for spread, label in SPREADS:
            self.spread.addItem(label, spread.value)
        self.colleagues = QListWidget(box)
        self.colleagues.setObjectName("repIsOutColleagues")
        self.colleagues.setAccessibleName("Colleagues who take the cases over")
        self.colleagues.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        grid = QGridLayout(box)
        grid.addWidget(who_label, 0, 0)
        grid.addWidget(self.who, 0, 1, 1, 2)
        grid.addWidget(QLabel("Their open cases go to:", box), 1, 0)
        grid.addWidget(self.to_queue, 1, 1)
        grid.addWidget(self.to_colleagues, 2, 1)
        grid.addWidget(self.spread, 2, 2)
        grid.addWidget(self.colleagues, 3, 1, 1, 2)
        grid.setColumnStretch(3, 1)
        self._enable_colleagues()
        return box

    def _on_people(self, loaded: tuple[list[RepLoad], list[UserInfo]]) -> None:
        loads, people = loaded
        by_id = {person.id: person for person in people}
        self._people = {load.user_id: (load, by_id.get(load.user_id)) for load in loads}
        self.who.blockSignals(True)
        self.who.clear()
        self.who.addItem("Choose who is out…", "")
        for load in sorted(loads, key=lambda entry: entry.display_name.casefold()):
            if load.user_id == self._actor.user_id:
                continue  # whoever moves the cases is here
            self.who.addItem(f"{load.display_name} — {load.open_cases} open", str(load.user_id))
        wanted = self.who.findData(str(self._wanted_rep)) if self._wanted_rep else -1
        self.who.setCurrentIndex(max(wanted, 0))
        self.who.blockSignals(False)
        self._on_who_changed()

    # ------------------------------------------------------------------ choices
    def absent_id(self) -> uuid.UUID | None:
        raw = self.who.currentData()
        return uuid.UUID(raw) if raw else None

    def chosen_colleagues(self) -> list[uuid.UUID]:
        if not self.to_colleagues.isChecked():
            return []
        return [
            uuid.UUID(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.colleagues.item(i) for i in range(self.colleagues.count()))
            if item is not None and item.checkState() == Qt.CheckState.Checked
        ]

    def choose_colleagues(self, user_ids: list[uuid.UUID]) -> None:
        """Tick exactly these colleagues (and choose "Colleagues")."""
        self.to_colleagues.setChecked(True)
        wanted = {str(user_id) for user_id in user_ids}
        for i in range(self.colleagues.count()):
            item = self.colleagues.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    @Slot()
    def _on_who_changed(self) -> None:
        absent = self.absent_id()
        self.colleagues.blockSignals(True)
        self.colleagues.clear()
        absent_person = self._people[absent][1] if absent is not None else None
        team = absent_person.team_id if absent_person is not None else None
        for user_id, (load, person) in sorted(
            self._people.items(), key=lambda e: e[1][0].display_name.casefold()
        ):
            if user_id == absent or person is None:
                continue
            if team is not None and person.team_id != team and person.role is not Role.ADMIN:
                continue
            role = " (lead)" if person.role is Role.LEAD else ""
            item = QListWidgetItem(f"{load.display_name}{role} — {load.open_cases} open")
            item.setData(Qt.ItemDataRole.UserRole, str(user_id))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.colleagues.addItem(item)
        self.colleagues.blockSignals(False)
        if absent is not None:
            name = self._people[absent][0].display_name
            if self.moves.reason.text() in ("", self._auto_reason):
                self._auto_reason = f"{name} is out"
                self.moves.reason.setText(self._auto_reason)
        self._on_setting_changed()

    @Slot()
    def _on_setting_changed(self, *_args: object) -> None:
        self._enable_colleagues()
        self._replan.start()

    def _enable_colleagues(self) -> None:
        on = self.to_colleagues.isChecked()
        self.colleagues.setEnabled(on)
        self.spread.setEnabled(on)

    # ------------------------------------------------------------------ the plan
    @Slot()
    def load_plan(self) -> None:
        absent = self.absent_id()
        if absent is None:
            self.show_info("Choose who is out: their open cases show here before anything moves.")
            return
        receivers = self.chosen_colleagues()
        if self.to_colleagues.isChecked() and not receivers:
            self.show_info("Tick the colleagues who take the cases over, or choose the team queue.")
            return
        spread = Spread(self.spread.currentData())
        ws, actor = self._ws, self._actor
        self._plan_ticket = ticket = next(self._tickets)
        self.show_info("Reading their open cases…")

        def show(plan: ReassignPlan) -> None:
            if ticket == self._plan_ticket:
                self._on_plan(plan)

        self._runner.read(
            lambda: plan_absence(ws, actor, absent, receivers=receivers, spread=spread),
            show,
            self._plan_failed,
            owner=self,
        )

    def _on_plan(self, plan: ReassignPlan) -> None:
        self.show_plan(plan, chosen=True, unbriefed_default=True)
        # Never a silent cut: the lead learns that this run moves only the most urgent cases.
        self.left_for_later.setText(
            f"These are their {len(plan.moves) + len(plan.skipped):,} most urgent cases; "
            f"{plan.left_for_later:,} more wait for another run of Rep is out."
        )
        self.left_for_later.setVisible(plan.left_for_later > 0)
        if not plan.moves:
            name = self.who.currentText().split(" — ")[0]
            self.show_info(f"{name} has no open cases: there is nothing to move.")

    def _header_problem(self) -> str | None:
        if self.absent_id() is None:
            return "Choose who is out."
        if self.to_colleagues.isChecked() and not self.chosen_colleagues():
            return "Tick the colleagues who take the cases over, or choose the team queue."
        return None
