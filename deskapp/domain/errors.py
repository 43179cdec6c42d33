"""Errors a user can act on. Each carries a message written for the person at the keyboard.

The GUI shows ``str(error)`` as it is; the CLI prints it and exits non-zero. Anything that is not
a DeskappError is a bug and goes to the unexpected-error handler.
"""


class DeskappError(Exception):
    """Base class: the message says what happened and what to do."""


class ConfigurationError(DeskappError):
    """A connection setting is wrong (a password inside --db, an unknown driver...)."""


class ConnectionFailed(DeskappError):
    """The database could not be reached or refused the login."""


class ConnectionLost(ConnectionFailed):
    """The server stopped answering in the middle of work and stayed away while the task
    runner retried (services/retry.py). Still a lost connection: pollers stay quiet about it."""


class WorkspaceError(DeskappError):
    """The file or database is not a usable Deskapp workspace."""


class NotADeskappWorkspace(WorkspaceError):
    pass


class WorkspaceTooNew(WorkspaceError):
    pass


class UpgradeRequired(WorkspaceError):
    pass


class NetworkShareRefused(WorkspaceError):
    pass


class PermissionDenied(DeskappError):
    pass


class NotFound(DeskappError):
    pass


class StaleEdit(DeskappError):
    """Someone else saved first. The caller keeps the user's text and shows both versions."""


class InvalidInput(DeskappError):
    pass
