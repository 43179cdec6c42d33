"""The two questions a header edit may need to ask: how did the case end (resolving), and —
when a colleague saved the case meanwhile — whose values win. Both open window-modal with
``open()`` (the window keeps painting; tests answer them like a person would)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.case_lifecycle import OUTCOME_MAX_CHARS, RESOLUTION_CODES
from deskapp.domain.enums import CaseStatus, Mood, Priority
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label, preview_line
from deskapp.services.cases import CaseChange, CaseEditConflict

KEEP_MINE, TAKE_THEIRS, MERGE = 10, 11, 12  # the conflict dialog's results
FIELDS = ("status", "priority", "mood", "category", "resolution_code", "outcome")
_NAMES = {"status": "Status", "priority": "Priority", "mood": "Mood", "category": "Category",
          "resolution_code": "Resolution", "outcome": "Outcome"}  # fmt: skip


class ResolveDialog(QDialog):
    """Resolving asks for a resolution code and a one-line outcome (DESIGN.md §4)."""

    def __init__(self, case_key: str, parent: QWidget | None = None, *, code: str = "",
                 outcome: str = "", problem: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("resolveDialog")
        self.setWindowTitle(f"Resolve {case_key}")
        self.setAccessibleName(f"Resolve {case_key}")
        intro = plain_label(
            "How did it end? One line a colleague understands without opening the case.",
            self, name="resolveIntro", wrap=True,
        )  # fmt: skip
        self.code = QComboBox(self)
        self.code.setObjectName("resolutionCode")
        self.code.setAccessibleName("Resolution code")
        self.code.addItem("Choose…", "")
        for key, label in RESOLUTION_CODES.items():
            self.code.addItem(label, key)
        self.code.setCurrentIndex(max(0, self.code.findData(code)))
        self.outcome = QLineEdit(outcome, self)
        self.outcome.setObjectName("resolutionOutcome")
        self.outcome.setAccessibleName("Outcome in one line")
        self.outcome.setMaxLength(OUTCOME_MAX_CHARS)
        self.outcome.setPlaceholderText("e.g. Refunded order 88123 to the card ending 4242")
        self.problem = plain_label(problem, self, name="resolveProblem", wrap=True)
        self.problem.setStyleSheet("QLabel { color: #b3261e; }")
        self.problem.setVisible(bool(problem))
        form = QFormLayout()
        form.addRow("&Resolution:", self.code)
        form.addRow("&Outcome:", self.outcome)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        name_standard_buttons(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Resolve")
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())

    def _check(self) -> None:
        if not self.code.currentData():
            self.show_problem("Choose a resolution code.")
            self.code.setFocus()
        elif not self.outcome.text().strip():
            self.show_problem("Write the outcome in one line.")
            self.outcome.setFocus()
        else:
            self.accept()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def values(self) -> tuple[str, str]:
        return self.code.currentData(), self.outcome.text()


def _value_text(name: str, value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, CaseStatus):
        return fmt.STATUS_LABELS[value]
    if isinstance(value, Priority):
        return fmt.PRIORITY_LABELS[value]
    if isinstance(value, Mood):
        return fmt.MOOD_LABELS[value]
    if name == "resolution_code":
        return RESOLUTION_CODES.get(str(value), str(value))
    return preview_line(str(value), 120) or "(none)"


class ConflictDialog(QDialog):
    """A colleague saved the case while the rep was editing: what the rep saw, what the rep
    wants and what the case is now, side by side; the rep keeps theirs, takes the other's, or
    merges value by value (gui/case_merge.py)."""

    def __init__(self, conflict: CaseEditConflict, seen: dict[str, object],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("caseConflictDialog")
        self.setWindowTitle("Someone else changed this case")
        self.setAccessibleName("Someone else changed this case")
        current, wanted = conflict.current, conflict.wanted
        who = conflict.changed_by or "Someone else"
        intro = plain_label(
            f"{who} saved {current.key} while you were editing it. Nothing is lost: choose "
            "whose values the case keeps.", self, name="conflictIntro", wrap=True,
        )  # fmt: skip
        now = {"status": current.status, "priority": current.priority, "mood": current.mood,
               "category": current.category, "resolution_code": current.resolution_code,
               "outcome": current.resolution_outcome}  # fmt: skip
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        for column, text in enumerate(("", "You saw", "You want", f"Now ({who})")):
            heading = plain_label(text, self, selectable=False)
            heading.setStyleSheet("font-weight: bold;")
            grid.addWidget(heading, 0, column)
        self.rows: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        row = 1
        for name in FIELDS:
            mine = _wanted(wanted, name)
            if mine is None and seen.get(name) == now[name]:
                continue  # neither side touched it
            cells = (
                plain_label(_value_text(name, seen.get(name)), self),
                plain_label("(unchanged)" if mine is None else _value_text(name, mine), self,
                            name=f"conflictMine_{name}"),
                plain_label(_value_text(name, now[name]), self, name=f"conflictNow_{name}"),
            )  # fmt: skip
            differs = mine is not None and mine != now[name] and not (mine == "" and not now[name])
            grid.addWidget(plain_label(_NAMES[name], self, selectable=False), row, 0)
            for column, cell in enumerate(cells, start=1):
                if differs and column > 1:
                    cell.setStyleSheet("QLabel { font-weight: bold; color: #8c1d18; }")
                grid.addWidget(cell, row, column)
            self.rows[name] = cells
            row += 1
        self.keep = QPushButton("&Keep mine", self)
        self.keep.setObjectName("keepMine")
        self.keep.setToolTip("Apply your change on top of the case as it is now")
        self.take = QPushButton("&Take theirs", self)
        self.take.setObjectName("takeTheirs")
        self.take.setToolTip("Drop your change and show the case as it is now")
        self.merge = QPushButton("&Merge by hand…", self)
        self.merge.setObjectName("mergeByHand")
        self.merge.setToolTip("Choose each value yourself, with both sides in view")
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.keep, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.merge, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.take, QDialogButtonBox.ButtonRole.RejectRole)
        self.keep.clicked.connect(lambda: self.done(KEEP_MINE))
        self.take.clicked.connect(lambda: self.done(TAKE_THEIRS))
        self.merge.clicked.connect(lambda: self.done(MERGE))
        self.keep.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.WindowModal)

    def reject(self) -> None:
        """Esc or the close box decide nothing: the rep's change would be lost silently."""
        self.keep.setFocus()


def _wanted(change: CaseChange, name: str) -> object:
    return change.outcome if name == "outcome" else getattr(change, name)
