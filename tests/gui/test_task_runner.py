"""The task runner: work off the GUI thread, answers on it, one writer, reconnects, clear errors."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
import shiboken6
from PySide6.QtWidgets import QLabel, QWidget
from sqlalchemy import create_engine

from deskapp.db.engine import is_disconnect
from deskapp.domain.errors import PermissionDenied
from deskapp.gui.task_runner import READ_THREADS, TaskRunner

# Nothing listens on port 1: connecting is refused at once, a real lost-connection error.
DEAD_SERVER = "postgresql+psycopg://deskapp@127.0.0.1:1/deskapp"


def refused_connection_error() -> Exception:
    engine = create_engine(DEAD_SERVER, connect_args={"connect_timeout": 2})
    try:
        engine.connect()
    except Exception as exc:
        return exc
    finally:
        engine.dispose()
    raise AssertionError("something is listening on port 1")


def test_work_runs_off_the_gui_thread_and_the_result_arrives_on_it(runner):
    worked_on, answered_on, results = [], [], []

    def work():
        worked_on.append(threading.current_thread())
        return "done"

    def on_done(result):
        answered_on.append(threading.current_thread())
        results.append(result)

    runner.read(work, on_done)
    assert results == [], "a result must never arrive inside read()"
    assert runner.wait_idle()
    assert results == ["done"]
    assert worked_on[0] is not threading.main_thread()
    assert answered_on == [threading.main_thread()]


def test_reads_run_side_by_side(runner):
    # Each read waits until all of them are running at once: on one thread they would time out.
    together = threading.Barrier(READ_THREADS, timeout=5)
    results, errors = [], []

    def read(n):
        together.wait()
        return n

    for n in range(READ_THREADS):
        runner.read(lambda n=n: read(n), results.append, errors.append)
    assert runner.wait_idle()
    assert errors == []
    assert sorted(results) == list(range(READ_THREADS))


def test_writes_run_one_at_a_time_in_the_order_given(runner):
    lock = threading.Lock()
    running = 0
    most_at_once = 0
    spans: list[tuple[int, float, float]] = []

    def write(n):
        nonlocal running, most_at_once
        with lock:
            running += 1
            most_at_once = max(most_at_once, running)
        started = time.monotonic()
        time.sleep(0.02)
        ended = time.monotonic()
        with lock:
            running -= 1
        spans.append((n, started, ended))
        return n

    done = []
    for n in range(6):
        runner.write(lambda n=n: write(n), done.append)
    assert runner.wait_idle()
    assert most_at_once == 1
    assert done == list(range(6))
    for (_, _, ended), (_, next_started, _) in itertools.pairwise(spans):
        assert ended <= next_started


def test_an_error_goes_to_the_callers_on_error(runner):
    got = []
    runner.read(lambda: 1 / 0, lambda _: pytest.fail("no result expected"), got.append)
    assert runner.wait_idle()
    assert [type(e) for e in got] == [ZeroDivisionError]


def test_an_unhandled_deskapp_error_becomes_a_message_for_the_person(runner, qtbot):
    def refuse():
        raise PermissionDenied("Only a team lead can reassign cases. Ask your lead.")

    with qtbot.waitSignal(runner.failed, timeout=5000) as failed:
        runner.write(refuse, lambda _: pytest.fail("no result expected"))
    assert failed.args == ["Only a team lead can reassign cases. Ask your lead."]


def test_an_unhandled_bug_goes_to_the_unexpected_error_handler(qapp):
    unexpected = []
    bug_runner = TaskRunner(unexpected=unexpected.append)
    try:
        bug_runner.read(lambda: {}["missing"], lambda _: pytest.fail("no result expected"))
        assert bug_runner.wait_idle()
    finally:
        bug_runner.shutdown()
    assert [type(e) for e in unexpected] == [KeyError]
    assert unexpected[0].__traceback__ is not None, "the log needs the worker's traceback"


def test_a_lost_connection_shows_reconnecting_until_the_retry_succeeds(runner, qtbot):
    lost = refused_connection_error()
    assert is_disconnect(lost)
    attempts = []

    def flaky_read():
        attempts.append(1)
        if len(attempts) == 1:
            raise lost
        return "rows"

    states, results = [], []
    runner.reconnecting_changed.connect(states.append)
    runner.read(flaky_read, results.append)
    assert runner.wait_idle()
    assert states == [True, False]
    assert results == ["rows"]
    assert len(attempts) == 2


def test_a_result_for_a_deleted_widget_is_dropped(runner, qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    calls = []

    class CaseLabel(QLabel):
        def show_case(self, text):
            calls.append(text)

    label = CaseLabel(window)
    gate = threading.Event()
    runner.read(lambda: gate.wait(5) and "C-000123", label.show_case)
    runner.read(lambda: gate.wait(5) and "C-000124", calls.append, owner=label)
    shiboken6.delete(label)  # the rep closed the pane while the read was running
    gate.set()
    assert runner.wait_idle()
    assert calls == []


def test_an_error_for_a_deleted_widget_still_reaches_the_person(runner, qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    label = QLabel(window)
    gate = threading.Event()

    def refuse():
        gate.wait(5)
        raise PermissionDenied("The case was reassigned; your note was kept as a draft.")

    with qtbot.waitSignal(runner.failed, timeout=5000) as failed:
        runner.write(refuse, label.setText, lambda _: pytest.fail("owner is gone"), owner=label)
        shiboken6.delete(label)
        gate.set()
    assert failed.args == ["The case was reassigned; your note was kept as a draft."]


def test_shutdown_interrupts_a_task_waiting_to_reconnect(qapp, qtbot):
    lost = refused_connection_error()
    patient = TaskRunner(retry_delays=(60.0,))  # left alone it would wait a minute

    def always_lost():
        raise lost

    with qtbot.waitSignal(patient.reconnecting_changed, timeout=5000) as went:
        patient.read(always_lost, lambda _: pytest.fail("no result expected"))
    assert went.args == [True]
    assert patient.shutdown(timeout_ms=5000)
    assert patient.is_idle
