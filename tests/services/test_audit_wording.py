"""Every audit action the services can write has plain words, so a lead never reads
"case.something" in the audit history.

The action names are read from the source: each call of ``record_event`` and what its action
argument can be — a string, a module constant, either branch of a conditional, or a parameter
of the calling function (then every call of that function, followed further). An f-string
becomes a pattern that some worded action must match. An action that cannot be worked out
fails the test too: give it a constant.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from deskapp.domain.canned_validation import SuggestionStatus
from deskapp.services.audit_wording import ACTIONS, KIND_LABELS, ActionKind, describe

SOURCE = Path(__file__).parents[2] / "deskapp"


@dataclass
class Module:
    name: str
    path: Path
    tree: ast.Module
    constants: dict[str, str]
    functions: dict[str, ast.FunctionDef]
    imported: dict[str, tuple[str, str | None]]  # local name → (module, name or None: module)


def _modules() -> dict[str, Module]:
    found = {}
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts or "forms" in path.parts:
            continue
        name = ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants, functions, imported = {}, {}, {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                        constants[target.id] = node.value.value
            elif isinstance(node, ast.FunctionDef):
                functions[node.name] = node
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    imported[alias.asname or alias.name] = (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    imported[alias.asname or alias.name] = (alias.name, None)
        found[name] = Module(name, path, tree, constants, functions, imported)
    return found


MODULES = _modules()


def _target(module: Module, func: ast.expr) -> tuple[str, str] | None:
    """(module, function) a call's ``func`` refers to, as far as imports tell."""
    if isinstance(func, ast.Name):
        if func.id in module.functions:
            return module.name, func.id
        source = module.imported.get(func.id)
        if source and source[1]:
            return source[0], source[1]
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        source = module.imported.get(func.value.id)
        if source:
            base = source[0] if source[1] is None else f"{source[0]}.{source[1]}"
            return base, func.attr
    return None


def _calls_of(module_name: str, function: str) -> Iterator[tuple[Module, ast.Call]]:
    for module in MODULES.values():
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call) and _target(module, node.func) == (module_name, function):
                yield module, node


def _enclosing(module: Module, call: ast.Call) -> ast.FunctionDef | None:
    for node in ast.walk(module.tree):
        if isinstance(node, ast.FunctionDef) and any(child is call for child in ast.walk(node)):
            return node
    return None


def _argument(call: ast.Call, function: ast.FunctionDef, parameter: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == parameter:
            return keyword.value
    names = [a.arg for a in function.args.args]
    index = names.index(parameter)
    return call.args[index] if index < len(call.args) else None


def _values(module: Module, call: ast.Call, expr: ast.expr, depth: int = 0) -> set[str]:
    """The action names ``expr`` can be; f-strings as ``re:`` patterns."""
    where = f"{module.path.relative_to(SOURCE.parent)}:{expr.lineno}"
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return _values(module, call, expr.body, depth) | _values(module, call, expr.orelse, depth)
    if isinstance(expr, ast.JoinedStr):
        pattern = "".join(
            re.escape(part.value) if isinstance(part, ast.Constant) else ".+"
            for part in expr.values
        )
        return {f"re:{pattern}"}
    if isinstance(expr, ast.Name):
        if expr.id in module.constants:
            return {module.constants[expr.id]}
        source = module.imported.get(expr.id)
        if source and source[1] and source[0] in MODULES:
            value = MODULES[source[0]].constants.get(source[1])
            if value is not None:
                return {value}
        function = _enclosing(module, call)
        if function is not None and depth < 5 and expr.id in [a.arg for a in function.args.args]:
            found: set[str] = set()
            for caller_module, caller in _calls_of(module.name, function.name):
                argument = _argument(caller, function, expr.id)
                assert argument is not None, f"{where}: a call of {function.name} leaves it out"
                found |= _values(caller_module, caller, argument, depth + 1)
            assert found, f"{where}: nothing calls {function.name}"
            return found
    pytest.fail(f"{where}: cannot tell which audit action this is; use a constant")


def recorded_actions() -> set[str]:
    actions: set[str] = set()
    for module in MODULES.values():
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name != "record_event" or module.name == "deskapp.services.audit":
                continue
            argument = next((k.value for k in node.keywords if k.arg == "action"), None)
            argument = argument or (node.args[2] if len(node.args) > 2 else None)
            assert argument is not None, f"{module.path}:{node.lineno}: no action given"
            actions |= _values(module, node, argument)
    return actions


def test_the_source_reading_finds_the_actions_we_know_of():
    found = recorded_actions()
    for known in (
        "case.handed_off",
        "case.taken",
        "case.updated",
        "interaction.logged",
        "canned.created",
        "canned.imported",
        "user.activated",
        "user.deactivated",
    ):
        assert known in found, known  # constants, parameters followed to callers, conditionals
    assert any(a.startswith("re:canned\\.suggestion_") for a in found)  # the f-string


def test_every_action_the_services_record_has_plain_words():
    missing = []
    for action in sorted(recorded_actions()):
        if action.startswith("re:"):
            if not any(re.fullmatch(action[3:], known) for known in ACTIONS):
                missing.append(action)
        elif action not in ACTIONS:
            missing.append(action)
    assert missing == [], "give these actions words in services/audit_wording.py ACTIONS"


def test_both_decisions_on_a_suggestion_have_words():
    """The one f-string action: canned.suggestion_<status> for each decision a lead makes."""
    for status in SuggestionStatus:
        if status is not SuggestionStatus.PENDING:
            assert f"canned.suggestion_{status.value}" in ACTIONS


def test_every_action_has_a_kind_with_a_label_and_reads_as_words():
    for action, (kind, words) in ACTIONS.items():
        assert kind in KIND_LABELS
        assert words and "." not in words and "_" not in words, action
        assert describe(action, {}, lambda _id: "Dana") == words


def test_details_are_told_with_names_and_states():
    names = {"u1": "Dana Scully", "u2": "Lee Adama", "t1": "Support", "t2": "Billing"}.get

    def said(action: str, **detail: object) -> str:
        return describe(action, detail, lambda hex_id: names(hex_id or "", "someone"))

    assert (
        said(
            "case.handed_off",
            kind="reassign",
            from_user="u1",
            to_user="u2",
            from_team="t1",
            to_team="t1",
        )
        == "reassigned the case from Dana Scully to Lee Adama"
    )
    assert (
        said(
            "case.handed_off",
            kind="transfer",
            from_user="u1",
            to_user=None,
            from_team="t1",
            to_team="t2",
        )
        == "transferred the case from Dana Scully to the queue of Billing"
    )
    assert said(
        "case.handed_off",
        kind="release",
        from_user="u1",
        to_user=None,
        from_team="t1",
        to_team="t1",
        unbriefed=True,
    ) == ("released the case from Dana Scully to the team queue, unbriefed")
    assert said(
        "case.updated",
        status={"from": "open", "to": "pending_customer"},
        priority={"from": "normal", "to": "urgent"},
    ) == ("changed status from Open to Pending customer, priority from Normal to Urgent")
    assert said(
        "case.updated",
        resolution_code={"from": None, "to": "refunded"},
        outcome={"length": 20},
        status={"from": "open", "to": "resolved"},
    ) == (
        "changed status from Open to Resolved, resolution from none to Refunded, wrote the outcome"
    )
    own = describe(
        "case.handed_off",
        {
            "kind": "escalate",
            "from_user": "u1",
            "to_user": "u2",
            "from_team": "t1",
            "to_team": "t1",
        },
        lambda hex_id: names(hex_id or "", "someone"),
        actor_hex="u1",
    )
    assert own == "escalated the case to Lee Adama"  # not "from" the person who did it
    assert said("case.taken", via="get_next") == "took the case with Get next"
    assert said("interaction.logged", channel="phone", direction="inbound", kudos_for="u1") == (
        "logged an incoming call (praise for Dana Scully)"
    )
    assert said("user.role_changed", login="dana", **{"from": "rep", "to": "lead"}) == (
        "changed the role of dana from rep to lead"
    )
    assert said("case.nobody_wrote_words_for") == "did “case.nobody_wrote_words_for”"


def test_kinds_cover_the_actions_a_lead_asked_for():
    """Claims, reassignments and handoffs, status changes: each findable by its kind."""
    assert ACTIONS["case.taken"][0] is ActionKind.CLAIMS
    assert ACTIONS["case.handed_off"][0] is ActionKind.HANDOFFS
    assert ACTIONS["case.updated"][0] is ActionKind.CASE_CHANGES
