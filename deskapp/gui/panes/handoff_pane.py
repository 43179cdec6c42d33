"""The handoff area: the note the current owner received, field by field (DESIGN.md §5).

Above it, the handoffs waiting for my read-back (deskapp.gui.handoff.to_acknowledge); writing a
note happens in the handoff dialog (Case ▸ Hand off…).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from deskapp.gui.handoff.to_acknowledge import ToAcknowledgeList
from deskapp.gui.panes.plain import plain_label
from deskapp.services.history import CaseDetail

_RISK_LABELS = {"stable": "Stable", "watch": "Watch", "at_risk": "At risk"}
_FIELDS = ("Risk", "Situation", "Done so far", "Next actions", "Promised to the customer",
           "If … then …", "Preferred contact")  # fmt: skip


class HandoffPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handoffEditor")
        self.setAccessibleName("Handoff note")
        self.to_acknowledge = ToAcknowledgeList(self)
        self.heading = plain_label("Handoff note", self, name="handoffHeading", wrap=True)
        self.heading.setStyleSheet("font-weight: bold;")
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setVerticalSpacing(4)
        # The right-hand column is narrow: each label above its text, so nothing is clipped.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for name in _FIELDS:
            value = plain_label("", self, name=f"handoff{name.split()[0]}", wrap=True)
            value.setAccessibleName(name)
            self.fields[name] = value
            label = QLabel(f"{name}:", self)
            label.setStyleSheet("font-weight: bold;")
            form.addRow(label, value)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.to_acknowledge)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addStretch(1)
        self.show_case(None)

    def show_case(self, case: CaseDetail | None) -> None:
        note = case.current_handoff if case else None
        if note is None:
            self.heading.setText(
                "No handoff yet: this case has stayed with its first owner."
                if case
                else "The last handoff note of the selected case appears here."
            )
            for label in self.fields.values():
                label.setText("")
            return
        flag = "  ·  UNBRIEFED — brief yourself from the history" if note.unbriefed else ""
        self.heading.setText(
            f"Handed over by {note.author}, {note.at.astimezone():%a %d %b %H:%M}{flag}"
        )
        promised = "None (stated)" if note.no_commitments else "\n".join(note.commitments)
        texts = (
            _RISK_LABELS.get(note.risk.value, note.risk.value), note.summary, note.done,
            "\n".join(note.next_actions) or "—", promised or "—", note.contingencies or "—",
            note.contact_preference or "—",
        )  # fmt: skip
        for name, text in zip(_FIELDS, texts, strict=True):
            self.fields[name].setText(text)
