"""The team audit log, for leads and admins (Team ▸ Audit log…): every claim, status change,
handoff and reassignment across the team's cases, newest first, filtered by team (admins),
person, kind of action and dates; "Load older" fetches the next page by keyset.

Each filter change reads the first page again through the task runner; a reply that arrives
after a newer request is dropped, so the table always matches the filters shown. A row with a
case opens it in the main window on double-click (or Enter).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp import APP_NAME
from deskapp.domain.enums import Role
from deskapp.gui.audit.rows_model import CASE, WHAT, WHEN, WHO, WHY, AuditRowsModel
from deskapp.gui.audit.table import audit_table
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import audit_review, teams
from deskapp.services.audit_review import PAGE_ROWS, AuditPage, AuditQuery, PageMark
from deskapp.services.audit_wording import KIND_LABELS
from deskapp.services.records import Actor, TeamInfo
from deskapp.services.workspace import Workspace

INITIAL_SIZE = (1180, 640)
DEFAULT_DAYS = 7  # the "From" date offered when a lead ticks it: a week back


@dataclass(frozen=True)
class LogChoices:
    """What the filters offer: the teams (admins: all), and the people of the chosen team."""

    teams: tuple[TeamInfo, ...]
    people: tuple[tuple[str, str], ...]  # (login, display name)


def load_choices(ws: Workspace, actor: Actor, team_id: uuid.UUID | None) -> LogChoices:
    """A task-runner read: the filter choices this person has."""
    all_teams = teams.list_teams(ws)
    if actor.role is not Role.ADMIN:
        all_teams = [t for t in all_teams if t.id == actor.team_id]
    people = audit_review.audit_people(ws, actor, team_id)
    return LogChoices(tuple(all_teams), tuple(people))


def day_start(day: date) -> datetime:
    """Local midnight at the start of ``day``, as an aware moment."""
    return datetime.combine(day, time()).astimezone()


def _day(edit: QDateEdit) -> date:
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())


class TeamAuditWindow(QWidget):
    case_requested = Signal(object)  # a case id: open it in the main window
    closed = Signal()

    def __init__(self, runner: TaskRunner, ws: Workspace, actor: Actor,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("teamAuditWindow")
        self.setAccessibleName("Team audit log")
        self.setWindowTitle(f"Audit log — {APP_NAME}")
        self._runner, self._ws, self._actor = runner, ws, actor
        self._tickets = itertools.count(1)
        self._latest = 0
        self._next: PageMark | None = None
        self._query = AuditQuery()
        self._filling = False  # the combos being filled: no reload per item added
        self.page_rows = PAGE_ROWS
        self._build()
        self._connect_signals()
        self._load_choices(actor.team_id if actor.role is not Role.ADMIN else None)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.team = self._combo("auditTeamFilter", "Team")
        self.person = self._combo("auditPersonFilter", "Person")
        self.kind = self._combo("auditKindFilter", "Kind of action")
        self.kind.addItem("Any kind", None)
        for kind, text in KIND_LABELS.items():
            self.kind.addItem(text, kind)
        self.use_since = self._check("auditSinceEnabled", "&From", "Only events from this day on")
        self.since = self._date("auditSince", "From day", -DEFAULT_DAYS)
        self.use_until = self._check("auditUntilEnabled", "&To", "Only events up to this day")
        self.until = self._date("auditUntil", "To day", 0)
        self.refresh_button = self._button("auditRefresh", "&Refresh", "Read the log again")
        filters = QGridLayout()
        filters.setHorizontalSpacing(8)
        for column, (text, widget) in enumerate((("Te&am", self.team), ("&Person", self.person),
                                                 ("&Kind", self.kind))):  # fmt: skip
            label = QLabel(text, self)
            label.setBuddy(widget)
            filters.addWidget(label, 0, column)
            filters.addWidget(widget, 1, column)
            filters.setColumnStretch(column, 2)
        dates = ((self.use_since, self.since), (self.use_until, self.until))
        for column, (check, edit) in enumerate(dates, start=3):
            filters.addWidget(check, 0, column)
            filters.addWidget(edit, 1, column)
        filters.addWidget(self.refresh_button, 1, 5)
        self.model = AuditRowsModel((WHEN, CASE, WHO, WHAT, WHY), self)
        self.table = audit_table(self, "auditLogTable", "Audit log, newest first", self.model)
        self.status = plain_label("Reading the log…", self, name="auditLogStatus",
                                  selectable=False)  # fmt: skip
        self.status.setAccessibleName("Audit log status")
        self.older_button = self._button("auditLoadOlder", "Load &older",
                                         "The next page of events, further back")  # fmt: skip
        self.older_button.setEnabled(False)
        self.close_button = self._button("auditClose", "&Close", "Close the audit log")
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.older_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.action_close = QAction("&Close", self)
        self.action_close.setObjectName("actionCloseAuditLog")
        self.action_close.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Close) or [QKeySequence("Ctrl+W")]
        )
        self.action_close.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.action_close)
        self.resize(*INITIAL_SIZE)

    def _combo(self, name: str, spoken: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(spoken)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        return combo

    def _check(self, name: str, text: str, spoken: str) -> QCheckBox:
        check = QCheckBox(text, self)
        check.setObjectName(name)
        check.setAccessibleName(spoken)
        return check

    def _date(self, name: str, spoken: str, days_from_today: int) -> QDateEdit:
        edit = QDateEdit(QDate.currentDate().addDays(days_from_today), self)
        edit.setObjectName(name)
        edit.setAccessibleName(spoken)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("ddd d MMM yyyy")
        edit.setEnabled(False)
        return edit

    def _button(self, name: str, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        return button

    def _connect_signals(self) -> None:
        self.team.currentIndexChanged.connect(self._on_team_changed)
        for combo in (self.person, self.kind):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        for check, edit in ((self.use_since, self.since), (self.use_until, self.until)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._on_filter_changed)
            edit.dateChanged.connect(self._on_date_changed)
        self.refresh_button.clicked.connect(self.reload)
        self.older_button.clicked.connect(self.load_older)
        self.close_button.clicked.connect(self.close)
        self.action_close.triggered.connect(self.close)
        self.table.activated.connect(self._on_row_activated)

    # ------------------------------------------------------------------ filters
    def _load_choices(self, team_id: uuid.UUID | None) -> None:
        ws, actor = self._ws, self._actor
        self._runner.read(lambda: load_choices(ws, actor, team_id), self._show_choices,
                          owner=self)  # fmt: skip

    @Slot(object)
    def _show_choices(self, choices: LogChoices) -> None:
        self._filling = True
        try:
            chosen_team = self.team.currentData()
            if self.team.count() == 0:  # once: the teams do not change while the log is open
                if self._actor.role is Role.ADMIN:
                    self.team.addItem("All teams", None)
                for team in choices.teams:
                    self.team.addItem(team.name, team.id)
                self.team.setEnabled(self.team.count() > 1)
            chosen_person = self.person.currentData()
            self.person.clear()
            self.person.addItem("Anyone", None)
            for login, name in choices.people:
                self.person.addItem(name, login)
            found = self.person.findData(chosen_person)
            self.person.setCurrentIndex(max(found, 0))
            if chosen_team is not None:
                self.team.setCurrentIndex(max(self.team.findData(chosen_team), 0))
        finally:
            self._filling = False
        self.reload()

    @Slot(int)
    def _on_team_changed(self, _index: int) -> None:
        if self._filling:
            return
        self._load_choices(self.team.currentData())  # that team's people, then the log

    @Slot()
    def _on_filter_changed(self, *_args: object) -> None:
        if not self._filling:
            self.reload()

    @Slot(QDate)
    def _on_date_changed(self, _day: QDate) -> None:
        if self.use_since.isChecked() or self.use_until.isChecked():
            self.reload()

    def current_query(self) -> AuditQuery:
        kind = self.kind.currentData()
        since = day_start(_day(self.since)) if self.use_since.isChecked() else None
        until = (
            day_start(_day(self.until) + timedelta(days=1)) if self.use_until.isChecked() else None
        )
        team_id = self.team.currentData()
        if self._actor.role is not Role.ADMIN:
            team_id = self._actor.team_id
        return AuditQuery(team_id=team_id, actor_login=self.person.currentData(),
                          kinds=(kind,) if kind is not None else (), since=since,
                          until=until)  # fmt: skip

    # ------------------------------------------------------------------ reading
    @Slot()
    def reload(self) -> None:
        """The first page for the filters as they are now."""
        self._query = self.current_query()
        self._read(None)

    @Slot()
    def load_older(self) -> None:
        if self._next is not None:
            self._read(self._next)

    def _read(self, after: PageMark | None) -> None:
        ticket = self._latest = next(self._tickets)
        ws, actor, query, rows = self._ws, self._actor, self._query, self.page_rows
        self.older_button.setEnabled(False)
        self.status.setText("Reading the log…")

        def deliver(page: AuditPage) -> None:
            if ticket == self._latest:  # a newer request (filters changed) wins
                self._show_page(page, appended=after is not None)

        self._runner.read(lambda: audit_review.team_audit(ws, actor, query, after=after,
                                                          limit=rows),
                          deliver, self._failed, owner=self)  # fmt: skip

    def _show_page(self, page: AuditPage, *, appended: bool) -> None:
        if appended:
            self.model.append_rows(page.rows)
        else:
            self.model.set_rows(page.rows)
            self.table.scrollToTop()
        self._next = page.next_after
        self.older_button.setEnabled(page.next_after is not None)
        shown = self.model.rowCount()
        if shown == 0:
            self.status.setText("No events match these filters.")
        elif page.next_after is not None:
            self.status.setText(f"The newest {shown:,} events. Older ones: Load older.")
        else:
            self.status.setText(f"{shown:,} event{'s' * (shown != 1)}, newest first: all of them.")

    def _failed(self, exc: Exception) -> None:
        self.status.setText("The log could not be read.")
        self._runner.report_error(exc, "reading the audit log")

    @Slot(QModelIndex)
    def _on_row_activated(self, index: QModelIndex) -> None:
        case_id = self.model.case_at(index.row())
        if case_id is not None:
            self.case_requested.emit(case_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
