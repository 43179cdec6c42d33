"""Ranking canned responses as a rep types, and counting each rep's own use of them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from deskapp.db.models import CannedResponse
from deskapp.domain.enums import CannedScope
from deskapp.services import canned
from deskapp.services.canned import CannedInfo, UsageStat, rank
from deskapp.services.unit_of_work import write_session

NOW = datetime(2025, 5, 3, 12, 0, tzinfo=UTC)


def _response(title: str, shortcut: str | None = None, tags: tuple[str, ...] = (),
              body: str = "", category: str = "general") -> CannedInfo:  # fmt: skip
    return CannedInfo(uuid.uuid4(), CannedScope.GLOBAL, title, shortcut, category, tags, body)


LIBRARY = [
    _response("Greeting — email", "hi", ("email", "opening"), "Hi {{customer.first_name}}"),
    _response("Refund issued", "refund", ("refunds",), "Your refund is on its way."),
    _response("Refund declined", "norefund", ("refunds",), "We cannot refund this order."),
    _response("Shipping delay", "late", ("shipping",), "Your parcel is late; carrier delay."),
    _response("Password reset link", "reset", ("account access",), "I sent a reset link."),
    _response("Closing — anything else", "bye", ("closing",), "Is there anything else?"),
]


def titles(responses: list[CannedInfo]) -> list[str]:
    return [r.title for r in responses]


def test_a_typo_still_finds_refund() -> None:
    found = titles(rank(LIBRARY, "refnud", now=NOW))
    assert set(found[:2]) == {"Refund issued", "Refund declined"}
    assert "Greeting — email" not in found


def test_a_shortcut_typed_in_full_comes_first() -> None:
    assert titles(rank(LIBRARY, "late", now=NOW))[0] == "Shipping delay"
    assert titles(rank(LIBRARY, "/norefund", now=NOW))[0] == "Refund declined"
    # "refund" is a title word of two responses and the shortcut of one: the shortcut wins.
    assert titles(rank(LIBRARY, "refund", now=NOW))[0] == "Refund issued"


def test_tags_and_body_words_match_too_but_titles_weigh_more() -> None:
    assert titles(rank(LIBRARY, "account", now=NOW)) == ["Password reset link"]
    assert titles(rank(LIBRARY, "parcel", now=NOW)) == ["Shipping delay"]
    assert rank(LIBRARY, "zebra", now=NOW) == []


def test_every_word_of_the_query_counts() -> None:
    assert titles(rank(LIBRARY, "refund declined", now=NOW))[0] == "Refund declined"


def test_recent_use_lifts_a_response_above_an_equal_match() -> None:
    plain = titles(rank(LIBRARY, "refunds", now=NOW))
    assert plain[0] == "Refund declined" or plain[0] == "Refund issued"
    other = next(r for r in LIBRARY if r.title != plain[0] and r.title in plain)
    usage = {other.id: UsageStat(6, NOW - timedelta(hours=1))}
    assert titles(rank(LIBRARY, "refunds", usage, now=NOW))[0] == other.title


def test_old_use_fades_and_never_lifts_a_poor_match_over_a_good_one() -> None:
    bye = next(r for r in LIBRARY if r.shortcut == "bye")
    usage = {bye.id: UsageStat(500, NOW)}
    assert titles(rank(LIBRARY, "refund", usage, now=NOW))[0] == "Refund issued"
    assert "Closing — anything else" not in titles(rank(LIBRARY, "refund", usage, now=NOW))
    fresh = canned._use_boost(UsageStat(6, NOW), NOW)
    stale = canned._use_boost(UsageStat(6, NOW - timedelta(days=60)), NOW)
    assert stale < fresh / 10


def test_an_empty_query_lists_everything_most_used_first() -> None:
    bye = next(r for r in LIBRARY if r.shortcut == "bye")
    found = rank(LIBRARY, "  ", {bye.id: UsageStat(3, NOW)}, now=NOW)
    assert found[0] == bye and len(found) == len(LIBRARY)


def _stored_response(ws, title: str) -> uuid.UUID:
    response_id = uuid.uuid4()
    with write_session(ws) as session:
        session.add(CannedResponse(id=response_id, scope=CannedScope.GLOBAL, title=title,
                                   category="refunds", tags=[], body="On its way."))  # fmt: skip
    return response_id


def test_record_use_counts_each_reps_own_use(db) -> None:
    ws, rep = db.sign_in("rep")
    response_id = _stored_response(ws, "Refund issued")
    canned.record_use(ws, rep, response_id, now=NOW - timedelta(days=1))
    canned.record_use(ws, rep, response_id, now=NOW)
    usage = canned.usage_for(ws, rep)
    assert usage[response_id].use_count == 2
    assert usage[response_id].last_used_at == NOW
    ws2, rep2 = db.sign_in("rep2")
    assert canned.usage_for(ws2, rep2) == {}  # one rep's habits do not rank another's list
    canned.record_use(ws2, rep2, response_id, now=NOW)
    assert canned.usage_for(ws2, rep2)[response_id].use_count == 1
    assert canned.usage_for(ws, rep)[response_id].use_count == 2
