"""Many clients on one truth (DESIGN.md §6): simulated reps and leads, each a separate process
signed in with their own PostgreSQL login, working one team's cases through the services for a
while; afterwards the invariants are checked in SQL.

What each client does, in a loop, as a person would: read their queue; when they hold few
cases, Get next (or Take a case from the top of the team's queue, racing the others); else
change the status of one of theirs, log a contact, hand it to a colleague with a note, or
release it to the queue with a note; every few rounds, acknowledge the handoffs addressed to
them. Leads also change the priority of their reps' cases, which is where version conflicts
come from. Conflicts (a stale version, a case already taken) are the expected outcome of a
race and are counted; any other error is a failure.

Used by tests/faults/test_soak.py (30 s in CI) and tests/bench/bench_soak.py (2 minutes,
printing a table). Server-wide names carry this process's id like the test databases'
(tests/helpers/databases.py), so a run that died is cleaned up by the next test session.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import random
import time
import traceback
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import URL

from deskapp.db.models import AuditEvent, Case, HandoffAck, HandoffNote, Interaction
from deskapp.db.urls import parse_db_url
from deskapp.domain.case_lifecycle import next_statuses
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
)
from deskapp.domain.errors import StaleEdit
from deskapp.domain.handoff import NextAction, NoteContent
from deskapp.services import (
    audit,
    auth,
    cases,
    claiming,
    customers,
    handoff_followup,
    handoff_waiting,
    handoffs,
    interactions,
    queue,
    teams,
    users,
)
from deskapp.services.claiming import AlreadyTaken
from deskapp.services.queue_records import QueueRow, QueueView
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session
from deskapp.services.workspace import Workspace, open_workspace
from tests.helpers.databases import PASSWORD, PREFIX, RUN

T = TypeVar("T")
TEAM = "Soak team"
LEADS = 2  # of the clients; the others are reps
HOLD = 3  # a person with fewer open cases than this claims another
ACK_EVERY = 6  # rounds between looking for handoffs to acknowledge
# What an owner moves a case between (resolving would take it out of play).
WORKING = {s for s in CaseStatus if s.is_open} - {CaseStatus.NEW, CaseStatus.ESCALATED}
SETUP_SECONDS = 180  # every client signed in by then, or the run fails


# --------------------------------------------------------------------------- the world
@dataclass(frozen=True)
class ClientSpec:
    """What one client process needs (picklable: it crosses to a spawned process)."""

    address: str  # postgresql://login@host:port/database, never with a password
    password: str
    seconds: float
    seed: int
    colleagues: tuple[str, ...]  # user ids (hex) a case may be handed to


@dataclass(frozen=True)
class SoakWorld:
    superuser: URL  # the soak database as the superuser: the invariants see every row
    specs: tuple[ClientSpec, ...]
    case_count: int


@contextmanager
def soak_workspace(
    server: URL, *, clients: int, case_count: int, seconds: float
) -> Iterator[SoakWorld]:
    """A fresh database on ``server`` (a superuser address), migrated, with one team of
    ``clients`` people (LEADS leads, the rest reps) each with their own login, and
    ``case_count`` unassigned cases in the team's queue. Dropped afterwards, logins too."""
    database = f"{PREFIX}soak"
    logins = [f"{RUN}_soak{n:02d}" for n in range(1, clients + 1)]
    admin_engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    superuser = server.set(database=database)
    try:
        ws = open_workspace(superuser, may_upgrade_server=True)
        try:
            setup = auth.setup_actor(ws)
            team = teams.create_team(ws, setup, TEAM, time_zone="Europe/Amsterdam")
            ids = [
                users.add_user(
                    ws,
                    setup,
                    login=login,
                    display_name=f"Soak {'Lead' if n < LEADS else 'Rep'} {n + 1:02d}",
                    role=Role.LEAD if n < LEADS else Role.REP,
                    team_id=team.id,
                    password=PASSWORD,
                ).id
                for n, login in enumerate(logins)
            ]
            _seed_cases(ws, team.id, case_count)
        finally:
            ws.close()
        person = superuser.set(username=None)
        specs = tuple(
            ClientSpec(
                person.set(username=login).render_as_string(hide_password=False),
                PASSWORD,
                seconds,
                seed=n,
                colleagues=tuple(i.hex for i in ids if i != ids[n]),
            )
            for n, login in enumerate(logins)
        )
        yield SoakWorld(superuser, specs, case_count)
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            for login in logins:
                conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        admin_engine.dispose()


def _seed_cases(ws: Workspace, team_id: uuid.UUID, count: int) -> None:
    """Unassigned cases in the team's queue, opened by the setup account as an import would."""
    setup = auth.setup_actor(ws)
    names = ["Noor Haddad", "Ann Vos", "Li Wei", "Sam Okafor", "Eva Lind", "Tom Berg"]
    customer_ids = [
        customers.create_customer(ws, setup, customers.NewCustomer(name)) for name in names
    ]
    priorities = [Priority.LOW, Priority.NORMAL, Priority.NORMAL, Priority.HIGH, Priority.URGENT]
    for n in range(count):
        new = cases.NewCase(
            customer_ids[n % len(customer_ids)],
            team_id,
            f"Soak case {n + 1}: router drops the line at night",
            Channel.PHONE,
            priorities[n % len(priorities)],
            assign_to_me=False,
        )
        cases.create_case(ws, setup, new)


# --------------------------------------------------------------------------- one client
@dataclass
class ClientReport:
    login: str
    samples: list[tuple[str, float, str]] = field(default_factory=list)  # kind, seconds, outcome
    errors: list[str] = field(default_factory=list)
    claims: int = 0
    acks: int = 0
    interaction_ids: list[str] = field(default_factory=list)
    note_ids: list[str] = field(default_factory=list)
    began: float = 0.0  # wall clock, so the reports of all processes can be lined up
    ended: float = 0.0
    fatal: str | None = None


class Client:
    """One person at their desk, acting through the services only."""

    def __init__(self, ws: Workspace, me: Actor, spec: ClientSpec) -> None:
        self.ws, self.me, self.spec = ws, me, spec
        self.rng = random.Random(spec.seed)
        self.report = ClientReport(me.login)
        self.rounds = 0

    def step(self) -> None:
        self.rounds += 1
        if self.rounds % ACK_EVERY == 0:
            self.acknowledge_pending()
        mine = self.timed(
            "read my queue",
            lambda: queue.list_queue(self.ws, self.me, QueueView.MY_CASES, limit=50),
        )
        if mine is None:
            return
        if len(mine) < HOLD:
            self.claim()
        elif self.me.role is Role.LEAD and self.rng.random() < 0.3:
            self.reprioritise_a_reps_case()
        else:
            self.work_on(self.rng.choice(mine))

    # ------------------------------------------------------------------ claiming
    def claim(self) -> None:
        if self.rng.random() < 0.6:
            claimed = self.timed(
                "get next", lambda: claiming.get_next(self.ws, self.me), empty_when_none=True
            )
            if claimed is not None:
                self.report.claims += 1
                return
        top = self.timed(
            "read team queue",
            lambda: queue.list_queue(self.ws, self.me, QueueView.TEAM_UNASSIGNED, limit=5),
        )
        if top:  # the top rows: where everybody's Take lands, so races happen
            row = self.rng.choice(top)
            taken = self.timed("take", lambda: claiming.take(self.ws, self.me, row.id, row.version))
            if taken is not None:
                self.report.claims += 1

    # ------------------------------------------------------------------ working a case
    def work_on(self, row: QueueRow) -> None:
        choice = self.rng.random()
        if choice < 0.35:
            self.change_status(row)
        elif choice < 0.65:
            self.log_contact(row)
        elif choice < 0.85:
            self.hand_off(
                row, HandoffKind.REASSIGN, uuid.UUID(self.rng.choice(self.spec.colleagues))
            )
        else:
            self.hand_off(row, HandoffKind.RELEASE, None)

    def change_status(self, row: QueueRow) -> None:
        targets = [s for s in next_statuses(row.status) if s in WORKING]
        if not targets:
            self.log_contact(row)
            return
        change = cases.CaseChange(row.version, status=self.rng.choice(sorted(targets)))
        self.timed("change status", lambda: cases.change_case(self.ws, self.me, row.id, change))

    def log_contact(self, row: QueueRow) -> None:
        channel = self.rng.choice([Channel.PHONE, Channel.EMAIL, Channel.CHAT])
        direction = self.rng.choice([Direction.INBOUND, Direction.OUTBOUND])
        new = interactions.NewInteraction(
            row.id,
            channel,
            direction,
            f"Round {self.rounds}: {direction.value} {channel.value} about the line drops; "
            "the customer confirmed the router lights and we agreed the next check.",
            duration_seconds=self.rng.randint(60, 900) if channel is not Channel.EMAIL else None,
        )
        if (
            self.timed(
                "log interaction", lambda: interactions.log_interaction(self.ws, self.me, new)
            )
            is not None
        ):
            self.report.interaction_ids.append(new.id.hex)

    def hand_off(self, row: QueueRow, kind: HandoffKind, to: uuid.UUID | None) -> None:
        request = handoffs.HandoffRequest(
            case_id=row.id,
            kind=kind,
            to_user_id=to,
            to_team_id=None,
            content=self.note(row),
            expected_version=row.version,
            accept_warnings=True,
        )
        name = "hand off" if kind is HandoffKind.REASSIGN else "release"
        if self.timed(name, lambda: handoffs.hand_off(self.ws, self.me, request)) is not None:
            self.report.note_ids.append(request.request_id.hex)

    def note(self, row: QueueRow) -> NoteContent:
        """A note that passes the lint: specific, with an owned and dated next action, the
        contingency a "watch" needs, and different each time (a copied note only warns)."""
        due = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=2)
        return NoteContent(
            risk=RiskLevel.WATCH,
            summary=f"{row.key}: the customer's line drops every night since the firmware "
            f"update; round {self.rounds} of {self.me.login}'s shift, still happening.",
            done="Checked the line with the customer on the phone and reset the port profile; "
            "error counters logged in the case.",
            next_actions=(
                NextAction(
                    "Call the customer to confirm the line held overnight", "next owner", due
                ),
            ),
            no_commitments=True,
            contingencies="If the line drops again tonight, book an engineer visit and email "
            "the customer the time slot.",
            mood=Mood.CALM,
            contact_preference="Phone after 18:00 her time",
        )

    def reprioritise_a_reps_case(self) -> None:
        rows = self.timed(
            "read team cases",
            lambda: queue.list_queue(self.ws, self.me, QueueView.ALL_OPEN, limit=50),
        )
        others = [r for r in rows or [] if r.assignee_id not in (None, self.me.user_id)]
        if not others:
            return
        row = self.rng.choice(others)
        priority = self.rng.choice([p for p in Priority if p is not row.priority])
        change = cases.CaseChange(row.version, priority=priority, reason="Rebalancing the team")
        self.timed("lead: priority", lambda: cases.change_case(self.ws, self.me, row.id, change))

    def acknowledge_pending(self) -> None:
        pending = self.timed(
            "read handoffs to acknowledge", lambda: handoff_waiting.to_acknowledge(self.ws, self.me)
        )
        for handoff in pending or []:
            if self.timed("acknowledge", partial(self._accept, handoff.note_id)):
                self.report.acks += 1

    def _accept(self, note_id: uuid.UUID) -> bool:
        read_back = "Read it; calling the customer next."
        handoff_followup.acknowledge(self.ws, self.me, note_id, read_back)
        return True

    # ------------------------------------------------------------------ measuring
    def timed(self, kind: str, work: Callable[[], T], *, empty_when_none: bool = False) -> T | None:
        """Run ``work``; record how long it took and how it ended. None when it did not."""
        start = time.perf_counter()
        result: T | None = None
        try:
            result = work()
            outcome = "empty" if empty_when_none and result is None else "ok"
        except AlreadyTaken:
            outcome = "already taken"
        except StaleEdit:
            outcome = "version conflict"
        except Exception as exc:  # a failure of the soak: reported with what it said
            outcome = "error"
            self.report.errors.append(f"{kind}: {type(exc).__name__}: {exc}"[:600])
        self.report.samples.append((kind, time.perf_counter() - start, outcome))
        return result


def run_client(spec: ClientSpec, start: Any, results: Any) -> None:
    """A client process: sign in, wait for everyone (``start``, a Barrier), work until the
    time is up, send the report (``results``, a Queue)."""
    login = parse_db_url(spec.address).username or "?"
    report = ClientReport(login)
    try:
        ws = open_workspace(parse_db_url(spec.address), password=spec.password)
        try:
            client = Client(ws, auth.sign_in(ws), spec)
            report = client.report
            start.wait(SETUP_SECONDS)
            report.began = time.time()
            deadline = time.monotonic() + spec.seconds
            while time.monotonic() < deadline:
                client.step()
            report.ended = time.time()
        finally:
            ws.close()
    except BaseException:
        report.fatal = traceback.format_exc()[-3000:]
        start.abort()  # nobody waits for a client that will never come
    results.put(report)


def run_clients(world: SoakWorld) -> tuple[list[ClientReport], float]:
    """Every client in its own process (spawned: a clean interpreter, as on a real desk);
    their reports and the seconds they worked side by side (all signed in, none done)."""
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(len(world.specs))
    results = ctx.Queue()
    processes = [
        ctx.Process(target=run_client, args=(spec, start, results), daemon=True)
        for spec in world.specs
    ]
    for process in processes:
        process.start()
    reports: list[ClientReport] = []
    give_up = time.monotonic() + SETUP_SECONDS + max(spec.seconds for spec in world.specs)
    while len(reports) < len(processes) and time.monotonic() < give_up:
        try:
            reports.append(results.get(timeout=1))
        except queue_module.Empty:
            if all(p.exitcode is not None for p in processes):
                start.abort()  # a client died before it could report: do not wait for ever
                break
    for process in processes:
        process.join(30)
    missing = len(processes) - len(reports)
    reports += [
        ClientReport(
            "?",
            fatal="a client process ended without a report (its exit "
            f"codes: {[p.exitcode for p in processes]})",
        )
    ] * missing
    worked = [r for r in reports if r.began and r.ended]
    elapsed = min(r.ended for r in worked) - max(r.began for r in worked) if worked else 0.0
    return reports, max(elapsed, 1e-9)


# --------------------------------------------------------------------------- the invariants
@dataclass
class Facts:
    cases: int = 0
    owned: int = 0
    claims: int = 0
    handoffs: int = 0
    releases: int = 0
    interactions: int = 0
    acks: int = 0
    chains: int = 0


OWNER_CHANGES = (claiming.TAKEN, handoffs.HANDED_OFF)


def check_invariants(world: SoakWorld, reports: list[ClientReport]) -> tuple[list[str], Facts]:
    """Every violation found (none: the truth held), and what was counted on the way."""
    ws = open_workspace(world.superuser)
    try:
        with read_session(ws) as session:
            case_rows = {c.id: c for c in session.scalars(select(Case))}
            notes = {n.id: n for n in session.scalars(select(HandoffNote))}
            events = session.execute(
                select(
                    AuditEvent.id,
                    AuditEvent.chain,
                    AuditEvent.case_id,
                    AuditEvent.action,
                    AuditEvent.actor_id,
                    AuditEvent.detail,
                )
                .where(AuditEvent.case_id.is_not(None))
                .order_by(AuditEvent.chain, AuditEvent.seq)
            ).all()
            interaction_ids = list(session.scalars(select(Interaction.id)))
            accepted = list(
                session.scalars(select(HandoffAck.id).where(HandoffAck.kind == AckKind.ACCEPTED))
            )
            chains = list(session.scalars(select(AuditEvent.chain).distinct()))
        problems: list[str] = []
        facts = Facts(cases=len(case_rows), interactions=len(interaction_ids), acks=len(accepted))
        by_case: dict[uuid.UUID, list[Any]] = defaultdict(list)
        for event in events:
            by_case[event.case_id].append(event)
        for case_id, case in case_rows.items():
            problems += _replay(case, by_case[case_id], notes, facts)
        facts.owned = sum(1 for c in case_rows.values() if c.assignee_id is not None)
        handed = [e for e in events if e.action == handoffs.HANDED_OFF]
        if len(handed) != len(notes):
            problems.append(f"{len(handed)} handoff events but {len(notes)} handoff notes")
        problems += _same_ids(
            "handoff notes", {n.hex for n in notes}, {i for r in reports for i in r.note_ids}
        )
        problems += _same_ids(
            "interactions",
            {i.hex for i in interaction_ids},
            {i for r in reports for i in r.interaction_ids},
        )
        logged = Counter(e.action for e in events)[interactions.LOGGED]
        if logged != len(interaction_ids):
            problems.append(f"{logged} interaction events for {len(interaction_ids)} interactions")
        reported_claims = sum(r.claims for r in reports)
        if facts.claims != reported_claims:
            problems.append(f"{facts.claims} claim events, {reported_claims} claims reported")
        reported_acks = sum(r.acks for r in reports)
        if len(accepted) != reported_acks:
            problems.append(f"{len(accepted)} acknowledgements, {reported_acks} reported")
        facts.chains = len(chains)
        for chain in chains:
            broken = audit.first_broken_link(ws, chain)
            if broken is not None:
                problems.append(f"audit chain {chain} breaks at event {broken}")
        return problems, facts
    finally:
        ws.close()


def _replay(
    case: Case, events: list[Any], notes: dict[uuid.UUID, HandoffNote], facts: Facts
) -> list[str]:
    """Follow the case's own audit chain from its creation (unassigned) to now: each claim
    takes a case nobody owned, each handoff has its note for exactly that change, and the case
    ends where its history says, pointing at its latest note."""
    problems: list[str] = []
    owner: uuid.UUID | None = None
    latest_note: uuid.UUID | None = None
    name = f"case {case.number}"
    for event in events:
        if event.action == claiming.TAKEN:
            facts.claims += 1
            if owner is not None:
                problems.append(f"{name}: claimed by {event.actor_id} while {owner} owned it")
            owner = event.actor_id
        elif event.action == handoffs.HANDED_OFF:
            note = notes.get(event.id)
            detail = event.detail or {}
            if detail.get("kind") == HandoffKind.RELEASE.value:
                facts.releases += 1
            else:
                facts.handoffs += 1
            if note is None or note.case_id != case.id:
                problems.append(f"{name}: a change of owner ({event.id}) without its note")
            elif note.from_user_id != owner or _hex(note.to_user_id) != detail.get("to_user"):
                problems.append(f"{name}: note {note.id} is not for the change it records")
            owner = uuid.UUID(detail["to_user"]) if detail.get("to_user") else None
            latest_note = event.id
    if case.assignee_id != owner:
        problems.append(f"{name}: owned by {case.assignee_id}, its history says {owner}")
    if case.current_handoff_id != latest_note:
        problems.append(f"{name}: points at note {case.current_handoff_id}, latest {latest_note}")
    return problems


def _hex(value: uuid.UUID | None) -> str | None:
    return value.hex if value is not None else None


def _same_ids(what: str, stored: set[str], reported: set[str]) -> list[str]:
    """Each write the clients saw succeed is stored exactly once, and nothing else is."""
    problems = []
    if reported - stored:
        problems.append(f"{len(reported - stored)} {what} reported written are missing")
    if stored - reported:
        problems.append(f"{len(stored - reported)} {what} stored that no client reported")
    return problems


# --------------------------------------------------------------------------- the figures
def conflicts(reports: list[ClientReport]) -> Counter[str]:
    return Counter(
        outcome
        for r in reports
        for _kind, _s, outcome in r.samples
        if outcome in ("version conflict", "already taken")
    )


def figures_table(reports: list[ClientReport], seconds: float) -> str:
    """Markdown: per operation kind, how many, per second, p50/p95 latency and conflicts."""
    by_kind: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for report in reports:
        for kind, took, outcome in report.samples:
            by_kind[kind].append((took, outcome))
    lines = [
        "| operation | count | per second | p50 ms | p95 ms | version conflicts | "
        "already taken | nothing to take |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    everything: list[float] = []
    for kind in sorted(by_kind, key=lambda k: -len(by_kind[k])):
        samples = by_kind[kind]
        took = sorted(s for s, _ in samples)
        everything += took
        outcomes = Counter(o for _, o in samples)
        lines.append(
            f"| {kind} | {len(samples)} | {len(samples) / seconds:.1f} | "
            f"{_quantile(took, 0.5) * 1000:.0f} | {_quantile(took, 0.95) * 1000:.0f} | "
            f"{outcomes['version conflict'] or ''} | {outcomes['already taken'] or ''} | "
            f"{outcomes['empty'] or ''} |"
        )
    everything.sort()
    total = conflicts(reports)
    lines.append(
        f"| **all** | {len(everything)} | {len(everything) / seconds:.1f} | "
        f"{_quantile(everything, 0.5) * 1000:.0f} | {_quantile(everything, 0.95) * 1000:.0f} | "
        f"{total['version conflict']} | {total['already taken']} | |"
    )
    return "\n".join(lines)


def _quantile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
