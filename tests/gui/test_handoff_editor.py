"""The handoff editor: built from the template, linted as the rep types, findings next to their
fields, submit only when nothing blocks, plain text only, drafts saved and restored."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit

from deskapp.domain.enums import Mood, RiskLevel
from deskapp.domain.handoff import NextAction, NoteContent, Promise
from deskapp.domain.handoff_lint import Finding, Severity
from deskapp.domain.handoff_template import HandoffTemplate
from deskapp.drafts import DraftKey, DraftStore
from deskapp.gui.handoff.autosave import DraftAutosave
from deskapp.gui.handoff.due_edit import UNSET_TEXT, DueEdit
from deskapp.gui.handoff.editor import LINT_DELAY_MS, HandoffEditor
from deskapp.gui.handoff.inputs import ActionRows, Choice, PromiseRows
from deskapp.services.handoff_templates import default_template

SOON = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
GOOD = NoteContent(
    risk=RiskLevel.WATCH,
    summary="Ann's refund for order 5521 bounced twice; she needs it before her rent is due.",
    done="Re-issued refund R-88 to the card ending 4242 and emailed her the reference.",
    next_actions=(NextAction("Check refund R-88 has settled", "next owner", SOON),),
    commitments=(Promise("Call Ann back with the settlement date", SOON),),
    contingencies="If R-88 bounces too, escalate to Billing and offer store credit.",
    mood=Mood.FRUSTRATED,
    contact_preference="Phone after 17:00 her time",
)


@pytest.fixture
def editor(qtbot) -> HandoffEditor:
    widget = HandoffEditor(default_template(), customer_zone="Europe/Amsterdam")
    qtbot.addWidget(widget)
    return widget


def _visible_findings(editor: HandoffEditor) -> dict[str, str]:
    return {key: label.text() for key, label in editor.findings_labels.items()
            if not label.isHidden()}  # fmt: skip


def test_every_template_field_gets_its_input_and_its_help(editor):
    template = default_template()
    assert list(editor.inputs) == [spec.key for spec in template.fields]
    assert isinstance(editor.inputs["risk"], Choice)
    assert isinstance(editor.inputs["summary"], QPlainTextEdit)
    assert isinstance(editor.inputs["next_actions"], ActionRows)
    assert isinstance(editor.inputs["commitments"], PromiseRows)
    for spec in template.fields:
        help_label = editor.findChild(QLabel, f"help_{spec.key}")
        assert help_label is not None and help_label.text() == spec.help
    risk = editor.inputs["risk"]
    risk.button_for(RiskLevel.WATCH).click()
    risk.button_for(RiskLevel.AT_RISK).click()
    assert risk.value() is RiskLevel.AT_RISK, "risk is one choice of three"
    assert not risk.button_for(RiskLevel.WATCH).isChecked()


def test_an_empty_note_cannot_be_submitted_and_says_why_next_to_each_field(editor):
    assert not editor.can_submit()
    shown = _visible_findings(editor)
    assert set(shown) == {"risk", "summary", "done", "next_actions", "commitments", "mood"}
    assert shown["summary"].startswith("Must fix: Describe the situation")
    assert "nothing was promised" in shown["commitments"]
    # Each finding sits in its own field's box, right under the input.
    summary_box = editor.findChild(QLabel, "findings_summary").parentWidget()
    assert summary_box.objectName() == "field_summary"


def test_typing_lints_after_a_pause_and_submit_opens_once_complete(editor, qtbot):
    with qtbot.waitSignal(editor.findings_changed, timeout=LINT_DELAY_MS * 10):
        qtbot.keyClicks(editor.inputs["summary"], GOOD.summary)
    assert "summary" not in _visible_findings(editor)
    assert "done" in _visible_findings(editor), "the other fields still block"
    editor.set_content(GOOD)
    assert editor.can_submit(), _visible_findings(editor)
    assert _visible_findings(editor) == {}
    with qtbot.waitSignal(editor.submittable_changed, timeout=LINT_DELAY_MS * 10) as changed:
        editor.inputs["commitments"].row_widgets(0)[1].set_due(None)
    assert changed.args == [False]
    assert "Promise 1 has no date" in _visible_findings(editor)["commitments"]


def test_an_action_row_without_owner_blocks_on_the_actions_field(editor):
    editor.set_content(GOOD)
    rows = editor.inputs["next_actions"]
    rows.add_button.click()
    rows.row_widgets(1)[0].setText("Send the replacement label")
    editor.lint_now()
    text = _visible_findings(editor)["next_actions"]
    assert "Next action 2 has no owner" in text and "Next action 2 has no due time" in text
    rows.row_widgets(1)[3].click()  # Remove
    editor.lint_now()
    assert editor.can_submit()


def test_warnings_need_the_acknowledgement(editor):
    editor.set_content(GOOD)
    assert editor.can_submit() and not editor.acknowledge.isVisibleTo(editor)
    warning = Finding("summary", Severity.WARN, "This is word for word the last note.", "copied")
    editor.show_server_findings([warning])
    assert _visible_findings(editor)["summary"] == "Check: This is word for word the last note."
    assert not editor.can_submit()
    assert editor.acknowledge.isVisibleTo(editor)
    editor.acknowledge.setChecked(True)
    assert editor.can_submit() and editor.warnings_accepted()
    other = Finding("done", Severity.WARN, "An angry customer and no de-escalation noted.", "x")
    editor.show_server_findings([warning, other])
    assert not editor.acknowledge.isChecked(), "a new warning must be read too"
    assert not editor.can_submit()


def test_a_blocking_finding_cannot_be_acknowledged_away(editor):
    editor.set_content(GOOD)
    editor.show_server_findings([Finding("done", Severity.BLOCK, "A card number.", "card")])
    editor.acknowledge.setChecked(True)
    assert not editor.can_submit()
    assert _visible_findings(editor)["done"] == "Must fix: A card number."


def test_a_change_clears_what_the_server_said_about_the_old_text(editor, qtbot):
    editor.set_content(GOOD)
    editor.show_server_findings([Finding("done", Severity.BLOCK, "A card number.", "card")])
    qtbot.keyClicks(editor.inputs["done"], " Fixed.")
    editor.lint_now()
    assert editor.can_submit()


def test_pasted_markup_stays_literal_text(editor, qtbot):
    hostile = '<b>x</b><img src="http://example.invalid/x.png">'
    clipboard = QApplication.clipboard()
    mime = QMimeData()
    mime.setText(hostile)
    mime.setHtml("<b>bold from a web page</b>")
    clipboard.setMimeData(mime)
    summary = editor.inputs["summary"]
    summary.setFocus()
    summary.paste()
    # The clipboard owns the QMimeData; left there, Qt would delete its Python wrapper at exit,
    # after the interpreter has gone (a segmentation fault once pytest has finished).
    clipboard.clear()
    assert editor.content().summary == hostile
    assert summary.document().toPlainText() == hostile
    label = editor.findings_labels["summary"]
    assert label.textFormat() == Qt.TextFormat.PlainText


def test_a_team_field_is_built_and_kept_in_extra(qtbot):
    data = {
        "version": 3,
        "fields": [
            {"key": f.key, "label": f.label, "kind": f.kind, "help": f.help,
             "required": f.required}
            for f in default_template().fields
        ] + [{"key": "order_number", "label": "Order number", "kind": "line",
              "help": "The shop's order number.", "required": False}],
    }  # fmt: skip
    widget = HandoffEditor(HandoffTemplate.from_dict(data))
    qtbot.addWidget(widget)
    widget.inputs["order_number"].setText("5521")
    assert widget.content().extra == {"order_number": "5521"}
    widget.set_content(NoteContent(extra={"order_number": "7777"}))
    assert widget.inputs["order_number"].text() == "7777"


def test_a_due_time_starts_unset_and_the_first_touch_suggests_the_next_hour(qtbot):
    due = DueEdit()
    qtbot.addWidget(due)
    assert due.due() is None and due.text() == UNSET_TEXT
    qtbot.keyClick(due, Qt.Key.Key_Tab)  # moving through does not set anything
    assert due.due() is None
    qtbot.keyClick(due, Qt.Key.Key_Up)
    moment = due.due()
    assert moment is not None and moment > datetime.now(UTC)
    assert moment - datetime.now(UTC) < timedelta(hours=3)


def test_promises_are_entered_in_the_customers_time_zone(editor):
    promises = editor.inputs["commitments"]
    promises.add_button.click()
    due = promises.row_widgets(0)[1]
    due.set_due(datetime(2031, 3, 4, 14, 0, tzinfo=UTC))
    assert due.text().endswith("15:00"), "14:00 UTC is 15:00 in Amsterdam in March"
    assert "Europe/Amsterdam" in promises.findChild(QLabel, "input_commitmentsHeader1").text()


def test_autosave_writes_the_local_draft_and_a_new_editor_restores_it(qtbot):
    key = DraftKey("sqlite:///w.sqlite", uuid.uuid4(), "u-1")
    store = DraftStore()
    first = HandoffEditor(default_template())
    qtbot.addWidget(first)
    autosave = DraftAutosave(first, store, key, seconds=1)
    first.set_content(GOOD)
    qtbot.keyClicks(first.inputs["done"], " Then called the bank.")
    with qtbot.waitSignal(autosave.saved_locally, timeout=3000):
        pass
    assert store.path_for(key).exists()
    second = HandoffEditor(default_template())
    qtbot.addWidget(second)
    draft = DraftAutosave(second, store, key, seconds=1).restore()
    assert draft is not None
    assert second.content() == first.content()
    assert "Then called the bank." in second.content().done
    autosave.discard()
    assert not store.path_for(key).exists()
