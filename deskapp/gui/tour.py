"""A short first-run tour: each pane in turn, lit up with a sentence or two, then the keys.

Shown once after the first sign-in (settings TOUR_SEEN) and again from Help ▸ Tour. It is an
overlay over the main window: the window dims except the pane being explained, and a callout
beside it says what the pane is for. Enter or Space goes on (the focus sits on Next), Esc or
"Skip tour" ends it at any step. While it runs, Tab cycles among the callout's buttons only, so
a keyboard user never lands in a dimmed pane they cannot see.

Texts are plain text. Shortcuts are read from the window's own actions and written the way the
platform writes them (⌘ on macOS), so the tour never names a key that does something else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class TourStep:
    title: str
    text: str  # may name actions as {hand_off}, {end_of_shift}, {open}, {preferences}, {tour}
    targets: tuple[str, ...] = ()  # object names, the first one found is lit; () = no pane


TOUR_STEPS: tuple[TourStep, ...] = (
    TourStep(
        "Your case queue",
        "Your open cases, one tab per view: your own cases, your team's unassigned ones, cases "
        "waiting on a customer and promises falling due. Move with the arrow keys; the case "
        "you select opens beside the queue. The SLA column counts down to the next deadline.",
        ("caseQueuePane", "caseQueue"),
    ),
    TourStep(
        "The case in hand",
        "Who the customer is, the status, the SLA, their mood and who owns the case, with every "
        "promise made to the customer and its timer. A case handed over to you shows the "
        "handoff here: read it, then acknowledge it or ask a question.",
        ("caseView",),
    ),
    TourStep(
        "The customer's history",
        "Their profile, earlier cases and every call, email and chat, newest first. Read it "
        "before you answer, so the customer never has to tell their story twice.",
        ("customerHistory",),
    ),
    TourStep(
        "Canned responses",
        "Tested wording for apologies, explanations and next steps. Type to search, choose "
        "with the arrow keys and press Enter to insert the response where you were typing; the "
        "customer's name and the case details fill themselves in. In any text field, "
        "Ctrl+Space opens the same list.",
        ("cannedResponses",),
    ),
    TourStep(
        "Handoff notes",
        "When a case changes hands (to a colleague, a team, the queue, or at the end of your "
        "shift) you write a short structured note: the situation, what was done, what comes "
        "next and what was promised. Deskapp checks it before it goes. Handoffs waiting for "
        "you, and questions asked of you, are listed here too.",
        ("handoffEditor",),
    ),
    TourStep(
        "Keys worth knowing",
        "Hand off the case in view: {hand_off}\n"
        "Go through your cases at the end of your shift: {end_of_shift}\n"
        "Open another workspace: {open}\n"
        "Preferences (colours, notifications): {preferences}\n"
        "Move between controls: Tab and Shift+Tab. Menus open with Alt and the underlined "
        "letter.\n"
        "This tour again: {tour}",
    ),
)

_VEIL = QColor(0, 0, 0, 165)
_MARGIN = 6  # around the lit pane, and between the pane and the callout
_CALLOUT_WIDTH = 360  # beside a pane
_WIDE_CALLOUT_WIDTH = 540  # a step with no pane sits in the middle and has room


def describe_action(action: QAction, menu_path: str) -> str:
    """Keys and menu path, such as "Ctrl+Shift+H (Case ▸ Hand off…)": the keys as the platform
    writes them (⇧⌘H on macOS), the menu path alone when the action has no shortcut here."""
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    return f"{keys} ({menu_path})" if keys else menu_path


class _Callout(QFrame):
    """The explanation box. Tab stays among its buttons while the tour runs."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.buttons: list[QPushButton] = []  # in reading order

    def focusNextPrevChild(self, next: bool) -> bool:  # Qt's own parameter name
        buttons = [b for b in self.buttons if b.isVisible() and b.isEnabled()]
        if not buttons:
            return False
        focused = self.focusWidget()
        index = buttons.index(focused) if focused in buttons else -1
        buttons[(index + (1 if next else -1)) % len(buttons)].setFocus(
            Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        )
        return True


class Tour(QWidget):
    """The overlay. ``finished`` says whether the person went through to the end."""

    finished = Signal(bool)
    step_shown = Signal(int)

    def __init__(self, window: QMainWindow, steps: Sequence[TourStep] = TOUR_STEPS,
                 shortcuts: Mapping[str, str] | None = None) -> None:  # fmt: skip
        super().__init__(window)
        self.setObjectName("tour")
        self.setAccessibleName("Tour of Deskapp")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._window = window
        self._steps = list(steps)
        self._shortcuts = dict(shortcuts or {})
        self._index = 0
        self._lit: QRect | None = None
        self._focus_before: QWidget | None = None
        self._build()
        self._connect_signals()
        self.hide()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.callout = _Callout(self)
        self.callout.setObjectName("tourCallout")
        self.callout.setAccessibleName("Tour")
        self.callout.setFrameShape(QFrame.Shape.StyledPanel)
        self.callout.setAutoFillBackground(True)
        self.counter = self._label("tourCounter")
        self.title = self._label("tourTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.text = self._label("tourText")
        self.skip_button = self._button("tourSkip", "Skip tour", "Skip the tour (Esc)")
        self.back_button = self._button("tourBack", "← Back", "Previous step")
        self.next_button = self._button("tourNext", "Next →", "Next step")
        self.next_button.setDefault(True)
        self.callout.buttons = [self.skip_button, self.back_button, self.next_button]
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        self._callout_layout = layout = QVBoxLayout(self.callout)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.addWidget(self.counter)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addSpacing(6)
        layout.addLayout(buttons)

    def _label(self, name: str) -> QLabel:
        """A screen reader reads a label's own text: no accessible name to hide it."""
        label = QLabel(self.callout)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        return label

    def _button(self, name: str, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text, self.callout)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setAutoDefault(True)  # Enter presses the focused button, as Space does
        return button

    def _connect_signals(self) -> None:
        self.next_button.clicked.connect(self.next)
        self.back_button.clicked.connect(self.back)
        self.skip_button.clicked.connect(self.skip)
        self._window.installEventFilter(self)

    # ------------------------------------------------------------------ running
    @property
    def step(self) -> int:
        return self._index

    @property
    def step_count(self) -> int:
        return len(self._steps)

    def start(self) -> None:
        self._focus_before = self._window.focusWidget()
        self.setGeometry(self._window.rect())
        self.show()
        self.raise_()
        self._show_step(0)

    @Slot()
    def next(self) -> None:
        if self._index + 1 < len(self._steps):
            self._show_step(self._index + 1)
        else:
            self._end(completed=True)

    @Slot()
    def back(self) -> None:
        if self._index > 0:
            self._show_step(self._index - 1)

    @Slot()
    def skip(self) -> None:
        self._end(completed=False)

    def highlighted(self) -> QWidget | None:
        """The pane lit in this step, if it has one and the window has it."""
        for name in self._steps[self._index].targets:
            found = self._window.findChild(QWidget, name)
            if found is not None and found.isVisible():
                return found
        return None

    def _show_step(self, index: int) -> None:
        self._index = index
        step = self._steps[index]
        last = index == len(self._steps) - 1
        self.counter.setText(f"Step {index + 1} of {len(self._steps)}")
        self.title.setText(step.title)
        self.text.setText(step.text.format_map(_Missing(self._shortcuts)))
        self.back_button.setEnabled(index > 0)
        self.skip_button.setVisible(not last)  # "Done" says it all on the last step
        self.next_button.setText("Done" if last else "Next →")
        self.next_button.setAccessibleName("Finish the tour" if last else "Next step")
        # A screen reader announces the focused button with its description: the whole step.
        self.next_button.setAccessibleDescription(f"{step.title}. {self.text.text()}")
        self._place()
        self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.step_shown.emit(index)

    def _place(self) -> None:
        """Light the pane and put the callout beside it (right, left, below, above, middle)."""
        target = self.highlighted()
        area = self.rect()
        if target is None:
            self._lit = None
        else:
            top_left = target.mapTo(self._window, QPoint(0, 0))
            self._lit = QRect(top_left, target.size()).adjusted(-3, -3, 3, 3) & area
        width = _CALLOUT_WIDTH if self._lit is not None else _WIDE_CALLOUT_WIDTH
        width = min(width, area.width() - 2 * _MARGIN)
        self.callout.setFixedWidth(width)
        layout = self._callout_layout
        height = layout.heightForWidth(width) if layout.hasHeightForWidth() else -1
        height = max(height, self.callout.sizeHint().height())
        self.callout.setFixedHeight(height)
        self.callout.move(self._callout_position(width, height, area))
        self.update()

    def _callout_position(self, width: int, height: int, area: QRect) -> QPoint:
        lit = self._lit
        if lit is None:
            return area.center() - QPoint(width // 2, height // 2)
        top = max(area.top() + _MARGIN, min(lit.top(), area.bottom() - height - _MARGIN))
        left = max(area.left() + _MARGIN, min(lit.left(), area.right() - width - _MARGIN))
        if lit.right() + _MARGIN + width <= area.right():
            return QPoint(lit.right() + _MARGIN, top)
        if lit.left() - _MARGIN - width >= area.left():
            return QPoint(lit.left() - _MARGIN - width, top)
        if lit.bottom() + _MARGIN + height <= area.bottom():
            return QPoint(left, lit.bottom() + _MARGIN)
        if lit.top() - _MARGIN - height >= area.top():
            return QPoint(left, lit.top() - _MARGIN - height)
        return area.center() - QPoint(width // 2, height // 2)  # a huge pane: over its middle

    def _end(self, *, completed: bool) -> None:
        self._window.removeEventFilter(self)
        self.hide()
        if self._focus_before is not None:
            self._focus_before.setFocus(Qt.FocusReason.OtherFocusReason)
        self.finished.emit(completed)
        self.close()

    # ------------------------------------------------------------------ events
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._window.rect())
            self._place()
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # from a callout button, which leaves Esc alone
            self.skip()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:
        event.accept()  # the dimmed window is not for clicking while the tour runs

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        veil = QPainterPath()
        veil.addRect(QRectF(self.rect()))
        if self._lit is not None:
            hole = QPainterPath()
            hole.addRoundedRect(QRectF(self._lit), 6, 6)
            veil = veil.subtracted(hole)
        painter.fillPath(veil, _VEIL)
        if self._lit is not None:
            pen = QPen(self.palette().color(self.palette().ColorRole.Highlight), 3)
            painter.setPen(pen)
            painter.drawRoundedRect(QRectF(self._lit).adjusted(1.5, 1.5, -1.5, -1.5), 6, 6)


class _Missing(dict[str, str]):
    """str.format_map that leaves an unknown {name} as written instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
