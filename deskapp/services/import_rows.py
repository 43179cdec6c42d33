"""Checking an import's records one by one: each becomes a new row for the load, a record
already imported (skipped), or a rejection with its line, column and reason.

A record is judged on its values (import_values.py), on repeats inside the file, and on its
references: a case's customer and an interaction's case must be in the workspace or earlier
in the file. Written for a million rows: one dict of readers per kind, ids made in order, the
common case first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from deskapp.db.bulk import time_ordered_ids
from deskapp.domain.card_mask import mask_card_numbers
from deskapp.domain.enums import CaseStatus, Channel, Direction, Mood, Priority, Tier
from deskapp.services import import_values as v
from deskapp.services.import_load import ChunkedLoad, Progress
from deskapp.services.import_references import Id, References
from deskapp.services.import_report import Tally
from deskapp.services.import_sources import KINDS, Record, Source

BODY_LIMIT = 1_000_000  # characters of one interaction; a whole mailbox pasted is refused
PROGRESS_EVERY = 2000
Found = list[tuple[str, str]]  # (column, reason) of one record
Reader = tuple[str, Callable[[str], Any], bool]  # field, reader, required
T = TypeVar("T")


class RowChecker:
    """The checking side of one pass: what this file has given so far, and what each record
    becomes."""

    def __init__(
        self,
        source: Source,
        origin: str,
        rules: v.DateRules,
        valid_only: bool,
        references: References,
        default_team: Any,
        load: ChunkedLoad,
        tally: Tally,
        ids_as_bytes: bool,
    ) -> None:
        self.source, self.origin, self.valid_only = source, origin, valid_only
        self.known, self.default_team, self.load, self.tally = references, default_team, load, tally
        self.csv = source.format == "csv"
        self.seen: dict[str, dict[str, int]] = {k: {} for k in KINDS}  # in this file: line
        # New rows get ids in the order they are made (bytes where the database stores bytes).
        self.new_id = time_ordered_ids(as_bytes=ids_as_bytes)
        self.readers = readers(v.datetime_reader(rules))
        if self.csv:  # an unmapped field is never in a record: skip its reader
            for kind in KINDS:
                self.readers[kind] = [r for r in self.readers[kind] if r[0] in source.mapping]

    def check_all(self, needs: set[str], progress: Progress) -> None:
        check = {"customers": self._customer, "cases": self._case,
                 "interactions": self._interaction}  # fmt: skip
        tally, total = self.tally, self.source.estimated_rows
        last_line = 0
        for record in self.source.records:
            if record.kind not in needs:
                continue
            if record.line != last_line:
                tally.rows += 1
                last_line = record.line
                if tally.rows % PROGRESS_EVERY == 0:
                    progress("rows", tally.rows, max(total, tally.rows))
            check[record.kind](record)

    # ------------------------------------------------------------ what every record has
    def _values(self, record: Record) -> tuple[dict[str, Any], Found]:
        found: Found = (
            [(self._column(record, c), r) for c, r in record.problems] if record.problems else []
        )
        out: dict[str, Any] = {}
        cells = record.values
        for name, reader, required in self.readers[record.kind]:
            cell = cells.get(name)
            if not cell or cell.isspace():
                if required and not (cell is None and record.problems):  # said once: short row
                    found.append((self._column(record, name), "is empty, and it is required"))
                continue
            try:
                out[name] = reader(cell)
            except v.BadValue as exc:
                if record.derived and name in ("channel", "category", "tier"):
                    continue  # a helpdesk's own word: Deskapp's default instead
                found.append((self._column(record, name), str(exc)))
        return out, found

    def _keyed_values(self, record: Record) -> tuple[dict[str, Any], Found, str, bool]:
        """The record's values, what is wrong with them, its external id, and whether it
        repeats a helpdesk requester given before (the same customer: nothing to do)."""
        values, found = self._values(record)
        key = values.get("external_id", "")
        if not key or found:
            return values, found, key, False
        seen = self.seen[record.kind]
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = record.line
        elif record.derived:
            return values, found, key, True
        else:
            repeat = f"the id “{v.shown(key)}” is already on line {earlier} of this file"
            found.append((self._column(record, "external_id"), repeat))
        return values, found, key, False

    def _parent(
        self, record: Record, values: dict[str, Any], found: Found, known: dict[str, T], what: str
    ) -> T | None:
        """The record's customer (a case's) or case (an interaction's), by its external id;
        a rejection reason when the workspace and the file before it have none."""
        field = f"{what}_external_id"
        key = values.get(field)
        parent = known.get(key) if key else None
        if key and parent is None:
            found.append((self._column(record, field),
                          f"no {what} with the id “{v.shown(key)}” from {self.origin}: "
                          f"import the {what}s first"))  # fmt: skip
        return parent

    def _column(self, record: Record, name: str) -> str:
        if self.csv:
            return self.source.mapping.get(name, name)
        return name

    def _person(self, record: Record, who: str | None, column: str) -> Id | None:
        if not who:
            return None
        found = self.known.people.get(who.casefold())
        if found is None and not self.tally.notes_full:
            self.tally.note(f"Line {record.line}: no Deskapp person “{v.shown(who)}” ({column}); "
                            "imported without one.")  # fmt: skip
        return found

    def _reject(self, record: Record, found: Found, summary: str) -> None:
        self.tally.rejected(record, found, summary)
        if not self.valid_only:
            self.load.stop()

    def _add(self, record: Record, summary: str, row: list[Any]) -> None:
        self.tally.added(record, summary)
        self.load.add(record.kind, row)

    # ------------------------------------------------------------ each kind
    def _customer(self, record: Record) -> None:
        values, found, key, repeated_requester = self._keyed_values(record)
        if repeated_requester:
            return
        if found:
            return self._reject(record, found, values.get("name", ""))
        if key in self.known.customers:
            return self.tally.kept(record, "existing", values["name"])
        new_id = self.new_id()
        self.known.customers[key] = new_id
        created = values.get("created_at", self.known.now)
        phone = values.get("phone")
        self._add(record, values["name"], [
            new_id, values["name"], values.get("email"), phone, _digits(phone) if phone else None,
            values.get("time_zone", "UTC"), values.get("tier", Tier.STANDARD),
            values.get("tags", []), values.get("profile_note"), values.get("preferred_contact"),
            self.origin, key, created, created, 1,
        ])  # fmt: skip

    def _case(self, record: Record) -> None:
        values, found, key, _ = self._keyed_values(record)
        customer_id = self._parent(record, values, found, self.known.customers, "customer")
        team_id = self.default_team
        if "team" in values:
            team_id = self.known.teams.get(values["team"].casefold())
            if team_id is None:
                found.append((self._column(record, "team"),
                              f"there is no team called “{v.shown(values['team'])}”"))  # fmt: skip
        elif record.values.get("group"):
            team_id = self.known.teams.get(record.values["group"].casefold(), self.default_team)
        if found:
            return self._reject(record, found, values.get("subject", ""))
        if key in self.known.cases:
            return self.tally.kept(record, "existing", values["subject"])
        assert customer_id is not None and team_id is not None
        assignee_id = self._person(record, values.get("assignee"), "assignee")
        status = values.get("status", CaseStatus.OPEN)
        created = values.get("created_at", self.known.now)
        updated = max(created, values.get("updated_at", created))
        resolved = values.get("resolved_at")
        closed = values.get("closed_at")
        if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED) and resolved is None:
            resolved = closed or updated
        if status is CaseStatus.CLOSED and closed is None:
            closed = updated
        channel = values.get("channel", Channel.EMAIL)
        new_id = self.new_id()
        number = self.known.next_number
        if number is not None:
            self.known.next_number = number + 1
        self.known.cases[key] = (new_id, customer_id, channel, number)
        self._add(record, values["subject"], [
            new_id, number, customer_id, values["subject"], values.get("category"), channel,
            values.get("priority", Priority.NORMAL), status, status is CaseStatus.ESCALATED,
            team_id, assignee_id, Mood.NEUTRAL, updated, 0, 0, resolved, closed,
            self.origin, key, created, updated, 1,
        ])  # fmt: skip

    def _interaction(self, record: Record) -> None:
        values, found, key, _ = self._keyed_values(record)
        case = self._parent(record, values, found, self.known.cases, "case")
        body = values.get("body", "")
        if found:
            return self._reject(record, found, body[:60])
        if key in self.known.interactions:
            return self.tally.kept(record, "existing", body[:60])
        assert case is not None
        self.known.interactions.add(key)
        if _may_hold_a_card_number(body):
            body = mask_card_numbers(body)[0]
        direction = values.get("direction", Direction.INBOUND)
        author_id = self._person(record, values.get("author"), "author")
        self.load.touch_case(case[3])
        self._add(record, body[:60], [
            self.new_id(), case[0], case[1], values.get("channel", case[2]), direction,
            author_id, body, values.get("duration_seconds"), values["occurred_at"],
            self.origin, key, values["occurred_at"],
        ])  # fmt: skip

    def lacks_team(self, needs: set[str], wanted: str | None) -> bool:
        """Cases need a team; say so once, for the whole file, when there is none."""
        if "cases" not in needs or self.default_team is not None:
            return False
        self.tally.problem(0, "team", f"there is no team called “{wanted}”" if wanted else
                           "the workspace has no team to put cases in: add one first")  # fmt: skip
        self.tally.rejected_rows += 1
        return True


_NOT_DIGITS = str.maketrans("", "", "".join(chr(c) for c in range(128) if not 48 <= c <= 57))


def _digits(phone: str) -> str | None:
    """The phone's digits (customers.phone_digits), None when it has none."""
    if phone.isascii():  # the common case, in C: str.isdigit is 0-9 on ASCII
        return phone.translate(_NOT_DIGITS) or None
    return "".join(ch for ch in phone if ch.isdigit()) or None


def _may_hold_a_card_number(body: str) -> bool:
    """False when ``body`` surely holds no card number (card_mask: 13 digits at least); the
    exact check costs ten times more and almost every message has fewer digits."""
    if body.isascii():
        return len(body.translate(_NOT_DIGITS)) >= 13  # its digits, in C
    return any(ch.isdigit() for ch in body)


def readers(when: Callable[[str], datetime]) -> dict[str, list[Reader]]:
    text_ = v.text_reader
    return {
        "customers": [
            ("external_id", text_(120), True), ("name", text_(200), True),
            ("email", v.read_email, False), ("phone", text_(64), False),
            ("time_zone", v.read_zone, False), ("tier", v.word_reader(v.TIER_WORDS, "tier"), False),
            ("tags", v.read_tags, False), ("profile_note", text_(20_000), False),
            ("preferred_contact", text_(120), False), ("created_at", when, False),
        ],
        "cases": [
            ("external_id", text_(120), True), ("customer_external_id", text_(120), True),
            ("subject", text_(300), True),
            ("status", v.word_reader(v.STATUS_WORDS, "status"), False),
            ("priority", v.word_reader(v.PRIORITY_WORDS, "priority"), False),
            ("channel", v.word_reader(v.CHANNEL_WORDS, "channel"), False),
            ("category", text_(80), False), ("team", text_(120), False),
            ("assignee", text_(254), False), ("created_at", when, False),
            ("updated_at", when, False), ("resolved_at", when, False), ("closed_at", when, False),
        ],
        "interactions": [
            ("external_id", text_(120), True), ("case_external_id", text_(120), True),
            ("occurred_at", when, True),
            ("channel", v.word_reader(v.CHANNEL_WORDS, "channel"), False),
            ("direction", v.word_reader(v.DIRECTION_WORDS, "direction"), False),
            ("author", text_(254), False), ("body", _body, False),
            ("duration_seconds", v.read_int, False),
        ],
    }  # fmt: skip


def _body(cell: str) -> str:
    if len(cell) > BODY_LIMIT:
        raise v.BadValue(
            f"is {len(cell):,} characters long; an interaction holds at most {BODY_LIMIT:,}"
        )
    return cell
