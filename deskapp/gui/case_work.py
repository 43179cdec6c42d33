"""Working the case in view: header edits, logging contacts, the written reply, a new case
from a call, and the customer history streaming in — each through the task runner, so the
window never waits on the database.

Case ▸ New case from call… (Ctrl+N), Case ▸ Log interaction… (Ctrl+L) and Case ▸ Reply
(Ctrl+R, to the composer) live here; the main window only creates this object.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QUrl, QUrlQuery, Slot
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from deskapp.domain.enums import Channel, Direction
from deskapp.domain.errors import DeskappError
from deskapp.gui.case_desk import CaseDesk
from deskapp.gui.case_editing import CaseEditing
from deskapp.gui.interaction_dialog import InteractionDialog
from deskapp.gui.new_case_dialog import NewCaseDialog
from deskapp.gui.panes.reply_composer import MAIL, WRITTEN
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import call_intake, canned, customer_lookup, interactions, users
from deskapp.services.call_intake import CallIntake, IntakeResult, PossibleDuplicate
from deskapp.services.history import CaseDetail, TimelineEntry
from deskapp.services.interactions import LoggedInteraction, NewInteraction
from deskapp.services.timeline import TEXT_PREVIEW_CHARS
from deskapp.services.workspace import Workspace

Notify = Callable[[str], None]
# A mailto link longer than this is refused or cut by the system (Windows stops at 32,767
# characters of a command line, Linux at 128 KiB for one argument of xdg-open).
MAIL_LINK_CHARS = 30_000


def timeline_entry(logged: LoggedInteraction) -> TimelineEntry:
    """What the timeline shows for a contact just logged, without reading it back."""
    return TimelineEntry(
        "interaction", logged.occurred_at, logged.case_key, logged.channel, logged.direction,
        logged.author, logged.body[:TEXT_PREVIEW_CHARS], id=logged.id, case_id=logged.case_id,
        duration_seconds=logged.duration_seconds, kudos_for=logged.kudos_for,
        truncated=len(logged.body) > TEXT_PREVIEW_CHARS,
    )  # fmt: skip


def mail_url(to: str | None, subject: str, body: str) -> QUrl:
    url = QUrl(f"mailto:{to or ''}")
    query = QUrlQuery()
    query.addQueryItem("subject", subject)
    query.addQueryItem("body", body)
    url.setQuery(query)
    return url


class CaseWork(QObject):
    def __init__(self, runner: TaskRunner, desk: CaseDesk, menu: QMenu, window: QWidget,
                 *, notify: Notify) -> None:  # fmt: skip
        super().__init__(window)
        self._runner = runner
        self._desk = desk
        self._window = window
        self._notify = notify
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl  # tests watch it
        self.case_pane = desk.case_pane
        self.history_pane = desk.history_pane
        self.composer = desk.case_pane.composer
        self.editing = CaseEditing(runner, self.case_pane,
                                   lambda: (desk.workspace, desk.actor), self)  # fmt: skip
        self.case_pane.edits_pending = self._header_edit_pending
        self.history_pane.source = self
        self.interaction_dialog: InteractionDialog | None = None
        self.new_case_dialog: NewCaseDialog | None = None
        self.action_new_case = self._action("actionNewCaseFromCall", "&New case from call…",
                                            "Ctrl+N", "A caller on the line: find them or add "
                                            "them, and open a case (Ctrl+N)")  # fmt: skip
        self.action_log = self._action("actionLogInteraction", "&Log interaction…", "Ctrl+L",
                                       "Log a call, email, chat or other contact on the case "
                                       "in view (Ctrl+L)")  # fmt: skip
        self.action_reply = self._action("actionReply", "&Reply", "Ctrl+R",
                                         "Write a reply to the customer (Ctrl+R)")  # fmt: skip
        self._add_to_menu(menu)
        self._on_case_shown(None)
        self.composer.set_placeholder_values(self._placeholder_values)
        self._connect_signals()

    def _action(self, name: str, text: str, keys: str, tip: str) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(keys))
        action.setToolTip(tip)
        self._window.addAction(action)  # the keys work wherever the focus is in the window
        return action

    def _add_to_menu(self, menu: QMenu) -> None:
        """On top of the Case menu: the things a rep does many times an hour."""
        existing = menu.actions()
        if not existing:
            menu.addActions([self.action_new_case, self.action_log, self.action_reply])
            return
        menu.insertActions(existing[0], [self.action_new_case, self.action_log,
                                         self.action_reply])  # fmt: skip
        menu.insertSeparator(existing[0])

    def _connect_signals(self) -> None:
        self._desk.case_shown.connect(self._on_case_shown)
        self.editing.saved.connect(self._reload_case)
        self.editing.taken.connect(self._reload_case)
        self.composer.send_requested.connect(self.send_reply)
        self.composer.log_requested.connect(self.open_log_dialog)
        self.action_log.triggered.connect(self.open_log_dialog)
        self.action_reply.triggered.connect(self.composer.editor.setFocus)
        self.action_new_case.triggered.connect(self.open_new_case_dialog)

    # ------------------------------------------------------------------ context
    def read(self, fn: Callable[[Workspace], Any], on_done: Callable[[Any], None]) -> None:
        """The history pane's source: ``fn(workspace)`` on the read pool."""
        ws = self._desk.workspace
        if ws is not None:
            self._runner.read(lambda: fn(ws), on_done, owner=self.history_pane)

    @Slot(object)
    def _on_case_shown(self, case: CaseDetail | None) -> None:
        open_case = case is not None and case.status.is_open
        self.action_log.setEnabled(open_case)
        self.action_reply.setEnabled(open_case)
        self.action_new_case.setEnabled(self._desk.actor is not None)

    def _placeholder_values(self) -> dict[str, str]:
        case, actor = self._desk.current_case, self._desk.actor
        if case is None:
            return {}
        return canned.placeholder_values(case, actor.display_name if actor else "",
                                         datetime.now(UTC))  # fmt: skip

    def _header_edit_pending(self) -> bool:
        """A header save on its way, or its resolve / stale-edit / merge dialog open."""
        editing = self.editing
        dialogs = (editing.resolve_dialog, editing.conflict_dialog, editing.merge_dialog)
        return editing.busy or any(dialog is not None for dialog in dialogs)

    @Slot(object)
    def _reload_case(self, _state: object = None) -> None:
        """After the rep's own change: the case read again, in place (the history keeps its
        scroll and selection)."""
        self._desk.refresh_case()

    # ------------------------------------------------------------------ logging contacts
    def log(self, new: NewInteraction, on_done: Callable[[LoggedInteraction], None],
            on_error: Callable[[Exception], None]) -> None:  # fmt: skip
        ws, actor = self._desk.workspace, self._desk.actor
        if ws is None or actor is None:
            return
        self._runner.write(lambda: interactions.log_interaction(ws, actor, new),
                           lambda logged: self._logged(logged, on_done), on_error,
                           owner=self)  # fmt: skip

    def _logged(self, logged: LoggedInteraction,
                then: Callable[[LoggedInteraction], None]) -> None:  # fmt: skip
        case = self._desk.current_case
        if case is not None and case.customer.id == logged.customer_id:
            self.history_pane.prepend_entry(timeline_entry(logged))  # at once, for the author
        then(logged)
        if logged.cards_masked:
            self._notify(f"Logged; {logged.cards_masked} card number"
                         f"{'s were' if logged.cards_masked > 1 else ' was'} masked.")  # fmt: skip
        self._reload_case()  # the header's waiting time and the card's last contact

    @Slot()
    def open_log_dialog(self) -> None:
        case, ws = self._desk.current_case, self._desk.workspace
        if case is None or ws is None or not case.status.is_open:
            return
        dialog = InteractionDialog(
            case.key,
            case.id,
            case.channel,
            self._window,
            placeholder_values=self._placeholder_values,
        )
        self.interaction_dialog = dialog
        me = self._desk.actor.user_id if self._desk.actor else None
        self._runner.read(lambda: users.list_users(ws),
                          lambda people: dialog.set_colleagues(people, me),
                          lambda _exc: None, owner=dialog)  # fmt: skip

        def submitted(new: NewInteraction) -> None:
            self.log(new, lambda _logged: dialog.accept(),
                     lambda exc: self._refused(exc, dialog.show_problem))  # fmt: skip

        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _r: self._forget_dialog("interaction_dialog", dialog))
        dialog.open()

    def _refused(self, exc: Exception, show: Callable[[str], None]) -> None:
        if isinstance(exc, DeskappError):
            show(str(exc))
        else:
            show("That did not work; your text is kept. Try again.")
            self._runner.report_error(exc, "logging an interaction")

    def _forget_dialog(self, name: str, dialog: QObject) -> None:
        if getattr(self, name) is dialog:
            setattr(self, name, None)
        dialog.deleteLater()

    # ------------------------------------------------------------------ the reply
    @Slot(str, str)
    def send_reply(self, text: str, how: str) -> None:
        case = self._desk.current_case
        if case is None:
            return
        channel = Channel.EMAIL if how == MAIL else (
            case.channel if case.channel in WRITTEN else Channel.EMAIL
        )  # fmt: skip
        new = NewInteraction(case.id, channel, Direction.OUTBOUND, text)
        self.composer.set_busy(True)

        def done(logged: LoggedInteraction) -> None:
            self.composer.sent()
            if how == MAIL:
                subject = f"Re: [{case.key}] {case.subject}"
                url = mail_url(case.customer.email, subject, logged.body)
                if url.toEncoded().size() <= MAIL_LINK_CHARS:
                    self.open_url(url)
                    self._notify(f"Reply logged on {case.key} and opened in your mail app.")
                    return
                # Too long for a mail link (the system would refuse or cut it): the mail opens
                # with its subject, and the whole reply is on the clipboard to paste in.
                QGuiApplication.clipboard().setText(logged.body)
                self.open_url(mail_url(case.customer.email, subject, ""))
                self._notify(
                    f"Reply logged on {case.key}. It is too long for a mail link, "
                    "so it is on the clipboard: paste it into the mail that opened."
                )
            else:
                QGuiApplication.clipboard().setText(logged.body)
                self._notify(f"Reply logged on {case.key} and copied: paste it to the customer.")

        def failed(exc: Exception) -> None:
            self.composer.set_busy(False)  # the text stays in the composer
            self._runner.report_error(exc, "sending a reply")

        self.log(new, done, failed)

    # ------------------------------------------------------------------ new case from a call
    @Slot()
    def open_new_case_dialog(self) -> None:
        ws, actor = self._desk.workspace, self._desk.actor
        if ws is None or actor is None:
            return
        current = self._desk.current_case
        team_id = actor.team_id or (current.team_id if current else None)
        if team_id is None:
            self._runner.failed.emit(
                "You belong to no team, so a new case has nowhere to go. Ask an admin to put "
                "you in a team."
            )
            return
        dialog = NewCaseDialog(team_id, self._window)
        self.new_case_dialog = dialog

        def search(text: str) -> None:
            self._runner.read(lambda: customer_lookup.find_customers(ws, text),
                              lambda found: dialog.show_matches(text, found),
                              lambda exc: dialog.show_problem(str(exc)),
                              owner=dialog)  # fmt: skip

        def submitted(intake: CallIntake) -> None:
            self._runner.write(lambda: call_intake.open_case_from_call(ws, actor, intake),
                               lambda result: self._case_opened(dialog, result),
                               lambda exc: self._intake_refused(dialog, exc),
                               owner=dialog)  # fmt: skip

        dialog.search_requested.connect(search)
        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _r: self._forget_dialog("new_case_dialog", dialog))
        dialog.open()
        dialog.search.setFocus()

    def _case_opened(self, dialog: NewCaseDialog, result: IntakeResult) -> None:
        dialog.accept()
        self._desk.open_case(result.case.id)
        self._desk.reload_view()
        self._notify(f"{result.case.key} opened for the caller.")

    def _intake_refused(self, dialog: NewCaseDialog, exc: Exception) -> None:
        if isinstance(exc, PossibleDuplicate):
            dialog.show_problem(str(exc), duplicate=True)
        else:
            self._refused(exc, dialog.show_problem)
