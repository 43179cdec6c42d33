"""Importing customers, cases and interactions from CSV, Zendesk and Freshdesk files.

One pass over the file does everything: every record is checked (its values, its references,
duplicates inside the file: import_rows.py) and, when writing, inserted in chunks in ONE
transaction (import_load.py). Any rejected row stops the inserting and the transaction is
rolled back at the end, so nothing is half-written, while the checking carries on to the end
for a complete report (line, column, reason: import_report.py). With ``valid_only`` the
rejected rows are left out and the rest is committed. A preview is the same pass without
writing.

Idempotent on the source's ids: a record whose (external_source, external_id) is already in
the workspace is skipped ("already imported"), so running an import twice, or again after a
lost reply, never duplicates (the unique keys of migration 0001 guarantee it besides).

Modules: import_sources.py reads the file's shape into records, import_values.py reads one
cell, import_references.py what the workspace holds already, import_rows.py checks records,
import_load.py writes them (import_writer.py's thread, import_search.py's index upkeep),
import_report.py tells the admin.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection

from deskapp.db.bulk import sqlite_loading
from deskapp.db.engine import WRITE_OPTIONS
from deskapp.domain.enums import Role
from deskapp.domain.errors import InvalidInput
from deskapp.services import import_load
from deskapp.services import import_sources as sources
from deskapp.services import import_values as v
from deskapp.services.import_load import ChunkedLoad, Progress
from deskapp.services.import_references import default_team, kinds_needed, load_references
from deskapp.services.import_report import (
    ImportReport,
    KindCount,
    Problem,
    SampleRow,
    Tally,
    with_changes,
)
from deskapp.services.import_rows import RowChecker
from deskapp.services.import_sources import Kind, Source, SourceFormat
from deskapp.services.permissions import require_role
from deskapp.services.records import Actor
from deskapp.services.tabular_text import Decoded, decode_any, looks_binary, read_bytes
from deskapp.services.workspace import Workspace

# The report's classes are part of this module's interface (the window, the command line).
__all__ = [
    "ImportReport",
    "ImportRequest",
    "KindCount",
    "Problem",
    "Progress",
    "SampleRow",
    "explain",
    "open_source",
    "preview_import",
    "run_import",
    "source_from_bytes",
]

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


def explain(report: ImportReport, valid_only: bool) -> None:
    """Raise the report's verdict as InvalidInput when it imported nothing."""
    verdict = report.verdict(valid_only)
    if verdict:
        raise InvalidInput(verdict)


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
        return with_changes(base, file_problems=tuple(source.problems + options))
    report = progress or (lambda stage, done, total: None)
    engine = ws.engine.execution_options(**WRITE_OPTIONS) if write else ws.engine
    big = write and import_load.is_big(source.estimated_rows)
    # A page cache of about 1 KB a row, 256 MB to 1 GB: a million rows stay in memory.
    cache_mb = min(1024, max(256, source.estimated_rows // 1000))
    tally = Tally()
    with engine.connect() as conn, sqlite_loading(conn, cache_mb) if big else nullcontext():
        transaction = conn.begin()
        try:
            if _one_pass(conn, actor, request, source, write, report, tally):
                transaction.commit()
                written = True
            else:
                transaction.rollback()
                written = False
        except BaseException:
            transaction.rollback()
            raise
    report("done", tally.rows, tally.rows)
    return with_changes(
        base,
        problems=tuple(tally.problems),
        problem_count=tally.problem_count,
        notes=tuple(source.notes + tally.notes),
        counts=tally.kind_counts(),
        sample=tuple(tally.sample),
        rows=tally.rows,
        written=written,
    )


def _one_pass(
    conn: Connection,
    actor: Actor,
    request: ImportRequest,
    source: Source,
    write: bool,
    progress: Progress,
    tally: Tally,
) -> bool:
    """Check every record and (``write``) load the new ones; True when the load is complete
    and is to be committed."""
    origin = source.format if source.format != "csv" else request.source.strip()
    needs = kinds_needed(request.kind, source.format)
    rules = v.DateRules(request.day_first, ZoneInfo(request.time_zone))
    known = load_references(conn, origin, needs)
    load = ChunkedLoad(conn, write, request.kind, needs, source.format == "csv",
                       source.estimated_rows, known)  # fmt: skip
    checker = RowChecker(source, origin, rules, request.valid_only, known,
                         default_team(known, request.team, actor), load, tally,
                         ids_as_bytes=conn.dialect.name != "postgresql")  # fmt: skip
    if checker.lacks_team(needs, request.team):
        return False
    load.start()
    try:
        checker.check_all(needs, progress)
        load.flush_all()
    except BaseException:
        load.cancel()
        raise
    load.close()  # raises a failed insert here
    commit = write and tally.new_rows > 0 and (request.valid_only or not tally.rejected_rows)
    if commit:
        load.finish(progress, tally.rows)
    return commit


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
