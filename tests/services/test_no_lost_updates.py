"""No lost updates (DESIGN.md §6), two clients at once: two workspaces, two logins, the same case
(its header), the same customer (their profile note), the same canned response. Whoever saves
second is told, gets their own change back untouched with the other side beside it, and the
first save is never overwritten behind anyone's back.

The races run two threads that start their saves together from the same version: on
PostgreSQL the row lock makes one wait for the other, which then sees the new version."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from deskapp.domain.enums import CannedScope, Mood, Priority
from deskapp.domain.errors import InvalidInput, StaleEdit
from deskapp.services import audit, cases, customer_notes
from deskapp.services.canned_drafts import CannedDraft
from deskapp.services.canned_library import create_response, update_response
from deskapp.services.cases import CaseChange, CaseEditConflict
from deskapp.services.customer_notes import ProfileNoteConflict
from tests.services.handoff_helpers import new_case

ALL_DIALECTS = pytest.mark.dialects("sqlite", "postgresql", "mariadb")


def _race(*saves: Callable[[], Any]) -> list[Any]:
    """Run ``saves`` at the same moment, each on its own thread: each one's result or error."""
    start = threading.Barrier(len(saves))
    results: list[Any] = [None] * len(saves)

    def run(number: int, save: Callable[[], Any]) -> None:
        start.wait()
        try:
            results[number] = save()
        except Exception as exc:  # the outcome under test, kept for the assertions
            results[number] = exc

    threads = [threading.Thread(target=run, args=(n, s)) for n, s in enumerate(saves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@ALL_DIALECTS
def test_two_clients_saving_the_case_header_at_once_lose_nothing(db):
    ws, rae = db.sign_in("rep")
    lead_ws, lee = db.sign_in("lead")
    case = new_case(ws, rae)
    seen = cases.get_case_state(ws, case.id).version  # both opened the case at this version
    mine = CaseChange(seen, category="card dispute", mood=Mood.ANGRY)
    theirs = CaseChange(seen, priority=Priority.URGENT, category="billing")
    results = _race(lambda: cases.change_case(ws, rae, case.id, mine),
                    lambda: cases.change_case(lead_ws, lee, case.id, theirs))  # fmt: skip
    conflicts = [r for r in results if isinstance(r, CaseEditConflict)]
    saved = [r for r in results if isinstance(r, cases.CaseState)]
    assert len(conflicts) == 1 and len(saved) == 1, results
    conflict = conflicts[0]
    # The loser has their own change back, untouched, and the case as the winner left it.
    assert conflict.wanted in (mine, theirs)
    assert conflict.current == saved[0] == cases.get_case_state(ws, case.id)
    assert conflict.changed_by in ("Rae Rep", "Lee Lead")
    assert "category" in conflict.conflicting_fields
    # Keeping theirs on top of the winner's save: both changes are on the case.
    loser_ws, loser = (ws, rae) if conflict.wanted is mine else (lead_ws, lee)
    again = CaseChange(conflict.current.version, **_fields(conflict.wanted))
    kept = cases.change_case(loser_ws, loser, case.id, again)
    assert kept.version == seen + 2
    assert kept.category == conflict.wanted.category
    assert (kept.priority, kept.mood) == (Priority.URGENT, Mood.ANGRY)
    # Every save is in the case's history: nothing was written without a trace.
    updates = [e for e in audit.history(ws, case_id=case.id) if e.action == cases.UPDATED]
    assert len(updates) == 2


def _fields(change: CaseChange) -> dict[str, Any]:
    names = ("status", "priority", "category", "mood", "resolution_code", "outcome")
    return {n: getattr(change, n) for n in names if getattr(change, n) is not None}


@ALL_DIALECTS
def test_two_clients_editing_the_customer_note_see_each_other_and_choose(db):
    ws, rae = db.sign_in("rep")
    ray_ws, ray = db.sign_in("rep2")
    case = new_case(ws, rae)
    opened = customer_notes.profile_note(ws, case.customer_id)
    assert opened.text == "" and opened.customer_name == "Noor Haddad"
    ray_note = customer_notes.set_profile_note(
        ray_ws, ray, case.customer_id, opened.version, "Hard of hearing: speak slowly."
    )
    mine = "Prefers email after 6pm.\nCall only if urgent."
    with pytest.raises(ProfileNoteConflict) as caught:
        customer_notes.set_profile_note(ws, rae, case.customer_id, opened.version, mine)
    conflict = caught.value
    assert conflict.mine == mine  # every character, newline included
    assert conflict.current == ray_note
    assert conflict.changed_by == "Ray Rep"
    assert "Ray Rep saved Noor Haddad's note while you were editing it" in str(conflict)
    assert customer_notes.profile_note(ws, case.customer_id).text == ray_note.text
    # Merging by hand: Rae writes both into one, checked against Ray's version.
    merged = customer_notes.set_profile_note(ws, rae, case.customer_id, ray_note.version,
                                             f"{ray_note.text}\n{mine}")  # fmt: skip
    assert merged.text == f"Hard of hearing: speak slowly.\n{mine}"
    assert merged.version == ray_note.version + 1
    chain = customer_notes.customer_chain(case.customer_id)
    assert [(e.actor_login, e.action) for e in audit.history(ws, chain=chain)] == [
        (ray.login, customer_notes.CHANGED),
        (rae.login, customer_notes.CHANGED),
    ]
    assert audit.first_broken_link(ws, chain) is None


@ALL_DIALECTS
def test_two_clients_saving_the_note_at_once_keep_the_second_text(db):
    ws, rae = db.sign_in("rep")
    ray_ws, ray = db.sign_in("rep2")
    case = new_case(ws, rae)
    version = customer_notes.profile_note(ws, case.customer_id).version
    results = _race(
        lambda: customer_notes.set_profile_note(ws, rae, case.customer_id, version, "From Rae"),
        lambda: customer_notes.set_profile_note(ray_ws, ray, case.customer_id, version, "From Ray"),
    )
    conflicts = [r for r in results if isinstance(r, ProfileNoteConflict)]
    saved = [r for r in results if isinstance(r, customer_notes.ProfileNote)]
    assert len(conflicts) == 1 and len(saved) == 1, results
    assert {conflicts[0].mine, saved[0].text} == {"From Rae", "From Ray"}
    assert conflicts[0].current == saved[0]


def test_a_card_number_in_the_note_is_refused_and_nothing_is_saved(db):
    ws, rae = db.sign_in("rep")
    case = new_case(ws, rae)
    note = customer_notes.profile_note(ws, case.customer_id)
    with pytest.raises(InvalidInput, match="full card number"):
        customer_notes.set_profile_note(ws, rae, case.customer_id, note.version,
                                        "Pays with 4111 1111 1111 1111")  # fmt: skip
    assert customer_notes.profile_note(ws, case.customer_id) == note
    # A retry of a save whose reply was lost is recognised, not applied twice.
    request_id = uuid.uuid4()
    first = customer_notes.set_profile_note(ws, rae, case.customer_id, note.version,
                                            "Prefers email", request_id=request_id)  # fmt: skip
    again = customer_notes.set_profile_note(ws, rae, case.customer_id, note.version,
                                            "Prefers email", request_id=request_id)  # fmt: skip
    assert again == first


@pytest.mark.dialects("postgresql")
def test_two_clients_saving_a_canned_response_at_once_lose_nothing(db):
    lead_ws, lee = db.sign_in("lead")
    admin_ws, ada = db.sign_in("admin")
    response = create_response(lead_ws, lee, CannedDraft(
        CannedScope.TEAM, "Refund on its way", "refund", "billing", (),
        "Your refund is on its way."))  # fmt: skip

    def draft(body: str) -> CannedDraft:
        return CannedDraft(CannedScope.TEAM, "Refund on its way", "refund", "billing", (), body)

    results = _race(
        lambda: update_response(lead_ws, lee, response.id, response.version,
                                draft("Your refund reaches you within 5 working days.")),
        lambda: update_response(admin_ws, ada, response.id, response.version,
                                draft("The refund is on its way to your card.")),
    )  # fmt: skip
    assert sum(isinstance(r, StaleEdit) for r in results) == 1, results
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
