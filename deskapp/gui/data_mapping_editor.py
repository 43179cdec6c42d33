"""Which CSV column gives each of Deskapp's fields: one combo per field, listing the file's
columns. It starts from the mapping the service used for the preview (the saved one, else
columns named like the fields), so the admin only fixes what the guess got wrong.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from deskapp.gui.panes.plain import plain_label, preview_line
from deskapp.services.import_sources import FIELDS, Kind

NOT_IN_FILE = "— not in the file —"


class ColumnMappingEditor(QWidget):
    mapping_edited = Signal()  # the admin chose another column for a field

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importMapping")
        self.setAccessibleName("Which column gives each field")
        self.combos: dict[str, QComboBox] = {}
        self._kind: Kind | None = None
        self._columns: tuple[str, ...] = ()
        self.hint = plain_label("", self, name="importMappingHint", wrap=True, selectable=False)
        self._form_holder = QWidget()
        self._form = QFormLayout(self._form_holder)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._form_holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(scroll, 1)

    def show_mapping(self, kind: Kind, columns: tuple[str, ...], mapping: dict[str, str]) -> None:
        """One combo per field of ``kind``, each set to its column in ``mapping``. Rebuilt only
        when the kind or the file's columns change, so the admin's focus stays put."""
        if (kind, columns) != (self._kind, self._columns):
            self._rebuild(kind, columns)
        for name, combo in self.combos.items():
            combo.blockSignals(True)
            found = combo.findData(mapping.get(name, ""))
            combo.setCurrentIndex(max(found, 0))
            combo.blockSignals(False)
        self.hint.setText(
            "Choose the column of the file that gives each field. Fields marked * are required. "
            "The mapping is kept for the next import of this kind."
        )

    def show_no_mapping(self, why: str) -> None:
        self._rebuild(None, ())
        self.hint.setText(why)

    def mapping(self) -> dict[str, str]:
        return {name: combo.currentData() for name, combo in self.combos.items()
                if combo.currentData()}  # fmt: skip

    def _rebuild(self, kind: Kind | None, columns: tuple[str, ...]) -> None:
        self._kind, self._columns = kind, columns
        while self._form.rowCount():
            self._form.removeRow(0)
        self.combos = {}
        for field in FIELDS[kind] if kind else ():
            combo = QComboBox(self._form_holder)
            combo.setObjectName(f"importMapping_{field.name}")
            combo.setAccessibleName(f"Column for {field.label}")
            # Narrow by default: a long column name must not push the form into a sideways
            # scroll; the list itself opens wide enough to read.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
            combo.addItem(NOT_IN_FILE, "")
            for column in columns:
                if column:  # column names come from the file: shown on one line, as text
                    combo.addItem(preview_line(column, 60), column)
            combo.currentIndexChanged.connect(self._on_edited)
            label = QLabel(field.label + (" *" if field.required else ""), self._form_holder)
            label.setBuddy(combo)
            self._form.addRow(label, combo)
            self.combos[field.name] = combo

    @Slot(int)
    def _on_edited(self, _index: int) -> None:
        self.mapping_edited.emit()
