"""Choosing what happens to the case and who receives it.

Each kind of handoff asks only what it needs: a person for a reassignment, a team for a
transfer, nothing for a release (the case goes back to its team's queue). "The team's queue"
is offered wherever a person is optional.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QWidget

from deskapp.domain.enums import HandoffKind
from deskapp.gui.panes.plain import plain_label
from deskapp.services.records import TeamInfo, UserInfo

KINDS = [
    (HandoffKind.REASSIGN, "Reassign to a person"),
    (HandoffKind.TRANSFER, "Transfer to another team"),
    (HandoffKind.ESCALATE, "Escalate"),
    (HandoffKind.RELEASE, "Release to the team queue"),
    (HandoffKind.END_OF_SHIFT, "End of my shift"),
]
QUEUE = "The team's queue (whoever takes it next)"


@dataclass(frozen=True)
class Receiver:
    kind: HandoffKind
    to_user_id: uuid.UUID | None
    to_team_id: uuid.UUID | None
    problem: str | None  # why this choice cannot be submitted yet, for the person


@dataclass(frozen=True)
class _Needs:
    team: bool  # the team can be chosen
    person: bool  # a person can be chosen
    person_required: bool


_NEEDS = {
    HandoffKind.REASSIGN: _Needs(team=False, person=True, person_required=True),
    HandoffKind.TRANSFER: _Needs(team=True, person=True, person_required=False),
    HandoffKind.ESCALATE: _Needs(team=True, person=True, person_required=False),
    HandoffKind.RELEASE: _Needs(team=False, person=False, person_required=False),
    HandoffKind.END_OF_SHIFT: _Needs(team=False, person=True, person_required=False),
}


class ReceiverChooser(QWidget):
    changed = Signal()

    def __init__(self, case_team: str, me: uuid.UUID | None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("handoffReceiver")
        self._case_team_name = case_team
        self._me = me
        self._teams: list[TeamInfo] = []
        self._people: list[UserInfo] = []
        self.kind = QComboBox(self)
        self.kind.setObjectName("handoffKind")
        self.kind.setAccessibleName("What happens to the case")
        for kind, label in KINDS:
            self.kind.addItem(label, kind.value)
        self.team = QComboBox(self)
        self.team.setObjectName("handoffTeam")
        self.team.setAccessibleName("Receiving team")
        self.person = QComboBox(self)
        self.person.setObjectName("handoffPerson")
        self.person.setAccessibleName("Receiving person")
        self.explanation = plain_label("", self, name="handoffReceiverExplanation", wrap=True,
                                       selectable=False)  # fmt: skip
        self._team_label = QLabel("To &team:", self)
        self._team_label.setBuddy(self.team)
        self._person_label = QLabel("To &person:", self)
        self._person_label.setBuddy(self.person)
        kind_label = QLabel("&What happens:", self)
        kind_label.setBuddy(self.kind)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(kind_label, self.kind)
        form.addRow(self._team_label, self.team)
        form.addRow(self._person_label, self.person)
        form.addRow("", self.explanation)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.team.currentIndexChanged.connect(self._on_team_changed)
        self.person.currentIndexChanged.connect(lambda _i: self._explain())
        self._on_kind_changed()

    # ------------------------------------------------------------------ data
    def set_directory(self, teams: list[TeamInfo], people: list[UserInfo]) -> None:
        self._teams, self._people = teams, people
        self.team.blockSignals(True)
        self.team.clear()
        for team in teams:
            self.team.addItem(team.name, str(team.id))
        index = self.team.findText(self._case_team_name)
        self.team.setCurrentIndex(max(index, 0))
        self.team.blockSignals(False)
        self._fill_people()

    def case_team_id(self) -> uuid.UUID | None:
        return next((t.id for t in self._teams if t.name == self._case_team_name), None)

    def current_kind(self) -> HandoffKind:
        return HandoffKind(self.kind.currentData())

    def choose(self, kind: HandoffKind, team_id: str | None = None,
               person_id: str | None = None) -> None:  # fmt: skip
        """Select a kind and receivers (restoring a draft, or a test)."""
        self.kind.setCurrentIndex(max(self.kind.findData(kind.value), 0))
        if team_id is not None and (index := self.team.findData(team_id)) >= 0:
            self.team.setCurrentIndex(index)
        if person_id is not None and (index := self.person.findData(person_id)) >= 0:
            self.person.setCurrentIndex(index)

    def as_draft(self) -> dict[str, str | None]:
        return {"kind": self.current_kind().value, "team": self.team.currentData(),
                "person": self.person.currentData()}  # fmt: skip

    def receiver(self) -> Receiver:
        kind = self.current_kind()
        needs = _NEEDS[kind]
        person = self._person_by_id(self.person.currentData()) if needs.person else None
        team_id = uuid.UUID(self.team.currentData()) if needs.team and self.team.count() else None
        problem = None
        if needs.person_required and person is None:
            problem = "Choose who receives the case."
        elif kind is HandoffKind.TRANSFER and (team_id is None or team_id == self.case_team_id()):
            problem = ("Choose another team. To pass the case on within your team, reassign it "
                       "or release it to the queue.")  # fmt: skip
        if kind is HandoffKind.REASSIGN and person is not None:
            team_id = person.team_id
        return Receiver(kind, person.id if person else None, team_id, problem)

    # ------------------------------------------------------------------ reacting
    @Slot()
    def _on_kind_changed(self) -> None:
        needs = _NEEDS[self.current_kind()]
        for widget in (self.team, self._team_label):
            widget.setVisible(needs.team)
        for widget in (self.person, self._person_label):
            widget.setVisible(needs.person)
        if not needs.team and self.team.count():  # back to the case's own team
            self.team.setCurrentIndex(max(self.team.findText(self._case_team_name), 0))
        self._fill_people()

    @Slot()
    def _on_team_changed(self) -> None:
        self._fill_people()

    def _fill_people(self) -> None:
        needs = _NEEDS[self.current_kind()]
        previous = self.person.currentData()
        team_id = self.team.currentData()
        self.person.blockSignals(True)
        self.person.clear()
        if not needs.person_required:
            self.person.addItem(QUEUE, None)
        for person in self._people:
            if person.id != self._me and (team_id is None or str(person.team_id) == team_id):
                self.person.addItem(person.display_name, str(person.id))
        if (index := self.person.findData(previous)) >= 0:
            self.person.setCurrentIndex(index)
        self.person.blockSignals(False)
        self._explain()

    def _explain(self) -> None:
        receiver = self.receiver()
        team = self.team.currentText() or self._case_team_name
        if receiver.problem:
            text = receiver.problem
        elif receiver.kind is HandoffKind.RELEASE:
            text = f"The case goes back to {self._case_team_name}'s queue; whoever takes it "
            text += "next reads your note."
        elif receiver.to_user_id is None:
            text = f"The case goes to {team}'s queue; whoever takes it next reads your note."
        else:
            text = f"{self.person.currentText()} receives the case and reads your note."
        self.explanation.setText(text)
        self.changed.emit()

    def _person_by_id(self, value: str | None) -> UserInfo | None:
        return next((p for p in self._people if str(p.id) == value), None)
