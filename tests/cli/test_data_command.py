"""``deskapp import`` and ``deskapp export`` from a shell: messages and exit codes."""

from __future__ import annotations

import pytest

from deskapp.cli import exit_codes
from deskapp.cli.main import main
from tests.services.import_helpers import CUSTOMERS, write


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.dialects("sqlite")  # --as is for local workspaces
def test_import_reports_rejects_writes_nothing_then_imports_the_valid_rows(db, tmp_path, capsys):
    url = str(db.url)
    path = write(tmp_path, "c.csv", CUSTOMERS + "c9,Bad,not-mail,,,\n")
    code, out = run(capsys, "import", "customers", str(path), "--db", url,
                    "--as", _admin_login(db))  # fmt: skip
    assert code == exit_codes.ERROR
    assert "line 5 email: “not-mail” is not an e-mail address" in out
    assert "Nothing was imported" in out
    code, out = run(capsys, "import", "customers", str(path), "--db", url, "--valid-only",
                    "--as", _admin_login(db))  # fmt: skip
    assert code == exit_codes.OK and "Imported 3 new record(s)" in out
    code, out = run(capsys, "import", "customers", str(path), "--db", url, "--valid-only",
                    "--as", _admin_login(db))  # fmt: skip
    assert code == exit_codes.OK and "already there" in out
    code, out = run(capsys, "export", "customers", str(tmp_path / "o.json"), "--db", url,
                    "--as", _admin_login(db))  # fmt: skip
    assert code == exit_codes.OK and "Exported 3 customers" in out


@pytest.mark.dialects("sqlite")
def test_a_rep_may_not_import(db, tmp_path, capsys):
    path = write(tmp_path, "c.csv", CUSTOMERS)
    code, out = run(capsys, "import", "customers", str(path), "--db", str(db.url),
                    "--as", _login(db, "rep"))  # fmt: skip
    assert code == exit_codes.ERROR and "Only an admin can import data" in out


def _login(db, who: str) -> str:
    from tests.helpers.databases import login_of

    return login_of(who)


def _admin_login(db) -> str:
    return _login(db, "admin")
