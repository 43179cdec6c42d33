"""Importing and exporting canned responses (JSON and CSV, see canned_files.py).

An import is previewed first: every row is accepted (new, or an update of the response with
the same shortcut, else the same title, in the same scope; or unchanged) or rejected with its
reasons. Then it is applied whole, in one transaction, or not at all: a file with any rejected
row imports nothing, so the person fixes the file and tries again rather than hunting for
which half went in.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import CannedResponse, Team
from deskapp.domain.canned_validation import CATEGORIES
from deskapp.domain.enums import CannedScope
from deskapp.domain.errors import DeskappError, InvalidInput
from deskapp.files import write_atomically
from deskapp.services.canned_drafts import (
    CannedDraft,
    apply_draft,
    can_see,
    editable_row,
    editable_scopes,
    info,
    insert_response,
    placement,
)
from deskapp.services.canned_files import Format, RawRow, Value, as_csv, as_json, read_rows
from deskapp.services.canned_matching import ExistingResponses, RowsOfTheFile, place_of
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace

Outcome = Literal["new", "update", "unchanged", "rejected"]
_SCOPE_ORDER = {CannedScope.GLOBAL: 0, CannedScope.TEAM: 1, CannedScope.PERSONAL: 2}


@dataclass(frozen=True)
class ImportRow:
    number: int
    title: str
    scope: CannedScope | None
    outcome: Outcome
    reasons: tuple[str, ...] = ()
    draft: CannedDraft | None = None
    target_id: uuid.UUID | None = None  # the response it updates, or the new one's id
    target_version: int | None = None


@dataclass(frozen=True)
class ImportPreview:
    source: str
    format: Format
    rows: tuple[ImportRow, ...]
    file_problems: tuple[str, ...] = ()

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def ok(self) -> bool:
        return not self.file_problems and self.count("rejected") == 0 and bool(self.rows)


@dataclass(frozen=True)
class ImportResult:
    new: int
    updated: int
    unchanged: int


def preview_import(
    ws: Workspace,
    actor: Actor,
    path_or_text: Path | str,
    format: Format | None = None,
    *,
    default_scope: CannedScope | None = None,
) -> ImportPreview:
    """What importing would do, row by row; writes nothing. ``path_or_text``: a file (Path) or
    its text (str). Rows without a scope go to ``default_scope``, else to the widest scope the
    person may write (admin: global; lead: team; rep: personal)."""
    read = read_rows(path_or_text, format)
    fallback = default_scope or _widest(actor)
    rows: list[ImportRow] = []
    with read_session(ws) as session:
        teams = {
            name.casefold(): team_id
            for team_id, name in session.execute(select(Team.id, Team.name))
        }
        existing, earlier = ExistingResponses(session, actor), RowsOfTheFile(actor)
        for raw in read.rows:
            row = _evaluate(session, actor, raw, fallback, teams, existing)
            if row.draft is not None and row.outcome != "rejected":
                place = place_of(row.draft.scope, row.draft.team_id, actor)
                target = row.target_id if row.outcome != "new" else None
                why = earlier.duplicate(
                    row.number, place, row.draft.title, row.draft.shortcut, target
                )
                if why:
                    row = ImportRow(row.number, row.title, row.scope, "rejected", (why,), row.draft)
            rows.append(row)
    return ImportPreview(read.source, read.format, tuple(rows), tuple(read.problems))


def apply_import(ws: Workspace, actor: Actor, preview: ImportPreview) -> ImportResult:
    """Write every accepted row in one transaction, or nothing when any row was rejected."""
    if not preview.ok:
        rejected = preview.count("rejected")
        why = "; ".join(preview.file_problems) or (
            f"{rejected} of {len(preview.rows)} rows were rejected"
        )
        raise InvalidInput(
            f"Nothing was imported from {preview.source}: {why}. Fix the file and try again."
        )
    with write_session(ws) as session:
        first_new = next((r for r in preview.rows if r.outcome == "new"), None)
        if first_new and first_new.target_id and session.get(CannedResponse, first_new.target_id):
            return _result(preview)  # a retry of an import whose reply was lost
        for row in preview.rows:
            try:
                _write(session, actor, row)
            except DeskappError as exc:
                raise InvalidInput(
                    f"Nothing was imported: row {row.number} (“{row.title}”) can no longer be "
                    f"written: {exc} Preview the file again."
                ) from exc
    return _result(preview)


def export_library(
    ws: Workspace,
    actor: Actor,
    path: Path,
    format: Format | None = None,
    scopes: Iterable[CannedScope] | None = None,
) -> int:
    """Write the active responses this person can see, in ``scopes`` (default: all), to
    ``path`` (JSON or CSV, by ``format`` or the file's suffix). Returns how many."""
    wanted = set(scopes or CannedScope)
    chosen: Format = format or ("csv" if path.suffix.lower() == ".csv" else "json")
    category_order = {value: index for index, (value, _label) in enumerate(CATEGORIES)}
    with read_session(ws) as session:
        names: dict[uuid.UUID, str] = {i: n for i, n in session.execute(select(Team.id, Team.name))}
        rows = [
            r
            for r in session.scalars(select(CannedResponse).where(CannedResponse.active.is_(True)))
            if r.scope in wanted and can_see(actor, info(r))
        ]
    rows.sort(
        key=lambda r: (
            _SCOPE_ORDER[r.scope],
            names.get(r.team_id, "") if r.team_id else "",
            category_order.get(r.category, 99),
            r.title.casefold(),
        )
    )
    responses: list[dict[str, Value]] = [
        {
            "title": r.title,
            "shortcut": r.shortcut,
            "category": r.category,
            "tags": list(r.tags or ()),
            "scope": r.scope.value,
            "team": names.get(r.team_id) if r.team_id else None,
            "body": r.body,
        }
        for r in rows
    ]
    write_atomically(path, as_csv(responses) if chosen == "csv" else as_json(responses))
    return len(responses)


# ------------------------------------------------------------------------ one row
def _evaluate(
    session: Session,
    actor: Actor,
    raw: RawRow,
    fallback: CannedScope,
    teams: dict[str, uuid.UUID],
    responses: ExistingResponses,
) -> ImportRow:
    title = _text(raw.values.get("title")).strip()
    reasons = list(raw.problems)
    scope_text = _text(raw.values.get("scope")).strip().lower()
    scope = CannedScope(scope_text) if scope_text in set(CannedScope) else None
    if scope_text and scope is None:
        reasons.append(f"“{scope_text}” is not a scope: write personal, team or global")
    team_text = " ".join(_text(raw.values.get("team")).split())
    team_id = teams.get(team_text.casefold()) if team_text else None
    if team_text and team_id is None and (scope or fallback) is CannedScope.TEAM:
        reasons.append(f"there is no team called “{team_text}”")
    if reasons:
        return ImportRow(raw.number, title, scope, "rejected", tuple(reasons))
    tags = raw.values.get("tags") or []
    tags = tags.split(",") if isinstance(tags, str) else tags
    draft = CannedDraft(
        scope or fallback,
        title,
        _text(raw.values.get("shortcut")) or None,
        _text(raw.values.get("category")),
        tuple(tags),
        _text(raw.values.get("body")),
        team_id if (scope or fallback) is CannedScope.TEAM else None,
    ).cleaned()
    existing = responses.match(
        place_of(draft.scope, draft.team_id, actor), draft.shortcut, draft.title
    )
    found = placement(session, actor, draft, existing)
    if found.denied:
        return ImportRow(raw.number, title, draft.scope, "rejected", (found.denied,), draft)
    if found.problems:
        return ImportRow(
            raw.number,
            title,
            draft.scope,
            "rejected",
            tuple(f"{p.field}: {p.message}" for p in found.problems),
            draft,
        )
    if existing is None:
        return ImportRow(raw.number, title, draft.scope, "new", (), draft, uuid.uuid4())
    same = existing.active and (
        existing.title,
        existing.shortcut,
        existing.category,
        tuple(existing.tags or ()),
        existing.body,
    ) == (draft.title, draft.shortcut, draft.category, draft.tags, draft.body)
    return ImportRow(
        raw.number,
        title,
        draft.scope,
        "unchanged" if same else "update",
        (),
        draft,
        existing.id,
        existing.version,
    )


def _write(session: Session, actor: Actor, row: ImportRow) -> None:
    assert row.draft is not None and row.target_id is not None
    if row.outcome == "new":
        insert_response(session, actor, row.draft, row.target_id)
    elif row.outcome == "update":
        assert row.target_version is not None
        current = editable_row(session, actor, row.target_id, row.target_version)
        apply_draft(session, actor, current, row.draft, "canned.imported")


def _result(preview: ImportPreview) -> ImportResult:
    return ImportResult(preview.count("new"), preview.count("update"), preview.count("unchanged"))


def _widest(actor: Actor) -> CannedScope:
    scopes = editable_scopes(actor)
    return next(
        (s for s in (CannedScope.GLOBAL, CannedScope.TEAM) if s in scopes), CannedScope.PERSONAL
    )


def _text(value: Value) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    return value or ""
