"""Maintaining the canned-response library: who may write which scope, stale edits, retiring,
duplicate shortcuts and suggested edits, as real people on SQLite and PostgreSQL; and on
PostgreSQL the database itself refusing a rep's raw SQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import DBAPIError

from deskapp.db.models import CannedResponse, CannedSuggestion
from deskapp.domain.canned_validation import SuggestionStatus
from deskapp.domain.enums import CannedScope, Role
from deskapp.domain.errors import NotFound, PermissionDenied, StaleEdit
from deskapp.services import audit, auth, canned, teams, users
from deskapp.services.canned_library import (
    CannedDraft,
    CannedInvalid,
    can_edit,
    create_response,
    decide_suggestion,
    editable_scopes,
    pending_suggestions,
    retire_response,
    suggest_edit,
    update_response,
)
from deskapp.services.records import Actor
from tests.helpers.databases import PASSWORD, RUN

PERSONAL, TEAM, GLOBAL = CannedScope.PERSONAL, CannedScope.TEAM, CannedScope.GLOBAL


def draft(
    scope: CannedScope, title: str, shortcut: str | None = None, body: str = ""
) -> CannedDraft:
    return CannedDraft(
        scope,
        title,
        shortcut,
        "greeting",
        ("email",),
        body or f"Hi {{{{customer.first_name}}}}, {title.lower()}.",
    )


def _other_team_lead(db) -> tuple[object, Actor]:
    """A lead of another team, with a login of their own on a server."""
    ws = db.open("admin")
    setup = auth.setup_actor(ws)
    billing = teams.create_team(ws, setup, "Billing")
    login = f"{RUN}_billing_lead_{uuid.uuid4().hex[:6]}"
    users.add_user(
        ws,
        setup,
        login=login,
        display_name="Bo Billing",
        role=Role.LEAD,
        team_id=billing.id,
        password=PASSWORD if ws.is_server else None,
    )
    return db.sign_in(login)


def test_editable_scopes_grow_with_the_role():
    person = uuid.uuid4()

    def actor(role: Role, user: uuid.UUID | None = person) -> Actor:
        return Actor("x", "X", role, user, uuid.uuid4())

    assert editable_scopes(actor(Role.REP)) == {PERSONAL}
    assert editable_scopes(actor(Role.LEAD)) == {PERSONAL, TEAM}
    assert editable_scopes(actor(Role.ADMIN)) == {PERSONAL, TEAM, GLOBAL}
    assert editable_scopes(actor(Role.ADMIN, None)) == {TEAM, GLOBAL}  # the setup account


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_each_role_writes_its_own_scopes_and_no_more(db):
    ws, rep = db.sign_in("rep")
    mine = create_response(ws, rep, draft(PERSONAL, "My hello", "myhi"))
    assert (mine.scope, mine.owner_id, mine.version) == (PERSONAL, rep.user_id, 1)
    for scope in (TEAM, GLOBAL):
        with pytest.raises(PermissionDenied, match="Only"):
            create_response(ws, rep, draft(scope, "Not mine to write"))

    ws_lead, lead = db.sign_in("lead")
    team = create_response(ws_lead, lead, draft(TEAM, "Team hello", "teamhi"))
    assert team.team_id == db.team_id
    with pytest.raises(PermissionDenied, match="Only an admin"):
        create_response(ws_lead, lead, draft(GLOBAL, "Global by a lead"))

    ws_admin, admin = db.sign_in("admin")
    everyone = create_response(ws_admin, admin, draft(GLOBAL, "Global hello", "ghi"))
    assert {r.id for r in canned.usable_responses(ws, rep)} == {mine.id, team.id, everyone.id}
    assert [can_edit(rep, r) for r in (mine, team, everyone)] == [True, False, False]
    assert [can_edit(lead, r) for r in (mine, team, everyone)] == [False, True, False]
    assert [can_edit(admin, r) for r in (mine, team, everyone)] == [False, True, True]


def test_a_lead_edits_only_their_own_teams_responses(db):
    ws_lead, lead = db.sign_in("lead")
    team = create_response(ws_lead, lead, draft(TEAM, "Support hello"))
    ws_other, other = _other_team_lead(db)
    assert not can_edit(other, team)
    with pytest.raises(PermissionDenied, match="team's lead or an admin"):
        update_response(ws_other, other, team.id, team.version, draft(TEAM, "Taken over"))
    ws_rep, rep = db.sign_in("rep")
    with pytest.raises(PermissionDenied):
        retire_response(ws_rep, rep, team.id, team.version)
    ws_admin, admin = db.sign_in("admin")
    edited = update_response(ws_admin, admin, team.id, team.version, draft(TEAM, "Hello, all"))
    assert (edited.title, edited.team_id, edited.version) == ("Hello, all", db.team_id, 2)


def test_a_stale_edit_is_refused_and_changes_nothing(db):
    ws, rep = db.sign_in("rep")
    first = create_response(ws, rep, draft(PERSONAL, "Callback", "cb"))
    saved = update_response(ws, rep, first.id, 1, draft(PERSONAL, "Callback today", "cb"))
    assert saved.version == 2
    with pytest.raises(StaleEdit, match="changed by someone else"):
        update_response(ws, rep, first.id, 1, draft(PERSONAL, "Callback tomorrow", "cb"))
    with pytest.raises(StaleEdit):
        retire_response(ws, rep, first.id, 1)
    [kept] = [r for r in canned.usable_responses(ws, rep) if r.id == first.id]
    assert (kept.title, kept.version) == ("Callback today", 2)
    retire_response(ws, rep, first.id, 2)
    assert first.id not in {r.id for r in canned.usable_responses(ws, rep)}
    actions = [e.action for e in audit.history(ws, chain=f"canned:{first.id.hex}")]
    assert actions == ["canned.created", "canned.updated", "canned.retired"]


def test_invalid_drafts_list_every_problem_by_field(db):
    ws, rep = db.sign_in("rep")
    bad = CannedDraft(
        PERSONAL, " ", "two words", "nope", (), "Hi <script>x</script> {{custmer.name}}"
    )
    with pytest.raises(CannedInvalid) as caught:
        create_response(ws, rep, bad)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["title", "shortcut", "category", "body", "body"]
    assert "remove the <script> tag" in str(caught.value)
    assert "did you mean {{customer.name}}?" in str(caught.value)
    assert canned.usable_responses(ws, rep) == []


def test_a_shortcut_already_seen_by_the_same_people_is_refused_naming_the_other(db):
    ws_admin, admin = db.sign_in("admin")
    create_response(ws_admin, admin, draft(GLOBAL, "Greeting — email", "hi"))
    ws_lead, lead = db.sign_in("lead")
    with pytest.raises(CannedInvalid, match="/hi is already the shortcut of “Greeting — email”"):
        create_response(ws_lead, lead, draft(TEAM, "Team greeting", "HI"))
    team = create_response(ws_lead, lead, draft(TEAM, "Team sorry", "sorry"))
    ws_rep, rep = db.sign_in("rep")
    with pytest.raises(CannedInvalid) as caught:
        create_response(ws_rep, rep, draft(PERSONAL, "My sorry", "/sorry"))
    assert [p.field for p in caught.value.problems] == ["shortcut"]
    ws_rep2, rep2 = db.sign_in("rep2")
    theirs = create_response(ws_rep2, rep2, draft(PERSONAL, "Ray's own", "mine"))
    create_response(ws_rep, rep, draft(PERSONAL, "Rae's own", "mine"))  # rep2's is private
    # Saving a response with its own shortcut is no clash; a retired one frees its shortcut.
    update_response(ws_lead, lead, team.id, team.version, draft(TEAM, "Team sorry!", "sorry"))
    retire_response(ws_rep2, rep2, theirs.id, theirs.version)
    create_response(ws_rep2, rep2, draft(PERSONAL, "Ray's new", "mine"))


@pytest.mark.dialects("sqlite", "postgresql", "mariadb")
def test_a_rep_suggests_and_the_lead_accepts_or_rejects(db):
    ws_lead, lead = db.sign_in("lead")
    team = create_response(ws_lead, lead, draft(TEAM, "Refund on its way", "refund"))
    ws_rep, rep = db.sign_in("rep")
    better = draft(TEAM, "Refund on its way", "refund", "Your refund reached your bank today.")
    suggestion = suggest_edit(ws_rep, rep, team.id, better, "Customers asked when, not whether.")
    assert (suggestion.status, suggestion.author_name) == (SuggestionStatus.PENDING, "Rae Rep")
    late = suggest_edit(ws_rep, rep, team.id, draft(TEAM, "Refund sent"), "Shorter title.")

    assert [s.id for s in pending_suggestions(ws_lead, lead)] == [suggestion.id, late.id]
    assert [s.id for s in pending_suggestions(ws_rep, rep)] == [suggestion.id, late.id]
    ws_rep2, rep2 = db.sign_in("rep2")
    assert pending_suggestions(ws_rep2, rep2) == []
    with pytest.raises(PermissionDenied, match="Only whoever maintains"):
        decide_suggestion(ws_rep, rep, suggestion.id, accept=True)

    decide_suggestion(ws_lead, lead, suggestion.id, accept=True, comment="Good catch")
    [now] = [r for r in canned.usable_responses(ws_rep, rep) if r.id == team.id]
    assert (now.body, now.version) == ("Your refund reached your bank today.", 2)
    with pytest.raises(StaleEdit, match="already accepted by Lee Lead"):
        decide_suggestion(ws_lead, lead, suggestion.id, accept=False)
    with pytest.raises(StaleEdit, match="would undo that edit"):
        decide_suggestion(ws_lead, lead, late.id, accept=True)
    decide_suggestion(ws_lead, lead, late.id, accept=False, comment="Title is fine")
    assert pending_suggestions(ws_lead, lead) == []
    actions = [e.action for e in audit.history(ws_lead, chain=f"canned:{team.id.hex}")]
    assert actions == [
        "canned.created",
        "canned.edit_suggested",
        "canned.edit_suggested",
        "canned.suggestion_accepted",
        "canned.suggestion_accepted",
        "canned.suggestion_rejected",
    ]


def test_suggestions_need_a_reason_and_a_response_the_person_can_see(db):
    ws_rep2, rep2 = db.sign_in("rep2")
    private = create_response(ws_rep2, rep2, draft(PERSONAL, "Ray's own"))
    ws_rep, rep = db.sign_in("rep")
    with pytest.raises(NotFound):
        suggest_edit(ws_rep, rep, private.id, draft(PERSONAL, "Mine now"), "Better")
    ws_admin, admin = db.sign_in("admin")
    everyone = create_response(ws_admin, admin, draft(GLOBAL, "Closing"))
    with pytest.raises(CannedInvalid) as caught:
        suggest_edit(ws_rep, rep, everyone.id, draft(TEAM, "Closing"), "  ")
    assert [p.field for p in caught.value.problems] == ["scope", "reason"]
    made = suggest_edit(ws_rep, rep, everyone.id, draft(GLOBAL, "Closing — chat"), "For chat")
    assert [s.id for s in pending_suggestions(ws_admin, admin)] == [made.id]
    ws_lead, lead = db.sign_in("lead")
    assert pending_suggestions(ws_lead, lead) == []  # global ones are the admins' to decide


# ------------------------------------------------------------------ PostgreSQL: the database
@pytest.mark.dialects("postgresql")
def test_the_database_refuses_a_reps_raw_sql_on_team_and_global_responses(db):
    ws_lead, lead = db.sign_in("lead")
    team = create_response(ws_lead, lead, draft(TEAM, "Team hello"))
    ws, rep = db.sign_in("rep")
    row = {
        "scope": "global",
        "title": "Sneaky",
        "category": "greeting",
        "tags": [],
        "body": "Hi",
        "active": True,
        "version": 1,
    }
    for values in (
        row,
        {**row, "scope": "team", "team_id": db.team_id},
        {**row, "scope": "personal", "owner_id": lead.user_id},
    ):
        with (
            pytest.raises(DBAPIError, match="may not write this canned response"),
            ws.engine.begin() as conn,
        ):
            conn.execute(insert(CannedResponse).values(id=uuid.uuid4(), **values))
    with (
        pytest.raises(DBAPIError, match="may not write this canned response"),
        ws.engine.begin() as conn,
    ):
        conn.execute(
            update(CannedResponse)
            .where(CannedResponse.id == team.id)
            .values(body="Rewritten behind the app's back")
        )
    with ws.engine.begin() as conn:  # their own personal ones: yes, and reading team ones too
        conn.execute(
            insert(CannedResponse).values(
                id=uuid.uuid4(), **{**row, "scope": "personal", "owner_id": rep.user_id}
            )
        )
        assert conn.scalar(select(CannedResponse.body).where(CannedResponse.id == team.id))
    with ws_lead.engine.begin() as conn:  # the lead may, by the same raw SQL
        conn.execute(
            update(CannedResponse)
            .where(CannedResponse.id == team.id)
            .values(body="Hello from the team", version=2)
        )


@pytest.mark.dialects("postgresql")
def test_the_database_keeps_suggestions_to_their_author_and_deciders(db):
    ws_lead, lead = db.sign_in("lead")
    team = create_response(ws_lead, lead, draft(TEAM, "Team hello"))
    ws_rep, rep = db.sign_in("rep")
    mine = suggest_edit(ws_rep, rep, team.id, draft(TEAM, "Team hi"), "Shorter")
    ws_rep2, _rep2 = db.sign_in("rep2")
    with ws_rep2.engine.begin() as conn:
        assert conn.scalars(select(CannedSuggestion.id)).all() == []  # not theirs to read
        refused = conn.execute(update(CannedSuggestion).values(status="accepted"))
        assert refused.rowcount == 0
    values = {
        "response_id": team.id,
        "response_version": 1,
        "title": "x",
        "category": "greeting",
        "tags": [],
        "body": "x",
        "reason": "x",
        "status": "pending",
        "comment": "",
        "version": 1,
    }
    with (
        pytest.raises(DBAPIError, match="row-level security"),
        ws_rep2.engine.begin() as conn,  # in someone else's name
    ):
        conn.execute(
            insert(CannedSuggestion).values(id=uuid.uuid4(), author_id=rep.user_id, **values)
        )
    with ws_lead.engine.begin() as conn:
        assert conn.scalars(select(CannedSuggestion.id)).all() == [mine.id]
