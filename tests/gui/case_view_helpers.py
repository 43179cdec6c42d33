"""Set-up for the case view tests: a customer with a story (cases, contacts, a bounced case
with a promise), written through the services, and the real main window signed in as the rep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from deskapp.domain.enums import Channel, Direction
from deskapp.gui.main_window import MainWindow
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.services import cases, customers, interactions
from deskapp.services.interactions import NewInteraction
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.workspace import Workspace
from deskapp.settings import Settings

HOSTILE = "<b>x</b><img src=http://example.invalid/x.png>"


def customer_with_case(ws: Workspace, actor: Actor, name: str = "Margaret Okafor",
                       subject: str = "Refund bounced twice", *,
                       email: str | None = "margaret@example.com",
                       phone: str | None = "+44 20 7946 0018") -> CaseInfo:  # fmt: skip
    assert actor.team_id is not None
    customer_id = customers.create_customer(
        ws, actor, customers.NewCustomer(name, email, phone, "Europe/London")
    )
    return cases.create_case(
        ws, actor, cases.NewCase(customer_id, actor.team_id, subject, Channel.EMAIL)
    )


def another_case(ws: Workspace, actor: Actor, of: CaseInfo, subject: str) -> CaseInfo:
    assert actor.team_id is not None
    return cases.create_case(
        ws, actor, cases.NewCase(of.customer_id, actor.team_id, subject, Channel.PHONE)
    )


def contact(ws: Workspace, actor: Actor, case: CaseInfo, body: str,
            channel: Channel = Channel.EMAIL,
            direction: Direction = Direction.INBOUND) -> None:  # fmt: skip
    interactions.log_interaction(ws, actor, NewInteraction(case.id, channel, direction, body))


@dataclass
class Window:
    window: MainWindow
    controller: WorkspaceController
    problems: list[str]


def open_window(db, qtbot, tmp_path, runner, actor: Actor) -> Window:
    problems: list[str] = []
    controller = WorkspaceController(runner)
    window = MainWindow(runner, controller, settings=Settings.load(tmp_path / "settings.json"),
                        show_problem=lambda _p, text: problems.append(text),
                        ask_identity=lambda *_: actor)  # fmt: skip
    qtbot.addWidget(window)
    with qtbot.waitSignal(controller.signed_in, timeout=15_000):
        controller.open(db.url)
    qtbot.waitUntil(lambda: window.desk.current_case is not None, timeout=15_000)
    assert runner.wait_idle(15_000)
    return Window(window, controller, problems)


def wait_for_case(qtbot, window: MainWindow, case_id, *, version: int | None = None) -> None:
    def shown() -> bool:
        case = window.desk.current_case
        return (
            case is not None and case.id == case_id and (version is None or case.version == version)
        )

    qtbot.waitUntil(shown, timeout=15_000)


AGO = timedelta(minutes=5)
