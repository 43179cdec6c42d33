"""QueueController: what the queue pane shows, fetched through the task runner.

Per view it keeps a query (sort, direction, filters; the search box applies to every view) and
the column layout, remembered in the settings file. Rows come a page at a time as the table
asks (queue_model.py), counts for every tab in one statement, and live refresh (live_refresh.py)
re-reads the pages on screen when another client changes a case: the rows update in place, the
selection follows its case, the scroll position and the open case stay put.

Take and Get next are writes on the single writer. A Take that loses the race says who won and
offers the case Get next would give instead (services/claiming.AlreadyTaken).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from deskapp import APP_NAME
from deskapp.db.engine import is_disconnect
from deskapp.domain.case_key import format_case_key
from deskapp.domain.enums import Role
from deskapp.domain.errors import DeskappError, StaleEdit
from deskapp.gui.live_refresh import LiveRefresh
from deskapp.gui.panes.queue_filter_menu import filters_from_json, filters_to_json
from deskapp.gui.panes.queue_model import PAGE
from deskapp.gui.panes.queue_pane import QueuePane, view_key
from deskapp.gui.task_runner import TaskRunner
from deskapp.services import claiming, queue, queue_live
from deskapp.services.claiming import AlreadyTaken
from deskapp.services.queue import (
    Count,
    Page,
    QueueFilters,
    QueueQuery,
    QueueRow,
    QueueView,
    SortColumn,
)
from deskapp.services.queue_live import QueueFacts
from deskapp.services.records import Actor, CaseInfo
from deskapp.services.workspace import Workspace
from deskapp.settings import QUEUE_VIEWS, Settings

REFRESH_DEBOUNCE_MS = 150  # a burst of changes (a lead's batch) is one re-read
SAVE_DELAY_MS = 800
# Past a capped count the list grows by one page at its end: a full page that says more follow
# guarantees the next page has rows, so the list never shows placeholders past the real end
# (growing by ten pages did, and then shrank back a page per scroll).
GROW_ROWS = PAGE
FACTS_REFRESH_MS = 10 * 60_000  # teams' hours, people and categories change rarely
RECONNECTING = "Reconnecting to the server… the rows shown may be out of date."
_SORT_NAMES = {SortColumn.RISK: "urgency (Get next's order)", SortColumn.SLA: "SLA due",
               SortColumn.PROMISE: "promise due", SortColumn.WAITING: "waiting time"}  # fmt: skip
log = logging.getLogger(__name__)
AskTakeInstead = Callable[[QWidget, str], bool]
BOARD_LIST = "list:board"  # the tab of cases opened from the team board (one at a time)


class CaseList(Protocol):
    """Cases listed elsewhere (services/team_board.BoardCases): a title and the rows."""

    @property
    def title(self) -> str: ...
    @property
    def rows(self) -> tuple[QueueRow, ...]: ...
    @property
    def total(self) -> int: ...


@dataclass
class _ListSource:
    view: QueueView  # which columns it shows (the promise column for "commitments due")
    fetch: Callable[[], CaseList]


def ask_take_instead_box(parent: QWidget, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, APP_NAME, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                      parent)  # fmt: skip
    box.setTextFormat(Qt.TextFormat.PlainText)  # the subject is the customer's words
    box.setDefaultButton(QMessageBox.StandardButton.Yes)
    return box.exec() == QMessageBox.StandardButton.Yes


@dataclass
class ViewState:
    view: QueueView
    rep_id: uuid.UUID | None = None
    sort: SortColumn | None = None
    descending: bool = False
    filters: QueueFilters = field(default_factory=QueueFilters)
    columns: str = ""  # the header's saved state (order, widths, hidden columns)

    def as_json(self) -> dict[str, Any]:
        return {
            "sort": self.sort.value if self.sort else None,
            "descending": self.descending,
            "filters": filters_to_json(self.filters),
            "columns": self.columns,
        }

    def restore(self, raw: object) -> None:
        if not isinstance(raw, dict):
            return
        try:
            self.sort = SortColumn(raw["sort"]) if raw.get("sort") else None
        except ValueError:
            self.sort = None
        if self.sort is SortColumn.PROMISE and self.view is not QueueView.COMMITMENTS_DUE:
            self.sort = None
        self.descending = bool(raw.get("descending", False))
        self.filters = filters_from_json(raw.get("filters"))
        columns = raw.get("columns")
        self.columns = columns if isinstance(columns, str) else ""


class QueueController(QObject):
    case_claimed = Signal(object)  # the id of a case just taken: the desk opens it
    cases_changed = Signal(object)  # frozenset of case ids someone changed

    def __init__(self, runner: TaskRunner, pane: QueuePane, parent: QObject | None = None,
                 *, ask_take_instead: AskTakeInstead = ask_take_instead_box,
                 count_cap: int = queue.COUNT_CAP,
                 view_count_cap: int = queue.VIEW_COUNT_CAP) -> None:  # fmt: skip
        super().__init__(parent)
        self._runner = runner
        # Counting stops past these (services/queue.count_up_to): a search says "10,000+".
        self._count_cap = count_cap
        self._view_count_cap = view_count_cap
        self._count = Count(0)  # the current view's: while ``at_least``, the list grows
        self.pane = pane
        self.model = pane.model
        self.live = LiveRefresh(runner, self)
        self.ask_take_instead = ask_take_instead
        self._settings: Settings | None = None
        self._ws: Workspace | None = None
        self._actor: Actor | None = None
        self._states: dict[str, ViewState] = {}
        self._key: str | None = None
        self._search = ""
        self._loads = 0  # the latest load's ticket: older replies are dropped
        self._refreshing = False
        self._refresh_again = False
        self._list: _ListSource | None = None  # a list from the team board, while open
        self._list_ticket = 0
        self._refresh_timer = self._single_shot(REFRESH_DEBOUNCE_MS, self.refresh)
        self._save_timer = self._single_shot(SAVE_DELAY_MS, self._save)
        self._facts_timer = QTimer(self)
        self._facts_timer.setInterval(FACTS_REFRESH_MS)
        self._connect_signals()

    def _single_shot(self, ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def _connect_signals(self) -> None:
        pane = self.pane
        pane.view_key_changed.connect(self._on_view_key_changed)
        pane.sort_changed.connect(self._on_sort_changed)
        pane.filters_changed.connect(self._on_filters_changed)
        pane.search_changed.connect(self._on_search_changed)
        pane.columns_changed.connect(self._on_columns_changed)
        pane.take_requested.connect(self.take)
        pane.get_next_requested.connect(self.get_next)
        pane.person_chosen.connect(self.open_person)
        pane.refresh_requested.connect(self.refresh_now)
        pane.list_closed.connect(self._on_list_closed)
        self.model.pages_wanted.connect(self._fetch_pages)
        self.live.changed.connect(self._on_live_change)
        self._runner.reconnecting_changed.connect(self._on_reconnecting_changed)
        self._facts_timer.timeout.connect(self._load_facts)

    # ------------------------------------------------------------------ life
    def remember_in(self, settings: Settings | None) -> None:
        """Views remember their sort, filters and columns in ``settings`` (None: forget)."""
        self._settings = settings

    def start(self, ws: Workspace, actor: Actor) -> None:
        self.stop()
        self._ws, self._actor = ws, actor
        self._states = {}
        views = queue.available_views(actor)
        for view in views:
            self._states[view_key(view)] = ViewState(view)
        self._restore_states()
        self.pane.set_views(views)
        self.pane.people_button.setVisible(False)
        self.pane.show_connection("")
        self.pane.show_notice("")
        self.pane.action_get_next.setEnabled(actor.team_id is not None)
        self._key = None
        self._load_facts()
        self._facts_timer.start()
        self.live.start(ws)
        self._on_view_key_changed(view_key(views[0]))

    def stop(self) -> None:
        self._list = None
        self.live.stop()
        self._facts_timer.stop()
        self._refresh_timer.stop()
        if self._save_timer.isActive():
            self._save_timer.stop()
            self._save()
        self._ws = self._actor = None
        self._loads += 1

    @property
    def current_query(self) -> QueueQuery | None:
        state = self._states.get(self._key or "")
        if state is None:
            return None
        return QueueQuery(state.view, state.sort, state.descending, state.filters, self._search,
                          state.rep_id)  # fmt: skip

    # ------------------------------------------------------------------ loading
    def load(self) -> None:
        """The current view from the top (a new view, order, filter or search)."""
        ws, actor, query = self._ws, self._actor, self.current_query
        if ws is None or actor is None or query is None:
            return
        self._loads += 1
        ticket = self._loads

        cap = self._cap_for(query)
        counted: list[Count] = []  # the count, when it came before the rows
        shown: list[bool] = []  # the rows are on screen

        # Rows and count are two reads side by side: the first rows never wait for a count.
        def show_rows(page: Page) -> None:
            if ticket != self._loads:
                return
            selected = self.pane.selected_case()
            rows = list(page.rows)
            # Until the count comes, the list is this page (the rows after it come with it).
            known = counted[0] if counted else Count(len(rows), page.has_more)
            self._count = known
            self.model.reset(known.value, rows, page.last)
            shown.append(True)
            self.pane.show_loaded(query.view, known.value, searching=bool(query.search.strip()))
            self._show_footer(query, counting=not counted)
            if selected is not None and self.model.row_of(selected) is not None:
                self.pane.reselect(selected)
            elif self.pane.selected_case() is None and selected is None:
                self.pane.select_first()

        def show_count(count: Count) -> None:
            if ticket != self._loads:
                return
            counted.append(count)
            if self._key and not query.search and not _filtered(query):
                self.pane.set_counts({self._key: count})
            if not shown:
                return
            self._count = count
            self.model.set_count(count.value)
            self.pane.show_loaded(query.view, count.value, searching=bool(query.search.strip()))
            self._show_footer(query)

        def failed(exc: Exception, again: Callable[[], None] | None) -> None:
            if ticket == self._loads:
                self._on_read_failed(exc, again)

        self._runner.read(lambda: queue.fetch_page(ws, actor, query, None, PAGE), show_rows,
                          lambda exc: failed(exc, self.load), owner=self)  # fmt: skip
        # A lost count comes back with the refresh after reconnecting (it counts again).
        self._runner.read(lambda: queue.count_up_to(ws, actor, query, cap), show_count,
                          lambda exc: failed(exc, self.refresh), owner=self)  # fmt: skip
        self.refresh_counts()

    @Slot(list)
    def _fetch_pages(self, pages: list[int]) -> None:
        ws, actor, query = self._ws, self._actor, self.current_query
        if ws is None or actor is None or query is None:
            return
        generation = self.model.generation
        for page in pages:
            after = self.model.keyset_before(page)

            def fetch(page: int = page, after: Any = after) -> Page:
                if after is not None:
                    return queue.fetch_page(ws, actor, query, after, PAGE)
                return queue.fetch_window(ws, actor, query, page * PAGE, PAGE)

            def show(result: Page, page: int = page) -> None:
                selected = self.pane.selected_case()
                if generation == self.model.generation and page * PAGE < self.model.rowCount():
                    self._learn_count(query, page, result)  # first: the page's rows must fit
                stored = self.model.put_page(generation, page, list(result.rows), result.last)
                if stored and selected is not None:
                    self.pane.reselect(selected)

            def failed(exc: Exception, page: int = page) -> None:
                self.model.page_failed(generation, page)
                if not is_disconnect(exc):
                    self._runner.report_error(exc, "reading the queue")

            self._runner.read(fetch, show, failed, owner=self)

    @Slot()
    def refresh_now(self) -> None:
        self._refresh_timer.stop()
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Re-read the rows on screen and the counts, in place (someone changed something)."""
        if self._key == BOARD_LIST:
            self._refresh_list()
            return
        ws, actor, query = self._ws, self._actor, self.current_query
        if ws is None or actor is None or query is None:
            return
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        ticket = self._loads
        generation = self.model.generation
        pages = sorted(self.pane.visible_pages(PAGE)) or [0]

        cap = self._cap_for(query)
        shown = self.model.rowCount()

        def fetch() -> tuple[Count, list[Page]]:
            count = queue.count_up_to(ws, actor, query, cap)
            # Past the cap the list may have grown as the rep scrolled: keep what they see.
            rows = max(count.value, shown) if count.at_least else count.value
            windows = [queue.fetch_window(ws, actor, query, p * PAGE, PAGE) for p in pages
                       if p * PAGE < rows]  # fmt: skip
            return count, windows

        def show(result: tuple[Count, list[Page]]) -> None:
            self._refresh_done()
            if ticket != self._loads or generation != self.model.generation:
                return
            count, windows = result
            selected = self.pane.selected_case()
            if self.model.rowCount() == 0 and count.value:
                self.load()  # an empty view got rows: start it properly
                return
            rows = max(count.value, self.model.rowCount()) if count.at_least else count.value
            self._count = Count(rows, count.at_least)
            self.model.set_count(rows)
            self.model.forget_pages_except(set(pages))
            for page, window in zip(pages, windows, strict=False):
                if self.model.put_page(generation, page, list(window.rows), window.last):
                    self._learn_count(query, page, window)
            self.pane.show_loaded(query.view, rows, searching=bool(query.search.strip()))
            self._show_footer(query)
            if selected is not None:
                self.pane.reselect(selected)

        def failed(exc: Exception) -> None:
            self._refresh_done()
            self._on_read_failed(exc, self.refresh)

        self._runner.read(fetch, show, failed, owner=self)
        self.refresh_counts()

    def _refresh_done(self) -> None:
        self._refreshing = False
        if self._refresh_again:
            self._refresh_again = False
            self._refresh_timer.start()

    def refresh_counts(self) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None:
            return
        reps = {k: s for k, s in self._states.items() if s.view is QueueView.REP}

        cap = self._view_count_cap

        def fetch() -> dict[str, Count]:
            counts = {view_key(v): n for v, n in queue.view_counts_up_to(ws, actor, cap).items()}
            for key, state in reps.items():
                query = QueueQuery(QueueView.REP, rep_id=state.rep_id)
                counts[key] = queue.count_up_to(ws, actor, query, cap)
            return counts

        self._runner.read(fetch, self.pane.set_counts,
                          lambda exc: self._on_read_failed(exc, None), owner=self)  # fmt: skip
        if actor.role.rank >= Role.LEAD.rank:
            self._runner.read(lambda: queue.rep_loads(ws, actor), self._show_people,
                              lambda exc: self._on_read_failed(exc, None), owner=self)  # fmt: skip

    def _show_people(self, loads: list[queue.RepLoad]) -> None:
        self.pane.set_people([(load.user_id, load.display_name, load.open_cases)
                              for load in loads])  # fmt: skip

    @Slot()
    def _load_facts(self) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None:
            return
        self._runner.read(lambda: queue_live.queue_facts(ws, actor), self._show_facts,
                          lambda exc: self._on_read_failed(exc, None), owner=self)  # fmt: skip

    def _show_facts(self, facts: QueueFacts) -> None:
        self.model.set_clock(facts.now, facts.calendars)
        self.pane.filter_menu.set_choices(facts.teams, facts.people, facts.categories)
        self.pane.set_filters(self.pane.filter_menu.filters)

    def _on_read_failed(self, exc: Exception, again: Callable[[], None] | None) -> None:
        if is_disconnect(exc):  # the runner gave up waiting: keep the rows, try again later
            self.pane.show_connection(RECONNECTING)
            if again is not None:
                QTimer.singleShot(5_000, self, again)
            return
        self._runner.report_error(exc, "reading the queue")

    def _cap_for(self, query: QueueQuery) -> int:
        """A search can match most of a million cases; a view, filtered or not, holds only
        some of the open ones."""
        return self._count_cap if query.search.strip() else self._view_count_cap

    def _learn_count(self, query: QueueQuery, page: int, result: Page) -> None:
        """Past a capped count the list grows as the rep scrolls to its end, a page at a time,
        until a page says nothing follows: then the count is exact."""
        if not self._count.at_least:
            return
        rows = self.model.rowCount()
        if not result.has_more:
            self._count = Count(page * PAGE + len(result.rows))
            self.model.set_count(self._count.value)
        elif (page + 1) * PAGE >= rows:
            self._count = Count(rows + GROW_ROWS, at_least=True)
            self.model.set_count(self._count.value)
        else:
            return
        self._show_footer(query)

    def _show_footer(self, query: QueueQuery, *, counting: bool = False) -> None:
        sort = query.sort or queue.default_sort(query.view)
        name = _SORT_NAMES.get(sort, sort.value)
        arrow = " (descending)" if query.descending else ""
        live = " · live" if self._ws is not None else ""
        count = self._count
        noun = "case" if count.value == 1 and not count.at_least else "cases"
        told = "Counting cases…" if counting and count.at_least else f"{count.label()} {noun}"
        self.pane.set_footer(f"{told} · sorted by {name}{arrow}{live}")

    # ------------------------------------------------------------------ the rep's choices
    @Slot(str)
    def _on_view_key_changed(self, key: str) -> None:
        if key != self._key and key == BOARD_LIST and self._list is not None:
            self._save_columns()
            self._key = key
            self.pane.restore_header("", self._list.view)
            return
        if key == self._key or key not in self._states:
            return
        self._save_columns()
        self._key = key
        state = self._states[key]
        self.pane.select_view(key)
        self.pane.restore_header(state.columns, state.view)
        self.pane.set_sort(state.sort, state.descending)
        self.pane.set_filters(state.filters)
        self.load()

    @Slot(object, bool)
    def _on_sort_changed(self, sort: SortColumn | None, descending: bool) -> None:
        state = self._states.get(self._key or "")
        if state is None:
            return
        state.sort, state.descending = sort, descending if sort else False
        self._schedule_save()
        self.load()

    @Slot(object)
    def _on_filters_changed(self, filters: QueueFilters) -> None:
        state = self._states.get(self._key or "")
        if state is None:
            return
        state.filters = filters
        self._schedule_save()
        self.load()

    @Slot(str)
    def _on_search_changed(self, text: str) -> None:
        if text == self._search:
            return
        self._search = text
        self.load()

    @Slot()
    def _on_columns_changed(self) -> None:
        self._save_columns()
        self._schedule_save()

    def _save_columns(self) -> None:
        state = self._states.get(self._key or "")
        if state is not None:
            state.columns = self.pane.header_state()

    @Slot(object, str)
    def open_person(self, user_id: uuid.UUID, name: str) -> None:
        """A lead opens one person's open cases as a view of its own."""
        key = view_key(QueueView.REP, user_id)
        if key not in self._states:
            self._states[key] = ViewState(QueueView.REP, user_id)
            self._restore_state(key)
        self.pane.add_view(key, name)
        self.refresh_counts()

    # ------------------------------------------------------------------ a list from the board
    def show_list(self, view: QueueView, fetch: Callable[[], CaseList]) -> None:
        """Cases behind a number of the team board, as a tab of their own ("Dana Scully —
        breached (3)") until its tab is closed. ``fetch`` reads them (on the task runner) now
        and again whenever the queue refreshes, so the list stays live like the views."""
        self._list = _ListSource(view, fetch)
        self._refresh_list()

    def _refresh_list(self) -> None:
        source = self._list
        if source is None or self._ws is None:
            return
        self._list_ticket += 1
        ticket = self._list_ticket

        def show(listed: CaseList) -> None:
            if ticket != self._list_ticket or self._list is not source:
                return
            rows = list(listed.rows)
            self.pane.show_list(BOARD_LIST, f"{listed.title} ({listed.total:,})", source.view,
                                rows)  # fmt: skip
            shown = "" if len(rows) == listed.total else f"the first {len(rows):,} of "
            noun = "case" if listed.total == 1 else "cases"
            self.pane.set_footer(f"{shown}{listed.total:,} {noun} from the team board · live")

        self._runner.read(source.fetch, show,
                          lambda exc: self._on_read_failed(exc, self._refresh_list),
                          owner=self)  # fmt: skip
        self.refresh_counts()

    @Slot(str)
    def _on_list_closed(self, key: str) -> None:
        if key == BOARD_LIST:
            self._list = None

    # ------------------------------------------------------------------ claiming
    @Slot(object)
    def take(self, row: QueueRow) -> None:
        self._take(row.id, row.version)

    def _take(self, case_id: uuid.UUID, version: int | None) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None:
            return
        self._runner.write(lambda: claiming.take(ws, actor, case_id, version), self._taken,
                           self._take_failed, owner=self)  # fmt: skip

    @Slot()
    def get_next(self) -> None:
        ws, actor = self._ws, self._actor
        if ws is None or actor is None:
            return
        request = uuid.uuid4()  # chosen once: a retry after a lost reply gets the same case
        self._runner.write(lambda: claiming.get_next(ws, actor, request_id=request),
                           self._got_next, self._take_failed, owner=self)  # fmt: skip

    def _got_next(self, case: CaseInfo | None) -> None:
        if case is None:
            self.pane.show_notice("Your team's queue has nothing to take right now.")
            return
        self._taken(case)

    def _taken(self, case: CaseInfo) -> None:
        self.pane.show_notice(f"{format_case_key(case.number)} is yours now: {case.subject}")
        self.case_claimed.emit(case.id)
        self.refresh_now()

    def _take_failed(self, exc: Exception) -> None:
        if isinstance(exc, AlreadyTaken):
            self.refresh_now()
            offer = exc.offer
            if offer is not None and self.ask_take_instead(self.pane, str(exc)):
                self._take(offer.id, offer.version)
            else:
                self.pane.show_notice(f"{exc.key} was just taken by {exc.taken_by}.")
            return
        if isinstance(exc, StaleEdit):
            self.refresh_now()
            self.pane.show_notice(str(exc))
            return
        if isinstance(exc, DeskappError):
            self.pane.show_notice(str(exc))
        self._runner.report_error(exc, "claiming a case")

    # ------------------------------------------------------------------ live
    @Slot(object)
    def _on_live_change(self, case_ids: frozenset[uuid.UUID]) -> None:
        self.cases_changed.emit(case_ids)
        self._refresh_timer.start()

    @Slot(bool)
    def _on_reconnecting_changed(self, reconnecting: bool) -> None:
        self.pane.show_connection(RECONNECTING if reconnecting else "")
        if not reconnecting and self._ws is not None:
            self._refresh_timer.start()  # what changed while the server was away

    # ------------------------------------------------------------------ remembering
    def _restore_states(self) -> None:
        for key in self._states:
            self._restore_state(key)

    def _restore_state(self, key: str) -> None:
        if self._settings is not None:
            self._states[key].restore(self._settings.get(QUEUE_VIEWS).get(key))

    def _schedule_save(self) -> None:
        if self._settings is not None:
            self._save_timer.start()

    @Slot()
    def _save(self) -> None:
        settings = self._settings
        if settings is None or not self._states:
            return
        known: dict[str, dict[str, Any]] = settings.get(QUEUE_VIEWS)
        remembered = dict(known)
        for key, state in self._states.items():
            remembered[key] = state.as_json()
        settings.set(QUEUE_VIEWS, remembered)
        try:
            settings.save()
        except OSError as exc:
            log.warning("Could not save the queue's views: %s", exc.strerror or exc)


def _filtered(query: QueueQuery) -> bool:
    return replace(query.filters) != QueueFilters()
