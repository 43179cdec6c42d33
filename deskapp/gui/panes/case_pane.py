"""The case in hand, read in three seconds: who (and their local time), what, how urgent, how
often it has already been bounced, and what was promised to the customer — each promise a
timer that turns amber when due within two hours and red when late, ticking every minute like
the queue's SLA column.

Status, priority, mood and category are edited right in the header; the pane only says what
the rep asked for (``change_requested``) and shows what the service answers (``apply_state``):
the version checks, the resolve dialog and the stale-edit choice live in gui/case_editing.py.
The reply composer sits under the header (gui/panes/reply_composer.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QSize, QTimer, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.case_lifecycle import RESOLUTION_CODES
from deskapp.domain.enums import CaseStatus, Mood, Priority
from deskapp.gui.appearance import is_dark
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label, preview_line, set_style
from deskapp.gui.panes.reply_composer import ReplyComposer
from deskapp.services.cases import CaseState
from deskapp.services.history import CaseDetail, OpenCommitment

BOUNCE_WARNING_AT = 2
PROMISES_SHOWN = 4  # more than that is listed as "and N more" (the handoff pane has them all)
TICK_MS = 60_000
_PROMISE_STYLE = {
    "overdue": "QLabel { color: white; background: #b3261e; padding: 1px 4px; font-weight: bold; }",
    "due_soon": "QLabel { color: #4a3200; background: #ffe08a; padding: 1px 4px; }",
    "upcoming": "",
}
_SLA_STYLE = {"breached": "color: #b3261e; font-weight: bold;", "due_soon": "color: #8a5a00;",
              "on_track": "", "none": ""}  # fmt: skip
# Text colours above are for a light window; on a dark one the same warnings use lighter tones.
_DARK_TEXT = {"#b3261e": "#f28b82", "#8a5a00": "#fdd663", "#5f6368": "#9aa0a6"}


def _for_scheme(style: str, widget: QWidget) -> str:
    if not is_dark(widget.palette()):
        return style
    for light, dark in _DARK_TEXT.items():
        style = style.replace(f"color: {light}", f"color: {dark}")
    return style


_MOOD_STYLE = {Mood.ANGRY: "QComboBox { color: #b3261e; font-weight: bold; }",
               Mood.FRUSTRATED: "QComboBox { color: #8a5a00; font-weight: bold; }"}  # fmt: skip


promise_timer = fmt.promise_timer  # where the header's timers come from


class CasePane(QFrame):
    change_requested = Signal(object)  # a dict {"status"|"priority"|"mood"|"category": new value}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseView")
        self.setAccessibleName("Case")
        self.case: CaseDetail | None = None
        self.version = 0  # the version the rep's edits are checked against
        self._shown: dict[str, object] = {}  # the editable facts as the database gave them
        # CaseWork says whether a header save or a header dialog is on its way.
        self.edits_pending: Callable[[], bool] = lambda: False
        self._held: CaseDetail | None = None  # read while the rep was editing the header
        self.title = plain_label("Select a case in the queue to see it here.", self,
                                 name="caseTitle", wrap=True)  # fmt: skip
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        # Who else has this case open (gui/presence.py): "Dana Scully is editing".
        self.presence = plain_label("", self, name="casePresence", wrap=True)
        self.presence.setAccessibleName("Also on this case")
        self.presence.hide()
        self.bounced = plain_label("", self, name="caseBounced", wrap=True)
        self.bounced.setStyleSheet(
            "QLabel { background: #b3261e; color: white; padding: 4px 6px; border-radius: 3px;"
            " font-weight: bold; }"
        )
        self.bounced.hide()
        self.customer = plain_label("", self, name="caseCustomer", wrap=True)
        customer_font = self.customer.font()
        customer_font.setBold(True)
        self.customer.setFont(customer_font)
        self._build_editors()
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(1)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label in ("Channel", "Owner", "SLA", "Waiting", "History", "Resolution"):
            value = plain_label("", self, name=f"case{label}", wrap=True)
            value.setAccessibleName(label)
            self.fields[label] = value
            form.addRow(f"{label}:", value)
        self._form = form
        # Promises to the customer: one line each, soonest first, re-timed every minute.
        self.promises_box = QWidget(self)
        self.promises_box.setObjectName("casePromises")
        self.promises_box.setAccessibleName("Promised to the customer")
        self._promise_rows = QVBoxLayout(self.promises_box)
        self._promise_rows.setContentsMargins(0, 0, 0, 0)
        self._promise_rows.setSpacing(2)
        self.promise_labels: list[QLabel] = []
        self.more_promises = plain_label("", self.promises_box, name="casePromisesMore")
        self._promise_rows.addWidget(self.more_promises)
        self._commitments: tuple[OpenCommitment, ...] = ()
        self._has_case = False
        form.addRow("Promised:", self.promises_box)
        self.composer = ReplyComposer(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(3)
        layout.addWidget(self.title)  # the handoff banner goes in right under it (CaseDesk)
        layout.addWidget(self.presence)
        layout.addWidget(self.bounced)
        layout.addWidget(self.customer)
        layout.addLayout(self._editors)
        layout.addLayout(form)
        layout.addWidget(self.composer)
        layout.addStretch(1)
        self._set_editable(False)
        self._form.setRowVisible(self.fields["Resolution"], False)
        self.show_timers_at(datetime.now(UTC))
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.refresh_timers)
        self.ticker.start()
        self._connect_signals()

    def _build_editors(self) -> None:
        self.status = self._combo("caseStatusEdit", "Status")
        self.priority = self._combo("casePriorityEdit", "Priority")
        for priority in Priority:
            self.priority.addItem(fmt.PRIORITY_LABELS[priority], priority)
        self.mood = self._combo("caseMoodEdit", "Customer mood")
        for mood in Mood:
            self.mood.addItem(fmt.MOOD_LABELS[mood], mood)
        self.category = QLineEdit(self)
        self.category.setObjectName("caseCategoryEdit")
        self.category.setAccessibleName("Category")
        self.category.setPlaceholderText("no category")
        self.category.setMaxLength(80)
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        for column, (text, editor) in enumerate((("&Status", self.status),
                                                 ("&Priority", self.priority),
                                                 ("&Mood", self.mood),
                                                 ("Cate&gory", self.category))):  # fmt: skip
            label = QLabel(text, self)
            label.setBuddy(editor)
            grid.addWidget(label, 0, column)
            grid.addWidget(editor, 1, column)
            grid.setColumnStretch(column, 1)
        self._editors = grid

    def _combo(self, name: str, spoken: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(spoken)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        return combo

    def _connect_signals(self) -> None:
        # ``activated``: only what the rep picks, never the pane's own updates.
        # Qt hands a StrEnum back as a plain str: each value is turned back into its enum.
        self.status.activated.connect(
            lambda _i: self._ask("status", CaseStatus(self.status.currentData()))
        )
        self.priority.activated.connect(
            lambda _i: self._ask("priority", Priority(self.priority.currentData()))
        )
        self.mood.activated.connect(lambda _i: self._ask("mood", Mood(self.mood.currentData())))
        self.category.editingFinished.connect(self._on_category_finished)

    def _ask(self, name: str, value: object) -> None:
        if self.case is not None and value != self.current_value(name):
            self.change_requested.emit({name: value})
        else:
            self._release_held()

    @Slot()
    def _on_category_finished(self) -> None:
        text = " ".join(self.category.text().split())
        if self.case is not None and text != (self.current_value("category") or ""):
            self.change_requested.emit({"category": text})
        else:
            self.category.setModified(False)
            self._release_held()

    def current_value(self, name: str) -> object:
        """What the header last showed from the database for ``name``."""
        return self._shown.get(name)

    def shown_values(self) -> dict[str, object]:
        """The editable facts as the database last gave them (what the rep saw)."""
        return dict(self._shown)

    def _set_editable(self, editable: bool) -> None:
        for editor in (self.status, self.priority, self.mood, self.category):
            editor.setEnabled(editable)

    # ------------------------------------------------------------------ showing
    def show_case(self, case: CaseDetail) -> None:
        """A case chosen by the rep: everything, editors included."""
        self._held = None
        self._show_facts(case)
        self._apply_detail(case)
        self.composer.set_case(case)
        self.updateGeometry()  # a longer title or more promises need more height

    def refresh_case(self, case: CaseDetail) -> None:
        """The same case read again (a colleague changed it): the facts in place. While the rep
        is editing the header (typing a category, a list open, a save or a header dialog on its
        way) the editors and the version they are checked against stay as the rep began: a
        colleague's change then meets the rep's as a stale edit, and the conflict flow lets the
        rep choose. The held state is shown once the edit ends without a change."""
        self._show_facts(case)
        if self.editing_header():
            self._held = case
        else:
            self._held = None
            self._apply_detail(case)
        self.composer.setEnabled(case.status.is_open)  # the draft and the "send by" choice stay
        self.updateGeometry()

    def editing_header(self) -> bool:
        """Is the rep in the middle of a header edit?"""
        if self.edits_pending():
            return True
        if any(combo.view().isVisible() for combo in (self.status, self.priority, self.mood)):
            return True
        typed = " ".join(self.category.text().split())
        return self.category.isModified() and typed != (self.current_value("category") or "")

    def _release_held(self) -> None:
        held = self._held
        if held is not None and not self.editing_header():
            self._held = None
            self._apply_detail(held)

    def _apply_detail(self, case: CaseDetail) -> None:
        self.apply_state(
            case.status, case.priority, case.mood, case.category, case.version,
            case.next_statuses, case.resolution_code, case.resolution_outcome,
        )  # fmt: skip

    def _show_facts(self, case: CaseDetail) -> None:
        """Everything but the editors: title, customer, fields, promises, the bounce warning."""
        now = datetime.now(UTC)
        self.case = case
        self.title.setText(f"{case.key}  {preview_line(case.subject, 300)}")
        customer = case.customer
        local = fmt.local_time(customer.time_zone, now)
        who = [preview_line(customer.name, 80), customer.tier.value.upper()]
        if local:
            who.insert(1, f"{local} their time ({customer.time_zone})")
        self.customer.setText("  ·  ".join(who))
        self.fields["Channel"].setText(
            f"{fmt.CHANNEL_LABELS[case.channel]}  ·  opened "
            + (fmt.when(case.created_at) if case.created_at else "—")
        )
        self.fields["Owner"].setText(f"{case.assignee or 'Unassigned'}  ·  {case.team}")
        self._show_sla(case, now)
        waiting = fmt.waiting_text(case.waiting_since, now)
        self.fields["Waiting"].setText(
            f"customer waiting {waiting} for an answer" if waiting else "nothing unanswered"
        )
        set_style(self.fields["Waiting"], "font-weight: bold;" if waiting else "")
        self.fields["History"].setText(
            f"Transferred {case.transfer_count}×  ·  reopened {case.reopen_count}×"
        )
        self._commitments, self._has_case = case.commitments, True
        self.show_timers_at(now)
        if case.transfer_count >= BOUNCE_WARNING_AT:
            self.bounced.setText(
                f"⚠ Bounced {case.transfer_count} times — don't make them repeat themselves. "
                "Read the history first."
            )
            self.bounced.show()
        else:
            self.bounced.hide()

    def apply_case_state(self, state: CaseState) -> None:
        """What the service answered after a change (or a colleague's change the rep took)."""
        self.apply_state(
            state.status, state.priority, state.mood, state.category, state.version,
            state.next_statuses, state.resolution_code, state.resolution_outcome,
        )  # fmt: skip

    def apply_state(self, status: CaseStatus, priority: Priority, mood: Mood,
                    category: str | None, version: int,
                    next_statuses: tuple[CaseStatus, ...],
                    resolution_code: str | None = None,
                    resolution_outcome: str | None = None) -> None:  # fmt: skip
        self.version = version
        self._shown = {"status": status, "priority": priority, "mood": mood,
                       "category": category}  # fmt: skip
        self.status.clear()
        for choice in (status, *next_statuses):
            self.status.addItem(fmt.STATUS_LABELS[choice], choice)
        self.status.setCurrentIndex(0)
        self.priority.setCurrentIndex(self.priority.findData(priority))
        self.mood.setCurrentIndex(self.mood.findData(mood))
        set_style(self.mood, _for_scheme(_MOOD_STYLE.get(mood, ""), self))
        self.category.setText(category or "")
        self._set_editable(True)
        self.status.setEnabled(bool(next_statuses))  # a closed case no longer changes
        resolved = resolution_outcome is not None or resolution_code is not None
        if resolved:
            code = RESOLUTION_CODES.get(resolution_code or "", resolution_code or "")
            self.fields["Resolution"].setText(f"{code}: {resolution_outcome or ''}")
        self._form.setRowVisible(self.fields["Resolution"], resolved)

    def show_presence(self, text: str, editing: bool) -> None:
        """Who else is on the case now ("" hides the line); amber while someone types."""
        self.presence.setText(f"● {text}" if text else "")
        colour = "#8a5a00" if editing else "#5f6368"
        set_style(self.presence, _for_scheme(f"QLabel {{ color: {colour}; }}", self))
        self.presence.setVisible(bool(text))

    def revert_editors(self) -> None:
        """Back to what the database said (a cancelled resolve, a refused change)."""
        shown = self._shown
        if self.case is None or not shown:
            return
        self.status.setCurrentIndex(0)
        self.priority.setCurrentIndex(self.priority.findData(shown["priority"]))
        self.mood.setCurrentIndex(self.mood.findData(shown["mood"]))
        self.category.setText(str(shown["category"] or ""))

    def _show_sla(self, case: CaseDetail, now: datetime) -> None:
        parts: list[str] = []
        worst = "none"
        order = ["none", "on_track", "due_soon", "breached"]
        if case.first_responded_at is not None:
            parts.append("first answer sent")
        elif case.first_response_due is not None:
            text, state = fmt.sla_text(case.first_response_due, now)
            parts.append(f"first answer {text.lower()}")
            worst = max(worst, state, key=order.index)
        if case.next_response_due is not None and case.status.is_open:
            text, state = fmt.sla_text(case.next_response_due, now)
            parts.append(f"next answer {text.lower()}")
            worst = max(worst, state, key=order.index)
        if case.status.is_open:
            text, state = fmt.sla_text(case.resolution_due, now)
            parts.append(f"resolution {text.lower()}")
            worst = max(worst, state, key=order.index)
        if case.sla_paused_at is not None:
            parts.append("clock paused while pending customer")
        line = "  ·  ".join(parts) or "—"
        self.fields["SLA"].setText(f"{line}  ·  {fmt.PRIORITY_LABELS[case.priority]} priority")
        set_style(self.fields["SLA"], _for_scheme(_SLA_STYLE[worst], self))

    def minimumSizeHint(self) -> QSize:
        """Tall enough for the wrapped title and every promise at the current width: the
        splitter above the customer history asks this, and Qt's own hint counts a wrapped label
        as one line, which let the history squeeze the promises into each other."""
        hint = super().minimumSizeHint()
        layout = self.layout()
        if layout is not None and layout.hasHeightForWidth() and self.width() > 0:
            hint.setHeight(max(hint.height(), layout.heightForWidth(self.width())))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the wrapped lines, and so the height needed, changed

    @Slot()
    def refresh_timers(self) -> None:
        """Re-time the promises without a reload: due soon turns amber, late turns red."""
        self.show_timers_at(datetime.now(UTC))

    def show_timers_at(self, now: datetime) -> None:
        shown = self._commitments[:PROMISES_SHOWN]
        while len(self.promise_labels) < len(shown):
            label = plain_label("", self.promises_box, name="casePromise", wrap=True)
            # At least a line each: a short case column must push the history down, never
            # squeeze a late promise out of sight.
            label.setMinimumHeight(label.fontMetrics().lineSpacing() + 4)
            self._promise_rows.insertWidget(len(self.promise_labels), label)
            self.promise_labels.append(label)
        for number, label in enumerate(self.promise_labels):
            if number >= len(shown):
                label.hide()
                continue
            commitment = shown[number]
            timer, state = promise_timer(commitment.due, now)
            label.setText(f"{timer} — {preview_line(commitment.promise, 200)}")
            label.setAccessibleName(f"Promise, {state.replace('_', ' ')}")
            label.setProperty("state", state)
            set_style(label, _PROMISE_STYLE[state])
            label.show()
        hidden = len(self._commitments) - len(shown)
        if not self._commitments:
            self.more_promises.setText("No open promises" if self._has_case else "")
        else:
            self.more_promises.setText(f"and {hidden} more" if hidden else "")
        self.more_promises.setVisible(not self._commitments or hidden > 0)
