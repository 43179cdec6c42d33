"""The starter canned-response library shipped in resources/starter/."""

from __future__ import annotations

import json
import uuid
from importlib import resources
from typing import Any

from sqlalchemy import Connection, Table

from deskapp.db.bulk import bulk_insert
from deskapp.db.models import CannedResponse
from deskapp.domain.enums import CannedScope


def starter_responses() -> list[dict[str, Any]]:
    text_ = resources.files("deskapp.resources").joinpath("starter/canned_responses.json")
    document = json.loads(text_.read_text(encoding="utf-8"))
    return list(document["responses"])


def load_starter_library(conn: Connection) -> int:
    """Insert the starter responses as global ones; returns how many."""
    table = CannedResponse.__table__
    assert isinstance(table, Table)
    rows = [
        (uuid.uuid4(), CannedScope.GLOBAL, r["title"], r.get("shortcut"), r["category"],
         r.get("tags", []), r["body"], True, 1)
        for r in starter_responses()
    ]  # fmt: skip
    return bulk_insert(conn, table, ["id", "scope", "title", "shortcut", "category", "tags",
                                     "body", "active", "version"], rows)  # fmt: skip
