"""What a structured handoff note holds (DESIGN.md §5), as plain values.

The same shape serves the editor, drafts, the lint rules, the service that submits it and the
``deskapp handoff lint NOTE.json`` command. Times are aware datetimes; the editor enters them in
the customer's time zone where they concern the customer, and they are stored in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from deskapp.domain.enums import Mood, RiskLevel


@dataclass(frozen=True)
class NextAction:
    action: str
    owner: str  # a person's name or "next owner"
    due: datetime | None = None


@dataclass(frozen=True)
class Promise:
    """A commitment made to the customer; it becomes a timer for whoever owns the case next."""

    promise: str
    due: datetime | None = None


@dataclass(frozen=True)
class NoteContent:
    risk: RiskLevel | None = None
    summary: str = ""
    done: str = ""
    next_actions: tuple[NextAction, ...] = ()
    commitments: tuple[Promise, ...] = ()
    no_commitments: bool = False  # said explicitly: nothing was promised
    contingencies: str = ""
    mood: Mood | None = None
    contact_preference: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # a team's added fields, by key

    # ------------------------------------------------------------------ JSON (NOTE.json)
    def to_json(self) -> dict[str, Any]:
        return {
            "risk": self.risk.value if self.risk else None,
            "summary": self.summary,
            "done": self.done,
            "next_actions": [
                {"action": a.action, "owner": a.owner, "due": _iso(a.due)}
                for a in self.next_actions
            ],
            "commitments": [{"promise": c.promise, "due": _iso(c.due)} for c in self.commitments],
            "no_commitments": self.no_commitments,
            "contingencies": self.contingencies,
            "mood": self.mood.value if self.mood else None,
            "contact_preference": self.contact_preference,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_json(cls, data: object) -> NoteContent:
        """Read a note as ``deskapp handoff lint`` documents it; ValueError says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a note is a JSON object with keys such as risk, summary, done")
        try:
            return cls(
                risk=RiskLevel(data["risk"]) if data.get("risk") else None,
                summary=_text(data, "summary"),
                done=_text(data, "done"),
                next_actions=tuple(
                    NextAction(_text(a, "action"), _text(a, "owner"), _when(a.get("due")))
                    for a in _list(data, "next_actions")
                ),
                commitments=tuple(
                    Promise(_text(c, "promise"), _when(c.get("due")))
                    for c in _list(data, "commitments")
                ),
                no_commitments=_bool(data, "no_commitments"),
                contingencies=_text(data, "contingencies"),
                mood=Mood(data["mood"]) if data.get("mood") else None,
                contact_preference=_text(data, "contact_preference"),
                extra={str(k): str(v) for k, v in (data.get("extra") or {}).items()},
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"the note is not shaped as documented ({exc})") from exc


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _text(data: Any, key: str) -> str:
    value = data.get(key, "") if isinstance(data, dict) else None
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"“{key}” must be text")
    return value


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError(f"“{key}” must be a list of objects")
    return value


def _bool(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"“{key}” must be true or false")
    return value


def _when(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError("a due time must be ISO 8601 text, e.g. 2026-11-24T15:00:00+01:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"“{value}” is not an ISO 8601 time") from exc
    if moment.tzinfo is None:
        raise ValueError(f"“{value}” has no time zone; add one, e.g. +01:00 or Z")
    return moment
