"""What lint found about one field, shown right under it.

Blocking findings read "Must fix:" on red, warnings "Check:" on amber: the words carry the
meaning too, for anyone who cannot tell the colours apart (or is too tired to). Dark text on a
pale background: readable at the end of a long shift, on any monitor.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from deskapp.domain.handoff_lint import Finding, Severity

BLOCK_STYLE = (
    "QLabel { background: #fdecea; color: #8c1d18; border-left: 4px solid #c5221f;"
    " padding: 4px 6px; }"
)
WARN_STYLE = (
    "QLabel { background: #fff4d6; color: #5c3d00; border-left: 4px solid #e8a400;"
    " padding: 4px 6px; }"
)
PREFIX = {Severity.BLOCK: "Must fix: ", Severity.WARN: "Check: "}


def findings_text(findings: Sequence[Finding]) -> str:
    ordered = sorted(findings, key=lambda f: f.severity is not Severity.BLOCK)
    return "\n".join(PREFIX[f.severity] + f.message for f in ordered)


class FindingsLabel(QLabel):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a message may quote what was typed
        self.setWordWrap(True)
        self.setObjectName(name)
        self.findings: tuple[Finding, ...] = ()
        self.hide()

    def show_findings(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        if not findings:
            self.clear()
            self.hide()
            return
        blocking = any(f.severity is Severity.BLOCK for f in findings)
        self.setStyleSheet(BLOCK_STYLE if blocking else WARN_STYLE)
        self.setText(findings_text(findings))
        self.setAccessibleDescription(self.text())
        self.show()
