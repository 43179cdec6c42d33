"""Taking a case from the queue (no note, exactly one winner) and the server copy of a handoff
draft (the author's, readable by their lead, gone once the note is submitted)."""

from __future__ import annotations

import threading

import pytest

from deskapp.domain.enums import CaseStatus, HandoffKind
from deskapp.domain.errors import DeskappError, PermissionDenied, StaleEdit
from deskapp.services import cases, claiming, handoff_drafts, handoffs, teams
from deskapp.services.records import CaseInfo
from tests.services.handoff_requests import (
    Desk,
    Person,
    drafts_of,
    events,
    good_note,
    notes_of,
    request,
    sign_in_everyone,
)

pytestmark = pytest.mark.dialects("sqlite", "postgresql", "mariadb")


@pytest.fixture
def desk(db) -> Desk:
    return sign_in_everyone(db)


# ------------------------------------------------------------------------- taking a case
def test_taking_a_queued_case_needs_no_note(desk):
    case = desk.new_case(queued=True)

    taken = desk_take(desk.rep2, case)

    assert (taken.assignee_id, taken.status) == (desk.rep2.id, CaseStatus.OPEN)
    assert taken.version == case.version + 1
    assert notes_of(desk.rep.ws, case.id) == 0
    assert len(events(desk.rep.ws, case.id, handoffs.TAKEN)) == 1


def desk_take(person: Person, case: CaseInfo) -> CaseInfo:
    return claiming.take(person.ws, person.actor, case.id, case.version)


def test_two_reps_taking_the_same_case_at_once_one_wins(desk):
    case = desk.new_case(queued=True)
    start_together = threading.Barrier(2, timeout=30)
    results: dict[str, CaseInfo | BaseException] = {}

    def take(who: str, person: Person) -> None:
        start_together.wait()
        try:
            results[who] = desk_take(person, case)
        except BaseException as exc:  # the loser's error is what the test checks
            results[who] = exc

    threads = [
        threading.Thread(target=take, args=(who, person))
        for who, person in (("rep", desk.rep), ("rep2", desk.rep2))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = {who: r for who, r in results.items() if isinstance(r, CaseInfo)}
    losers = {who: r for who, r in results.items() if not isinstance(r, CaseInfo)}
    assert len(winners) == 1 and len(losers) == 1, results
    [(winner, info)] = winners.items()
    [error] = losers.values()
    assert info.assignee_id == (desk.rep if winner == "rep" else desk.rep2).id
    assert isinstance(error, DeskappError)
    name = "Rae Rep" if winner == "rep" else "Ray Rep"
    assert f"was just taken by {name}" in str(error)


def test_a_case_owned_or_of_another_team_or_changed_cannot_be_taken(desk):
    owned = desk.new_case()
    with pytest.raises(DeskappError, match="just taken by Rae Rep"):
        desk_take(desk.rep2, owned)

    billing = teams.create_team(desk.admin.ws, desk.admin.actor, "Billing")
    queued = desk.new_case(queued=True)
    elsewhere = handoffs.hand_off(
        desk.lead.ws,
        desk.lead.actor,
        request(queued, good_note(desk.lead.ws), kind=HandoffKind.TRANSFER, to_team_id=billing.id),
    ).case
    with pytest.raises(PermissionDenied, match="another team"):
        desk_take(desk.rep2, elsewhere)

    queued = desk.new_case(queued=True)
    with pytest.raises(StaleEdit, match="changed while you looked"):
        claiming.take(desk.rep2.ws, desk.rep2.actor, queued.id, queued.version - 1)
    assert cases.get_case(desk.rep.ws, queued.id).assignee_id is None


# ------------------------------------------------------------------------- drafts
def test_a_draft_round_trips_and_is_saved_over_not_duplicated(desk):
    case = desk.new_case()
    first = good_note(desk.rep.ws, summary="Half written")
    second = good_note(desk.rep.ws)

    assert handoff_drafts.load_draft(desk.rep.ws, desk.rep.actor, case.id) is None
    handoff_drafts.save_draft(desk.rep.ws, desk.rep.actor, case.id, first)
    assert handoff_drafts.load_draft(desk.rep.ws, desk.rep.actor, case.id) == first
    handoff_drafts.save_draft(desk.rep.ws, desk.rep.actor, case.id, second)

    assert handoff_drafts.load_draft(desk.rep.ws, desk.rep.actor, case.id) == second
    assert drafts_of(desk.rep.ws, case.id) == 1
    handoff_drafts.discard_draft(desk.rep.ws, desk.rep.actor, case.id)
    assert handoff_drafts.load_draft(desk.rep.ws, desk.rep.actor, case.id) is None


def test_a_lead_starts_from_the_reps_draft_and_another_rep_cannot_read_it(desk):
    case = desk.new_case()
    draft = good_note(desk.rep.ws, summary="Rae's unfinished note about the double charge")
    handoff_drafts.save_draft(desk.rep.ws, desk.rep.actor, case.id, draft)

    assert handoff_drafts.load_draft(desk.lead.ws, desk.lead.actor, case.id, desk.rep.id) == draft
    with pytest.raises(PermissionDenied):
        handoff_drafts.load_draft(desk.rep2.ws, desk.rep2.actor, case.id, desk.rep.id)


def test_submitting_the_note_deletes_the_authors_draft(desk):
    case = desk.new_case()
    content = good_note(desk.rep.ws)
    handoff_drafts.save_draft(desk.rep.ws, desk.rep.actor, case.id, content)

    handoffs.hand_off(desk.rep.ws, desk.rep.actor, request(case, content, to=desk.rep2))

    assert drafts_of(desk.rep.ws, case.id) == 0
    assert handoff_drafts.load_draft(desk.rep.ws, desk.rep.actor, case.id) is None


def test_a_rep_keeps_no_draft_on_someone_elses_case(desk):
    theirs = desk.new_case(desk.rep2)
    with pytest.raises(PermissionDenied):
        handoff_drafts.save_draft(desk.rep.ws, desk.rep.actor, theirs.id, good_note(desk.rep.ws))
    assert drafts_of(desk.rep.ws, theirs.id) == 0
