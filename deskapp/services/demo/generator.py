"""The demo workspace: a realistic contact centre, deterministic for a seed, fast at scale.

A million cases come with about 200,000 customers and 3,000,000 interactions, including one
long-standing customer with 2,000 cases and 20,000 interactions (the history benchmark's
worst case). Rows stream in chunks through db/bulk.py; nothing goes through the ORM one object
at a time. Ids are time-ordered UUIDs so index inserts stay sequential.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from deskapp.db.bulk import (
    bulk_insert,
    pause_search_index,
    rebuild_search_index,
    refresh_statistics,
)
from deskapp.db.engine import WRITE_OPTIONS
from deskapp.db.models import (
    Case,
    Commitment,
    Customer,
    HandoffAck,
    HandoffNote,
    Interaction,
    Organization,
    SlaPolicy,
    SupportPlan,
    Team,
    User,
)
from deskapp.db.sequences import advance_case_numbers
from deskapp.domain.enums import (
    AckKind,
    CaseStatus,
    Channel,
    Direction,
    HandoffKind,
    Mood,
    Priority,
    RiskLevel,
    Role,
    Tier,
)
from deskapp.domain.errors import InvalidInput
from deskapp.services.demo import catalog as cat
from deskapp.services.demo.audit_trail import write_audit_trail
from deskapp.services.demo.canned_library import load_starter_library
from deskapp.services.workspace import Workspace

Progress = Callable[[str, int, int], None]
CHUNK_CASES = 10_000
HEAVY_CUSTOMER_CASES = 2_000
HEAVY_CASE_INTERACTIONS = 10
HISTORY_YEARS = 3
RECENT_DAYS = 14


@dataclass(frozen=True)
class DemoSpec:
    cases: int = 2_000
    customers: int | None = None  # default: one customer per five cases
    seed: int = 1

    @property
    def customer_count(self) -> int:
        return self.customers if self.customers else max(20, self.cases // 5)

    @property
    def heavy_cases(self) -> int:
        """The long-history customer's share: 2,000 cases at a million, less when smaller."""
        return min(HEAVY_CUSTOMER_CASES, max(1, self.cases // 50))


@dataclass(frozen=True)
class DemoSummary:
    teams: int
    people: int
    customers: int
    cases: int
    interactions: int
    handoff_notes: int
    canned_responses: int
    heavy_customer_id: uuid.UUID
    audit_events: int = 0  # none when the database refuses them (demo/audit_trail.py)


class _Ids:
    """Time-ordered UUIDs: a 48-bit counter on top, random below, a valid version-4 layout."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._next = 1

    def __call__(self) -> uuid.UUID:
        value = (self._next << 80) | self._rng.getrandbits(80)
        self._next += 1
        return uuid.UUID(int=value, version=4)


def build_demo(ws: Workspace, spec: DemoSpec, progress: Progress | None = None) -> DemoSummary:
    """Fill an empty workspace with demo data. Refuses a workspace that already has cases."""
    if spec.cases < 1:
        raise InvalidInput("The demo needs at least one case.")
    report = progress or (lambda stage, done, total: None)
    with ws.engine.execution_options(**WRITE_OPTIONS).begin() as conn:
        if conn.execute(select(func.count()).select_from(Case.__table__)).scalar():
            raise InvalidInput(
                f"{ws.name} already has cases. The demo goes into a new or empty workspace: "
                "give another file name with --db."
            )
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MB while loading
        now = conn.execute(
            select(func.now() if conn.dialect.name != "sqlite" else text("CURRENT_TIMESTAMP"))
        ).scalar()
        now = _as_utc(now)
        generator = _Generator(conn, spec, now, report)
        pause_search_index(conn)  # the search index is filled once, at the end
        summary = generator.run()
        # What the services would have recorded for all of it (demo/audit_trail.py).
        events = write_audit_trail(conn, now=now, seed=spec.seed, progress=report)
        summary = replace(summary, audit_events=events)
        report("search index", 0, 1)
        rebuild_search_index(conn)
    with ws.engine.connect() as conn:
        tables = ["customers", "cases", "interactions", "handoff_notes", "audit_events"]
        if conn.dialect.name == "postgresql":  # (MariaDB's admin may not: it needs INSERT)
            # Without the search table's statistics PostgreSQL guesses that any word matches
            # a quarter of the cases, and scanned a million of them for one customer's name.
            tables.append("case_search_fts")
        refresh_statistics(conn, tables)
        conn.commit()
    report("done", 1, 1)
    return summary


def _as_utc(value: Any) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _ascii(text_: str) -> str:
    folded = unicodedata.normalize("NFKD", text_).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == ".")


class _Generator:
    def __init__(self, conn: Connection, spec: DemoSpec, now: datetime, report: Progress):
        from faker import Faker

        self.conn, self.spec, self.now, self.report = conn, spec, now, report
        self.rng = random.Random(spec.seed)
        self.fake = Faker(["en_US", "en_GB", "nl_NL", "de_DE", "fr_FR", "en_IN"])
        self.fake.seed_instance(spec.seed)
        self.ids = _Ids(self.rng)
        self.start = now - timedelta(days=365 * HISTORY_YEARS)
        self.team_ids: list[uuid.UUID] = []
        self.reps_by_team: list[list[tuple[uuid.UUID, str]]] = []
        self.leads: list[uuid.UUID] = []  # by team, as team_ids
        self.customers: list[tuple[uuid.UUID, str, Tier]] = []
        self.counts = {"interactions": 0, "handoff_notes": 0}

    # ------------------------------------------------------------------ orchestration
    def run(self) -> DemoSummary:
        people = self._teams_and_people()
        self._plans_and_sla()
        heavy_id = self._organizations_and_customers()
        self._cases()
        canned = load_starter_library(self.conn)
        advance_case_numbers(self.conn, self.spec.cases)
        return DemoSummary(
            teams=len(self.team_ids),
            people=people,
            customers=len(self.customers),
            cases=self.spec.cases,
            interactions=self.counts["interactions"],
            handoff_notes=self.counts["handoff_notes"],
            canned_responses=canned,
            heavy_customer_id=heavy_id,
        )

    def _teams_and_people(self) -> int:
        reps_per_team = min(60, max(cat.REPS_PER_TEAM, self.spec.cases // 20_000))
        teams, people, logins = [], [], set()

        def person(team_id: uuid.UUID | None, role: Role) -> tuple[uuid.UUID, str]:
            first, last = self._first_last()
            name = f"{first} {last}"
            login = _ascii(f"{first.split(' ')[0]}.{last.split(' ')[-1]}")[:50] or "person"
            while login in logins:
                login = f"{login}{self.rng.randint(2, 99)}"
            logins.add(login)
            user_id = self.ids()
            people.append(
                (user_id, login, name, f"{login}@deskapp.example", role, team_id, True, 1)
            )
            return user_id, name.split(" ")[0]

        for name, zone, (opens, closes) in cat.TEAMS:
            team_id = self.ids()
            hours = {day: [[opens, closes]] for day in ("mon", "tue", "wed", "thu", "fri")}
            holidays = [
                f"{self.now.year}-12-25",
                f"{self.now.year}-12-26",
                f"{self.now.year + 1}-01-01",
            ]
            teams.append((team_id, name, zone, hours, holidays, 1))
            self.team_ids.append(team_id)
        bulk_insert(
            self.conn,
            _table(Team),
            ["id", "name", "time_zone", "business_hours", "holidays", "version"],
            teams,
        )
        person(None, Role.ADMIN)
        for team_id in self.team_ids:
            self.leads.append(person(team_id, Role.LEAD)[0])
            self.reps_by_team.append([person(team_id, Role.REP) for _ in range(reps_per_team)])
        bulk_insert(
            self.conn,
            _table(User),
            ["id", "login", "display_name", "email", "role", "team_id", "active", "version"],
            people,
        )
        self.report("people", len(people), len(people))
        return len(people)

    def _plans_and_sla(self) -> None:
        self.plan_ids = [self.ids() for _ in cat.SUPPORT_PLANS]
        bulk_insert(
            self.conn,
            _table(SupportPlan),
            ["id", "name", "period", "included_cases", "included_hours", "version"],
            [
                (pid, name, period, cases, hours, 1)
                for pid, (name, period, cases, hours) in zip(
                    self.plan_ids, cat.SUPPORT_PLANS, strict=True
                )
            ],
        )
        rows = []
        for priority, (first, following, resolution) in cat.SLA_MINUTES.items():
            for tier, factor in cat.TIER_SLA_FACTOR.items():
                rows.append(
                    (
                        self.ids(),
                        None,
                        priority,
                        tier,
                        int(first * factor),
                        int(following * factor),
                        int(resolution * factor),
                        1,
                    )
                )
        bulk_insert(
            self.conn,
            _table(SlaPolicy),
            [
                "id",
                "team_id",
                "priority",
                "tier",
                "first_response_minutes",
                "next_response_minutes",
                "resolution_minutes",
                "version",
            ],
            rows,
        )

    def _organizations_and_customers(self) -> uuid.UUID:
        total = self.spec.customer_count
        org_ids = [self.ids() for _ in range(max(1, total // 10))]
        bulk_insert(
            self.conn,
            _table(Organization),
            ["id", "name", "domain", "version"],
            ((oid, self.fake.company(), None, 1) for oid in org_ids),
        )
        tiers = [t for t, w in cat.TIER_WEIGHTS for _ in range(w)]
        columns = [
            "id",
            "name",
            "email",
            "phone",
            "phone_digits",
            "organization_id",
            "time_zone",
            "tier",
            "tags",
            "profile_note",
            "support_plan_id",
            "preferred_contact",
            "version",
        ]

        def rows() -> Iterator[tuple[Any, ...]]:
            for index in range(total):
                rng = self.rng
                name = " ".join(self._first_last())
                if index == 0:  # the long-standing customer of the history benchmark
                    name = "Margaret Okafor"
                tier = Tier.VIP if index == 0 else rng.choice(tiers)
                parts = name.split(" ")
                email = f"{_ascii(parts[0])}.{_ascii(parts[-1])}{index}@example.{rng.choice(['com', 'net', 'org', 'nl', 'de'])}"  # noqa: E501
                phone = f"+{rng.choice(['31', '44', '49', '1', '33'])} {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"  # noqa: E501
                customer_id = self.ids()
                self.customers.append((customer_id, parts[0], tier))
                tags = rng.sample(cat.CUSTOMER_TAGS, k=rng.choice([0, 0, 0, 1, 1, 2]))
                note = None
                if index == 0:
                    note = (
                        "Customer since 2014. Runs a chain of bakeries; calls about "
                        "several locations. Prefers a call-back to waiting on hold."
                    )
                elif rng.random() < 0.05:
                    note = rng.choice(
                        [
                            "Hard of hearing: prefers email.",
                            "Reseller: orders for clients.",
                            "Asked not to be called before 10:00.",
                        ]
                    )
                yield (
                    customer_id,
                    name,
                    email,
                    phone,
                    "".join(c for c in phone if c.isdigit()),
                    rng.choice(org_ids) if rng.random() < 0.4 else None,
                    rng.choice(cat.CUSTOMER_TIME_ZONES),
                    tier,
                    tags,
                    note,
                    rng.choice(self.plan_ids) if rng.random() < 0.7 else None,
                    rng.choice(cat.CONTACT_PREFERENCES) if rng.random() < 0.3 else None,
                    1,
                )
                if index % 20_000 == 0:
                    self.report("customers", index, total)

        bulk_insert(self.conn, _table(Customer), columns, rows())
        self.report("customers", total, total)
        return self.customers[0][0]

    def _first_last(self) -> tuple[str, str]:
        """A first and a last name, without the titles and degrees a full name may carry
        ("Dr", "B.Sc."), which would end up in logins and e-mail addresses."""
        return self.fake.first_name(), self.fake.last_name()

    # ------------------------------------------------------------------ cases
    def _cases(self) -> None:
        total = self.spec.cases
        heavy = self.spec.heavy_cases
        # Spread the long-standing customer's cases evenly through history.
        heavy_every = max(1, total // heavy)
        case_columns = [
            "id",
            "number",
            "customer_id",
            "subject",
            "category",
            "channel",
            "priority",
            "status",
            "escalated",
            "team_id",
            "assignee_id",
            "mood",
            "first_response_due",
            "next_response_due",
            "resolution_due",
            "first_responded_at",
            "waiting_since",
            "last_activity_at",
            "transfer_count",
            "reopen_count",
            "resolution_code",
            "resolution_outcome",
            "resolved_at",
            "closed_at",
            "created_at",
            "updated_at",
            "version",
        ]
        interaction_columns = [
            "id",
            "case_id",
            "customer_id",
            "channel",
            "direction",
            "author_id",
            "body",
            "duration_seconds",
            "occurred_at",
            "kudos_for_id",
            "created_at",
        ]
        note_columns = [
            "id",
            "case_id",
            "kind",
            "author_id",
            "from_user_id",
            "to_user_id",
            "from_team_id",
            "to_team_id",
            "risk",
            "summary",
            "done",
            "next_actions",
            "commitments",
            "no_commitments",
            "contingencies",
            "mood",
            "contact_preference",
            "unbriefed",
            "template_version",
            "created_at",
        ]
        heavy_done = 0
        for chunk_start in range(0, total, CHUNK_CASES):
            cases: list[Any] = []
            interactions: list[Any] = []
            notes: list[Any] = []
            for number in range(chunk_start + 1, min(total, chunk_start + CHUNK_CASES) + 1):
                is_heavy = heavy_done < heavy and number % heavy_every == 0
                heavy_done += is_heavy
                self._one_case(number, is_heavy, cases, interactions, notes)
            bulk_insert(self.conn, _table(Case), case_columns, cases)
            bulk_insert(self.conn, _table(Interaction), interaction_columns, interactions)
            bulk_insert(self.conn, _table(HandoffNote), note_columns, notes)
            bulk_insert(self.conn, _table(HandoffAck), ["id", "note_id", "user_id", "kind",
                                                         "text", "created_at"],
                        self._read_backs(notes))  # fmt: skip
            bulk_insert(self.conn, _table(Commitment), ["id", "case_id", "handoff_note_id",
                                                         "promise", "due_at", "fulfilled_at",
                                                         "version"],
                        self._commitments(cases, notes))  # fmt: skip
            self.counts["interactions"] += len(interactions)
            self.counts["handoff_notes"] += len(notes)
            self.report("cases", min(total, chunk_start + CHUNK_CASES), total)
        self.report("linking handoff notes", 0, 1)
        # Each handed-off case points at its latest note (DESIGN.md §5), set in one statement.
        self.conn.execute(
            text(
                "UPDATE cases SET current_handoff_id = (SELECT n.id FROM handoff_notes n "
                "WHERE n.case_id = cases.id ORDER BY n.created_at DESC LIMIT 1) "
                "WHERE transfer_count > 0"
            )
        )

    def _one_case(
        self,
        number: int,
        is_heavy: bool,
        cases: list[Any],
        interactions: list[Any],
        notes: list[Any],
    ) -> None:
        rng, now = self.rng, self.now
        customers = self.customers
        if is_heavy:
            customer_id, first, tier = customers[0]
        else:  # skewed: a few customers call a lot, most once or twice (never the heavy one)
            customer_id, first, tier = customers[
                1 + int((len(customers) - 1) * rng.random() ** 1.6)
            ]
        category = rng.choice(list(cat.CATEGORIES))
        team_index, subjects = cat.CATEGORIES[category]
        team_id = self.team_ids[team_index]
        reps = self.reps_by_team[team_index]
        created = self._created_at(number)
        age_days = (now - created).days
        status = self._status_for_age(age_days)
        priority = _weighted(rng, cat.PRIORITY_WEIGHTS)
        channel = _weighted(rng, cat.CHANNEL_WEIGHTS)
        if category == "chargeback" and rng.random() < 0.5:
            channel = Channel.THIRD_PARTY
        mood = _weighted(rng, cat.MOOD_WEIGHTS)
        if category == "complaint":
            mood = rng.choice([Mood.FRUSTRATED, Mood.ANGRY])
        assignee, assignee_first = (
            (None, "the team") if status is CaseStatus.NEW else rng.choice(reps)
        )
        values = self._placeholders(first, assignee_first, now)
        subject = rng.choice(subjects).format_map(values)
        case_id = self.ids()

        first_due, next_due, resolution_due = self._sla_dues(created, priority, tier, status)
        n_interactions = (
            HEAVY_CASE_INTERACTIONS if is_heavy else rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5, 6])
        )
        moment = created
        own_rows = len(interactions)  # this case's contacts start here
        # Steps short enough for a recent case's history to end before now, not pile up there.
        minutes = int((now - created).total_seconds() // 60) // (n_interactions + 1)
        longest_step = max(5, min(60 * 30, minutes))
        last_inbound: datetime | None = None
        first_response: datetime | None = None
        for step in range(n_interactions):
            if step == 0:
                direction = Direction.INBOUND
            else:
                direction = rng.choice(
                    [Direction.OUTBOUND, Direction.INBOUND, Direction.OUTBOUND, Direction.INTERNAL]
                )
            body, author = self._body(direction, channel, category, values, assignee, rng)
            kudos = None
            if (
                step == n_interactions - 1
                and assignee
                and status in (CaseStatus.RESOLVED, CaseStatus.CLOSED)
                and rng.random() < 0.03
            ):
                direction, body, author, kudos = (
                    Direction.INBOUND,
                    cat.KUDOS.format_map(values),
                    None,
                    assignee,
                )
            duration = (
                rng.randint(60, 1500)
                if channel is Channel.PHONE and direction is not Direction.INTERNAL
                else None
            )
            interactions.append(
                (
                    self.ids(),
                    case_id,
                    customer_id,
                    channel,
                    direction,
                    author,
                    body,
                    duration,
                    moment,
                    kudos,
                    moment,
                )
            )
            if direction is Direction.INBOUND:
                last_inbound = moment
            elif direction is Direction.OUTBOUND:
                first_response = first_response or moment
                last_inbound = None
            moment = min(
                now - timedelta(minutes=1), moment + timedelta(minutes=rng.randint(5, longest_step))
            )
        last_activity = moment
        transfers = rng.choices([0, 1, 2, 3], weights=[80, 14, 4, 2])[0]
        if assignee is None:
            transfers = 0  # a new case: nobody has taken it yet, so nobody handed it on
        else:
            # The owner now wrote every reply (and signed it): the case reached them first.
            replied = [row[8] for row in interactions[own_rows:] if row[5] is not None]
            until = min(replied, default=last_activity)
            self._handoffs(
                transfers, case_id, team_index, assignee, created, until, mood, values, notes
            )
        resolved_at = closed_at = None
        code = outcome = None
        if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
            resolved_at = last_activity
            if status is CaseStatus.CLOSED and now - last_activity < timedelta(days=3):
                status = CaseStatus.RESOLVED  # cases close three days after, not sooner
            closed_at = last_activity + timedelta(days=3) if status is CaseStatus.CLOSED else None
            code = rng.choice(cat.RESOLUTION_CODES)
            outcome = cat.ACTIONS[category].format_map(values)[:300]
        waiting = last_inbound if status.is_open else None
        cases.append(
            (
                case_id,
                number,
                customer_id,
                subject[:300],
                category,
                channel,
                priority,
                status,
                status is CaseStatus.ESCALATED,
                team_id,
                assignee,
                mood,
                first_due,
                next_due,
                resolution_due,
                first_response,
                waiting,
                last_activity,
                transfers,
                1 if rng.random() < 0.03 else 0,
                code,
                outcome,
                resolved_at,
                closed_at,
                created,
                last_activity,
                1,
            )
        )

    def _handoffs(
        self,
        transfers: int,
        case_id: uuid.UUID,
        team_index: int,
        assignee: uuid.UUID,
        created: datetime,
        until: datetime,
        mood: Mood,
        values: dict[str, str],
        notes: list[Any],
    ) -> None:
        """The case's notes in turn, between its opening and ``until``: each from whoever the
        one before handed it to, the last to its owner now. The lead wrote some reassignments
        (their reasons are in the audit trail)."""
        rng, reps, team_id = self.rng, self.reps_by_team[team_index], self.team_ids[team_index]
        holder: uuid.UUID | None = None
        for transfer in range(transfers):
            last = transfer == transfers - 1
            at = created + (until - created) * ((transfer + 1) / (transfers + 1))
            from_rep = holder or rng.choice(reps)[0]
            to_rep = assignee if last else rng.choice(reps)[0]
            # Never to oneself, nor to the owner-to-be one note early.
            avoid = {from_rep, assignee} if transfer == transfers - 2 else {from_rep}
            if not last and to_rep in avoid:
                to_rep = rng.choice([rep for rep, _ in reps if rep not in avoid])
            if to_rep == from_rep:  # the first note only: its writer is free to choose
                from_rep = rng.choice([rep for rep, _ in reps if rep != to_rep])
            note = self._note(case_id, team_id, from_rep, to_rep, at, mood, values, rng)
            if note[2] is HandoffKind.REASSIGN and rng.random() < 0.3:
                note = (*note[:3], self.leads[team_index], *note[4:])
            notes.append(note)
            holder = to_rep

    def _created_at(self, number: int) -> datetime:
        """Chronological by number. The newest share of cases falls in the last two weeks, so a
        demo of any size has a working queue; the rest spreads over the years before."""
        total = self.spec.cases
        recent = max(total * 3 // 100, min(total // 4, 300))
        old = total - recent
        recent_start = self.now - timedelta(days=RECENT_DAYS)
        if number > old:
            span = (self.now - recent_start).total_seconds()
            moment = recent_start + timedelta(seconds=span * (number - old) / (recent + 1))
        else:
            span = (recent_start - self.start).total_seconds()
            moment = self.start + timedelta(seconds=span * number / max(old, 1))
        return min(moment, self.now - timedelta(minutes=5))

    def _commitments(self, cases: list[Any], notes: list[Any]) -> Iterator[tuple[Any, ...]]:
        """Every promise of a note is a commitment row: still open on the current note of an
        open case (a timer for its owner), kept on everything older."""
        is_open = {case[0]: case[7].is_open for case in cases}
        current = {note[1]: note[0] for note in notes}  # notes come in order: the last one wins
        for note in notes:
            note_id, case_id, promises = note[0], note[1], note[12]
            still_open = is_open[case_id] and current[case_id] == note_id
            for promise in promises:
                due = datetime.fromisoformat(promise["due"])
                yield (self.ids(), case_id, note_id, promise["promise"], due,
                       None if still_open else min(due, self.now), 1)  # fmt: skip

    def _read_backs(self, notes: list[Any]) -> Iterator[tuple[Any, ...]]:
        """Receivers read back their handoffs: every note older than a day, most newer ones;
        a realistic handful still waits (the "to acknowledge" list is not a backlog of years)."""
        for index, note in enumerate(notes):
            note_id, receiver, at = note[0], note[5], note[-1]
            recent = self.now - at < timedelta(days=1)
            if receiver is None or (recent and self.rng.random() < 0.4):
                continue
            read_at = min(self.now, at + timedelta(minutes=self.rng.randint(2, 240)))
            after = notes[index + 1] if index + 1 < len(notes) else None
            if after is not None and after[1] == note[1]:  # read before handing the case on
                read_at = min(read_at, at + (after[-1] - at) / 2)
            yield (self.ids(), note_id, receiver, AckKind.ACCEPTED, "", read_at)

    def _status_for_age(self, age_days: int) -> CaseStatus:
        rng = self.rng
        if age_days < RECENT_DAYS:
            return rng.choices(
                [
                    CaseStatus.NEW,
                    CaseStatus.OPEN,
                    CaseStatus.PENDING_CUSTOMER,
                    CaseStatus.PENDING_INTERNAL,
                    CaseStatus.PENDING_THIRD_PARTY,
                    CaseStatus.ESCALATED,
                    CaseStatus.RESOLVED,
                    CaseStatus.CLOSED,
                ],
                weights=[14, 30, 12, 6, 5, 4, 22, 7],
            )[0]
        if rng.random() < 0.01:  # a few long-running cases nobody closed
            return rng.choice(
                [CaseStatus.OPEN, CaseStatus.PENDING_THIRD_PARTY, CaseStatus.ESCALATED]
            )
        return CaseStatus.CLOSED if rng.random() < 0.9 else CaseStatus.RESOLVED

    def _sla_dues(
        self, created: datetime, priority: Priority, tier: Tier, status: CaseStatus
    ) -> tuple[datetime, datetime | None, datetime]:
        first, _following, resolution = cat.SLA_MINUTES[priority]
        factor = cat.TIER_SLA_FACTOR[tier]
        first_due = created + timedelta(minutes=first * factor * 2.2)  # business → wall clock
        resolution_due = created + timedelta(minutes=resolution * factor * 3)
        next_due = None
        if status.is_open:
            # Every SLA state appears in the open work: breached, due soon and on track.
            state = self.rng.random()
            if state < 0.2:
                resolution_due = self.now - timedelta(minutes=self.rng.randint(5, 3 * 24 * 60))
            elif state < 0.45:
                resolution_due = self.now + timedelta(minutes=self.rng.randint(5, 120))
            else:
                resolution_due = self.now + timedelta(hours=self.rng.randint(3, 96))
            next_due = min(resolution_due, self.now + timedelta(hours=self.rng.randint(-4, 24)))
        return first_due, next_due, resolution_due

    def _placeholders(self, first: str, rep_first: str, now: datetime) -> dict[str, str]:
        rng = self.rng
        day = now + timedelta(days=rng.randint(-10, 10))
        return {
            "first": first,
            "rep": rep_first,
            "order": f"#A{rng.randint(100000, 999999)}",
            "amount": f"€{rng.randint(9, 480)}.{rng.randint(0, 99):02d}",
            "last4": f"{rng.randint(0, 9999):04d}",
            "date": day.strftime("%a %d %b"),
            "tracking": f"1Z{rng.randint(10**9, 10**10 - 1)}NL",
            "product": rng.choice(cat.PRODUCTS),
            "cases": str(rng.randint(2, 40)),
        }

    def _body(
        self,
        direction: Direction,
        channel: Channel,
        category: str,
        values: dict[str, str],
        assignee: uuid.UUID | None,
        rng: random.Random,
    ) -> tuple[str, uuid.UUID | None]:
        if direction is Direction.INBOUND:
            problem = cat.PROBLEMS[category].format_map(values)
            template = rng.choice(cat.INBOUND[channel])
            return template.format_map({**values, "problem": problem}), None
        if direction is Direction.OUTBOUND:
            action = cat.ACTIONS[category].format_map(values)
            return rng.choice(cat.OUTBOUND).format_map({**values, "action": action}), assignee
        return rng.choice(cat.INTERNAL).format_map(values), assignee

    def _note(
        self,
        case_id: uuid.UUID,
        team_id: uuid.UUID,
        from_rep: uuid.UUID,
        to_rep: uuid.UUID,
        at: datetime,
        mood: Mood,
        values: dict[str, str],
        rng: random.Random,
    ) -> tuple[Any, ...]:
        risk = rng.choices(
            [RiskLevel.STABLE, RiskLevel.WATCH, RiskLevel.AT_RISK], weights=[55, 30, 15]
        )[0]
        due = (at + timedelta(days=rng.randint(1, 3))).isoformat()
        promises = (
            []
            if rng.random() < 0.4
            else [{"promise": rng.choice(cat.HANDOFF_PROMISES).format_map(values), "due": due}]
        )
        return (
            self.ids(),
            case_id,
            rng.choice(
                [
                    HandoffKind.REASSIGN,
                    HandoffKind.TRANSFER,
                    HandoffKind.END_OF_SHIFT,
                    HandoffKind.ESCALATE,
                ]
            ),
            from_rep,
            from_rep,
            to_rep,
            team_id,
            team_id,
            risk,
            rng.choice(cat.HANDOFF_SUMMARIES).format_map(values),
            rng.choice(cat.HANDOFF_DONE),
            [
                {
                    "action": rng.choice(cat.HANDOFF_NEXT).format_map(values),
                    "owner": "next owner",
                    "due": due,
                }
            ],
            promises,
            not promises,
            ""
            if risk is RiskLevel.STABLE
            else rng.choice(cat.HANDOFF_CONTINGENCIES).format_map(values),
            mood,
            rng.choice(cat.CONTACT_PREFERENCES),
            False,
            1,
            at,
        )


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]
