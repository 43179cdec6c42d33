"""Thousands of malformed files thrown at the importer (random with a fixed seed, so a failure
reproduces): reading never crashes, and a file that is rejected leaves the workspace unchanged.

Every file is parsed and checked down to the last record (no database: a few thousand a
second); every twentieth also goes through a real import, checked against the database."""

from __future__ import annotations

import json
import random
from pathlib import Path

from deskapp.services.data_import import ImportRequest, run_import, source_from_bytes
from tests.services.import_helpers import CASES, CUSTOMERS, fingerprint, import_all, write
from tests.services.test_data_import import FRESHDESK, ZENDESK

SEED = 20261124
FILES = 3000
THROUGH_THE_DATABASE = 40  # every n-th file


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One of the ways files go wrong, sometimes several at once."""
    for _ in range(rng.randint(1, 3)):
        choice = rng.randrange(10)
        at = rng.randrange(len(data) + 1)
        if choice == 0:  # flipped bytes
            data = bytearray(data)  # type: ignore[assignment]
            for _ in range(rng.randint(1, 8)):
                if data:
                    data[rng.randrange(len(data))] = rng.randrange(256)  # type: ignore[index]
            data = bytes(data)
        elif choice == 1:  # cut short
            data = data[:at]
        elif choice == 2:  # a stray quote or delimiter
            data = data[:at] + rng.choice([b'"', b";", b"\t", b",", b"\r", b"\n", b"'"]) + data[at:]
        elif choice == 3:  # random bytes
            data = data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]
        elif choice == 4:  # another encoding
            try:
                data = data.decode("utf-8").encode(rng.choice(["utf-16", "utf-16-be", "cp1252"]))
            except (UnicodeError, ValueError):
                data = data[::-1]
        elif choice == 5:  # a line repeated (duplicate ids)
            lines = data.split(b"\n")
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(lines))
            data = b"\n".join(lines)
        elif choice == 6:  # a cell made long, or a formula
            data = data[:at] + rng.choice([b"x" * 5000, b"=1+2", b"@SUM(A1)", b"\x00"]) + data[at:]
        elif choice == 7:  # columns swapped around in the header
            lines = data.split(b"\n", 1)
            cells = lines[0].split(b",")
            rng.shuffle(cells)
            data = b",".join(cells) + (b"\n" + lines[1] if len(lines) > 1 else b"")
        elif choice == 8:  # JSON values of the wrong type
            data = data.replace(b'"id": ', rng.choice([b'"id": null, "x": ', b'"id": [1], "y": ']))
        else:  # nothing useful at all
            data = rng.choice([b"", b"\n", b"{}", b"[]", b"null", b'"text"', b"\xff\xfe", b","])
    return data


SEEDS = [
    ("customers", "customers.csv", CUSTOMERS.encode()),
    ("cases", "cases.csv", CASES.encode()),
    ("cases", "zendesk.json", json.dumps(ZENDESK).encode()),
    ("cases", "freshdesk.csv", FRESHDESK.encode()),
]


def test_thousands_of_malformed_files_never_crash_and_rejected_ones_change_nothing(
    db, tmp_path: Path
):
    ws, admin = db.sign_in("admin")
    import_all(ws, admin, tmp_path)  # customers and cases to refer to, and to re-import
    rng = random.Random(SEED)
    rejected = imported = 0
    for n in range(FILES):
        kind, name, good = rng.choice(SEEDS)
        data = mutate(rng, good)
        request = ImportRequest(kind, tmp_path / name)  # type: ignore[arg-type]
        source, _decoded, problem = source_from_bytes(request, data)
        assert (source is None) == (problem is not None)
        if source is not None:
            for record in source.records:  # every record's shape judged, no exception
                assert record.line >= 0
        if n % THROUGH_THE_DATABASE:
            continue
        write(tmp_path, name, data)
        before = fingerprint(ws)
        report = run_import(ws, admin, request)
        if report.written:
            imported += 1
            assert report.ok and report.new > 0
        else:
            rejected += 1
            assert fingerprint(ws) == before, f"file {n} was rejected but changed the workspace"
            assert report.file_problems or report.problems or report.rows == 0 or not report.new
    assert rejected > 25 and imported >= 1  # the fuzzing reached both outcomes
