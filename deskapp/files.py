"""Writing a file so that a crash or a kill never leaves half of it (settings, drafts)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, content: str) -> None:
    """Write a temporary file beside ``path``, flush it to disk, then rename it over ``path``
    (os.replace semantics: readers see the old file or the new one, never half of one).
    The file is private to this user: mkstemp creates it readable by its owner only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
