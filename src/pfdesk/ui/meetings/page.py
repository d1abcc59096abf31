"""会議: bodies and the meetings of a 年度, the calendar, open action items, and a workspace.

The page is a stack: the overview (一覧 / カレンダー / 宿題事項一覧) and, when a meeting
is opened, its workspace with 概要 / 出欠 / 次第・資料 / 議事録 / 宿題事項.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.services.context import ServiceContext
from pfdesk.services.meetings import actions, bodies, meetings
from pfdesk.ui.meetings.body_editor import BodyEditor
from pfdesk.ui.meetings.calendar_view import FiscalCalendarView
from pfdesk.ui.meetings.dialogs import NewMeetingDialog
from pfdesk.ui.meetings.models import SORT_ROLE, AllActionsModel, MeetingTableModel
from pfdesk.ui.meetings.workspace import MeetingWorkspace
from pfdesk.ui.page import Page, page_layout
from pfdesk.ui.theme_chips import chip_status_columns
from pfdesk.ui.widgets import table_view


def _table(model, sortable: bool = True) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = table_view(proxy, single=True, resize=QHeaderView.ResizeMode.ResizeToContents)
    view.setSortingEnabled(sortable)
    chip_status_columns(view)  # 予定 / 開催済 / 中止, 未着手 / 完了 … as coloured chips
    return view, proxy


class MeetingsPage(Page):
    """会議体・会議・出欠・議事録・宿題事項."""

    title = _("会議")

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.overview = QWidget()
        self.stack.addWidget(self.overview)
        layout = page_layout(self.overview, _("会議"))

        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("年度")))
        self.fy = QComboBox()
        bar.addWidget(self.fy)
        bar.addStretch(1)
        self.new_btn = QPushButton(_("新しい会議…"))
        self.from_previous_btn = QPushButton(_("前回の会議から作成…"))
        self.from_previous_btn.setToolTip(_(
            "選んだ会議体の前回の会議から、時刻・場所・出欠名簿・毎回の議題を引き継いで作ります。"))
        self.open_btn = QPushButton(_("会議を開く"))
        self.body_btn = QPushButton(_("会議体を編集…"))
        self.new_body_btn = QPushButton(_("会議体を追加…"))
        for b in (self.open_btn, self.new_btn, self.from_previous_btn, self.body_btn,
                  self.new_body_btn):
            bar.addWidget(b)
        layout.addLayout(bar)

        self.tabs = QTabWidget()
        # 会議一覧: bodies on the left, the year's meetings on the right.
        lst = QWidget()
        ll = QHBoxLayout(lst)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.bodies = QListWidget()
        self.bodies.setMinimumWidth(200)
        self.bodies.setWordWrap(True)
        self.bodies.setSpacing(2)
        split.addWidget(self.bodies)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.body_info = QLabel("")
        self.body_info.setWordWrap(True)
        rl.addWidget(self.body_info)
        self.empty_hint = QLabel(_(
            "会議体がまだありません。上の「会議体を追加…」から全体会・実務者会議などを"
            "登録してください。会議体を登録すると「新しい会議…」で会議を予定できます。"))
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet(
            "background: #eef5fc; border: 1px solid #8db4dc; padding: 8px;")
        self.empty_hint.hide()
        rl.addWidget(self.empty_hint)
        self.meeting_model = MeetingTableModel(self)
        self.meeting_view, self.meeting_proxy = _table(self.meeting_model)
        mh = self.meeting_view.horizontalHeader()
        mh.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)  # 会議体: long names
        mh.resizeSection(2, 250)
        rl.addWidget(self.meeting_view, 1)
        hint = QLabel(_("行をダブルクリックすると会議を開きます。⚠ は祝日・年末年始などに予定されている会議です。"))
        hint.setWordWrap(True)
        rl.addWidget(hint)
        split.addWidget(right)
        split.setStretchFactor(1, 4)
        split.setSizes([250, 1000])
        ll.addWidget(split)
        self.tabs.addTab(lst, _("会議一覧"))
        cal = QWidget()
        cl = QVBoxLayout(cal)
        crow = QHBoxLayout()
        crow.addWidget(QLabel(_("会議をダブルクリックすると開きます。⚠ は休日に予定されている会議です。")))
        crow.addStretch(1)
        self.holidays_btn = QPushButton(_("町の休日を登録…"))
        crow.addWidget(self.holidays_btn)
        cl.addLayout(crow)
        self.calendar = FiscalCalendarView(ctx=ctx)
        cl.addWidget(self.calendar, 1)
        self.tabs.addTab(cal, _("カレンダー"))
        act = QWidget()
        al = QVBoxLayout(act)
        self.actions_caption = QLabel("")
        al.addWidget(self.actions_caption)
        self.action_model = AllActionsModel(self)
        self.action_view, self.action_proxy = _table(self.action_model)
        ah = self.action_view.horizontalHeader()
        for col, width in ((0, 230), (2, 330)):  # 会議体 and 内容 would push ケース off screen
            ah.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            ah.resizeSection(col, width)
        self.action_view.setWordWrap(True)
        self.action_view.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        al.addWidget(self.action_view, 1)
        self.tabs.addTab(act, _("未完了の宿題事項"))
        layout.addWidget(self.tabs, 1)

        writable = ctx.actor.can(Permission.MEETING_WRITE)
        for b in (self.new_btn, self.from_previous_btn, self.new_body_btn):
            b.setEnabled(writable)
        self.fy.currentIndexChanged.connect(lambda _i: self._reload())
        self.bodies.currentRowChanged.connect(lambda _r: self._load_meetings())
        self.bodies.itemDoubleClicked.connect(lambda _i: self.edit_body())
        self.meeting_view.doubleClicked.connect(self._open_index)
        self.action_view.doubleClicked.connect(self._open_action)
        self.calendar.meeting_activated.connect(self.open_meeting)
        self.open_btn.clicked.connect(self._open_selected)
        self.new_btn.clicked.connect(self.new_meeting)
        self.from_previous_btn.clicked.connect(self.new_from_previous)
        self.body_btn.clicked.connect(self.edit_body)
        self.new_body_btn.clicked.connect(self.new_body)
        self.holidays_btn.clicked.connect(self.edit_holidays)
        self.body_rows: list[bodies.BodyInfo] = []
        self.workspace: MeetingWorkspace | None = None
        self.new_dialog: NewMeetingDialog | None = None

    # --- loading -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload years, bodies, meetings, calendar and open action items."""
        years = meetings.meeting_years(self.ctx)
        keep = self.fy.currentData()
        self.fy.blockSignals(True)
        self.fy.clear()
        for y in years:
            self.fy.addItem(_("{label}（{y}年度）").format(label=format_fiscal_year(y), y=y), y)
        # The current 年度 comes first after the ones ahead; default to it.
        from pfdesk.services.meetings.calendar import fiscal_calendar

        current = keep or fiscal_calendar(self.ctx).fiscal_year
        self.fy.setCurrentIndex(max(0, self.fy.findData(current)))
        self.fy.blockSignals(False)
        self._reload()
        if self.workspace is not None:
            self.workspace.refresh()

    def _reload(self) -> None:
        fy = self.fy.currentData()
        keep = self._body_id()
        self.body_rows = bodies.list_bodies(self.ctx, fy)
        self.bodies.blockSignals(True)
        self.bodies.clear()
        all_item = QListWidgetItem(_("すべての会議体"))
        all_item.setData(Qt.ItemDataRole.UserRole, None)
        self.bodies.addItem(all_item)
        for b in self.body_rows:
            text = _("{name}\n　年度内 {n}回／計画 {p}回").format(
                name=b.name, n=b.meetings_in_fy, p=b.planned_per_year)
            if not b.active:
                text += _("（使用停止）")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, b.id)
            self.bodies.addItem(item)
        ids = [None] + [b.id for b in self.body_rows]
        self.bodies.setCurrentRow(ids.index(keep) if keep in ids else 0)
        self.bodies.blockSignals(False)
        self.empty_hint.setVisible(not self.body_rows)
        self._load_meetings()
        if fy:
            self.calendar.load(fy)
        open_items = actions.list_actions(self.ctx)
        self.action_model.set_rows(open_items)
        self.action_view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # 期限, most urgent first
        overdue = sum(1 for a in open_items if a.overdue)
        self.actions_caption.setText(
            _("すべての会議体の未完了の宿題事項 {n} 件（期限超過 {o} 件）。行をダブルクリックすると、"
              "出された会議を開きます。").format(n=len(open_items), o=overdue)
        )

    def _body_id(self) -> int | None:
        item = self.bodies.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _load_meetings(self) -> None:
        body_id = self._body_id()
        rows = meetings.list_meetings(self.ctx, fy=self.fy.currentData(), body_id=body_id)
        self.meeting_model.set_rows(rows)
        self.meeting_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        b = next((x for x in self.body_rows if x.id == body_id), None)
        if b is None:
            self.body_info.setText(_("{fy}の会議 {n} 件").format(
                fy=format_fiscal_year(self.fy.currentData() or 0), n=len(rows)))
        else:
            self.body_info.setText(
                _("{name}（{kind}）　委員 {m} 人　回次: {num}　公開区分: {pub}\n根拠: {basis}　"
                  "事務局: {sec}").format(
                    name=b.name, kind=b.kind_label, m=b.member_count,
                    num=_("年度ごと") if b.numbering == "fiscal" else _("通算"),
                    pub=_("公開") if b.default_publicity == "public" else _("非公開"),
                    basis=b.basis or "—", sec=b.secretariat or "—")
            )

    # --- navigation --------------------------------------------------------------------

    def open_meeting(self, meeting_id: int) -> None:
        """Show the workspace of ``meeting_id``."""
        if self.workspace is not None and not self.workspace.confirm_leave(
                _("別の会議を開きます")):
            return
        self.close_workspace()
        self.workspace = MeetingWorkspace(ctx=self.ctx, meeting_id=meeting_id)
        self.workspace.back_requested.connect(self.back_to_list)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)

    def unsaved_changes(self) -> str:
        """The open meeting's unsaved 概要 edits, asked about before the window closes."""
        ws = self.workspace
        if ws is not None and not ws.deleted and ws.overview.is_dirty():
            return _("会議の概要（開催日・場所など）")
        return ""

    def save_changes(self) -> bool:
        """Save the open meeting's 概要; False keeps the window open with the problem shown."""
        return self.workspace.overview.save() if self.workspace is not None else True

    def close_workspace(self) -> None:
        """Drop the open workspace (its typed minutes are kept by autosave)."""
        if self.workspace is not None:
            if not self.workspace.deleted:
                self.workspace.minutes.flush()
            self.stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None

    def back_to_list(self) -> None:
        """Return to the overview and reload it (after offering to save 概要 edits)."""
        if self.workspace is not None and not self.workspace.confirm_leave(
                _("一覧に戻ります")):
            return
        self.close_workspace()
        self.stack.setCurrentWidget(self.overview)
        self._reload()

    def _open_index(self, index) -> None:
        src = self.meeting_proxy.mapToSource(index)
        self.open_meeting(self.meeting_model.row_at(src.row()).id)

    def _open_action(self, index) -> None:
        src = self.action_proxy.mapToSource(index)
        self.open_meeting(self.action_model.row_at(src.row()).meeting_id)

    def _open_selected(self) -> None:
        rows = self.meeting_view.selectionModel().selectedRows()
        if rows:
            self._open_index(rows[0])

    def new_from_previous(self) -> None:
        """前回の会議から作成: a new meeting of the selected body, from its latest one."""
        self.new_meeting(from_previous=True)

    def new_meeting(self, from_previous: bool = False) -> None:
        """Schedule a meeting of the selected body and open it."""
        if not any(b.active for b in self.body_rows):
            # A new store has no bodies yet: say where to start instead of an empty form.
            QMessageBox.information(
                self, _("新しい会議"),
                _("会議を登録する会議体（全体会、実務者会議など）がまだありません。\n"
                  "先に「会議体を追加…」で会議体を登録してください。"))
            return
        dlg = NewMeetingDialog(ctx=self.ctx, bodies=self.body_rows, body_id=self._body_id(),
                               from_previous=from_previous, parent=self)
        self.new_dialog = dlg  # tests and the screenshot tour reach the open dialog here
        if dlg.exec() and dlg.result_id:
            self._reload()
            self.open_meeting(dlg.result_id)

    def print_current(self) -> bool:
        """Ctrl+P: the print dialog of the open meeting (False on the list)."""
        if self.workspace is None or self.stack.currentWidget() is not self.workspace:
            return False
        self.workspace.open_print()
        return True

    def edit_body(self) -> None:
        """Open the body editor for the selected body."""
        body_id = self._body_id()
        if body_id is None:
            return
        BodyEditor(ctx=self.ctx, body_id=body_id, parent=self).exec()
        self._reload()

    def edit_holidays(self) -> None:
        """Register the town's own closed days, then redraw the warnings."""
        from pfdesk.ui.meetings.holidays import ExtraHolidaysDialog

        ExtraHolidaysDialog(ctx=self.ctx, parent=self).exec()
        self._reload()

    def run_action(self, action: str) -> None:
        """Start ``action`` as its button would ("new_body", "new_meeting").

        "open_meeting:ID" opens a meeting, "open_actions:ID" its 議事録 with the
        宿題事項 set there (from ホーム).
        """
        kind, _sep, ident = action.partition(":")
        if kind in ("open_meeting", "open_actions") and ident.isdigit():
            self.open_meeting(int(ident))
            ws = self.workspace
            if kind == "open_actions" and ws is not None and ws.meeting_id == int(ident):
                ws.tabs.setCurrentWidget(ws.minutes)
            return
        button, slot = {"new_body": (self.new_body_btn, self.new_body),
                        "new_meeting": (self.new_btn, self.new_meeting),
                        "new_from_previous": (self.from_previous_btn,
                                              self.new_from_previous)}[action]
        if self.workspace is not None:
            self.back_to_list()
        if button.isEnabled() and self.stack.currentWidget() is self.overview:
            self.tabs.setCurrentIndex(0)
            slot()

    def new_body(self) -> None:
        """Create a body."""
        BodyEditor(ctx=self.ctx, parent=self).exec()
        self._reload()
