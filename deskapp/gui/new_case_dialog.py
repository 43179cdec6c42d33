"""A new case from a call that just came in, in a few keystrokes:

    Ctrl+N · type a name, email or phone · Enter (the best match) · the subject · Enter

The search runs as the rep types (debounced, off the GUI thread, the latest answer wins). No
match? "New customer" takes what was typed into the right field. Priority and channel are one
Tab away; what the customer said may be written now and becomes the case's first interaction.
The dialog emits the ``CallIntake``; the caller writes it and the case opens.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.enums import Channel, Priority
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label, preview_line
from deskapp.gui.panes.two_line_delegate import BODY_ROLE, HEAD_ROLE, TwoLineDelegate
from deskapp.services.call_intake import CallIntake
from deskapp.services.customer_lookup import CustomerMatch
from deskapp.services.customers import NewCustomer

SEARCH_DELAY_MS = 200
NEW_CUSTOMER = "new"
ID_ROLE = Qt.ItemDataRole.UserRole


class NewCaseDialog(QDialog):
    search_requested = Signal(str)  # the text to find customers by
    submitted = Signal(object)  # the CallIntake

    def __init__(self, team_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newCaseDialog")
        self.setWindowTitle("New case from a call")
        self.setAccessibleName("New case from a call")
        self._team_id = team_id
        self._case_id = uuid.uuid4()  # fixed for this dialog: a retried create makes one case
        self._enter_pending = False  # Enter pressed before the search answered
        self.search = QLineEdit(self)
        self.search.setObjectName("customerSearch")
        self.search.setAccessibleName("Find the customer by name, email or phone")
        self.search.setPlaceholderText("Name, email or phone of the caller…")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget(self)
        self.results.setObjectName("customerResults")
        self.results.setAccessibleName("Matching customers")
        self.results.setUniformItemSizes(True)
        self.results.setItemDelegate(TwoLineDelegate(self.results))
        self.searching = plain_label("Type to search.", self, name="customerSearchState")
        self.new_box = QGroupBox("New customer", self)
        self.new_box.setObjectName("newCustomerBox")
        self.new_name = self._line("newCustomerName", "New customer's name", self.new_box)
        self.new_email = self._line("newCustomerEmail", "New customer's email", self.new_box)
        self.new_phone = self._line("newCustomerPhone", "New customer's phone", self.new_box)
        self.another_person = QCheckBox("Same email or phone as someone, but &another person",
                                        self.new_box)  # fmt: skip
        self.another_person.setObjectName("allowDuplicate")
        self.another_person.hide()
        new_form = QFormLayout(self.new_box)
        new_form.addRow("Na&me:", self.new_name)
        new_form.addRow("&Email:", self.new_email)
        new_form.addRow("P&hone:", self.new_phone)
        new_form.addRow(self.another_person)
        self.new_box.hide()
        self.subject = self._line("newCaseSubject", "Subject of the new case", self)
        self.subject.setPlaceholderText("What is it about, in a few words")
        self.subject.setMaxLength(300)
        self.priority = QComboBox(self)
        self.priority.setObjectName("newCasePriority")
        self.priority.setAccessibleName("Priority")
        for priority in Priority:
            self.priority.addItem(fmt.PRIORITY_LABELS[priority], priority)
        self.priority.setCurrentIndex(self.priority.findData(Priority.NORMAL))
        self.channel = QComboBox(self)
        self.channel.setObjectName("newCaseChannel")
        self.channel.setAccessibleName("Channel")
        for channel in Channel:
            self.channel.addItem(fmt.CHANNEL_LABELS[channel], channel)
        self.said = QPlainTextEdit(self)
        self.said.setObjectName("newCaseFirstContact")
        self.said.setAccessibleName("What the customer said (optional)")
        self.said.setPlaceholderText("Optional: what the customer said — the first interaction")
        self.said.setTabChangesFocus(True)
        self.said.setMaximumHeight(self.said.fontMetrics().lineSpacing() * 4 + 12)
        self.problem = plain_label("", self, name="newCaseProblem", wrap=True)
        self.problem.setStyleSheet("QLabel { color: #b3261e; }")
        self.problem.hide()
        form = QFormLayout()
        form.addRow("&Caller:", self.search)
        form.addRow("", self.results)
        form.addRow("", self.searching)
        form.addRow(self.new_box)
        form.addRow("&Subject:", self.subject)
        form.addRow("&Priority:", self.priority)
        form.addRow("Cha&nnel:", self.channel)
        form.addRow("&What they said:", self.said)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        name_standard_buttons(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Open case")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self.resize(560, 620)
        self._connect_signals()

    def _line(self, name: str, spoken: str, parent: QWidget) -> QLineEdit:
        line = QLineEdit(parent)
        line.setObjectName(name)
        line.setAccessibleName(spoken)
        return line

    def _connect_signals(self) -> None:
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self._timer.timeout.connect(lambda: self.search_requested.emit(self.search.text()))
        self.search.installEventFilter(self)
        self.subject.returnPressed.connect(self._submit)
        self.results.itemActivated.connect(lambda _item: self.subject.setFocus())
        self.results.currentItemChanged.connect(self._on_result_changed)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.results.keyPressEvent(event)  # arrows walk the matches, typing goes on
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():  # Enter before the search ran: run it now
                    self._timer.stop()
                    self.search_requested.emit(self.search.text())
                    self._enter_pending = True
                elif self.results.count():
                    self.subject.setFocus()
                return True
        return super().eventFilter(watched, event)

    def show_matches(self, text: str, matches: list[CustomerMatch]) -> None:
        """The search's answer for ``text`` (an answer for older text is ignored)."""
        if text != self.search.text():
            return
        self.results.clear()
        for match in matches:
            item = QListWidgetItem(f"{match.name} — {match.email or ''} {match.phone or ''}")
            head = preview_line(match.name, 80) + (f"  ·  {match.tier.value.upper()}")
            if match.open_cases:
                head += f"  ·  {match.open_cases} open case{'s' if match.open_cases > 1 else ''}"
            body = "  ·  ".join(x for x in (match.email, match.phone, match.organization) if x)
            item.setData(HEAD_ROLE, head)
            item.setData(BODY_ROLE, preview_line(body, 200))
            item.setData(ID_ROLE, match.id)
            self.results.addItem(item)
        create = QListWidgetItem(f"New customer “{preview_line(text, 60)}”…")
        create.setData(HEAD_ROLE, "+ New customer")
        create.setData(BODY_ROLE, f"Nobody of these: create “{preview_line(text, 60)}”")
        create.setData(ID_ROLE, NEW_CUSTOMER)
        self.results.addItem(create)
        self.results.setCurrentRow(0)
        self.searching.setText(
            f"{len(matches)} match{'es' if len(matches) != 1 else ''}" if matches else
            "Nobody found: a new customer will be created"
        )  # fmt: skip
        if self._enter_pending:
            self._enter_pending = False
            self.subject.setFocus()

    @Slot()
    def _on_result_changed(self) -> None:
        item = self.results.currentItem()
        new = item is not None and item.data(ID_ROLE) == NEW_CUSTOMER
        self.new_box.setVisible(new)
        if new and not (self.new_name.text() or self.new_email.text() or self.new_phone.text()):
            typed = self.search.text().strip()
            target = (self.new_email if "@" in typed else
                      self.new_phone if typed[:1] in "+0123456789(" else self.new_name)  # fmt: skip
            target.setText(typed)

    def intake(self) -> CallIntake:
        item = self.results.currentItem()
        chosen = item.data(ID_ROLE) if item is not None else None
        customer_id = chosen if isinstance(chosen, uuid.UUID) else None
        new = None
        if customer_id is None:
            new = NewCustomer(self.new_name.text().strip() or self.search.text().strip(),
                              self.new_email.text().strip() or None,
                              self.new_phone.text().strip() or None)  # fmt: skip
        return CallIntake(
            self._team_id, self.subject.text(), customer_id=customer_id, new_customer=new,
            channel=Channel(self.channel.currentData()),
            priority=Priority(self.priority.currentData()),
            first_contact=self.said.toPlainText() or None,
            allow_duplicate=self.another_person.isChecked(), case_id=self._case_id,
        )  # fmt: skip

    @Slot()
    def _submit(self) -> None:
        if self.results.currentItem() is None and not self.search.text().strip():
            self.show_problem("Find the caller first: type their name, email or phone.")
            self.search.setFocus()
            return
        if not self.subject.text().strip():
            self.show_problem("Give the case a subject a colleague will understand at a glance.")
            self.subject.setFocus()
            return
        self.buttons.setEnabled(False)
        self.submitted.emit(self.intake())

    def show_problem(self, text: str, *, duplicate: bool = False) -> None:
        self.buttons.setEnabled(True)
        self.problem.setText(text)
        self.problem.show()
        if duplicate:
            self.another_person.show()
