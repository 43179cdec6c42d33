"""Case search as a rep types: one condition on the ``cases`` row for the queue's queries.

What a rep may type, and what it finds:

- words ("refu", "okafor refund"): every word must match, each as the start of a word anywhere
  in the case's document (subject, customer name and e-mail, interaction bodies, handoff notes;
  migration 0004), so typing "refu" already finds "refund". Two-letter words count; single
  letters are dropped (they would match nearly everything and say nothing).
- an e-mail address: the customer with exactly that address, and cases whose text holds it.
- digits ("0612 34", "+31 6 1234", "1234"): three digits or more match anywhere in a
  customer's phone number (the document holds every suffix of the digits); a number is also
  the case with that number; "C-1234" is only that case.

The user's text never reaches a full-text query language as such: it is cut to ``MAX_TEXT``
characters and split into runs of letters and digits, which are quoted (FTS5) or passed as
plain lexemes (PostgreSQL, MariaDB). Quotes, operators (AND OR NOT NEAR * ^ : - + ( ) "),
emoji and 10,000 characters therefore search for the words among them, or for nothing.

The dialect-specific SQL lives here and nowhere else (DESIGN.md §4): FTS5 ``MATCH`` on SQLite
(rowid = ``cases.number``), ``tsvector @@ tsquery`` on PostgreSQL, ``MATCH … AGAINST`` in boolean
mode on MariaDB, whose InnoDB index skips words under three letters and its stop words — those
few words fall back to ``LIKE`` over the same documents.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Select,
    and_,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    union_all,
)
from sqlalchemy.dialects.mysql import match as mysql_match
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from deskapp.db.models import Case, Customer
from deskapp.domain.case_key import parse_case_key

MAX_TEXT = 256  # characters looked at: a search box, not a document
MAX_WORDS = 8  # every word narrows the result; more only cost time
MAX_WORD = 64  # characters of one word (FTS engines cap their terms too)
MIN_WORD = 2
MIN_PHONE_DIGITS = 3
MAX_CASE_NUMBER_DIGITS = 18  # BIGINT
SQLITE_SHARE_FOUND = 0.5  # what SQLite's planner is told a search finds (a constant: it must be)
PROBE_SAMPLE = 2000  # the newest cases a two-letter search is tried on, to see how common it is
PROBE_SHARE = 0.25  # found in this share of them or more: common (probe_condition)

# Folded as PostgreSQL's documents are (migration 0004 keeps its own frozen copy).
_ACCENTS = {
    "a": "àáâãäåāăą", "c": "çćč", "d": "ď", "e": "èéêëēęě", "g": "ğ", "i": "ìíîïī", "l": "ľĺł",
    "n": "ñńň", "o": "òóôõöøōő", "r": "ŕř", "s": "šśş", "t": "ţť", "u": "ùúûüūůű", "y": "ýÿ",
    "z": "źżž",
}  # fmt: skip
_FOLD = str.maketrans({ch: plain for plain, marked in _ACCENTS.items() for ch in marked})
_WORD = re.compile(r"[^\W_]+")  # letters and digits; "_" and everything else separate words
# Letters, digits and the few marks addresses use: no control character or broken text
# (a NUL or a lone surrogate cannot even be sent to a server) ever reaches the SQL.
_EMAIL = re.compile(r"^[\w.+'-]+@[\w-]+(?:\.[\w-]+)+$")
_PHONE = re.compile(r"^\+?[0-9 ().\-/]+$")
# InnoDB's default stop words: its full-text index holds none of them.
_INNODB_STOP_WORDS = frozenset({
    "a", "about", "an", "are", "as", "at", "be", "by", "com", "de", "en", "for", "from", "how",
    "i", "in", "is", "it", "la", "of", "on", "or", "that", "the", "this", "to", "was", "what",
    "when", "where", "who", "will", "with", "und", "www",
})  # fmt: skip
_INNODB_MIN_TOKEN = 3

_SQLITE_FTS = table("case_search_fts", column("rowid"))
_SERVER_FTS = table("case_search_fts", column("case_id"), column("document"))


@dataclass(frozen=True)
class SearchTerms:
    """What a search text asks for, already cleaned of anything a query language could read."""

    words: tuple[str, ...] = ()
    email: str | None = None  # the whole text, when it is an e-mail address
    email_words: tuple[str, ...] = ()  # the address as words, for finding it in text
    phone_digits: str | None = None
    case_number: int | None = None
    only_case_number: bool = False  # "C-1234" names a case and nothing else

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.email or self.phone_digits or self.case_number)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    return [w[:MAX_WORD] for w in _WORD.findall(_fold(text))]


def parse_search(text: str) -> SearchTerms:
    """Split what was typed into words, an e-mail address, phone digits and a case number."""
    text = (text or "")[:MAX_TEXT].strip()
    if not text:
        return SearchTerms()
    key = parse_case_key(text)
    if key is not None and not text.isdigit():
        return SearchTerms(case_number=key, only_case_number=True)
    words = tuple(dict.fromkeys(w for w in _words(text) if len(w) >= MIN_WORD))[:MAX_WORDS]
    email = text.lower() if _EMAIL.match(text) else None
    email_words = tuple(_words(text)) if email else ()
    digits = phone = None
    number = None
    if _PHONE.match(text):
        digits = re.sub(r"[^0-9]", "", text)
        phone = digits if len(digits) >= MIN_PHONE_DIGITS else None
        if digits and digits == text and len(digits) <= MAX_CASE_NUMBER_DIGITS:
            number = int(digits) or None
    return SearchTerms(words, email, email_words, phone, number)


def case_matches(dialect_name: str, text: str) -> ColumnElement[bool] | None:
    """A condition on the ``cases`` row, true for the cases ``text`` finds; None when the text
    holds nothing to search for (the caller then shows its view unfiltered).

    SQLite: ``cases.number IN (…)`` (the FTS rowid is the case number); the servers:
    ``cases.id IN (…)``. Never raises for any text.
    """
    terms = parse_search(text)
    if terms.is_empty:
        return None
    if dialect_name == "sqlite":
        return _sqlite(terms)
    if dialect_name == "postgresql":
        return _postgresql(terms)
    if dialect_name in ("mysql", "mariadb"):
        return _mariadb(terms)
    raise ValueError(f"no case search for {dialect_name}")  # make_engine builds only these


# ------------------------------------------------------------------------- the common parts
def _by_email(terms: SearchTerms, key_name: str) -> list[Select[tuple[object]]]:
    """The cases of the customer with exactly this address (as typed, or lower case)."""
    if terms.email is None:
        return []
    cases = aliased(Case, name="emailed_case")
    customers = aliased(Customer, name="emailed_customer")
    addresses = sorted({terms.email, terms.email.lower()})
    return [
        select(getattr(cases, key_name)).where(
            cases.customer_id.in_(select(customers.id).where(customers.email.in_(addresses)))
        )
    ]


def _others(terms: SearchTerms, key_name: str) -> list[Select[tuple[object]]]:
    found: list[Select[tuple[object]]] = []
    if terms.case_number is not None:
        numbered = aliased(Case, name="numbered_case")
        found.append(
            select(getattr(numbered, key_name)).where(numbered.number == terms.case_number)
        )
    return found + _by_email(terms, key_name)


def _any_of(key: Any, selects: list[Select[tuple[object]]]) -> ColumnElement[bool]:
    found: ColumnElement[bool] = key.in_(selects[0] if len(selects) == 1 else union_all(*selects))
    return found


# ------------------------------------------------------------------------- SQLite (FTS5)
def _fts5_query(terms: SearchTerms) -> str | None:
    """An FTS5 expression of quoted strings only: no operator the user typed can take effect."""
    alternatives = []
    if terms.words and not terms.only_case_number:
        alternatives.append(" AND ".join(f'"{w}"*' for w in terms.words))
    if terms.phone_digits:
        alternatives.append(f'"{terms.phone_digits}"*')
    if terms.email_words:
        alternatives.append('"' + " ".join(terms.email_words) + '"')  # a phrase
    if not alternatives:
        return None
    return " OR ".join(f"({a})" for a in alternatives)


def _sqlite(terms: SearchTerms) -> ColumnElement[bool]:
    selects = _others(terms, "number")
    query = _fts5_query(terms)
    if query is not None:
        selects.insert(
            0,
            select(_SQLITE_FTS.c.rowid).where(
                literal_column("case_search_fts").op("MATCH")(bindparam("case_search", query))
            ),
        )
    # SQLite's planner cannot see how many cases an FTS5 query finds and assumes a few, so it
    # would look every match up by number even where the view's own index (my open cases)
    # holds a handful. A search typed in a search box matches a good share of the cases.
    return _likely_found(_any_of(Case.number, selects))


def probe_query(text: str) -> str | None:
    """The FTS5 query of ``text`` when a probe per case is cheap: one two-letter word, which
    the index's prefix='2' index answers as one term (SQLite). None otherwise: a longer
    prefix merges every word it starts (2.7 ms a probe for "refund" at 100,000 cases)."""
    terms = parse_search(text)
    if terms.email or terms.phone_digits or terms.case_number is not None:
        return None
    if len(terms.words) != 1 or len(terms.words[0]) != MIN_WORD:
        return None
    return _fts5_query(terms)


def is_common(session: Session, query: str) -> bool:
    """Whether an FTS5 query finds at least PROBE_SHARE of the newest PROBE_SAMPLE cases: a
    rowid range over one prefix term, a fraction of a millisecond."""
    newest = session.scalar(select(func.max(_SQLITE_FTS.c.rowid))) or 0
    found = session.scalar(
        select(func.count())
        .select_from(_SQLITE_FTS)
        .where(
            literal_column("case_search_fts").op("MATCH")(bindparam("case_search", query)),
            _SQLITE_FTS.c.rowid > newest - PROBE_SAMPLE,
        )
    )
    return (found or 0) >= PROBE_SHARE * min(PROBE_SAMPLE, newest)


def probe_condition(query: str) -> ColumnElement[bool]:
    """True for a case whose document matches: one FTS5 lookup by rowid, per case. Cheaper than
    collecting every match first (883,000 of a million for "re") when the cases come in the
    view's order off an index and the page fills after a hundred of them, or when the view
    holds few cases; ruinous for a rare word in a big view (services/queue.py decides)."""
    fts = _SQLITE_FTS.alias("probed")
    return (
        select(literal_column("1"))
        .select_from(fts)
        .where(
            literal_column("probed.case_search_fts").op("MATCH")(bindparam("case_search", query)),
            fts.c.rowid == Case.number,
        )
        .exists()
    )


class _likely_found(FunctionElement[bool]):  # noqa: N801 - reads like the SQL condition it wraps
    """``likelihood(condition, SQLITE_SHARE_FOUND)`` standing as a condition of its own. SQLite
    plans with likelihood() only as a term of WHERE: compared with 1, as SQLAlchemy writes a
    Boolean-typed function there, it is an opaque expression, the number lookup is never used,
    and a search for one customer's e-mail scanned all the million cases (bench_search.py)."""

    type = Boolean()
    inherit_cache = True
    _is_implicitly_boolean = True  # a condition already: never compared with 1


@compiles(_likely_found)
def _likely_found_sql(element: _likely_found, compiler: SQLCompiler, **kw: Any) -> str:
    [condition] = element.clauses.clauses
    return f"likelihood({compiler.process(condition, **kw)}, {SQLITE_SHARE_FOUND})"


# ------------------------------------------------------------------------- PostgreSQL
def _tsquery(terms: SearchTerms) -> str | None:
    alternatives = []
    if terms.words and not terms.only_case_number:
        alternatives.append(" & ".join(f"{w}:*" for w in terms.words))
    if terms.phone_digits:
        alternatives.append(f"{terms.phone_digits}:*")
    if terms.email_words:
        alternatives.append(" <-> ".join(terms.email_words))
    if not alternatives:
        return None
    return " | ".join(f"({a})" for a in alternatives)


def _postgresql(terms: SearchTerms) -> ColumnElement[bool]:
    selects = _others(terms, "id")
    query = _tsquery(terms)
    if query is not None:
        tsquery = func.to_tsquery(
            literal_column("'simple'::regconfig"), bindparam("case_search", query)
        )
        selects.insert(
            0,
            select(_SERVER_FTS.c.case_id).where(_SERVER_FTS.c.document.op("@@")(tsquery)),
        )
    return _any_of(Case.id, selects)


# ------------------------------------------------------------------------- MariaDB
def _innodb_indexed(word: str) -> bool:
    return len(word) >= _INNODB_MIN_TOKEN and word not in _INNODB_STOP_WORDS


def _mariadb(terms: SearchTerms) -> ColumnElement[bool]:
    document = _SERVER_FTS.c.document
    alternatives: list[ColumnElement[bool]] = []

    def against(expression: str) -> ColumnElement[bool]:
        return mysql_match(document, against=literal(expression)).in_boolean_mode()

    if terms.words and not terms.only_case_number:
        indexed = [w for w in terms.words if _innodb_indexed(w)]
        conditions = [against(" ".join(f"+{w}*" for w in indexed))] if indexed else []
        # Too short or a stop word: not in the index. Letters and digits only, so no wildcard.
        conditions += [document.like(f"%{w}%") for w in terms.words if not _innodb_indexed(w)]
        alternatives.append(and_(*conditions))
    if terms.phone_digits:
        alternatives.append(against(f"{terms.phone_digits}*"))
    if terms.email is not None:
        indexed = [w for w in terms.email_words if _innodb_indexed(w)]
        exact = document.contains(terms.email, autoescape=True)
        alternatives.append(
            and_(against(" ".join(f"+{w}" for w in indexed)), exact) if indexed else exact
        )
    selects = _others(terms, "id")
    if alternatives:
        selects.insert(0, select(_SERVER_FTS.c.case_id).where(or_(*alternatives)))
    return _any_of(Case.id, selects)
