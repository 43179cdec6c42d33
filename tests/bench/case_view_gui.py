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


def time_selecting(ws: Workspace, actor: Actor, case_ids: list[uuid.UUID],
                   repeat: int) -> list[float]:  # fmt: skip
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
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

    def select(case_id: uuid.UUID) -> float:
        start = time.perf_counter()
        desk.open_case(case_id)
        while desk.current_case is None or desk.current_case.id != case_id:
            app.processEvents()
            time.sleep(0.0005)
        window.repaint()  # header and the first screen of history on screen
        return time.perf_counter() - start

    for case_id in case_ids * 2:  # warm: fonts, style sheets, statement caches
        select(case_id)
    samples = [select(case_ids[n % len(case_ids)]) for n in range(repeat)]
    runner.wait_idle(60_000)
    desk.stop()
    runner.shutdown()
    window.close()
    window.deleteLater()
    app.processEvents()
    return samples
