"""The team lead's board: each number counts exactly the cases behind it, for the right people.

One built team (services/team_board.py's rules, stated again here case by case): Rae and Ray
are reps, Lee leads, a colleague of another team still holds one of the team's cases, and the
team's queue has its own. "Due soon" is two wall-clock hours (the team works around the clock).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from deskapp.db.models import Case, Interaction, SignIn
from deskapp.domain.enums import CaseStatus, Channel, Direction, Mood, Priority, Role
from deskapp.domain.errors import NotFound, PermissionDenied
from deskapp.services import presence, teams, users
from deskapp.services.handoff_followup import acknowledge
from deskapp.services.records import Actor
from deskapp.services.team_board import board_cases, board_teams, team_board
from deskapp.services.team_board_records import UNASSIGNED, BoardMeasure, RowKind, TeamBoard
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace
from tests.helpers.databases import PASSWORD, RUN
from tests.services.handoff_helpers import db_now, hand_over, promise
from tests.services.queue_data import ALWAYS_OPEN, Made, add_cases, add_customers, set_hours

pytestmark = pytest.mark.dialects("sqlite", "postgresql", "mariadb")
M = BoardMeasure
HOUR = timedelta(hours=1)


@dataclass
class Team:
    people: dict[str, tuple[Workspace, Actor]]
    team_id: uuid.UUID
    other_team_id: uuid.UUID
    outsider: Actor  # a lead of the other team, holding one of this team's cases
    cases: dict[str, uuid.UUID]  # by name below
    notes: dict[str, uuid.UUID]
    now: datetime

    def ws(self, who: str) -> Workspace:
        return self.people[who][0]

    def actor(self, who: str) -> Actor:
        return self.people[who][1]

    def user(self, who: str) -> uuid.UUID:
        user_id = self.actor(who).user_id
        assert user_id is not None
        return user_id

    def ids(self, *names: str) -> set[uuid.UUID]:
        return {self.cases[n] for n in names}


def _made(number: int, team_id: uuid.UUID, assignee: uuid.UUID | None, status: CaseStatus,
          now: datetime, *, due: timedelta | None = None, first_due: timedelta | None = None,
          first_answered: bool = True) -> Made:  # fmt: skip
    return Made(
        id=uuid.uuid4(), number=number, customer_name="Anna Berg", subject="Refund please",
        priority=Priority.NORMAL, status=status, channel=Channel.EMAIL, mood=Mood.NEUTRAL,
        category=None, team_id=team_id, assignee_id=assignee,
        resolution_due=None if due is None else now + due,
        first_response_due=None if first_due is None else now + first_due,
        first_responded_at=now - 3 * HOUR if first_answered else None, waiting_since=None,
        transfer_count=0, created_at=now - timedelta(days=1),
    )  # fmt: skip


@pytest.fixture
def team(db) -> Team:
    people = {who: db.sign_in(who) for who in ("admin", "lead", "rep", "rep2")}
    ws, admin = people["admin"]
    other = teams.create_team(ws, admin, "Escalations", time_zone="UTC")
    login = f"{RUN}_tb_out_{uuid.uuid4().hex[:6]}"
    users.add_user(ws, admin, login=login, display_name="Otto Outside", role=Role.LEAD,
                   team_id=other.id, password=PASSWORD if ws.is_server else None)  # fmt: skip
    outsider = db.sign_in(login)[1]  # on a server, signing in is by one's own login
    for team_id in (db.team_id, other.id):
        set_hours(ws, team_id, ALWAYS_OPEN)
    now = db_now(ws)
    rep, rep2, lead = (people[w][1].user_id for w in ("rep", "rep2", "lead"))
    S = CaseStatus  # noqa: N806 - the plan below reads as a table
    plan = {
        # Rae: seven open cases, one resolved
        "rae_breached": (rep, S.OPEN, {"due": -HOUR}),
        "rae_first_late": (
            rep,
            S.NEW,
            {"due": 30 * HOUR, "first_due": -HOUR, "first_answered": False},
        ),
        "rae_first_answered": (rep, S.OPEN, {"due": 30 * HOUR, "first_due": -HOUR}),
        "rae_due_soon": (rep, S.OPEN, {"due": HOUR}),
        "rae_paused": (rep, S.PENDING_CUSTOMER, {"due": -HOUR}),
        "rae_on_track": (rep, S.OPEN, {"due": 30 * HOUR}),
        "rae_no_sla": (rep, S.PENDING_INTERNAL, {}),
        "rae_resolved": (rep, S.RESOLVED, {"due": -5 * HOUR}),
        # Ray
        "ray_escalated_soon": (rep2, S.ESCALATED, {"due": HOUR}),
        "ray_handed": (rep, S.OPEN, {"due": 30 * HOUR}),  # handed to Ray below
        "ray_accepted": (rep, S.OPEN, {"due": 30 * HOUR}),  # handed to Ray, read back
        # Lee holds one case; the queue two; Otto one; the other team's cases never count
        "lee_open": (lead, S.OPEN, {"due": 30 * HOUR}),
        "queue_breached": (None, S.NEW, {"due": -2 * HOUR}),
        "queue_released": (rep, S.OPEN, {"due": HOUR}),  # released to the queue below
        "otto_holds": (outsider.user_id, S.OPEN, {"due": -HOUR}),
        "elsewhere": (rep, S.OPEN, {"due": -HOUR}),
    }
    made = []
    for number, (name, (assignee, status, times)) in enumerate(plan.items(), start=1):
        team_id = other.id if name == "elsewhere" else db.team_id
        made.append(_made(number, team_id, assignee, status, now, **times))  # type: ignore[arg-type]
    customers = add_customers(ws)
    add_cases(ws, made, customers)
    cases = {name: m.id for name, m in zip(plan, made, strict=True)}
    rep_actor = people["rep"][1]
    notes = {
        "ray_handed": hand_over(ws, rep_actor, cases["ray_handed"], rep2, age=3 * HOUR),
        "ray_accepted": hand_over(ws, rep_actor, cases["ray_accepted"], rep2, age=HOUR),
        "queue_released": hand_over(ws, rep_actor, cases["queue_released"], None, age=5 * HOUR),
    }
    acknowledge(people["rep2"][0], people["rep2"][1], notes["ray_accepted"])
    # Promises: due within a day or late count once per case; kept or far-off ones do not.
    promise(ws, admin, cases["rae_on_track"], "Call back with the slot", 3 * HOUR)
    promise(ws, admin, cases["rae_on_track"], "Email the receipt", -HOUR)
    promise(ws, admin, cases["rae_no_sla"], "Confirm the refund", 3 * 24 * HOUR)
    promise(ws, admin, cases["lee_open"], "Kept already", -HOUR, fulfilled=True)
    promise(ws, admin, cases["rae_resolved"], "On a resolved case", HOUR)
    promise(ws, admin, cases["queue_breached"], "Call before noon", 2 * HOUR)
    with write_session(ws) as session:
        for case, praised, ago in (("rae_resolved", rep, timedelta(days=2)),
                                   ("rae_on_track", rep, timedelta(days=29)),
                                   ("rae_breached", rep, timedelta(days=40)),
                                   ("elsewhere", rep2, timedelta(hours=1))):  # fmt: skip
            session.add(Interaction(case_id=cases[case], customer_id=customers["Anna Berg"],
                                    channel=Channel.EMAIL, direction=Direction.INBOUND,
                                    body="Thank you so much!", kudos_for_id=praised,
                                    occurred_at=now - ago))  # fmt: skip
    # Each person writes only their own sign-in (row security on a server): Rae is at work,
    # Ray's client stopped beating five minutes ago.
    for who in ("rep", "rep2"):
        presence.heartbeat(*people[who], client="test", viewing=None, editing=False)
    rep2_ws = people["rep2"][0]
    with write_session(rep2_ws) as session:
        session.execute(
            update(SignIn)
            .where(SignIn.user_id == rep2)
            .values(heartbeat_at=now - timedelta(minutes=5))
        )
    return Team(people, db.team_id, other.id, outsider, cases, notes, now)


def _row(board: TeamBoard, user_id: uuid.UUID):
    [row] = [r for r in board.rows if r.user_id == user_id]
    return row


def _figures(row) -> dict[str, int]:
    return {m.value: row.count(m) for m in M}


# ----------------------------------------------------------------------------- the numbers
def test_each_person_s_numbers(team):
    board = team_board(team.ws("lead"), team.actor("lead"), team.team_id)
    assert board.team_name == "Support"
    assert abs(board.measured_at - team.now) < timedelta(minutes=5)
    assert _figures(_row(board, team.user("rep"))) == {
        "open": 7, "due_soon": 1, "breached": 2, "commitments_due": 1, "unacknowledged": 0,
        "kudos": 2,
    }  # fmt: skip
    ray = _row(board, team.user("rep2"))
    assert _figures(ray) == {
        "open": 3, "due_soon": 1, "breached": 0, "commitments_due": 0, "unacknowledged": 1,
        "kudos": 1,  # praise counts on any case, in any team
    }  # fmt: skip
    assert ray.oldest_unacknowledged is not None
    assert 3 * HOUR - timedelta(minutes=5) < ray.oldest_unacknowledged < 3 * HOUR + 5 * HOUR / 60
    lee = _row(board, team.user("lead"))
    assert _figures(lee) == dict.fromkeys(_figures(lee), 0) | {"open": 1}
    assert lee.oldest_unacknowledged is None


def test_signed_in_now_is_a_fresh_heartbeat(team):
    board = team_board(team.ws("lead"), team.actor("lead"), team.team_id)
    assert _row(board, team.user("rep")).signed_in  # heartbeat just now
    assert not _row(board, team.user("rep2")).signed_in  # five minutes old: gone
    assert not _row(board, team.user("lead")).signed_in  # no client running
    assert board.signed_in == 1


def test_rows_members_by_name_then_others_then_the_queue_and_totals_add_up(team):
    board = team_board(team.ws("admin"), team.actor("admin"), team.team_id)
    assert [(r.name, r.kind) for r in board.rows] == [
        ("Ada Admin", RowKind.MEMBER), ("Lee Lead", RowKind.MEMBER),
        ("Rae Rep", RowKind.MEMBER), ("Ray Rep", RowKind.MEMBER),
        ("Otto Outside (other team)", RowKind.OTHER),
        ("Team queue (unassigned)", RowKind.QUEUE),
    ]  # fmt: skip
    otto = _figures(_row(board, team.outsider.user_id))
    assert otto == dict.fromkeys(otto, 0) | {"open": 1, "breached": 1}
    queue = _row(board, UNASSIGNED)
    assert _figures(queue) == {
        "open": 2, "due_soon": 1, "breached": 1, "commitments_due": 1, "unacknowledged": 1,
        "kudos": 0,
    }  # fmt: skip
    assert queue.oldest_unacknowledged is not None and queue.oldest_unacknowledged > 4 * HOUR
    total = board.total
    assert total.kind is RowKind.TOTAL and total.name == "Support (team total)"
    assert _figures(total) == {m.value: sum(r.count(m) for r in board.rows) for m in M}
    assert _figures(total) == {
        "open": 14, "due_soon": 3, "breached": 4, "commitments_due": 2, "unacknowledged": 2,
        "kudos": 3,
    }  # fmt: skip
    assert total.oldest_unacknowledged == queue.oldest_unacknowledged


def test_the_team_s_handoff_quality_rides_along(team):
    board = team_board(team.ws("lead"), team.actor("lead"), team.team_id)
    assert board.total.quality is not None and board.total.quality.is_team_total
    assert board.total.quality.notes_written == 3
    rae = _row(board, team.user("rep")).quality
    assert rae is not None and (rae.notes_written, rae.acknowledged) == (3, 1)
    assert _row(board, UNASSIGNED).quality is None


# ----------------------------------------------------------------------------- behind a number
EXPECTED = {
    ("rep", M.OPEN): ("rae_breached", "rae_first_late", "rae_first_answered", "rae_due_soon",
                      "rae_paused", "rae_on_track", "rae_no_sla"),
    ("rep", M.BREACHED): ("rae_breached", "rae_first_late"),
    ("rep", M.DUE_SOON): ("rae_due_soon",),
    ("rep", M.COMMITMENTS_DUE): ("rae_on_track",),
    ("rep", M.KUDOS): ("rae_resolved", "rae_on_track"),  # a resolved case too: praise is praise
    ("rep2", M.DUE_SOON): ("ray_escalated_soon",),
    ("rep2", M.UNACKNOWLEDGED): ("ray_handed",),
    ("rep2", M.KUDOS): ("elsewhere",),
    ("queue", M.OPEN): ("queue_breached", "queue_released"),
    ("queue", M.BREACHED): ("queue_breached",),
    ("queue", M.DUE_SOON): ("queue_released",),
    ("queue", M.COMMITMENTS_DUE): ("queue_breached",),
    ("queue", M.UNACKNOWLEDGED): ("queue_released",),
    ("team", M.BREACHED): ("rae_breached", "rae_first_late", "queue_breached", "otto_holds"),
    ("team", M.UNACKNOWLEDGED): ("ray_handed", "queue_released"),
    ("team", M.KUDOS): ("rae_resolved", "rae_on_track", "elsewhere"),
}  # fmt: skip


def test_clicking_a_number_gives_exactly_the_cases_it_counts(team):
    ws, lead = team.ws("lead"), team.actor("lead")
    board = team_board(ws, lead, team.team_id)
    whose = {"rep": team.user("rep"), "rep2": team.user("rep2"), "queue": UNASSIGNED,
             "team": None}  # fmt: skip
    for (who, measure), names in EXPECTED.items():
        listed = board_cases(ws, lead, team.team_id, whose[who], measure)
        assert set(listed.case_ids) == team.ids(*names), (who, measure)
        assert listed.total == len(names)
    # Every number on the board, person by person, matches its list's length.
    for row in (*board.rows, board.total):
        for measure in M:
            listed = board_cases(ws, lead, team.team_id, row.user_id, measure)
            assert (listed.total, len(listed.rows)) == (row.count(measure),) * 2, (
                row.name,
                measure,
            )


def test_a_list_comes_in_the_order_its_number_is_about_and_names_itself(team):
    ws, lead = team.ws("lead"), team.actor("lead")
    breached = board_cases(ws, lead, team.team_id, team.user("rep"), M.BREACHED)
    assert breached.title == "Rae Rep — breached"
    assert [r.id for r in breached.rows] == [team.cases["rae_breached"],
                                             team.cases["rae_first_late"]]  # fmt: skip
    waiting = board_cases(ws, lead, team.team_id, None, M.UNACKNOWLEDGED)
    assert waiting.title == "Support — unacknowledged handoffs"
    assert [r.id for r in waiting.rows] == [team.cases["queue_released"],  # oldest note first
                                            team.cases["ray_handed"]]  # fmt: skip
    promised = board_cases(ws, lead, team.team_id, UNASSIGNED, M.COMMITMENTS_DUE)
    assert promised.title == "Support queue — commitments due"
    [row] = promised.rows
    assert row.commitment_due is not None  # the queue shows the promise column from it
    assert abs(row.commitment_due - (team.now + 2 * HOUR)) < timedelta(minutes=5)
    assert row.key.startswith("C-") and row.customer_name == "Anna Berg"


def test_a_long_list_is_cut_but_its_total_still_counts_every_case(team, monkeypatch):
    from deskapp.services import team_board as module

    monkeypatch.setattr(module, "MAX_CASES", 3)
    ws, lead = team.ws("lead"), team.actor("lead")
    listed = board_cases(ws, lead, team.team_id, team.user("rep"), M.OPEN)
    assert (len(listed.rows), listed.total) == (3, 7)
    assert set(listed.case_ids) < team.ids(*EXPECTED[("rep", M.OPEN)])
    exact = board_cases(ws, lead, team.team_id, team.user("rep"), M.BREACHED)
    assert (len(exact.rows), exact.total) == (2, 2)


# ----------------------------------------------------------------------------- rights
def test_a_rep_is_refused_with_a_reason(team):
    ws, rep = team.ws("rep"), team.actor("rep")
    with pytest.raises(PermissionDenied, match="team leads and admins"):
        team_board(ws, rep, team.team_id)
    with pytest.raises(PermissionDenied, match="team leads and admins"):
        board_cases(ws, rep, team.team_id, rep.user_id, M.OPEN)
    with pytest.raises(PermissionDenied, match="team leads and admins"):
        board_teams(ws, rep)


def test_a_lead_sees_their_own_team_an_admin_every_team(db, team):
    ws_admin, admin = team.ws("admin"), team.actor("admin")
    ws_otto = db.open(team.outsider.login)
    with pytest.raises(PermissionDenied, match="board of Support is for its own lead"):
        team_board(ws_otto, team.outsider, team.team_id)
    with pytest.raises(PermissionDenied, match="its own lead"):
        board_cases(ws_otto, team.outsider, team.team_id, None, M.BREACHED)
    own = team_board(ws_otto, team.outsider, team.other_team_id)
    assert [r.name for r in own.members] == ["Otto Outside"]
    assert own.total.open_cases == 1  # "elsewhere", held by Rae from another team
    assert [r.name for r in own.rows if r.kind is RowKind.OTHER] == ["Rae Rep (other team)"]
    assert board_teams(ws_otto, team.outsider) == [(team.other_team_id, "Escalations")]
    assert board_teams(ws_admin, admin) == [(team.other_team_id, "Escalations"),
                                            (team.team_id, "Support")]  # fmt: skip
    assert team_board(ws_admin, admin, team.other_team_id).total.breached == 1
    with pytest.raises(NotFound):
        team_board(ws_admin, admin, uuid.uuid4())


# ----------------------------------------------------------------------------- the slow half
def test_kudos_and_quality_are_reused_from_the_board_on_screen_for_a_while(team):
    ws, lead = team.ws("lead"), team.actor("lead")
    quick = team_board(ws, lead, team.team_id, history=False)
    assert quick.history_read_at is None and quick.kudos_since is None
    assert quick.total.kudos == 0 and quick.total.quality is None
    assert quick.total.breached == 4  # the live half is all there
    full = team_board(ws, lead, team.team_id, previous=quick)  # nothing to reuse: read
    assert full.history_read_at is not None and full.total.kudos == 3
    assert full.total.quality is not None
    with write_session(team.ws("admin")) as session:  # one more praise for Rae
        session.add(Interaction(case_id=team.cases["rae_on_track"],
                                customer_id=_customer_of(team, "rae_on_track"),
                                channel=Channel.PHONE, direction=Direction.INBOUND,
                                body="Best service ever", kudos_for_id=team.user("rep"),
                                occurred_at=full.measured_at))  # fmt: skip
    again = team_board(ws, lead, team.team_id, previous=full)
    assert again.total.kudos == 3 and again.history_read_at == full.history_read_at
    assert again.total.quality == full.total.quality
    assert _row(again, team.user("rep")).quality == _row(full, team.user("rep")).quality
    fresh = team_board(ws, lead, team.team_id)
    assert fresh.total.kudos == 4
    other = team_board(team.ws("admin"), team.actor("admin"), team.other_team_id, previous=full)
    assert other.history_read_at != full.history_read_at  # another team's: never reused


def _customer_of(team: Team, name: str) -> uuid.UUID:
    with read_session(team.ws("admin")) as session:
        found = session.scalar(select(Case.customer_id).where(Case.id == team.cases[name]))
    assert found is not None
    return found
