"""Layout of the 会議 page: the 年度 and buttons, 会議一覧 / カレンダー / 未完了の宿題事項.

Widgets only: :mod:`.page_lists` fills them and :mod:`.page` wires them to behaviour. The
page is a stack: this overview, and the workspace of a meeting once one is opened.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.services.context import ServiceContext
from pfdesk.ui.fit_layouts import CurrentPageStack, FlowLayout, group
from pfdesk.ui.meetings.calendar_view import FiscalCalendarView
from pfdesk.ui.meetings.models import SORT_ROLE, AllActionsModel, MeetingTableModel
from pfdesk.ui.page import Page, page_layout
from pfdesk.ui.table_model import SortInSource
from pfdesk.ui.theme_chips import chip_status_columns
from pfdesk.ui.undo import UndoBar
from pfdesk.ui.widgets import table_view

HINT_STYLE = "background: #eef5fc; border: 1px solid #8db4dc; padding: 8px;"


def _table(model: QAbstractItemModel,
           sortable: bool = True) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = SortInSource()  # the model sorts its rows itself (ColumnsModel.sort)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = table_view(proxy, single=True, resize=QHeaderView.ResizeMode.ResizeToContents)
    # Widths from the first 40 rows: every open 宿題事項 of a large town is thousands.
    view.horizontalHeader().setResizeContentsPrecision(40)
    view.setSortingEnabled(sortable)
    chip_status_columns(view)  # 予定 / 開催済 / 中止, 未着手 / 完了 … as coloured chips
    return view, proxy


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class MeetingsPageView(Page):
    """The widgets of the 会議 page's overview, in a stack the workspace joins."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # 「…を登録しました　［取り消し］」 after a new meeting, above the list and workspace.
        self.undo_bar = UndoBar(ctx=ctx)
        outer.addWidget(self.undo_bar)
        self.stack = CurrentPageStack()  # the overview does not ask for the workspace's size
        outer.addWidget(self.stack)
        self.overview = QWidget()
        self.stack.addWidget(self.overview)
        layout = page_layout(self.overview, _("会議"))

        self.fy = QComboBox()
        self.new_btn = QPushButton(_("新しい会議…"))
        self.from_previous_btn = QPushButton(_("前回の会議から作成…"))
        self.from_previous_btn.setToolTip(_(
            "選んだ会議体の前回の会議から、時刻・場所・出欠名簿・毎回の議題を引き継いで作ります。"))
        self.open_btn = QPushButton(_("会議を開く"))
        self.body_btn = QPushButton(_("会議体を編集…"))
        self.new_body_btn = QPushButton(_("会議体を追加…"))
        # On a narrow window (125 %/150 % scaling) the buttons go below the 年度.
        bar = FlowLayout(spacing=12)
        bar.addWidget(group(QLabel(_("年度")), self.fy))
        bar.addWidget(group(self.open_btn, self.new_btn, self.from_previous_btn))
        bar.addWidget(group(self.body_btn, self.new_body_btn))
        layout.addLayout(bar)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._list_tab(), _("会議一覧"))
        self.calendar_tab = self._calendar_tab(ctx)
        self.tabs.addTab(self.calendar_tab, _("カレンダー"))
        self.actions_tab = self._actions_tab()
        self.tabs.addTab(self.actions_tab, _("未完了の宿題事項"))
        layout.addWidget(self.tabs, 1)

    def _list_tab(self) -> QWidget:
        """会議一覧: bodies on the left, the year's meetings on the right."""
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
        self.body_info = _wrapped("")
        rl.addWidget(self.body_info)
        self.empty_hint = _wrapped(_(
            "会議体がまだありません。上の「会議体を追加…」から全体会・実務者会議などを"
            "登録してください。会議体を登録すると「新しい会議…」で会議を予定できます。"))
        self.empty_hint.setStyleSheet(HINT_STYLE)
        self.empty_hint.hide()
        rl.addWidget(self.empty_hint)
        self.meeting_model = MeetingTableModel(self)
        self.meeting_view, self.meeting_proxy = _table(self.meeting_model)
        mh = self.meeting_view.horizontalHeader()
        mh.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)  # 会議体: long names
        mh.resizeSection(2, 250)
        rl.addWidget(self.meeting_view, 1)
        rl.addWidget(_wrapped(_(
            "行をダブルクリックすると会議を開きます。⚠ は祝日・年末年始などに予定されている会議です。")))
        split.addWidget(right)
        split.setStretchFactor(1, 4)
        split.setSizes([250, 1000])
        ll.addWidget(split)
        return lst

    def _calendar_tab(self, ctx: ServiceContext) -> QWidget:
        cal = QWidget()
        cl = QVBoxLayout(cal)
        crow = QHBoxLayout()
        crow.addWidget(_wrapped(_(
            "会議をダブルクリックすると開きます。⚠ は休日に予定されている会議です。")), 1)
        self.holidays_btn = QPushButton(_("町の休日を登録…"))
        crow.addWidget(self.holidays_btn)
        cl.addLayout(crow)
        self.calendar = FiscalCalendarView(ctx=ctx)
        cl.addWidget(self.calendar, 1)
        return cal

    def _actions_tab(self) -> QWidget:
        act = QWidget()
        al = QVBoxLayout(act)
        self.actions_caption = _wrapped("")
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
        return act
