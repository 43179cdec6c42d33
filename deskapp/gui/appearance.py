"""The colour scheme (follow the system, light or dark), switched live, and the app's icon.

Qt 6.8+ lets an application ask the platform for a scheme (``QStyleHints.setColorScheme``):
Windows, macOS and the Linux desktops with a colour-scheme portal then repaint every window,
frames and menus included. Where the platform ignores the request (plain X11, Wayland without
a portal, the offscreen platform of tests), ``styleHints().colorScheme()`` does not follow, and
Deskapp puts a light or dark palette on the application itself so that the choice still holds.
When the platform catches up later (its theme-changed signal), the palette is taken off again.

Only palette roles are set, never style sheets: widgets that use ``palette(...)`` in their own
style sheets follow, and a hard-coded colour in a pane stays the pane's business.
"""

from __future__ import annotations

from enum import StrEnum
from importlib import resources

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette, QPixmap

# Sizes drawn separately in resources/icons (small sizes are drawn simpler, not scaled down).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


class ColorScheme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


SCHEME_LABELS = {
    ColorScheme.SYSTEM: "Follow the system",
    ColorScheme.LIGHT: "Light",
    ColorScheme.DARK: "Dark",
}
_QT_SCHEMES = {ColorScheme.LIGHT: Qt.ColorScheme.Light, ColorScheme.DARK: Qt.ColorScheme.Dark}


def _palette(colors: dict[QPalette.ColorRole, str], disabled: dict[QPalette.ColorRole, str]):
    palette = QPalette()
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role, color in disabled.items():
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(color))
    return palette


_R = QPalette.ColorRole
# Close to Fusion's own palettes, with enough contrast for long reading (WCAG AA for text).
_LIGHT = {
    _R.Window: "#efefef", _R.WindowText: "#000000", _R.Base: "#ffffff",
    _R.AlternateBase: "#f5f5f5", _R.ToolTipBase: "#ffffdc", _R.ToolTipText: "#000000",
    _R.PlaceholderText: "#6b6b6b", _R.Text: "#000000", _R.Button: "#efefef",
    _R.ButtonText: "#000000", _R.BrightText: "#ffffff", _R.Light: "#ffffff",
    _R.Midlight: "#cacaca", _R.Mid: "#b8b8b8", _R.Dark: "#9f9f9f", _R.Shadow: "#767676",
    _R.Highlight: "#308cc6", _R.HighlightedText: "#ffffff", _R.Link: "#0b57d0",
    _R.LinkVisited: "#6f2da8", _R.Accent: "#308cc6",
}  # fmt: skip
_LIGHT_DISABLED = {_R.WindowText: "#8c8c8c", _R.Text: "#8c8c8c", _R.ButtonText: "#8c8c8c",
                   _R.Base: "#efefef", _R.Highlight: "#919191"}  # fmt: skip
_DARK = {
    _R.Window: "#2b2b2b", _R.WindowText: "#e8e8e8", _R.Base: "#1f1f1f",
    _R.AlternateBase: "#262626", _R.ToolTipBase: "#3a3a3a", _R.ToolTipText: "#e8e8e8",
    _R.PlaceholderText: "#9a9a9a", _R.Text: "#e8e8e8", _R.Button: "#353535",
    _R.ButtonText: "#e8e8e8", _R.BrightText: "#ffffff", _R.Light: "#4a4a4a",
    _R.Midlight: "#3e3e3e", _R.Mid: "#2f2f2f", _R.Dark: "#1a1a1a", _R.Shadow: "#0d0d0d",
    _R.Highlight: "#2f6ea3", _R.HighlightedText: "#ffffff", _R.Link: "#8ab4f8",
    _R.LinkVisited: "#c58af9", _R.Accent: "#2f6ea3",
}  # fmt: skip
_DARK_DISABLED = {_R.WindowText: "#7a7a7a", _R.Text: "#7a7a7a", _R.ButtonText: "#7a7a7a",
                  _R.Base: "#2b2b2b", _R.Highlight: "#474747"}  # fmt: skip


def light_palette() -> QPalette:
    return _palette(_LIGHT, _LIGHT_DISABLED)


def dark_palette() -> QPalette:
    return _palette(_DARK, _DARK_DISABLED)


def is_dark(palette: QPalette) -> bool:
    """What a person sees: light text on a dark window."""
    window = palette.color(QPalette.ColorRole.Window).lightnessF()
    text = palette.color(QPalette.ColorRole.WindowText).lightnessF()
    return text > window


class Appearance(QObject):
    """Applies the chosen colour scheme to the running application, at once."""

    scheme_applied = Signal(str)  # the ColorScheme value now in force

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        self._app = app
        self._hints = app.styleHints()
        self.choice = ColorScheme.SYSTEM
        self._own_palette = False  # True while our fallback palette is on the application
        self._hints.colorSchemeChanged.connect(self._on_platform_scheme_changed)

    def apply(self, choice: ColorScheme | str) -> None:
        self.choice = ColorScheme(choice)
        wanted = _QT_SCHEMES.get(self.choice)
        if wanted is None:
            self._hints.unsetColorScheme()
        else:
            self._hints.setColorScheme(wanted)
        self._enforce()
        # Some platforms answer the request a moment later; look again once events ran.
        QTimer.singleShot(0, self, self._enforce)
        self.scheme_applied.emit(self.choice.value)

    @property
    def dark(self) -> bool:
        """Whether the application is dark now, whoever decided it."""
        return is_dark(self._app.palette())

    @property
    def uses_fallback_palette(self) -> bool:
        return self._own_palette

    @Slot(Qt.ColorScheme)
    def _on_platform_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        self._enforce()

    @Slot()
    def _enforce(self) -> None:
        wanted = _QT_SCHEMES.get(self.choice)
        if wanted is None or self._hints.colorScheme() == wanted:
            self._drop_own_palette()  # the platform does it (or the system decides)
            return
        self._app.setPalette(dark_palette() if wanted == Qt.ColorScheme.Dark else light_palette())
        self._own_palette = True

    def _drop_own_palette(self) -> None:
        if self._own_palette:
            # An empty palette hands the application back to the platform's own (Qt 6 resets
            # the explicitly-set flag when nothing in the palette is set).
            self._app.setPalette(QPalette())
            self._own_palette = False


_appearance: Appearance | None = None


def appearance() -> Appearance:
    """The application's one Appearance, made on first use."""
    global _appearance
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication), "needs a running QApplication"
    if _appearance is None or _appearance.parent() is not app:
        _appearance = Appearance(app)
    return _appearance


def app_icon() -> QIcon:
    """The Deskapp icon at every size shipped, from the package's resources."""
    icon = QIcon()
    folder = resources.files("deskapp.resources").joinpath("icons")
    for size in ICON_SIZES:
        pixmap = QPixmap()
        if pixmap.loadFromData(folder.joinpath(f"deskapp-{size}.png").read_bytes(), "PNG"):
            icon.addPixmap(pixmap)
    return icon
