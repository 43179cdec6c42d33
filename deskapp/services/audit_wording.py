"""Audit events in plain words: "changed the status from Open to Pending customer".

Every action name a service passes to ``audit.record_event`` has an entry in ``ACTIONS``: its
kind (what the team audit view filters on) and the words for it. A test reads the services'
source and fails when an action has no words here, so a new action cannot reach a lead's
screen as "case.something". ``describe`` adds what the event's detail says (from whom to whom,
which status), with people and teams by name; details never hold customer text (the audit
keeps ids, states and lengths), so nothing here needs masking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any

from deskapp.domain.case_lifecycle import RESOLUTION_CODES


class ActionKind(StrEnum):
    """What a lead looks for in the team audit view."""

    CLAIMS = "claims"
    HANDOFFS = "handoffs"
    CASE_CHANGES = "case_changes"
    CONTACTS = "contacts"
    CUSTOMERS = "customers"
    PEOPLE = "people"
    RESPONSES = "responses"


KIND_LABELS = {
    ActionKind.CLAIMS: "Claims",
    ActionKind.HANDOFFS: "Handoffs and reassignments",
    ActionKind.CASE_CHANGES: "Status and other case changes",
    ActionKind.CONTACTS: "Contacts logged",
    ActionKind.CUSTOMERS: "Customer profiles",
    ActionKind.PEOPLE: "People, teams and settings",
    ActionKind.RESPONSES: "Canned responses",
}

# action name → (kind, what happened, said of the person who did it)
ACTIONS: dict[str, tuple[ActionKind, str]] = {
    "case.created": (ActionKind.CASE_CHANGES, "opened the case"),
    "case.updated": (ActionKind.CASE_CHANGES, "changed the case"),
    "case.taken": (ActionKind.CLAIMS, "took the case"),
    "case.handed_off": (ActionKind.HANDOFFS, "handed the case on"),
    "handoff.refused": (ActionKind.HANDOFFS,
                        "tried to hand the case on; the note was sent back for fixes"),
    "handoff.acknowledged": (ActionKind.HANDOFFS, "acknowledged the handoff note"),
    "handoff.question_asked": (ActionKind.HANDOFFS, "asked a question about the handoff note"),
    "handoff.question_answered": (ActionKind.HANDOFFS,
                                  "answered a question about the handoff note"),
    "handoff.addendum_added": (ActionKind.HANDOFFS, "added an addendum to the handoff note"),
    "interaction.logged": (ActionKind.CONTACTS, "logged a contact"),
    "customer.note_changed": (ActionKind.CUSTOMERS, "edited a customer's profile note"),
    "customer.redacted": (ActionKind.CUSTOMERS,
                          "erased the customer's personal data (an erasure request)"),
    "user.added": (ActionKind.PEOPLE, "added a person"),
    "user.role_changed": (ActionKind.PEOPLE, "changed a person's role"),
    "user.activated": (ActionKind.PEOPLE, "reactivated a person"),
    "user.deactivated": (ActionKind.PEOPLE, "deactivated a person"),
    "user.temporary_password_issued": (ActionKind.PEOPLE, "issued a temporary password"),
    "team.created": (ActionKind.PEOPLE, "created a team"),
    "team.handoff_template_changed": (ActionKind.PEOPLE, "changed a team's handoff template"),
    "workspace.team_isolation_changed": (ActionKind.PEOPLE, "changed team isolation"),
    "canned.created": (ActionKind.RESPONSES, "wrote a canned response"),
    "canned.updated": (ActionKind.RESPONSES, "edited a canned response"),
    "canned.imported": (ActionKind.RESPONSES, "updated a canned response from an import"),
    "canned.retired": (ActionKind.RESPONSES, "retired a canned response"),
    "canned.edit_suggested": (ActionKind.RESPONSES, "suggested an edit to a canned response"),
    "canned.suggestion_accepted": (ActionKind.RESPONSES,
                                   "accepted a suggested edit to a canned response"),
    "canned.suggestion_rejected": (ActionKind.RESPONSES,
                                   "rejected a suggested edit to a canned response"),
}  # fmt: skip

NameOf = Callable[[str | None], str]  # a user's or team's id (hex) → their name


def actions_of(kinds: Iterable[ActionKind]) -> list[str]:
    wanted = set(kinds)
    return sorted(action for action, (kind, _words) in ACTIONS.items() if kind in wanted)


def kind_of(action: str) -> ActionKind | None:
    known = ACTIONS.get(action)
    return known[0] if known else None


def ids_named_in(detail: Mapping[str, Any]) -> set[str]:
    """The user and team ids (hex) a detail refers to, to look their names up in one go."""
    return {
        value
        for key in ("from_user", "to_user", "from_team", "to_team", "kudos_for")
        if isinstance(value := detail.get(key), str)
    }


def describe(
    action: str, detail: Mapping[str, Any], name_of: NameOf, actor_hex: str | None = None
) -> str:
    """What happened, as a sentence's predicate: "reassigned the case from Dana to Lee".
    ``actor_hex``: who did it; a handoff from themselves then says "to Lee" only."""
    if actor_hex is not None and detail.get("from_user") == actor_hex:
        detail = {**detail, "from_user": None}
    words = _SPECIFIC.get(action)
    if words is not None:
        said = words(detail, name_of)
        if said:
            return said
    known = ACTIONS.get(action)
    if known is not None:
        return known[1]
    return f"did “{action}”"  # an action without words yet: shown, never hidden


# ----------------------------------------------------------------------------- details
def label(value: Any) -> str:
    """A stored value as a person reads it: pending_customer → Pending customer."""
    if value is None or value == "":
        return "none"
    text = str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


def _change(name: str, change: Any, show: Callable[[Any], str] = label) -> str | None:
    if not isinstance(change, Mapping):
        return None
    return f"{name} from {show(change.get('from'))} to {show(change.get('to'))}"


def _quoted(value: Any) -> str:
    return f"“{value}”" if value else "none"


def _resolution(code: Any) -> str:
    return RESOLUTION_CODES.get(code, label(code)) if code else "none"


def _updated(detail: Mapping[str, Any], _name_of: NameOf) -> str:
    changes = (
        _change("status", detail.get("status")),
        _change("priority", detail.get("priority")),
        _change("customer mood", detail.get("mood")),
        _change("category", detail.get("category"), _quoted),
        _change("resolution", detail.get("resolution_code"), _resolution),
    )
    parts = [said for said in changes if said]
    if isinstance(detail.get("outcome"), Mapping):
        parts.append("wrote the outcome")
    said = "changed " + ", ".join(parts) if parts else ""
    if detail.get("escalated") and "status" not in detail:
        said = f"{said}, escalated it" if said else "escalated the case"
    return said


_HANDOFF_KIND = {
    "reassign": "reassigned the case",
    "bulk_reassign": "reassigned the case (with others at once)",
    "transfer": "transferred the case",
    "escalate": "escalated the case",
    "release": "released the case",
    "end_of_shift": "handed the case on at the end of the shift",
}


def _handed_off(detail: Mapping[str, Any], name_of: NameOf) -> str:
    kind = str(detail.get("kind") or "")
    if not kind:
        return ""
    said = _HANDOFF_KIND.get(kind, "handed the case on")
    giver, taker = detail.get("from_user"), detail.get("to_user")
    other_team = detail.get("to_team") if detail.get("to_team") != detail.get("from_team") else None
    if giver and kind != "end_of_shift":
        said += f" from {name_of(giver)}"
    if taker:
        said += f" to {name_of(taker)}" + (f" in {name_of(other_team)}" if other_team else "")
    elif other_team:
        said += f" to the queue of {name_of(other_team)}"
    else:
        said += " to the team queue"
    if detail.get("unbriefed"):
        said += ", unbriefed"
    return said


def _taken(detail: Mapping[str, Any], _name_of: NameOf) -> str:
    how = {"get_next": "took the case with Get next", "take": "took the case from the queue"}
    return how.get(str(detail.get("via")), "")


_DIRECTION_WORDS = {"inbound": "an incoming", "outbound": "an outgoing", "internal": "an internal"}
_CHANNEL_WORDS = {
    "phone": "call",
    "email": "email",
    "chat": "chat",
    "social": "social message",
    "in_person": "meeting in person",
    "third_party": "contact with a third party",
}


def _logged(detail: Mapping[str, Any], name_of: NameOf) -> str:
    direction = _DIRECTION_WORDS
    channel = _CHANNEL_WORDS
    said = (
        f"logged {direction.get(str(detail.get('direction')), 'a')} "
        f"{channel.get(str(detail.get('channel')), 'contact')}"
    )
    if detail.get("kudos_for"):
        said += f" (praise for {name_of(detail.get('kudos_for'))})"
    status = _change("status", detail.get("status"))
    if status:
        said += f"; {status}"
    return said


def _acknowledged(detail: Mapping[str, Any], _name_of: NameOf) -> str:
    if detail.get("read_back"):
        return "acknowledged the handoff note with a read-back"
    return ""


def _refused(detail: Mapping[str, Any], _name_of: NameOf) -> str:
    rules = detail.get("rules")
    if isinstance(rules, list) and rules:
        return (
            "tried to hand the case on; the note was sent back for fixes "
            f"({', '.join(label(rule).lower() for rule in rules)})"
        )
    return ""


def _person(template: str) -> Callable[[Mapping[str, Any], NameOf], str]:
    def said(detail: Mapping[str, Any], _name_of: NameOf) -> str:
        login = detail.get("login")
        if not login:
            return ""
        text = template.format(login=login)
        if detail.get("role"):
            text += f" as {label(detail['role']).lower()}"
        if "from" in detail and "to" in detail:
            text += f" from {label(detail['from']).lower()} to {label(detail['to']).lower()}"
        return text

    return said


def _team(template: str) -> Callable[[Mapping[str, Any], NameOf], str]:
    def said(detail: Mapping[str, Any], _name_of: NameOf) -> str:
        team = detail.get("team")
        if not team:
            return ""
        text = template.format(team=team)
        if detail.get("version"):
            text += f" (version {detail['version']})"
        return text

    return said


def _isolation(detail: Mapping[str, Any], _name_of: NameOf) -> str:
    if "team_isolation" not in detail:
        return ""
    return (
        "switched team isolation on: people see their own team's cases only"
        if detail["team_isolation"]
        else "switched team isolation off: everyone sees every team's cases"
    )


def _response(verb: str) -> Callable[[Mapping[str, Any], NameOf], str]:
    def said(detail: Mapping[str, Any], _name_of: NameOf) -> str:
        title = detail.get("title")
        return f"{verb} the canned response “{title}”" if title else ""

    return said


_SPECIFIC: dict[str, Callable[[Mapping[str, Any], NameOf], str]] = {
    "case.updated": _updated,
    "case.handed_off": _handed_off,
    "case.taken": _taken,
    "interaction.logged": _logged,
    "handoff.acknowledged": _acknowledged,
    "handoff.refused": _refused,
    "user.added": _person("added {login}"),
    "user.role_changed": _person("changed the role of {login}"),
    "user.activated": _person("reactivated {login}"),
    "user.deactivated": _person("deactivated {login}"),
    "user.temporary_password_issued": _person("issued a temporary password for {login}"),
    "team.created": _team("created the team {team}"),
    "team.handoff_template_changed": _team("changed the handoff template of {team}"),
    "workspace.team_isolation_changed": _isolation,
    "canned.created": _response("wrote"),
    "canned.updated": _response("edited"),
    "canned.imported": _response("updated from an import"),
    "canned.retired": _response("retired"),
}
