"""Names for the buttons QDialogButtonBox creates itself (it leaves them unnamed)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox


def name_standard_buttons(box: QDialogButtonBox) -> None:
    """``okButton``, ``cancelButton``…: for tests and automation. Screen readers announce a
    button by its text, which stays right when a dialog relabels it ("Sign in")."""
    for button in box.buttons():
        kind = box.standardButton(button).name or "custom"  # "Ok", "Cancel"
        button.setObjectName(f"{kind[0].lower()}{kind[1:]}Button")
