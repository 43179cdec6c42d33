"""The status bar's permanent facts: which workspace, who is signed in, how the link to the
database is protected, and whether the connection is being re-established."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStatusBar

from deskapp.db.urls import redact_url
from deskapp.services.records import Actor
from deskapp.services.workspace import Workspace

NO_WORKSPACE = "No workspace open"
NOT_SIGNED_IN = "Not signed in"
RECONNECTING = "Reconnecting…"
LOCAL_FILE = "Local file"
ENCRYPTED = "Encrypted link"
UNENCRYPTED = "Unencrypted link!"
_WARNING_STYLE = "color: #a4000f; font-weight: bold;"  # dark red: readable on light and grey


def link_text(encrypted: bool | None) -> str:
    """``Workspace.encrypted``: None for a local file, else whether TLS protects the link."""
    if encrypted is None:
        return LOCAL_FILE
    return ENCRYPTED if encrypted else UNENCRYPTED


class StatusIndicators:
    def __init__(self, status_bar: QStatusBar) -> None:
        self.reconnecting = _add(status_bar, "reconnectingStatus", "Connection state", RECONNECTING)
        self.reconnecting.setStyleSheet(_WARNING_STYLE)
        self.reconnecting.hide()
        self.workspace = _add(status_bar, "workspaceStatus", "Workspace", NO_WORKSPACE)
        self.person = _add(status_bar, "signedInStatus", "Signed in", NOT_SIGNED_IN)
        self.link = _add(status_bar, "linkStatus", "Database link", "")
        self.link.hide()

    def show_opening(self, name: str) -> None:
        self.workspace.setText(f"Opening {name}…")

    def show_workspace(self, ws: Workspace | None) -> None:
        if ws is None:
            self.workspace.setText(NO_WORKSPACE)
            self.workspace.setToolTip("")
            self.link.hide()
            return
        self.workspace.setText(ws.name)
        self.workspace.setToolTip(redact_url(ws.url))
        self.link.setText(link_text(ws.encrypted))
        self.link.setStyleSheet(_WARNING_STYLE if ws.encrypted is False else "")
        self.link.setToolTip(
            "The connection to the database server is not encrypted: others on this network "
            "could read what Deskapp sends. Ask your admin to enable TLS on the server."
            if ws.encrypted is False
            else ""
        )
        self.link.show()

    def show_person(self, actor: Actor | None) -> None:
        self.person.setText(f"Signed in as {actor.display_name}" if actor else NOT_SIGNED_IN)

    def show_reconnecting(self, reconnecting: bool) -> None:
        self.reconnecting.setVisible(reconnecting)


def _add(status_bar: QStatusBar, name: str, accessible_name: str, text: str) -> QLabel:
    label = QLabel(text, status_bar)
    label.setObjectName(name)
    label.setAccessibleName(accessible_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setContentsMargins(8, 0, 8, 0)  # the facts read as separate items, not one sentence
    status_bar.addPermanentWidget(label)
    return label
