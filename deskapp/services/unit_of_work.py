"""One Session per service call, never shared across threads, never returned to callers.

``write_session`` takes SQLite's write lock up front (BEGIN IMMEDIATE) and commits at the end.
A write that is retried after a lost reply recognises itself by its client-generated id
(an inserted row's id, or the request id stored as the audit event's id): ``already_applied``.
A damaged SQLite file (garbled pages) is reported here, once for every service, as a
WorkspaceError a person can act on, instead of a driver error.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from deskapp.db.engine import WRITE_OPTIONS
from deskapp.db.models import AuditEvent
from deskapp.services.workspace import Workspace, damaged_workspace, is_damaged_sqlite


@contextmanager
def read_session(ws: Workspace) -> Iterator[Session]:
    try:
        with Session(ws.engine, expire_on_commit=False) as session:
            yield session
    except DBAPIError as exc:
        if is_damaged_sqlite(exc):
            raise damaged_workspace(ws.name) from exc
        raise


@contextmanager
def write_session(ws: Workspace) -> Iterator[Session]:
    engine = ws.engine.execution_options(**WRITE_OPTIONS)
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            yield session
    except DBAPIError as exc:
        if is_damaged_sqlite(exc):
            raise damaged_workspace(ws.name) from exc
        raise


def already_applied(session: Session, request_id: uuid.UUID) -> bool:
    """Did a previous attempt of this very request commit (its reply lost on the way back)?"""
    found = session.execute(select(AuditEvent.id).where(AuditEvent.id == request_id)).first()
    return found is not None
