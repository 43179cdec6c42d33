"""Why an export wrote no file, in words for the person who chose the file."""

from __future__ import annotations

from deskapp.domain.errors import DeskappError

UNEXPECTED = "Nothing was exported because of an unexpected error."


def export_failure_words(exc: Exception) -> str | None:
    """The message for a failure the person can act on; None for an unexpected one (a bug)."""
    if isinstance(exc, OSError):  # a folder that is not there, a full disk, no rights
        return f"The file could not be written: {exc.strerror or exc}. Choose another place."
    if isinstance(exc, DeskappError):
        return str(exc)
    return None
