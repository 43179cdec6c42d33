"""The handoff area (DESIGN.md §5): what waits on me, then the note the current owner received.

From the top: the handoffs waiting for my read-back (deskapp.gui.handoff.to_acknowledge); my
own handoffs nobody has read back yet and the questions asked of me, answered here
(deskapp.gui.handoff.followup_lists); then, for the case in view, a marker saying what changed
since its last handoff and the note itself, field by field, with what followed it (questions,
answers and corrections as addenda, the read-back). Writing a note happens in the handoff
dialog (Case ▸ Hand off…).
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from deskapp.gui.handoff.followup_lists import QuestionsForYou, WaitingForReadBack
from deskapp.gui.handoff.to_acknowledge import ToAcknowledgeList
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label
from deskapp.services.history import CaseDetail, FollowUp, SinceHandoff

_RISK_LABELS = {"stable": "Stable", "watch": "Watch", "at_risk": "At risk"}
_FIELDS = ("Risk", "Situation", "Done so far", "Next actions", "Promised to the customer",
           "If … then …", "Preferred contact", "Since then")  # fmt: skip
_FOLLOW_UP_VERBS = {"question": "asked", "addendum": "added", "read_back": "acknowledged"}
_MARKER_STYLE = {
    "calm": "QLabel { background: #e8f0fe; color: #0b2a5c; padding: 4px 6px; border-radius: 3px; }",
    "late": "QLabel { background: #fdecea; color: #6e1611; padding: 4px 6px; border-radius: 3px;"
    " font-weight: bold; }",
}
TICK_MS = 60_000


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def since_text(since: SinceHandoff, now: datetime) -> tuple[str, bool]:
    """'Since Dana's handoff 3h 05m ago: status Open → Pending customer, 2 new interactions,
    1 next action overdue', and whether anything is late. Ages and lateness by ``now``, so the
    marker ticks like the queue's SLA column."""
    changes = since.changes
    if changes.status_changed:
        status = (f"status {fmt.STATUS_LABELS[changes.status_then]} → "
                  f"{fmt.STATUS_LABELS[changes.status_now]}")  # fmt: skip
    else:
        status = f"status still {fmt.STATUS_LABELS[changes.status_now]}"
    new = changes.new_interactions
    parts = [status, _plural(new, "new interaction") if new else "no new interactions"]
    dated = [a for a in changes.next_actions if a.due is not None]
    late = sum(1 for a in dated if a.due is not None and a.due <= now)
    if late:
        parts.append(f"{_plural(late, 'next action')} overdue")
    elif dated:
        parts.append("no next action overdue")
    age = fmt.span(now - changes.handed_over_at)
    return f"Since {since.author}'s handoff {age} ago: {', '.join(parts)}", late > 0


def follow_up_text(entry: FollowUp) -> str:
    when = entry.at.astimezone().strftime("%a %d %b %H:%M")
    said = f": {entry.text}" if entry.text else ""
    return f"{entry.who} {_FOLLOW_UP_VERBS[entry.kind]} ({when}){said}"


class HandoffPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoffEditor")
        self.setAccessibleName("Handoff note")
        self.to_acknowledge = ToAcknowledgeList(self)
        self.waiting = WaitingForReadBack(self)
        self.questions = QuestionsForYou(self)
        # Who handed the case over and what changed since stay in sight; the note scrolls.
        self.heading = plain_label("Handoff note", self, name="handoffHeading", wrap=True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.since = plain_label("", self, name="handoffSince", wrap=True)
        self.since.setAccessibleName("What changed since the last handoff")
        self.since.hide()
        self._since: SinceHandoff | None = None
        note = QWidget()
        note.setObjectName("handoffNote")
        self.fields: dict[str, QLabel] = {}
        self.form = QFormLayout()
        self.form.setVerticalSpacing(4)
        # The right-hand column is narrow: each label above its text, so nothing is clipped.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for name in _FIELDS:
            value = plain_label("", note, name=f"handoff{name.split()[0]}", wrap=True)
            value.setAccessibleName(name)
            self.fields[name] = value
            label = QLabel(f"{name}:", note)
            label.setStyleSheet("font-weight: bold;")
            self.form.addRow(label, value)
        note_layout = QVBoxLayout(note)
        note_layout.setContentsMargins(0, 0, 4, 0)
        note_layout.addLayout(self.form)
        note_layout.addStretch(1)
        self.note_scroll = QScrollArea(self)
        self.note_scroll.setObjectName("handoffNoteScroll")
        self.note_scroll.setWidgetResizable(True)
        self.note_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.note_scroll.setWidget(note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.to_acknowledge)
        layout.addWidget(self.waiting)
        layout.addWidget(self.questions)
        layout.addWidget(self.heading)
        layout.addWidget(self.since)
        layout.addWidget(self.note_scroll, 1)
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.refresh_marker)
        self.ticker.start()
        self.show_case(None)

    def show_case(self, case: CaseDetail | None) -> None:
        self._since = case.since_handoff if case else None
        self.refresh_marker()
        note = case.current_handoff if case else None
        if note is None:
            self.heading.setText(
                "No handoff yet: this case has stayed with its first owner."
                if case
                else "The last handoff note of the selected case appears here."
            )
            for label in self.fields.values():
                label.setText("")
            self.form.setRowVisible(self.fields["Since then"], False)
            return
        flag = "  ·  UNBRIEFED — brief yourself from the history" if note.unbriefed else ""
        self.heading.setText(
            f"Handed over by {note.author}, {note.at.astimezone():%a %d %b %H:%M}{flag}"
        )
        promised = "None (stated)" if note.no_commitments else "\n".join(note.commitments)
        texts = (
            _RISK_LABELS.get(note.risk.value, note.risk.value), note.summary, note.done,
            "\n".join(note.next_actions) or "—", promised or "—", note.contingencies or "—",
            note.contact_preference or "—", "\n".join(map(follow_up_text, note.follow_ups)),
        )  # fmt: skip
        for name, text in zip(_FIELDS, texts, strict=True):
            self.fields[name].setText(text)
        self.form.setRowVisible(self.fields["Since then"], bool(note.follow_ups))

    @Slot()
    def refresh_marker(self) -> None:
        """Re-time the marker without a reload (its age, and next actions falling overdue)."""
        self.show_marker_at(datetime.now(UTC))

    def show_marker_at(self, now: datetime) -> None:
        if self._since is None:
            self.since.hide()
            return
        text, late = since_text(self._since, now)
        self.since.setText(text)
        self.since.setProperty("late", late)
        self.since.setStyleSheet(_MARKER_STYLE["late" if late else "calm"])
        self.since.show()
