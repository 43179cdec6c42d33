"""The file a dialog reads or writes: a path field with a "Choose file…" button beside it, and
the system's file dialogs behind that button. Import and export dialogs name the pair the same
way (``<prefix>Path``, ``<prefix>Choose``) so tests and screen readers find them alike.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget


def file_field(parent: QWidget, prefix: str, verb: str, placeholder: str, *,
               read_only: bool = False) -> tuple[QLineEdit, QPushButton]:  # fmt: skip
    """The path field and its Choose button; ``verb`` says what happens to the file."""
    path = QLineEdit(parent)
    path.setObjectName(f"{prefix}Path")
    path.setAccessibleName(f"File to {verb}")
    path.setReadOnly(read_only)
    path.setPlaceholderText(placeholder)
    choose = QPushButton("Choose &file…", parent)
    choose.setObjectName(f"{prefix}Choose")
    choose.setAccessibleName(f"Choose the file to {verb}")
    return path, choose


def add_file_row(row: QHBoxLayout, parent: QWidget, path: QLineEdit, choose: QPushButton) -> None:
    """Its "File" label (Alt+I), the field taking the room left, then the button."""
    label = QLabel("F&ile", parent)
    label.setBuddy(path)
    row.addWidget(label)
    row.addWidget(path, 1)
    row.addWidget(choose)


def ask_open_path(parent: QWidget, title: str, filters: str) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, title, "", filters)
    return Path(name) if name else None


def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str,
                  selected: str = "") -> tuple[Path, str] | None:  # fmt: skip
    """The file to write and the filter chosen with it; None when the person cancels."""
    name, chosen = QFileDialog.getSaveFileName(parent, title, suggested, filters, selected)
    return (Path(name), chosen) if name else None
