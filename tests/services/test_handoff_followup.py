"""After the handoff: read-back, questions and answers, addenda, and who sees what waiting.

Every test signs in as real people (their own database logins on PostgreSQL) and hands cases
over the way the database requires (tests/services/handoff_helpers.py).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from deskapp.db.models import Case, HandoffAck, HandoffNote
from deskapp.domain.enums import AckKind
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from deskapp.services import audit, users
from deskapp.services.handoff_followup import (
    acknowledge,
    acknowledge_all,
    add_addendum,
    answer_question,
    ask_question,
    questions_for,
    to_acknowledge,
    unacknowledged_sent,
)
from deskapp.services.unit_of_work import read_session
from tests.helpers.databases import login_of
from tests.services.handoff_helpers import audit_actions, db_now, hand_over, new_case


@pytest.fixture
def people(db):
    """(workspace, actor) for rep, rep2, lead and admin, each on their own login."""
    return {who: db.sign_in(who) for who in ("rep", "rep2", "lead", "admin")}


def _acks(ws, note_id) -> list[HandoffAck]:
    with read_session(ws) as session:
        return list(session.scalars(select(HandoffAck).where(HandoffAck.note_id == note_id)))


def _note_columns(ws, note_id) -> dict[str, object]:
    with read_session(ws) as session:
        note = session.get(HandoffNote, note_id)
        assert note is not None
        return {c.key: getattr(note, c.key) for c in HandoffNote.__table__.columns}


def test_receiver_reads_back_and_the_note_leaves_every_waiting_list(people):
    (ws, rep), (ws2, rep2), (wsl, lead) = people["rep"], people["rep2"], people["lead"]
    case = new_case(ws, rep)
    note_id = hand_over(ws, rep, case.id, rep2.user_id)

    [waiting] = to_acknowledge(ws2, rep2)
    assert (waiting.note_id, waiting.case_key, waiting.author, waiting.receiver) == (
        note_id, case.key, "Rae Rep", "Ray Rep",
    )  # fmt: skip
    assert [p.note_id for p in unacknowledged_sent(ws, rep)] == [note_id]
    assert [p.note_id for p in unacknowledged_sent(wsl, lead)] == [note_id]  # the team's
    assert to_acknowledge(ws, rep) == []

    with pytest.raises(PermissionDenied, match="written for someone else"):
        acknowledge(ws, rep, note_id)  # the author cannot accept their own note
    acknowledge(ws2, rep2, note_id, "  Engineer visit if it drops\n tonight  ")

    [ack] = _acks(ws, note_id)
    assert (ack.kind, ack.user_id, ack.text) == (
        AckKind.ACCEPTED, rep2.user_id, "Engineer visit if it drops tonight",
    )  # fmt: skip
    assert to_acknowledge(ws2, rep2) == []
    assert unacknowledged_sent(ws, rep) == [] and unacknowledged_sent(wsl, lead) == []
    assert audit_actions(ws, case.id)[-1] == "handoff.acknowledged"
    assert audit.first_broken_link(ws, audit.case_chain(case.id)) is None


def test_a_second_acknowledgement_changes_nothing(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep)
    note_id = hand_over(ws, rep, case.id, rep2.user_id)
    acknowledge(ws2, rep2, note_id, "got it")
    acknowledge(ws2, rep2, note_id, "again")
    assert [a.text for a in _acks(ws, note_id)] == ["got it"]
    assert audit_actions(ws, case.id).count("handoff.acknowledged") == 1


def test_read_back_is_one_short_line_and_unknown_notes_are_explained(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    note_id = hand_over(ws, rep, new_case(ws, rep).id, rep2.user_id)
    with pytest.raises(InvalidInput, match="one line of at most 300"):
        acknowledge(ws2, rep2, note_id, "x" * 301)
    with pytest.raises(NotFound, match="Refresh the list"):
        acknowledge(ws2, rep2, uuid.uuid4())
    assert _acks(ws, note_id) == []


def test_a_note_to_the_team_queue_is_acknowledged_by_whoever_takes_it(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep)
    note_id = hand_over(ws, rep, case.id, None)  # released to the queue
    assert to_acknowledge(ws2, rep2) == []  # nobody owns it yet: it waits in the queue view

    from sqlalchemy import update

    from deskapp.services.unit_of_work import write_session

    with write_session(ws2) as session:  # rep2 claims it (a claim needs no note)
        session.execute(update(Case).where(Case.id == case.id).values(assignee_id=rep2.user_id))
    [waiting] = to_acknowledge(ws2, rep2)
    assert waiting.note_id == note_id and waiting.receiver is None and waiting.team == "Support"
    acknowledge(ws2, rep2, note_id)
    assert to_acknowledge(ws2, rep2) == []


def test_question_goes_to_the_author_and_the_answer_is_an_addendum(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep)
    note_id = hand_over(ws, rep, case.id, rep2.user_id)
    before = _note_columns(ws, note_id)

    with pytest.raises(InvalidInput, match="no open question"):
        answer_question(ws, rep, note_id, "Nobody asked")
    with pytest.raises(PermissionDenied):
        ask_question(ws, rep, note_id, "Asking myself?")
    ask_question(ws2, rep2, note_id, "Which engineer slot did you offer?")

    [asked] = questions_for(ws, rep)
    assert (asked.note_id, asked.open_question) == (note_id, "Which engineer slot did you offer?")
    [waiting] = to_acknowledge(ws2, rep2)  # a question is not an acceptance
    assert waiting.open_question == "Which engineer slot did you offer?"
    assert questions_for(ws2, rep2) == []

    with pytest.raises(PermissionDenied, match="Only Rae Rep"):
        answer_question(ws2, rep2, note_id, "I'll answer it myself")
    addendum_id = answer_question(ws, rep, note_id, "Thursday 08:00–12:00, not yet booked.")

    assert questions_for(ws, rep) == []
    [waiting] = to_acknowledge(ws2, rep2)
    assert waiting.note_id == note_id and waiting.open_question is None
    assert _note_columns(ws, note_id) == before  # the original never changes
    addendum = _note_columns(ws, addendum_id)
    assert addendum["addendum_to_id"] == note_id
    assert addendum["summary"] == "Thursday 08:00–12:00, not yet booked."
    assert [addendum[k] for k in ("case_id", "from_user_id", "to_user_id", "risk")] == [
        before[k] for k in ("case_id", "from_user_id", "to_user_id", "risk")
    ]
    assert [a.kind for a in _acks(ws, note_id)].count(AckKind.ANSWER) == 1
    assert audit_actions(ws, case.id)[-2:] == [
        "handoff.question_asked",
        "handoff.question_answered",
    ]


def test_the_lead_answers_questions_for_an_author_who_has_left(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    (wsl, lead), (wsa, admin) = people["lead"], people["admin"]
    case = new_case(ws, rep)
    note_id = hand_over(ws, rep, case.id, rep2.user_id)
    ask_question(ws2, rep2, note_id, "Did the customer agree to a visit?")
    assert questions_for(wsl, lead) == []  # the author is still here to answer

    with pytest.raises(PermissionDenied):
        answer_question(wsl, lead, note_id, "Yes")
    users.set_active(wsa, admin, login_of("rep"), False)
    try:
        [asked] = questions_for(wsl, lead)
        assert (asked.note_id, asked.author) == (note_id, "Rae Rep")
        answer_question(wsl, lead, note_id, "Yes, by phone on Monday; see the call log.")
        assert questions_for(wsl, lead) == []
    finally:  # logins are server-wide: later tests sign in as rep again
        users.set_active(wsa, admin, login_of("rep"), True)
    acknowledge(ws2, rep2, note_id)
    assert to_acknowledge(ws2, rep2) == []


def test_batch_acknowledge_is_all_or_nothing_and_counts_new_acceptances(people):
    (ws, rep), (ws2, rep2), (wsl, lead) = people["rep"], people["rep2"], people["lead"]
    mine = [hand_over(wsl, lead, new_case(ws, rep).id, rep2.user_id, unbriefed=True)
            for _ in range(3)]  # fmt: skip
    assert all(p.unbriefed for p in to_acknowledge(ws2, rep2))
    not_mine = hand_over(ws2, rep2, new_case(ws2, rep2).id, rep.user_id)

    with pytest.raises(PermissionDenied):
        acknowledge_all(ws2, rep2, [*mine, not_mine])
    assert len(to_acknowledge(ws2, rep2)) == 3  # nothing was accepted

    assert acknowledge_all(ws2, rep2, mine) == 3
    assert to_acknowledge(ws2, rep2) == []
    assert acknowledge_all(ws2, rep2, mine) == 0


def test_an_addendum_corrects_without_touching_the_note_or_the_case(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    case = new_case(ws, rep)
    note_id = hand_over(ws, rep, case.id, rep2.user_id)
    before = _note_columns(ws, note_id)

    with pytest.raises(PermissionDenied, match="Only the author"):
        add_addendum(ws2, rep2, note_id, "Not mine to correct")
    with pytest.raises(InvalidInput):
        add_addendum(ws, rep, note_id, "   ")
    request = uuid.uuid4()
    addendum_id = add_addendum(ws, rep, note_id, "Correction: the visit is Friday.",
                               request_id=request)  # fmt: skip
    assert (
        add_addendum(ws, rep, note_id, "Correction: the visit is Friday.", request_id=request)
        == addendum_id
    )  # a retried request adds nothing
    # an addendum's id stands for its note: a second correction still hangs off the original
    second = add_addendum(ws, rep, addendum_id, "And bring the spare router.")

    assert _note_columns(ws, note_id) == before
    assert _note_columns(ws, second)["addendum_to_id"] == note_id
    with read_session(ws) as session:
        assert session.get(Case, case.id).current_handoff_id == note_id  # type: ignore[union-attr]
        addenda = session.scalars(
            select(HandoffNote.id).where(HandoffNote.addendum_to_id == note_id)
        ).all()
    assert sorted(addenda) == sorted([addendum_id, second])
    assert [p.note_id for p in to_acknowledge(ws2, rep2)] == [note_id]  # addenda never wait


def test_waiting_lists_are_oldest_first_with_ages_from_the_server_clock(people):
    (ws, rep), (ws2, rep2), (wsl, lead) = people["rep"], people["rep2"], people["lead"]
    recent = hand_over(ws, rep, new_case(ws, rep).id, rep2.user_id, age=timedelta(minutes=30))
    oldest = hand_over(ws, rep, new_case(ws, rep).id, rep2.user_id, age=timedelta(hours=5))
    middle = hand_over(ws, rep, new_case(ws, rep).id, rep2.user_id, age=timedelta(hours=2))

    now = db_now(ws)
    for rows in (to_acknowledge(ws2, rep2), unacknowledged_sent(ws, rep),
                 unacknowledged_sent(wsl, lead)):  # fmt: skip
        assert [p.note_id for p in rows] == [oldest, middle, recent]
        for row, expected in zip(rows, (5 * 60, 2 * 60, 30), strict=True):
            assert abs(row.age - timedelta(minutes=expected)) < timedelta(minutes=1)
            assert abs((now - row.created_at) - row.age) < timedelta(minutes=1)


def test_a_rep_sees_only_what_they_sent(people):
    (ws, rep), (ws2, rep2) = people["rep"], people["rep2"]
    hand_over(ws, rep, new_case(ws, rep).id, rep2.user_id)
    assert unacknowledged_sent(ws2, rep2) == []
