"""Who may work on (change) which case: one rule for every service, the same one the database
enforces on PostgreSQL (migration 0009's ``deskapp_case_update_rights``). On MariaDB and
SQLite the services are what enforces it.

- A rep: their own cases, and their team's unassigned ones (claiming takes them for themself).
- A lead: any case of their team, and their own.
- An admin: any case.

Logging a contact (services/interactions.py) is open to anyone who can read the case: the
customer calls whoever answers. What follows from a contact for the case's state (the customer
answered, so the case is open again) is a change of the case, and so follows this rule.
"""

from __future__ import annotations

import uuid

from deskapp.domain.enums import Role
from deskapp.services.records import Actor


def may_work_on(actor: Actor, assignee_id: uuid.UUID | None, team_id: uuid.UUID) -> bool:
    if actor.role is Role.ADMIN:
        return True
    if actor.user_id is not None and assignee_id == actor.user_id:
        return True
    if actor.team_id is None or team_id != actor.team_id:
        return False
    return actor.role is Role.LEAD or assignee_id is None
