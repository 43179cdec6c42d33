"""How one queue row reads and looks: its cells' text, colours and icons, worked out once when
the row arrives (and again by the SLA tick), so the model's data() only looks them up.

The SLA countdown counts the case's team's business hours (domain/sla_clock.py): a case due
Monday 10:00 seen Friday 16:00 has two working hours left, "Due soon". Each state has a colour
AND a word, so it reads without colour too, and a lighter set of colours for a dark scheme.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from functools import cache
from typing import NamedTuple

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPixmap

from deskapp.domain.enums import Mood, Priority
from deskapp.domain.sla_clock import BusinessCalendar, SlaState, sla_countdown
from deskapp.gui import presence_text
from deskapp.gui.panes import formatting as fmt
from deskapp.services.presence import Present
from deskapp.services.queue import QueueRow, SortColumn

# What a rep scans first comes first: which case, how close to breach, how urgent, how upset.
COLUMNS = ["Key", "SLA", "Priority", "Mood", "Customer", "Subject", "Status", "Waiting",
           "Channel", "Category", "Assignee", "Transfers", "Promise"]  # fmt: skip
COLUMN_SORTS = {
    "Key": SortColumn.KEY, "SLA": SortColumn.SLA, "Priority": SortColumn.PRIORITY,
    "Mood": SortColumn.MOOD, "Customer": SortColumn.CUSTOMER, "Subject": SortColumn.SUBJECT,
    "Status": SortColumn.STATUS, "Waiting": SortColumn.WAITING, "Channel": SortColumn.CHANNEL,
    "Category": SortColumn.CATEGORY, "Assignee": SortColumn.ASSIGNEE,
    "Transfers": SortColumn.TRANSFERS, "Promise": SortColumn.PROMISE,
}  # fmt: skip
SLA_COLUMN = COLUMNS.index("SLA")
WAITING_COLUMN = COLUMNS.index("Waiting")
PROMISE_COLUMN = COLUMNS.index("Promise")
MOOD_COLUMN = COLUMNS.index("Mood")
PRIORITY_COLUMN = COLUMNS.index("Priority")
TICKING = (SLA_COLUMN, WAITING_COLUMN, PROMISE_COLUMN)
# Business time is counted day by day; past this the wall-clock figure says the same thing.
_BUSINESS_HORIZON = timedelta(days=14)
_ALWAYS_OPEN = BusinessCalendar("UTC", {})

# Light scheme: dark enough on white for text (WCAG AA); dark scheme: the lighter variants.
_LIGHT = {"red": "#b3261e", "amber": "#8a5300", "green": "#1e6b34", "grey": "#5f6368"}
_DARK = {"red": "#f28b82", "amber": "#fdd663", "green": "#81c995", "grey": "#9aa0a6"}
_SLA_COLOURS = {SlaState.BREACHED: "red", SlaState.DUE_SOON: "amber", SlaState.ON_TRACK: "green",
                SlaState.PAUSED: "grey", SlaState.NONE: "grey"}  # fmt: skip
_SLA_WORDS = {
    SlaState.BREACHED: "Breached",
    SlaState.DUE_SOON: "Due soon",
    SlaState.ON_TRACK: "On track",
    SlaState.PAUSED: "Paused",
    SlaState.NONE: "No SLA",
}
_MOOD_COLOURS = {Mood.ANGRY: "red", Mood.FRUSTRATED: "amber"}
_PRIORITY_COLOURS = {Priority.URGENT: "red", Priority.HIGH: "amber"}


class Rendered(NamedTuple):
    """One row as the table shows it: per column its text, colour, icon, spoken text, tooltip
    and font (a tuple: the model picks a field by position, the cheapest lookup there is)."""

    texts: tuple[str, ...]
    colours: tuple[QBrush | None, ...]
    icons: tuple[QIcon | None, ...]
    spoken: tuple[str, ...]
    tips: tuple[str | None, ...]
    fonts: tuple[QFont | None, ...]


class Look:
    """The colours of one scheme, made once: brushes, dot icons and the bold font."""

    def __init__(self, dark: bool) -> None:
        self.dark = dark
        names = _DARK if dark else _LIGHT
        self.brushes = {key: QBrush(QColor(value)) for key, value in names.items()}
        # Pixmaps need a running application (a model may be built before one, in tests).
        painting = QGuiApplication.instance() is not None
        self.dots = {key: _dot(value) if painting else None for key, value in names.items()}
        # Someone else on the case (gui/presence.py): a person in grey, amber while typing.
        self.people = {editing: _person(names["amber" if editing else "grey"]) if painting
                       else None for editing in (False, True)}  # fmt: skip
        self.bold = QFont()
        self.bold.setBold(True)


def look(dark: bool) -> Look:
    return _look(dark, QGuiApplication.instance() is not None)


@cache
def _look(dark: bool, _painting: bool) -> Look:
    return Look(dark)


def _dot(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(QRectF(2, 2, 8, 8))
    painter.end()
    return QIcon(pixmap)


def _person(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(QRectF(3.5, 0.5, 5, 5))  # head
    painter.drawChord(QRectF(0.5, 6.5, 11, 10), 0, 180 * 16)  # shoulders
    painter.end()
    return QIcon(pixmap)


def sla_facts(
    row: QueueRow, now: datetime, calendars: Mapping[uuid.UUID, BusinessCalendar]
) -> tuple[SlaState, str, str]:
    """(state, label, tooltip) of the row's soonest SLA due (a pending first response or the
    resolution), counted in its team's business hours."""
    candidates = [d for d in (row.first_response_due, row.resolution_due) if d is not None]
    if not candidates:
        return SlaState.NONE, "No SLA", "No SLA target on this case"
    due = min(candidates)
    which = "First response" if due == row.first_response_due else "Resolution"
    calendar = calendars.get(row.team_id) if row.team_id is not None else None
    paused = row.status.pauses_sla
    if calendar is None or abs(due - now) > _BUSINESS_HORIZON:
        calendar = _ALWAYS_OPEN  # no hours known, or so far off that the day count says it
    try:
        countdown = sla_countdown(due, now, calendar, paused=paused, due_soon=fmt.DUE_SOON)
    except (ValueError, KeyError):  # an unknown time zone: wall-clock time rather than nothing
        countdown = sla_countdown(due, now, _ALWAYS_OPEN, paused=paused, due_soon=fmt.DUE_SOON)
    left = countdown.remaining or timedelta(0)
    word = _SLA_WORDS[countdown.state]
    # Short enough for a narrow pane: the word says the state, the figure how much.
    nothing_to_count = left == timedelta(0) or (
        countdown.state is SlaState.PAUSED and left < timedelta(0)
    )
    label = word if nothing_to_count else f"{word} {fmt.span(left)}"
    tip = f"{which} due {fmt.when(due)} — {label}, in the team's business hours"
    return countdown.state, label, tip


def render(
    row: QueueRow,
    now: datetime,
    calendars: Mapping[uuid.UUID, BusinessCalendar],
    style: Look,
    present: tuple[Present, ...] = (),
) -> Rendered:
    """``present``: who else has the case open now (the Key cell shows it)."""
    state, sla_label, sla_tip = sla_facts(row, now, calendars)
    waiting = fmt.waiting_text(row.waiting_since, now)
    promise, promise_state = ("", "none")
    if row.commitment_due is not None:
        promise, promise_state = fmt.promise_timer(row.commitment_due, now)
    texts = (
        row.key,
        sla_label,
        fmt.PRIORITY_LABELS[row.priority],
        fmt.MOOD_LABELS[row.mood],
        row.customer_name,
        row.subject,
        fmt.STATUS_LABELS[row.status],
        waiting,
        fmt.CHANNEL_LABELS[row.channel],
        row.category or "",
        row.assignee_name or "Unassigned",
        str(row.transfer_count) if row.transfer_count else "",
        promise,
    )
    sla_colour = _SLA_COLOURS[state]
    mood_colour = _MOOD_COLOURS.get(row.mood)
    priority_colour = _PRIORITY_COLOURS.get(row.priority)
    promise_colour = {"overdue": "red", "due_soon": "amber"}.get(promise_state)
    colours: list[QBrush | None] = [None] * len(COLUMNS)
    icons: list[QIcon | None] = [None] * len(COLUMNS)
    fonts: list[QFont | None] = [None] * len(COLUMNS)
    colours[SLA_COLUMN] = style.brushes[sla_colour]
    icons[SLA_COLUMN] = style.dots[sla_colour]
    if state is SlaState.BREACHED:
        fonts[SLA_COLUMN] = style.bold
    if mood_colour:
        colours[MOOD_COLUMN] = style.brushes[mood_colour]
        icons[MOOD_COLUMN] = style.dots[mood_colour]
    if priority_colour:
        colours[PRIORITY_COLUMN] = style.brushes[priority_colour]
    if row.priority is Priority.URGENT:
        fonts[PRIORITY_COLUMN] = style.bold
    if promise_colour:
        colours[PROMISE_COLUMN] = style.brushes[promise_colour]
    if not row.assignee_name:
        colours[COLUMNS.index("Assignee")] = style.brushes["grey"]
    spoken = list(texts)
    spoken[SLA_COLUMN] = f"SLA {sla_label}"
    spoken[WAITING_COLUMN] = f"waiting {waiting}" if waiting else "not waiting"
    spoken[COLUMNS.index("Transfers")] = f"{row.transfer_count} transfers"
    tips: list[str | None] = [None] * len(COLUMNS)
    tips[SLA_COLUMN] = sla_tip
    tips[COLUMNS.index("Subject")] = row.subject
    if present:
        icons[0] = style.people[presence_text.anyone_editing(present)]
        tips[0] = presence_text.tooltip_text(present)
        spoken[0] = f"{row.key}, {presence_text.header_text(present)}"
    return Rendered(texts, tuple(colours), tuple(icons), tuple(spoken), tuple(tips), tuple(fonts))
