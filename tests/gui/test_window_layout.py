"""The main window's size and pane widths are remembered per screen, with a sensible fallback,
and a settings file from before (one global layout) still restores."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QGuiApplication

from deskapp.gui import window_layout
from deskapp.gui.main_window import MainWindow
from deskapp.gui.workspace_controller import WorkspaceController
from deskapp.settings import (
    MAX_WINDOW_LAYOUTS,
    PANE_SIZES,
    WINDOW_GEOMETRY,
    Settings,
    WindowLayout,
)

ELSEWHERE = "DELL U2720Q 2560x1440+1920+0"  # a screen this test machine does not have


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "settings.json"


def _window(qtbot, runner, path) -> MainWindow:
    window = MainWindow(runner, WorkspaceController(runner), settings=Settings.load(path),
                        ask_identity=None)  # fmt: skip
    qtbot.addWidget(window)
    return window


def _arrange(qtbot, window: MainWindow, width: int, queue: int) -> list[int]:
    """Size the window and the panes as a person would; the pane widths Qt settled on."""
    window.resize(width, 560)
    window.show()
    qtbot.waitExposed(window)
    rest = window.ui.mainSplitter.width() - queue
    window.ui.mainSplitter.setSizes([queue, rest // 2, rest - rest // 2])
    return window.ui.mainSplitter.sizes()


def test_the_layout_is_kept_for_the_screen_the_window_is_on(qtbot, runner, settings_path):
    first = _window(qtbot, runner, settings_path)
    panes = _arrange(qtbot, first, 760, 300)
    first.close()
    saved = Settings.load(settings_path)
    (layout,) = saved.window_layouts
    assert layout.screen == window_layout.screen_key(QGuiApplication.primaryScreen())
    again = _window(qtbot, runner, settings_path)
    again.show()
    qtbot.waitExposed(again)
    assert again.width() == 760
    assert again.ui.mainSplitter.sizes() == panes


def test_another_screens_layout_is_not_used_here(qtbot, runner, settings_path, tmp_path):
    here = _window(qtbot, runner, settings_path)
    panes = _arrange(qtbot, here, 700, 280)
    here.close()
    # The same person on a big monitor at another desk, saved later than the layout here.
    big = _window(qtbot, runner, tmp_path / "elsewhere.json")
    _arrange(qtbot, big, 780, 400)
    elsewhere = Settings.load(tmp_path / "elsewhere.json")
    window_layout.remember(big, big._splitters(), elsewhere)
    (big_layout,) = elsewhere.window_layouts
    settings = Settings.load(settings_path)
    settings.put_window_layout(WindowLayout(ELSEWHERE, big_layout.geometry, big_layout.panes))
    settings.save()
    again = _window(qtbot, runner, settings_path)
    again.show()
    qtbot.waitExposed(again)
    assert again.width() == 700, "the layout of the screen that is connected wins"
    assert again.ui.mainSplitter.sizes() == panes


def test_a_new_screen_starts_from_the_layout_saved_last(qtbot, runner, settings_path):
    window = _window(qtbot, runner, settings_path)
    panes = _arrange(qtbot, window, 720, 310)
    window.close()
    data = json.loads(settings_path.read_text(encoding="utf-8"))
    for layout in data["window_layouts"]:
        layout["screen"] = ELSEWHERE  # as if it had been saved on a monitor now unplugged
    settings_path.write_text(json.dumps(data), encoding="utf-8")
    again = _window(qtbot, runner, settings_path)
    again.show()
    qtbot.waitExposed(again)
    assert again.width() == 720
    assert again.ui.mainSplitter.sizes() == panes


def test_a_settings_file_from_before_per_screen_layouts_still_restores(qtbot, runner,
                                                                      settings_path):  # fmt: skip
    window = _window(qtbot, runner, settings_path)
    panes = _arrange(qtbot, window, 740, 333)
    window.close()
    data = json.loads(settings_path.read_text(encoding="utf-8"))
    old = {key: data[key] for key in (WINDOW_GEOMETRY.key, PANE_SIZES.key)}
    settings_path.write_text(json.dumps(old), encoding="utf-8")
    again = _window(qtbot, runner, settings_path)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.ui.mainSplitter.sizes()) == (740, panes)


def test_damaged_layout_text_restores_nothing_and_the_window_still_opens(qtbot, runner,
                                                                        settings_path):  # fmt: skip
    key = window_layout.screen_key(QGuiApplication.primaryScreen())
    settings_path.write_text(json.dumps({"window_layouts": [
        {"screen": key, "geometry": "not base64!", "panes": "@@,##"}, "junk"]}),
        encoding="utf-8")  # fmt: skip
    window = _window(qtbot, runner, settings_path)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    assert min(window.ui.mainSplitter.sizes()) > 0


def test_choose_layout_prefers_the_most_recent_connected_screen():
    laptop = WindowLayout("eDP-1 1920x1200+0+0", "a")
    dock = WindowLayout("DP-2 2560x1440+1920+0", "b")
    projector = WindowLayout("HDMI-1 1920x1080+0+0", "c")
    fallback = WindowLayout("last", "z")
    layouts = [laptop, dock, projector]  # least recently saved first
    assert window_layout.choose_layout(layouts, [laptop.screen, dock.screen], fallback) is dock
    assert window_layout.choose_layout(layouts, [laptop.screen], fallback) is laptop
    assert window_layout.choose_layout(layouts, ["Unknown 800x600+0+0"], fallback) is fallback
    assert window_layout.choose_layout([], [laptop.screen], None) is None


def test_only_the_most_recent_screens_are_remembered(settings_path):
    settings = Settings.load(settings_path)
    for number in range(MAX_WINDOW_LAYOUTS + 3):
        settings.put_window_layout(WindowLayout(f"screen {number}", f"g{number}", "p"))
    settings.put_window_layout(WindowLayout("screen 5", "again", "p"))  # used again: newest
    screens = [layout.screen for layout in settings.window_layouts]
    assert len(screens) == MAX_WINDOW_LAYOUTS
    assert screens[-1] == "screen 5" and "screen 0" not in screens
    assert settings.get(WINDOW_GEOMETRY) == "again", "the last saved is the fallback"
    settings.save()
    assert Settings.load(settings_path).window_layouts == settings.window_layouts
