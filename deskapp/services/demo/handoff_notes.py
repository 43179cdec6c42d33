"""The demo's handoffs: the chain of structured notes a case passed through on its way to its
owner now, the receivers' read-backs of them, and each promise as a commitment row.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from deskapp.domain.enums import AckKind, HandoffKind, Mood, RiskLevel
from deskapp.services.demo import catalog as cat
from deskapp.services.demo.context import DemoContext


def add_handoff_notes(
    ctx: DemoContext,
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
    rng, reps, team_id = ctx.rng, ctx.reps_by_team[team_index], ctx.team_ids[team_index]
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
        note = draw_note(ctx, case_id, team_id, from_rep, to_rep, at, mood, values, rng)
        if note[2] is HandoffKind.REASSIGN and rng.random() < 0.3:
            note = (*note[:3], ctx.leads[team_index], *note[4:])
        notes.append(note)
        holder = to_rep


def draw_note(
    ctx: DemoContext,
    case_id: uuid.UUID,
    team_id: uuid.UUID,
    from_rep: uuid.UUID,
    to_rep: uuid.UUID,
    at: datetime,
    mood: Mood,
    values: dict[str, str],
    rng: random.Random,
) -> tuple[Any, ...]:
    """One note's row (note_columns in cases.py): risk, text from the catalog, maybe a promise."""
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
        ctx.ids(),
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


def commitment_rows(
    ctx: DemoContext, cases: list[Any], notes: list[Any]
) -> Iterator[tuple[Any, ...]]:
    """Every promise of a note is a commitment row: still open on the current note of an
    open case (a timer for its owner), kept on everything older."""
    is_open = {case[0]: case[7].is_open for case in cases}
    current = {note[1]: note[0] for note in notes}  # notes come in order: the last one wins
    for note in notes:
        note_id, case_id, promises = note[0], note[1], note[12]
        still_open = is_open[case_id] and current[case_id] == note_id
        for promise in promises:
            due = datetime.fromisoformat(promise["due"])
            yield (ctx.ids(), case_id, note_id, promise["promise"], due,
                   None if still_open else min(due, ctx.now), 1)  # fmt: skip


def read_back_rows(ctx: DemoContext, notes: list[Any]) -> Iterator[tuple[Any, ...]]:
    """Receivers read back their handoffs: every note older than a day, most newer ones;
    a realistic handful still waits (the "to acknowledge" list is not a backlog of years)."""
    for index, note in enumerate(notes):
        note_id, receiver, at = note[0], note[5], note[-1]
        recent = ctx.now - at < timedelta(days=1)
        if receiver is None or (recent and ctx.rng.random() < 0.4):
            continue
        read_at = min(ctx.now, at + timedelta(minutes=ctx.rng.randint(2, 240)))
        after = notes[index + 1] if index + 1 < len(notes) else None
        if after is not None and after[1] == note[1]:  # read before handing the case on
            read_at = min(read_at, at + (after[-1] - at) / 2)
        yield (ctx.ids(), note_id, receiver, AckKind.ACCEPTED, "", read_at)
