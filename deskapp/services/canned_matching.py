"""Which response a row of an import updates, and which rows of one file collide.

A row updates the response in its own place (the importer's personal ones, one team's, or the
global ones) with the same shortcut, else the same title, compared without regard to case (in
Python: SQLite's lower() knows only ASCII). An active response is preferred; a retired one
with that shortcut or title comes back rather than being written twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from deskapp.db.models import CannedResponse
from deskapp.domain.enums import CannedScope
from deskapp.services.records import Actor

Place = tuple[CannedScope, uuid.UUID | None]  # a team response's team; None otherwise


def place_of(scope: CannedScope, team_id: uuid.UUID | None, actor: Actor) -> Place:
    return (scope, (team_id or actor.team_id) if scope is CannedScope.TEAM else None)


@dataclass
class ExistingResponses:
    """The responses already in each place, read once per place for a whole file."""

    session: Session
    actor: Actor
    _by_place: dict[Place, list[CannedResponse]] = field(default_factory=dict)

    def match(self, place: Place, shortcut: str | None, title: str) -> CannedResponse | None:
        rows = self._rows(place)
        if shortcut:
            found = [r for r in rows if (r.shortcut or "").casefold() == shortcut.casefold()]
            if found:
                return max(found, key=lambda r: r.active)
        found = [r for r in rows if r.title.casefold() == title.casefold()]
        return max(found, key=lambda r: r.active) if found else None

    def _rows(self, place: Place) -> list[CannedResponse]:
        if place not in self._by_place:
            scope, team_id = place
            r = CannedResponse
            query = select(r).where(r.scope == scope)
            if scope is CannedScope.PERSONAL:
                query = query.where(r.owner_id == self.actor.user_id)
            elif scope is CannedScope.TEAM:
                query = query.where(r.team_id == team_id)
            self._by_place[place] = list(self.session.scalars(query.order_by(r.created_at)))
        return self._by_place[place]


@dataclass
class RowsOfTheFile:
    """The accepted rows so far, to reject a second row for the same response, or one with a
    shortcut that people already get from an earlier row."""

    actor: Actor
    _responses: dict[tuple[object, ...], int] = field(default_factory=dict)
    _shortcuts: dict[str, list[tuple[Place, int]]] = field(default_factory=dict)

    def duplicate(
        self, number: int, place: Place, title: str, shortcut: str | None, target: uuid.UUID | None
    ) -> str | None:
        """Why row ``number`` duplicates an earlier one (None: it does not; it is recorded)."""
        keys: list[tuple[object, ...]] = [(place, title.casefold())]
        if target is not None:
            keys.append((target,))
        earlier = next((self._responses[k] for k in keys if k in self._responses), None)
        if earlier is not None:
            return f"duplicate within the file: the same response as row {earlier}"
        if shortcut:
            for other, row in self._shortcuts.get(shortcut, []):
                if self._overlap(place, other):
                    return f"duplicate within the file: the same shortcut as row {row}"
            self._shortcuts.setdefault(shortcut, []).append((place, number))
        self._responses.update((key, number) for key in keys)
        return None

    def _overlap(self, a: Place, b: Place) -> bool:
        """Does somebody see both places? (Personal rows are the importer's own.)"""
        if CannedScope.GLOBAL in (a[0], b[0]) or a == b:
            return True
        team = next((p[1] for p in (a, b) if p[0] is CannedScope.TEAM), None)
        both_kinds = {a[0], b[0]} == {CannedScope.TEAM, CannedScope.PERSONAL}
        return both_kinds and team == self.actor.team_id
