"""Take and Get next: one winner per case, the riskiest case first, my own releases skipped,
and twenty people racing over two thousand cases each get distinct cases, none lost."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from deskapp.db.models import AuditEvent, Case
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import CaseStatus, Priority, Role
from deskapp.domain.errors import InvalidInput, PermissionDenied, StaleEdit
from deskapp.services import claiming, handoffs, queue, teams, users
from deskapp.services.claiming import AlreadyTaken
from deskapp.services.queue import QueueQuery, QueueView
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace
from tests.helpers.databases import PASSWORD, login_of, superuser_engine
from tests.services.handoff_helpers import db_now, hand_over
from tests.services.queue_data import Made, add_cases, add_customers, unassigned_cases

pytestmark = pytest.mark.dialects("sqlite", "postgresql", "mariadb")


def queued(db, count: int, **changes) -> list[Made]:  # type: ignore[no-untyped-def]
    """``count`` new cases in the Support team's queue, written by the admin."""
    ws, _ = db.sign_in("admin")
    made = [replace(m, **changes) for m in unassigned_cases(count, db_now(ws), db.team_id)]
    add_cases(ws, made, add_customers(ws))
    return made


def owner_of(ws: Workspace, case_id: uuid.UUID) -> uuid.UUID | None:
    with read_session(ws) as session:
        return session.scalar(select(Case.assignee_id).where(Case.id == case_id))


# --------------------------------------------------------------------------- Take
def test_take_claims_a_queued_case_without_a_note(db):
    [case] = queued(db, 1)
    ws, rep = db.sign_in("rep")
    taken = claiming.take(ws, rep, case.id, expected_version=1)
    assert (taken.assignee_id, taken.status, taken.version) == (rep.user_id, CaseStatus.OPEN, 2)
    with read_session(ws) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.case_id == case.id)).all()
    assert [(e.action, e.actor_login, e.detail) for e in events] == [
        (handoffs.TAKEN, rep.login, {"via": "take"})
    ]


def test_the_second_taker_is_told_who_won_and_offered_the_next_case(db):
    first, second = queued(db, 2, priority=Priority.NORMAL)
    ws, rep = db.sign_in("rep")
    ws2, rep2 = db.sign_in("rep2")
    claiming.take(ws, rep, first.id)
    with pytest.raises(AlreadyTaken) as lost:
        claiming.take(ws2, rep2, first.id)
    assert lost.value.taken_by == "Rae Rep" and lost.value.key == format_case_key(first.number)
    assert f"{format_case_key(first.number)} was just taken by Rae Rep" in str(lost.value)
    assert lost.value.offer is not None and lost.value.offer.id == second.id
    assert "take it instead?" in str(lost.value)
    claiming.take(ws2, rep2, second.id)
    with pytest.raises(AlreadyTaken, match="nothing else to take") as again:
        claiming.take(ws, rep, second.id)
    assert again.value.offer is None


def test_two_reps_taking_one_case_at_the_same_moment_one_wins(db):
    [case] = queued(db, 1)
    people = [db.sign_in("rep"), db.sign_in("rep2")]
    start = threading.Barrier(2, timeout=30)
    results: list[CaseInfo | BaseException] = []

    def take(ws: Workspace, actor: Actor) -> None:
        start.wait()
        try:
            results.append(claiming.take(ws, actor, case.id))
        except BaseException as exc:  # the loser's error is what the test checks
            results.append(exc)

    threads = [threading.Thread(target=take, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    won = [r for r in results if isinstance(r, CaseInfo)]
    lost = [r for r in results if not isinstance(r, CaseInfo)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], AlreadyTaken)
    assert owner_of(people[0][0], case.id) == won[0].assignee_id


def test_taking_my_own_case_again_returns_it_and_other_refusals_say_why(db):
    admin_ws, admin = db.sign_in("admin")
    elsewhere = teams.create_team(admin_ws, admin, "Elsewhere")
    one, other_team_case, closed, fresh = unassigned_cases(4, db_now(admin_ws), db.team_id)
    other_team_case = replace(other_team_case, team_id=elsewhere.id)
    closed = replace(closed, status=CaseStatus.CLOSED)
    add_cases(admin_ws, [one, other_team_case, closed, fresh], add_customers(admin_ws))
    ws, rep = db.sign_in("rep")
    taken = claiming.take(ws, rep, one.id)
    assert claiming.take(ws, rep, one.id) == taken, "a retry after a lost reply is harmless"
    with pytest.raises(PermissionDenied, match="another team's queue"):
        claiming.take(ws, rep, other_team_case.id)
    with pytest.raises(InvalidInput, match="nothing to take on"):
        claiming.take(ws, rep, closed.id)
    with pytest.raises(StaleEdit, match="changed while you looked"):
        claiming.take(ws, rep, fresh.id, expected_version=7)
    assert owner_of(ws, fresh.id) is None


# --------------------------------------------------------------------------- Get next
def test_get_next_hands_out_the_riskiest_case_first_as_the_queue_lists_them(db):
    made = queued(db, 30)
    ws, rep = db.sign_in("rep")
    listed = queue.fetch_page(ws, rep, QueueQuery(QueueView.TEAM_UNASSIGNED), None, 100).rows
    assert len(listed) == 30
    urgent_first = [r.priority for r in listed]
    assert urgent_first == sorted(urgent_first, key=lambda p: -list(Priority).index(p))
    for row in listed:
        assert claiming.peek_next(ws, rep) == row
        got = claiming.get_next(ws, rep)
        assert got is not None and got.id == row.id
    assert claiming.get_next(ws, rep) is None, "the queue is empty"
    assert {m.id for m in made} == {r.id for r in listed}


def test_get_next_passes_over_cases_i_just_released(db):
    first, second = queued(db, 2, priority=Priority.NORMAL)
    ws, rep = db.sign_in("rep")
    taken = claiming.get_next(ws, rep)
    assert taken is not None and taken.id == first.id
    hand_over(ws, rep, first.id, None)  # released back to the queue, with its note
    again = claiming.get_next(ws, rep)
    assert again is not None and again.id == second.id, "my own release is skipped"
    assert claiming.get_next(ws, rep) is None
    ws2, rep2 = db.sign_in("rep2")
    by_someone_else = claiming.get_next(ws2, rep2)
    assert by_someone_else is not None and by_someone_else.id == first.id


def test_a_release_long_ago_is_not_skipped(db):
    [case] = queued(db, 1)
    ws, rep = db.sign_in("rep")
    assert claiming.get_next(ws, rep) is not None
    hand_over(ws, rep, case.id, None, age=claiming.RELEASE_COOLDOWN + timedelta(minutes=1))
    got = claiming.get_next(ws, rep)
    assert got is not None and got.id == case.id


def test_get_next_retried_with_the_same_request_returns_the_same_case(db):
    queued(db, 3)
    ws, rep = db.sign_in("rep")
    request_id = uuid.uuid4()
    first = claiming.get_next(ws, rep, request_id=request_id)
    assert first is not None
    assert claiming.get_next(ws, rep, request_id=request_id) == first
    assert queue.count(ws, rep, QueueQuery(QueueView.TEAM_UNASSIGNED)) == 2


def test_get_next_needs_a_person_in_a_team(db):
    ws, rep = db.sign_in("rep")
    with pytest.raises(InvalidInput, match="in no team"):
        claiming.get_next(ws, replace(rep, team_id=None))
    with pytest.raises(PermissionDenied, match="setup account"):
        claiming.get_next(ws, replace(rep, user_id=None))


# --------------------------------------------------------------------------- the race
CLAIMERS = 20
RACED_CASES = 2000


@pytest.fixture
def claimers(db) -> Iterator[Callable[[int], list[tuple[Workspace, Actor]]]]:
    """``claimers(n)``: n throwaway reps of the Support team, each signed in with their own
    login (on a server) and their own connection; their logins are dropped afterwards."""
    logins: list[str] = []
    opened: list[Workspace] = []

    def make(count: int) -> list[tuple[Workspace, Actor]]:
        admin_ws, admin = db.sign_in("admin")
        people = []
        for n in range(count):
            login = login_of(f"claimer{n}_{uuid.uuid4().hex[:6]}")
            users.add_user(
                admin_ws, admin, login=login, display_name=f"Claimer {n}", role=Role.REP,
                team_id=db.team_id, password=PASSWORD if admin_ws.is_server else None,
            )  # fmt: skip
            logins.append(login)
            ws, actor = db.sign_in(login)
            opened.append(ws)
            people.append((ws, actor))
        return people

    yield make
    for ws in opened:
        ws.close()
    if db.dialect != "sqlite" and logins:
        engine = superuser_engine(db.dialect)
        with engine.connect() as conn:
            for login in logins:
                drop = (
                    f'DROP ROLE IF EXISTS "{login}"'
                    if db.dialect == "postgresql"
                    else f"DROP USER IF EXISTS '{login}'@'%'"
                )
                conn.execute(text(drop))
        engine.dispose()


def test_twenty_claimers_racing_over_two_thousand_cases_claim_each_exactly_once(db, claimers):
    made = queued(db, RACED_CASES)
    people = claimers(CLAIMERS)
    start = threading.Barrier(CLAIMERS, timeout=60)
    claimed: dict[uuid.UUID, list[uuid.UUID]] = {}
    failures: list[BaseException] = []

    def work(ws: Workspace, actor: Actor) -> None:
        mine: list[uuid.UUID] = []
        try:
            start.wait()
            while (case := claiming.get_next(ws, actor)) is not None:
                assert case.assignee_id == actor.user_id
                mine.append(case.id)
        except BaseException as exc:  # reported below, with the others
            failures.append(exc)
        assert actor.user_id is not None
        claimed[actor.user_id] = mine

    threads = [threading.Thread(target=work, args=person) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not failures, failures
    every = [case_id for ids in claimed.values() for case_id in ids]
    assert len(every) == len(set(every)), "no case was handed to two people"
    assert set(every) == {m.id for m in made}, "no case was lost"
    assert sum(1 for ids in claimed.values() if ids) > 1, "the claimers really raced"
    ws = people[0][0]
    with read_session(ws) as session:
        owners = {i: owner for i, owner in session.execute(select(Case.id, Case.assignee_id))}
        taken_events = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == handoffs.TAKEN)
        )
    for person, ids in claimed.items():
        assert all(owners[case_id] == person for case_id in ids)
    assert taken_events == RACED_CASES, "one audit event per claim"
