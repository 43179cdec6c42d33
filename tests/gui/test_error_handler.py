"""Unexpected errors: the traceback goes to the log, the person gets plain words, the app lives."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton

from deskapp import logs
from deskapp.gui.error_handler import UnexpectedErrorHandler


@pytest.fixture
def log_file() -> Iterator[Path]:
    level = logging.getLogger().level
    yield logs.setup_logging()
    logs.stop_logging()
    logging.getLogger().setLevel(level)


@pytest.fixture
def shown() -> list[str]:
    return []


@pytest.fixture
def handler(qapp, log_file, shown) -> UnexpectedErrorHandler:
    return UnexpectedErrorHandler(log_file, show_dialog=lambda text, _path: shown.append(text))


def broken_slot() -> None:
    raise RuntimeError("queue model out of sync")


def test_an_error_in_a_button_slot_is_logged_and_explained_and_the_app_goes_on(
    qtbot, handler, shown, log_file
):
    button = QPushButton("Get next case")
    qtbot.addWidget(button)
    button.clicked.connect(broken_slot)
    handler.install()  # in the test body: pytest-qt swaps its own hook in around each phase
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(shown) == 1)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # still running, still answering
        qtbot.waitUntil(lambda: len(shown) == 2)
    finally:
        handler.uninstall()
    assert str(log_file) in shown[0]
    assert "typed text is kept" in shown[0]
    assert "RuntimeError" in shown[0]
    written = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in written
    assert "in broken_slot" in written
    assert "RuntimeError: queue model out of sync" in written


def test_an_error_in_a_timer_slot_is_handled_the_same_way(qtbot, handler, shown, log_file):
    handler.install()
    try:
        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: len(shown) == 1)
    finally:
        handler.uninstall()
    assert str(log_file) in shown[0]
    assert "in broken_slot" in log_file.read_text(encoding="utf-8")


def test_an_error_in_a_plain_thread_is_shown_on_the_gui_thread(qtbot, log_file, qapp):
    shown_on = []
    handler = UnexpectedErrorHandler(
        log_file, show_dialog=lambda _text, _path: shown_on.append(threading.current_thread())
    )
    handler.install()
    try:
        worker = threading.Thread(target=broken_slot, name="autosave")
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: len(shown_on) == 1)
    finally:
        handler.uninstall()
    assert shown_on == [threading.main_thread()]
    written = log_file.read_text(encoding="utf-8")
    assert "[autosave]" in written, "the log names the thread that failed"
    assert "RuntimeError: queue model out of sync" in written


def test_a_repeating_error_shows_one_dialog_at_a_time(qtbot, log_file, qapp):
    shown = []

    def modal_dialog(text, _path):
        shown.append(text)
        # While the dialog is open its event loop runs, and the failing code fails again.
        QTimer.singleShot(0, broken_slot)
        qtbot.wait(100)

    handler = UnexpectedErrorHandler(log_file, show_dialog=modal_dialog)
    handler.install()
    try:
        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: len(shown) == 1)
        qtbot.wait(100)
    finally:
        handler.uninstall()
    assert len(shown) == 1
    assert log_file.read_text(encoding="utf-8").count("RuntimeError: queue model") == 2


def test_uninstall_puts_the_previous_hooks_back(handler):
    before = (sys.excepthook, threading.excepthook)
    handler.install()
    handler.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
