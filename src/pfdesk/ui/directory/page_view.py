"""Layout of the 関係機関 page: filters, the three lists and the action buttons.

Widgets only: no service is called and no signal is connected to behaviour here; the
controllers (:mod:`.page_lists`, :mod:`.page_files`, :mod:`.page`) fill and act on them.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)

from pfdesk.core.codes import FIELDS
from pfdesk.core.i18n import _
from pfdesk.services.context import ServiceContext
from pfdesk.ui.directory.models import SORT_ROLE, OrganizationsModel, PeopleModel
from pfdesk.ui.directory.rollover import RolloverView
from pfdesk.ui.fit_layouts import FlowLayout, group
from pfdesk.ui.page import Page, page_layout
from pfdesk.ui.table_model import SortInSource
from pfdesk.ui.undo import UndoBar
from pfdesk.ui.widgets import table_view

PEOPLE_TAB, ORGS_TAB, ROLLOVER_TAB = range(3)

HINT_STYLE = "background: #eef5fc; border: 1px solid #8db4dc; padding: 8px;"


def _table(model: QAbstractItemModel) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = SortInSource()  # RecordTableModel.sort
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = table_view(proxy, alternating=True)
    # Column widths from the first 40 rows only: measuring 6,000 rows froze the page,
    # and 100 rows still took most of the time the page held the window at scale 100.
    view.horizontalHeader().setResizeContentsPrecision(40)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setTabKeyNavigation(False)
    return view, proxy


class DirectoryPageView(Page):
    """The widgets of the 関係機関・担当者 page."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        layout = page_layout(self, _("関係機関・担当者"))
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("検索（氏名・機関名・ふりがな・電話）"))
        self.search.setClearButtonEnabled(True)
        self.field = QComboBox()
        self.field.addItem(_("すべての分野"), None)
        for key, label in FIELDS:
            self.field.addItem(label, key)
        self.body = QComboBox()
        self.body.addItem(_("すべての会議体"), None)
        self.current_only = QCheckBox(_("在任中・有効のみ"))
        self.current_only.setChecked(True)
        bar.addWidget(self.search, 3)
        bar.addWidget(self.field, 1)
        bar.addWidget(self.body, 1)
        bar.addWidget(self.current_only)
        layout.addLayout(bar)
        self.empty_hint = QLabel(_(
            "関係機関・担当者はまだ登録されていません。Excel や CSV の名簿があれば、下の"
            "「取り込み…」でまとめて登録できます。1件ずつ登録するときは「機関を追加」"
            "「担当者を追加」を押してください。"))
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet(HINT_STYLE)
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)

        self.people = PeopleModel(self)
        self.orgs = OrganizationsModel(self)
        self.people_view, self.people_proxy = _table(self.people)
        self.orgs_view, self.orgs_proxy = _table(self.orgs)
        self.rollover = RolloverView(ctx=ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.people_view, _("担当者"))
        self.tabs.addTab(self.orgs_view, _("関係機関"))
        self.tabs.addTab(self.rollover, _("年度更新"))
        self.undo_bar = UndoBar(ctx=ctx)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.tabs, 1)

        self.new_person_button = QPushButton(_("担当者を追加"))
        self.new_org_button = QPushButton(_("機関を追加"))
        self.open_button = QPushButton(_("開く"))
        self.merge_button = QPushButton(_("統合…"))
        self.import_button = QPushButton(_("取り込み…"))
        self.export_button = QPushButton(_("書き出し…"))
        self.print_button = QPushButton(_("名簿PDF…"))
        self.labels_button = QPushButton(_("宛名ラベル…"))
        # Records on the left, files and print after them; on a narrow window (125 % or
        # 150 % scaling) the second group goes to a line of its own.
        buttons = FlowLayout(spacing=12)
        buttons.addWidget(group(self.new_person_button, self.new_org_button,
                                self.open_button, self.merge_button))
        buttons.addWidget(group(self.import_button, self.export_button, self.print_button,
                                self.labels_button))
        layout.addLayout(buttons)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
