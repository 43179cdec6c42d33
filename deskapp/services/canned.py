"""Canned responses a person may use: their own, their team's and the global ones, ranked as
they type, with the placeholder values of the case in hand and each person's own use.

Ranking is a pure function (no database), so the panel and the picker rank on the GUI thread
within a keystroke: build a :class:`ResponseRanker` once per list, then ``rank`` per keystroke.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process, utils
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
        return [
            CannedInfo(r.id, r.scope, r.title, r.shortcut, r.category, tuple(r.tags or ()), r.body)
            for r in session.scalars(query)
        ]


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
    """Responses prepared once for matching; :meth:`rank` then costs a few C++ passes."""

    def __init__(self, responses: Sequence[CannedInfo]) -> None:
        self.responses = list(responses)
        self._titles = [utils.default_process(r.title) for r in self.responses]
        self._tags = [utils.default_process(" ".join((*r.tags, r.category)))
                      for r in self.responses]  # fmt: skip
        self._shortcuts = [(r.shortcut or "").lower() for r in self.responses]
        # " word word …": a typed word starts a body word when " " + it occurs (a C search).
        self._bodies = [" " + " ".join(set(_WORD.findall(r.body.lower()))) for r in self.responses]

    def rank(
        self,
        query: str,
        usage: Mapping[uuid.UUID, UsageStat] | None = None,
        *,
        now: datetime | None = None,
    ) -> list[CannedInfo]:
        usage = usage or {}
        moment = now or datetime.now(UTC)
        text = query.strip().lower().removeprefix("/")
        words = _WORD.findall(text)
        count = len(self.responses)
        if not words:  # nothing typed yet: the ones this person uses most, then the usual order
            boosts = [_use_boost(usage.get(r.id), moment) for r in self.responses]
            order = sorted(range(count), key=lambda i: -boosts[i])
            return [self.responses[i] for i in order]
        relevance = [0.0] * count
        for word in words:
            best = self._word_scores(word)
            for index in range(count):
                relevance[index] += best[index]
        scored: list[tuple[float, int]] = []
        for index, response in enumerate(self.responses):
            score = relevance[index] / len(words)
            if score < MIN_RELEVANCE:
                continue
            shortcut = self._shortcuts[index]
            if shortcut and shortcut == text:
                score += SHORTCUT_EXACT
            elif shortcut and shortcut.startswith(text):
                score += SHORTCUT_PREFIX
            scored.append((score + _use_boost(usage.get(response.id), moment), index))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [self.responses[index] for _score, index in scored]

    def _word_scores(self, word: str) -> list[float]:
        """For one typed word, how well each response matches it, 0 to 100, the best of its title,
        tags, shortcut (fuzzy: typos forgiven) and body (whole words or their beginnings)."""
        count = len(self.responses)
        best = [0.0] * count
        if len(word) < 3:  # two letters fuzzy-match almost anything: ask for the letters
            for index in range(count):
                if word in self._titles[index] or word in self._tags[index] or (
                    self._shortcuts[index].startswith(word)):  # fmt: skip
                    best[index] = 100.0
            return best
        for choices in (self._titles, self._tags, self._shortcuts):
            for _choice, score, index in process.extract(
                word, choices, scorer=fuzz.partial_ratio, limit=None,
                score_cutoff=MIN_RELEVANCE, processor=None,
            ):  # fmt: skip
                best[index] = max(best[index], float(score))
        needle = " " + word
        for index, body in enumerate(self._bodies):
            if best[index] < BODY_WORD and needle in body:
                best[index] = BODY_WORD
        return best


def rank(
    responses: Sequence[CannedInfo],
    query: str,
    usage: Mapping[uuid.UUID, UsageStat] | None = None,
    *,
    now: datetime | None = None,
) -> list[CannedInfo]:
    """The responses that match ``query``, best first (see :class:`ResponseRanker`)."""
    return ResponseRanker(responses).rank(query, usage, now=now)


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
