"""Canned-response files: reading JSON and CSV into plain rows, and writing them back.

JSON is the starter library's own format (``{"format": "deskapp.canned_responses", "version":
1, "responses": [...]}``; a bare list of responses is read too). CSV has a header line naming
its columns, any order, ``tags`` comma-separated.

Spreadsheets run a cell that starts with ``= + - @`` (or a tab or carriage return) as a formula,
so exported cells that would are prefixed with an apostrophe; a cell that already starts with
apostrophes before such a character gets one more, which makes the change exactly reversible.
The importer takes that apostrophe off again in files with Deskapp's own header line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# The formula guard is shared with the data export (tabular_text.py); re-exported here.
from deskapp.services.tabular_text import neutralize as neutralize
from deskapp.services.tabular_text import read_bytes
from deskapp.services.tabular_text import restore as restore

Format = Literal["json", "csv"]
FORMAT_NAME = "deskapp.canned_responses"
FORMAT_VERSION = 1
COLUMNS = ("title", "shortcut", "category", "tags", "scope", "team", "body")  # exported order
REQUIRED = ("title", "category", "body")
MAX_FILE_BYTES = 10_000_000

Value = str | list[str] | None


@dataclass(frozen=True)
class RawRow:
    number: int  # as the person finds it: a spreadsheet's row (header = 1), a JSON item (1 up)
    values: dict[str, Value]
    problems: tuple[str, ...] = ()  # what was wrong with the row's shape


@dataclass
class ReadFile:
    source: str
    format: Format
    rows: list[RawRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # the file as a whole: nothing imports


# ------------------------------------------------------------------------ reading
def read_rows(path_or_text: Path | str, format: Format | None = None) -> ReadFile:
    """A file (a Path) or the text itself (a str) as rows; never raises for bad content."""
    if isinstance(path_or_text, Path):
        source, text, problem = str(path_or_text), *_read_text(path_or_text)
    else:
        source, text, problem = "the text given", path_or_text, None
    chosen = format or _guess_format(path_or_text, text or "")
    result = ReadFile(source, chosen)
    if problem is not None or text is None:
        result.problems.append(problem or f"{source} could not be read.")
        return result
    if chosen == "json":
        _read_json(text, result)
    else:
        _read_csv(text, result)
    if not result.rows and not result.problems:
        result.problems.append(f"{source} holds no responses.")
    return result


def _read_text(path: Path) -> tuple[str | None, str | None]:
    data, problem = read_bytes(path, MAX_FILE_BYTES, "canned-response file")
    if data is None:
        return None, problem
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, (
            f"{path} is not UTF-8 text (byte {exc.start + 1} cannot be read as UTF-8). Save it "
            "as UTF-8 (in a spreadsheet: “CSV UTF-8”) and try again."
        )


def _guess_format(path_or_text: Path | str, text: str) -> Format:
    if isinstance(path_or_text, Path) and path_or_text.suffix.lower() in (".json", ".csv"):
        return "json" if path_or_text.suffix.lower() == ".json" else "csv"
    return "json" if text.lstrip()[:1] in ("{", "[") else "csv"


def _read_json(text: str, result: ReadFile) -> None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        result.problems.append(
            f"{result.source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        )
        return
    items = document.get("responses") if isinstance(document, dict) else document
    if not isinstance(items, list):
        result.problems.append(
            f"{result.source} is not a canned-response file: expected a list of responses, or "
            f'an object with "format": "{FORMAT_NAME}" and a "responses" list.'
        )
        return
    for number, item in enumerate(items, start=1):
        result.rows.append(_json_row(number, item))


def _json_row(number: int, item: object) -> RawRow:
    if not isinstance(item, dict):
        return RawRow(number, {}, ("is not an object with title, category and body",))
    problems = [f"has no “{name}”" for name in REQUIRED if name not in item]
    values: dict[str, Value] = {}
    for name in COLUMNS:
        value = item.get(name)
        if name == "tags" and isinstance(value, list):
            if all(isinstance(tag, str) for tag in value):
                values[name] = list(value)
                continue
            problems.append("has tags that are not all text")
        elif value is None or isinstance(value, str):
            values[name] = value
        else:
            problems.append(f"has a “{name}” that is not text")
    unknown = sorted(set(item) - set(COLUMNS))
    if unknown:
        problems.append(f"has fields Deskapp does not know: {', '.join(unknown)}")
    return RawRow(number, values, tuple(problems))


def _read_csv(text: str, result: ReadFile) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [" ".join(name.split()).lower() for name in next(reader, [])]
        problems = _header_problems(header)
        if problems:
            result.problems.extend(f"{result.source}: {p}" for p in problems)
            return
        ours = tuple(header) == COLUMNS
        for number, cells in enumerate(reader, start=2):
            if cells:  # a blank line is no row
                result.rows.append(_csv_row(number, header, cells, ours))
    except csv.Error as exc:
        result.problems.append(
            f"{result.source} is not valid CSV near line {reader.line_num}: {exc}. Check "
            "that quotes around text with commas or line breaks are closed."
        )


def _header_problems(header: Sequence[str]) -> list[str]:
    if not any(header):
        return ["the first line must name the columns: " + ", ".join(COLUMNS) + "."]
    found = [f"there is no “{name}” column." for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        found.append(
            f"Deskapp does not know the column(s) {', '.join(unknown)}; the columns "
            f"are {', '.join(COLUMNS)}."
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        found.append(f"the column(s) {', '.join(repeated)} appear more than once.")
    return found


def _csv_row(number: int, header: Sequence[str], cells: list[str], ours: bool) -> RawRow:
    problems = []
    if len(cells) > len(header):
        problems.append(f"has {len(cells)} cells but the header names {len(header)} columns")
    missing = [name for name in header[len(cells) :] if name in REQUIRED]
    if missing:
        problems.append(f"is missing the column(s) {', '.join(missing)}")
    values: dict[str, Value] = {}
    for name, cell in zip(header, cells, strict=False):
        cell = restore(cell) if ours else cell
        values[name] = [t for t in cell.split(",")] if name == "tags" else cell
    return RawRow(number, values, tuple(problems))


# ------------------------------------------------------------------------ writing
def as_json(responses: list[dict[str, Value]]) -> str:
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "responses": responses}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def as_csv(responses: list[dict[str, Value]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for response in responses:
        cells = []
        for name in COLUMNS:
            value = response.get(name)
            text = ", ".join(value) if isinstance(value, list) else (value or "")
            cells.append(neutralize(text))
        writer.writerow(cells)
    return out.getvalue()
