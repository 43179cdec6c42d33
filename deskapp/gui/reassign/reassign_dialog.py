"""Reassign one case or a selection (Queue ▸ Reassign…, Ctrl+Shift+R, or cases dropped on a rep
of the team board): a preview of what moves where, the reason asked once, one note per case
pre-filled from the owner's draft or latest note and linted, then a report of what moved, what
changed meanwhile and what was refused."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from deskapp.gui.panes.plain import plain_label
from deskapp.gui.reassign.moves_dialog import ConfirmDiscard, MovesDialog, ask_discard_box
from deskapp.gui.task_runner import TaskRunner
from deskapp.services.reassignment_plan import ReassignPlan, plan_reassignment
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace


class ReassignDialog(MovesDialog):
    def __init__(
        self,
        runner: TaskRunner,
        ws: Workspace,
        actor: Actor,
        case_ids: Sequence[uuid.UUID],
        to_user_id: uuid.UUID | None = None,
        *,
        confirm_discard: ConfirmDiscard = ask_discard_box,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, ws, actor, confirm_discard=confirm_discard, parent=parent)
        self.setObjectName("reassignDialog")
        self.setAccessibleName("Reassign cases")
        count = len(case_ids)
        self.setWindowTitle(f"Reassign {count} case{'s' if count != 1 else ''}")
        self._to_user_id = to_user_id
        self.skipped = plain_label("", self, name="reassignSkipped", wrap=True)
        self.skipped.setStyleSheet("QLabel { color: #a15c00; }")
        self.skipped.hide()
        self.work_layout.insertWidget(0, self.skipped)
        self.show_info("Reading the cases…")
        wanted = list(case_ids)
        runner.read(
            lambda: plan_reassignment(ws, actor, wanted, to_user_id),
            self._on_plan,
            self._plan_failed,
            owner=self,
        )

    def submit_text(self, count: int) -> str:
        return f"&Reassign {count} case{'s' if count != 1 else ''}"

    def _on_plan(self, plan: ReassignPlan) -> None:
        if plan.skipped:
            lines = [f"Left out: {s.reason}" for s in plan.skipped]
            self.skipped.setText("\n".join(lines))
            self.skipped.show()
        self.show_plan(plan, chosen=self._to_user_id is not None, unbriefed_default=False)
        if not plan.moves:
            self.show_error("None of these cases can be reassigned (see why above).")
