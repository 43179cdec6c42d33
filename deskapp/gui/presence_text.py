"""How presence reads: "Dana Scully is editing", for the case header and the queue row's tooltip.

Plain text only (names are people's own words); kept apart from the controller so the queue's
cell renderer can use it without importing the window's wiring."""

from __future__ import annotations

from collections.abc import Sequence

from deskapp.domain.enums import PresenceState
from deskapp.services.presence import Present

NAMES_IN_HEADER = 3  # more than that becomes "and 2 others"


def sentence(person: Present) -> str:
    return f"{person.display_name} is {person.state.value}"


def header_text(people: Sequence[Present]) -> str:
    """One line for the case header: "Dana Scully is editing · Lee Adama is viewing"."""
    if not people:
        return ""
    shown = [sentence(p) for p in people[:NAMES_IN_HEADER]]
    rest = len(people) - NAMES_IN_HEADER
    if rest > 0:
        shown.append(f"and {rest} other{'s' if rest != 1 else ''}")
    return " · ".join(shown)


def tooltip_text(people: Sequence[Present]) -> str:
    """The queue row's tooltip: one person a line, "this case" said once."""
    return "\n".join(f"{sentence(p)} this case" for p in people)


def anyone_editing(people: Sequence[Present]) -> bool:
    return any(p.state is PresenceState.EDITING for p in people)
