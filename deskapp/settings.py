"""Settings on this computer, declared once in ``SETTINGS`` and kept as JSON in the config folder.

Every setting is one line of the table below: key, type, default and the label people see.
Reading never fails: a value of the wrong type falls back to its default, an unknown key is left
alone, and a damaged file is set aside (``settings.json.corrupt-<time>``) with a warning. Writing
is atomic (a temporary file, then a rename), so a crash mid-save cannot leave half a file.

Never a password (they live in the keychain, see credentials.py): a key that looks like one
cannot be declared, a connection address holding one cannot become a Profile, and the data is
checked once more before it is written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from deskapp import paths
from deskapp.db.urls import parse_db_url
from deskapp.domain.errors import DeskappError, InvalidInput
from deskapp.files import write_atomically

SETTINGS_FILE = "settings.json"
TLS_MODES = ("disable", "prefer", "verify")
_SECRET_WORDS = ("password", "passwd", "pwd", "secret", "token")
# A profile's choice whether to keep its password in the keychain: a yes/no, never the password.
_ALLOWED_SECRET_LOOKING_NAMES = frozenset({"remember_password"})

log = logging.getLogger(__name__)
T = TypeVar("T")
Warn = Callable[[str], None]


def looks_like_a_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered not in _ALLOWED_SECRET_LOOKING_NAMES and any(
        word in lowered for word in _SECRET_WORDS
    )


# ------------------------------------------------------------------------------ declaration
@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting. ``decode`` turns what the file holds into a value or raises ValueError
    saying what was expected; ``encode`` turns a value into JSON."""

    key: str
    type: type
    default: T
    label: str
    decode: Callable[[object, Warn], T] = field(repr=False, compare=False)
    encode: Callable[[T], object] = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        if looks_like_a_secret(self.key):
            raise ValueError(
                f"The setting “{self.key}” would hold a secret; passwords belong in the "
                "keychain (deskapp.credentials), never in the settings file."
            )


def text_setting(key: str, default: str, label: str) -> Setting[str]:
    def decode(raw: object, _warn: Warn) -> str:
        if not isinstance(raw, str):
            raise ValueError("text")
        return raw

    return Setting(key, str, default, label, decode, lambda value: value)


def number_setting(key: str, default: int, label: str, *, low: int, high: int) -> Setting[int]:
    def decode(raw: object, _warn: Warn) -> int:
        # JSON true/false are Python bools, which are ints too: not a number of seconds.
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise ValueError(f"a whole number from {low} to {high}")
        return raw

    return Setting(key, int, default, label, decode, lambda value: value)


def flag_setting(key: str, default: bool, label: str) -> Setting[bool]:
    def decode(raw: object, _warn: Warn) -> bool:
        if not isinstance(raw, bool):
            raise ValueError("yes or no (true or false)")
        return raw

    return Setting(key, bool, default, label, decode, lambda value: value)


def choice_setting(key: str, default: str, label: str, *, choices: tuple[str, ...]) -> Setting[str]:
    if default not in choices:
        raise ValueError(f"the default of “{key}” must be one of its choices")

    def decode(raw: object, _warn: Warn) -> str:
        if not isinstance(raw, str) or raw not in choices:
            raise ValueError(f"one of {', '.join(choices)}")
        return raw

    return Setting(key, str, default, label, decode, lambda value: value)


# ------------------------------------------------------------------------------ profiles
@dataclass(frozen=True)
class Profile:
    """A saved connection. ``address`` is a file path or a server address without password."""

    name: str
    address: str
    tls_mode: str | None = None  # None: verify for other hosts, prefer for this machine
    tls_ca_file: str | None = None
    remember_password: bool = False  # keep this login's password in the keychain

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidInput("Give the connection a name, such as “Support team”.")
        if not isinstance(self.address, str):
            raise InvalidInput(f"The connection “{self.name}” needs an address.")
        parse_db_url(self.address)  # refuses an address with a password (ConfigurationError)
        if self.tls_mode is not None and self.tls_mode not in TLS_MODES:
            raise InvalidInput(
                f"“{self.tls_mode}” is not a TLS mode; choose one of {', '.join(TLS_MODES)}."
            )
        if self.tls_ca_file is not None and not isinstance(self.tls_ca_file, str):
            raise InvalidInput(f"The certificate file of “{self.name}” must be a file path.")
        if not isinstance(self.remember_password, bool):
            raise InvalidInput("“Remember password” is a yes or no.")


_PROFILE_FIELDS = ("name", "address", "tls_mode", "tls_ca_file", "remember_password")


def _decode_profiles(raw: object, warn: Warn) -> tuple[Profile, ...]:
    if not isinstance(raw, list):
        raise ValueError("a list of connections")
    profiles: list[Profile] = []
    for number, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            warn(f"Saved connection {number} is unreadable and was skipped.")
            continue
        # Only known fields are read: anything else (a "password" typed in by hand) is ignored.
        known = {key: entry[key] for key in _PROFILE_FIELDS if key in entry}
        try:
            profile = Profile(**known)
        except TypeError:
            warn(f"Saved connection {number} lacks a name or an address and was skipped.")
            continue
        except DeskappError as exc:  # InvalidInput, ConfigurationError: the message says why
            warn(f"Saved connection {number} was skipped: {exc}")
            continue
        if any(p.name == profile.name for p in profiles):
            warn(f"A second saved connection called “{profile.name}” was skipped.")
            continue
        profiles.append(profile)
    return tuple(profiles)


def _encode_profiles(profiles: tuple[Profile, ...]) -> object:
    if not all(isinstance(p, Profile) for p in profiles):
        raise ValueError("a list of saved connections")
    return [{key: getattr(p, key) for key in _PROFILE_FIELDS} for p in profiles]


# ------------------------------------------------------------------------------ window layouts
@dataclass(frozen=True)
class WindowLayout:
    """The main window's geometry and pane sizes as last left on one screen.

    ``screen`` names the screen (its name and geometry, see deskapp.gui.window_layout);
    ``geometry`` and ``panes`` are Qt's saveGeometry()/saveState() bytes in base64, opaque to us.
    """

    screen: str
    geometry: str
    panes: str = ""

    def __post_init__(self) -> None:
        if not all(isinstance(value, str) for value in (self.screen, self.geometry, self.panes)):
            raise ValueError("a window layout is three pieces of text")
        if not self.screen:
            raise ValueError("a window layout names its screen")


# A laptop, a dock at work, a dock at home, a projector...: enough for anyone, and the file stays
# small when screens come and go (the least recently used is forgotten first).
MAX_WINDOW_LAYOUTS = 8
_LAYOUT_FIELDS = ("screen", "geometry", "panes")


def _decode_layouts(raw: object, warn: Warn) -> tuple[WindowLayout, ...]:
    if not isinstance(raw, list):
        raise ValueError("a list of window layouts")
    layouts: dict[str, WindowLayout] = {}
    for entry in raw:
        try:
            if not isinstance(entry, dict):
                raise TypeError
            layout = WindowLayout(**{key: entry[key] for key in _LAYOUT_FIELDS if key in entry})
        except (TypeError, ValueError):
            warn("A remembered window layout was unreadable and was forgotten.")
            continue
        layouts.pop(layout.screen, None)  # the later entry is the more recent
        layouts[layout.screen] = layout
    return tuple(layouts.values())[-MAX_WINDOW_LAYOUTS:]


def _encode_layouts(layouts: tuple[WindowLayout, ...]) -> object:
    if not all(isinstance(layout, WindowLayout) for layout in layouts):
        raise ValueError("a list of window layouts")
    return [{key: getattr(layout, key) for key in _LAYOUT_FIELDS} for layout in layouts]


# ------------------------------------------------------------------------------ the table
LAST_PROFILE = text_setting("last_profile", "", "Connection opened last time")
PROFILES: Setting[tuple[Profile, ...]] = Setting(
    "profiles", tuple, (), "Saved connections", _decode_profiles, _encode_profiles
)
DRAFT_AUTOSAVE_SECONDS = number_setting(
    "draft_autosave_seconds", 2, "Save handoff drafts every (seconds)", low=1, high=60
)

# Qt's saveGeometry()/saveState() bytes, base64: opaque to us, restored as they were saved.
WINDOW_GEOMETRY = text_setting("window_geometry", "", "Main window position and size")
PANE_SIZES = text_setting("pane_sizes", "", "Sizes of the main window's panes")
# The same, per screen, least recently used first. WINDOW_GEOMETRY and PANE_SIZES above keep the
# layout saved last anywhere: the fallback on a screen never seen before.
WINDOW_LAYOUTS: Setting[tuple[WindowLayout, ...]] = Setting(
    "window_layouts", tuple, (), "Main window layout on each screen", _decode_layouts,
    _encode_layouts,
)  # fmt: skip


def _decode_queue_views(raw: object, warn: Warn) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict):
        raise ValueError("a table of queue views")
    kept = {str(k): v for k, v in raw.items() if isinstance(v, dict)}
    if len(kept) != len(raw):
        warn("A remembered queue view was unreadable and was forgotten.")
    return kept


# Per queue view (its key): sort, direction, filters and column layout, as the queue pane wrote
# them (deskapp/gui/queue_memory.py reads them back, ignoring what it does not understand).
QUEUE_VIEWS: Setting[dict[str, dict[str, Any]]] = Setting(
    "queue_views", dict, {}, "Queue views: sort, filters and columns", _decode_queue_views,
    lambda value: dict(value),
)  # fmt: skip

COLOR_SCHEMES = ("system", "light", "dark")
COLOR_SCHEME = choice_setting("color_scheme", "system", "Colour scheme", choices=COLOR_SCHEMES)
TOUR_SEEN = flag_setting("tour_seen", False, "The first-run tour has been shown")

# What the notification centre may tell this person about; each kind can be turned off.
NOTIFY_CASE_ASSIGNED = flag_setting("notify_case_assigned", True, "A case is assigned to me")
NOTIFY_HANDOFF_TO_ACKNOWLEDGE = flag_setting(
    "notify_handoff_to_acknowledge", True, "A handoff is waiting for my acknowledgement"
)
NOTIFY_QUESTION_FOR_ME = flag_setting(
    "notify_question_for_me", True, "Someone asks me a question about a handoff"
)
NOTIFY_DEADLINE_AT_RISK = flag_setting(
    "notify_deadline_at_risk", True, "A commitment or an SLA is about to be missed"
)
NOTIFICATIONS: tuple[Setting[bool], ...] = (
    NOTIFY_CASE_ASSIGNED,
    NOTIFY_HANDOFF_TO_ACKNOWLEDGE,
    NOTIFY_QUESTION_FOR_ME,
    NOTIFY_DEADLINE_AT_RISK,
)

SETTINGS: tuple[Setting[Any], ...] = (
    LAST_PROFILE,
    PROFILES,
    DRAFT_AUTOSAVE_SECONDS,
    WINDOW_GEOMETRY,
    PANE_SIZES,
    WINDOW_LAYOUTS,
    QUEUE_VIEWS,
    COLOR_SCHEME,
    TOUR_SEEN,
    *NOTIFICATIONS,
)
_BY_KEY = {s.key: s for s in SETTINGS}
assert len(_BY_KEY) == len(SETTINGS), "two settings share a key"


# ------------------------------------------------------------------------------ the store
def settings_path() -> Path:
    return paths.config_dir() / SETTINGS_FILE


class Settings:
    """The settings of this computer. ``warnings`` says what loading had to repair."""

    def __init__(self, path: Path, values: dict[str, object], unknown: dict[str, object]) -> None:
        self.path = path
        self._values = values
        self._unknown = unknown  # kept for a newer Deskapp that wrote them; never read
        self.warnings: list[str] = []

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or settings_path()
        warnings: list[str] = []
        raw = _read_file(path, warnings)
        values: dict[str, object] = {}
        for setting in SETTINGS:
            if setting.key not in raw:
                values[setting.key] = setting.default
                continue
            try:
                values[setting.key] = setting.decode(raw[setting.key], warnings.append)
            except ValueError as exc:
                warnings.append(
                    f"The setting “{setting.label}” held something other than {exc}; "
                    "the default is used instead."
                )
                values[setting.key] = setting.default
        unknown = {
            key: value
            for key, value in raw.items()
            if key not in _BY_KEY and not looks_like_a_secret(key)
        }
        settings = cls(path, values, unknown)
        settings.warnings = warnings
        for warning in warnings:
            log.warning("%s", warning)
        return settings

    # -------------------------------------------------------------------- values
    def get(self, setting: Setting[T]) -> T:
        return cast(T, self._values[self._declared(setting).key])

    def set(self, setting: Setting[T], value: T) -> None:
        """Change a value (in memory; ``save()`` writes). Wrong values raise InvalidInput."""
        declared = self._declared(setting)
        try:
            self._values[declared.key] = declared.decode(declared.encode(value), _refuse)
        except ValueError as exc:
            raise InvalidInput(f"“{declared.label}” must be {exc}.") from exc

    @staticmethod
    def _declared(setting: Setting[T]) -> Setting[T]:
        if _BY_KEY.get(setting.key) is not setting:
            raise KeyError(f"{setting.key} is not declared in deskapp.settings.SETTINGS")
        return setting

    # -------------------------------------------------------------------- profiles
    @property
    def profiles(self) -> tuple[Profile, ...]:
        return self.get(PROFILES)

    def profile(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    def put_profile(self, profile: Profile) -> None:
        """Add a profile, or replace the one with the same name."""
        others = tuple(p for p in self.profiles if p.name != profile.name)
        self._values[PROFILES.key] = (*others, profile)

    def remove_profile(self, name: str) -> None:
        self._values[PROFILES.key] = tuple(p for p in self.profiles if p.name != name)
        if self.get(LAST_PROFILE) == name:
            self._values[LAST_PROFILE.key] = LAST_PROFILE.default

    # -------------------------------------------------------------------- window layouts
    @property
    def window_layouts(self) -> tuple[WindowLayout, ...]:
        """Least recently saved first."""
        return self.get(WINDOW_LAYOUTS)

    def put_window_layout(self, layout: WindowLayout) -> None:
        """Remember the layout of one screen (as its most recent); the oldest beyond
        MAX_WINDOW_LAYOUTS is forgotten. It also becomes the fallback for new screens."""
        others = tuple(known for known in self.window_layouts if known.screen != layout.screen)
        self._values[WINDOW_LAYOUTS.key] = (*others, layout)[-MAX_WINDOW_LAYOUTS:]
        self._values[WINDOW_GEOMETRY.key] = layout.geometry
        self._values[PANE_SIZES.key] = layout.panes

    # -------------------------------------------------------------------- saving
    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = dict(self._unknown)
        for setting in SETTINGS:
            data[setting.key] = setting.encode(self._values[setting.key])
        _refuse_secrets(data)
        return data

    def save(self) -> None:
        write_atomically(self.path, json.dumps(self.as_json(), indent=2, sort_keys=True) + "\n")


def _refuse(message: str) -> None:
    """Setting a value is stricter than reading a file: any repair needed is an error."""
    raise ValueError(message)


def _refuse_secrets(data: object) -> None:
    """The last check before writing: no key anywhere may look like it holds a secret."""
    if isinstance(data, dict):
        for key, value in data.items():
            if looks_like_a_secret(str(key)):
                raise ValueError(f"refusing to write “{key}” to the settings file")
            _refuse_secrets(value)
    elif isinstance(data, list):
        for item in data:
            _refuse_secrets(item)


def _read_file(path: Path, warnings: list[str]) -> dict[str, Any]:
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        warnings.append(
            f"Could not read your settings ({path}: {exc.strerror}); default settings are used."
        )
        return {}
    try:
        raw = json.loads(content.decode("utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
    except ValueError:  # also UnicodeDecodeError and json.JSONDecodeError
        kept = _set_aside(path)
        warnings.append(
            f"Your settings file was damaged, so Deskapp started with default settings. "
            f"The damaged file was kept as {kept.name if kept else path.name} in {path.parent}."
        )
        return {}
    return raw


def _set_aside(path: Path) -> Path | None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    try:
        path.replace(target)
    except OSError as exc:
        log.warning("Could not set the damaged settings file aside: %s", exc.strerror)
        return None
    return target
