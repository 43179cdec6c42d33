"""The queue's Filter menu: status, priority, channel, category, team and assignee, each a list
of ticks. It only builds a QueueFilters value; the filtering itself happens in SQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from deskapp.domain.enums import CaseStatus, Channel, Priority
from deskapp.gui.panes import formatting as fmt
from deskapp.services.queue import QueueFilters
from deskapp.services.queue_live import Choice

UNASSIGNED = "unassigned"
_FIELDS = ("statuses", "priorities", "channels", "categories", "team_ids", "assignee_ids")
_TITLES = {
    "statuses": "&Status",
    "priorities": "&Priority",
    "channels": "C&hannel",
    "categories": "C&ategory",
    "team_ids": "&Team",
    "assignee_ids": "A&ssignee",
}
_NAMES = {"statuses": "Status", "priorities": "Priority", "channels": "Channel",
          "categories": "Category", "team_ids": "Team", "assignee_ids": "Assignee"}  # fmt: skip


class FilterMenu(QObject):
    changed = Signal(object)  # the QueueFilters now ticked

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.menu = QMenu("Filter", parent)
        self.menu.setObjectName("queueFilterMenu")
        self.menu.setToolTipsVisible(True)
        self._actions: dict[str, list[tuple[QAction, object]]] = {f: [] for f in _FIELDS}
        self._names: dict[str, dict[object, str]] = {f: {} for f in _FIELDS}
        self._submenus = {f: self.menu.addMenu(_TITLES[f]) for f in _FIELDS}
        self.menu.addSeparator()
        self.clear_action = self.menu.addAction("&Clear filters")
        self.clear_action.triggered.connect(self.clear)
        self._fill("statuses", ((s, fmt.STATUS_LABELS[s]) for s in CaseStatus if s.is_open))
        self._fill("priorities", ((p, fmt.PRIORITY_LABELS[p]) for p in reversed(Priority)))
        self._fill("channels", ((c, fmt.CHANNEL_LABELS[c]) for c in Channel))
        self._filters = QueueFilters()

    def set_choices(self, teams: Iterable[Choice], people: Iterable[Choice],
                    categories: Iterable[str]) -> None:  # fmt: skip
        """The teams, people and categories there are (they change; the ticks are kept)."""
        self._fill("categories", ((c, c) for c in categories))
        self._fill("team_ids", ((t.id, t.name) for t in teams))
        self._fill("assignee_ids", [(None, "Unassigned"), *((p.id, p.name) for p in people)])
        self.set_filters(self._filters, announce=False)

    def _fill(self, field: str, choices: Iterable[tuple[object, str]]) -> None:
        menu = self._submenus[field]
        menu.clear()
        self._actions[field] = []
        self._names[field] = {}
        for value, label in choices:
            action = menu.addAction(label.replace("&", "&&"))
            action.setCheckable(True)
            action.toggled.connect(self._on_toggled)
            self._actions[field].append((action, value))
            self._names[field][value] = label
        menu.setEnabled(bool(self._actions[field]))

    @property
    def filters(self) -> QueueFilters:
        return self._filters

    def set_filters(self, filters: QueueFilters, *, announce: bool = True) -> None:
        self._filters = filters
        for field in _FIELDS:
            ticked = getattr(filters, field)
            for action, value in self._actions[field]:
                action.blockSignals(True)
                action.setChecked(value in ticked)
                action.blockSignals(False)
        if announce:
            self.changed.emit(filters)

    @Slot()
    def clear(self) -> None:
        self.set_filters(QueueFilters())

    @Slot(bool)
    def _on_toggled(self, _checked: bool) -> None:
        values = {
            field: frozenset(v for a, v in self._actions[field] if a.isChecked())
            for field in _FIELDS
        }
        # Ticks for choices this menu does not list (a team gone since) are kept as they were.
        for field in ("categories", "team_ids", "assignee_ids"):
            listed = {v for _a, v in self._actions[field]}
            values[field] |= frozenset(v for v in getattr(self._filters, field) if v not in listed)
        self._filters = QueueFilters(**values)  # type: ignore[arg-type]
        self.changed.emit(self._filters)

    def describe(self) -> str:
        """'Priority: Urgent, High · Channel: Phone' for the line under the search box."""
        parts = []
        for field in _FIELDS:
            ticked = getattr(self._filters, field)
            if ticked:
                names = self._names[field]
                shown = [names.get(v, "(gone)") for v in names if v in ticked]
                shown += ["(gone)" for v in ticked if v not in names]
                parts.append(f"{_NAMES[field]}: {', '.join(shown)}")
        return " · ".join(parts)

    def active_count(self) -> int:
        return sum(1 for field in _FIELDS if getattr(self._filters, field))


def filters_to_json(filters: QueueFilters) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for field in _FIELDS:
        values = getattr(filters, field)
        if values:
            out[field] = sorted(_encode(v) for v in values)
    return out


def filters_from_json(raw: object) -> QueueFilters:
    """What settings.json remembered; anything unreadable is left out, never an error."""
    if not isinstance(raw, dict):
        return QueueFilters()
    kinds = {"statuses": CaseStatus, "priorities": Priority, "channels": Channel}
    values: dict[str, frozenset[object]] = {}
    for field in _FIELDS:
        items = raw.get(field)
        if not isinstance(items, list):
            continue
        kept: set[object] = set()
        for item in items:
            try:
                if field in kinds:
                    kept.add(kinds[field](item))
                elif field == "categories":
                    kept.add(str(item))
                elif field == "assignee_ids" and item == UNASSIGNED:
                    kept.add(None)
                else:
                    kept.add(uuid.UUID(str(item)))
            except ValueError:
                continue
        values[field] = frozenset(kept)
    return QueueFilters(**values)  # type: ignore[arg-type]


def _encode(value: object) -> str:
    if value is None:
        return UNASSIGNED
    if isinstance(value, uuid.UUID):
        return value.hex
    return str(value)
