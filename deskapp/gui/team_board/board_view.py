"""TeamBoardView: the board's layout. It only shows and asks (board_controller.py reads).

From the top: the team's name, the team picker (admins), when the figures were read and a
Refresh button; a row of tiles with the team's totals (breaches in red, due soon in amber);
the table, one row per person with the team's total last; the team's handoff quality; and a
line saying what a click and a drop do.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from deskapp.gui.appearance import is_dark
from deskapp.gui.panes import formatting as fmt
from deskapp.gui.panes import queue_cells as cells
from deskapp.gui.team_board.board_model import TeamBoardModel, quality_text
from deskapp.gui.team_board.board_table import BoardTable
from deskapp.services.team_board_records import BoardMeasure, TeamBoard

M = BoardMeasure
HINT = ("Click a number to see those cases in the queue · drag cases from the queue onto a "
        "person to reassign them · F5 reads the board again")  # fmt: skip
_TILES = (("open", "Open", M.OPEN), ("due_soon", "Due soon", M.DUE_SOON),
          ("breached", "Breached", M.BREACHED),
          ("commitments", "Commitments due", M.COMMITMENTS_DUE),
          ("unacknowledged", "Unacknowledged", M.UNACKNOWLEDGED),
          ("kudos", "Kudos (30 days)", M.KUDOS))  # fmt: skip
_TILE_STYLE = (
    "QFrame#{name} {{ border: 1px solid palette(mid); border-radius: 6px;"
    " background: palette(base); }}"
)


class Tile(QFrame):
    """One team figure: a big number over a caption."""

    def __init__(self, name: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"teamBoardTile_{name}")
        self.setStyleSheet(_TILE_STYLE.format(name=self.objectName()))
        self.value = QLabel("–", self)
        self.value.setObjectName(f"teamBoardTileValue_{name}")
        self.value.setTextFormat(Qt.TextFormat.PlainText)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        self.value.setFont(big)
        self.caption = QLabel(caption, self)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.detail = QLabel("", self)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        layout.addWidget(self.detail)
        self.detail.hide()

    def show_value(self, text: str, colour: str | None, detail: str = "") -> None:
        self.value.setText(text)
        self.value.setStyleSheet(f"color: {colour};" if colour else "")
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.setAccessibleName(f"{self.caption.text()}: {text}{f', {detail}' if detail else ''}")


class TeamBoardView(QWidget):
    team_chosen = Signal(object)  # uuid.UUID: an admin picked another team
    refresh_requested = Signal()
    number_activated = Signal(object, object)  # BoardRow, BoardMeasure
    cases_dropped = Signal(list, object)  # case ids, user id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamBoard")
        self.setAccessibleName("Team board")
        self.model = TeamBoardModel(self)
        self._build()
        self._connect_signals()
        self.setFocusProxy(self.table)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.title = QLabel("Team board", self)
        self.title.setObjectName("teamBoardTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.team_label = QLabel("&Team", self)
        self.team_picker = QComboBox(self)
        self.team_picker.setObjectName("teamBoardTeam")
        self.team_picker.setAccessibleName("Team")
        self.team_picker.setMinimumContentsLength(16)
        self.team_label.setBuddy(self.team_picker)
        self.updated = QLabel("", self)
        self.updated.setObjectName("teamBoardUpdated")
        self.updated.setTextFormat(Qt.TextFormat.PlainText)
        self.action_refresh = QAction("&Refresh", self)
        self.action_refresh.setObjectName("actionRefreshTeamBoard")
        self.action_refresh.setToolTip("Read the board again now (it also updates itself)")
        self.action_refresh.setShortcuts(
            QKeySequence.keyBindings(QKeySequence.StandardKey.Refresh) or [QKeySequence("F5")]
        )
        self.action_refresh.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.action_refresh)
        self.refresh_button = QToolButton(self)
        self.refresh_button.setObjectName("teamBoardRefresh")
        self.refresh_button.setDefaultAction(self.action_refresh)
        self.refresh_button.setAccessibleName("Refresh the team board")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.team_label)
        top.addWidget(self.team_picker)
        top.addSpacing(12)
        top.addWidget(self.updated)
        top.addWidget(self.refresh_button)
        self.tiles = {key: Tile(key, caption, self) for key, caption, _m in _TILES}
        self.signed_in_tile = Tile("signed_in", "Signed in now", self)
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        for tile in (*self.tiles.values(), self.signed_in_tile):
            tiles.addWidget(tile, 1)
        self.table = BoardTable(self.model, self)
        self.notice = QLabel("", self)
        self.notice.setObjectName("teamBoardNotice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.quality_caption = QLabel("Handoff quality", self)
        self.quality_caption.setObjectName("teamBoardQualityCaption")
        caption_font = QFont(self.font())
        caption_font.setBold(True)
        self.quality_caption.setFont(caption_font)
        self.quality = QLabel("", self)
        self.quality.setObjectName("teamBoardQuality")
        self.quality.setAccessibleName("The team's handoff quality")
        self.quality.setTextFormat(Qt.TextFormat.PlainText)
        self.quality.setWordWrap(True)
        self.quality.setToolTip(
            "Handoff notes the team's people wrote: the share clean at first submit (no lint "
            "warnings), the median time to the receiver's read-back, cases reopened after a "
            "handoff, and how often those cases changed hands"
        )
        quality = QHBoxLayout()
        quality.addWidget(self.quality_caption)
        quality.addWidget(self.quality, 1)
        self.hint = QLabel(HINT, self)
        self.hint.setObjectName("teamBoardHint")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        self.hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(tiles)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addLayout(quality)
        layout.addWidget(self.hint)
        self.set_teams([], None)

    def _connect_signals(self) -> None:
        self.team_picker.activated.connect(self._on_team_activated)
        self.action_refresh.triggered.connect(self.refresh_requested)
        self.table.number_activated.connect(self.number_activated)
        self.table.cases_dropped.connect(self.cases_dropped)

    # ------------------------------------------------------------------ showing
    def set_teams(self, teams: list[tuple[uuid.UUID, str]], current: uuid.UUID | None) -> None:
        """The teams an admin may pick from (a lead has one: the picker stays hidden)."""
        self.team_picker.blockSignals(True)
        self.team_picker.clear()
        for team_id, name in teams:
            self.team_picker.addItem(name, str(team_id))  # str: Qt finds it again
        if current is not None:
            self.team_picker.setCurrentIndex(max(0, self.team_picker.findData(str(current))))
        self.team_picker.blockSignals(False)
        several = len(teams) > 1
        self.team_picker.setVisible(several)
        self.team_label.setVisible(several)

    def show_board(self, board: TeamBoard) -> None:
        self.model.set_board(board)
        self.title.setText(f"{board.team_name} — team board")
        at = board.measured_at.astimezone().strftime("%H:%M")
        self.updated.setText(f"Updated {at} · live")
        self.updated.setToolTip(
            "By the server's clock; the board reads itself again when a case changes and "
            "every half minute"
        )
        self._show_tiles(board)
        total = board.total.quality
        if board.history_read_at is None:
            self.quality.setText("Reading the team's handoff figures…")
        else:
            self.quality.setText(quality_text(total) if total is not None else "Not known yet")
        self.show_notice("")

    def _show_tiles(self, board: TeamBoard) -> None:
        look = cells.look(is_dark(self.palette()))
        colours = {M.BREACHED: "red", M.DUE_SOON: "amber"}
        total = board.total
        for key, _caption, measure in _TILES:
            count = total.count(measure)
            colour = colours.get(measure) if count else None
            hex_colour = look.brushes[colour].color().name() if colour else None
            detail = ""
            if measure is M.UNACKNOWLEDGED and total.oldest_unacknowledged is not None:
                detail = f"oldest {fmt.span(total.oldest_unacknowledged)}"
            if measure is M.KUDOS and board.history_read_at is None:
                self.tiles[key].show_value("…", None)
                continue
            self.tiles[key].show_value(f"{count:,}", hex_colour, detail)
        self.signed_in_tile.show_value(f"{board.signed_in} of {len(board.members)}", None)

    def table_shortfall(self) -> int:
        """Pixels the table lacks to show every row without scrolling (negative: to spare)."""
        rows = self.table.verticalHeader().defaultSectionSize() * self.model.rowCount()
        return rows + 4 - self.table.viewport().height()

    def show_notice(self, text: str) -> None:
        """A line above the table: a problem reading the board, "Reconnecting…"."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # ------------------------------------------------------------------ slots
    @Slot(int)
    def _on_team_activated(self, index: int) -> None:
        raw = self.team_picker.itemData(index)
        if raw:
            self.team_chosen.emit(uuid.UUID(raw))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.model.set_dark(is_dark(self.palette()))
            if self.model.board is not None:
                self._show_tiles(self.model.board)
        super().changeEvent(event)

    def showEvent(self, event) -> None:
        self.model.set_dark(is_dark(self.palette()))
        super().showEvent(event)
