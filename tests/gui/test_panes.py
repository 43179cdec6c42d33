"""The main window's panes with real widgets: models behave, customer text stays plain text."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from deskapp.domain.enums import CaseStatus, Channel, Direction, Mood, Priority, RiskLevel, Tier
from deskapp.gui.panes.case_pane import CasePane
from deskapp.gui.panes.handoff_pane import HandoffPane
from deskapp.gui.panes.history_pane import HistoryPane
from deskapp.gui.panes.queue_model import COLUMNS, SLA_COLUMN, CaseQueueModel
from deskapp.gui.panes.queue_pane import QueuePane
from deskapp.services.history import (
    CaseDetail,
    CaseSummaryRow,
    CustomerProfile,
    HandoffView,
    TimelineEntry,
)
from deskapp.services.queue import QueueRow, QueueView

HOSTILE = '<b>x</b><img src="http://example.invalid/x.png"><a href="http://evil">click</a>'
NOW = datetime.now(UTC)


def _row(number: int, *, due: timedelta | None = timedelta(hours=5), name: str = "Ann Lee",
         mood: Mood = Mood.CALM) -> QueueRow:  # fmt: skip
    return QueueRow(
        uuid.uuid4(), f"C-{number}", name, f"Subject {number}", Priority.HIGH, CaseStatus.OPEN,
        Channel.EMAIL, mood, None, NOW - timedelta(minutes=42), number % 3,
        NOW + due if due is not None else None, 1,
    )  # fmt: skip


def _detail(name: str = HOSTILE, transfers: int = 3, body: str = HOSTILE) -> CaseDetail:
    case_id = uuid.uuid4()
    profile = CustomerProfile(
        uuid.uuid4(), name, "a@example.com", "+31 20 123 4567", None, "Europe/Amsterdam",
        Tier.VIP, ("loyal",), HOSTILE, "Premium", 2,
    )  # fmt: skip
    return CaseDetail(
        case_id, "C-1234567", HOSTILE, CaseStatus.OPEN, Priority.URGENT, Channel.PHONE,
        "billing", Mood.ANGRY, "Billing", None, NOW + timedelta(minutes=30), transfers, 1, 4,
        profile,
        (CaseSummaryRow(case_id, "C-1234567", HOSTILE, CaseStatus.OPEN, NOW, None),),
        (TimelineEntry("interaction", NOW, "C-1234567", Channel.EMAIL, Direction.INBOUND,
                       None, body),
         TimelineEntry("handoff", NOW - timedelta(hours=1), "C-1234567", None, None, "Dana",
                       HOSTILE, RiskLevel.WATCH)),
        HandoffView("Dana", NOW, RiskLevel.AT_RISK, HOSTILE, "Refund requested.",
                    ("Call back — Rae, due Tue",), (), True, "If angry, apologise first.",
                    "phone", False),
    )  # fmt: skip


def test_queue_model_passes_qts_model_checks(qtmodeltester):
    model = CaseQueueModel()
    model.set_rows([_row(n) for n in range(1, 40)])
    qtmodeltester.check(model)


def test_queue_model_shows_sla_states_and_ticks_without_reload(qtbot):
    model = CaseQueueModel()
    model.set_rows([_row(1, due=-timedelta(minutes=30)), _row(2, due=timedelta(minutes=50)),
                    _row(3, due=timedelta(days=2)), _row(4, due=None)])  # fmt: skip
    texts = [model.index(r, SLA_COLUMN).data() for r in range(4)]
    assert texts[0].startswith("Breached") and texts[1].startswith("Due soon")
    assert texts[2].startswith("On track") and texts[3] == "No SLA"
    colours = {model.index(r, SLA_COLUMN).data(Qt.ItemDataRole.ForegroundRole).color().name()
               for r in range(3)}  # fmt: skip
    assert len(colours) == 3  # each state its own colour
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.refresh_countdowns()
    ticking = range(changed.args[0].column(), changed.args[1].column() + 1)
    assert SLA_COLUMN in ticking and COLUMNS.index("Waiting") in ticking


def test_queue_pane_keeps_the_selected_case_when_rows_change(qtbot):
    pane = QueuePane()
    qtbot.addWidget(pane)
    pane.set_views([QueueView.MY_CASES])
    rows = [_row(n) for n in range(1, 6)]
    pane.show_rows(QueueView.MY_CASES, rows)
    pane.table.selectRow(3)
    chosen = pane.selected_case()
    with qtbot.assertNotEmitted(pane.case_selected):
        pane.show_rows(QueueView.MY_CASES, [_row(99), *rows])  # a new case arrives on top
    assert pane.selected_case() == chosen


def test_empty_queue_says_what_to_do(qtbot):
    pane = QueuePane()
    qtbot.addWidget(pane)
    pane.set_views([QueueView.MY_CASES])
    pane.show_rows(QueueView.MY_CASES, [])
    assert pane.stack.currentWidget() is pane.empty
    assert "Take one" in pane.empty.text()


def test_customer_text_is_shown_as_the_characters_typed(qtbot):
    """A customer called <b>x</b><img…> must never render or fetch anything."""
    case, history, handoff = CasePane(), HistoryPane(), HandoffPane()
    for widget in (case, history, handoff):
        qtbot.addWidget(widget)
    detail = _detail()
    case.show_case(detail)
    history.show_case(detail)
    handoff.show_case(detail)
    from PySide6.QtWidgets import QLabel

    labels = [w for p in (case, history, handoff) for w in p.findChildren(QLabel)]
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels
               if HOSTILE in label.text())  # fmt: skip
    assert any(HOSTILE in label.text() for label in labels)
    history.timeline.setCurrentRow(0)
    assert HOSTILE in history.entry.toPlainText()


def test_bounced_case_warns_not_to_make_them_repeat(qtbot):
    pane = CasePane()
    qtbot.addWidget(pane)
    pane.show_case(_detail(transfers=3))
    assert not pane.bounced.isHidden() and "Bounced 3 times" in pane.bounced.text()
    pane.show_case(_detail(transfers=1))
    assert pane.bounced.isHidden()


@pytest.mark.parametrize("body", ["x" * 1_000_000, "\u202eevil\u202c \x00\x07 😀" * 1000])
def test_huge_or_strange_bodies_do_not_break_the_timeline(qtbot, body):
    pane = HistoryPane()
    qtbot.addWidget(pane)
    pane.show_case(_detail(name="Ann", body=body))
    assert len(pane.timeline.item(0).text()) < 300  # one line per entry in the list
    pane.timeline.setCurrentRow(0)
    assert body[:1000] in pane.entry.toPlainText()


def test_queue_columns_cover_what_a_rep_scans_for_most_urgent_first():
    assert {"Key", "Customer", "Subject", "Priority", "Status", "Mood", "Waiting", "SLA"} <= set(
        COLUMNS
    )
    assert COLUMNS[:3] == ["Key", "SLA", "Priority"]  # visible without scrolling sideways
