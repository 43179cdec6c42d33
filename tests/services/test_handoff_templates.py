"""A lead adjusts the team's handoff template, within limits nobody can relax."""

from __future__ import annotations

import json

import pytest

from deskapp.cli.main import main
from deskapp.domain.errors import InvalidInput, PermissionDenied
from deskapp.domain.handoff import NoteContent
from deskapp.domain.handoff_lint import Severity
from deskapp.services import handoff_templates as templates
from deskapp.services.handoffs import lint_for


def _adjusted() -> dict:
    data = templates.template_as_dict(templates.default_template())
    data["fields"][1]["label"] = "What is going on"
    data["rules"] = [{"field": "summary", "pattern": "(?i)\\\\bASAP\\\\b",
                      "message": "Say by when, not “ASAP”.", "severity": "warn"}]  # fmt: skip
    return data


def test_a_lead_adjusts_labels_and_adds_a_rule_and_the_version_goes_up(db):
    ws, lead = db.sign_in("lead")
    before = templates.template_for(ws, db.team_id).version
    saved = templates.set_team_template(ws, lead, db.team_id, _adjusted())
    assert saved.version == before + 1
    now_in_force = templates.template_for(ws, db.team_id)
    assert now_in_force.spec("summary").label == "What is going on"
    assert [r.message for r in now_in_force.rules] == ["Say by when, not “ASAP”."]


def test_nobody_can_drop_or_relax_a_core_field(db):
    ws, lead = db.sign_in("lead")
    without_done = _adjusted()
    without_done["fields"] = [f for f in without_done["fields"] if f["key"] != "done"]
    with pytest.raises(InvalidInput, match="core fields"):
        templates.set_team_template(ws, lead, db.team_id, without_done)
    optional = _adjusted()
    optional["fields"][2]["required"] = False
    with pytest.raises(InvalidInput, match="cannot be made optional"):
        templates.set_team_template(ws, lead, db.team_id, optional)


def test_a_rep_cannot_change_the_template(db):
    ws, rep = db.sign_in("rep")
    with pytest.raises(PermissionDenied):
        templates.set_team_template(ws, rep, db.team_id, _adjusted())


def test_a_team_rule_cannot_switch_off_the_card_number_block(db):
    ws, lead = db.sign_in("lead")
    data = _adjusted()
    data["rules"].append({"field": "done", "pattern": ".*", "message": "fine", "severity": "warn"})
    templates.set_team_template(ws, lead, db.team_id, data)
    from deskapp.domain.enums import Channel
    from deskapp.services import cases, customers

    customer = customers.create_customer(ws, lead, customers.NewCustomer("Ana Lopez"))
    case = cases.create_case(ws, lead, cases.NewCase(customer, db.team_id, "Refund", Channel.EMAIL))
    findings = lint_for(ws, lead, case.id, NoteContent(done="Refunded to 4111 1111 1111 1111"))
    assert any(f.rule == "card_number" and f.severity is Severity.BLOCK for f in findings)


@pytest.mark.dialects("sqlite")
def test_the_template_command_shows_and_sets(db, tmp_path, capsys):
    address = db.url.database
    assert main(["handoff", "template", "show", "--team", "Support", "--db", address]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [f["key"] for f in shown["fields"]][:3] == ["risk", "summary", "done"]
    file = tmp_path / "template.json"
    file.write_text(json.dumps(_adjusted()))
    assert main(["handoff", "template", "set", "--team", "Support", str(file),
                 "--db", address]) == 0  # fmt: skip
    assert "version" in capsys.readouterr().out
    file.write_text("{not json")
    assert main(["handoff", "template", "set", "--team", "Support", str(file),
                 "--db", address]) == 1  # fmt: skip
    assert "not a readable JSON file" in capsys.readouterr().err
