"""PeopleModel: the People window's rows, every cell worked out once when the list arrives, so
``data()`` is a tuple index (DESIGN.md §3). A deactivated person's row is grey; "signed in
now" carries the team board's green dot; numbers are right-aligned and say what they count to
a screen reader. Names are drawn by the view as plain text, as typed.
"""

from __future__ import annotations

import uuid
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon

from deskapp.domain.enums import Role
from deskapp.gui.panes import queue_cells
from deskapp.services.people import Person

_R = Qt.ItemDataRole
Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

ROLE_NAMES = {Role.REP: "Rep", Role.LEAD: "Team lead", Role.ADMIN: "Admin"}
# (title, tip, numeric)
COLUMNS = (
    ("Name", "The name colleagues know them by", False),
    ("Login", "What they sign in with", False),
    ("Role", "Rep: works cases. Team lead: also reassigns and sees the board. Admin: everything",
     False),
    ("Team", "The team they work in", False),
    ("Status", "Deactivated people cannot sign in; their history stays", False),
    ("Open cases", "Open cases they hold (new, open, pending, escalated)", True),
    ("Signed in", "A green dot: their Deskapp is open now (it answered in the last half minute)",
     False),
)  # fmt: skip
NAME, LOGIN, ROLE, TEAM, STATUS, OPEN_CASES, SIGNED_IN = range(len(COLUMNS))


class Cells(NamedTuple):
    texts: tuple[str, ...]
    spoken: tuple[str, ...]
    icons: tuple[QIcon | None, ...]
    colour: QBrush | None  # the whole row's: grey when deactivated


class PeopleModel(QAbstractTableModel):
    def __init__(self, dark: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self._look = queue_cells.look(dark)
        self._people: list[Person] = []
        self._cells: list[Cells] = []

    # ------------------------------------------------------------------ the people
    def set_people(self, people: tuple[Person, ...]) -> None:
        self.beginResetModel()
        self._people = list(people)
        self._cells = [self._row_cells(person) for person in self._people]
        self.endResetModel()

    def person_at(self, row: int) -> Person | None:
        return self._people[row] if 0 <= row < len(self._people) else None

    def row_of(self, user_id: uuid.UUID) -> int | None:
        for row, person in enumerate(self._people):
            if person.user_id == user_id:
                return row
        return None

    def logins(self) -> list[str]:
        return [person.login for person in self._people]

    def _row_cells(self, person: Person) -> Cells:
        role = ROLE_NAMES[person.role]
        status = "Active" if person.active else "Deactivated"
        held = f"{person.open_cases:,}"
        here = "Now" if person.signed_in else "—"
        texts = (person.display_name, person.login, role, person.team_name or "No team",
                 status, held, here)  # fmt: skip
        spoken = (
            *texts[:5],
            f"{held} open case{'' if person.open_cases == 1 else 's'}",
            "signed in now" if person.signed_in else "not signed in",
        )
        dot = self._look.dots["green"] if person.signed_in else None
        icons = (None,) * SIGNED_IN + (dot,)
        grey = None if person.active else self._look.brushes["grey"]
        return Cells(texts, tuple(spoken), icons, grey)

    # ------------------------------------------------------------------ Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cells)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _R.DisplayRole) -> Any:  # fmt: skip
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        title, tip, numeric = COLUMNS[section]
        if role in (_R.DisplayRole, _R.AccessibleTextRole):
            return title
        if role == _R.ToolTipRole:
            return tip
        if role == _R.TextAlignmentRole:
            return _RIGHT if numeric else _LEFT
        return None

    def data(self, index: Index, role: int = _R.DisplayRole) -> Any:
        row, column = index.row(), index.column()
        if not 0 <= row < len(self._cells):
            return None
        cells = self._cells[row]
        if role == _R.DisplayRole:
            return cells.texts[column]
        if role == _R.AccessibleTextRole:
            return cells.spoken[column]
        if role == _R.DecorationRole:
            return cells.icons[column]
        if role == _R.ForegroundRole:
            return cells.colour
        if role == _R.TextAlignmentRole:
            return _RIGHT if COLUMNS[column][2] else _LEFT
        return None
