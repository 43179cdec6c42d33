"""Keeping the case search index right through a big import on SQLite, for the least work.

A big import pauses the search triggers (db/bulk.py) so that a case's document is not rebuilt
for every interaction loaded into it. Before it commits, the index must hold exactly the
documents the search view gives, and there are two ways to get there:

- **Only what changed.** New cases get their documents added. A case that existed before the
  import and receives new interactions has its old document taken out first, while the view
  still gives the old text (an FTS5 index over external content can only forget the words it
  is told), that is, before the first of its new rows is inserted; once everything is in, its
  new document goes in. Work: the new cases, plus twice the existing cases touched.
- **Everything again** (FTS5 'rebuild'). Work: every case in the workspace.

So the import follows the first way while it touches fewer than half of the existing cases,
and the second one from the moment it touches more, or from the start when a file of
interactions is too long for anything else (a file of N interactions over E cases touches
about E·(1 - e^(-N/E)) of them: more than half once N reaches about 0.7·E).

Servers keep rebuilding: their triggers replace a document whole (no words to forget), and
the rebuild is the only index function an admin is granted there.
"""

from __future__ import annotations

from sqlalchemy import Connection

from deskapp.db.bulk import (
    index_cases,
    rebuild_search_index,
    resume_search_index,
    unindex_cases,
)

REBUILD_SHARE = 0.5  # of the existing cases touched: beyond it, a rebuild costs less
INTERACTIONS_FOR_REBUILD = 0.7  # interactions per existing case in a CSV: rebuild at once


class ImportSearchIndex:
    """The search index's side of one SQLite import. ``touch`` and ``take_touched`` run in the
    checking pass, the others on the connection's thread, in the order the rows go in."""

    def __init__(
        self, existing_cases: int, first_new_number: int, rows: int, kinds: set[str], csv: bool
    ):
        self.first_new = first_new_number  # cases numbered from here on are this import's
        self.limit = int(existing_cases * REBUILD_SHARE)
        # A CSV of interactions long enough to touch most cases: rebuild without trying.
        self.rebuild = (
            csv and "interactions" in kinds and rows >= existing_cases * INTERACTIONS_FOR_REBUILD
        )
        # A file of cases alone: nothing later in it changes a case, so each chunk of new
        # cases is indexed as soon as it is in, while the next one is being checked.
        self.as_cases_go_in = kinds == {"cases"}
        self.indexed_until = first_new_number  # new cases below this are in the index
        self.touched: set[int] = set()  # existing cases whose old document is (to be) out
        self.pending: list[int] = []  # touched, not yet taken out of the index

    def touch(self, number: int | None) -> None:
        """A new interaction goes into case ``number`` (None or new: a case of this import)."""
        if number is None or number >= self.first_new or self.rebuild:
            return
        if number in self.touched:
            return
        self.touched.add(number)
        self.pending.append(number)
        if len(self.touched) > self.limit:
            self.rebuild = True  # what was taken out so far, the rebuild puts back
            self.pending = []

    def take_touched(self) -> list[int]:
        """The cases to take out of the index before the rows checked so far go in."""
        taken, self.pending = self.pending, []
        return taken

    def before_interactions(self, conn: Connection, touched: list[int]) -> None:
        if touched and not self.rebuild:
            unindex_cases(conn, touched)

    def after_cases(self, conn: Connection, first: int, last: int) -> None:
        """New cases up to ``last`` are in the table."""
        if self.as_cases_go_in and not self.rebuild:
            index_cases(conn, first=self.indexed_until, last=last)
            self.indexed_until = last + 1

    def finish(self, conn: Connection) -> None:
        """Every document right again, and the triggers back on."""
        if self.rebuild:
            rebuild_search_index(conn)
            return
        index_cases(conn, sorted(self.touched), first=self.indexed_until)
        resume_search_index(conn)
