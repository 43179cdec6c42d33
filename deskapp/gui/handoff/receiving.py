"""The receiving side: which handoffs wait for my read-back (the list), the banner on the case
in view, and the acknowledge / ask-a-question writes, all through the task runner.

The list reloads when someone signs in, after each read-back, and whenever the desk reloads
its queue, so a handoff made by a colleague shows up with the next refresh.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, Signal, Slot

from deskapp.domain.errors import DeskappError
from deskapp.gui.handoff.banner import HandoffBanner
from deskapp.gui.handoff.to_acknowledge import ToAcknowledgeList
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import handoff_followup, reassignment
from deskapp.services.handoff_waiting import PendingHandoff
from deskapp.services.history import CaseDetail
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace


class HandoffInbox(QObject):
    acknowledged = Signal(object)  # note id
    question_sent = Signal(object)  # note id
    problem = Signal(str)  # a refused read-back, for the person

    def __init__(self, runner: TaskRunner, banner: HandoffBanner, pending_list: ToAcknowledgeList,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._runner = runner
        self.banner = banner
        self.list = pending_list
        self._ws: Workspace | None = None
        self._actor: Actor | None = None
        self._pending: list[PendingHandoff] = []
        self._case_id: uuid.UUID | None = None
        self.banner.acknowledge_requested.connect(self.acknowledge)
        self.banner.question_requested.connect(self.ask)
        self.list.unbriefed_acknowledge_requested.connect(self.acknowledge_unbriefed)

    def start(self, ws: Workspace, actor: Actor) -> None:
        self._ws, self._actor = ws, actor
        self.refresh()

    def stop(self) -> None:
        self._ws = self._actor = None
        self._pending = []
        self.list.show_pending([])
        self.banner.show_pending(None)

    @Slot()
    def refresh(self) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None or actor.user_id is None:
            return
        self._runner.read(lambda: handoff_followup.to_acknowledge(ws, actor), self._show,
                          owner=self)  # fmt: skip

    @Slot(object)
    def case_shown(self, case: CaseDetail | None) -> None:
        self._case_id = case.id if case else None
        self._show_banner()

    def _show(self, pending: list[PendingHandoff]) -> None:
        self._pending = pending
        self.list.show_pending(pending)
        self._show_banner()

    def _show_banner(self) -> None:
        match = next((p for p in self._pending if p.case_id == self._case_id), None)
        me = self._actor.display_name if self._actor else None
        self.banner.show_pending(match, me)

    # ------------------------------------------------------------------ writes
    @Slot(object, str)
    def acknowledge(self, note_id: uuid.UUID, read_back: str) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None:
            return
        request_id = uuid.uuid4()
        self.banner.set_busy(True)
        self._runner.write(
            lambda: handoff_followup.acknowledge(ws, actor, note_id, read_back,
                                                 request_id=request_id),
            lambda _none: self._done(self.acknowledged, note_id),
            self._failed,
            owner=self,
        )  # fmt: skip

    @Slot(object, str)
    def ask(self, note_id: uuid.UUID, question: str) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None:
            return
        request_id = uuid.uuid4()
        self.banner.set_busy(True)
        self._runner.write(
            lambda: handoff_followup.ask_question(ws, actor, note_id, question,
                                                  request_id=request_id),
            lambda _none: self._done(self.question_sent, note_id),
            self._failed,
            owner=self,
        )  # fmt: skip

    @Slot(list)
    def acknowledge_unbriefed(self, note_ids: list[uuid.UUID]) -> None:
        """Accept the unbriefed handoffs shown, together (a lead moved an absent rep's cases)."""
        ws, actor = self._ws, self._actor
        if ws is None or actor is None or not note_ids:
            return
        self.list.set_busy(True)

        def done(_count: int) -> None:
            self.list.set_busy(False)
            for note_id in note_ids:
                self.acknowledged.emit(note_id)
            self.refresh()

        def failed(exc: Exception) -> None:
            self.list.set_busy(False)
            self._failed(exc)

        self._runner.write(lambda: reassignment.acknowledge_unbriefed(ws, actor, note_ids),
                           done, failed, owner=self)  # fmt: skip

    def _done(self, signal, note_id: uuid.UUID) -> None:
        self.banner.set_busy(False)
        self.banner.read_back.clear()
        signal.emit(note_id)
        self.refresh()

    def _failed(self, exc: Exception) -> None:
        self.banner.set_busy(False)  # the typed read-back stays in the box
        if isinstance(exc, DeskappError):
            self.problem.emit(str(exc))
        else:
            self._runner.report_error(exc, "acknowledging a handoff")
