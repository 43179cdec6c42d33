"""The audit trail read back: a whole chain verifies, a tampered one is reported at its first
broken link (what is wrong, where), a case's history reads as plain words, and the team-wide
view shows a lead their team only, with filters and keyset pages.

The trails are made through the services, each person signed in with their own login; the
tampering is raw SQL as the database's owner (tests/services/audit_trail.py).
"""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import func, select

from deskapp.db.models import AuditEvent
from deskapp.domain.enums import Channel, Priority
from deskapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from deskapp.services import audit, audit_review, audit_verify, cases, customers, teams
from deskapp.services.audit import case_chain
from deskapp.services.audit_review import AuditQuery
from deskapp.services.audit_verify import Problem, StoredEvent
from deskapp.services.audit_wording import ActionKind
from deskapp.services.unit_of_work import read_session
from tests.services.audit_trail import TRAIL, case_with_trail, json_parameter, tamper
from tests.services.handoff_requests import Desk, server_now, sign_in_everyone

pytestmark = pytest.mark.dialects("sqlite", "postgresql", "mariadb")


@pytest.fixture
def desk(db) -> Desk:
    return sign_in_everyone(db)


def _only_break(report) -> audit_verify.BrokenLink:
    assert not report.whole
    [link] = report.broken
    return link


# ----------------------------------------------------------------------------- verifying
def test_a_whole_trail_verifies_case_by_case_and_across_the_workspace(desk):
    case = case_with_trail(desk)
    other = case_with_trail(desk)

    one = audit_verify.verify_case(desk.rep.ws, case.id)
    assert (one.whole, one.chains_checked, one.events_checked) == (True, 1, len(TRAIL))

    everything = audit_verify.verify_workspace(desk.admin.ws, desk.admin.actor)
    assert everything.whole and everything.broken == ()
    with read_session(desk.admin.ws) as session:
        stored = session.scalar(select(func.count()).select_from(AuditEvent))
        chains = session.scalar(select(func.count(AuditEvent.chain.distinct())))
    assert everything.events_checked == stored  # every event read, once
    assert everything.chains_checked == chains  # two cases, people, teams
    assert chains >= 4 and other.id != case.id


def test_a_changed_detail_breaks_the_content_of_that_event(db, desk):
    case = case_with_trail(desk)
    detail = {"status": {"from": "open", "to": "resolved"}, "version": 9}  # a rewritten past
    tamper(
        db,
        f"UPDATE audit_events SET detail = {json_parameter(db, 'detail')} "
        "WHERE chain = :chain AND seq = 4",
        detail=json.dumps(detail),
        chain=case_chain(case.id),
    )

    link = _only_break(audit_verify.verify_workspace(desk.admin.ws, desk.admin.actor))

    assert (link.chain, link.seq, link.problem) == (case_chain(case.id), 4, Problem.CONTENT)
    assert (link.case_id, link.case_key) == (case.id, case.key)
    assert "content" in link.explanation and "changed after it was written" in link.explanation
    assert link.event_id == audit.history(desk.rep.ws, case_id=case.id)[3].id


def test_a_changed_actor_or_reason_is_a_content_break_too(db, desk):
    case = case_with_trail(desk)
    tamper(
        db,
        "UPDATE audit_events SET actor_login = :who WHERE chain = :chain AND seq = 2",
        who="somebody.else",
        chain=case_chain(case.id),
    )
    link = _only_break(audit_verify.verify_case(desk.rep.ws, case.id))
    assert (link.seq, link.problem) == (2, Problem.CONTENT)


def test_a_deleted_event_is_reported_as_the_gap_where_it_was(db, desk):
    case = case_with_trail(desk)
    tamper(
        db, "DELETE FROM audit_events WHERE chain = :chain AND seq = 3", chain=case_chain(case.id)
    )

    link = _only_break(audit_verify.verify_case(desk.rep.ws, case.id))

    assert (link.seq, link.problem) == (3, Problem.GAP)
    assert link.explanation == "event 3 is missing: the chain jumps from event 2 to event 4"


def test_a_chain_missing_its_first_events_is_a_gap_at_event_one(db, desk):
    case = case_with_trail(desk)
    tamper(
        db, "DELETE FROM audit_events WHERE chain = :chain AND seq <= 2", chain=case_chain(case.id)
    )
    link = _only_break(audit_verify.verify_case(desk.rep.ws, case.id))
    assert (link.seq, link.problem) == (1, Problem.GAP)
    assert link.explanation == "events 1 to 2 are missing: the chain jumps to event 3"


def test_swapped_events_break_at_the_first_one_moved(db, desk):
    case = case_with_trail(desk)
    chain = case_chain(case.id)
    for old, new in ((2, -2), (3, 2), (-2, 3)):  # one at a time: (chain, seq) is unique
        tamper(
            db,
            "UPDATE audit_events SET seq = :new WHERE chain = :chain AND seq = :old",
            new=new,
            old=old,
            chain=chain,
        )

    link = _only_break(audit_verify.verify_case(desk.rep.ws, case.id))

    assert (link.seq, link.problem) == (2, Problem.CONTENT)  # its place is part of its content


def test_a_row_rewritten_with_a_fresh_content_hash_breaks_the_link(db, desk):
    """The intruder recomputes the content hash after editing: the link no longer follows."""
    case = case_with_trail(desk)
    chain = case_chain(case.id)
    [event] = [e for e in audit.history(desk.rep.ws, case_id=case.id) if e.seq == 5]
    forged = {**event.detail, "to_user": desk.lead.id.hex}
    forged_hash = audit.content_hash(
        {
            "id": event.id.hex,
            "chain": chain,
            "seq": 5,
            "case_id": case.id.hex,
            "actor": event.actor_login,
            "action": event.action,
            "reason": event.reason,
            "detail": forged,
        }
    )
    tamper(
        db,
        f"UPDATE audit_events SET detail = {json_parameter(db, 'detail')}, "
        "content_hash = :digest WHERE chain = :chain AND seq = 5",
        detail=json.dumps(forged),
        digest=forged_hash,
        chain=chain,
    )

    link = _only_break(audit_verify.verify_case(desk.rep.ws, case.id))

    assert (link.seq, link.problem) == (5, Problem.LINK)
    assert link.explanation == "its link hash does not follow from its content hash"


def test_one_broken_chain_leaves_the_others_whole_and_counted(db, desk):
    first, second = case_with_trail(desk), case_with_trail(desk)
    # The last event of a chain: a chain by itself cannot tell (the module docstring says so).
    tamper(
        db, "DELETE FROM audit_events WHERE chain = :chain AND seq = 6", chain=case_chain(second.id)
    )
    tamper(
        db, "DELETE FROM audit_events WHERE chain = :chain AND seq = 5", chain=case_chain(first.id)
    )

    report = audit_verify.verify_workspace(desk.admin.ws, desk.admin.actor)

    assert [(b.case_key, b.seq, b.problem) for b in report.broken] == [(first.key, 5, Problem.GAP)]
    assert audit_verify.verify_case(desk.rep.ws, second.id).whole


def test_checking_the_whole_trail_is_for_admins(desk):
    for person in (desk.rep, desk.lead):
        with pytest.raises(PermissionDenied, match="Only an admin"):
            audit_verify.verify_workspace(person.ws, person.actor)
    assert audit_verify.verify_chain(desk.admin.ws, desk.admin.actor, audit.PEOPLE_CHAIN).whole


def test_a_redacted_event_is_checked_by_its_links_only():
    """Redaction (built later) blanks a detail but keeps the content hash: the verifier must
    then still check the event's links and nothing else. ``is_redacted`` says which."""
    events, previous = [], None
    for seq in (1, 2, 3):
        content = {
            "id": f"{seq:032x}",
            "chain": "case:x",
            "seq": seq,
            "case_id": None,
            "actor": "dana",
            "action": "interaction.logged",
            "reason": None,
            "detail": {"note": "Customer's address is 1 Main St"},
        }
        digest = audit.content_hash(content)
        link = audit.link_hash(previous, digest)
        events.append(
            StoredEvent(
                "case:x",
                seq,
                f"{seq:032x}",
                None,
                "dana",
                "interaction.logged",
                None,
                content["detail"],
                digest,
                previous,
                link,
            )
        )
        previous = link
    redacted = events[1]._replace(detail={"note": "[redacted]", "_redaction": {"by": "ada"}})
    trail = [events[0], redacted, events[2]]

    assert not audit_verify.check_events(trail).whole  # today nothing counts as redacted
    marked = audit_verify.check_events(trail, redacted=lambda e: "_redaction" in e.detail)
    assert marked.whole and marked.redacted_events == 1
    relinked = [events[0], redacted._replace(prev_hash="0" * 64), events[2]]
    [link] = audit_verify.check_events(relinked, redacted=lambda e: True).broken
    assert (link.seq, link.problem) == (2, Problem.LINK)


# ----------------------------------------------------------------------------- history
def test_a_cases_history_reads_who_did_what_when_and_why_newest_first(desk):
    case = case_with_trail(desk)

    rows = audit_review.case_history(desk.rep.ws, case.id)

    assert [(r.actor_name, r.what, r.why) for r in rows] == [
        ("Ray Rep", "acknowledged the handoff note", None),
        ("Rae Rep", "reassigned the case to Ray Rep", None),
        (
            "Rae Rep",
            "changed status from Open to Pending customer",
            "Waiting for the customer's bank statement",
        ),
        ("Rae Rep", "logged an incoming call", None),
        ("Rae Rep", "took the case from the queue", None),
        ("Ray Rep", "opened the case", None),
    ]
    assert [r.seq for r in rows] == [6, 5, 4, 3, 2, 1]
    assert all(r.case_key == case.key for r in rows)
    assert rows[0].occurred_at >= rows[-1].occurred_at
    assert rows[1].kind is ActionKind.HANDOFFS and rows[4].kind is ActionKind.CLAIMS


def test_a_case_is_found_by_its_key_however_it_is_typed(desk):
    case = case_with_trail(desk)
    for typed in (case.key, case.key.lower(), case.key.replace("-", ""), f" {case.key} "):
        assert audit_review.find_case(desk.rep.ws, typed) == (case.id, case.key)
    with pytest.raises(InvalidInput, match="not a case key"):
        audit_review.find_case(desk.rep.ws, "last week's case")
    with pytest.raises(NotFound, match="There is no case C-999999"):
        audit_review.find_case(desk.rep.ws, "C-999999")
    with pytest.raises(NotFound):
        audit_review.case_history(desk.rep.ws, uuid.uuid4())


# ----------------------------------------------------------------------------- team view
@pytest.fixture
def two_teams(desk):
    """A trail in Support (the test people's team) and a case of team Billing."""
    ours = case_with_trail(desk)
    billing = teams.create_team(desk.admin.ws, desk.admin.actor, f"Billing {uuid.uuid4().hex[:6]}")
    customer = customers.create_customer(
        desk.admin.ws, desk.admin.actor, customers.NewCustomer("Bo Berg")
    )
    theirs = cases.create_case(
        desk.admin.ws,
        desk.admin.actor,
        cases.NewCase(
            customer, billing.id, "Refund for order 7", Channel.EMAIL, assign_to_me=False
        ),
    )
    return ours, theirs, billing


EVERYTHING = AuditQuery()


def _everything(ws, actor, query=EVERYTHING, limit=1000):
    return audit_review.team_audit(ws, actor, query, limit=limit).rows


def test_a_rep_is_refused_the_team_audit_log(desk):
    with pytest.raises(PermissionDenied, match="for team leads and admins"):
        audit_review.team_audit(desk.rep.ws, desk.rep.actor, AuditQuery())


def test_a_lead_sees_their_teams_cases_and_an_admin_everything(desk, two_teams):
    ours, theirs, billing = two_teams

    lead_rows = _everything(desk.lead.ws, desk.lead.actor)
    assert {r.case_key for r in lead_rows} == {ours.key}
    assert len(lead_rows) == len(TRAIL)

    admin_rows = _everything(desk.admin.ws, desk.admin.actor)
    assert {r.case_key for r in admin_rows} >= {ours.key, theirs.key}
    assert {r.action for r in admin_rows} >= {"user.added", "team.created"}  # beyond cases

    only_billing = _everything(desk.admin.ws, desk.admin.actor, AuditQuery(team_id=billing.id))
    assert [(r.case_key, r.action) for r in only_billing] == [(theirs.key, "case.created")]
    with pytest.raises(PermissionDenied, match="their own team only"):
        audit_review.team_audit(desk.lead.ws, desk.lead.actor, AuditQuery(team_id=billing.id))


def test_the_team_view_filters_by_person_kind_and_time(desk, two_teams):
    ours, _theirs, _billing = two_teams
    lead, ws = desk.lead.actor, desk.lead.ws

    by_rep2 = _everything(ws, lead, AuditQuery(actor_login=desk.rep2.actor.login))
    assert [r.action for r in by_rep2] == ["handoff.acknowledged", "case.created"]

    claims = _everything(ws, lead, AuditQuery(kinds=(ActionKind.CLAIMS,)))
    assert [(r.action, r.actor_name) for r in claims] == [("case.taken", "Rae Rep")]
    handoffs = _everything(ws, lead, AuditQuery(kinds=(ActionKind.HANDOFFS, ActionKind.CLAIMS)))
    assert [r.action for r in handoffs] == ["handoff.acknowledged", "case.handed_off", "case.taken"]
    # Read a page at a time, the kinds' actions (each read on its own) still come newest first.
    paged, after = [], None
    while True:
        page = audit_review.team_audit(
            ws,
            lead,
            AuditQuery(kinds=(ActionKind.HANDOFFS, ActionKind.CLAIMS)),
            after=after,
            limit=1,
        )
        paged += [r.action for r in page.rows]
        if (after := page.next_after) is None:
            break
    assert paged == [r.action for r in handoffs]

    since = server_now(ws)
    state = cases.get_case_state(ws, ours.id)
    cases.change_case(
        ws,
        lead,
        ours.id,
        cases.CaseChange(state.version, priority=Priority.URGENT, reason="Customer is a hospital"),
    )
    recent = _everything(ws, lead, AuditQuery(since=since))
    assert [(r.actor_name, r.what, r.why) for r in recent] == [
        ("Lee Lead", "changed priority from Normal to Urgent", "Customer is a hospital")
    ]
    before = _everything(ws, lead, AuditQuery(until=since))
    assert len(before) == len(TRAIL) and "case.updated" in {r.action for r in before}


def test_pages_run_newest_first_without_gaps_or_repeats(desk, two_teams):
    for _ in range(2):
        case_with_trail(desk)
    admin, ws = desk.admin.actor, desk.admin.ws
    whole = _everything(ws, admin)
    assert len(whole) > 20

    seen, page = [], audit_review.team_audit(ws, admin, AuditQuery(), limit=7)
    seen.extend(page.rows)
    while page.next_after is not None:
        assert len(page.rows) == 7
        page = audit_review.team_audit(ws, admin, AuditQuery(), after=page.next_after, limit=7)
        seen.extend(page.rows)

    assert [r.id for r in seen] == [r.id for r in whole]
    times = [r.occurred_at for r in seen]
    assert times == sorted(times, reverse=True)


def test_the_people_a_lead_can_filter_on_are_their_teams(desk, two_teams):
    people = dict(audit_review.audit_people(desk.lead.ws, desk.lead.actor, None))
    assert set(people.values()) >= {"Rae Rep", "Ray Rep", "Lee Lead"}
    everyone = audit_review.audit_people(desk.admin.ws, desk.admin.actor, None)
    assert len(everyone) >= len(people)
