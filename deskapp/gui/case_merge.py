"""Merging by hand after a stale header edit: for each field, the value a colleague saved next to
an editor holding the rep's own (their typed category and outcome included), so the rep builds
the result field by field and nothing of theirs is lost on the way.

"Back" returns to the keep / take / merge choice (gui/case_editing.py): the rep's change is still
there. The merged change is checked against the version the colleague saved, like any edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.case_lifecycle import OUTCOME_MAX_CHARS, RESOLUTION_CODES
from deskapp.domain.enums import CaseStatus, Mood, Priority
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes.plain import plain_label, preview_line
from deskapp.services.cases import CATEGORY_MAX_CHARS, CaseChange, CaseEditConflict

_BOLD = "font-weight: bold;"


class MergeDialog(QDialog):
    def __init__(self, conflict: CaseEditConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseMergeDialog")
        self.setWindowTitle("Merge your change by hand")
        self.setAccessibleName("Merge your change by hand")
        self.conflict = conflict
        now, mine = conflict.current, conflict.wanted
        who = conflict.changed_by or "Someone else"
        intro = plain_label(
            f"Each field starts with your value; {who}'s is next to it. Set each one the way "
            f"{now.key} should be, then save.", self, name="mergeIntro", wrap=True,
        )  # fmt: skip
        self.status = self._combo("mergeStatus", "Status",
                                  [(fmt.STATUS_LABELS[s], s) for s in
                                   (now.status, *now.next_statuses)],
                                  mine.status or now.status)  # fmt: skip
        self.priority = self._combo("mergePriority", "Priority",
                                    [(fmt.PRIORITY_LABELS[p], p) for p in Priority],
                                    mine.priority or now.priority)  # fmt: skip
        self.mood = self._combo("mergeMood", "Customer mood",
                                [(fmt.MOOD_LABELS[m], m) for m in Mood],
                                mine.mood or now.mood)  # fmt: skip
        self.category = self._line("mergeCategory", "Category", CATEGORY_MAX_CHARS,
                                   mine.category if mine.category is not None
                                   else now.category or "")  # fmt: skip
        self.code = self._combo("mergeResolutionCode", "Resolution code",
                                [("Choose…", ""), *((label, key) for key, label in
                                                    RESOLUTION_CODES.items())],
                                mine.resolution_code or now.resolution_code or "")  # fmt: skip
        self.outcome = self._line("mergeOutcome", "Outcome in one line", OUTCOME_MAX_CHARS,
                                  mine.outcome if mine.outcome is not None
                                  else now.resolution_outcome or "")  # fmt: skip
        theirs = {"status": fmt.STATUS_LABELS[now.status],
                  "priority": fmt.PRIORITY_LABELS[now.priority],
                  "mood": fmt.MOOD_LABELS[now.mood], "category": now.category or "—",
                  "code": RESOLUTION_CODES.get(now.resolution_code or "", "—"),
                  "outcome": preview_line(now.resolution_outcome or "", 120) or "—"}  # fmt: skip
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        for column, heading in enumerate(("", f"Now ({who})", "The case keeps")):
            label = plain_label(heading, self, selectable=False)
            label.setStyleSheet(_BOLD)
            grid.addWidget(label, 0, column)
        self._resolution_rows: list[QWidget] = []
        rows = (
            ("&Status", "status", self.status),
            ("&Priority", "priority", self.priority),
            ("M&ood", "mood", self.mood),
            ("Cate&gory", "category", self.category),
            ("&Resolution", "code", self.code),
            ("O&utcome", "outcome", self.outcome),
        )
        for row, (words, name, editor) in enumerate(rows, start=1):
            label = QLabel(words, self)
            label.setBuddy(editor)
            other = plain_label(theirs[name], self, name=f"mergeTheirs_{name}")
            yours = editor.text() if isinstance(editor, QLineEdit) else ""
            if isinstance(editor, QComboBox):
                yours = editor.currentText()
            if (yours or "—") != theirs[name]:  # the two sides differ here: look twice
                other.setStyleSheet("QLabel { font-weight: bold; color: #8c1d18; }")
            grid.addWidget(label, row, 0)
            grid.addWidget(other, row, 1)
            grid.addWidget(editor, row, 2)
            if name in ("code", "outcome"):
                self._resolution_rows += [label, other, editor]
        grid.setColumnStretch(2, 1)
        self.problem = plain_label("", self, name="mergeProblem", wrap=True)
        self.problem.setStyleSheet("QLabel { color: #b3261e; }")
        self.problem.hide()
        self.buttons = QDialogButtonBox(self)
        self.save = self.buttons.addButton("Sa&ve merged", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save.setObjectName("saveMerged")
        self.back = self.buttons.addButton("&Back", QDialogButtonBox.ButtonRole.RejectRole)
        self.back.setObjectName("backToChoice")
        self.back.setToolTip("Back to keep mine / take theirs; your change is still there")
        self.save.setDefault(True)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addStretch(1)  # a taller window keeps the rows together
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.status.currentIndexChanged.connect(self._show_resolution)
        self._show_resolution()
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(620, self.sizeHint().height())

    def _combo(self, name: str, spoken: str, choices: list[tuple[str, object]],
               chosen: object) -> QComboBox:  # fmt: skip
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(spoken)
        for text, value in choices:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        return combo

    def _line(self, name: str, spoken: str, most: int, text: str) -> QLineEdit:
        line = QLineEdit(text, self)
        line.setObjectName(name)
        line.setAccessibleName(spoken)
        line.setMaxLength(most)
        return line

    def _resolving(self) -> bool:
        return CaseStatus(self.status.currentData()) is CaseStatus.RESOLVED

    def _show_resolution(self) -> None:
        for widget in self._resolution_rows:
            widget.setVisible(self._resolving())

    def _check(self) -> None:
        if self._resolving() and not self.code.currentData():
            self._say("Resolving needs a resolution code.")
            self.code.setFocus()
        elif self._resolving() and not self.outcome.text().strip():
            self._say("Resolving needs the outcome in one line.")
            self.outcome.setFocus()
        else:
            self.accept()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def merged_change(self) -> CaseChange | None:
        """What must change on the case as it is now to reach the merged values (None:
        nothing, the colleague's values are the merge)."""
        now = self.conflict.current
        status = CaseStatus(self.status.currentData())
        priority = Priority(self.priority.currentData())
        mood = Mood(self.mood.currentData())
        category = " ".join(self.category.text().split())
        moves = status is not now.status
        code: str | None = None
        outcome: str | None = None
        if status is CaseStatus.RESOLVED:
            chosen_code, line = str(self.code.currentData()), self.outcome.text().strip()
            code = chosen_code if moves or chosen_code != now.resolution_code else None
            outcome = line if moves or line != (now.resolution_outcome or "") else None
        change = CaseChange(
            now.version,
            status=status if moves else None,
            priority=priority if priority is not now.priority else None,
            category=category if category != (now.category or "") else None,
            mood=mood if mood is not now.mood else None,
            resolution_code=code,
            outcome=outcome,
            reason=self.conflict.wanted.reason,
        )
        untouched = CaseChange(now.version, reason=change.reason, request_id=change.request_id)
        return None if change == untouched else change
