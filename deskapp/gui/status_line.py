"""The one-line verdict under a dialog's choices, in one of three tones: "info" (work in
progress), "good" or "bad" news. Shared by the import and export dialogs so a verdict looks the
same wherever data comes in or goes out.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from deskapp.gui.handoff.findings_view import BLOCK_STYLE

INFO_STYLE = "QLabel { color: palette(text); }"
OK_STYLE = (
    "QLabel { background: #e6f4ea; color: #0d3b1e; border-left: 4px solid #188038;"
    " padding: 4px 6px; }"
)
TONE_STYLES = {"good": OK_STYLE, "bad": BLOCK_STYLE}


def say(label: QLabel, text: str, tone: str = "info") -> None:
    label.setText(text)
    label.setStyleSheet(TONE_STYLES.get(tone, INFO_STYLE))
