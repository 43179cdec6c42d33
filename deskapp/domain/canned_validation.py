"""What a canned response must be before anyone may save it: the categories, the limits, and
the problems of a draft, field by field, in sentences its writer can act on.

Pure Python: the editor checks as the person types, the services check again before writing,
and the importer checks every row of a file the same way.

Responses go to customers as plain text (DESIGN.md §7), so markup is refused outright rather
than escaped: a ``<b>`` that reaches a customer's e-mail as literal text looks broken, and a
``<script>`` has no business in a reply at all.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from deskapp.domain.placeholders import CURSOR, KNOWN, resolve

# (value stored in the database and in files, label shown to people). The values are the
# starter library's (resources/starter/canned_responses.json); the order is a rep's day.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("greeting", "Greeting"),
    ("apology and empathy", "Apology and empathy"),
    ("de-escalation", "De-escalation"),
    ("billing", "Billing"),
    ("refunds and chargebacks", "Refunds and chargebacks"),
    ("shipping", "Shipping"),
    ("account access", "Account access"),
    ("escalation", "Escalation"),
    ("closing", "Closing"),
)
CATEGORY_LABELS: dict[str, str] = dict(CATEGORIES)

MAX_TITLE = 200  # the column's size
MAX_SHORTCUT = 30  # typed after "/" in a hurry: a word, not a sentence
MAX_TAGS = 12
MAX_TAG = 40
MAX_BODY_BYTES = 20_000  # ~3,000 words: far past any reply, far below a pasted document

_SHORTCUT = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Tags of real HTML elements (and any tag carrying an attribute), so "<order number>" or
# "a < b" written as plain text are not mistaken for markup.
_HTML_ELEMENTS = frozenset(
    "a abbr address area article aside audio b base bdi bdo blockquote body br button canvas "  # noqa: SIM905
    "caption cite code col colgroup data dd del details dfn dialog div dl dt em embed fieldset "
    "figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html i "
    "iframe img input ins kbd label legend li link main map mark meta meter nav noscript "
    "object ol optgroup option output p param picture pre progress q s samp script section "
    "select small source span strike strong style sub summary sup svg table tbody td template "
    "textarea tfoot th thead time title tr track tt u ul var video wbr".split()
)
_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)((?:\s[^<>]*)?)/?\s*>")
_ATTRIBUTE = re.compile(r"\s[A-Za-z_:][-A-Za-z0-9_:.]*\s*=")
_COMMENT_OR_DOCTYPE = re.compile(r"<!--|<!\s*doctype", re.IGNORECASE)


class SuggestionStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Problem:
    field: str  # "title", "shortcut", "category", "tags", "body" (services add "scope"...)
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


# ------------------------------------------------------------------------ cleaning
def clean_shortcut(shortcut: str | None) -> str | None:
    """What a person typed as a shortcut, as stored: no "/" in front, lower case, or None."""
    if shortcut is None:
        return None
    cleaned = shortcut.strip().removeprefix("/").strip().lower()
    return cleaned or None


def category_value(category: str) -> str | None:
    """The stored value for a category given by value or label, any case; None if unknown."""
    wanted = " ".join(category.split()).lower()
    for value, label in CATEGORIES:
        if wanted in (value, label.lower()):
            return value
    return None


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags trimmed, empty ones dropped, the same tag (any case) kept once, in order."""
    seen: set[str] = set()
    kept: list[str] = []
    for tag in tags:
        cleaned = " ".join(tag.split())
        if cleaned and cleaned.lower() not in seen:
            seen.add(cleaned.lower())
            kept.append(cleaned)
    return tuple(kept)


# ------------------------------------------------------------------------ checking
def check_response(
    title: str, shortcut: str | None, category: str, tags: Sequence[str], body: str
) -> tuple[Problem, ...]:
    """Every problem of this draft; empty when it may be saved. Give the cleaned values
    (:func:`clean_shortcut`, :func:`clean_tags`); the category may be a value or a label."""
    return (
        *_title_problems(title),
        *_shortcut_problems(shortcut),
        *_category_problems(category),
        *_tag_problems(tags),
        *_body_problems(body),
    )


def _title_problems(title: str) -> list[Problem]:
    if not title.strip():
        return [Problem("title", "Give the response a title, so people can find it.")]
    found = []
    if len(title) > MAX_TITLE:
        found.append(
            Problem(
                "title",
                f"The title is {len(title)} characters long; keep it to {MAX_TITLE} at most.",
            )
        )
    if "\n" in title or "\r" in title or _CONTROL.search(title):
        found.append(Problem("title", "Keep the title on one line, without control characters."))
    return found


def _shortcut_problems(shortcut: str | None) -> list[Problem]:
    if shortcut is None or shortcut == "":
        return []
    if any(ch.isspace() for ch in shortcut):
        return [
            Problem(
                "shortcut",
                f"“{shortcut}” has spaces in it: a shortcut is one word you "
                "type after /, e.g. sorrywait.",
            )
        ]
    if len(shortcut) > MAX_SHORTCUT:
        return [
            Problem(
                "shortcut",
                f"The shortcut is {len(shortcut)} characters long; keep it "
                f"to {MAX_SHORTCUT} at most, it is meant for typing.",
            )
        ]
    if not _SHORTCUT.match(shortcut):
        return [
            Problem(
                "shortcut",
                f"“{shortcut}” cannot be a shortcut: use lower-case letters, "
                "digits, dots, dashes or underscores.",
            )
        ]
    return []


def _category_problems(category: str) -> list[Problem]:
    if category_value(category) is not None:
        return []
    choices = ", ".join(label for _value, label in CATEGORIES)
    if not category.strip():
        return [Problem("category", f"Choose a category: {choices}.")]
    return [
        Problem("category", f"“{category.strip()}” is not a category. Choose one of: {choices}.")
    ]


def _tag_problems(tags: Sequence[str]) -> list[Problem]:
    found = []
    if len(tags) > MAX_TAGS:
        found.append(
            Problem(
                "tags",
                f"{len(tags)} tags are too many to help anyone find it; "
                f"keep the {MAX_TAGS} that matter most.",
            )
        )
    for tag in tags:
        if len(tag) > MAX_TAG:
            found.append(
                Problem(
                    "tags",
                    f"The tag “{tag[:MAX_TAG]}…” is longer than {MAX_TAG} "
                    "characters; tags are a word or two.",
                )
            )
        elif any(ch in tag for ch in ",;") or _CONTROL.search(tag) or "\n" in tag:
            found.append(
                Problem(
                    "tags",
                    f"The tag “{tag}” holds a comma, semicolon or line "
                    "break; make it two tags instead.",
                )
            )
    return found


def _body_problems(body: str) -> list[Problem]:
    size = len(body.encode("utf-8"))
    if size > MAX_BODY_BYTES:  # checked first: nothing else is worth scanning in such a text
        return [
            Problem(
                "body",
                f"The text is {_kilobytes(size)} ({size:,} bytes); a response "
                f"may hold at most {_kilobytes(MAX_BODY_BYTES)}. Shorten it or "
                "split it into two responses.",
            )
        ]
    if not body.strip():
        return [Problem("body", "Write the text of the response.")]
    found = [Problem("body", message) for message in markup_problems(body)]
    if _CONTROL.search(body):
        found.append(
            Problem(
                "body",
                "The text holds invisible control characters (often pasted "
                "from another program); retype or remove them.",
            )
        )
    found.extend(Problem("body", message) for message in placeholder_problems(body))
    return found


def markup_problems(body: str) -> list[str]:
    """HTML in a response, named tag by tag ("remove the <script> tag")."""
    names: list[str] = []
    for match in _TAG.finditer(body):
        name, rest = match.group(1).lower(), match.group(2)
        if (name in _HTML_ELEMENTS or _ATTRIBUTE.search(rest)) and name not in names:
            names.append(name)
    found = []
    if names:
        tags = [f"<{name}>" for name in names]
        listed = tags[0] if len(tags) == 1 else ", ".join(tags[:-1]) + " and " + tags[-1]
        found.append(
            f"Responses are plain text: remove the {listed} tag{'s' * (len(tags) > 1)}. "
            "Customers would see the markup as it is written."
        )
    if _COMMENT_OR_DOCTYPE.search(body):
        found.append("Responses are plain text: remove the HTML comment or <!DOCTYPE>.")
    return found


def placeholder_problems(body: str) -> list[str]:
    """Broken placeholders and misspelt known ones. Other unknown names are allowed: the person
    using the response is asked for their value (domain/placeholders.py)."""
    found = []
    for item in resolve(body, {}).unresolved:
        if item.reason == "malformed":
            name = item.raw.removeprefix("{{").strip()
            if item.raw.endswith("}}"):
                found.append(
                    f"“{item.raw}” is not a placeholder: write a name between double "
                    "braces, for example {{customer.first_name}}."
                )
            else:
                hint = _closest(name.lower())
                fix = f"{{{{{hint or name}}}}}" if (hint or name) else "{{customer.first_name}}"
                found.append(f"“{item.raw}” is not closed: end it with }}}}, as in {fix}.")
        elif item.reason == "unknown" and (hint := _closest(item.key)):
            found.append(f"“{item.raw}” is an unknown placeholder — did you mean {{{{{hint}}}}}?")
    return found


def _closest(name: str) -> str | None:
    close = difflib.get_close_matches(name, [*KNOWN, CURSOR], n=1, cutoff=0.8)
    return close[0] if close else None


def _kilobytes(size: int) -> str:
    return f"{size / 1000:,.1f} KB".replace(".0 KB", " KB")
