"""Log an interaction on the case in view: how (call, email, chat, social, in person, third
party), which way (from the customer, to the customer, internal), how long for a call, chat
or meeting, what was said — full card numbers are masked by the service before anything is
stored — and, for a customer's praise, which colleague it is for.

The dialog stays open until the service accepted the entry: a refusal is shown in the dialog
and the rep's text is kept.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.enums import Channel, Direction
from deskapp.gui.canned_picker import Values, install_canned_picker
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.panes.text_input import LongTextEdit
from deskapp.services.interactions import TIMED_CHANNELS, NewInteraction, body_too_large
from deskapp.services.records import UserInfo

DIRECTION_LABELS = {Direction.INBOUND: "From the customer (inbound)",
                    Direction.OUTBOUND: "To the customer (outbound)",
                    Direction.INTERNAL: "Internal (no customer contact)"}  # fmt: skip


class InteractionDialog(QDialog):
    submitted = Signal(object)  # the NewInteraction to log (its id is fixed: retries are safe)

    def __init__(self, case_key: str, case_id: uuid.UUID, channel: Channel,
                 parent: QWidget | None = None,
                 placeholder_values: Values | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("interactionDialog")
        self.setWindowTitle(f"Log an interaction on {case_key}")
        self.setAccessibleName(f"Log an interaction on {case_key}")
        self._case_id = case_id
        self._id = uuid.uuid4()  # chosen once: a retry after a lost reply logs it once
        self.channel = QComboBox(self)
        self.channel.setObjectName("interactionChannel")
        self.channel.setAccessibleName("Channel")
        for value in Channel:
            self.channel.addItem(fmt.CHANNEL_LABELS[value], value)
        self.channel.setCurrentIndex(self.channel.findData(channel))
        self.direction = QComboBox(self)
        self.direction.setObjectName("interactionDirection")
        self.direction.setAccessibleName("Direction")
        for direction, label in DIRECTION_LABELS.items():
            self.direction.addItem(label, direction)
        self.minutes = QSpinBox(self)
        self.minutes.setObjectName("interactionMinutes")
        self.minutes.setAccessibleName("Duration, minutes")
        self.minutes.setRange(0, 720)
        self.minutes.setSuffix(" min")
        self.seconds = QSpinBox(self)
        self.seconds.setObjectName("interactionSeconds")
        self.seconds.setAccessibleName("Duration, seconds")
        self.seconds.setRange(0, 59)
        self.seconds.setSuffix(" s")
        duration = QHBoxLayout()
        duration.addWidget(self.minutes)
        duration.addWidget(self.seconds)
        duration.addStretch(1)
        self.text = LongTextEdit(self)  # a pasted megabyte must not freeze the window
        self.text.setObjectName("interactionText")
        self.text.setAccessibleName("What was said or done")
        self.text.setPlaceholderText(
            "What was said or done. Full card numbers are masked when saved."
        )
        self.text.setTabChangesFocus(True)
        if placeholder_values is not None:  # "/" or Ctrl+Space: a canned response at the caret
            self.inserter = install_canned_picker(self.text, placeholder_values)
        self.kudos = QCheckBox("The customer &praised a colleague", self)
        self.kudos.setObjectName("interactionKudos")
        self.kudos_for = QComboBox(self)
        self.kudos_for.setObjectName("interactionKudosFor")
        self.kudos_for.setAccessibleName("Praise is for")
        self.kudos_for.setEnabled(False)
        self.problem = plain_label("", self, name="interactionProblem", wrap=True)
        self.problem.setStyleSheet("QLabel { color: #b3261e; }")
        self.problem.hide()
        form = QFormLayout()
        form.addRow("&Channel:", self.channel)
        form.addRow("&Direction:", self.direction)
        form.addRow("D&uration:", duration)
        form.addRow("&Text:", self.text)
        form.addRow(self.kudos)
        form.addRow("Praise &for:", self.kudos_for)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        name_standard_buttons(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Log it")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(560, 460)
        self._connect_signals()
        self._on_channel_changed()

    def _connect_signals(self) -> None:
        self.channel.currentIndexChanged.connect(self._on_channel_changed)
        self.kudos.toggled.connect(self._on_kudos_toggled)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

    def set_colleagues(self, people: list[UserInfo], me: uuid.UUID | None) -> None:
        self.kudos_for.clear()
        for person in people:
            self.kudos_for.addItem(person.display_name, str(person.id))  # str: Qt finds it
        if me is not None:
            self.kudos_for.setCurrentIndex(max(0, self.kudos_for.findData(str(me))))

    @Slot()
    def _on_channel_changed(self) -> None:
        timed = Channel(self.channel.currentData()) in TIMED_CHANNELS
        self.minutes.setEnabled(timed)
        self.seconds.setEnabled(timed)

    @Slot(bool)
    def _on_kudos_toggled(self, on: bool) -> None:
        self.kudos_for.setEnabled(on)
        if on:  # praise comes from the customer
            self.direction.setCurrentIndex(self.direction.findData(Direction.INBOUND))

    def interaction(self) -> NewInteraction:
        channel = Channel(self.channel.currentData())  # Qt gives a StrEnum back as a str
        duration = None
        if channel in TIMED_CHANNELS and (self.minutes.value() or self.seconds.value()):
            duration = self.minutes.value() * 60 + self.seconds.value()
        chosen = self.kudos_for.currentData() if self.kudos.isChecked() else None
        kudos = uuid.UUID(chosen) if chosen else None
        return NewInteraction(self._case_id, channel, Direction(self.direction.currentData()),
                              self.text.toPlainText(), duration_seconds=duration,
                              kudos_for_id=kudos, id=self._id)  # fmt: skip

    @Slot()
    def _submit(self) -> None:
        text = self.text.toPlainText()
        if not text.strip():
            self.show_problem("Write what was said or done, even in one line.")
            self.text.setFocus()
            return
        problem = body_too_large(text)  # said now, before a round trip; the text stays
        if problem is not None:
            self.show_problem(problem)
            return
        self.set_busy(True)
        self.submitted.emit(self.interaction())

    def set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)

    def show_problem(self, text: str) -> None:
        self.set_busy(False)
        self.problem.setText(text)
        self.problem.show()
