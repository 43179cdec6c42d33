"""TeamBoardModel: the board's rows as a table, every cell worked out once when the board
arrives, so ``data()`` is a dict lookup and a tuple index (DESIGN.md §3).

Numbers are right-aligned; a zero is grey (nothing to look at), a breach red and bold, a case
due soon amber, in the scheme's colours (the queue's, queue_cells.Look), and each says in words
what it counts to a screen reader. The team's total is the last row, in bold.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from deskapp.domain.enums import Role
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes import queue_cells as cells
from deskapp.services.handoff_figures import RepQuality
from deskapp.services.team_board_records import BoardMeasure, BoardRow, RowKind, TeamBoard

M = BoardMeasure
_R = Qt.ItemDataRole
Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
# The team's total row stands apart from the people above it, in either scheme.
_TOTAL_BACKGROUND = {False: QBrush(QColor("#e8eaed")), True: QBrush(QColor("#3c4043"))}


@dataclass(frozen=True)
class Column:
    title: str
    tip: str
    measure: BoardMeasure | None = None  # a number that opens its cases when clicked
    numeric: bool = False


COLUMNS = (
    Column("Person", "Everyone in the team, then anyone else holding its cases, then its queue"),
    Column("Signed in", "A green dot: their Deskapp is open now (it answered in the last half "
           "minute)"),
    Column("Open", "Open cases they hold (new, open, pending, escalated)", M.OPEN, True),
    Column("Due soon", "SLA due within two of the team's business hours, not yet breached",
           M.DUE_SOON, True),
    Column("Breached", "SLA already missed: the resolution, or a first response still owed, "
           "was due, and the clock is not paused for the customer", M.BREACHED, True),
    Column("Commitments due", "Cases with a promise to the customer due in the next 24 hours, "
           "or late", M.COMMITMENTS_DUE, True),
    Column("Unacknowledged", "Open cases whose handoff note still waits for their read-back",
           M.UNACKNOWLEDGED, True),
    Column("Oldest waiting", "How long the oldest of those notes has waited for its read-back",
           numeric=True),
    Column("Kudos (30 days)", "Praise customers gave them in the last 30 days, on any case",
           M.KUDOS, True),
)  # fmt: skip
MEASURE_COLUMNS = {c.measure: n for n, c in enumerate(COLUMNS) if c.measure is not None}
SIGNED_IN_COLUMN = 1
OLDEST_COLUMN = 7
# The colour a non-zero number of each measure takes (queue_cells' scheme colours).
_ALARM = {M.BREACHED: "red", M.DUE_SOON: "amber", M.COMMITMENTS_DUE: "amber"}


class Cells(NamedTuple):
    """One row as the table shows it, per column (the model picks a field by position)."""

    texts: tuple[str, ...]
    colours: tuple[QBrush | None, ...]
    icons: tuple[QIcon | None, ...]
    spoken: tuple[str, ...]
    tips: tuple[str | None, ...]
    fonts: tuple[QFont | None, ...]


_SLOTS: dict[int, int] = {_R.DisplayRole: 0, _R.ForegroundRole: 1, _R.DecorationRole: 2,
          _R.AccessibleTextRole: 3, _R.ToolTipRole: 4, _R.FontRole: 5}  # fmt: skip


class TeamBoardModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.board: TeamBoard | None = None
        self._rows: list[BoardRow] = []
        self._cells: list[Cells] = []
        self._look = cells.look(False)
        self._total_brush = _TOTAL_BACKGROUND[False]
        self._italic = QFont()
        self._italic.setItalic(True)
        self._drop_row: int | None = None
        self._drop_brush: QBrush | None = None

    # ------------------------------------------------------------------ Qt interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _R.DisplayRole) -> Any:  # fmt: skip
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role in (_R.DisplayRole, _R.AccessibleTextRole):
            return column.title
        if role == _R.ToolTipRole:
            return column.tip
        if role == _R.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        return None

    def data(self, index: Index, role: int = _R.DisplayRole) -> Any:
        row = index.row()
        if role == _R.TextAlignmentRole:
            return _RIGHT if COLUMNS[index.column()].numeric else _LEFT
        if role == _R.BackgroundRole:
            if row == self._drop_row:
                return self._drop_brush
            return self._total_brush if row == len(self._rows) - 1 else None
        slot = _SLOTS.get(role)
        if slot is None or not 0 <= row < len(self._cells):
            return None
        return self._cells[row][slot][index.column()]

    # ------------------------------------------------------------------ the board
    def set_board(self, board: TeamBoard) -> None:
        self.beginResetModel()
        self.board = board
        self._rows = [*board.rows, board.total]
        self._drop_row = None
        self._render()
        self.endResetModel()

    def set_dark(self, dark: bool) -> None:
        if dark != self._look.dark:
            self._look = cells.look(dark)
            self._total_brush = _TOTAL_BACKGROUND[dark]
            self._render()
            if self._rows:
                last = self.index(len(self._rows) - 1, len(COLUMNS) - 1)
                self.dataChanged.emit(self.index(0, 0), last)

    def row_at(self, row: int) -> BoardRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, user_id: uuid.UUID | None) -> int | None:
        for position, row in enumerate(self._rows):
            if row.user_id == user_id:
                return position
        return None

    def number_at(self, index: Index) -> tuple[BoardRow, BoardMeasure] | None:
        """The person (or queue, or team) and measure of a non-zero number: what a click opens."""
        row = self.row_at(index.row()) if index.isValid() else None
        measure = COLUMNS[index.column()].measure if index.isValid() else None
        if row is None or measure is None or row.count(measure) == 0:
            return None
        if measure is M.KUDOS and not self._history_read:
            return None
        return row, measure

    def drop_target(self, row: int) -> BoardRow | None:
        """The person cases can be dropped on: an active member of the team."""
        found = self.row_at(row)
        return found if found is not None and found.kind is RowKind.MEMBER else None

    def set_drop_row(self, row: int | None, brush: QBrush | None = None) -> None:
        """Highlight the row cases would be dropped on (None: none)."""
        if row == self._drop_row:
            return
        before, self._drop_row, self._drop_brush = self._drop_row, row, brush
        for changed in (before, row):
            if changed is not None and 0 <= changed < len(self._rows):
                self.dataChanged.emit(self.index(changed, 0),
                                      self.index(changed, len(COLUMNS) - 1))  # fmt: skip

    # ------------------------------------------------------------------ cells
    @property
    def _history_read(self) -> bool:
        return self.board is not None and self.board.history_read_at is not None

    def _render(self) -> None:
        board = self.board
        signed_in = (board.signed_in, len(board.members)) if board is not None else (0, 0)
        self._cells = [self._row_cells(row, signed_in) for row in self._rows]

    def _row_cells(self, row: BoardRow, signed_in: tuple[int, int]) -> Cells:
        look = self._look
        grey = look.brushes["grey"]
        font = {RowKind.TOTAL: look.bold, RowKind.QUEUE: self._italic}.get(row.kind)
        texts, colours, icons, spoken, tips, fonts = [], [], [], [], [], []

        def put(
            text: str,
            colour: QBrush | None = None,
            icon: QIcon | None = None,
            said: str = "",
            tip: str | None = None,
            cell_font: QFont | None = None,
        ) -> None:
            texts.append(text)
            colours.append(colour)
            icons.append(icon)
            spoken.append(said or text)
            tips.append(tip)
            fonts.append(cell_font if cell_font is not None else font)

        name = row.name
        if row.kind is RowKind.MEMBER and row.role is not None and row.role is not Role.REP:
            name = f"{row.name} ({row.role.value})"  # the lead's own row reads as such
        put(name, tip=_person_tip(row))
        if row.kind is RowKind.MEMBER:
            if row.signed_in:
                put("Now", look.brushes["green"], look.dots["green"], f"{row.name} is signed in",
                    "Deskapp is open on their computer now")  # fmt: skip
            else:
                put("—", grey, None, f"{row.name} is not signed in", "Not signed in")
        elif row.kind is RowKind.TOTAL:
            now, members = signed_in
            put(
                f"{now} of {members}",
                said=f"{now} of {members} people signed in",
                tip="People of the team signed in now",
            )
        else:
            put("")
        for column in COLUMNS[2:]:
            if column.measure is None:  # the oldest unacknowledged note's age
                age = row.oldest_unacknowledged
                text = fmt.span(age) if age is not None else ""
                put(text, said=f"oldest waiting {text}" if text else "nothing waiting")
                continue
            count = row.count(column.measure)
            if column.measure is M.KUDOS and not self._history_read:
                put("…", grey, said="kudos being read", tip="Reading the kudos…")
                continue
            colour = grey if count == 0 else None
            cell_font = font
            if count and column.measure in _ALARM:
                colour = look.brushes[_ALARM[column.measure]]
                cell_font = look.bold if column.measure is M.BREACHED else font
            said = f"{count} {column.measure.label}"
            tip = f"Click to see these {count:,} cases in the queue" if count else None
            put(f"{count:,}", colour, said=said, tip=tip, cell_font=cell_font)
        return Cells(tuple(texts), tuple(colours), tuple(icons), tuple(spoken), tuple(tips),
                     tuple(fonts))  # fmt: skip


def _person_tip(row: BoardRow) -> str:
    if row.kind is RowKind.QUEUE:
        return "Open cases of the team nobody holds yet"
    if row.kind is RowKind.OTHER:
        return "Holds cases of this team without being an active member of it: move them"
    lines = [row.name if row.role is None else f"{row.name} · {row.role.value}"]
    if row.quality is not None:
        lines.append(quality_text(row.quality))
    return "\n".join(lines)


def quality_text(quality: RepQuality) -> str:
    """Like "12 handoff notes · 83 % clean at first submit · acknowledged in 1h 05m …"."""
    if quality.notes_written == 0:
        return "No handoff notes written yet"
    notes = "handoff note" if quality.notes_written == 1 else "handoff notes"
    parts = [f"{quality.notes_written:,} {notes}"]
    if quality.clean_first_submit_share is not None:
        parts.append(f"{quality.clean_first_submit_share:.0%} clean at first submit")
    if quality.median_time_to_acknowledge is not None:
        parts.append(f"acknowledged in {fmt.span(quality.median_time_to_acknowledge)} (median)")
    parts.append(f"{quality.cases_reopened_after_handoff:,} reopened after a handoff")
    if quality.handoffs_per_case is not None:
        parts.append(f"{quality.handoffs_per_case:.1f} handoffs per case")
    return " · ".join(parts)
