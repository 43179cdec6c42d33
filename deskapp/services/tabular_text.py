"""Text files people bring and take away: reading their bytes, guessing their encoding and
delimiter, and keeping exported cells from running as spreadsheet formulas.

Shared by the canned-response files (canned_files.py) and the data import/export
(data_import.py, data_export.py), so both read and write files the same way.

Spreadsheets run a cell that starts with ``= + - @`` (or a tab or carriage return) as a formula,
so exported cells that would are prefixed with an apostrophe; a cell that already starts with
apostrophes before such a character gets one more, which makes the change exactly reversible:
an importer reading a file with Deskapp's own header line takes that apostrophe off again.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from pathlib import Path

_NEEDS_APOSTROPHE = re.compile(r"^'*[=+\-@\t\r]")
_HAS_OUR_APOSTROPHE = re.compile(r"^'+[=+\-@\t\r]")
DELIMITERS = ",;\t|"
_SNIFF_CHARS = 64_000
# A 10 MB cell (a pasted e-mail thread) must be read, then judged by the field's own limit,
# not die in the csv module's 128 KiB default. Process-wide, and only ever raised.
CSV_FIELD_LIMIT = 64 * 1024 * 1024
if csv.field_size_limit() < CSV_FIELD_LIMIT:
    csv.field_size_limit(CSV_FIELD_LIMIT)


# ------------------------------------------------------------------------ formulas
def neutralize(cell: str) -> str:
    return "'" + cell if _NEEDS_APOSTROPHE.match(cell) else cell


def restore(cell: str) -> str:
    return cell[1:] if _HAS_OUR_APOSTROPHE.match(cell) else cell


# ------------------------------------------------------------------------ reading
def read_bytes(
    path: Path, max_bytes: int | None = None, what: str = "file"
) -> tuple[bytes | None, str | None]:
    """The file's bytes, or None and a sentence saying why not (never raises for I/O)."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            return None, (
                f"{path} is {size / 1_000_000:.1f} MB; a {what} may be at most "
                f"{max_bytes // 1_000_000} MB. Split it into smaller files."
            )
        return path.read_bytes(), None
    except FileNotFoundError:
        return None, f"{path}: no such file. Check the path and try again."
    except IsADirectoryError:
        return None, f"{path} is a folder, not a file."
    except OSError as exc:
        return None, f"{path} cannot be read ({exc.strerror or exc})."


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # what it was read as, for the report ("UTF-8", "UTF-16", "Windows-1252")


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def decode_any(data: bytes) -> Decoded | str:
    """Text from the encodings spreadsheets and helpdesks write: a byte-order mark decides;
    else UTF-16 without one (every other byte zero), else UTF-8, else Windows-1252 (Excel's
    "CSV" on Western Windows, a superset of Latin-1 for every printable character).
    Returns a sentence instead when the bytes are not text at all."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), name)
            except UnicodeDecodeError as exc:
                return f"the file starts like {name} text but byte {exc.start + 1} is not {name}."
    head = data[:4096]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        return _decode_or_say(data, "utf-16-le", "UTF-16")
    if len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
        return _decode_or_say(data, "utf-16-be", "UTF-16")
    if b"\x00" in head:
        return "it holds binary data (zero bytes), not text: it is neither CSV nor JSON."
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > max(8, len(text) // 1000):
        return (
            "it is not text in UTF-8, UTF-16 or Windows-1252/Latin-1: it is neither CSV nor JSON."
        )
    # cp1252 leaves five bytes undefined; Latin-1 reads them as control characters instead.
    return Decoded(data.decode("latin-1") if "\ufffd" in text else text, "Windows-1252")


def _decode_or_say(data: bytes, codec: str, name: str) -> Decoded | str:
    try:
        return Decoded(data.decode(codec), name)
    except UnicodeDecodeError as exc:
        return f"the file looks like {name} text but byte {exc.start + 1} is not {name}."


def looks_binary(text: str) -> bool:
    """Control characters no CSV or JSON holds, in the first few thousand characters."""
    head = text[:8192]
    odd = sum(1 for ch in head if ord(ch) < 32 and ch not in "\t\r\n\f")
    return odd > max(2, len(head) // 100)


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: the one that splits the first lines into the same number of
    cells (more than one), quotes respected; a comma when nothing decides."""
    sample = text[:_SNIFF_CHARS]
    lines = sample.splitlines()[:20]
    if len(sample) == _SNIFF_CHARS and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    best, best_cells = ",", 1
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            continue
        widths = {len(row) for row in rows if row}
        if len(widths) == 1:
            cells = widths.pop()
            if cells > best_cells:
                best, best_cells = delimiter, cells
    if best_cells == 1 and lines:  # rows of uneven width: the header line decides
        counts = {d: next(csv.reader(lines[:1], delimiter=d), []).__len__() for d in DELIMITERS}
        widest = max(counts, key=lambda d: counts[d])
        if counts[widest] > 1:
            best = widest
    return best
