"""The handoff note being written, kept on this computer so a crash, a kill or a lost connection
never costs the rep their text (DESIGN.md §5).

One file per (workspace, case, author) in ``paths.drafts_dir()`` (a folder only this user can
open). Each save writes a temporary file, flushes it to disk and renames it over the old one, so
a kill at any moment leaves the previous draft or the new one, never half of one. The file holds
``NoteContent.to_json()`` plus what is needed to say whose draft it is. It is deleted once the
note is submitted. No Qt here: the editor's autosave timer calls ``DraftStore.save``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from deskapp import paths
from deskapp.domain.handoff import NoteContent
from deskapp.files import write_atomically

FORMAT = 1  # bumped if the file's shape ever changes; older files are still read
SUFFIX = ".draft.json"
log = logging.getLogger(__name__)


def workspace_identity(url: URL) -> str:
    """Which workspace a draft belongs to: its address, never with a password in it."""
    return url.render_as_string(hide_password=True)


@dataclass(frozen=True)
class DraftKey:
    workspace: str  # workspace_identity(ws.url)
    case_id: uuid.UUID
    author: str  # the author's user id (or login for the setup account)

    def file_name(self) -> str:
        # A digest: the name must not leak the server address or the login into a folder listing.
        raw = f"{self.workspace}\n{self.case_id}\n{self.author}".encode()
        return hashlib.sha256(raw).hexdigest()[:40] + SUFFIX


@dataclass(frozen=True)
class LocalDraft:
    key: DraftKey
    content: NoteContent
    saved_at: datetime
    case_key: str  # "C-000123", for "you have an unsent handoff for C-000123"
    extra: dict[str, Any]  # what the dialog chose (kind, receiver), so it can be restored too


class DraftStore:
    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder

    @property
    def folder(self) -> Path:
        # Resolved on use: DESKAPP_HOME (tests, portable installs) may be set after import.
        return self._folder if self._folder is not None else paths.drafts_dir()

    def path_for(self, key: DraftKey) -> Path:
        return self.folder / key.file_name()

    def save(self, key: DraftKey, content: NoteContent, *, case_key: str = "",
             extra: dict[str, Any] | None = None) -> Path:  # fmt: skip
        document = {
            "format": FORMAT,
            "workspace": key.workspace,
            "case_id": str(key.case_id),
            "author": key.author,
            "case_key": case_key,
            "saved_at": datetime.now(UTC).isoformat(),
            "extra": extra or {},
            "note": content.to_json(),
        }
        path = self.path_for(key)
        write_atomically(path, json.dumps(document, ensure_ascii=False, indent=1))
        return path

    def load(self, key: DraftKey) -> LocalDraft | None:
        """The saved draft, or None if there is none or it cannot be read (it is then set
        aside, not deleted: a person may still recover text from it by hand)."""
        path = self.path_for(key)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("An unreadable handoff draft was set aside: %s", type(exc).__name__)
            _set_aside(path)
            return None
        return self._parse(key, path, document)

    def delete(self, key: DraftKey) -> None:
        self.path_for(key).unlink(missing_ok=True)

    def _parse(self, key: DraftKey, path: Path, document: Any) -> LocalDraft | None:
        try:
            if (
                document["workspace"] != key.workspace
                or document["case_id"] != str(key.case_id)
                or document["author"] != key.author
            ):
                return None  # a digest collision: not ours, leave it alone
            content = NoteContent.from_json(document["note"])
            saved_at = datetime.fromisoformat(document["saved_at"])
            extra = document.get("extra") or {}
            if not isinstance(extra, dict):
                extra = {}
            return LocalDraft(key, content, saved_at, str(document.get("case_key", "")), extra)
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("A handoff draft of an unknown shape was set aside: %s", type(exc).__name__)
            _set_aside(path)
            return None


def _set_aside(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.replace(path.with_name(path.name + ".unreadable"))
