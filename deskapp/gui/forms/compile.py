"""Regenerate deskapp/gui/forms/ui_*.py from the Qt Designer forms in ui/.

    python -m deskapp.gui.forms.compile

The generated modules are committed (the app and the frozen build never need uic) and never
edited by hand; tests/gui/test_forms_drift.py fails when one no longer matches its .ui file.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

HEADER = (
    "# Generated from ui/{name} by `python -m deskapp.gui.forms.compile`: do not edit.\n"
    "# Change the form in Qt Designer (pyside6-designer) and run that command again.\n"
)
# uic writes its own version into the output; leaving it out keeps the files identical across
# PySide6 patch releases that generate the same code.
_VERSION_LINE = "## Created by: Qt User Interface Compiler version"

FORMS_DIR = Path(__file__).resolve().parent
UI_DIR = FORMS_DIR.parents[2] / "ui"


def _uic() -> str:
    found = shutil.which("pyside6-uic", path=str(Path(sys.executable).parent)) or shutil.which(
        "pyside6-uic"
    )
    if found is None:
        raise SystemExit("pyside6-uic was not found: install PySide6-Essentials in this Python.")
    return found


def compile_form(ui_file: Path) -> str:
    """The Python module for one .ui file, with the do-not-edit header."""
    generated = subprocess.run(  # noqa: S603 (our own uic and .ui files)
        [_uic(), "--generator", "python", str(ui_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    kept = [line for line in generated.splitlines() if not line.startswith(_VERSION_LINE)]
    return HEADER.format(name=ui_file.name) + "\n".join(kept) + "\n"


def compile_all(source: Path = UI_DIR, target: Path = FORMS_DIR) -> list[Path]:
    """Write ui_<name>.py into ``target`` for every <name>.ui in ``source``."""
    written = []
    for ui_file in sorted(source.glob("*.ui")):
        module = target / f"ui_{ui_file.stem}.py"
        module.write_text(compile_form(ui_file), encoding="utf-8", newline="\n")
        written.append(module)
    return written


def main() -> None:
    for module in compile_all():
        print(f"wrote {module}")


if __name__ == "__main__":
    main()
