"""The handoff template: which fields a note has, their labels and help, and the rules a team
added. The default ships in resources/templates/handoff.json; a lead may adjust labels, help
and add fields or rules for their team, but never relax the core fields or the sensitive-data
block (DESIGN.md §5). Each note records the template version it was written against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The core: always present, always required as the rules say; a team cannot remove them.
CORE_FIELDS = ("risk", "summary", "done", "next_actions", "commitments", "contingencies",
               "mood", "contact_preference")  # fmt: skip


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    help: str = ""
    kind: str = "text"  # text | risk | actions | commitments | mood | line
    required: bool = True


@dataclass(frozen=True)
class TeamRule:
    """A team's own check: text matching ``pattern`` (a regular expression) in ``field``
    gives ``message`` at ``severity`` ("block" or "warn")."""

    field: str
    pattern: str
    message: str
    severity: str = "warn"


@dataclass(frozen=True)
class HandoffTemplate:
    version: int
    fields: tuple[FieldSpec, ...]
    rules: tuple[TeamRule, ...] = field(default=())

    def spec(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HandoffTemplate:
        fields = tuple(FieldSpec(**f) for f in data["fields"])
        missing = [key for key in CORE_FIELDS if key not in {f.key for f in fields}]
        if missing:
            raise ValueError(f"a handoff template must keep the core fields: {', '.join(missing)}")
        for spec in fields:
            if spec.key in CORE_FIELDS and spec.key != "contact_preference" and not spec.required:
                raise ValueError(f"the core field “{spec.label}” cannot be made optional")
        rules = tuple(TeamRule(**r) for r in data.get("rules", []))
        for rule in rules:
            if rule.severity not in ("block", "warn"):
                raise ValueError(f"a rule's severity is block or warn, not “{rule.severity}”")
        return cls(int(data["version"]), fields, rules)
