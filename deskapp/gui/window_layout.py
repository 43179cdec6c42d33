"""The main window's size, place and pane sizes, remembered per screen.

A rep docks a laptop at work (one wide monitor), works on the laptop alone at home, and has a
second screen some days: each arrangement wants its own window size and pane widths. A layout
is kept per screen, keyed by the screen's name and geometry (a screen at another resolution or
position is another arrangement), and restored for the screen the window was last used on if
that screen is connected, else for any other connected screen remembered, else the layout
saved last anywhere (Qt's restoreGeometry() then pulls the window onto a screen it fits on),
else the built-in sizes.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QMainWindow, QSplitter

from deskapp.settings import PANE_SIZES, WINDOW_GEOMETRY, Settings, WindowLayout


def screen_key(screen: QScreen) -> str:
    """``"DELL U2720Q 2560x1440+1920+0"``: the name alone repeats (two identical monitors,
    or an empty name on some platforms), the geometry tells them apart."""
    rect = screen.geometry()
    return f"{screen.name() or 'screen'} {rect.width()}x{rect.height()}+{rect.x()}+{rect.y()}"


def connected_screen_keys() -> list[str]:
    return [screen_key(screen) for screen in QGuiApplication.screens()]


def choose_layout(layouts: Sequence[WindowLayout], connected: Iterable[str],
                  fallback: WindowLayout | None) -> WindowLayout | None:  # fmt: skip
    """The most recently saved layout of a connected screen, else ``fallback``."""
    present = set(connected)
    for layout in reversed(layouts):
        if layout.screen in present:
            return layout
    return fallback


def restore(window: QMainWindow, splitters: Sequence[QSplitter], settings: Settings) -> None:
    geometry = settings.get(WINDOW_GEOMETRY)
    last_anywhere = WindowLayout("last", geometry, settings.get(PANE_SIZES)) if geometry else None
    layout = choose_layout(settings.window_layouts, connected_screen_keys(), last_anywhere)
    if layout is None:
        return
    saved = _decode(layout.geometry)
    if saved is not None:
        window.restoreGeometry(saved)
    for splitter, state in zip(splitters, layout.panes.split(","), strict=False):
        decoded = _decode(state)
        if decoded is not None:
            splitter.restoreState(decoded)


def remember(window: QMainWindow, splitters: Sequence[QSplitter], settings: Settings) -> None:
    """Keep the layout for the screen the window is on now (in memory; the caller saves)."""
    panes = ",".join(base64.b64encode(s.saveState().data()).decode() for s in splitters)
    geometry = base64.b64encode(window.saveGeometry().data()).decode()
    settings.put_window_layout(WindowLayout(screen_key(window.screen()), geometry, panes))


def _decode(text: str) -> QByteArray | None:
    """A hand-edited or truncated value restores nothing rather than failing the start."""
    if not text:
        return None
    try:
        return QByteArray(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        return None
