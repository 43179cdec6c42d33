"""CannedListModel: the ranked responses as a flat list, cheap to replace on every keystroke.

A QListWidget builds one item object per row; with ten thousand responses that is most of a
keystroke's budget. A Python ``rowCount`` is no better: laying out the list after a reset asks
for an index per row, and each index asks the model for its row count, so a single letter that
matches nine thousand responses made nine thousand calls into Python (about 20 ms). Here the
row texts live in Qt's own string list, so the layout never leaves C++; the lines are formatted
once per library (:meth:`prepare`), and Python is only asked about the rows being painted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt

from deskapp.domain.enums import CannedScope
from deskapp.services.canned import CannedInfo

Index = QModelIndex | QPersistentModelIndex
RESPONSE_ROLE = Qt.ItemDataRole.UserRole
SCOPE_LABELS = {CannedScope.PERSONAL: "mine", CannedScope.TEAM: "team", CannedScope.GLOBAL: ""}
_FLAGS = (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
          | Qt.ItemFlag.ItemNeverHasChildren)  # fmt: skip


class CannedListModel(QStringListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CannedInfo] = []
        # id() of a library's response -> (that response, its line). Keeping the response
        # keeps its id() from being reused while the line is cached.
        self._lines: dict[int, tuple[CannedInfo, str]] = {}

    def prepare(self, responses: Sequence[CannedInfo]) -> None:
        """Format the lines of a newly loaded library once, not on every keystroke."""
        self._lines = {id(r): (r, display_text(r)) for r in responses}

    def set_rows(self, rows: Sequence[CannedInfo]) -> None:
        self._rows = list(rows)
        lines = self._lines
        self.setStringList([
            cached[1] if (cached := lines.get(id(r))) is not None and cached[0] is r
            else display_text(r)
            for r in self._rows
        ])  # fmt: skip

    def response(self, row: int) -> CannedInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, response_id: object) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == response_id), -1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Chosen, never edited or dragged (a string list model would allow both).
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        return False  # the list shows the library; changes go through the editor

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for the rows on screen only; the display text comes from the string list.
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return super().data(index, role)
        response = self._rows[index.row()]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            scope = SCOPE_LABELS.get(CannedScope(response.scope)) or "global"
            return f"{response.title} — {response.category}, {scope}" + (
                f", shortcut /{response.shortcut}" if response.shortcut else "")  # fmt: skip
        if role == RESPONSE_ROLE:
            return response
        return None


def display_text(response: CannedInfo) -> str:
    """One line: the title, its shortcut to type next time, and whose response it is."""
    shortcut = f"  /{response.shortcut}" if response.shortcut else ""
    scope = SCOPE_LABELS.get(CannedScope(response.scope), "")
    return f"{response.title}{shortcut}" + (f"  · {scope}" if scope else "")
