"""CaseDesk: fetches what the panes show, through the task runner; the panes only display.

A rep clicks fast: every load carries a ticket, and a reply that arrives after a newer
request for the same pane is dropped, so the case on screen is always the last one chosen.
The queue is live (gui/queue_controller.py: pages as it scrolls, refresh on others' changes),
and so is the case in view: when a colleague logs a contact, writes a handoff note or changes the
header of the open case (or of another case of the same customer listed in the history), the
case is read again and updated in place (``refresh_case``): the history keeps its scroll and
selection, and nothing the rep is typing is touched. The handoff lists (to acknowledge, waiting
for read-back, questions for me) reload every half minute.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QVBoxLayout

from deskapp.db.engine import is_disconnect
from deskapp.domain.errors import DeskappError
from deskapp.gui.canned_picker import shared_library
from deskapp.gui.forms.ui_main_window import Ui_MainWindow
from deskapp.gui.handoff.banner import HandoffBanner
from deskapp.gui.handoff.followup_lists import FollowUpLists
from deskapp.gui.handoff.receiving import HandoffInbox
from deskapp.gui.queue_controller import QueueController
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import canned, history
from deskapp.services.history import CaseDetail
from deskapp.services.queue import QueueView
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

QUEUE_REFRESH_MS = 30_000


class CaseDesk(QObject):
    case_shown = Signal(object)  # the CaseDetail now in view, or None

    def __init__(self, runner: TaskRunner, ui: Ui_MainWindow, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self.queue_pane = ui.queuePane
        self.case_pane = ui.caseViewContent
        self.history_pane = ui.customerHistoryContent
        self.canned_pane = ui.cannedResponsesContent
        self.canned_pane.use_library(shared_library())  # one ranking for the panel and pickers
        self.handoff_pane = ui.handoffEditorContent
        self.queue = QueueController(runner, self.queue_pane, self)
        # Handoffs waiting for my read-back: a banner on the case, a list in the handoff pane.
        self.handoff_banner = HandoffBanner(self.case_pane)
        case_layout = self.case_pane.layout()
        assert isinstance(case_layout, QVBoxLayout)
        case_layout.insertWidget(1, self.handoff_banner)  # under the case title
        self.inbox = HandoffInbox(runner, self.handoff_banner, self.handoff_pane.to_acknowledge,
                                  self)  # fmt: skip
        # My side as a sender (and a lead's): unread handoffs and questions to answer.
        self.followups = FollowUpLists(runner, self.handoff_pane.waiting,
                                       self.handoff_pane.questions, self)  # fmt: skip
        self.current_case: CaseDetail | None = None
        self._ws: Workspace | None = None
        self._actor: Actor | None = None
        self._tickets = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._opening = False  # an open_case read is on its way
        self._refreshing = False  # a refresh read is on its way
        self._refresh_again = False  # another change arrived meanwhile: read once more
        self._refresh = QTimer(self)
        self._refresh.setInterval(QUEUE_REFRESH_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.queue_pane.case_selected.connect(self.open_case)
        self.queue_pane.case_opened.connect(self._on_case_opened)
        self.queue.case_claimed.connect(self.open_case)
        self.history_pane.case_opened.connect(self.open_case)
        self.handoff_pane.to_acknowledge.case_requested.connect(self.open_case)
        self.handoff_pane.waiting.case_requested.connect(self.open_case)
        self.handoff_pane.questions.case_requested.connect(self.open_case)
        self.followups.answered.connect(self._on_answered)
        self.queue.cases_changed.connect(self._on_cases_changed)
        self.case_shown.connect(self.inbox.case_shown)
        shared_library().response_used.connect(self._record_use)
        self._refresh.timeout.connect(self.inbox.refresh)
        self._refresh.timeout.connect(self.followups.refresh)

    @property
    def workspace(self) -> Workspace | None:
        return self._ws

    @property
    def actor(self) -> Actor | None:
        return self._actor

    def start(self, ws: Workspace, actor: Actor) -> None:
        """A person signed in to a workspace: show their queue and their responses."""
        self._ws, self._actor = ws, actor
        self.queue.start(ws, actor)
        self.reload_responses()
        self.inbox.start(ws, actor)
        self.followups.start(ws, actor)
        self._refresh.start()

    def stop(self) -> None:
        self._refresh.stop()
        self.queue.stop()
        self._ws = self._actor = None
        self.inbox.stop()
        self.followups.stop()
        self.current_case = None
        self.case_shown.emit(None)

    @Slot(object)
    def load_view(self, view: QueueView) -> None:
        """Show ``view`` in the queue (its tab), read afresh."""
        self.queue_pane.select_view(view.value)
        self.queue.refresh_now()

    @Slot()
    def reload_view(self) -> None:
        """After this person changed a case: the queue and its counts, now."""
        self.queue.refresh_now()

    @Slot(object)
    def _on_case_opened(self, case_id: uuid.UUID) -> None:
        """Enter on a row: that case, and the keyboard goes to it."""
        if self.current_case is None or self.current_case.id != case_id:
            self.open_case(case_id)
        self.case_pane.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot(object)
    def open_case(self, case_id: uuid.UUID) -> None:
        ws = self._ws
        if ws is None:
            return
        self._opening = True
        self._latest.pop("refresh", None)  # a refresh of the case left behind is not shown
        self._refreshing = False
        self._load("case", lambda: history.case_detail(ws, case_id), self._show_case)

    @Slot(object, object)
    def _on_answered(self, _note_id: uuid.UUID, case_id: uuid.UUID | None) -> None:
        """The answer is an addendum on the case: if that case is open, show it there."""
        if self.current_case is not None and self.current_case.id == case_id:
            self.refresh_case()

    @Slot(object)
    def _on_cases_changed(self, case_ids: frozenset[uuid.UUID]) -> None:
        """Someone changed cases (live refresh): if one is the case in view, or another case
        of its customer that the history lists, read the case again."""
        case = self.current_case
        if case is None:
            return
        if case.id in case_ids or not case_ids.isdisjoint(self.history_pane.shown_case_ids()):
            self.refresh_case()

    @Slot()
    def refresh_case(self) -> None:
        """Read the case in view again and update the panes in place (a colleague's contact,
        note or header change; the rep's own save). One read at a time: changes arriving
        meanwhile ask for one more read when it is back."""
        ws, case = self._ws, self.current_case
        if ws is None or case is None:
            return
        if self._opening or self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        case_id = case.id
        self._load("refresh", lambda: history.case_detail(ws, case_id), self._show_refreshed,
                   self._refresh_failed)  # fmt: skip

    def _show_refreshed(self, case: CaseDetail) -> None:
        self._refreshing = False
        shown = self.current_case
        if shown is not None and shown.id == case.id:
            self.case_pane.refresh_case(case)
            self.history_pane.refresh_case(case)
            self.handoff_pane.show_case(case)
            self._remember(case)
        self._after_read()

    def _refresh_failed(self, exc: Exception) -> None:
        """A refresh that fails (the server away, the case gone) leaves the case as shown;
        the next change tries again. A bug still gets the usual report."""
        self._refreshing = False
        self._refresh_again = False
        if not isinstance(exc, DeskappError) and not is_disconnect(exc):
            self._runner.report_error(exc, "refreshing the case")

    def _after_read(self) -> None:
        if self._refresh_again and not self._opening and not self._refreshing:
            self._refresh_again = False
            self.refresh_case()

    def reload_responses(self) -> None:
        """Load this person's responses (and their use of them) again: after a response is
        written or imported, the panel and every picker show it at once. A load still on its
        way is superseded, so an older list never replaces a newer one."""
        ws, actor = self._ws, self._actor
        if ws is None or actor is None:
            return
        # The ranking index is built off the GUI thread too: 0.5 s for 10,000 responses.
        self._load("canned", lambda: canned.ResponseRanker(canned.usable_responses(ws, actor)),
                   shared_library().set_ranker)  # fmt: skip
        self._load("canned_usage", lambda: canned.usage_for(ws, actor),
                   shared_library().set_usage)  # fmt: skip

    @Slot(object)
    def _record_use(self, response_id: uuid.UUID) -> None:
        ws, actor = self._ws, self._actor
        if ws is not None and actor is not None:
            # Errors take the runner's default path (a clear message), like every write.
            self._runner.write(lambda: canned.record_use(ws, actor, response_id),
                               lambda _none: None, owner=self)  # fmt: skip

    def _show_case(self, case: CaseDetail) -> None:
        self._opening = False
        self.case_pane.show_case(case)
        self.history_pane.show_case(case)
        self.handoff_pane.show_case(case)
        self._remember(case)
        self._after_read()

    def _remember(self, case: CaseDetail) -> None:
        self.current_case = case
        name = self._actor.display_name if self._actor else ""
        self.canned_pane.set_case_values(canned.placeholder_values(case, name, datetime.now(UTC)))
        self.case_shown.emit(case)

    def _load(self, pane: str, fetch, show, failed=None) -> None:
        ticket = next(self._tickets)
        self._latest[pane] = ticket

        def deliver(result: object) -> None:
            if self._latest.get(pane) == ticket:  # a newer request for this pane wins
                show(result)

        def fail(exc: Exception) -> None:
            if pane == "case" and self._latest.get(pane) == ticket:
                self._opening = False
            if failed is None:
                self._runner.report_error(exc, f"reading the {pane}")
            elif self._latest.get(pane) == ticket:
                failed(exc)

        self._runner.read(fetch, deliver, fail, owner=self)
