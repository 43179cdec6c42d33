"""A new case from a call: finding the caller by name, email or phone as the rep types, or
creating them, then the case and what they said in one safe step."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from deskapp.db.models import Case, Customer, Interaction
from deskapp.domain.enums import CaseStatus, Channel, Direction
from deskapp.domain.errors import InvalidInput
from deskapp.services import customers, history
from deskapp.services.call_intake import CallIntake, PossibleDuplicate, open_case_from_call
from deskapp.services.customer_lookup import find_customers
from deskapp.services.customers import NewCustomer
from deskapp.services.unit_of_work import read_session
from tests.services.handoff_helpers import new_case

PEOPLE = [
    ("Margaret Okafor", "Margaret.Okafor@example.com", "+1 (555) 010-2030"),
    ("margot Lind", "margot@example.org", "+44 20 7946 0958"),
    ("Mark Okafor-Smith", "mark@okafor.example", "+49 30 901820"),
    ("Élodie Marchand", "elodie@example.fr", "+33 1 23 45 67 89"),
    ("Ann 100% Sure_Name", None, None),
]


@pytest.fixture
def people(db):
    ws, rep = db.sign_in("rep")
    ids = {
        name: customers.create_customer(ws, rep, NewCustomer(name, email, phone))
        for name, email, phone in PEOPLE
    }
    return ws, rep, ids


def _names(ws, text, **kw):
    return [m.name for m in find_customers(ws, text, **kw)]


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")  # collations differ: the search must not
def test_a_name_is_found_from_its_start_in_any_case_and_from_a_later_word(people):
    ws, _rep, _ids = people
    assert _names(ws, "marg") == ["margot Lind", "Margaret Okafor"] or _names(ws, "marg") == [
        "Margaret Okafor",
        "margot Lind",
    ]
    assert _names(ws, "MARGARET OKA") == ["Margaret Okafor"]
    assert _names(ws, "okafor") == ["Margaret Okafor", "Mark Okafor-Smith"]
    assert _names(ws, "élo") == ["Élodie Marchand"]
    assert _names(ws, "marchand") == ["Élodie Marchand"]
    assert _names(ws, "100%") == ["Ann 100% Sure_Name"], "% and _ are letters here"
    assert _names(ws, "sure_") == ["Ann 100% Sure_Name"]
    assert _names(ws, "zz") == [] and _names(ws, "   ") == []


def test_an_exact_name_comes_first(people):
    ws, rep, _ids = people
    customers.create_customer(ws, rep, NewCustomer("Mark"))
    assert _names(ws, "mark")[0] == "Mark"


def test_an_email_is_found_whatever_its_case(people):
    ws, _rep, ids = people
    [match] = find_customers(ws, "margaret.okafor@EXAMPLE")
    assert match.id == ids["Margaret Okafor"] and match.matched_on == "email"
    assert [m.name for m in find_customers(ws, "mark@")] == ["Mark Okafor-Smith"]


def test_a_phone_number_is_found_however_it_is_typed(people):
    ws, _rep, ids = people
    for typed in ("+1 555 010 2030", "(555) 010-2030", "0102030", "1555"):
        [match] = find_customers(ws, typed)
        assert match.id == ids["Margaret Okafor"], typed
        assert match.matched_on == "phone"


def test_matches_come_with_their_open_cases(db):
    ws, rep = db.sign_in("rep")
    case = new_case(ws, rep)  # for "Noor Haddad"
    [match] = find_customers(ws, "noor")
    assert match.id == case.customer_id
    assert match.open_cases == 1 and match.last_case_at == case.created_at
    with pytest.raises(InvalidInput, match="1 to 100"):
        find_customers(ws, "noor", limit=0)


def test_a_call_from_a_new_customer_opens_the_case_with_what_they_said_exactly_once(db):
    ws, rep = db.sign_in("rep")
    intake = CallIntake(
        db.team_id,
        "Router drops the line at night",
        new_customer=NewCustomer(
            "Priya Raman", "priya@example.in", "+91 98765 43210", time_zone="Asia/Kolkata"
        ),
        first_contact="Line drops every night around 2am since Tuesday.",
        duration_seconds=240,
    )

    made = open_case_from_call(ws, rep, intake)
    again = open_case_from_call(ws, rep, intake)  # the first reply was lost

    assert again == made
    assert made.case.status is CaseStatus.OPEN and made.case.assignee_id == rep.user_id
    assert made.first_contact is not None and made.first_contact.duration_seconds == 240
    assert made.first_contact.direction is Direction.INBOUND
    assert made.first_contact.waiting_since == made.first_contact.occurred_at
    with read_session(ws) as session:
        assert (
            session.scalar(
                select(func.count()).select_from(Customer).where(Customer.name == "Priya Raman")
            )
            == 1
        )
        assert session.scalar(select(func.count()).select_from(Case)) == 1
        assert session.scalar(select(func.count()).select_from(Interaction)) == 1
    card = history.customer_history(ws, made.customer_id)
    assert card.customer.time_zone == "Asia/Kolkata" and card.customer.phone == "+91 98765 43210"
    assert [m.id for m in find_customers(ws, "98765")] == [made.customer_id]


def test_a_call_from_someone_known_adds_a_case_to_their_history(db):
    ws, rep = db.sign_in("rep")
    earlier = new_case(ws, rep)
    made = open_case_from_call(
        ws,
        rep,
        CallIntake(
            db.team_id,
            "Second router also drops",
            customer_id=earlier.customer_id,
            channel=Channel.PHONE,
        ),
    )
    assert made.first_contact is None and made.customer_id == earlier.customer_id
    assert history.customer_profile(ws, earlier.customer_id).case_count == 2


def test_a_new_customer_with_a_known_email_or_phone_is_questioned_first(db):
    ws, rep = db.sign_in("rep")
    known = customers.create_customer(
        ws, rep, NewCustomer("Lena Vogel", "lena@example.de", "+49 30 1234567")
    )
    twin = CallIntake(
        db.team_id, "Billing question", new_customer=NewCustomer("L. Vogel", "LENA@example.de")
    )
    with pytest.raises(PossibleDuplicate, match="already belongs to Lena Vogel") as asked:
        open_case_from_call(ws, rep, twin)
    assert [m.id for m in asked.value.matches] == [known]
    by_phone = CallIntake(
        db.team_id, "Billing question", new_customer=NewCustomer("Leon Vogel", phone="030 1234567 ")
    )
    open_case_from_call(ws, rep, by_phone)  # other digits: not the same number

    confirmed = open_case_from_call(
        ws,
        rep,
        CallIntake(
            db.team_id,
            "Billing question",
            new_customer=NewCustomer("L. Vogel", "LENA@example.de"),
            allow_duplicate=True,
        ),
    )
    assert confirmed.customer_id != known


@pytest.mark.parametrize(
    ("intake", "message"),
    [
        (dict(subject="  "), "subject"),
        (dict(new_customer=NewCustomer(" ")), "needs a name"),
        (dict(new_customer=NewCustomer("Al", "not-an-email")), "not an email address"),
        (dict(new_customer=NewCustomer("Al", time_zone="Mars/Olympus")), "not a time zone"),
        (dict(new_customer=None), "Choose the customer"),
        (dict(customer_id=uuid.uuid4()), "Choose the customer"),
    ],
)
def test_an_incomplete_intake_is_refused_with_what_to_fix(db, intake, message):
    ws, rep = db.sign_in("rep")
    fields = {"subject": "Question", "new_customer": NewCustomer("Al Bundy"), **intake}
    with pytest.raises(InvalidInput, match=message):
        open_case_from_call(ws, rep, CallIntake(db.team_id, **fields))
