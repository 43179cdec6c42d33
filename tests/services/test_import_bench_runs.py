"""The import benchmark (tests/bench/bench_import.py) still runs, at a CI size: its files
import whole, every kind is timed and the table is printed. Speed is not asserted here."""

from __future__ import annotations

from tests.bench import bench_import


def test_the_import_benchmark_imports_every_kind_and_prints_its_table(tmp_path) -> None:
    timings = bench_import.bench(3000, tmp_path)
    assert [(t.kind, t.rows) for t in timings] == [
        ("customers", 3000), ("cases", 3000), ("interactions", 3000)]  # fmt: skip
    assert all(t.per_second > 0 and t.report.written for t in timings)
    printed = bench_import.table(timings)
    assert printed.count("\n") == 4 and "| cases | 3,000 |" in printed
