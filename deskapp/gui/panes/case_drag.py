"""Cases dragged out of the queue: the mime type and its payload, read by whoever takes the drop
(the team board: drop cases onto a rep to reassign them).

The payload is the case ids only, one per line, in the order of the rows dragged: the receiver
reads everything else afresh from the database (a row on screen may be out of date by then).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from PySide6.QtCore import QByteArray, QMimeData

CASE_IDS_MIME = "application/x-deskapp-case-ids"


def case_ids_mime(case_ids: Iterable[uuid.UUID]) -> QMimeData:
    mime = QMimeData()
    ids = list(dict.fromkeys(case_ids))
    mime.setData(CASE_IDS_MIME, QByteArray("\n".join(i.hex for i in ids).encode("ascii")))
    return mime


def case_ids_from(mime: QMimeData | None) -> list[uuid.UUID]:
    """The case ids a drop carries; empty for anything else (text from another program, a
    payload that does not parse)."""
    if mime is None or not mime.hasFormat(CASE_IDS_MIME):
        return []
    raw = bytes(mime.data(CASE_IDS_MIME).data()).decode("ascii", errors="replace")
    try:
        return list(dict.fromkeys(uuid.UUID(line) for line in raw.split() if line))
    except ValueError:
        return []
