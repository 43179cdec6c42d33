"""No lost updates with two real clients on PostgreSQL: Rae (a rep) and Lee (her lead) each in
their own main window, with their own login and workspace, on the same case. Whoever saves
second sees their own change and the other side together and chooses — keep mine, take theirs,
or merge by hand — and never loses what they typed."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest

from deskapp.domain.enums import Mood, Priority
from deskapp.gui.case_edit_dialogs import ConflictDialog
from deskapp.gui.case_merge import MergeDialog
from deskapp.gui.profile_note_dialog import ProfileNoteDialog
from deskapp.services import cases, customer_notes
from tests.gui.case_view_helpers import customer_with_case, wait_for_case
from tests.gui.two_clients import Client, clients

pytestmark = pytest.mark.dialects("postgresql")


@pytest.fixture
def make(db, qtbot, tmp_path, runner):
    yield from clients(db, qtbot, tmp_path, runner)


@pytest.fixture
def both_on_one_case(db, qtbot, make):
    """Rae's own case, open in Rae's window and in Lee's."""
    ws, rae = db.sign_in("rep")
    case = customer_with_case(ws, rae)
    rae_client, lee_client = make("rep"), make("lead")
    wait_for_case(qtbot, rae_client.window, case.id)
    lee_client.window.desk.open_case(case.id)
    wait_for_case(qtbot, lee_client.window, case.id)
    return case, ws, rae_client, lee_client


def _pick(combo, value) -> None:
    combo.setCurrentIndex(combo.findData(value))
    combo.activated.emit(combo.currentIndex())


def _conflict(qtbot, client: Client) -> ConflictDialog:
    editing = client.window.case_work.editing
    qtbot.waitUntil(lambda: editing.conflict_dialog is not None, timeout=10_000)
    dialog = editing.conflict_dialog
    assert isinstance(dialog, ConflictDialog) and dialog.isVisible()
    return dialog


def _texts(dialog: ConflictDialog, field: str) -> tuple[str, ...]:
    return tuple(label.text() for label in dialog.rows[field])


def test_rae_sees_lee_editing_then_merges_her_category_with_his_priority(
    db, qtbot, both_on_one_case
):
    case, ws, rae, lee = both_on_one_case
    # Lee starts typing in the case: Rae's header says so.
    lee_pane = lee.window.desk.case_pane
    QTest.keyClicks(lee_pane.composer.editor, "Rae, I'm raising this one")
    rae_header = rae.window.desk.case_pane.presence

    def rae_sees_lee_editing() -> bool:
        rae.window.presence.look_now()
        return rae_header.text() == "● Lee Lead is editing"

    qtbot.waitUntil(rae_sees_lee_editing, timeout=5_000)
    # Lee saves a higher priority; Rae, on the version she saw, types a category.
    with qtbot.waitSignal(lee.window.case_work.editing.saved, timeout=10_000):
        _pick(lee_pane.priority, Priority.URGENT)
    rae_pane = rae.window.desk.case_pane
    rae_pane.category.setText("card dispute")
    rae_pane.category.editingFinished.emit()
    dialog = _conflict(qtbot, rae)
    assert "Lee Lead saved" in dialog.findChild(type(rae_pane.title), "conflictIntro").text()
    assert _texts(dialog, "category") == ("—", "card dispute", "—")
    assert _texts(dialog, "priority") == ("Normal", "(unchanged)", "Urgent")
    # Merge by hand, then Back: the choice comes again, her change still in it.
    dialog.merge.click()
    editing = rae.window.case_work.editing
    qtbot.waitUntil(lambda: editing.merge_dialog is not None, timeout=5_000)
    merge = editing.merge_dialog
    assert isinstance(merge, MergeDialog)
    assert merge.category.text() == "card dispute"
    assert merge.findChild(type(rae_pane.title), "mergeTheirs_priority").text() == "Urgent"
    merge.back.click()
    dialog = _conflict(qtbot, rae)
    assert _texts(dialog, "category")[1] == "card dispute"
    dialog.merge.click()
    qtbot.waitUntil(lambda: editing.merge_dialog is not None, timeout=5_000)
    merge = editing.merge_dialog
    assert merge.priority.currentData() == Priority.URGENT  # she did not touch it: his stays
    merge.category.setText("card dispute, refund R-88")
    merge.mood.setCurrentIndex(merge.mood.findData(Mood.FRUSTRATED))
    with qtbot.waitSignal(editing.saved, timeout=10_000):
        merge.save.click()
    state = cases.get_case_state(ws, case.id)
    assert (state.priority, state.category, state.mood) == (
        Priority.URGENT, "card dispute, refund R-88", Mood.FRUSTRATED,
    )  # fmt: skip
    assert rae_pane.version == state.version
    assert rae.problems == [] and lee.problems == []


@pytest.mark.parametrize("choice", ["keep", "take"])
def test_keep_mine_or_take_theirs_between_two_windows(db, qtbot, both_on_one_case, choice):
    case, ws, rae, lee = both_on_one_case
    with qtbot.waitSignal(lee.window.case_work.editing.saved, timeout=10_000):
        _pick(lee.window.desk.case_pane.mood, Mood.CALM)
    _pick(rae.window.desk.case_pane.mood, Mood.ANGRY)
    dialog = _conflict(qtbot, rae)
    assert _texts(dialog, "mood") == ("Neutral", "Angry", "Calm")
    editing = rae.window.case_work.editing
    if choice == "keep":
        with qtbot.waitSignal(editing.saved, timeout=10_000):
            dialog.keep.click()
    else:
        with qtbot.waitSignal(editing.taken, timeout=10_000):
            dialog.take.click()
    wanted = Mood.ANGRY if choice == "keep" else Mood.CALM
    assert cases.get_case_state(ws, case.id).mood is wanted
    qtbot.waitUntil(lambda: rae.window.desk.case_pane.mood.currentData() == wanted, timeout=5_000)


def _note_editor(qtbot, client: Client) -> ProfileNoteDialog:
    notes = client.window.profile_notes
    assert notes.action.isEnabled()
    notes.action.trigger()
    qtbot.waitUntil(lambda: notes.dialog is not None, timeout=10_000)
    assert notes.dialog is not None
    return notes.dialog


def test_two_reps_writing_the_customer_note_keep_both_texts(db, qtbot, both_on_one_case,
                                                           monkeypatch):  # fmt: skip
    case, ws, rae, lee = both_on_one_case
    rae_editor, lee_editor = _note_editor(qtbot, rae), _note_editor(qtbot, lee)
    mine = "Prefers email after 6pm.\n<b>Never</b> call before 9."
    rae_editor.editor.setPlainText(mine)
    lee_editor.editor.setPlainText("Hard of hearing: speak slowly.")
    with qtbot.waitSignal(lee_editor.saved, timeout=10_000):
        lee_editor.save_button.click()
    rae_editor.save_button.click()
    qtbot.waitUntil(lambda: rae_editor.conflict.isVisibleTo(rae_editor), timeout=10_000)
    # Side by side: hers in the editor, untouched; his beside it; markup stays text.
    assert rae_editor.editor.toPlainText() == mine
    assert rae_editor.other.toPlainText() == "Hard of hearing: speak slowly."
    assert rae_editor.other_heading.text() == "Theirs (Lee Lead)"
    assert "Lee Lead saved this note" in rae_editor.conflict_message.text()
    assert not rae_editor.save_button.isEnabled()  # choose first
    # Taking his puts hers beside it; closing now would lose hers, so it asks.
    rae_editor.take_button.click()
    assert rae_editor.editor.toPlainText() == "Hard of hearing: speak slowly."
    assert rae_editor.other.toPlainText() == mine
    asked: list[bool] = []
    monkeypatch.setattr(rae_editor, "confirm_discard", lambda: asked.append(True) or False)
    rae_editor.reject()
    assert asked == [True] and rae_editor.isVisible()
    # She merges by copying hers under his, and saves against his version.
    rae_editor.editor.setPlainText(f"Hard of hearing: speak slowly.\n{mine}")
    with qtbot.waitSignal(rae_editor.saved, timeout=10_000):
        rae_editor.save_button.click()
    saved = customer_notes.profile_note(ws, case.customer_id)
    assert saved.text == f"Hard of hearing: speak slowly.\n{mine}"
    card = rae.window.desk.history_pane.card
    qtbot.waitUntil(lambda: card.full_note == saved.text, timeout=10_000)
    assert rae.problems == [] and lee.problems == []


def test_keeping_my_note_saves_it_over_theirs(db, qtbot, both_on_one_case):
    case, ws, rae, lee = both_on_one_case
    rae_editor, lee_editor = _note_editor(qtbot, rae), _note_editor(qtbot, lee)
    lee_editor.editor.setPlainText("VIP since March.")
    with qtbot.waitSignal(lee_editor.saved, timeout=10_000):
        lee_editor.save_button.click()
    rae_editor.editor.setPlainText("VIP since March; wants a call-back, not email.")
    rae_editor.save_button.click()
    qtbot.waitUntil(lambda: rae_editor.conflict.isVisibleTo(rae_editor), timeout=10_000)
    assert rae_editor.keep_button.isEnabled()
    with qtbot.waitSignal(rae_editor.saved, timeout=10_000):
        rae_editor.keep_button.click()
    saved = customer_notes.profile_note(ws, case.customer_id)
    assert saved.text == "VIP since March; wants a call-back, not email."
