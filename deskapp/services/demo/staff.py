"""The demo's staff and terms of service: its teams (business hours, holidays), their leads and
reps, one admin, the support plans customers may hold and the SLA policy per priority and tier.
"""

from __future__ import annotations

import uuid

from deskapp.db.bulk import bulk_insert
from deskapp.db.models import SlaPolicy, SupportPlan, Team, User
from deskapp.domain.enums import Role
from deskapp.services.demo import catalog as cat
from deskapp.services.demo.context import DemoContext, ascii_name, table


def write_teams_and_people(ctx: DemoContext) -> int:
    """The teams, an admin, and each team's lead and reps; returns how many people."""
    reps_per_team = min(60, max(cat.REPS_PER_TEAM, ctx.spec.cases // 20_000))
    teams, people, logins = [], [], set()

    def person(team_id: uuid.UUID | None, role: Role) -> tuple[uuid.UUID, str]:
        first, last = ctx.first_last()
        name = f"{first} {last}"
        login = ascii_name(f"{first.split(' ')[0]}.{last.split(' ')[-1]}")[:50] or "person"
        while login in logins:
            login = f"{login}{ctx.rng.randint(2, 99)}"
        logins.add(login)
        user_id = ctx.ids()
        people.append((user_id, login, name, f"{login}@deskapp.example", role, team_id, True, 1))
        return user_id, name.split(" ")[0]

    for name, zone, (opens, closes) in cat.TEAMS:
        team_id = ctx.ids()
        hours = {day: [[opens, closes]] for day in ("mon", "tue", "wed", "thu", "fri")}
        holidays = [
            f"{ctx.now.year}-12-25",
            f"{ctx.now.year}-12-26",
            f"{ctx.now.year + 1}-01-01",
        ]
        teams.append((team_id, name, zone, hours, holidays, 1))
        ctx.team_ids.append(team_id)
    bulk_insert(
        ctx.conn,
        table(Team),
        ["id", "name", "time_zone", "business_hours", "holidays", "version"],
        teams,
    )
    person(None, Role.ADMIN)
    for team_id in ctx.team_ids:
        ctx.leads.append(person(team_id, Role.LEAD)[0])
        ctx.reps_by_team.append([person(team_id, Role.REP) for _ in range(reps_per_team)])
    bulk_insert(
        ctx.conn,
        table(User),
        ["id", "login", "display_name", "email", "role", "team_id", "active", "version"],
        people,
    )
    ctx.report("people", len(people), len(people))
    return len(people)


def write_plans_and_sla(ctx: DemoContext) -> None:
    """The support plans, and an SLA policy for every priority and customer tier."""
    ctx.plan_ids = [ctx.ids() for _ in cat.SUPPORT_PLANS]
    bulk_insert(
        ctx.conn,
        table(SupportPlan),
        ["id", "name", "period", "included_cases", "included_hours", "version"],
        [
            (pid, name, period, cases, hours, 1)
            for pid, (name, period, cases, hours) in zip(
                ctx.plan_ids, cat.SUPPORT_PLANS, strict=True
            )
        ],
    )
    rows = []
    for priority, (first, following, resolution) in cat.SLA_MINUTES.items():
        for tier, factor in cat.TIER_SLA_FACTOR.items():
            rows.append(
                (
                    ctx.ids(),
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
        ctx.conn,
        table(SlaPolicy),
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
