"""The canned-response editor: write a new response, edit one, or suggest an edit to one the
person may use but not change.

Every field is checked as the person types, by the same pure-Python rules the services apply
(domain/canned_validation.py), and what is wrong shows right under that field; Save stays off
while anything blocks. The save itself runs through the task runner. What only the database can
know (a shortcut another response already uses) comes back as a CannedInvalid and lands under
its field too. If someone else saved the response first, the person's text stays in the editor,
their colleague's version is shown beside it, and they choose: overwrite with theirs, or take the
colleague's (their own text stays on screen to copy from). Nothing typed is ever lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.domain.canned_validation import (
    CATEGORIES,
    MAX_BODY_BYTES,
    category_value,
    check_response,
)
from deskapp.domain.enums import CannedScope
from deskapp.domain.errors import DeskappError, StaleEdit
from deskapp.domain.placeholders import resolve
from deskapp.gui.dialogs.buttons import name_standard_buttons
from deskapp.gui.handoff.findings_view import BLOCK_STYLE
from deskapp.gui.panes.plain import plain_label, plain_viewer
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import canned_library
from deskapp.services.canned import CannedInfo
from deskapp.services.canned_drafts import SCOPE_WORDS
from deskapp.services.canned_library import CannedDraft, CannedInvalid, SuggestionInfo
from deskapp.services.canned_suggestions import MAX_REASON
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

SCOPE_CHOICES = (  # the order people think in: mine, my team's, everyone's
    (CannedScope.PERSONAL, "Personal — only you"),
    (CannedScope.TEAM, "Team — your team"),
    (CannedScope.GLOBAL, "Global — everyone"),
)
FIELDS = ("scope", "title", "shortcut", "category", "tags", "body", "reason")
FIELD_WORDS = {"title": "a title", "category": "a category", "body": "the text",
               "reason": "why you suggest it"}  # fmt: skip
INFO_STYLE = "QLabel { color: palette(text); }"
STALE_STYLE = (
    "QFrame#cannedEditorStale { background: #fff4d6; border-left: 4px solid #e8a400; }"
    " QLabel { color: #5c3d00; }"
)


class EditorMode(StrEnum):
    NEW = "new"
    EDIT = "edit"
    SUGGEST = "suggest"


def sample_values(actor: Actor, now: datetime) -> dict[str, str]:
    """Made-up values for the preview: the writer sees how the text reads to a customer."""
    first = actor.display_name.split()[0] if actor.display_name.split() else "Sam"
    return {
        "customer.first_name": "Ana",
        "customer.name": "Ana Pereira",
        "case.key": "C-000123",
        "case.subject": "Parcel not delivered",
        "agent.first_name": first,
        "team.name": "Support",
        "today": f"{now.day} {now:%B %Y}",
        "customer.local_time": "14:30",
        "commitment.next_due": "Tue 3 Jun 15:00",
    }


class ProblemLabel(QLabel):
    """What is wrong with one field, right under it (hidden while nothing is)."""

    def __init__(self, name: str, field: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a message may quote what was typed
        self.setWordWrap(True)
        self.setStyleSheet(BLOCK_STYLE)
        self._field = field
        self.hide()

    def show_problems(self, messages: Sequence[str]) -> None:
        text = "\n".join(messages)
        self.setText(text)
        self.setVisible(bool(text))
        # A screen reader announces the field's problem along with the field.
        self._field.setAccessibleDescription(text)


class CannedEditor(QDialog):
    saved = Signal(object)  # the CannedInfo as written (new or edited)
    suggested = Signal(object)  # the SuggestionInfo sent to whoever decides

    def __init__(
        self,
        runner: TaskRunner,
        ws: Workspace,
        actor: Actor,
        *,
        response: CannedInfo | None = None,
        suggest: bool = False,
        known: Iterable[CannedInfo] = (),
        now: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``response``: the one to edit (or to suggest an edit to, with ``suggest``); None for
        a new one. ``known``: the responses this person sees, to warn of a taken shortcut as
        they type (the service checks again against the database)."""
        super().__init__(parent)
        if suggest and response is None:
            raise ValueError("a suggestion is made to an existing response")
        self.mode = (EditorMode.SUGGEST if suggest else EditorMode.EDIT) if response else (
            EditorMode.NEW)  # fmt: skip
        self._runner, self._ws, self._actor = runner, ws, actor
        self._response = response
        self._expected_version = response.version if response else 0
        self._request_id = uuid.uuid4()  # one per dialog: a retried save cannot write twice
        self._known = [r for r in known if response is None or r.id != response.id]
        self._samples = sample_values(actor, now or datetime.now().astimezone())
        self._touched: set[str] = set()
        self._service_problems: dict[str, list[str]] = {}
        self._saving = False
        self._done = False
        self._theirs: CannedInfo | None = None  # the version someone else saved first
        self.setObjectName("cannedEditor")
        self.setAccessibleName(self._heading_words())
        self.setWindowTitle(self._heading_words())
        self._build()
        self._fill(response)
        self._original = self.draft()
        self._connect_signals()
        self._touched = set(FIELDS) if response else set()
        self._show_preview()
        self._recheck()

    # ------------------------------------------------------------------ building
    def _heading_words(self) -> str:
        title = self._response.title if self._response else ""
        return {
            EditorMode.NEW: "New canned response",
            EditorMode.EDIT: f"Edit “{title}”",
            EditorMode.SUGGEST: f"Suggest an edit to “{title}”",
        }[self.mode]

    def _build(self) -> None:
        self.intro = plain_label(self._intro_text(), self, name="cannedEditorIntro", wrap=True,
                                 selectable=False)  # fmt: skip
        self.scope = QComboBox(self)
        self.scope.setObjectName("cannedEditorScope")
        self.scope.setAccessibleName("Who the response is for")
        self.title = self._line("cannedEditorTitle", "Title", "e.g. Parcel running late")
        self.shortcut = self._line("cannedEditorShortcut", "Shortcut",
                                   "optional: a word typed after /, e.g. late")  # fmt: skip
        self.category = QComboBox(self)
        self.category.setObjectName("cannedEditorCategory")
        self.category.setAccessibleName("Category")
        self.category.addItem("Choose a category…", "")
        for value, label in CATEGORIES:
            self.category.addItem(label, value)
        self.tags = self._line("cannedEditorTags", "Tags",
                               "optional, comma-separated: email, delay")  # fmt: skip
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("cannedEditorBody")
        self.body.setAccessibleName("Text of the response")
        self.body.setTabChangesFocus(True)  # Tab moves on; the text never needs a tab
        self.body.setPlaceholderText(
            "Hi {{customer.first_name}},\n\nPlain text. Placeholders such as {{case.key}} are "
            "filled in from the case; others are asked for when the response is used."
        )
        self.preview = plain_viewer(self, name="cannedEditorPreview")
        self.preview.setAccessibleName("Preview with sample values")
        self.preview.setTabChangesFocus(True)
        self.preview_note = plain_label("", self, name="cannedEditorPreviewNote", wrap=True,
                                        selectable=False)  # fmt: skip
        self.preview_note.setStyleSheet("QLabel { color: palette(placeholder-text); }")
        self.reason = self._line("cannedEditorReason", "Why you suggest this",
                                 "e.g. customers read “shortly” as today")  # fmt: skip
        self.reason.setMaxLength(MAX_REASON)
        self.problems = {
            field: ProblemLabel(f"cannedEditor{field.capitalize()}Problem", widget, self)
            for field, widget in self._fields().items()
        }
        self.stale = self._stale_panel()
        self.status = plain_label("", self, name="cannedEditorStatus", wrap=True,
                                  selectable=False)  # fmt: skip
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        name_standard_buttons(self.buttons)
        if self.mode is EditorMode.SUGGEST:
            self.save_button.setText("Send &suggestion")
        self._lay_out()

    def _line(self, name: str, spoken: str, hint: str) -> QLineEdit:
        line = QLineEdit(self)
        line.setObjectName(name)
        line.setAccessibleName(spoken)
        line.setPlaceholderText(hint)
        return line

    def _fields(self) -> dict[str, QWidget]:
        return {"scope": self.scope, "title": self.title, "shortcut": self.shortcut,
                "category": self.category, "tags": self.tags, "body": self.body,
                "reason": self.reason}  # fmt: skip

    def _intro_text(self) -> str:
        if self.mode is EditorMode.SUGGEST:
            return (
                "You cannot change this response yourself. Write the wording you would use and "
                "say why: whoever maintains it accepts or rejects your suggestion."
            )
        return "Responses are plain text. Placeholders in {{double braces}} are filled in from "\
            "the case in hand."  # fmt: skip

    def _lay_out(self) -> None:
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        rows = (("&For", "scope"), ("&Title", "title"), ("S&hortcut", "shortcut"),
                ("&Category", "category"), ("Ta&gs", "tags"))  # fmt: skip
        row = 0
        for words, field in rows:
            widget = self._fields()[field]
            label = QLabel(words, self)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1, 1, 2)
            grid.addWidget(self.problems[field], row + 1, 1, 1, 2)
            row += 2
        body_label = QLabel("Te&xt", self)
        body_label.setBuddy(self.body)
        preview_label = QLabel("Preview (sample values)", self)
        grid.addWidget(body_label, row, 1)
        grid.addWidget(preview_label, row, 2)
        grid.addWidget(self.body, row + 1, 1)
        grid.addWidget(self.preview, row + 1, 2)
        grid.addWidget(self.problems["body"], row + 2, 1)
        grid.addWidget(self.preview_note, row + 2, 2, Qt.AlignmentFlag.AlignTop)
        grid.setRowStretch(row + 1, 1)
        row += 3
        reason_label = QLabel("&Why", self)
        reason_label.setBuddy(self.reason)
        grid.addWidget(reason_label, row, 0)
        grid.addWidget(self.reason, row, 1, 1, 2)
        grid.addWidget(self.problems["reason"], row + 1, 1, 1, 2)
        if self.mode is not EditorMode.SUGGEST:
            reason_label.hide()
            self.reason.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(grid, 1)
        layout.addWidget(self.stale)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(860, 640)

    def _stale_panel(self) -> QFrame:
        panel = QFrame(self)
        panel.setObjectName("cannedEditorStale")
        panel.setStyleSheet(STALE_STYLE)
        self.stale_message = plain_label("", panel, name="cannedEditorStaleMessage", wrap=True,
                                         selectable=False)  # fmt: skip
        self.stale_text = plain_viewer(panel, name="cannedEditorStaleText")
        self.stale_text.setAccessibleName("The other version's text")
        self.stale_text.setTabChangesFocus(True)
        self.stale_text.setMaximumHeight(120)
        self.overwrite_button = QPushButton("&Overwrite with mine", panel)
        self.overwrite_button.setObjectName("cannedEditorOverwrite")
        self.overwrite_button.setAccessibleName("Save my text over the other version")
        self.take_theirs_button = QPushButton("Take &theirs (mine stays shown here)", panel)
        self.take_theirs_button.setObjectName("cannedEditorTakeTheirs")
        self.take_theirs_button.setAccessibleName("Load the other version into the editor")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.take_theirs_button)
        buttons.addWidget(self.overwrite_button)
        layout = QVBoxLayout(panel)
        layout.addWidget(self.stale_message)
        layout.addWidget(self.stale_text)
        layout.addLayout(buttons)
        for button in (self.overwrite_button, self.take_theirs_button):
            button.setEnabled(False)  # until the other version is on screen
        panel.hide()
        return panel

    def _fill(self, response: CannedInfo | None) -> None:
        scopes = canned_library.editable_scopes(self._actor)
        if response is not None and self.mode is EditorMode.SUGGEST:
            scopes = frozenset({response.scope})
        choices = [(s, words) for s, words in SCOPE_CHOICES if s in scopes]
        self.scope.clear()
        for scope, words in choices:
            self.scope.addItem(words, scope)
        if self.mode is EditorMode.SUGGEST:
            # A suggestion changes the wording, never who the response is for.
            self.scope.setEnabled(False)
            self.scope.setToolTip("A suggestion keeps the response's scope.")
        if response is None:
            return
        self._show_draft(response.scope, response.title, response.shortcut, response.category,
                         response.tags, response.body)  # fmt: skip

    def _show_draft(self, scope: CannedScope, title: str, shortcut: str | None, category: str,
                    tags: Sequence[str], body: str) -> None:  # fmt: skip
        if (index := self.scope.findData(scope)) >= 0:
            self.scope.setCurrentIndex(index)
        self.title.setText(title)
        self.shortcut.setText(shortcut or "")
        value = category_value(category) or category
        if self.category.findData(value) < 0:  # an old category: kept, and flagged
            self.category.addItem(category, value)
        self.category.setCurrentIndex(self.category.findData(value))
        self.tags.setText(", ".join(tags))
        self.body.setPlainText(body)

    def _connect_signals(self) -> None:
        self.scope.currentIndexChanged.connect(lambda _i: self._edited("scope"))
        self.title.textChanged.connect(lambda _t: self._edited("title"))
        self.shortcut.textChanged.connect(lambda _t: self._edited("shortcut"))
        self.category.currentIndexChanged.connect(lambda _i: self._edited("category"))
        self.tags.textChanged.connect(lambda _t: self._edited("tags"))
        self.body.textChanged.connect(lambda: self._edited("body"))
        self.reason.textChanged.connect(lambda _t: self._edited("reason"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.overwrite_button.clicked.connect(self._overwrite)
        self.take_theirs_button.clicked.connect(self._take_theirs)

    # ------------------------------------------------------------------ the draft
    @property
    def save_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def chosen_scope(self) -> CannedScope:
        # Qt hands a StrEnum back as a plain str: make it the enum the services compare with.
        data = self.scope.currentData()
        return CannedScope(data) if data else CannedScope.PERSONAL

    def draft(self) -> CannedDraft:
        scope = self.chosen_scope()
        keep_team = self._response is not None and self._response.scope is scope
        return CannedDraft(
            scope,
            self.title.text(),
            self.shortcut.text(),
            self.category.currentData() or "",
            tuple(self.tags.text().split(",")),
            self.body.toPlainText(),
            self._response.team_id if keep_team and self._response else None,
        )

    def field_problems(self) -> dict[str, list[str]]:
        """What blocks saving, by field: the rules, a shortcut already taken among the
        responses this person sees, and what the service said about fields not changed since."""
        draft = self.draft().cleaned()
        found: dict[str, list[str]] = {}
        for problem in check_response(draft.title, draft.shortcut, draft.category, draft.tags,
                                      draft.body):  # fmt: skip
            found.setdefault(problem.field, []).append(problem.message)
        if draft.shortcut and "shortcut" not in found and (
            clash := self._shortcut_clash(draft.shortcut, draft.scope)):  # fmt: skip
            found["shortcut"] = [
                f"/{draft.shortcut} is already the shortcut of “{clash.title}” "
                f"({SCOPE_WORDS[clash.scope]}), which the same people see: choose another."
            ]
        if self.mode is EditorMode.SUGGEST:
            reason = " ".join(self.reason.text().split())
            if not reason:
                found["reason"] = ["Say why you suggest this change, so whoever decides knows "
                                   "what it fixes."]  # fmt: skip
        for field, messages in self._service_problems.items():
            listed = found.setdefault(field, [])
            listed.extend(m for m in messages if m not in listed)
        return found

    def _shortcut_clash(self, shortcut: str, scope: CannedScope) -> CannedInfo | None:
        """The services' rule, over the responses at hand: a shortcut must be unique among the
        responses the new one's audience also sees."""
        for other in self._known:
            if (other.shortcut or "").lower() != shortcut:
                continue
            if scope is CannedScope.PERSONAL or other.scope is CannedScope.GLOBAL:
                return other
            if other.scope is CannedScope.TEAM and (
                scope is CannedScope.GLOBAL or other.team_id == self._actor.team_id):  # fmt: skip
                return other
        return None

    def _changed(self) -> bool:
        mine = self.draft().cleaned()
        return mine != self._original.cleaned() or bool(self.reason.text().strip())

    # ------------------------------------------------------------------ as the person types
    def _edited(self, field: str) -> None:
        self._touched.add(field)
        self._service_problems.pop(field, None)  # they changed what the service objected to
        if self.status.property("error"):
            self._say("")  # the last refusal is about a text that is no longer there
        if field == "body":
            self._show_preview()
        self._recheck()

    def _recheck(self) -> None:
        found = self.field_problems()
        for field, label in self.problems.items():
            label.show_problems(found.get(field, []) if field in self._touched else [])
        waiting = [FIELD_WORDS.get(f, f) for f in FIELDS if f in found and f not in self._touched]
        if self._saving:
            self._say("Saving…")
        elif waiting:
            self._say("Still needed before you can save: " + ", ".join(waiting) + ".")
        elif not found and not self._changed() and self.mode is not EditorMode.NEW:
            self._say("Nothing changed yet.")
        elif not self.status.property("error"):
            self._say("")
        self.save_button.setEnabled(not found and not self._saving and (
            self._changed() or self.mode is EditorMode.NEW))  # fmt: skip

    def _show_preview(self) -> None:
        body = self.body.toPlainText()
        if len(body.encode("utf-8")) > MAX_BODY_BYTES:
            self.preview.setPlainText("(Too long to preview: see the message under the text.)")
            self.preview_note.setText("")
            return
        result = resolve(body, self._samples)
        self.preview.setPlainText(result.text)
        asked = [u.raw for u in result.unresolved if u.reason == "unknown"]
        self.preview_note.setText(
            "Asked for when the response is used: " + ", ".join(asked) if asked else ""
        )

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("error", error)
        self.status.setStyleSheet(BLOCK_STYLE if error and text else INFO_STYLE)

    # ------------------------------------------------------------------ saving
    @Slot()
    def save(self) -> None:
        if self._saving or not self.save_button.isEnabled():
            return
        ws, actor, draft = self._ws, self._actor, self.draft()
        request_id, version = self._request_id, self._expected_version
        self._saving = True
        self._say("")
        self._recheck()
        if self.mode is EditorMode.NEW:
            self._runner.write(
                lambda: canned_library.create_response(ws, actor, draft, response_id=request_id),
                self._on_saved, self._on_failed, owner=self)  # fmt: skip
            return
        assert self._response is not None
        response_id = self._response.id
        if self.mode is EditorMode.EDIT:
            self._runner.write(
                lambda: canned_library.update_response(ws, actor, response_id, version, draft),
                self._on_saved, self._on_failed, owner=self)  # fmt: skip
        else:
            reason = self.reason.text()
            self._runner.write(
                lambda: canned_library.suggest_edit(ws, actor, response_id, draft, reason,
                                                    suggestion_id=request_id),
                self._on_suggested, self._on_failed, owner=self)  # fmt: skip

    def _on_saved(self, response: CannedInfo) -> None:
        self._finish()
        self.saved.emit(response)

    def _on_suggested(self, suggestion: SuggestionInfo) -> None:
        self._finish()
        self.suggested.emit(suggestion)

    def _finish(self) -> None:
        self._saving = False
        self._done = True
        self.accept()

    def _on_failed(self, exc: Exception) -> None:
        self._saving = False
        if isinstance(exc, CannedInvalid):
            elsewhere = []
            for problem in exc.problems:
                if problem.field in self.problems:
                    self._service_problems.setdefault(problem.field, []).append(problem.message)
                    self._touched.add(problem.field)
                else:
                    elsewhere.append(problem.message)
            self._say(" ".join(elsewhere) or "Not saved yet: see the messages above.",
                      error=True)  # fmt: skip
        elif isinstance(exc, StaleEdit) and self.mode is EditorMode.EDIT:
            self._say("")
            self._show_stale(str(exc))
        elif isinstance(exc, DeskappError):
            self._say(f"Not saved: {exc} Your text is kept.", error=True)
        else:  # a bug: the unexpected-error handler logs it and tells the person
            self._say("Not saved because of an unexpected error. Your text is kept.", error=True)
            self._runner.report_error(exc, "saving a canned response")
        self._recheck()

    # ------------------------------------------------------------------ someone saved first
    def _show_stale(self, message: str) -> None:
        assert self._response is not None
        self.stale_message.setText(
            f"{message}\nTheir version is loading…" if message else "Their version is loading…"
        )
        self.stale_text.clear()
        self.overwrite_button.setEnabled(False)
        self.take_theirs_button.setEnabled(False)
        self.take_theirs_button.show()
        self.stale.show()
        ws, actor, response_id = self._ws, self._actor, self._response.id
        self._runner.read(lambda: _current(ws, actor, response_id), self._show_theirs,
                          self._theirs_failed, owner=self)  # fmt: skip

    def _show_theirs(self, theirs: CannedInfo | None) -> None:
        if theirs is None:
            self.stale_message.setText(
                "This response was retired or removed after you opened it, or you may no longer "
                "change it. Your text is still here: copy it, or close and write a new response."
            )
            return
        self._theirs = theirs
        changed = [words for words, mine, other in (
            ("title", self.title.text().strip(), theirs.title),
            ("shortcut", self.shortcut.text().strip().lstrip("/").lower(), theirs.shortcut or ""),
            ("category", self.category.currentData(), theirs.category),
        ) if mine != other]  # fmt: skip
        also = f" They also set the {', '.join(changed)} differently." if changed else ""
        self.stale_message.setText(
            f"Someone else saved “{theirs.title}” after you opened it. Your text is still in "
            f"the editor; theirs is below.{also} Overwrite it with yours, or take theirs "
            "(yours then stays here to copy from)."
        )
        self.stale_text.setPlainText(theirs.body)
        self.overwrite_button.setEnabled(True)
        self.take_theirs_button.setEnabled(True)

    def _theirs_failed(self, exc: Exception) -> None:
        self.stale_message.setText(f"Their version could not be loaded: {exc} Your text is kept.")
        self.overwrite_button.setEnabled(False)

    @Slot()
    def _overwrite(self) -> None:
        theirs = self._theirs
        if theirs is None:
            return
        self._expected_version = theirs.version
        self.stale.hide()
        self.save()

    @Slot()
    def _take_theirs(self) -> None:
        theirs = self._theirs
        if theirs is None:
            return
        mine = self.body.toPlainText()
        self._expected_version = theirs.version
        self._response = theirs
        self._show_draft(theirs.scope, theirs.title, theirs.shortcut, theirs.category,
                         theirs.tags, theirs.body)  # fmt: skip
        self._original = self.draft()
        self.stale_message.setText(
            "Their version is now in the editor. Your text, not saved, is below: copy what "
            "you need into the editor, then save."
        )
        self.stale_text.setPlainText(mine)
        self.stale_text.setAccessibleName("Your text, not saved")
        self.overwrite_button.setEnabled(False)
        self.take_theirs_button.hide()
        self._recheck()

    # ------------------------------------------------------------------ closing
    def reject(self) -> None:
        if not self._done and not self._saving and self._changed() and not self.confirm_discard():
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._done and not self._saving and self._changed() and not self.confirm_discard():
            event.ignore()
            return
        super().closeEvent(event)

    def confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, self.windowTitle(),
                          "Close without saving? What you typed here will be lost.",
                          QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                          self)  # fmt: skip
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Discard


def _current(ws: Workspace, actor: Actor, response_id: uuid.UUID) -> CannedInfo | None:
    """The response as saved now, if this person may still edit it (a task-runner read)."""
    return next(
        (r for r in canned_library.responses_for_editing(ws, actor) if r.id == response_id),
        None,
    )
