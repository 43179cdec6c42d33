"""One case's story as the services would have recorded it (audit_trail.py writes the rows).

From a case's row, contacts, notes and read-backs, in the case's own hash chain:

- ``case.created`` at the case's creation: by its first owner, who opened a call, chat or visit
  as their own; a case that came in writing, or still waits in the queue, was opened into the
  queue by a colleague of the team, and its first owner then took it (``case.taken``, Get
  next or Take) before doing anything on it;
- ``interaction.logged`` for every contact at its time, by its author (the contact's id is the
  event's id, as in services/interactions.py); a customer's incoming contact by whoever owned
  the case then (before anyone did, by whoever opened it);
- ``case.handed_off`` for every handoff note at its time, by its author, from and to whom the
  note says (the note's id is the event's id, as in services/handoffs.py); a lead moving a
  rep's case gives a reason; a few notes were first sent back by the lint
  (``handoff.refused``) or went with a warning accepted, so the team board's "clean at first
  submit" reads as in life;
- ``handoff.acknowledged`` / ``handoff.question_asked`` for every read-back, by its reader;
- the status the case is in now: resolved (code and outcome length) at ``resolved_at`` and
  closed at ``closed_at`` by its owner; pending or escalated a little after its last event,
  most with the reason a rep gives.

Hashes come from services/audit.py itself (``hashed_content``, ``content_hash``,
``link_hash``). The story draws from its own seeded ``rng`` in case order, so a demo's trail is
the same for a seed.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection, text

from deskapp.services.audit import case_chain, content_hash, hashed_content, link_hash
from deskapp.services.cases import UPDATED
from deskapp.services.handoffs import HANDED_OFF, SUBMIT_REFUSED, TAKEN
from deskapp.services.interactions import LOGGED

CREATED = "case.created"
ACKNOWLEDGED = "handoff.acknowledged"
QUESTION_ASKED = "handoff.question_asked"
# Contacts that arrive in writing land in the team queue first; calls, chats and visits are
# opened by the rep who is talking to the customer.
QUEUED_CHANNELS = frozenset({"email", "third_party"})
PENDING_REASONS = {
    "pending_customer": [
        "Waiting for the customer's photos of the damage",
        "Asked for the order number by email",
        "Customer will send the bank statement",
    ],
    "pending_internal": ["Billing must approve the refund", "Warehouse is checking the stock"],
    "pending_third_party": [
        "Courier is checking the parcel's whereabouts",
        "Card issuer is reviewing the dispute",
    ],
    "escalated": [
        "Customer threatens to cancel; needs a lead",
        "Third contact about the same fault",
    ],
}
LEAD_REASONS = [
    "Balancing the load: too many open cases on one desk",
    "Out sick today; moving the cases that cannot wait",
    "Needs someone who speaks the customer's language",
    "On leave from tomorrow",
]
ESCALATION_REASONS = ["Refund above what a rep may approve", "Customer asked for a manager"]
REFUSED_RULES = [["vague_reference"], ["action_without_due"], ["no_contingency"]]
WARNINGS_ACCEPTED = [["short_summary"], ["no_deescalation"]]


_VERSION_4_BITS = 0x4 << 76 | 0b10 << 62  # the version nibble and the variant of RFC 9562


class _Contact(NamedTuple):
    at: datetime
    id: Any  # as the driver gives it: 16 bytes, or a UUID on PostgreSQL
    channel: str
    direction: str
    author: Any
    kudos_for: Any


class _Note(NamedTuple):
    at: datetime
    id: Any
    kind: str
    author: Any
    from_user: Any
    to_user: Any
    from_team: Any
    to_team: Any
    unbriefed_reason: str | None


class _Ack(NamedTuple):
    at: datetime
    note_id: Any
    user: Any
    kind: str
    read_back: bool


# (when, order within the same moment, event id, actor, action, reason, detail)
_Event = tuple[datetime, int, Any, Any, str, str | None, dict[str, Any]]


class Slice(NamedTuple):
    """What the database holds for a slice of cases, as the driver gives it."""

    cases: Sequence[Any]
    contacts: Sequence[Any]
    notes: Sequence[Any]
    acks: Sequence[Any]


class Storyteller:
    def __init__(self, conn: Connection, now: datetime, seed: int) -> None:
        self.now = now
        self.rng = random.Random(f"audit trail {seed}")
        self._made = 0  # our own event ids so far (see _event_id)
        dialect = conn.dialect.name
        self.native_ids = dialect == "postgresql"
        self.hex: Callable[[Any], str] = attrgetter("hex") if dialect == "postgresql" else bytes.hex
        self.moment = _moment_reader(dialect)
        self.logins: dict[Any, str] = {}
        self.reps: dict[Any, list[Any]] = defaultdict(list)
        self.leads: set[Any] = set()
        for user_id, login, role, team_id in conn.execute(
            text("SELECT id, login, role, team_id FROM users ORDER BY login")
        ):
            self.logins[user_id] = login
            if role == "rep" and team_id is not None:
                self.reps[team_id].append(user_id)
            elif role == "lead":
                self.leads.add(user_id)

    def rows(self, read: Slice) -> list[tuple[Any, ...]]:
        """The audit rows of a slice of cases."""
        moment = self.moment
        contacts: dict[Any, list[_Contact]] = defaultdict(list)
        for row in read.contacts:
            contacts[row[0]].append(_Contact(moment(row[1]), *row[2:]))
        notes: dict[Any, list[_Note]] = defaultdict(list)
        for row in read.notes:
            notes[row[0]].append(_Note(moment(row[1]), *row[2:]))
        acks: dict[Any, list[_Ack]] = defaultdict(list)
        for case_id, at, note_id, user_id, kind, read_back in read.acks:
            acks[case_id].append(_Ack(moment(at), note_id, user_id, kind, bool(read_back)))
        rows: list[tuple[Any, ...]] = []
        for case in read.cases:
            case_id = case[0]
            events = self.story(case, contacts[case_id], notes[case_id], acks[case_id])
            rows.extend(self.chained(case_id, events))
        return rows

    # ------------------------------------------------------------------ the story
    def story(
        self, case: Any, contacts: list[_Contact], notes: list[_Note], acks: list[_Ack]
    ) -> list[_Event]:
        """The events of one case, in the order they happened."""
        (_id, _number, subject, channel, status, team_id, assignee, created_at, last_activity,
         resolved_at, closed_at, resolution_code, outcome) = case  # fmt: skip
        rng, hex_ = self.rng, self.hex
        created = self.moment(created_at)
        contacts.sort()
        notes.sort()
        acks.sort()
        first_owner = notes[0].from_user if notes else assignee
        team_reps = self.reps.get(team_id) or list(self.logins)
        events: list[_Event] = []
        version, state = 1, "open"
        if first_owner is None or channel in QUEUED_CHANNELS:
            opener = rng.choice(team_reps)
            state = "new"
        else:
            opener = first_owner
        events.append((created, 0, self._event_id(), opener, CREATED, None,
                       {"subject_length": len(subject), "channel": channel}))  # fmt: skip
        owner = first_owner if state == "open" else None
        owned_since = created  # before this the opener logged what came in
        if first_owner is not None and state == "new":
            # Taken from the queue before the owner's first step on it.
            later = [c.at for c in contacts[1:]] + [n.at for n in notes[:1]]
            room = (min(later) if later else self.moment(last_activity)) - created
            delay = min(timedelta(minutes=rng.randint(2, 45)), room / 2)
            via = "get_next" if rng.random() < 0.7 else "take"
            owned_since = created + delay
            events.append((owned_since, 1, self._event_id(), first_owner, TAKEN, None,
                           {"via": via}))  # fmt: skip
            owner, state, version = first_owner, "open", version + 1
        # Contacts, notes and read-backs in time order: who owned the case at each moment
        # decides who logged a customer's incoming contact. (Most cases have contacts only.)
        timeline: list[_Contact | _Note | _Ack] = list(contacts)
        if notes or acks:
            merged: list[tuple[datetime, int, _Contact | _Note | _Ack]] = [
                (n.at, 0, n) for n in notes
            ]
            merged += [(c.at, 1, c) for c in contacts]
            merged += [(a.at, 2, a) for a in acks]
            merged.sort(key=itemgetter(0, 1))
            timeline = [item for _at, _order, item in merged]
        for item in timeline:
            at = item.at
            if isinstance(item, _Contact):
                detail: dict[str, Any] = {
                    "interaction": hex_(item.id),
                    "channel": item.channel,
                    "direction": item.direction,
                }
                if item.kudos_for is not None:
                    detail["kudos_for"] = hex_(item.kudos_for)
                actor = item.author or (owner if at >= owned_since else None) or opener
                events.append((at, 2, item.id, actor, LOGGED, None, detail))
            elif isinstance(item, _Note):
                version += 1
                state = self._handed_off(item, state, created, events)
                owner = item.to_user
            else:
                action = ACKNOWLEDGED if item.kind == "accepted" else QUESTION_ASKED
                detail = {"note_id": hex_(item.note_id)}
                if action == ACKNOWLEDGED:
                    detail["read_back"] = item.read_back
                events.append((at, 3, self._event_id(), item.user, action, None, detail))
        self._status_now(events, status, state, version, owner or assignee or opener,
                         resolved_at, closed_at, resolution_code, outcome)  # fmt: skip
        return events

    def _handed_off(self, note: _Note, state: str, created: datetime, events: list[_Event]) -> str:
        """Append the note's event (and a refused first try, now and then); the new status."""
        rng, hex_, at = self.rng, self.hex, note.at
        detail: dict[str, Any] = {
            "kind": note.kind,
            "from_user": hex_(note.from_user) if note.from_user is not None else None,
            "to_user": hex_(note.to_user) if note.to_user is not None else None,
            "from_team": hex_(note.from_team),
            "to_team": hex_(note.to_team),
        }
        after = {"release": "new", "escalate": "escalated"}.get(note.kind, state)
        if after != state:
            detail["status"] = {"from": state, "to": after}
        luck = rng.random()
        warnings: list[str] = []
        if luck < 0.08:  # sent back by the lint first, fixed, submitted a few minutes later
            before = min(timedelta(minutes=rng.randint(2, 9)), (at - created) / 2)
            events.append((at - before, 0, self._event_id(),
                           note.author, SUBMIT_REFUSED, None,
                           {"rules": rng.choice(REFUSED_RULES)}))  # fmt: skip
        elif luck < 0.18:
            warnings = rng.choice(WARNINGS_ACCEPTED)
        detail.update(
            note_id=hex_(note.id),
            unbriefed=note.unbriefed_reason is not None,
            warnings_accepted=warnings,
            first_submit_clean=luck >= 0.18,
        )
        reason = note.unbriefed_reason
        if reason is None and note.author != note.from_user and note.author in self.leads:
            reason = rng.choice(LEAD_REASONS)  # a lead moved a rep's case: the dialog asks why
        elif reason is None and note.kind == "escalate" and rng.random() < 0.5:
            reason = rng.choice(ESCALATION_REASONS)
        events.append((at, 1, note.id, note.author, HANDED_OFF, reason, detail))
        return after

    def _status_now(
        self,
        events: list[_Event],
        status: str,
        state: str,
        version: int,
        owner: Any,
        resolved_at: Any,
        closed_at: Any,
        resolution_code: str | None,
        outcome: str | None,
    ) -> None:
        """The change that brought the case to the status it has now, by its owner."""
        rng = self.rng
        if status in ("resolved", "closed"):
            detail: dict[str, Any] = {"status": {"from": state, "to": "resolved"}}
            if resolution_code:
                detail["resolution_code"] = {"from": None, "to": resolution_code}
            if outcome:
                detail["outcome"] = {"length": len(outcome)}
            resolved = self.moment(resolved_at) if resolved_at is not None else events[-1][0]
            detail["version"] = version = version + 1
            events.append((resolved, 4, self._event_id(), owner, UPDATED, None, detail))
            if status == "closed":
                closed = self.moment(closed_at) if closed_at is not None else resolved
                detail = {"status": {"from": "resolved", "to": "closed"}, "version": version + 1}
                events.append((max(closed, resolved), 5, self._event_id(), owner, UPDATED,
                               None, detail))  # fmt: skip
            return
        if status == state or status == "new":
            return
        last = max(event[0] for event in events)
        later, fraction = timedelta(minutes=rng.randint(1, 90)), rng.random()
        if last + later > self.now:  # never in the future: between the last event and now
            later = max(self.now - last, timedelta(0)) * fraction
        detail = {"status": {"from": state, "to": status}}
        if status == "escalated":
            detail["escalated"] = True
        detail["version"] = version + 1
        reasons = PENDING_REASONS.get(status, [])
        reason = rng.choice(reasons) if reasons and rng.random() < 0.7 else None
        events.append((last + later, 4, self._event_id(), owner, UPDATED, reason, detail))

    # ------------------------------------------------------------------ the chain
    def chained(self, case_id: Any, events: list[_Event]) -> Iterable[tuple[Any, ...]]:
        """Audit rows of one case, hashed and linked exactly as services/audit.py does."""
        events.sort(key=itemgetter(0, 1))
        case_hex = self.hex(case_id)
        chain = case_chain(uuid.UUID(hex=case_hex))
        logins, hex_ = self.logins, self.hex
        previous: str | None = None
        for seq, (at, _order, event_id, actor, action, reason, detail) in enumerate(
            events, start=1
        ):
            login = logins[actor]
            digest = content_hash(
                hashed_content(
                    event_hex=hex_(event_id), chain=chain, seq=seq, case_hex=case_hex,
                    actor_login=login, action=action, reason=reason, detail=detail,
                )
            )  # fmt: skip
            linked = link_hash(previous, digest)
            yield (event_id, chain, seq, case_id, actor, login, action, reason, detail, at,
                   digest, previous, linked)  # fmt: skip
            previous = linked

    def _event_id(self) -> Any:
        """A request id of our own, in the order made (index inserts stay sequential) and below
        every id the generator made: its ids carry a counter from 1 in their top 48 bits, ours
        have zeros there, so they never meet (contacts' and notes' ids are event ids too). The
        team log orders events of the same moment by id, so a case opened, or taken, at the
        moment of its first contact reads as before it. The counter (34 bits) sits around the
        version-4 layout's fixed bits, random bits below. On PostgreSQL a UUID, elsewhere its
        16 bytes, as the driver gives ids."""
        made, self._made = self._made, self._made + 1
        value = (
            (made >> 22 & 0xFFF) << 64
            | (made & 0x3FFFFF) << 40
            | self.rng.getrandbits(40)
            | _VERSION_4_BITS
        )
        return uuid.UUID(int=value) if self.native_ids else value.to_bytes(16)


def _moment_reader(dialect: str) -> Callable[[Any], datetime]:
    """A timestamp as the driver gives it (SQLite: text; MariaDB: naive UTC) → aware UTC."""
    if dialect == "sqlite":  # stored as UTC without an offset: this is the fastest way to add it
        return lambda value: datetime.fromisoformat(value + "+00:00")
    if dialect == "postgresql":
        return lambda value: value.astimezone(UTC)
    return lambda value: value.replace(tzinfo=UTC)
