"""Autosave of the note being written: every few seconds (the DRAFT_AUTOSAVE_SECONDS setting) to
the local draft file, and, where a server copy is wanted, through ``save_on_server`` too.

Only a note that changed since the last save is written. The local file is the one that
matters after a crash or a lost connection; a failed server save is reported once in the
status line, never as a dialog every two seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from deskapp.domain.handoff import NoteContent
from deskapp.drafts import DraftKey, DraftStore, LocalDraft
from deskapp.gui.handoff.editor import HandoffEditor

ServerSave = Callable[[NoteContent], None]


class DraftAutosave(QObject):
    saved_locally = Signal()
    save_failed = Signal(str)  # what went wrong, for the dialog's status line

    def __init__(
        self,
        editor: HandoffEditor,
        store: DraftStore,
        key: DraftKey,
        *,
        seconds: int,
        case_key: str = "",
        extra: Callable[[], dict[str, Any]] = dict,
        save_on_server: ServerSave | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._store = store
        self.key = key
        self._case_key = case_key
        self._extra = extra
        self._save_on_server = save_on_server
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(seconds * 1000)
        self._timer.timeout.connect(self.save_if_changed)
        editor.content_changed.connect(self.mark_changed)

    @Slot()
    def mark_changed(self) -> None:
        self._dirty = True
        if not self._timer.isActive():
            self._timer.start()

    @Slot()
    def save_if_changed(self) -> None:
        if not self._dirty:
            self._timer.stop()  # nothing typed since: no need to keep waking up
            return
        self._dirty = False
        content = self._editor.content()
        try:
            self._store.save(self.key, content, case_key=self._case_key, extra=self._extra())
        except OSError as exc:
            self._dirty = True  # try again at the next tick
            self.save_failed.emit(
                f"Your draft could not be saved on this computer ({exc.strerror or exc}). "
                "Keep this window open; Deskapp tries again in a moment."
            )
            return
        self.saved_locally.emit()
        if self._save_on_server is not None:
            self._save_on_server(content)

    def restore(self) -> LocalDraft | None:
        """Put the saved draft (if any) into the editor; the draft, so the caller can say so."""
        draft = self._store.load(self.key)
        if draft is not None:
            self._editor.set_content(draft.content)
            self._dirty = False
        return draft

    def discard(self) -> None:
        """The note was submitted: the draft has done its job."""
        self._timer.stop()
        self._dirty = False
        self._store.delete(self.key)

    def stop(self) -> None:
        """Closing: save what is unsaved now rather than at the next tick."""
        self.save_if_changed()
        self._timer.stop()
