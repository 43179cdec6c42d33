"""Starting the desktop app. ``run_gui`` is what ``deskapp`` (and ``deskapp --smoke-test``) call.

The window shows at once and the workspace opens behind it, on the runner's writer thread
(opening may migrate a local file). A problem the person can act on is shown as a message and
the window stays, so they can open another workspace.
"""

from __future__ import annotations

import logging
import platform
import sys

import PySide6
from PySide6.QtCore import QCoreApplication, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy.engine import URL

from deskapp import APP_NAME, __version__
from deskapp.db.engine import TlsOptions
from deskapp.db.urls import parse_db_url
from deskapp.gui.appearance import app_icon, appearance
from deskapp.gui.error_handler import UnexpectedErrorHandler, show_error_dialog
from deskapp.gui.first_rows_probe import FirstRowsProbe, probe_login
from deskapp.gui.main_window import MainWindow
from deskapp.gui.startup import open_at_start
from deskapp.gui.task_runner import TaskRunner
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.logs import setup_logging
from deskapp.paths import default_workspace
from deskapp.settings import COLOR_SCHEME, Settings

ORGANIZATION = "Deskapp"
SMOKE_TIMEOUT_MS = 60_000  # a smoke test must end, whatever happens
SMOKE_SETTLE_MS = 200  # after the workspace opened: let the window lay out and paint

log = logging.getLogger(__name__)


def run_gui(
    url: URL | None,
    *,
    password: str | None = None,
    tls: TlsOptions | None = None,
    smoke_test: bool = False,
) -> int:
    """Run the app until its window closes; the exit status. ``url`` None: the local workspace."""
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    # Wayland and Linux docks match the window to deskapp.desktop; the icon is every window's,
    # the taskbar's and the Dock's.
    QApplication.setDesktopFileName("deskapp")
    QApplication.setWindowIcon(app_icon())
    log_path = setup_logging()
    qInstallMessageHandler(_log_qt_message)
    log.info(
        "%s %s starting (PySide6 %s, Python %s, %s)",
        APP_NAME,
        __version__,
        PySide6.__version__,
        platform.python_version(),
        platform.platform(),
    )
    smoke = _SmokeTest(app) if smoke_test else None
    login = None if smoke else probe_login()  # the cold-start benchmark (first_rows_probe.py)
    probe = FirstRowsProbe(app, login) if login else None
    show_dialog = smoke.fail_unexpected if smoke else show_error_dialog
    handler = UnexpectedErrorHandler(log_path, show_dialog=probe.fail_unexpected if probe
                                     else show_dialog)  # fmt: skip
    handler.install()
    runner = TaskRunner()
    workspaces = WorkspaceController(runner)
    settings = Settings.load()
    look = appearance()
    look.apply(settings.get(COLOR_SCHEME))  # before the first window paints
    if smoke:
        window = MainWindow(runner, workspaces, show_problem=smoke.fail, ask_identity=None)
        smoke.finish_once_open(workspaces, window)
    elif probe:
        window = MainWindow(runner, workspaces, show_problem=probe.fail_shown,
                            ask_identity=probe.ask_identity, look=look)  # fmt: skip
        probe.watch(workspaces, window.ui.queuePane)
    else:
        window = MainWindow(runner, workspaces, settings=settings, look=look)
    window.show()
    if url is not None or smoke or probe:
        workspaces.open(url or parse_db_url(default_workspace()), password=password, tls=tls)
    else:  # once the window is up: the last connection, or the first-run welcome
        QTimer.singleShot(0, lambda: open_at_start(window, runner, workspaces, settings))
    try:
        return app.exec()
    finally:
        runner.shutdown()
        workspaces.close()
        handler.uninstall()
        log.info("%s stopped", APP_NAME)


class _SmokeTest:
    """Open, show, paint, quit with 0. Any problem, or no progress for a minute, quits with 1
    and the reason on stderr (no dialog is ever left waiting for a click)."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        QTimer.singleShot(SMOKE_TIMEOUT_MS, self._timed_out)

    def finish_once_open(self, workspaces: WorkspaceController, window: MainWindow) -> None:
        workspaces.opened.connect(
            lambda _ws: QTimer.singleShot(SMOKE_SETTLE_MS, lambda: self._finish(window))
        )

    def _finish(self, window: MainWindow) -> None:
        if not window.isVisible() or window.grab().isNull():
            self._fail("The main window was not shown.")
            return
        if QApplication.windowIcon().isNull():  # a bundle built without resources/icons
            self._fail("The application icon is missing: resources/icons did not ship.")
            return
        print(f"{APP_NAME} smoke test passed.")
        self._app.exit(0)

    def fail(self, _parent: QWidget, text: str) -> None:
        self._fail(text)

    def fail_unexpected(self, text: str, _log_path: object) -> None:
        self._fail(text)

    def _timed_out(self) -> None:
        self._fail(f"The smoke test did not finish within {SMOKE_TIMEOUT_MS // 1000} seconds.")

    def _fail(self, text: str) -> None:
        print(text, file=sys.stderr)
        self._app.exit(1)


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _log_qt_message(mode: QtMsgType, _context: object, message: str) -> None:
    """Qt's own warnings belong in the log file too, where a bug report can find them."""
    logging.getLogger("qt").log(_QT_LEVELS.get(mode, logging.WARNING), "%s", message)
