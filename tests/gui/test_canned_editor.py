"""The canned-response editor: bad input is explained under its own field as the person types
and keeps Save off, a refusal from the database lands under its field too, a good response is
saved through the runner and shows in the panel, each person is offered only the scopes they may
write, and a colleague's earlier save never costs anyone their text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from deskapp.domain.enums import CannedScope
from deskapp.gui import canned_actions
from deskapp.gui.canned_editor import CannedEditor, EditorMode
from deskapp.services import canned
from deskapp.services.canned_library import CannedDraft, update_response
from tests.gui.canned_gui_helpers import desks, gui_workspace_as, write_response
from tests.gui.test_accessible_names import _unnamed_controls
from tests.gui.test_tab_order import assert_keyboard_friendly

pytestmark = pytest.mark.dialects("sqlite")


@pytest.fixture
def desk_for(db, qtbot, runner, tmp_path):
    yield from desks(db, qtbot, runner, tmp_path)


def editor_for(qtbot, runner, db, who: str = "rep", **kwargs) -> CannedEditor:
    _ws, actor = db.sign_in(who)
    editor = CannedEditor(runner, gui_workspace_as(db, who), actor, **kwargs)
    qtbot.addWidget(editor)
    editor.confirm_discard = lambda: True  # closing at the end of a test discards quietly
    return editor


def fill(
    editor: CannedEditor,
    *,
    title="Parcel running late",
    shortcut="late",
    category="shipping",
    tags="delay, email",
    body="Hi {{customer.first_name}}, your parcel is running late.",
) -> None:
    editor.title.setText(title)
    editor.shortcut.setText(shortcut)
    editor.category.setCurrentIndex(editor.category.findData(category))
    editor.tags.setText(tags)
    editor.body.setPlainText(body)


def shown_problems(editor: CannedEditor) -> dict[str, str]:
    return {field: label.text() for field, label in editor.problems.items() if not label.isHidden()}


BAD_BODIES = [
    pytest.param("Hi <script>alert(1)</script> there", "remove the <script> tag", id="script"),
    pytest.param(
        "Hi {{customer.name, thanks for waiting.",
        "is not closed: end it with }}",
        id="unclosed-placeholder",
    ),
    pytest.param(
        "Hi {{custmer.name}}, thanks.", "did you mean {{customer.name}}?", id="misspelt-placeholder"
    ),
    pytest.param("x" * 100_000, "The text is 100 KB (100,000 bytes)", id="100-kb"),
]


@pytest.mark.parametrize(("body", "expected"), BAD_BODIES)
def test_a_bad_body_is_explained_under_the_text_and_blocks_save(qtbot, runner, db, body, expected):
    editor = editor_for(qtbot, runner, db)
    fill(editor)
    assert shown_problems(editor) == {} and editor.save_button.isEnabled()
    editor.body.setPlainText(body)
    assert list(shown_problems(editor)) == ["body"], "only the text is wrong"
    assert expected in shown_problems(editor)["body"]
    assert not editor.save_button.isEnabled()
    assert expected in editor.body.accessibleDescription()  # read out with the field
    editor.body.setPlainText("Hi {{customer.name}}, thanks for waiting.")
    assert shown_problems(editor) == {} and editor.save_button.isEnabled()


def test_the_preview_uses_sample_values_and_names_what_will_be_asked(qtbot, runner, db):
    editor = editor_for(qtbot, runner, db)
    fill(editor, body="Hi {{customer.first_name}}, refund of {{refund.amount}} for {{case.key}}.")
    assert editor.preview.toPlainText() == "Hi Ana, refund of {{refund.amount}} for C-000123."
    assert "{{refund.amount}}" in editor.preview_note.text()


def test_a_new_response_says_what_is_still_needed_without_shouting(qtbot, runner, db):
    editor = editor_for(qtbot, runner, db)
    assert shown_problems(editor) == {}, "nothing typed yet: no red under untouched fields"
    assert not editor.save_button.isEnabled()
    assert "a title" in editor.status.text() and "the text" in editor.status.text()
    editor.title.setText("   ")
    assert "Give the response a title" in shown_problems(editor)["title"]


def test_a_shortcut_taken_among_the_visible_responses_is_flagged_as_it_is_typed(qtbot, runner, db):
    taken = write_response(db, "lead", CannedScope.TEAM, "Late parcel (team)", "late", "Late.")
    editor = editor_for(qtbot, runner, db, known=canned.usable_responses(*db.sign_in("rep")))
    fill(editor, shortcut="/Late")
    assert (
        "/late is already the shortcut of “Late parcel (team)”"
        in shown_problems(editor)["shortcut"]
    )
    assert not editor.save_button.isEnabled()
    editor.shortcut.setText("late2")
    assert shown_problems(editor) == {} and editor.save_button.isEnabled()
    assert taken.title


def test_a_duplicate_shortcut_found_by_the_database_shows_under_the_shortcut(qtbot, runner, db):
    write_response(db, "rep", CannedScope.PERSONAL, "My late parcel", "late", "Late again.")
    editor = editor_for(qtbot, runner, db, known=[])  # the panel had not loaded it yet
    fill(editor)
    assert editor.save_button.isEnabled()
    editor.save_button.click()
    qtbot.waitUntil(lambda: "shortcut" in shown_problems(editor), timeout=10_000)
    assert "/late is already the shortcut of “My late parcel”" in shown_problems(editor)["shortcut"]
    assert not editor.save_button.isEnabled()
    assert editor.body.toPlainText().startswith("Hi {{customer.first_name}}")  # nothing lost
    editor.shortcut.setText("late-again")
    assert shown_problems(editor) == {} and editor.save_button.isEnabled()
    with qtbot.waitSignal(editor.saved, timeout=10_000) as saved:
        editor.save_button.click()
    assert saved.args[0].shortcut == "late-again"


@pytest.mark.parametrize(
    ("who", "offered"),
    [
        ("rep", [CannedScope.PERSONAL]),
        ("lead", [CannedScope.PERSONAL, CannedScope.TEAM]),
        ("admin", [CannedScope.PERSONAL, CannedScope.TEAM, CannedScope.GLOBAL]),
    ],
)
def test_each_person_is_offered_only_the_scopes_they_may_write(qtbot, runner, db, who, offered):
    editor = editor_for(qtbot, runner, db, who)
    scopes = [editor.scope.itemData(i) for i in range(editor.scope.count())]
    assert scopes == offered


def test_a_good_response_saves_and_appears_in_the_panel(qtbot, desk_for):
    desk = desk_for("rep")
    before = desk.titles()
    desk.actions.action_new.trigger()
    editor = desk.actions.editor
    assert editor is not None and editor.mode is EditorMode.NEW and editor.isVisible()
    assert [editor.scope.itemData(i) for i in range(editor.scope.count())] == [CannedScope.PERSONAL]
    fill(editor, title="Parcel stuck in customs", shortcut="customs")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save_button.click()
    qtbot.waitUntil(lambda: "Parcel stuck in customs" in desk.titles(), timeout=10_000)
    assert set(before) <= set(desk.titles()), "the other responses are still there"
    desk.pane.search.setText("customs")
    assert desk.pane.current_response().title == "Parcel stuck in customs"
    assert "your parcel is running late" in desk.pane.preview.toPlainText()
    assert desk.window.statusBar().currentMessage() == "Saved “Parcel stuck in customs”."
    assert desk.problems == []


def test_the_panel_offers_edit_for_ones_own_and_suggest_for_the_teams(qtbot, desk_for, db):
    write_response(db, "rep", CannedScope.PERSONAL, "My sign-off", "bye", "Speak soon.")
    write_response(db, "lead", CannedScope.TEAM, "Team apology", "sorry", "We are sorry.")
    desk = desk_for("rep")
    pane = desk.pane
    desk.select("My sign-off")
    assert pane.action_edit.isVisible() and pane.action_edit.isEnabled()
    assert pane.action_retire.isEnabled() and not pane.action_suggest.isVisible()
    desk.select("Team apology")
    assert pane.action_suggest.isVisible() and pane.action_suggest.isEnabled()
    assert not pane.action_edit.isVisible() and not pane.action_retire.isEnabled()
    pane.action_suggest.trigger()
    editor = desk.actions.editor
    assert editor is not None and editor.mode is EditorMode.SUGGEST
    assert not editor.scope.isEnabled() and editor.chosen_scope() is CannedScope.TEAM
    assert editor.body.toPlainText() == "We are sorry." and editor.reason.isVisible()
    editor.confirm_discard = lambda: True
    editor.reject()


def test_edit_with_f2_saves_the_change(qtbot, desk_for, db):
    write_response(db, "rep", CannedScope.PERSONAL, "My sign-off", "bye", "Speak soon.")
    desk = desk_for("rep")
    desk.window.show()
    desk.select("My sign-off")
    desk.pane.results.setFocus()
    qtbot.waitUntil(desk.pane.results.hasFocus)
    qtbot.keyClick(desk.pane.results, Qt.Key.Key_F2)
    editor = desk.actions.editor
    assert editor is not None and editor.mode is EditorMode.EDIT
    assert not editor.save_button.isEnabled() and editor.status.text() == "Nothing changed yet."
    editor.body.setPlainText("Speak soon,\n{{agent.first_name}}")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save_button.click()
    qtbot.waitUntil(
        lambda: desk.pane.preview.toPlainText().startswith("Speak soon,\n"), timeout=10_000
    )


def test_retire_asks_first_and_then_the_response_is_gone(qtbot, desk_for, db, monkeypatch):
    write_response(db, "rep", CannedScope.PERSONAL, "Old sign-off", "old", "Cheers.")
    desk = desk_for("rep")
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(
        canned_actions, "confirm_box", lambda _parent, text: asked.append(text) or answer[0]
    )
    desk.select("Old sign-off")
    desk.pane.action_retire.trigger()
    assert len(asked) == 1 and "Retire “Old sign-off”?" in asked[0]
    desk.actions._runner.wait_idle()
    assert "Old sign-off" in desk.titles(), "cancelled: still there"
    answer[0] = True
    desk.pane.action_retire.trigger()
    desk.pane.search.clear()
    qtbot.waitUntil(lambda: "Old sign-off" not in desk.titles(), timeout=10_000)
    assert desk.problems == []


def test_someone_saving_first_keeps_my_text_and_lets_me_overwrite(qtbot, runner, db):
    mine = write_response(db, "rep", CannedScope.PERSONAL, "My sign-off", "bye", "Speak soon.")
    editor = editor_for(qtbot, runner, db, response=mine)
    editor.body.setPlainText("Speak soon, and thank you.")
    ws, rep = db.sign_in("rep")  # the same person on another computer saves first
    update_response(
        ws,
        rep,
        mine.id,
        mine.version,
        CannedDraft(CannedScope.PERSONAL, "My sign-off", "bye", "shipping", (), "Bye for now."),
    )
    editor.save_button.click()
    qtbot.waitUntil(lambda: editor.overwrite_button.isEnabled(), timeout=10_000)
    assert not editor.stale.isHidden()
    assert "Someone else saved “My sign-off”" in editor.stale_message.text()
    assert editor.stale_text.toPlainText() == "Bye for now."
    assert editor.body.toPlainText() == "Speak soon, and thank you."  # mine, untouched
    with qtbot.waitSignal(editor.saved, timeout=10_000) as saved:
        editor.overwrite_button.click()
    assert saved.args[0].body == "Speak soon, and thank you."
    assert saved.args[0].version == mine.version + 2


def test_taking_theirs_keeps_my_text_on_screen(qtbot, runner, db):
    mine = write_response(db, "rep", CannedScope.PERSONAL, "My sign-off", "bye", "Speak soon.")
    editor = editor_for(qtbot, runner, db, response=mine)
    editor.body.setPlainText("My better wording.")
    ws, rep = db.sign_in("rep")
    update_response(
        ws,
        rep,
        mine.id,
        mine.version,
        CannedDraft(CannedScope.PERSONAL, "My sign-off", "bye", "shipping", (), "Their wording."),
    )
    editor.save_button.click()
    qtbot.waitUntil(lambda: editor.take_theirs_button.isEnabled(), timeout=10_000)
    editor.take_theirs_button.click()
    assert editor.body.toPlainText() == "Their wording."
    assert editor.stale_text.toPlainText() == "My better wording."
    assert not editor.save_button.isEnabled(), "nothing changed against their version yet"
    editor.body.setPlainText("Their wording, and mine.")
    with qtbot.waitSignal(editor.saved, timeout=10_000) as saved:
        editor.save_button.click()
    assert saved.args[0].body == "Their wording, and mine."


def test_closing_with_unsaved_text_asks_first(qtbot, runner, db):
    editor = editor_for(qtbot, runner, db)
    editor.show()
    fill(editor)
    editor.confirm_discard = lambda: False
    editor.reject()
    assert editor.isVisible(), "kept open: the text is not lost"
    editor.confirm_discard = lambda: True
    editor.reject()
    assert not editor.isVisible()


def test_the_editor_is_named_and_keyboard_operable(qtbot, runner, db):
    for who, suggest in (("admin", False), ("rep", True)):
        team = write_response(db, "lead", CannedScope.TEAM, f"Team reply {who}", None, "Hello.")
        editor = editor_for(
            qtbot, runner, db, who, response=team if suggest else None, suggest=suggest
        )
        assert _unnamed_controls(editor) == []
        order = assert_keyboard_friendly(qtbot, editor)
        expected = [
            "cannedEditorTitle",
            "cannedEditorShortcut",
            "cannedEditorCategory",
            "cannedEditorTags",
            "cannedEditorBody",
            "cannedEditorPreview",
        ]
        assert [name for name in order if name in expected] == expected
        editor.close()
