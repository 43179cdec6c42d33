"""The handoff editor: one input per field of the team's template, built in code, linted as the
rep types, with each finding shown right under its field (DESIGN.md §5).

Lint is pure Python and fast, so it runs on the GUI thread, 300 ms after the last keystroke.
Blocking findings keep the note from being submitted; warnings need "I've read the warnings".
Findings the server sent back (a rejected submit) show until the rep changes the note.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from deskapp.domain.enums import Mood, RiskLevel
from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_lint import Finding, Severity, lint
from deskapp.domain.handoff_template import FieldSpec, HandoffTemplate
from deskapp.gui.canned_picker import install_canned_picker
from deskapp.gui.handoff.findings_view import FindingsLabel
from deskapp.gui.handoff.inputs import ActionRows, Choice, LineInput, PlainTextInput, PromiseRows
from deskapp.gui.panes.plain import plain_label

LINT_DELAY_MS = 300
GENERAL = "__general__"  # findings about no field of this template
RISK_OPTIONS = [(RiskLevel.STABLE, "Stable"), (RiskLevel.WATCH, "Watch"),
                (RiskLevel.AT_RISK, "At risk")]  # fmt: skip
MOOD_OPTIONS = [(Mood.CALM, "Calm"), (Mood.NEUTRAL, "Neutral"),
                (Mood.FRUSTRATED, "Frustrated"), (Mood.ANGRY, "Angry")]  # fmt: skip
_TEXT_FIELDS = ("summary", "done", "contingencies", "contact_preference")

Clock = Callable[[], datetime]


def _zone(name: str | None) -> tuple[tzinfo | None, str]:
    if name:
        try:
            return ZoneInfo(name), f"customer's time, {name}"
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return None, "your time"


class HandoffEditor(QWidget):
    content_changed = Signal()
    findings_changed = Signal()
    submittable_changed = Signal(bool)

    def __init__(
        self,
        template: HandoffTemplate,
        *,
        customer_zone: str | None = None,
        previous: NoteContent | None = None,
        clock: Clock = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handoffNoteEditor")
        self.setAccessibleName("Handoff note editor")
        self.template = template
        self._previous = previous
        self._clock = clock
        self._zone, self._zone_label = _zone(customer_zone)
        # Canned responses' placeholder values: the dialog gives the case's.
        self._placeholder_values: Callable[[], Mapping[str, str]] = dict
        self._local: list[Finding] = []
        self._server: list[Finding] = []
        self._acked: set[tuple[str, str, str]] = set()
        self._submittable = False
        self._loading = False
        self.inputs: dict[str, QWidget] = {}
        self.findings_labels: dict[str, FindingsLabel] = {}
        self._lint_timer = QTimer(self)
        self._lint_timer.setSingleShot(True)
        self._lint_timer.setInterval(LINT_DELAY_MS)
        self._build()
        self._connect_signals()
        self.lint_now()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        form = QWidget(self)
        form.setObjectName("handoffFields")
        fields = QVBoxLayout(form)
        fields.setSpacing(10)
        for spec in self.template.fields:
            fields.addWidget(self._field_box(spec, form))
        fields.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, not their frame
        scroll.setWidget(form)
        self.general_findings = FindingsLabel("handoffGeneralFindings", self)
        self.acknowledge = QCheckBox("I've read the warnings and want to hand off anyway", self)
        self.acknowledge.setObjectName("handoffAcknowledgeWarnings")
        self.acknowledge.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_findings)
        layout.addWidget(self.acknowledge)
        self.findings_labels[GENERAL] = self.general_findings

    def _field_box(self, spec: FieldSpec, parent: QWidget) -> QWidget:
        box = QWidget(parent)
        box.setObjectName(f"field_{spec.key}")
        title = QLabel(spec.label + ("" if spec.required else "  (optional)"), box)
        title.setTextFormat(Qt.TextFormat.PlainText)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        help_text = plain_label(spec.help, box, name=f"help_{spec.key}", wrap=True,
                                selectable=False)  # fmt: skip
        help_text.setStyleSheet("QLabel { color: palette(placeholder-text); }")
        field_input = self._input_for(spec, box)
        field_input.setAccessibleName(spec.label)
        field_input.setAccessibleDescription(spec.help)
        title.setBuddy(field_input)
        findings = FindingsLabel(f"findings_{spec.key}", box)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(title)
        if spec.help:
            layout.addWidget(help_text)
        else:
            help_text.hide()
        layout.addWidget(field_input)
        layout.addWidget(findings)
        self.inputs[spec.key] = field_input
        self.findings_labels[spec.key] = findings
        return box

    def _input_for(self, spec: FieldSpec, parent: QWidget) -> QWidget:
        name = f"input_{spec.key}"
        if spec.kind == "risk":
            return Choice(RISK_OPTIONS, name, parent)
        if spec.kind == "mood":
            return Choice(MOOD_OPTIONS, name, parent)
        if spec.kind == "actions":
            rows = ActionRows(name, parent)
            rows.add_row()  # one empty row: the rep sees at once what is asked
            return rows
        if spec.kind == "commitments":
            return PromiseRows(name, self._zone, self._zone_label, parent)
        if spec.kind == "line":
            return LineInput(name, parent)
        text = PlainTextInput(name, parent)
        install_canned_picker(text, lambda: self._placeholder_values())
        return text

    def set_placeholder_values(self, values: Callable[[], Mapping[str, str]]) -> None:
        """Where canned responses inserted here get the case's values (asked at insertion)."""
        self._placeholder_values = values

    def _connect_signals(self) -> None:
        for field_input in self.inputs.values():
            field_input.changed.connect(self._on_input_changed)  # type: ignore[attr-defined]
        self._lint_timer.timeout.connect(self.lint_now)
        self.acknowledge.toggled.connect(self._on_acknowledge_toggled)

    # ------------------------------------------------------------------ the note
    def content(self) -> NoteContent:
        values: dict[str, object] = {}
        extra: dict[str, str] = {}
        for key, field_input in self.inputs.items():
            if isinstance(field_input, PromiseRows):
                values["commitments"] = field_input.value()
                values["no_commitments"] = field_input.nothing_promised.isChecked()
            elif key in ("risk", "mood", "next_actions") or key in _TEXT_FIELDS:
                values[key] = field_input.value()  # type: ignore[attr-defined]
            else:  # a team's own field
                extra[key] = field_input.value()  # type: ignore[attr-defined]
        return NoteContent(extra=extra, **values)  # type: ignore[arg-type]

    def set_content(self, note: NoteContent) -> None:
        """Fill every field from ``note`` (a restored draft)."""
        self._loading = True
        try:
            for key, field_input in self.inputs.items():
                if isinstance(field_input, PromiseRows):
                    field_input.set_value(note.commitments, note.no_commitments)
                elif key in ("risk", "mood", "next_actions") or key in _TEXT_FIELDS:
                    field_input.set_value(getattr(note, key))  # type: ignore[attr-defined]
                else:
                    field_input.set_value(note.extra.get(key, ""))  # type: ignore[attr-defined]
        finally:
            self._loading = False
        self._on_input_changed()
        self.lint_now()

    # ------------------------------------------------------------------ findings
    @Slot()
    def _on_input_changed(self) -> None:
        if self._loading:
            return
        self._server = []  # what the server said was about the text before this change
        self._lint_timer.start()
        self.content_changed.emit()

    @Slot()
    def lint_now(self) -> None:
        self._lint_timer.stop()
        self._local = lint(self.content(), now=self._clock(), previous=self._previous,
                           template=self.template)  # fmt: skip
        self._show()

    def show_server_findings(self, findings: Sequence[Finding]) -> None:
        """What the server found when it refused the note: shown until the next change."""
        self._server = list(findings)
        self._show()

    def findings(self) -> list[Finding]:
        seen: set[tuple[str, str, str]] = set()
        merged = []
        for finding in [*self._local, *self._server]:
            identity = (finding.field, finding.rule, finding.message)
            if identity not in seen:
                seen.add(identity)
                merged.append(finding)
        return merged

    def warnings(self) -> list[Finding]:
        return [f for f in self.findings() if f.severity is Severity.WARN]

    def blocked(self) -> bool:
        return any(f.severity is Severity.BLOCK for f in self.findings())

    def warnings_accepted(self) -> bool:
        return self.acknowledge.isChecked() and bool(self.warnings())

    def can_submit(self) -> bool:
        return not self.blocked() and (not self.warnings() or self.acknowledge.isChecked())

    def _show(self) -> None:
        findings = self.findings()
        by_field: dict[str, list[Finding]] = {key: [] for key in self.findings_labels}
        for finding in findings:
            by_field.get(finding.field, by_field[GENERAL]).append(finding)
        for key, label in self.findings_labels.items():
            label.show_findings(by_field[key])
        warnings = {(f.field, f.rule, f.message) for f in self.warnings()}
        if not warnings <= self._acked:  # a new warning: read it before submitting
            self.acknowledge.setChecked(False)
        self.acknowledge.setVisible(bool(warnings))
        self.findings_changed.emit()
        self._update_submittable()

    @Slot(bool)
    def _on_acknowledge_toggled(self, checked: bool) -> None:
        self._acked = {(f.field, f.rule, f.message) for f in self.warnings()} if checked else set()
        self._update_submittable()

    def _update_submittable(self) -> None:
        submittable = self.can_submit()
        if submittable != self._submittable:
            self._submittable = submittable
            self.submittable_changed.emit(submittable)

    def first_problem_field(self) -> QWidget | None:
        """The input of the first field with a blocking finding, to put the cursor there."""
        blocking = {f.field for f in self.findings() if f.severity is Severity.BLOCK}
        return next((w for k, w in self.inputs.items() if k in blocking), None)
