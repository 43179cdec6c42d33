"""Ranking canned responses as a rep types, and counting each rep's own use of them."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from rapidfuzz import fuzz

from deskapp.db.models import CannedResponse
from deskapp.domain.enums import CannedScope
from deskapp.services import canned
from deskapp.services.canned import CannedInfo, UsageStat, rank
from deskapp.services.unit_of_work import write_session
from tests.bench.bench_canned import build_library, build_usage
from tests.bench.bench_canned import queries as bench_queries

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
    admin_ws, _admin = db.sign_in("admin")  # global responses are an admin's to write
    response_id = _stored_response(admin_ws, "Refund issued")
    ws, rep = db.sign_in("rep")
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


# ---------------------------------------------------------------------- matching words
def test_a_word_being_typed_finds_the_words_it_begins_or_lies_inside() -> None:
    for typed in ("refu", "fund"):
        assert set(titles(rank(LIBRARY, typed, now=NOW))[:2]) == {"Refund issued",
                                                                   "Refund declined"}  # fmt: skip
    assert titles(rank(LIBRARY, "parc", now=NOW)) == ["Shipping delay"]  # a body word begun


def test_one_or_two_letters_must_lie_inside_a_word_or_begin_the_shortcut() -> None:
    assert set(titles(rank(LIBRARY, "de", now=NOW))) == {"Shipping delay", "Refund declined"}
    assert titles(rank(LIBRARY, "by", now=NOW)) == ["Closing — anything else"]  # /bye
    assert rank(LIBRARY, "ye", now=NOW) == []  # in "bye", but shortcuts are typed from the start


def test_a_short_word_or_shortcut_does_not_match_a_longer_typed_word() -> None:
    # "hi" lies inside "this"; the greeting is not what someone typing "this" is after.
    assert "Greeting — email" not in titles(rank(LIBRARY, "this", now=NOW))
    assert "Greeting — email" not in titles(rank(LIBRARY, "hiking", now=NOW))


def test_a_shortcut_with_a_typo_is_found_but_only_from_its_first_letter() -> None:
    assert titles(rank(LIBRARY, "/nroefund", now=NOW))[0] == "Refund declined"
    renewal = _response("Renewal — under 30 days", "greund", ("subscription",), "It renews.")
    # "greund" resembles "refund" from its second letter on: no one types a shortcut that way.
    assert renewal not in rank([*LIBRARY, renewal], "refund", now=NOW)
    assert rank([*LIBRARY, renewal], "greund", now=NOW)[0] == renewal


def test_from_four_words_on_one_may_miss() -> None:
    assert rank(LIBRARY, "refund declined zebra", now=NOW) == []
    assert titles(rank(LIBRARY, "refund declined refunds zebra", now=NOW)) == ["Refund declined"]


def test_limit_keeps_the_best_in_their_order() -> None:
    usage = {LIBRARY[3].id: UsageStat(4, NOW)}
    for query in ("refund", "re", ""):
        everything = rank(LIBRARY, query, usage, now=NOW)
        assert rank(LIBRARY, query, usage, now=NOW, limit=2) == everything[:2]
        assert rank(LIBRARY, query, usage, now=NOW, limit=0) == []
    with pytest.raises(ValueError, match="limit"):
        rank(LIBRARY, "refund", limit=-1)


def test_the_index_ranks_as_scoring_every_response_one_by_one_would() -> None:
    """The ranker's word index is a shortcut: over a realistic library it must give exactly
    the list that scoring each response against each rule directly gives."""
    library = build_library(400)
    usage = build_usage(library)
    typed = [q for kind in bench_queries(library).values() for q in kind]
    typed += ["refund declined refunds zebra", "r", "/hi", "hi", "ema", "this", "2fa"]
    ranker = canned.ResponseRanker(library)
    for query in typed:
        expected = _rank_one_by_one(library, query, usage)
        assert ranker.rank(query, usage, now=NOW) == expected, query


def _rank_one_by_one(responses: list[CannedInfo], query: str,
                     usage: dict[uuid.UUID, UsageStat]) -> list[CannedInfo]:  # fmt: skip
    text = query.strip().lower().removeprefix("/")
    typed = re.findall(r"\w+", text)
    scored: list[tuple[float, int]] = []
    for index, response in enumerate(responses):
        labels = set(re.findall(r"\w+", " ".join((response.title, *response.tags,
                                                  response.category)).lower()))  # fmt: skip
        body = set(re.findall(r"\w+", response.body.lower()))
        shortcut = (response.shortcut or "").lower()
        total = 0.0
        for word in typed:
            if len(word) < 3:
                found = any(word in label for label in labels) or (
                    bool(shortcut) and shortcut.startswith(word))  # fmt: skip
                total += 100.0 if found else 0.0
                continue
            fuzzy = [fuzz.partial_ratio(word, f" {label} ") for label in labels]
            if shortcut[:1] == word[0]:
                fuzzy.append(fuzz.partial_ratio(word, f" {shortcut} "))
            best = max([score for score in fuzzy if score >= canned.MIN_RELEVANCE], default=0.0)
            if any(b.startswith(word) for b in body):
                best = max(best, canned.BODY_WORD)
            total += best
        score = total / len(typed)
        if score < canned.MIN_RELEVANCE:
            continue
        if shortcut and shortcut == text:
            score += canned.SHORTCUT_EXACT
        elif shortcut and shortcut.startswith(text):
            score += canned.SHORTCUT_PREFIX
        if response.id in usage:
            score += canned._use_boost(usage[response.id], NOW)
        scored.append((score, index))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [responses[index] for _score, index in scored]
