"""The case view as a rep sees it: selecting a case → its header and the first screen of the
customer's history painted, in the real main window (offscreen), through the task runner.

Each sample opens one of two cases of the long-history customer in turn (so every selection
changes the whole view), waits for the read on the runner's pool, the panes filled on the GUI
thread, and a synchronous repaint of the window.
"""

from __future__ import annotations

import os
import time
import uuid

from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace


def time_selecting(ws: Workspace, actor: Actor, case_ids: list[uuid.UUID], repeat: int,
                   gui_share: list[float] | None = None,
                   gui_cpu: list[float] | None = None) -> list[float]:  # fmt: skip
    """Seconds from selecting a case to its first screen painted, per sample. ``gui_share``
    (if given) receives the GUI thread's part of each: the panes filled and painted, in
    wall-clock seconds; ``gui_cpu`` the same in the GUI thread's CPU seconds (what a busy
    shared machine does not inflate)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from deskapp.gui.main_window import MainWindow
    from deskapp.gui.task_runner import TaskRunner
    from deskapp.gui.workspace_controller import WorkspaceController

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    window = MainWindow(runner, WorkspaceController(runner), ask_identity=None)
    window.resize(1400, 900)
    window.show()
    desk = window.desk
    desk.start(ws, actor)
    runner.wait_idle(60_000)

    shown_at: list[float] = []
    show = desk._show_case

    cpu_at: list[float] = []

    def timed_show(case: object) -> None:
        shown_at.append(time.perf_counter())
        cpu_at.append(time.thread_time())
        show(case)

    desk._show_case = timed_show  # type: ignore[method-assign]
    shares: list[float] = []
    cpus: list[float] = []

    def select(case_id: uuid.UUID) -> float:
        shown_at.clear()
        cpu_at.clear()
        start = time.perf_counter()
        desk.open_case(case_id)
        # Wait as the app does, in Qt's event loop (a Python polling loop would hold the GIL
        # and slow the read thread down: a cost the real window never pays).
        while not shown_at or desk.current_case is None or desk.current_case.id != case_id:
            loop = QEventLoop()
            desk.case_shown.connect(loop.quit)
            loop.exec()
            desk.case_shown.disconnect(loop.quit)
        window.repaint()  # header and the first screen of history on screen
        end = time.perf_counter()
        shares.append(end - shown_at[0])
        cpus.append(time.thread_time() - cpu_at[0])
        # The rep reads the case before choosing the next one: what selecting it set off
        # (presence, the handoff pane, placeholders) settles first, off the clock.
        runner.wait_idle(60_000)
        return end - start

    for case_id in case_ids * 2:  # warm: fonts, style sheets, statement caches
        select(case_id)
    shares.clear()
    cpus.clear()
    samples = [select(case_ids[n % len(case_ids)]) for n in range(repeat)]
    if gui_share is not None:
        gui_share.extend(shares)
    if gui_cpu is not None:
        gui_cpu.extend(cpus)
    runner.wait_idle(60_000)
    desk.stop()
    runner.shutdown()
    window.close()
    window.deleteLater()
    app.processEvents()
    return samples
