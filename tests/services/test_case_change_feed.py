"""The change feed the live case view listens to (services/queue_live.py) hears of everything
that changes what the case view shows: a contact logged on the case, a handoff note written on
it and an addendum added to that note — each an entry naming the case, so another workstation
with the case open reads it again."""

from __future__ import annotations

import pytest

from deskapp.domain.enums import Channel, Direction
from deskapp.services import handoff_followup, handoffs, interactions, queue_live
from deskapp.services.interactions import NewInteraction
from tests.services.handoff_requests import good_note, request, sign_in_everyone


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_contacts_notes_and_addenda_are_in_the_change_feed_of_their_case(db):
    desk = sign_in_everyone(db)
    case = desk.new_case()
    seen = queue_live.recent_changes(desk.rep.ws).entries

    def news() -> list:
        nonlocal seen
        poll = queue_live.recent_changes(desk.rep2.ws)  # another workstation polling
        new = poll.entries - seen
        seen = poll.entries
        return [poll.case_ids[entry] for entry in new]

    interactions.log_interaction(desk.lead.ws, desk.lead.actor, NewInteraction(
        case.id, Channel.PHONE, Direction.INBOUND, "Customer called about the refund"))  # fmt: skip
    assert news() == [case.id]
    outcome = handoffs.hand_off(desk.rep.ws, desk.rep.actor,
                                request(case, good_note(desk.rep.ws), to=desk.rep2))  # fmt: skip
    assert news() == [case.id]
    handoff_followup.add_addendum(desk.rep.ws, desk.rep.actor, outcome.note_id,
                                  "The refund reference is PAY-5512, not PAY-5521.")  # fmt: skip
    assert news() == [case.id]
