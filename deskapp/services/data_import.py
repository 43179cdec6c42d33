"""Importing customers, cases and interactions from CSV, Zendesk and Freshdesk files.

One pass over the file does everything: every record is checked (its values, its references,
duplicates inside the file) and, when writing, inserted in chunks through db/bulk.py in ONE
transaction. Any rejected row stops the inserting and the transaction is rolled back at the
end, so nothing is half-written, while the checking carries on to the end for a complete
report (line, column, reason). With ``valid_only`` the rejected rows are left out and the rest
is committed. A preview is the same pass without writing.

Idempotent on the source's ids: a record whose (external_source, external_id) is already in
the workspace is skipped ("already imported"), so running an import twice, or again after a
lost reply, never duplicates (the unique keys of migration 0001 guarantee it besides).

Large imports pause the search-index triggers inside their own transaction and bring the
index up to date once before committing (db/bulk.py; on SQLite only the documents that
changed, or a rebuild when that is less work: import_search.py). Rows are checked and
converted for the driver on the calling thread while the chunk before is inserted on another
(import_writer.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Table, func, select, text

from deskapp.db.bulk import (
    bulk_insert,
    pause_search_index,
    rebuild_search_index,
    refresh_statistics,
    sqlite_glance_statistics,
    sqlite_loading,
    sqlite_make_indexes,
    sqlite_set_indexes_aside,
    storage_rows,
    time_ordered_ids,
)
from deskapp.db.engine import WRITE_OPTIONS
from deskapp.db.models import Case, Customer, Interaction, Team, User
from deskapp.domain.card_mask import mask_card_numbers
from deskapp.domain.enums import CaseStatus, Channel, Direction, Mood, Priority, Role, Tier
from deskapp.domain.errors import InvalidInput
from deskapp.services import import_sources as sources
from deskapp.services import import_values as v
from deskapp.services.import_search import ImportSearchIndex
from deskapp.services.import_sources import KINDS, Kind, Record, Source, SourceFormat
from deskapp.services.import_writer import ChunkWriter
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor
from deskapp.services.tabular_text import Decoded, decode_any, looks_binary, read_bytes
from deskapp.services.workspace import Workspace

Progress = Callable[[str, int, int], None]
Id = uuid.UUID | bytes  # rows read back are UUIDs; new rows carry the bytes SQLite stores
MAX_LISTED_PROBLEMS = 1000  # the report keeps this many; the count is always exact
SAMPLE_ROWS = 200
CHUNK = 5000
PAUSE_INDEX_FROM = 2000  # rows; below this the triggers index as they go
PROGRESS_EVERY = 2000
BODY_LIMIT = 1_000_000  # characters of one interaction; a whole mailbox pasted is refused
SOURCE_NAME_LIMIT = 40


@dataclass(frozen=True)
class ImportRequest:
    kind: Kind
    path: Path
    format: SourceFormat | None = None  # None: from the file
    mapping: dict[str, str] | None = None  # CSV: field → column; None: saved, else by name
    source: str = "csv"  # the old system's name for CSV files (helpdesks name themselves)
    valid_only: bool = False  # import the valid rows when some are rejected
    day_first: bool = False  # 01/02/2024 is 1 February when False (US), 2 January when True
    time_zone: str = "UTC"  # for times written without an offset
    team: str | None = None  # cases without a team column go to this team


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str
    kind: str = ""


@dataclass(frozen=True)
class KindCount:
    new: int = 0
    existing: int = 0
    rejected: int = 0


@dataclass(frozen=True)
class SampleRow:
    line: int
    kind: str
    outcome: str  # "new", "existing", "repeat" (a requester seen before), "rejected"
    summary: str  # the record in a few words (name, subject, the text's start)


@dataclass(frozen=True)
class ImportReport:
    source: str
    format: SourceFormat | None
    kind: Kind
    encoding: str | None = None
    delimiter: str | None = None
    columns: tuple[str, ...] = ()
    mapping: dict[str, str] = field(default_factory=dict)
    file_problems: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    problem_count: int = 0
    notes: tuple[str, ...] = ()
    counts: dict[str, KindCount] = field(default_factory=dict)
    sample: tuple[SampleRow, ...] = ()
    rows: int = 0
    written: bool = False

    @property
    def rejected(self) -> int:
        return sum(c.rejected for c in self.counts.values())

    @property
    def new(self) -> int:
        return sum(c.new for c in self.counts.values())

    @property
    def existing(self) -> int:
        return sum(c.existing for c in self.counts.values())

    @property
    def ok(self) -> bool:
        """Nothing rejected and nothing wrong with the file: it imports whole."""
        return not self.file_problems and self.rejected == 0

    def verdict(self, valid_only: bool) -> str:
        if self.file_problems:
            return "Nothing was imported: " + " ".join(self.file_problems)
        if self.rows == 0:
            return "Nothing was imported: the file holds no rows."
        if self.rejected and not valid_only:
            return (
                f"Nothing was imported: {self.rejected:,} row(s) were rejected (see the report). "
                "Fix the file, or choose to import only the valid rows."
            )
        return ""


def preview_import(
    ws: Workspace,
    actor: Actor,
    request: ImportRequest,
    progress: Progress | None = None,
    saved_mapping: dict[str, str] | None = None,
) -> ImportReport:
    """What importing would do, row by row; writes nothing."""
    return _run(ws, actor, request, False, progress, saved_mapping)


def run_import(
    ws: Workspace,
    actor: Actor,
    request: ImportRequest,
    progress: Progress | None = None,
    saved_mapping: dict[str, str] | None = None,
) -> ImportReport:
    """Import all of the file, or (``valid_only``) its valid rows, in one transaction; or
    nothing when anything is rejected (``report.written`` is False and ``report.verdict``
    says why)."""
    return _run(ws, actor, request, True, progress, saved_mapping)


# ------------------------------------------------------------------------ the file
def open_source(
    request: ImportRequest, saved_mapping: dict[str, str] | None = None
) -> tuple[Source | None, Decoded | None, str | None]:
    """The file's records, or why it cannot be read at all."""
    data, problem = read_bytes(request.path, what="file")
    if data is None:
        return None, None, problem
    return source_from_bytes(request, data, saved_mapping)


def source_from_bytes(
    request: ImportRequest, data: bytes, saved_mapping: dict[str, str] | None = None
) -> tuple[Source | None, Decoded | None, str | None]:
    """``data`` (the content of ``request.path``) as records, or why it cannot be read."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return None, None, f"{request.path.name} is empty."
    decoded = decode_any(data)
    if isinstance(decoded, str):
        return None, None, f"{request.path.name}: {decoded}"
    if looks_binary(decoded.text):
        return (
            None,
            decoded,
            (
                f"{request.path.name} is not a CSV or JSON file (it holds binary data). Export the "
                "data as CSV (or Zendesk JSON) and try again."
            ),
        )
    chosen = request.format or sources.guess_format(request.path.name, decoded.text)
    text_ = decoded.text.lstrip("\ufeff")
    if chosen == "zendesk":
        source = sources.read_zendesk(request.kind, text_)
    elif chosen == "freshdesk":
        source = sources.read_freshdesk(request.kind, text_)
    else:
        if text_.lstrip()[:1] in ("{", "["):
            return (
                None,
                decoded,
                (
                    f"{request.path.name} holds JSON, not CSV. Choose the Zendesk format for a "
                    "Zendesk ticket export."
                ),
            )
        source = sources.read_csv(request.kind, text_, request.mapping, saved_mapping)
    return source, decoded, None


# ------------------------------------------------------------------------ one pass
def _run(
    ws: Workspace,
    actor: Actor,
    request: ImportRequest,
    write: bool,
    progress: Progress | None,
    saved_mapping: dict[str, str] | None,
) -> ImportReport:
    require_role(actor, Role.ADMIN, "import data")
    name = str(request.path)
    source, decoded, problem = open_source(request, saved_mapping)
    if source is None:
        return ImportReport(name, request.format, request.kind,
                            decoded.encoding if decoded else None,
                            file_problems=(problem or "The file cannot be read.",))  # fmt: skip
    base = ImportReport(
        name,
        source.format,
        request.kind,
        decoded.encoding if decoded else None,
        source.delimiter,
        source.columns,
        dict(source.mapping),
        notes=tuple(source.notes),
    )
    options = _options_problems(request, source)
    if source.problems or options:
        return _with(base, file_problems=tuple(source.problems + options))
    report = progress or (lambda stage, done, total: None)
    engine = ws.engine.execution_options(**WRITE_OPTIONS) if write else ws.engine
    big = write and source.estimated_rows >= PAUSE_INDEX_FROM
    # A page cache of about 1 KB a row, 256 MB to 1 GB: a million rows stay in memory.
    cache_mb = min(1024, max(256, source.estimated_rows // 1000))
    with engine.connect() as conn, sqlite_loading(conn, cache_mb) if big else nullcontext():
        transaction = conn.begin()
        try:
            importer = _Importer(conn, actor, request, source, write, report)
            importer.run()
            new_rows = sum(importer.counts[k][0] for k in KINDS)
            commit = write and new_rows > 0 and (request.valid_only or not importer.rejected_rows)
            if commit:
                importer.finish()
                transaction.commit()
            else:
                transaction.rollback()
        except BaseException:
            transaction.rollback()
            raise
    report("done", importer.rows, importer.rows)
    return _with(
        base,
        problems=tuple(importer.problems),
        problem_count=importer.problem_count,
        notes=tuple(source.notes + importer.notes),
        counts={k: KindCount(*importer.counts[k]) for k in KINDS if any(importer.counts[k])},
        sample=tuple(importer.sample),
        rows=importer.rows,
        written=commit,
    )


def _with(report: ImportReport, **changes: Any) -> ImportReport:
    values = {f: getattr(report, f) for f in report.__dataclass_fields__}
    values.update(changes)
    return ImportReport(**values)


def _options_problems(request: ImportRequest, source: Source) -> list[str]:
    found = []
    name = request.source.strip()
    if source.format == "csv" and not (0 < len(name) <= SOURCE_NAME_LIMIT):
        found.append(f"the source name must be 1 to {SOURCE_NAME_LIMIT} characters.")
    try:
        ZoneInfo(request.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        found.append(f"“{v.shown(request.time_zone)}” is not a time zone name.")
    return found


class _Importer:
    """The state of one pass: what exists, what this file has given so far, what to write."""

    def __init__(
        self,
        conn: Connection,
        actor: Actor,
        request: ImportRequest,
        source: Source,
        write: bool,
        progress: Progress,
    ) -> None:
        self.conn, self.actor, self.request, self.source = conn, actor, request, source
        self.write, self.progress = write, progress
        self.origin = source.format if source.format != "csv" else request.source.strip()
        self.dialect = conn.dialect.name
        rules = v.DateRules(request.day_first, ZoneInfo(request.time_zone))
        self.when = v.datetime_reader(rules)
        self.now = _server_now(conn)
        self.problems: list[Problem] = []
        self.problem_count = 0
        self.notes: list[str] = []
        self.sample: list[SampleRow] = []
        self.rows = 0
        self.rejected_rows = 0
        self.counts: dict[str, list[int]] = {k: [0, 0, 0] for k in KINDS}  # new, existing, rej
        self.stopped = False  # a row was rejected: nothing more is written
        self.paused = False
        self.search: ImportSearchIndex | None = None  # SQLite, paused: what to index again
        self.writer: ChunkWriter | None = None  # big loads: inserts overlap the checking
        self.big_load = False  # checked and written on two threads: statistics after
        self.set_aside: list[str] = []  # SQLite: indexes to make again before committing
        self.pending: dict[str, list[list[Any]]] = {k: [] for k in KINDS}
        self.needs: set[str] = _kinds_needed(request.kind, source.format)
        # New rows get ids in the order they are made (bytes where the database stores bytes).
        self.new_id = time_ordered_ids(as_bytes=self.dialect != "postgresql")
        self._load_references()
        self.readers = _readers(self.when)
        if source.format == "csv":  # an unmapped field is never in a record: skip its reader
            for kind in KINDS:
                self.readers[kind] = [r for r in self.readers[kind] if r[0] in source.mapping]

    # ------------------------------------------------------------ what exists
    def _load_references(self) -> None:
        conn, origin = self.conn, self.origin
        self.customers: dict[str, Id] = {}
        # external id: id, customer id, channel, number (SQLite; None for new ones elsewhere)
        self.cases: dict[str, tuple[Id, Id, Channel | str, int | None]] = {}
        self.interactions: set[str] = set()
        self.seen: dict[str, dict[str, int]] = {k: {} for k in KINDS}  # in this file: line
        # Read as the driver gives them (no UUID or enum objects): a million rows load in a
        # second instead of ten, and they only go back to the database (bulk_insert takes both).
        origin_only = {"origin": origin}
        if self.needs & {"customers", "cases"}:
            query = text("SELECT external_id, id FROM customers WHERE external_source = :origin")
            self.customers = {e: i for e, i in conn.execute(query, origin_only) if e is not None}
        if self.needs & {"cases", "interactions"}:
            cases = text(
                "SELECT external_id, id, customer_id, channel, number FROM cases "
                "WHERE external_source = :origin"
            )
            self.cases = {
                e: (i, c, ch, n)
                for e, i, c, ch, n in conn.execute(cases, origin_only)
                if e is not None
            }
        self.case_count = 0
        self.next_number: int | None = None  # SQLite numbers new cases as it checks them
        if self.dialect == "sqlite" and self.needs & {"cases", "interactions"}:
            # This transaction holds SQLite's write lock (BEGIN IMMEDIATE): MAX + 1 stays ours.
            self.case_count, highest = conn.execute(
                text("SELECT COUNT(*), COALESCE(MAX(number), 0) FROM cases")
            ).one()
            self.next_number = int(highest) + 1
        if "interactions" in self.needs:
            found = conn.execute(
                text("SELECT external_id FROM interactions WHERE external_source = :origin"),
                origin_only,
            ).scalars()
            self.interactions = {e for e in found if e is not None}
        self.teams = {n.casefold(): i for i, n in conn.execute(select(Team.id, Team.name))}
        self.people: dict[str, uuid.UUID] = {}
        for user_id, login, name, email in conn.execute(
            select(User.id, User.login, User.display_name, User.email)
        ):
            for key in (name, email, login):  # the login wins over a namesake
                if key:
                    self.people[key.casefold()] = user_id
        self.default_team = self._default_team()

    def _default_team(self) -> uuid.UUID | None:
        wanted = self.request.team
        if wanted:
            return self.teams.get(wanted.strip().casefold())
        if self.actor.team_id is not None:
            return self.actor.team_id
        return self.teams[min(self.teams)] if self.teams else None

    # ------------------------------------------------------------ the pass
    def run(self) -> None:
        if "cases" in self.needs and self.default_team is None:
            wanted = self.request.team
            self._problem(0, "team", f"there is no team called “{wanted}”" if wanted else
                          "the workspace has no team to put cases in: add one first")  # fmt: skip
            self.rejected_rows += 1
            return
        total = self.source.estimated_rows
        if self.write and total >= PAUSE_INDEX_FROM and self.request.kind != "customers":
            pause_search_index(self.conn)
            self.paused = True
            if self.next_number is not None:
                sqlite_glance_statistics(self.conn, ["customers", "cases", "interactions"])
                self.search = ImportSearchIndex(
                    self.case_count,
                    self.next_number,
                    total,
                    self.needs,
                    self.source.format == "csv",
                )
        if self.write and total >= PAUSE_INDEX_FROM:
            if self.dialect == "sqlite":
                self._set_indexes_aside(total)
            self.writer = ChunkWriter()
            self.big_load = True
        try:
            self._check_all(total)
            self._flush_all()
        except BaseException:
            if self.writer is not None:
                self.writer.close(cancel=True)
            raise
        if self.writer is not None:
            self.writer.close()  # raises a failed insert here

    def _set_indexes_aside(self, total: int) -> None:
        """Tables this import at least doubles get their reading indexes made again at the
        end instead of kept row by row (db/bulk.py). Not the interactions' while cases'
        documents are taken out one by one: the search view reads them through one."""
        for kind in sorted(self.needs):
            if kind == "interactions" and self.search is not None and not self.search.rebuild:
                continue
            table = _TABLES[kind][0].name
            held = self.case_count if kind == "cases" else self._count(table)
            if total >= held:
                self.set_aside += sqlite_set_indexes_aside(self.conn, table)

    def _count(self, table: str) -> int:
        return int(self.conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar_one())

    def _check_all(self, total: int) -> None:
        check = {"customers": self._customer, "cases": self._case,
                 "interactions": self._interaction}  # fmt: skip
        last_line = 0
        for record in self.source.records:
            if record.kind not in self.needs:
                continue
            if record.line != last_line:
                self.rows += 1
                last_line = record.line
                if self.rows % PROGRESS_EVERY == 0:
                    self.progress("rows", self.rows, max(total, self.rows))
            check[record.kind](record)

    def finish(self) -> None:
        if self.set_aside:
            self.progress("rebuilding indexes", self.rows, self.rows)
            sqlite_make_indexes(self.conn, self.set_aside)
        if self.paused:
            self.progress("search index", self.rows, self.rows)
        if self.big_load:
            # The planner's statistics still describe the tables before the load; the index
            # rebuild joins them, and with stale figures picks a plan that scans per case.
            # (After customers alone too: the next import's search triggers join them.)
            refresh_statistics(self.conn, ["customers", "cases", "interactions"])
        if self.search is not None:
            self.search.finish(self.conn)
        elif self.paused:
            rebuild_search_index(self.conn)

    # ------------------------------------------------------------ checking values
    def _values(self, record: Record) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        found: list[tuple[str, str]] = (
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

    def _column(self, record: Record, name: str) -> str:
        if self.source.format == "csv":
            return self.source.mapping.get(name, name)
        return name

    def _duplicate(self, record: Record, kind: str, key: str) -> str | None:
        earlier = self.seen[kind].get(key)
        if earlier is None:
            self.seen[kind][key] = record.line
            return None
        if record.derived:
            return ""  # the same requester on another ticket: one customer
        return f"the id “{v.shown(key)}” is already on line {earlier} of this file"

    def _customer(self, record: Record) -> None:
        values, found = self._values(record)
        key = values.get("external_id", "")
        if key and not found:
            repeat = self._duplicate(record, "customers", key)
            if repeat == "":
                return
            if repeat:
                found.append((self._column(record, "external_id"), repeat))
        if found:
            return self._reject(record, found, values.get("name", ""))
        if key in self.customers:
            return self._keep(record, "existing", values["name"])
        new_id = self.new_id()
        self.customers[key] = new_id
        created = values.get("created_at", self.now)
        phone = values.get("phone")
        self._add(record, "customers", values["name"], [
            new_id, values["name"], values.get("email"), phone, _digits(phone) if phone else None,
            values.get("time_zone", "UTC"), values.get("tier", Tier.STANDARD),
            values.get("tags", []), values.get("profile_note"), values.get("preferred_contact"),
            self.origin, key, created, created, 1,
        ])  # fmt: skip

    def _case(self, record: Record) -> None:
        values, found = self._values(record)
        key = values.get("external_id", "")
        if key and not found:
            repeat = self._duplicate(record, "cases", key)
            if repeat:
                found.append((self._column(record, "external_id"), repeat))
        customer_key = values.get("customer_external_id")
        customer_id = self.customers.get(customer_key) if customer_key else None
        if customer_key and customer_id is None:
            found.append((self._column(record, "customer_external_id"),
                          f"no customer with the id “{v.shown(customer_key)}” from "
                          f"{self.origin}: import the customers first"))  # fmt: skip
        team_id = self.default_team
        if "team" in values:
            team_id = self.teams.get(values["team"].casefold())
            if team_id is None:
                found.append((self._column(record, "team"),
                              f"there is no team called “{v.shown(values['team'])}”"))  # fmt: skip
        elif record.values.get("group"):
            team_id = self.teams.get(record.values["group"].casefold(), self.default_team)
        if found:
            return self._reject(record, found, values.get("subject", ""))
        if key in self.cases:
            return self._keep(record, "existing", values["subject"])
        assert customer_id is not None and team_id is not None
        assignee_id = self._person(record, values.get("assignee"), "assignee")
        status = values.get("status", CaseStatus.OPEN)
        created = values.get("created_at", self.now)
        updated = max(created, values.get("updated_at", created))
        resolved = values.get("resolved_at")
        closed = values.get("closed_at")
        if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED) and resolved is None:
            resolved = closed or updated
        if status is CaseStatus.CLOSED and closed is None:
            closed = updated
        channel = values.get("channel", Channel.EMAIL)
        new_id = self.new_id()
        number = self.next_number
        if number is not None:
            self.next_number = number + 1
        self.cases[key] = (new_id, customer_id, channel, number)
        self._add(record, "cases", values["subject"], [
            new_id, number, customer_id, values["subject"], values.get("category"), channel,
            values.get("priority", Priority.NORMAL), status, status is CaseStatus.ESCALATED,
            team_id, assignee_id, Mood.NEUTRAL, updated, 0, 0, resolved, closed,
            self.origin, key, created, updated, 1,
        ])  # fmt: skip

    def _interaction(self, record: Record) -> None:
        values, found = self._values(record)
        key = values.get("external_id", "")
        if key and not found:
            repeat = self._duplicate(record, "interactions", key)
            if repeat:
                found.append((self._column(record, "external_id"), repeat))
        case_key = values.get("case_external_id")
        case = self.cases.get(case_key) if case_key else None
        if case_key and case is None:
            found.append((self._column(record, "case_external_id"),
                          f"no case with the id “{v.shown(case_key)}” from {self.origin}: "
                          "import the cases first"))  # fmt: skip
        body = values.get("body", "")
        if found:
            return self._reject(record, found, body[:60])
        if key in self.interactions:
            return self._keep(record, "existing", body[:60])
        assert case is not None
        self.interactions.add(key)
        if _may_hold_a_card_number(body):
            body = mask_card_numbers(body)[0]
        direction = values.get("direction", Direction.INBOUND)
        author_id = self._person(record, values.get("author"), "author")
        if self.search is not None and self.write and not self.stopped:
            self.search.touch(case[3])
        self._add(record, "interactions", body[:60], [
            self.new_id(), case[0], case[1], values.get("channel", case[2]), direction,
            author_id, body, values.get("duration_seconds"), values["occurred_at"],
            self.origin, key, values["occurred_at"],
        ])  # fmt: skip

    def _person(self, record: Record, who: str | None, column: str) -> Id | None:
        if not who:
            return None
        found = self.people.get(who.casefold())
        if found is None and len(self.notes) < MAX_LISTED_PROBLEMS:
            note = (f"Line {record.line}: no Deskapp person “{v.shown(who)}” ({column}); "
                    "imported without one.")  # fmt: skip
            if note not in self.notes[-5:]:
                self.notes.append(note)
        return found

    # ------------------------------------------------------------ outcomes
    def _reject(self, record: Record, found: list[tuple[str, str]], summary: str) -> None:
        self.counts[record.kind][2] += 1
        self.rejected_rows += 1
        if not self.request.valid_only:
            self.stopped = True
            self.pending = {k: [] for k in KINDS}
        for column, reason in found:
            self._problem(record.line, column, reason, record.kind)
        self._sampled(record, "rejected", summary)

    def _problem(self, line: int, column: str, reason: str, kind: str = "") -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(Problem(line, column, reason, kind))

    def _keep(self, record: Record, outcome: str, summary: str) -> None:
        self.counts[record.kind][1] += 1
        self._sampled(record, outcome, summary)

    def _add(self, record: Record, kind: str, summary: str, row: list[Any]) -> None:
        self.counts[kind][0] += 1
        self._sampled(record, "new", summary)
        if not self.write or self.stopped:
            return
        batch = self.pending[kind]
        batch.append(row)
        if len(batch) >= CHUNK:
            self._flush(kind)

    def _sampled(self, record: Record, outcome: str, summary: str) -> None:
        if len(self.sample) < SAMPLE_ROWS:
            self.sample.append(SampleRow(record.line, record.kind, outcome, v.shown(summary, 80)))

    # ------------------------------------------------------------ writing
    def _flush_all(self) -> None:
        for kind in KINDS:
            self._flush(kind)

    def _flush(self, kind: str) -> None:
        parents = {"cases": ["customers"], "interactions": ["customers", "cases"]}
        for parent in parents.get(kind, []):  # a row's parent must be in the table first
            self._flush(parent)
        batch = self.pending[kind]
        if not batch or self.stopped or not self.write:
            return
        self.pending[kind] = []
        if kind == "interactions":
            # A case's interactions side by side: the search index reads them back case by
            # case, from neighbouring pages instead of one page each (a third faster).
            batch.sort(key=_case_of_row)
        table, columns = _TABLES[kind]
        rows = storage_rows(self.dialect, table, columns, batch)  # here, not on the writer
        touched = self.search.take_touched() if self.search and kind == "interactions" else []
        if self.writer is not None:
            self.writer.submit(self._write, kind, rows, touched)
        else:
            self._write(kind, rows, touched)

    def _write(self, kind: str, rows: list[tuple[Any, ...]], touched: list[int]) -> None:
        if kind == "cases" and self.next_number is None:  # a server's sequence numbers them
            numbers = _case_numbers(self.conn, len(rows))
            rows = [(row[0], n, *row[2:]) for row, n in zip(rows, numbers, strict=True)]
        if self.search is not None and touched:  # before their new interactions go in
            self.search.before_interactions(self.conn, touched)
        table, columns = _TABLES[kind]
        bulk_insert(self.conn, table, columns, rows, converted=True)
        if self.search is not None and kind == "cases":
            self.search.after_cases(self.conn, rows[0][1], rows[-1][1])


_NOT_DIGITS = str.maketrans("", "", "".join(chr(c) for c in range(128) if not 48 <= c <= 57))


_case_of_row = itemgetter(1)  # interactions: the case's id, made in time order like theirs


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


def _kinds_needed(kind: Kind, format: SourceFormat) -> set[str]:
    if format == "csv":
        return {kind}
    return {"customers"} if kind == "customers" else {"customers", "cases", "interactions"}


def _readers(when: Callable[[str], datetime]) -> dict[str, list[tuple[str, Any, bool]]]:
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


_TABLES: dict[str, tuple[Table, list[str]]] = {
    "customers": (Customer.__table__, [  # type: ignore[dict-item]
        "id", "name", "email", "phone", "phone_digits", "time_zone", "tier", "tags",
        "profile_note", "preferred_contact", "external_source", "external_id", "created_at",
        "updated_at", "version",
    ]),
    "cases": (Case.__table__, [  # type: ignore[dict-item]
        "id", "number", "customer_id", "subject", "category", "channel", "priority", "status",
        "escalated", "team_id", "assignee_id", "mood", "last_activity_at", "transfer_count",
        "reopen_count", "resolved_at", "closed_at", "external_source", "external_id",
        "created_at", "updated_at", "version",
    ]),
    "interactions": (Interaction.__table__, [  # type: ignore[dict-item]
        "id", "case_id", "customer_id", "channel", "direction", "author_id", "body",
        "duration_seconds", "occurred_at", "external_source", "external_id", "created_at",
    ]),
}  # fmt: skip


def _server_now(conn: Connection) -> datetime:
    if conn.dialect.name == "sqlite":
        value: Any = conn.execute(text("SELECT CURRENT_TIMESTAMP")).scalar()
    else:
        value = conn.execute(select(func.now())).scalar()
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _case_numbers(conn: Connection, count: int) -> Iterator[int]:
    """``count`` fresh case numbers (C-…), the dialect's own way (db/sequences.py)."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        yield from conn.execute(
            text("SELECT nextval('case_number_seq') FROM generate_series(1, :n)"), {"n": count}
        ).scalars()
    elif dialect in ("mysql", "mariadb"):
        for _ in range(count):
            yield int(conn.execute(text("SELECT NEXTVAL(case_number_seq)")).scalar_one())
    else:  # SQLite: this transaction holds the write lock, so MAX + 1 is ours
        first = int(
            conn.execute(text("SELECT COALESCE(MAX(number), 0) + 1 FROM cases")).scalar_one()
        )
        yield from range(first, first + count)


def explain(report: ImportReport, valid_only: bool) -> None:
    """Raise the report's verdict as InvalidInput when it imported nothing."""
    verdict = report.verdict(valid_only)
    if verdict:
        raise InvalidInput(verdict)
