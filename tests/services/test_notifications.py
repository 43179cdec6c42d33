"""Notifications (issue 9): each kind is told once, to the right person only; a kind turned off
is not told; deadlines are told once per threshold, however often the GUI polls.

Every person signs in on their own login (PostgreSQL: their own role under row-level
security); handoffs and promises are made as handoff_helpers.py makes them.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from deskapp.db.models import Case, Commitment, Team
from deskapp.services.handoff_followup import acknowledge, answer_question, ask_question
from deskapp.services.notifications import (
    ALL_KINDS,
    Notification,
    NotificationCursor,
    NotificationKind,
    poll,
)
from deskapp.services.unit_of_work import write_session
from tests.services.handoff_helpers import db_now, hand_over, new_case, promise

MARKUP = "<b>x</b><img src=http://example.invalid/x.png>"


@pytest.fixture
def people(db):
    """(workspace, actor) for rep, rep2, lead and admin, each on their own login."""
    return {who: db.sign_in(who) for who in ("rep", "rep2", "lead", "admin")}


class Watcher:
    """One person's poller, as the GUI keeps it: the cursor carried from poll to poll."""

    def __init__(self, ws, actor, kinds=ALL_KINDS) -> None:
        self.ws, self.actor, self.kinds = ws, actor, kinds
        self.cursor: NotificationCursor | None = None
        self.poll()  # the session's first poll learns what is already there

    def poll(self) -> list[Notification]:
        result = poll(self.ws, self.actor, self.cursor, self.kinds)
        self.cursor = result.cursor
        return list(result.events)


def _watchers(people, *who, kinds=ALL_KINDS) -> list[Watcher]:
    return [Watcher(*people[w], kinds=kinds) for w in who]


def _always_open(db) -> None:
    """The team works around the clock: SLA minutes are wall-clock minutes whenever the test
    runs (a team with no hours counts every hour, deskapp/domain/sla_clock.py)."""
    with write_session(db.open("admin")) as session:
        session.execute(update(Team).where(Team.id == db.team_id).values(business_hours={}))


def _sla_due(ws, case_id: uuid.UUID, due_in: timedelta) -> None:
    with write_session(ws) as session:
        session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(resolution_due=db_now(ws) + due_in, version=Case.version + 1)
        )


def _move_promise(ws, commitment_id: uuid.UUID, due_in: timedelta) -> None:
    with write_session(ws) as session:
        session.execute(
            update(Commitment)
            .where(Commitment.id == commitment_id)
            .values(due_at=db_now(ws) + due_in, version=Commitment.version + 1)
        )


# ----------------------------------------------------------------------------- assigned
def test_a_case_handed_to_me_is_told_once_and_to_me_only(people):
    (ws, rep), (_, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep, subject=MARKUP)
    mine, theirs, lead, admin = _watchers(people, "rep2", "rep", "lead", "admin")

    note_id = hand_over(ws, rep, case.id, rep2.user_id)

    [told] = mine.poll()
    assert told.kind is NotificationKind.CASE_ASSIGNED
    assert (told.case_id, told.case_key, told.key) == (case.id, case.key, f"assigned:{note_id.hex}")
    assert told.headline == f"Rae Rep handed {case.key} to you"
    assert told.detail == MARKUP  # passed on as it is; the GUI shows it as plain text
    assert mine.poll() == [] and mine.poll() == []  # told once, however often polled
    assert theirs.poll() == [] and lead.poll() == [] and admin.poll() == []


def test_signing_in_does_not_replay_what_happened_before(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep)
    hand_over(ws, rep, case.id, rep2.user_id)

    assert Watcher(ws2, rep2).poll() == []  # the handoff pane lists it; no notice for the past


def test_a_case_released_to_the_queue_is_told_to_nobody(people):
    ws, rep = people["rep"]
    case = new_case(ws, rep)
    others = _watchers(people, "rep", "rep2", "lead")

    hand_over(ws, rep, case.id, None)  # to the team queue: nobody by name

    assert all(w.poll() == [] for w in others)


def test_assignments_turned_off_are_not_told(people):
    (ws, rep), (_, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep)
    handing = {NotificationKind.CASE_ASSIGNED, NotificationKind.HANDOFF_TO_ACKNOWLEDGE}
    quiet = Watcher(*people["rep2"], kinds=ALL_KINDS - handing)
    hand_over(ws, rep, case.id, rep2.user_id)
    assert quiet.poll() == []
    quiet.kinds = ALL_KINDS  # turned on again: what happened while off stays untold
    assert [e.kind for e in quiet.poll()] == []


# ----------------------------------------------------------------------------- read-back
def test_a_note_left_unread_is_a_reminder_once_to_its_receiver_only(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep, subject=MARKUP)
    note_id = hand_over(ws, rep, case.id, rep2.user_id, age=timedelta(minutes=15))
    mine = Watcher(ws2, rep2, kinds={NotificationKind.HANDOFF_TO_ACKNOWLEDGE})
    first = mine.cursor
    assert first is not None and first.told == {f"read-back:{note_id.hex}"}

    mine.cursor = None  # as if the first poll's events were looked at again: told on it
    [told] = mine.poll()
    assert told.kind is NotificationKind.HANDOFF_TO_ACKNOWLEDGE
    assert told.headline == f"{case.key}: Rae Rep's note awaits your read-back"
    assert told.detail == MARKUP and told.case_id == case.id
    assert mine.poll() == []
    assert all(w.poll() == [] for w in _watchers(people, "rep", "lead", "admin"))

    acknowledge(ws2, rep2, note_id)
    assert mine.poll() == []


def test_a_fresh_note_waits_for_the_reminder_unless_assignment_notices_are_off(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep)
    both = Watcher(ws2, rep2)
    only_read_back = Watcher(ws2, rep2, kinds={NotificationKind.HANDOFF_TO_ACKNOWLEDGE})

    hand_over(ws, rep, case.id, rep2.user_id)

    assert [e.kind for e in both.poll()] == [NotificationKind.CASE_ASSIGNED]  # one notice
    assert [e.kind for e in only_read_back.poll()] == [NotificationKind.HANDOFF_TO_ACKNOWLEDGE]
    assert only_read_back.poll() == []


# ----------------------------------------------------------------------------- questions
def test_a_question_is_told_to_the_notes_author_only(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep)
    note_id = hand_over(ws, rep, case.id, rep2.user_id)
    author, asker, lead, admin = _watchers(people, "rep", "rep2", "lead", "admin")

    ask_question(ws2, rep2, note_id, f"Which router? {MARKUP}")

    [told] = author.poll()
    assert told.kind is NotificationKind.QUESTION_FOR_ME
    assert told.headline == f"Question from Ray Rep on your note for {case.key}"
    assert (told.detail, told.case_id) == (f"Which router? {MARKUP}", case.id)
    assert author.poll() == []
    assert asker.poll() == [] and lead.poll() == [] and admin.poll() == []


def test_a_question_answered_before_the_poll_is_not_told_and_off_means_off(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep)
    note_id = hand_over(ws, rep, case.id, rep2.user_id)
    author = Watcher(ws, rep)
    quiet = Watcher(ws, rep, kinds=ALL_KINDS - {NotificationKind.QUESTION_FOR_ME})

    ask_question(ws2, rep2, note_id, "Which router model?")
    assert quiet.poll() == []
    answer_question(ws, rep, note_id, "The grey one in the hall cupboard.")
    assert author.poll() == []


# ----------------------------------------------------------------------------- deadlines
def test_a_promise_and_an_sla_about_to_be_missed_are_told_once_per_threshold(db, people):
    _always_open(db)
    (ws, rep) = people["rep"]
    case = new_case(ws, rep, subject=MARKUP)
    mine, other, lead = _watchers(people, "rep", "rep2", "lead")

    call_back = promise(ws, rep, case.id, f"Call back {MARKUP}", timedelta(minutes=20))
    _sla_due(ws, case.id, timedelta(minutes=25))

    told = mine.poll()
    assert {e.kind for e in told} == {NotificationKind.DEADLINE_AT_RISK}
    by_detail = {e.detail: e for e in told}
    assert set(by_detail) == {f"Call back {MARKUP}", MARKUP}
    assert by_detail[f"Call back {MARKUP}"].headline in (
        f"{case.key}: promise due in 20 min", f"{case.key}: promise due in 19 min",
    )  # fmt: skip
    assert told[-1].detail == f"Call back {MARKUP}"  # the soonest due is shown on top
    assert by_detail[MARKUP].headline.startswith(f"{case.key}: resolution due in 2")
    assert mine.poll() == [] and mine.poll() == []  # once, not on every poll
    assert other.poll() == [] and lead.poll() == []  # my cases only

    _move_promise(ws, call_back, timedelta(minutes=3))  # the next threshold: told once more
    [closer] = mine.poll()
    assert closer.headline in (
        f"{case.key}: promise due in 3 min",
        f"{case.key}: promise due in 2 min",
    )
    assert mine.poll() == []


def test_far_kept_missed_and_paused_deadlines_are_not_told(db, people):
    _always_open(db)
    (ws, rep) = people["rep"]
    case = new_case(ws, rep)
    mine = Watcher(ws, rep)
    promise(ws, rep, case.id, "Send the refund form", timedelta(hours=3))
    promise(ws, rep, case.id, "Call at noon", timedelta(minutes=-5))  # missed: the queue says so
    promise(ws, rep, case.id, "Email the invoice", timedelta(minutes=10), fulfilled=True)
    _sla_due(ws, case.id, timedelta(hours=4))
    assert mine.poll() == []

    first_seen_late = promise(ws, rep, case.id, "Ring back", timedelta(minutes=4))
    [told] = mine.poll()  # the tightest threshold only: one notice, not one per threshold
    assert told.key.endswith(":5") and first_seen_late.hex in told.key
    assert mine.poll() == []


def test_deadlines_turned_off_are_not_told_and_are_told_when_turned_on(db, people):
    _always_open(db)
    (ws, rep) = people["rep"]
    case = new_case(ws, rep)
    quiet = Watcher(ws, rep, kinds=ALL_KINDS - {NotificationKind.DEADLINE_AT_RISK})
    promise(ws, rep, case.id, "Call back about the engineer visit", timedelta(minutes=15))
    assert quiet.poll() == []
    quiet.kinds = ALL_KINDS  # still at risk when turned on again: worth telling now
    assert [e.kind for e in quiet.poll()] == [NotificationKind.DEADLINE_AT_RISK]
    assert quiet.poll() == []


def test_the_setup_account_is_told_nothing(db):
    from deskapp.services import auth

    ws = db.open("admin")
    result = poll(ws, auth.setup_actor(ws), None)
    assert result.events == ()


def test_a_case_with_several_slas_due_soon_is_one_warning_for_the_soonest(db, people):
    _always_open(db)
    (ws, rep) = people["rep"]
    case = new_case(ws, rep)
    mine = Watcher(ws, rep)
    with write_session(ws) as session:
        now = db_now(ws)
        session.execute(
            update(Case)
            .where(Case.id == case.id)
            .values(resolution_due=now + timedelta(minutes=25),
                    next_response_due=now + timedelta(minutes=10, seconds=30))
        )  # fmt: skip
    [told] = mine.poll()
    assert told.headline == f"{case.key}: next response due in 11 min"
    assert mine.poll() == []
