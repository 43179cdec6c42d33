"""``deskapp admin redact``: an admin erases a customer named by e-mail or id, after saying whom
it concerns and asking (``--yes`` for scripts); a rep is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from deskapp.cli import exit_codes
from deskapp.cli.connect import PASSWORD_ENV
from deskapp.db.models import Customer
from deskapp.domain.enums import Channel
from deskapp.services import audit_verify, cases, customers
from deskapp.services.redaction_marks import MARKER
from deskapp.services.unit_of_work import read_session
from tests.cli.conftest import Run
from tests.helpers.databases import PASSWORD, TestDatabase, login_of

pytestmark = pytest.mark.dialects("sqlite", "postgresql")
EMAIL = "marta.lindqvist@fjord.example"


def address(db: TestDatabase, who: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The --db address of ``who``'s own login (SQLite: the file)."""
    if db.dialect == "sqlite":
        return db.url.render_as_string(hide_password=False)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return db.url.set(username=login_of(who)).render_as_string(hide_password=False)


@pytest.fixture
def marta(db: TestDatabase):
    ws, rep = db.sign_in("rep")
    assert rep.team_id is not None
    new = customers.NewCustomer("Marta Lindqvist", email=EMAIL)
    customer_id = customers.create_customer(ws, rep, new)
    cases.create_case(ws, rep, cases.NewCase(customer_id, rep.team_id, "Marta's broken oven",
                                             Channel.PHONE))  # fmt: skip
    return ws, customer_id


def name_of(ws, customer_id) -> str:
    with read_session(ws) as session:
        return session.scalars(select(Customer.name).where(Customer.id == customer_id)).one()


def test_an_admin_erases_a_customer_by_email_with_yes(deskapp: Run, db, marta, monkeypatch):
    ws, customer_id = marta
    done = deskapp("admin redact --customer", EMAIL, "--reason", "Request ER-77", "--yes",
                   "--db", address(db, "admin", monkeypatch))  # fmt: skip

    assert done.code == exit_codes.OK, done.err
    assert f"Erased the personal data of customer {customer_id}: 1 case, 0 interactions" in done.out
    assert "Marta" not in done.out
    assert name_of(ws, customer_id) == MARKER
    admin_ws, admin = db.sign_in("admin")
    assert audit_verify.verify_workspace(admin_ws, admin).whole


def test_without_yes_it_asks_and_a_script_is_told_to_confirm(deskapp: Run, db, marta,
                                                            monkeypatch):  # fmt: skip
    ws, customer_id = marta
    where = address(db, "admin", monkeypatch)
    line = ["--customer", str(customer_id), "--reason", "ER-78", "--db", where]

    script = deskapp("admin redact", *line)  # stdin is no terminal here
    assert script.code == exit_codes.ERROR and "add --yes" in script.err

    monkeypatch.setattr("deskapp.cli.redact_command.person_at_terminal", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    kept = deskapp("admin redact", *line)
    assert kept.code == exit_codes.OK and "Nothing was changed" in kept.out
    assert "Marta Lindqvist <marta.lindqvist@fjord.example>" in kept.out  # says whom
    assert name_of(ws, customer_id) == "Marta Lindqvist"

    monkeypatch.setattr("builtins.input", lambda prompt: "ERASE")
    assert deskapp("admin redact", *line).code == exit_codes.OK
    assert name_of(ws, customer_id) == MARKER


def test_a_rep_is_refused_and_an_unknown_customer_is_named(deskapp: Run, db, marta, monkeypatch):
    ws, customer_id = marta
    if db.dialect == "postgresql":  # SQLite has no logins: the file's owner is its admin
        refused = deskapp("admin redact --customer", EMAIL, "--reason", "ER", "--yes", "--db",
                          address(db, "rep", monkeypatch))  # fmt: skip
        assert refused.code == exit_codes.ERROR and "Only an admin" in refused.err
    unknown = deskapp("admin redact --customer nobody@nowhere.example --reason ER --yes --db",
                      address(db, "admin", monkeypatch))  # fmt: skip
    assert unknown.code == exit_codes.ERROR and "No customer" in unknown.err
    assert name_of(ws, customer_id) == "Marta Lindqvist"
