"""Case search (issue 4): what a rep types finds the case, on every dialect, through the
database's own full-text index (migration 0004), which stays current as rows are added and
changed; hostile text finds something or nothing, and never fails."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, select, text, update

from deskapp.db.engine import make_engine
from deskapp.db.models import Case, Customer, Interaction, WorkspaceSetting
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import Channel, Direction
from deskapp.services import cases, customers, interactions
from deskapp.services.case_search import case_matches, parse_search
from deskapp.services.demo import DemoSpec, build_demo
from deskapp.services.records import Actor
from deskapp.services.unit_of_work import read_session, write_session
from deskapp.services.workspace import Workspace
from tests.db.conftest import owner_url
from tests.services.handoff_helpers import hand_over

ALL_DIALECTS = ("sqlite", "postgresql", "mariadb")


@dataclass(frozen=True)
class Desk:
    ws: Workspace
    rep: Actor
    kettle: str  # case keys
    password: str
    kettle_id: uuid.UUID


def found(ws: Workspace, typed: str) -> set[str]:
    """The keys of the cases the search box finds for ``typed``."""
    condition = case_matches(ws.engine.dialect.name, typed)
    assert condition is not None, f"{typed!r} should be searchable"
    with read_session(ws) as session:
        numbers = session.scalars(select(Case.number).where(condition))
        return {format_case_key(n) for n in numbers}


def new_case(ws: Workspace, rep: Actor, customer: customers.NewCustomer, subject: str) -> str:
    assert rep.team_id is not None
    customer_id = customers.create_customer(ws, rep, customer)
    made = cases.create_case(ws, rep, cases.NewCase(customer_id, rep.team_id, subject,
                                                    Channel.EMAIL))  # fmt: skip
    return format_case_key(made.number)


def log(ws: Workspace, rep: Actor, case_id: uuid.UUID, body: str) -> None:
    interactions.log_interaction(
        ws, rep, interactions.NewInteraction(case_id, Channel.EMAIL, Direction.INBOUND, body)
    )


@pytest.fixture
def desk(db) -> Desk:
    """Two cases of two customers: a cracked kettle (with a call and a handoff note) and a
    password reset loop."""
    ws, rep = db.sign_in("rep")
    _, rep2 = db.sign_in("rep2")
    kettle = new_case(
        ws, rep,
        customers.NewCustomer("Wilhelmina Okonkwo-Brandt", email="W.Okonkwo@lantern.example",
                              phone="+31 (6) 1234 5678"),
        "Refund for the broken kettle",
    )  # fmt: skip
    password = new_case(
        ws, rep,
        customers.NewCustomer("Piet Jansen", email="piet@jansen.example", phone="020 555 0199"),
        "Password reset loop",
    )  # fmt: skip
    with read_session(ws) as session:
        kettle_id = session.scalars(select(Case.id).where(Case.subject.like("%kettle"))).one()
    log(ws, rep, kettle_id, "Customer wrote: the Zephyr 3000 arrived cracked, wants a refund.")
    hand_over(ws, rep, kettle_id, rep2.user_id,
              summary="Courier photographed the parcel undamaged; dispute pending.")  # fmt: skip
    return Desk(ws, rep, kettle, password, kettle_id)


@pytest.fixture
def owner(db) -> Iterator[Engine]:
    """The workspace's owner, for changes no person may make (rewriting an interaction)."""
    engine = make_engine(owner_url(db.dialect, db.url.database or ""))
    yield engine
    engine.dispose()


# ------------------------------------------------------------------------- finding
@pytest.mark.dialects(*ALL_DIALECTS)
def test_every_part_of_a_case_finds_it(desk):
    ws, kettle, password = desk.ws, {desk.kettle}, {desk.password}
    assert found(ws, "kettle") == kettle  # subject word
    assert found(ws, "Kett") == kettle  # prefix, any case
    assert found(ws, "pas") == password  # three letters
    assert found(ws, "lo") == password  # two letters: "loop"
    assert found(ws, "wilhelmina") == kettle  # customer name
    assert found(ws, "okonkwo brandt") == kettle
    assert found(ws, "w.okonkwo@lantern.example") == kettle  # e-mail, as stored or not
    assert found(ws, "W.OKONKWO@LANTERN.EXAMPLE") == kettle
    assert found(ws, "piet@jansen.example") == password
    assert found(ws, "zephyr") == kettle  # interaction text
    assert found(ws, "photographed") == kettle  # handoff note text
    assert found(ws, "dispute pend") == kettle
    assert found(ws, desk.kettle) == kettle  # case key
    assert found(ws, desk.kettle.lower()) == kettle


@pytest.mark.dialects(*ALL_DIALECTS)
def test_digits_find_the_phone_number_anywhere_in_it_and_the_case_number(desk):
    ws, kettle, password = desk.ws, {desk.kettle}, {desk.password}
    assert found(ws, "612345678") == kettle
    assert found(ws, "345") == kettle  # the middle of +31 6 1234 5678
    assert found(ws, "1234 56") == kettle  # typed with spaces
    assert found(ws, "+31 6 1234") == kettle
    assert found(ws, "555-0199") == password
    assert found(ws, "(020) 555") == password
    number = desk.password.removeprefix("C-")
    assert desk.password in found(ws, number)  # a bare number is also the case number


@pytest.mark.dialects(*ALL_DIALECTS)
def test_all_words_must_match_wherever_each_one_is(desk):
    ws = desk.ws
    assert found(ws, "wilhelmina zephyr refund") == {desk.kettle}  # name, call, subject
    assert found(ws, "wilhelmina password") == set()
    assert found(ws, "kettle zzzz") == set()


# ------------------------------------------------------------------------- staying current
@pytest.mark.dialects(*ALL_DIALECTS)
def test_new_interactions_notes_and_cases_are_found_at_once(desk, db):
    ws, rep = desk.ws, desk.rep
    assert found(ws, "gazebo") == set()
    log(ws, rep, desk.kettle_id, "Also asked about the gazebo order.")
    assert found(ws, "gazebo") == {desk.kettle}
    third = new_case(ws, rep, customers.NewCustomer("Ama Mensah"), "Gazebo poles missing")
    assert found(ws, "gazebo") == {desk.kettle, third}
    assert found(ws, "gazebo mensah") == {third}


@pytest.mark.dialects(*ALL_DIALECTS)
def test_changed_customers_subjects_and_bodies_are_found_as_they_are_now(desk, owner):
    ws = desk.ws
    with write_session(ws) as session:
        customer_id = session.scalars(
            select(Case.customer_id).where(Case.id == desk.kettle_id)
        ).one()
        session.execute(
            update(Customer)
            .where(Customer.id == customer_id)
            .values(name="Mina Brandt", email="mina@brandt.example", phone_digits="4420799")
        )
    with owner.begin() as conn:  # the kettle is rep2's now: not the rep's to rename
        conn.execute(
            update(Case).where(Case.id == desk.kettle_id).values(subject="Teapot lid missing")
        )
    assert found(ws, "wilhelmina") == set()
    assert found(ws, "612345678") == set()
    assert found(ws, "kettle") == set()
    assert found(ws, "mina brandt teapot") == {desk.kettle}
    assert found(ws, "mina@brandt.example") == {desk.kettle}
    assert found(ws, "20799") == {desk.kettle}

    # An erasure request rewrites an interaction behind the app (the owner may; people may not).
    with owner.begin() as conn:
        conn.execute(
            update(Interaction)
            .where(Interaction.case_id == desk.kettle_id)
            .values(body="[redacted]")
        )
    assert found(ws, "zephyr") == set()
    assert found(ws, "redacted teapot") == {desk.kettle}
    assert_index_matches_the_text(owner)


def assert_index_matches_the_text(owner: Engine) -> None:
    """SQLite: the FTS5 index holds exactly the terms of the documents it indexes (a trigger
    that removed a document's old terms wrongly would leave them behind)."""
    if owner.dialect.name == "sqlite":
        with owner.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO case_search_fts(case_search_fts, rank) VALUES ('integrity-check', 1)"
            )


# ------------------------------------------------------------------------- hostile text
HOSTILE = [
    '"kettle',
    'kettle"',
    "'; DROP TABLE cases; --",
    "kettle AND OR NOT NEAR(x y) * ^ : - + ( )",
    "NEAR(kettle refund, 2)",
    "subject:kettle",
    "^kettle",
    "-kettle",
    "+kettle*",
    "kettle & | ! <-> :* \\",
    "kettle % _ \\%",
    "ke%tle",
    "😀🔥 kettle 👍🏽",
    "ｋｅｔｔｌｅ",  # full-width letters: the same word
    "kettle\x00refund",
    "\u202eelttek",
    "a" * 10_000,
    "kettle " * 2_000,
    "x@y",
    "w.okonkwo\x00@lantern.example",
    "\ud800kettle@lantern.example",
    "𝐤𝐞𝐭𝐭𝐥𝐞@𝐥𝐚𝐧𝐭𝐞𝐫𝐧.io",
    "ké%_\\@lantern.example",
    "١٢٣٤",
    "²³⁴",
    "@@@",
    "C-99999999999999999999999",
    "9" * 40,
]


@pytest.mark.dialects(*ALL_DIALECTS)
def test_hostile_text_finds_something_or_nothing_and_never_fails(desk):
    dialect = desk.ws.engine.dialect.name
    for typed in HOSTILE:
        condition = case_matches(dialect, typed)
        if condition is None:
            continue
        with read_session(desk.ws) as session:  # raises on an error: the test fails
            keys = session.scalars(select(Case.number).where(condition)).all()
        assert len(keys) <= 2, typed


@pytest.mark.dialects(*ALL_DIALECTS)
def test_operators_are_searched_as_words_not_obeyed(desk):
    ws = desk.ws
    assert found(ws, '"kettle"') == {desk.kettle}
    assert found(ws, "-kettle") == {desk.kettle}  # not "everything but"
    assert found(ws, "kettle*") == {desk.kettle}
    assert found(ws, "ｋｅｔｔｌｅ") == {desk.kettle}
    assert found(ws, "😀 kettle") == {desk.kettle}
    assert found(ws, "loop:password") == {desk.password}  # two words, no column filter


@pytest.mark.parametrize("typed", ["", "   ", "...", "😀🔥", "- + * ( )", "x", '"', "a b c"])
def test_text_with_nothing_to_search_for_gives_no_condition(typed):
    for dialect in ALL_DIALECTS:
        assert case_matches(dialect, typed) is None


def test_what_a_search_text_asks_for():
    assert parse_search("C-1234").case_number == 1234
    assert parse_search("C-1234").only_case_number
    assert parse_search("1234").case_number == 1234
    assert parse_search("1234").phone_digits == "1234"
    assert parse_search("+31 (6) 1234").phone_digits == "3161234"
    assert parse_search("+31 (6) 1234").case_number is None
    assert parse_search("12").phone_digits is None  # too short to mean a phone number
    assert parse_search("Jo@Example.com").email == "jo@example.com"
    assert parse_search("José Müller").words == ("jose", "muller")
    assert len(parse_search("w " * 500 + "ab " * 500).words) <= 8


# ------------------------------------------------------------------------- bulk loads
@pytest.mark.dialects(*ALL_DIALECTS)
def test_a_bulk_loaded_demo_is_searchable_and_leaves_the_triggers_on(db, owner):
    ws, _admin = db.sign_in("admin")
    build_demo(ws, DemoSpec(cases=300, seed=5))
    with read_session(ws) as session:
        number, subject = session.execute(
            select(Case.number, Case.subject).order_by(Case.number.desc()).limit(1)
        ).one()
        paused = session.scalar(
            select(WorkspaceSetting.key).where(WorkspaceSetting.key == "case_search.paused")
        )
        indexed = session.scalar(text("SELECT COUNT(*) FROM case_search_fts"))
    assert paused is None
    assert indexed == 300
    assert format_case_key(number) in found(ws, subject)
    assert_index_matches_the_text(owner)

    rep_ws, rep = db.sign_in("rep")
    later = new_case(rep_ws, rep, customers.NewCustomer("Ola Quist"), "Quokka plush arrived torn")
    assert found(rep_ws, "quokka") == {later}
