"""The demo's cases, a chunk at a time: each case with its contacts and handoff notes, then the
notes' read-backs and commitments, written in bulk; at the end every handed-off case points at
its latest note. The long-standing customer's cases are spread evenly through history.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text

from deskapp.db.bulk import bulk_insert
from deskapp.db.models import Case, Commitment, HandoffAck, HandoffNote, Interaction
from deskapp.domain.enums import CaseStatus, Channel, Direction, Mood
from deskapp.services.demo import catalog as cat
from deskapp.services.demo.case_draws import (
    contact_body,
    opened_at,
    placeholders,
    sla_dues,
    status_for_age,
    weighted,
)
from deskapp.services.demo.context import DemoContext, table
from deskapp.services.demo.handoff_notes import add_handoff_notes, commitment_rows, read_back_rows

CHUNK_CASES = 10_000
HEAVY_CASE_INTERACTIONS = 10


def write_cases(ctx: DemoContext) -> None:
    """Every case with its contacts, notes, read-backs and commitments, CHUNK_CASES at a time."""
    total = ctx.spec.cases
    heavy = ctx.spec.heavy_cases
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
            one_case(ctx, number, is_heavy, cases, interactions, notes)
        bulk_insert(ctx.conn, table(Case), case_columns, cases)
        bulk_insert(ctx.conn, table(Interaction), interaction_columns, interactions)
        bulk_insert(ctx.conn, table(HandoffNote), note_columns, notes)
        bulk_insert(ctx.conn, table(HandoffAck), ["id", "note_id", "user_id", "kind",
                                                     "text", "created_at"],
                    read_back_rows(ctx, notes))  # fmt: skip
        bulk_insert(ctx.conn, table(Commitment), ["id", "case_id", "handoff_note_id",
                                                     "promise", "due_at", "fulfilled_at",
                                                     "version"],
                    commitment_rows(ctx, cases, notes))  # fmt: skip
        ctx.counts["interactions"] += len(interactions)
        ctx.counts["handoff_notes"] += len(notes)
        ctx.report("cases", min(total, chunk_start + CHUNK_CASES), total)
    ctx.report("linking handoff notes", 0, 1)
    # Each handed-off case points at its latest note (DESIGN.md §5), set in one statement.
    ctx.conn.execute(
        text(
            "UPDATE cases SET current_handoff_id = (SELECT n.id FROM handoff_notes n "
            "WHERE n.case_id = cases.id ORDER BY n.created_at DESC LIMIT 1) "
            "WHERE transfer_count > 0"
        )
    )


def one_case(
    ctx: DemoContext,
    number: int,
    is_heavy: bool,
    cases: list[Any],
    interactions: list[Any],
    notes: list[Any],
) -> None:
    """Case ``number`` and its contacts and notes, appended to the chunk's rows."""
    rng, now = ctx.rng, ctx.now
    customers = ctx.customers
    if is_heavy:
        customer_id, first, tier = customers[0]
    else:  # skewed: a few customers call a lot, most once or twice (never the heavy one)
        customer_id, first, tier = customers[1 + int((len(customers) - 1) * rng.random() ** 1.6)]
    category = rng.choice(list(cat.CATEGORIES))
    team_index, subjects = cat.CATEGORIES[category]
    team_id = ctx.team_ids[team_index]
    reps = ctx.reps_by_team[team_index]
    created = opened_at(ctx, number)
    age_days = (now - created).days
    status = status_for_age(ctx, age_days)
    priority = weighted(rng, cat.PRIORITY_WEIGHTS)
    channel = weighted(rng, cat.CHANNEL_WEIGHTS)
    if category == "chargeback" and rng.random() < 0.5:
        channel = Channel.THIRD_PARTY
    mood = weighted(rng, cat.MOOD_WEIGHTS)
    if category == "complaint":
        mood = rng.choice([Mood.FRUSTRATED, Mood.ANGRY])
    assignee, assignee_first = (None, "the team") if status is CaseStatus.NEW else rng.choice(reps)
    values = placeholders(ctx, first, assignee_first, now)
    subject = rng.choice(subjects).format_map(values)
    case_id = ctx.ids()

    first_due, next_due, resolution_due = sla_dues(ctx, created, priority, tier, status)
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
        body, author = contact_body(direction, channel, category, values, assignee, rng)
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
                ctx.ids(),
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
        add_handoff_notes(
            ctx, transfers, case_id, team_index, assignee, created, until, mood, values, notes
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
