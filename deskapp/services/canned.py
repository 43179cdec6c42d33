"""Canned responses a person may use: their own, their team's and the global ones, ranked as
they type, with the placeholder values of the case in hand and each person's own use.

Ranking is a pure function (no database), so the panel and the picker rank on the GUI thread
within a keystroke: build a :class:`ResponseRanker` once per list, then ``rank`` per keystroke.
"""

from __future__ import annotations

import bisect
import math
import re
import uuid
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process
from sqlalchemy import and_, or_, select

from deskapp.db.models import CannedResponse, CannedResponseUsage
from deskapp.domain.enums import CannedScope
from deskapp.services.history import CaseDetail
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

MIN_RELEVANCE = 72.0  # below this a response does not match the query at all
SHORTCUT_EXACT = 100.0  # typing a shortcut in full puts its response first, whatever else
SHORTCUT_PREFIX = 10.0
BODY_WORD = 75.0  # a word of the body counts, less than the same word in the title or a tag
USE_BOOST_MAX = 15.0  # enough to order close matches by habit, never to lift a poor match
USE_HALF_LIFE_DAYS = 14.0
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class CannedInfo:
    id: uuid.UUID
    scope: CannedScope
    title: str
    shortcut: str | None
    category: str
    tags: tuple[str, ...]
    body: str
    owner_id: uuid.UUID | None = None  # a personal response's owner
    team_id: uuid.UUID | None = None  # a team response's team
    version: int = 1  # for optimistic concurrency when it is edited


@dataclass(frozen=True)
class UsageStat:
    use_count: int
    last_used_at: datetime


def usable_responses(ws: Workspace, actor: Actor) -> list[CannedInfo]:
    visible = or_(
        CannedResponse.scope == CannedScope.GLOBAL,
        and_(CannedResponse.scope == CannedScope.TEAM, CannedResponse.team_id == actor.team_id),
        and_(
            CannedResponse.scope == CannedScope.PERSONAL, CannedResponse.owner_id == actor.user_id
        ),
    )
    query = (
        select(CannedResponse)
        .where(visible, CannedResponse.active.is_(True))
        .order_by(CannedResponse.category, CannedResponse.title)
    )
    with read_session(ws) as session:
        return [_info(r) for r in session.scalars(query)]


def _info(r: CannedResponse) -> CannedInfo:
    return CannedInfo(r.id, r.scope, r.title, r.shortcut, r.category, tuple(r.tags or ()),
                      r.body, r.owner_id, r.team_id, r.version)  # fmt: skip


# ---------------------------------------------------------------------- own use
def usage_for(ws: Workspace, actor: Actor) -> dict[uuid.UUID, UsageStat]:
    """How often and how lately this person used each response (only theirs: habits differ)."""
    if actor.user_id is None:
        return {}
    query = select(CannedResponseUsage).where(CannedResponseUsage.user_id == actor.user_id)
    with read_session(ws) as session:
        return {
            u.response_id: UsageStat(u.use_count, u.last_used_at) for u in session.scalars(query)
        }


def record_use(
    ws: Workspace, actor: Actor, response_id: uuid.UUID, *, now: datetime | None = None
) -> None:
    """Count one use of a response by this person (insert the first time, update after)."""
    if actor.user_id is None:  # the setup account is nobody whose habits matter
        return
    moment = now or datetime.now(UTC)
    key = (actor.user_id, response_id)
    with write_session(ws) as session:
        usage = session.get(CannedResponseUsage, key, with_for_update=True)
        if usage is None:
            session.add(CannedResponseUsage(user_id=actor.user_id, response_id=response_id,
                                            use_count=1, last_used_at=moment))  # fmt: skip
        else:
            usage.use_count += 1
            usage.last_used_at = moment


# ---------------------------------------------------------------------- ranking
class ResponseRanker:
    """Responses prepared once for matching, so that :meth:`rank` costs a few milliseconds per
    keystroke over ten thousand responses.

    Each typed word scores each response from 0 to 100, the best of:

    * a word of its title, tags or category, fuzzily: typos are forgiven, and a word being typed
      matches the words it begins or lies inside ("refu", "fund" and "refnud" find "refund"); a
      typed word longer than the title word must match nearly all of it ("this" is not "hi");
    * its shortcut, the same way, from its first letter on (shortcuts are typed from the start);
    * a word of its body that the typed word begins: ``BODY_WORD``, less than a title or tag.

    A one- or two-letter word fuzzy-matches almost anything, so it must lie inside a title, tag
    or category word, or begin the shortcut. A response matches when the mean over the typed
    words reaches ``MIN_RELEVANCE``; typing its shortcut in full (or the start of it) lifts it,
    and this person's own recent use orders close matches.

    The speed comes from matching a typed word against the library's distinct words, not its
    responses: a few thousand short strings compared in C++ by rapidfuzz, each matching word
    then mapped to the responses that hold it by an index built here, once per list.
    """

    def __init__(self, responses: Sequence[CannedInfo]) -> None:
        self.responses = list(responses)
        self._index_of = {r.id: i for i, r in enumerate(self.responses)}
        labels: dict[str, list[int]] = {}
        bodies: dict[str, list[int]] = {}
        shortcuts: dict[str, list[int]] = {}
        for index, response in enumerate(self.responses):
            text = f"{response.title} {' '.join(response.tags)} {response.category}".lower()
            for word in set(_WORD.findall(text)):
                labels.setdefault(word, []).append(index)
            for word in set(_WORD.findall(response.body.lower())):
                bodies.setdefault(word, []).append(index)
            if response.shortcut:
                shortcuts.setdefault(response.shortcut.lower(), []).append(index)
        self._labels = _Words(labels)
        self._bodies = _Words(bodies)
        self._shortcuts = _Words(shortcuts)
        by_initial: dict[str, dict[str, list[int]]] = {}
        for shortcut, owners in shortcuts.items():
            by_initial.setdefault(shortcut[0], {})[shortcut] = owners
        self._shortcuts_by_initial = {i: _Words(group) for i, group in by_initial.items()}

    def rank(
        self,
        query: str,
        usage: Mapping[uuid.UUID, UsageStat] | None = None,
        *,
        now: datetime | None = None,
        limit: int | None = None,
    ) -> list[CannedInfo]:
        """The responses that match ``query``, best first, ties in the list's order; with
        ``limit``, only that many (a panel shows a screenful: typing narrows faster)."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be None or at least 0, not {limit}")
        moment = now or datetime.now(UTC)
        text = query.strip().lower().removeprefix("/")
        words = _WORD.findall(text)
        if not words:  # nothing typed yet: the ones this person uses most, then the usual order
            boosts = self._use_boosts(usage, moment, range(len(self.responses)))
            used = [i for i in sorted(boosts) if boosts[i] > 0]
            used.sort(key=boosts.__getitem__, reverse=True)  # stable: ties keep the list order
            rest = set(used)
            order = used + [i for i in range(len(self.responses)) if i not in rest]
            return list(map(self.responses.__getitem__, order[:limit]))
        scores = self._relevance(words)
        if not scores:
            return []
        begun = self._shortcuts.beginning(text).intersection(scores)
        lifted = {i: scores[i] + SHORTCUT_PREFIX for i in begun}
        lifted.update({i: scores[i] + SHORTCUT_EXACT
                       for i in self._shortcuts.exactly(text) if i in begun})  # fmt: skip
        scores.update(lifted)
        for index, boost in self._use_boosts(usage, moment, scores).items():
            scores[index] += boost
        # Ascending index first: the stable sort then breaks ties by the list's order.
        order = sorted(sorted(scores), key=scores.__getitem__, reverse=True)
        return list(map(self.responses.__getitem__, order[:limit]))

    def _relevance(self, words: list[str]) -> dict[int, float]:
        """Index -> the mean of its word scores, for the responses where it reaches the bar."""
        per_word = [self._word_scores(word) for word in words]
        if len(per_word) == 1:
            return per_word[0]
        # A word scores 0 or at least MIN_RELEVANCE, so only this many words may miss; with
        # none (up to three words), only the responses that match every word are candidates.
        may_miss = int(len(words) * (100.0 - MIN_RELEVANCE) / 100.0)
        if may_miss == 0:
            candidates = set(per_word[0]).intersection(*per_word[1:])
        else:
            candidates = set().union(*per_word)
        scores = {i: sum(word_scores.get(i, 0.0) for word_scores in per_word) / len(words)
                  for i in candidates}  # fmt: skip
        return {i: score for i, score in scores.items() if score >= MIN_RELEVANCE}

    def _word_scores(self, word: str) -> dict[int, float]:
        """Index -> how well that response matches one typed word; the others are absent."""
        if len(word) < 3:  # two letters fuzzy-match almost anything: ask for the letters
            holders = self._labels.containing(word) | self._shortcuts.beginning(word)
            return dict.fromkeys(holders, 100.0)
        groups: list[tuple[float, Collection[int]]] = [*self._labels.resembling(word)]
        initial = self._shortcuts_by_initial.get(word[0])
        if initial is not None:
            groups += initial.resembling(word)
        body = self._bodies.beginning(word)
        if body:
            groups.append((BODY_WORD, body))
        # Lowest first, so that where a response matches several ways its best score stays.
        groups.sort(key=lambda group: group[0])
        scores: dict[int, float] = {}
        for score, owners in groups:
            scores.update(dict.fromkeys(owners, score))
        return scores

    def _use_boosts(
        self, usage: Mapping[uuid.UUID, UsageStat] | None, now: datetime, among: Container[int]
    ) -> dict[int, float]:
        """Index -> this person's own-use boost, for the responses ``among`` they have used."""
        boosts: dict[int, float] = {}
        for response_id, stat in (usage or {}).items():
            index = self._index_of.get(response_id)
            if index is not None and index in among:
                boosts[index] = _use_boost(stat, now)
        return boosts


class _Words:
    """Distinct words of one kind (title and tag words, body words, shortcuts), each with the
    indexes of the responses that hold it."""

    def __init__(self, owners: Mapping[str, Iterable[int]]) -> None:
        self._words = sorted(owners)  # alphabetical: the words a prefix begins are a slice
        self._owners = [tuple(owners[word]) for word in self._words]
        self._exact = dict(zip(self._words, self._owners, strict=True))
        # Padded as a word is inside a title: a typed word is matched where it fits best in or
        # across it, never against a mere scrap of it ("em" of "empathy" for "ema"), and a
        # short word ("hi") cannot match every longer typed word that holds it ("this").
        self._padded = [f" {word} " for word in self._words]

    def exactly(self, word: str) -> tuple[int, ...]:
        return self._exact.get(word, ())

    def beginning(self, prefix: str) -> set[int]:
        """The responses holding a word that begins with ``prefix``."""
        start = bisect.bisect_left(self._words, prefix)
        end = bisect.bisect_left(self._words, prefix + "\U0010ffff", start)
        return set[int]().union(*self._owners[start:end])

    def containing(self, fragment: str) -> set[int]:
        """The responses holding a word with ``fragment`` in it."""
        pairs = zip(self._words, self._owners, strict=True)
        return set[int]().union(*[owners for word, owners in pairs if fragment in word])

    def resembling(self, word: str) -> list[tuple[float, tuple[int, ...]]]:
        """(score, owners) for each word that ``word`` fuzzily matches: where it fits best in it
        ("refu" begins "refund", "fund" lies in it, "refnud" is a typo of it)."""
        return [
            (float(score), self._owners[position])
            for _word, score, position in process.extract(
                word, self._padded, scorer=fuzz.partial_ratio, limit=None,
                score_cutoff=MIN_RELEVANCE, processor=None,
            )
        ]  # fmt: skip


def rank(
    responses: Sequence[CannedInfo],
    query: str,
    usage: Mapping[uuid.UUID, UsageStat] | None = None,
    *,
    now: datetime | None = None,
    limit: int | None = None,
) -> list[CannedInfo]:
    """The responses that match ``query``, best first (see :class:`ResponseRanker`); build a
    ranker once instead where the same list is ranked on every keystroke."""
    return ResponseRanker(responses).rank(query, usage, now=now, limit=limit)


def _use_boost(stat: UsageStat | None, now: datetime) -> float:
    if stat is None or stat.use_count <= 0:
        return 0.0
    last = stat.last_used_at if stat.last_used_at.tzinfo else stat.last_used_at.replace(tzinfo=UTC)
    age_days = max(0.0, (now - last).total_seconds() / 86400)
    recency = 0.5 ** (age_days / USE_HALF_LIFE_DAYS)
    return float(min(USE_BOOST_MAX, 5.0 * math.log2(1 + stat.use_count)) * recency)


# ---------------------------------------------------------------------- placeholder values
def placeholder_values(case: CaseDetail, agent_name: str, now: datetime) -> dict[str, str]:
    """The known placeholders' values for this case; times and dates are the customer's."""
    zone = _zone(case.customer.time_zone)
    local = now.astimezone(zone) if zone else now.astimezone()
    next_due = ""
    if case.commitments:
        due = case.commitments[0].due
        due_local = due.astimezone(zone) if zone else due.astimezone()
        next_due = f"{due_local:%a} {due_local.day} {due_local:%b %H:%M}"
    return {
        "customer.first_name": _first_word(case.customer.name),
        "customer.name": case.customer.name.strip(),
        "case.key": case.key,
        "case.subject": case.subject,
        "agent.first_name": _first_word(agent_name),
        "team.name": case.team,
        "today": f"{local.day} {local:%B %Y}",
        "customer.local_time": f"{local:%H:%M}" if zone else "",
        "commitment.next_due": next_due,
    }


def _first_word(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else ""


def _zone(name: str | None) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None
