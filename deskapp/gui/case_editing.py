"""Header edits through the services: each change is checked against the version the rep saw.

- Resolving first asks for a resolution code and a one-line outcome; a refused outcome ("done")
  reopens the dialog with what the rep typed and the reason.
- A stale edit (``CaseEditConflict``) opens the side-by-side choice: "Keep mine" applies the
  rep's change again on top of the case as it is now, "Take theirs" shows the case as it is,
  "Merge by hand" sets each field with both values in view (gui/case_merge.py; "Back" returns
  to the choice, so the rep's change is never dropped on the way).
- Any other refusal puts the header back to what the database says and tells the rep why.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from deskapp.domain.enums import CaseStatus
from deskapp.domain.errors import InvalidInput
from deskapp.gui.case_edit_dialogs import KEEP_MINE, MERGE, ConflictDialog, ResolveDialog
from deskapp.gui.case_merge import MergeDialog
from deskapp.gui.panes.case_pane import CasePane
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import cases
from deskapp.services.cases import CaseChange, CaseEditConflict, CaseState
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

Context = Callable[[], tuple[Workspace | None, Actor | None]]


class CaseEditing(QObject):
    saved = Signal(object)  # the CaseState after a change the rep made or kept
    taken = Signal(object)  # the CaseState the rep chose over their own change

    def __init__(self, runner: TaskRunner, pane: CasePane, context: Context,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._runner = runner
        self._pane = pane
        self._context = context
        self.resolve_dialog: ResolveDialog | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.merge_dialog: MergeDialog | None = None
        self.busy = False
        pane.change_requested.connect(self.request)

    @Slot(object)
    def request(self, changes: dict[str, Any]) -> None:
        case = self._pane.case
        if case is None or self.busy:
            self._pane.revert_editors()
            return
        if changes.get("status") is CaseStatus.RESOLVED:
            self._ask_resolution(changes)
            return
        self.submit(CaseChange(self._pane.version, **changes))

    def _ask_resolution(self, changes: dict[str, Any], code: str = "", outcome: str = "",
                        problem: str = "") -> None:  # fmt: skip
        case = self._pane.case
        assert case is not None
        dialog = ResolveDialog(case.key, self._pane.window(), code=code, outcome=outcome,
                               problem=problem)  # fmt: skip
        self.resolve_dialog = dialog

        def finished(result: int) -> None:
            self.resolve_dialog = None
            dialog.deleteLater()
            if result != ResolveDialog.DialogCode.Accepted:
                self._pane.revert_editors()
                return
            code_chosen, line = dialog.values()
            self.submit(CaseChange(self._pane.version, resolution_code=code_chosen,
                                   outcome=line, **changes))  # fmt: skip

        dialog.finished.connect(finished)
        dialog.open()

    def submit(self, change: CaseChange) -> None:
        ws, actor = self._context()
        case = self._pane.case
        if ws is None or actor is None or case is None:
            return
        case_id = case.id
        self.busy = True
        self._runner.write(lambda: cases.change_case(ws, actor, case_id, change),
                           lambda state: self._done(case_id, state),
                           lambda exc: self._failed(case_id, change, exc), owner=self)  # fmt: skip

    def _done(self, case_id: uuid.UUID, state: CaseState) -> None:
        self.busy = False
        if self._pane.case is not None and self._pane.case.id == case_id:
            self._pane.apply_case_state(state)
        self.saved.emit(state)

    def _failed(self, case_id: uuid.UUID, change: CaseChange, exc: Exception) -> None:
        self.busy = False
        still_here = self._pane.case is not None and self._pane.case.id == case_id
        if isinstance(exc, CaseEditConflict) and still_here:
            self._choose(exc)
            return
        if still_here and isinstance(exc, InvalidInput) and change.outcome is not None:
            # The rep's resolution is kept: same dialog, their words, the reason.
            wanted = {"status": change.status} if change.status is not None else {}
            self._ask_resolution(wanted, change.resolution_code or "", change.outcome, str(exc))
            return
        if still_here:
            self._pane.revert_editors()
        self._runner.report_error(exc, "changing the case")

    def _choose(self, conflict: CaseEditConflict) -> None:
        seen = self._pane.shown_values()
        case = self._pane.case
        if case is not None:
            seen.setdefault("resolution_code", case.resolution_code)
            seen.setdefault("outcome", case.resolution_outcome)
        dialog = ConflictDialog(conflict, seen, self._pane.window())
        self.conflict_dialog = dialog

        def finished(result: int) -> None:
            self.conflict_dialog = None
            dialog.deleteLater()
            if result == KEEP_MINE:
                again = replace(conflict.wanted, expected_version=conflict.current.version,
                                request_id=uuid.uuid4())  # fmt: skip
                self._pane.apply_case_state(conflict.current)
                self.submit(again)
            elif result == MERGE:
                self._merge(conflict)
            else:
                self._pane.apply_case_state(conflict.current)
                self.taken.emit(conflict.current)

        dialog.finished.connect(finished)
        dialog.open()

    def _merge(self, conflict: CaseEditConflict) -> None:
        dialog = MergeDialog(conflict, self._pane.window())
        self.merge_dialog = dialog

        def finished(result: int) -> None:
            self.merge_dialog = None
            dialog.deleteLater()
            if result != MergeDialog.DialogCode.Accepted:
                self._choose(conflict)  # back to the choice, the rep's change still in it
                return
            merged = dialog.merged_change()
            self._pane.apply_case_state(conflict.current)
            if merged is None:  # the colleague's values were the merge
                self.taken.emit(conflict.current)
            else:
                self.submit(merged)

        dialog.finished.connect(finished)
        dialog.open()
