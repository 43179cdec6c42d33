"""Designer forms: the committed Python matches the .ui sources, and every widget is named for
code (objectName) and for screen readers (accessibleName)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from deskapp.gui.forms.compile import FORMS_DIR, UI_DIR, compile_all

UI_FILES = sorted(UI_DIR.glob("*.ui"))


def test_committed_forms_match_their_ui_files(tmp_path):
    regenerated = compile_all(target=tmp_path)
    assert regenerated, f"no .ui files in {UI_DIR}"
    rerun = "run `python -m deskapp.gui.forms.compile` and commit the result"
    for module in regenerated:
        committed = FORMS_DIR / module.name
        assert committed.exists(), f"{committed.name} is missing: {rerun}"
        assert committed.read_text(encoding="utf-8") == module.read_text(encoding="utf-8"), (
            f"{committed.name} no longer matches its .ui file: {rerun}"
        )


def test_no_generated_form_outlives_its_ui_file():
    sources = {f"ui_{ui.stem}.py" for ui in UI_FILES}
    orphans = {p.name for p in FORMS_DIR.glob("ui_*.py")} - sources
    assert not orphans, f"generated forms without a .ui file: {sorted(orphans)}"


def test_generated_forms_say_do_not_edit():
    for module in FORMS_DIR.glob("ui_*.py"):
        assert "do not edit" in module.read_text(encoding="utf-8").splitlines()[0]


def _property_text(properties, name):
    found = properties.get(name)
    return found.findtext("string") if found is not None else None


def _unnamed_widgets(ui_file, *, labels_speak_for_themselves):
    unnamed = []
    for widget in ET.parse(ui_file).iter("widget"):  # noqa: S314 (our own forms)
        name = widget.get("name", "")
        properties = {p.get("name"): p for p in widget.findall("property")}
        accessible = _property_text(properties, "accessibleName")
        text = _property_text(properties, "text")
        if labels_speak_for_themselves and widget.get("class") == "QLabel" and text:
            continue  # a screen reader reads a label's own text
        if not name or not (accessible or "").strip():
            unnamed.append(name or f"<{widget.get('class')} without a name>")
    return unnamed


def test_every_main_window_widget_has_an_object_name_and_an_accessible_name():
    unnamed = _unnamed_widgets(UI_DIR / "main_window.ui", labels_speak_for_themselves=False)
    assert not unnamed, f"main_window.ui: widgets without an accessibleName: {unnamed}"


@pytest.mark.parametrize("ui_file", UI_FILES, ids=lambda p: p.name)
def test_every_form_widget_can_be_found_by_a_screen_reader(ui_file):
    unnamed = _unnamed_widgets(ui_file, labels_speak_for_themselves=True)
    assert not unnamed, f"{ui_file.name}: widgets without an accessibleName: {unnamed}"
