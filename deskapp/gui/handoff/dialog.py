"""Hand a case over: choose what happens and to whom, write the note, submit.

The note autosaves to a local draft (and a server draft) while it is written; closing the
dialog keeps the draft, and opening it again for the same case brings the text back. A refused
submit never loses text: the server's findings show on their fields, a stale case is explained
and the note stays as it was.

Leads and admins may hand over **unbriefed** when the owner is away (DESIGN.md §5): with a
reason, the empty-field findings no longer block, while what is written is still checked (a card
number or a password still stops the note, here and in the service). The receiver sees the
handoff flagged and briefs themself from the history.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.enums import HandoffKind, Role
from deskapp.domain.errors import DeskappError, StaleEdit
from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_lint import Finding, Severity, lint
from deskapp.domain.handoff_template import HandoffTemplate
from deskapp.drafts import DraftKey, DraftStore, LocalDraft, workspace_identity
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.handoff import service_calls
from deskapp.gui.handoff.autosave import DraftAutosave
from deskapp.gui.handoff.editor import HandoffEditor
from deskapp.gui.handoff.receivers import ReceiverChooser
from deskapp.gui.panes.plain import plain_label
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import canned, history, teams, users
from deskapp.services.handoff_templates import default_template
from deskapp.services.history import CaseDetail
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace
from deskapp.settings import DRAFT_AUTOSAVE_SECONDS

ERROR_STYLE = "QLabel { color: #8c1d18; font-weight: bold; }"
INFO_STYLE = "QLabel { color: palette(text); }"


def draft_key(ws: Workspace, actor: Actor, case_id: uuid.UUID) -> DraftKey:
    return DraftKey(workspace_identity(ws.url), case_id, str(actor.user_id or actor.login))


class HandoffDialog(QDialog):
    handed_off = Signal(object)  # the service's HandoffOutcome

    def __init__(
        self,
        runner: TaskRunner,
        ws: Workspace,
        actor: Actor,
        case: CaseDetail,
        *,
        store: DraftStore | None = None,
        autosave_seconds: int = DRAFT_AUTOSAVE_SECONDS.default,
        template: HandoffTemplate | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("handoffDialog")
        self.setWindowTitle(f"Hand off {case.key}")
        self.setAccessibleName("Hand off a case")
        self._runner, self._ws, self._actor, self._case = runner, ws, actor, case
        self._expected_version = case.version
        self._request_id = uuid.uuid4()  # one per dialog: a retried submit cannot hand off twice
        self._submitting = False
        self._draft_choice: dict[str, object] = {}
        self._team_template_wanted = template is None  # else a caller (a test) chose one
        self.heading = plain_label(f"{case.key}  {case.subject}", self, name="handoffCase",
                                   wrap=True, selectable=False)  # fmt: skip
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.chooser = ReceiverChooser(case.team, actor.user_id, self)
        self.unbriefed, self.unbriefed_reason = self._unbriefed_inputs(actor)
        self.restored = plain_label("", self, name="handoffRestored", wrap=True)
        self.restored.setStyleSheet(
            "QLabel { background: #e8f0fe; color: #0b2a5c; border-left: 4px solid #1a73e8;"
            " padding: 4px 6px; }"
        )
        self.restored.hide()
        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        self.editor = HandoffEditor(template or default_template(),
                                    customer_zone=case.customer.time_zone, parent=self)  # fmt: skip
        self.status = plain_label("", self, name="handoffStatus", wrap=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        name_standard_buttons(self.buttons)
        self.submit_button.setText("&Hand off")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close (keep draft)")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.chooser)
        if self.unbriefed is not None and self.unbriefed_reason is not None:
            layout.addWidget(self.unbriefed)
            layout.addWidget(self.unbriefed_reason)
        layout.addWidget(self.restored)
        layout.addWidget(line)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(760, 860)
        self.store = store or DraftStore()
        self._autosave_seconds = autosave_seconds
        self.autosave = self._make_autosave(draft_key(ws, actor, case.id))
        self._connect_signals()
        self._connect_editor()
        self._restore_draft()
        self._update_submit()
        runner.read(lambda: (teams.list_teams(ws), users.list_users(ws)), self._show_directory,
                    owner=self)  # fmt: skip

    def _unbriefed_inputs(self, actor: Actor) -> tuple[QCheckBox | None, QLineEdit | None]:
        """Only leads and admins may hand over without a briefing: nobody else sees it."""
        if actor.role.rank < Role.LEAD.rank:
            return None, None
        box = QCheckBox("Hand over &unbriefed (the owner is away)", self)
        box.setObjectName("handoffUnbriefed")
        box.setToolTip(
            "The receiver sees the handoff flagged and briefs themself from the "
            "history. Empty fields may stay empty; what you write is still checked."
        )
        reason = QLineEdit(self)
        reason.setObjectName("handoffUnbriefedReason")
        reason.setAccessibleName("Why the handoff is unbriefed")
        reason.setPlaceholderText("Why, for the receiver: for example “Sam is off sick today”")
        reason.setMaxLength(200)
        reason.hide()
        return box, reason

    @property
    def submit_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _make_autosave(self, key: DraftKey) -> DraftAutosave:
        return DraftAutosave(
            self.editor, self.store, key, seconds=self._autosave_seconds, case_key=self._case.key,
            extra=self.chooser.as_draft,
            save_on_server=self._save_on_server if self._ws.is_server else None, parent=self,
        )  # fmt: skip

    def _connect_signals(self) -> None:
        self.chooser.changed.connect(self._update_submit)
        self.chooser.changed.connect(self._on_receiver_changed)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        if self.unbriefed is not None and self.unbriefed_reason is not None:
            self.unbriefed.toggled.connect(self._on_unbriefed_toggled)
            self.unbriefed_reason.textChanged.connect(self._update_submit)

    def _connect_editor(self) -> None:
        """The editor and its autosave: connected again when a team template replaces them."""
        self.editor.findings_changed.connect(self._soften_for_unbriefed)
        self.editor.findings_changed.connect(self._update_submit)
        self.editor.submittable_changed.connect(self._update_submit)
        self.autosave.save_failed.connect(self._show_error)
        self.editor.set_placeholder_values(lambda: canned.placeholder_values(
            self._case, self._actor.display_name, datetime.now(UTC)))  # fmt: skip

    @Slot()
    def _on_receiver_changed(self) -> None:
        self.autosave.mark_changed()  # the chosen receiver is part of the draft

    # ------------------------------------------------------------------ drafts
    def _restore_draft(self) -> None:
        draft = self.autosave.restore()
        if draft is not None:
            self._say_restored(draft)
            self._draft_choice = dict(draft.extra)
        elif self._ws.is_server:
            ws, actor, case_id = self._ws, self._actor, self._case.id
            self._runner.read(lambda: service_calls.load_server_draft(ws, actor, case_id),
                              self._use_server_draft, lambda _exc: None, owner=self)  # fmt: skip

    def _say_restored(self, draft: LocalDraft) -> None:
        when = draft.saved_at.astimezone().strftime("%a %d %b %H:%M")
        self.restored.setText(f"Your unsent note from {when} is back. Check it, then hand off.")
        self.restored.show()

    def _use_server_draft(self, content: NoteContent | None) -> None:
        if content is not None and self.editor.content() == NoteContent():
            self.editor.set_content(content)
            self.restored.setText("Your draft saved on the server is back.")
            self.restored.show()

    def _save_on_server(self, content: NoteContent) -> None:
        ws, actor, case_id = self._ws, self._actor, self._case.id
        self._runner.write(
            lambda: service_calls.save_server_draft(ws, actor, case_id, content),
            lambda _none: None,
            lambda exc: self._show_info(
                "Draft saved on this computer (not on the server: "
                f"{exc if isinstance(exc, DeskappError) else type(exc).__name__})."
            ),
            owner=self,
        )

    def _show_directory(self, directory) -> None:
        team_list, people = directory
        self.chooser.set_directory(team_list, people)
        if self._team_template_wanted:
            ws, team_id = self._ws, self.chooser.case_team_id()
            self._runner.read(lambda: service_calls.template_for(ws, team_id), self._use_template,
                              owner=self)  # fmt: skip
        choice = self._draft_choice
        if choice.get("kind") in {k.value for k in HandoffKind}:
            self.chooser.choose(HandoffKind(str(choice["kind"])),
                                  _text_or_none(choice.get("team")),
                                  _text_or_none(choice.get("person")))  # fmt: skip

    def _use_template(self, template: HandoffTemplate) -> None:
        # The team's template differs from the default only when a lead changed it; rebuilding
        # the editor then keeps what was typed in the fields both templates share.
        if template == self.editor.template:
            return
        content = self.editor.content()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        replacement = HandoffEditor(template, customer_zone=self._case.customer.time_zone,
                                    parent=self)  # fmt: skip
        layout.replaceWidget(self.editor, replacement)
        self.editor.deleteLater()
        self.editor = replacement
        self.editor.set_content(content)
        old = self.autosave
        self.autosave = self._make_autosave(old.key)
        old.deleteLater()
        self._connect_editor()
        self._update_submit()

    # ------------------------------------------------------------------ unbriefed
    def is_unbriefed(self) -> bool:
        return self.unbriefed is not None and self.unbriefed.isChecked()

    def _reason(self) -> str | None:
        if not self.is_unbriefed() or self.unbriefed_reason is None:
            return None
        return self.unbriefed_reason.text().strip()

    def _missing_rules(self) -> set[str]:
        """The rules an empty note breaks: what nobody can write when the owner is away (the
        service waives the same set)."""
        empty = lint(NoteContent(), now=datetime.now(UTC), template=self.editor.template)
        return {f.rule for f in empty}

    def _counted_findings(self) -> list[Finding]:
        findings = self.editor.findings()
        if not self.is_unbriefed():
            return findings
        missing = self._missing_rules()
        return [f for f in findings if f.rule not in missing]

    def _note_ready(self) -> bool:
        findings = self._counted_findings()
        if any(f.severity is Severity.BLOCK for f in findings):
            return False
        warned = any(f.severity is Severity.WARN for f in findings)
        return not warned or self.editor.acknowledge.isChecked()

    @Slot(bool)
    def _on_unbriefed_toggled(self, checked: bool) -> None:
        if self.unbriefed_reason is not None:
            self.unbriefed_reason.setVisible(checked)
            if checked:
                self.unbriefed_reason.setFocus()
        self.editor.lint_now()  # shows every finding again, then softens them if unbriefed

    @Slot()
    def _soften_for_unbriefed(self) -> None:
        """Unbriefed: an empty field is expected, so its "Must fix" would only mislead."""
        if not self.is_unbriefed():
            return
        missing = self._missing_rules()
        for label in self.editor.findings_labels.values():
            label.show_findings([f for f in label.findings if f.rule not in missing])
        warned = any(f.severity is Severity.WARN for f in self._counted_findings())
        self.editor.acknowledge.setVisible(warned)

    # ------------------------------------------------------------------ submitting
    def _problem(self) -> str | None:
        """Why the note cannot go yet, for the person; None when it can."""
        blocking = [f for f in self._counted_findings() if f.severity is Severity.BLOCK]
        if blocking:
            count = len(blocking)
            return (f"{count} thing{'s' if count > 1 else ''} to fix before you can hand off "
                    "(marked “Must fix”).")  # fmt: skip
        if not self._note_ready():
            return "Read the warnings, then tick “I've read the warnings”."
        if self.is_unbriefed() and not self._reason():
            return "Say why the handoff is unbriefed (for example “Sam is off sick today”)."
        return self.chooser.receiver().problem

    @Slot()
    def _update_submit(self) -> None:
        problem = self._problem()
        self.submit_button.setEnabled(not self._submitting and problem is None)
        if self._submitting:
            return
        if problem:
            self._show_info(problem)
        elif self.is_unbriefed():
            self._show_info("Ready to hand off unbriefed: the receiver will see it flagged.")
        else:
            self._show_info("Ready to hand off.")

    @Slot()
    def submit(self) -> None:
        self.editor.lint_now()
        receiver = self.chooser.receiver()
        if self._submitting or self._problem() is not None:
            self._update_submit()
            focus = self.editor.first_problem_field()
            if focus is not None:
                focus.setFocus()
            return
        self.autosave.stop()  # the draft on disk is exactly what is being submitted
        self._submitting = True
        self._update_submit()
        self._show_info("Handing off…")
        ws, actor, case_id = self._ws, self._actor, self._case.id
        content, reason = self.editor.content(), self._reason()
        accept = self.editor.acknowledge.isChecked() and any(
            f.severity is Severity.WARN for f in self._counted_findings()
        )
        version, request_id = self._expected_version, self._request_id
        self._runner.write(
            lambda: service_calls.submit_handoff(
                ws, actor, case_id=case_id, kind=receiver.kind, to_user_id=receiver.to_user_id,
                to_team_id=receiver.to_team_id, content=content, expected_version=version,
                accept_warnings=accept, request_id=request_id, unbriefed_reason=reason,
            ),
            self._on_handed_off,
            self._on_submit_failed,
            owner=self,
        )  # fmt: skip

    def _on_handed_off(self, outcome: object) -> None:
        self._submitting = False
        self.autosave.discard()
        self.handed_off.emit(outcome)
        self.accept()

    def _on_submit_failed(self, exc: Exception) -> None:
        self._submitting = False
        findings = service_calls.rejected_findings(exc)
        if findings is not None:
            self.editor.show_server_findings(findings)
            self._update_submit()
            # The first line says what happened; the findings themselves sit on their fields.
            self._show_error(str(exc).splitlines()[0])
        elif isinstance(exc, StaleEdit):
            self._show_error(
                f"Not handed off: {exc} Someone changed this case while you were writing. "
                "Your note is kept as it is: check the case, then press Hand off again."
            )
            self._refresh_case_version()
        elif isinstance(exc, DeskappError):
            self._update_submit()
            self._show_error(f"Not handed off: {exc} Your note is kept as a draft.")
        else:
            self._update_submit()
            self._show_error("Not handed off: something went wrong. Your note is kept as a draft.")
            self._runner.report_error(exc, "handing off a case")

    def _refresh_case_version(self) -> None:
        ws, case_id = self._ws, self._case.id
        self._runner.read(lambda: history.case_detail(ws, case_id), self._on_case_refreshed,
                          owner=self)  # fmt: skip

    def _on_case_refreshed(self, case: CaseDetail) -> None:
        self._case = case
        self._expected_version = case.version
        self._update_submit()

    # ------------------------------------------------------------------ messages
    def _show_info(self, text: str) -> None:
        self.status.setStyleSheet(INFO_STYLE)
        self.status.setText(text)

    def _show_error(self, text: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(text)

    # ------------------------------------------------------------------ closing keeps the draft
    def reject(self) -> None:
        self.autosave.stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.autosave.stop()
        super().closeEvent(event)

    def keyPressEvent(self, event) -> None:
        # Enter in a one-line field must not submit a handoff by accident.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            return
        super().keyPressEvent(event)


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
