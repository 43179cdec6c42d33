"""Suggested edits in the GUI: a rep suggests better wording for a team response from the panel,
their lead sees it counted in the Responses menu, reads it beside the current text and accepts
it, and the panel then shows the new text; a rejection carries the lead's comment; accepting a
suggestion written against an older version is refused with a clear message."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from deskapp.db.models import CannedSuggestion
from deskapp.domain.canned_validation import SuggestionStatus
from deskapp.domain.enums import CannedScope
from deskapp.gui.canned_editor import EditorMode
from deskapp.gui.canned_suggestions_dialog import CannedSuggestionsDialog, changed_lines
from deskapp.services.canned_library import CannedDraft, suggest_edit, update_response
from deskapp.services.unit_of_work import read_session
from tests.gui.canned_gui_helpers import desks, gui_workspace_as, write_response
from tests.gui.test_accessible_names import _unnamed_controls
from tests.gui.test_tab_order import assert_keyboard_friendly

pytestmark = pytest.mark.dialects("sqlite")
TEAM = CannedScope.TEAM


@pytest.fixture
def desk_for(db, qtbot, runner, tmp_path):
    yield from desks(db, qtbot, runner, tmp_path)


def _suggest(db, response, body: str, reason: str):
    ws, rep = db.sign_in("rep")
    draft = CannedDraft(TEAM, response.title, response.shortcut, response.category, (), body)
    return suggest_edit(ws, rep, response.id, draft, reason)


def _status(db, suggestion_id) -> tuple[SuggestionStatus, str]:
    ws, _admin = db.sign_in("admin")
    with read_session(ws) as session:
        row = session.scalars(select(CannedSuggestion).where(CannedSuggestion.id == suggestion_id))
        found = row.one()
        return found.status, found.comment


def test_a_rep_suggests_the_lead_accepts_and_the_text_changes(qtbot, desk_for, db):
    write_response(
        db,
        "lead",
        TEAM,
        "Parcel running late",
        "late",
        "Your parcel will arrive shortly.\nSorry for the wait.",
    )
    rep = desk_for("rep")
    rep.select("Parcel running late")
    assert not rep.actions.action_review.isVisible(), "a rep has no suggestions to review"
    rep.pane.action_suggest.trigger()
    editor = rep.actions.editor
    assert editor is not None and editor.mode is EditorMode.SUGGEST
    editor.body.setPlainText("Your parcel will arrive within 2 working days.\nSorry for the wait.")
    assert not editor.save_button.isEnabled(), "a suggestion says why"
    assert "Say why you suggest this change" in editor.problems["reason"].text()
    editor.reason.setText("Customers read “shortly” as today")
    assert editor.save_button.isEnabled()
    with qtbot.waitSignal(editor.suggested, timeout=10_000):
        editor.save_button.click()
    assert "Your suggestion for “Parcel running late” was sent" in (
        rep.window.statusBar().currentMessage()
    )
    assert rep.problems == []

    lead = desk_for("lead")
    review = lead.actions.action_review
    assert review.isVisible()
    qtbot.waitUntil(lambda: review.text() == "&Suggestions to review (1)…", timeout=10_000)
    review.trigger()
    dialog = lead.actions.suggestions_dialog
    assert isinstance(dialog, CannedSuggestionsDialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10_000)
    assert dialog.heading.text() == "“Parcel running late”, suggested by Rae Rep"
    assert dialog.reason.text() == "Why: Customers read “shortly” as today"
    assert dialog.fields.text() == "Only the text changes."
    assert dialog.current.toPlainText().startswith("Your parcel will arrive shortly.")
    assert dialog.suggested.toPlainText().startswith("Your parcel will arrive within 2")
    assert len(dialog.suggested.extraSelections()) == 1, "the changed line is marked"
    dialog.comment.setText("Good catch, thanks")
    with qtbot.waitSignal(dialog.decided, timeout=10_000) as decided:
        dialog.accept_button.click()
    assert decided.args[1] is True
    qtbot.waitUntil(lambda: dialog.list.count() == 0, timeout=10_000)
    assert "accepted: the response now reads as suggested" in dialog.status.text()
    qtbot.waitUntil(lambda: review.text() == "&Suggestions to review (0)…", timeout=10_000)
    lead.pane.search.clear()
    qtbot.waitUntil(
        lambda: _body_of(lead, "Parcel running late").startswith(
            "Your parcel will arrive within 2 working days."
        ),
        timeout=10_000,
    )
    assert _status(db, decided.args[0]) == (SuggestionStatus.ACCEPTED, "Good catch, thanks")
    assert lead.problems == []


def _body_of(desk, title: str) -> str:
    response = next(r for r in desk.pane._library.responses if r.title == title)
    return response.body


def test_a_rejection_keeps_the_text_and_records_the_comment(qtbot, runner, db):
    team = write_response(db, "lead", TEAM, "Refund issued", "refund", "Refunded today.")
    suggestion = _suggest(db, team, "Refunded, see you soon.", "Friendlier")
    _ws, lead = db.sign_in("lead")
    dialog = CannedSuggestionsDialog(runner, gui_workspace_as(db, "lead"), lead)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10_000)
    dialog.comment.setText("We never promise to see customers")
    with qtbot.waitSignal(dialog.decided, timeout=10_000):
        dialog.reject_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 0, timeout=10_000)
    assert "No suggestions are waiting for you." in dialog.status.text()
    assert _status(db, suggestion.id) == (
        SuggestionStatus.REJECTED,
        "We never promise to see customers",
    )


def test_accepting_a_suggestion_on_an_edited_response_is_refused_clearly(qtbot, runner, db):
    team = write_response(db, "lead", TEAM, "Refund issued", "refund", "Refunded today.")
    _suggest(db, team, "Refunded, thanks for waiting.", "Thank them")
    ws, lead = db.sign_in("lead")
    update_response(
        ws,
        lead,
        team.id,
        team.version,
        CannedDraft(TEAM, "Refund issued", "refund", "shipping", (), "Refunded."),
    )
    dialog = CannedSuggestionsDialog(runner, gui_workspace_as(db, "lead"), lead)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10_000)
    assert "Category: Shipping" not in dialog.fields.text()  # same category both sides
    dialog.accept_button.click()
    qtbot.waitUntil(
        lambda: "was edited after this suggestion" in dialog.status.text(), timeout=10_000
    )
    assert dialog.list.count() == 1 and dialog.accept_button.isEnabled()


def test_a_lead_does_not_review_their_own_suggestion(qtbot, runner, db):
    global_one = write_response(db, "admin", CannedScope.GLOBAL, "Welcome", "hi", "Hello!")
    ws, lead = db.sign_in("lead")
    suggest_edit(
        ws,
        lead,
        global_one.id,
        CannedDraft(CannedScope.GLOBAL, "Welcome", "hi", "greeting", (), "Hello there!"),
        "Warmer",
    )
    dialog = CannedSuggestionsDialog(runner, gui_workspace_as(db, "lead"), lead)
    qtbot.addWidget(dialog)
    assert runner.wait_idle()
    assert dialog.list.count() == 0, "a lead may not change global responses: the admin decides"
    _ws, admin = db.sign_in("admin")
    admin_dialog = CannedSuggestionsDialog(runner, gui_workspace_as(db, "admin"), admin)
    qtbot.addWidget(admin_dialog)
    qtbot.waitUntil(lambda: admin_dialog.list.count() == 1, timeout=10_000)
    assert "Lee Lead" in admin_dialog.heading.text()


def test_changed_lines_are_found_on_both_sides():
    removed, added = changed_lines("a\nb\nc", "a\nB\nc\nd")
    assert removed == [1] and added == [1, 3]


def test_the_suggestions_dialog_is_named_and_keyboard_operable(qtbot, runner, db):
    team = write_response(db, "lead", TEAM, "Refund issued", "refund", "Refunded today.")
    _suggest(db, team, "Refunded, thanks.", "Thank them")
    _ws, lead = db.sign_in("lead")
    dialog = CannedSuggestionsDialog(runner, gui_workspace_as(db, "lead"), lead)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=10_000)
    assert _unnamed_controls(dialog) == []
    order = assert_keyboard_friendly(qtbot, dialog)
    assert order.index("cannedSuggestionComment") < order.index("cannedSuggestionAccept")
