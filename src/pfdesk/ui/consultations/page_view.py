"""Layout of the 相談 page: search, filters, actions and the case list, and the case screen.

Widgets only: :mod:`.page_lists` fills them and :mod:`.page` wires them to behaviour. The
list and the case screen share a stack sized by the one shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import codes
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.ui.consultations.detail import CaseDetailView
from pfdesk.ui.consultations.models import CaseTableModel
from pfdesk.ui.fields import set_combo
from pfdesk.ui.fit_layouts import CurrentPageStack, FlowLayout, group
from pfdesk.ui.page import Page, page_layout
from pfdesk.ui.theme_chips import chip_status_columns

_STATUS_FILTER = (("", _("すべて")), ("open", _("終結以外")), *codes.CASE_STATUSES)
HINT_STYLE = "background: #eef5fc; border: 1px solid #8db4dc; padding: 8px;"


class ConsultationsPageView(Page):
    """The widgets of the 相談 page (a note instead, for a role that may not read cases)."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        layout = page_layout(self, _("相談"))
        self.allowed = ctx.actor.can(Permission.CASE_READ)
        if not self.allowed:
            # The services would refuse anyway; say so plainly instead of an empty page.
            note = QLabel(
                _("相談記録を見る権限がありません。必要なときは管理者に依頼してください。"))
            note.setWordWrap(True)
            layout.addWidget(note)
            layout.addStretch(1)
            return
        self.stack = CurrentPageStack()  # the list does not ask for the case screen's size
        layout.addWidget(self.stack, 1)
        self.list_widget = QWidget()
        self._build_list(self.list_widget)
        self.detail = CaseDetailView(ctx=ctx)
        self.stack.addWidget(self.list_widget)
        self.stack.addWidget(self.detail)

    def _build_list(self, w: QWidget) -> None:
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            _("氏名・ふりがな・ケース番号・記録の文で検索（例: 高橋、たかはし、R8-0012）")
            if self.ctx.actor.can(Permission.CASE_IDENTIFY)
            else _("ケース番号で検索（例: R8-0012）"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        for key, label in _STATUS_FILTER:
            self.status.addItem(label, key)
        set_combo(self.status, "open")
        self.year = QComboBox()
        self.lead = QComboBox()
        self.route = QComboBox()
        self.route.addItem(_("すべての経路"), "")
        for key, label in codes.ROUTES:
            self.route.addItem(label, key)
        self.voided = QCheckBox(_("取消済みも表示"))
        self.route.setMaximumWidth(260)
        # Search on a row of its own, filters below; on a narrow window (125 %/150 %
        # scaling) the filters that do not fit go to the next line.
        lay.addWidget(self.search)
        bar = FlowLayout(spacing=10)
        for label, box in ((_("状況"), self.status), (_("年度"), self.year),
                           (_("担当"), self.lead), (_("経路"), self.route)):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            bar.addWidget(group(QLabel(label), box))
        bar.addWidget(self.voided)
        lay.addLayout(bar)

        self.new_button = QPushButton(_("＋ 新規受付"))
        self.quick_button = QPushButton(_("☎ 電話の簡易入力"))
        self.open_button = QPushButton(_("ケースを開く"))
        self.import_button = QPushButton(_("台帳の取込…"))
        self.export_button = QPushButton(_("集計用に書き出し…"))
        self.count = QLabel("")
        actions = FlowLayout(spacing=16)
        actions.addWidget(group(self.new_button, self.quick_button, self.open_button))
        actions.addWidget(self.count)
        actions.addWidget(group(self.import_button, self.export_button))
        lay.addLayout(actions)

        self.model = CaseTableModel(self.ctx, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(CaseTableModel.NUMBER,
                                                       Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        chip_status_columns(self.table)  # 受付 / 支援中 / 見守り / 終結 as coloured chips
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Widths from the font in use, so dates and 年代 are never cut to 「2026/11…」.
        fm, pad = self.table.fontMetrics(), 20
        for col, sample in ((0, "R88-00000"), (1, "2026/11/26"), (2, "髙橋　健一郎"),
                            (3, "たかはし　けんいちろう"), (4, "その他"), (5, "60代以上"),
                            (6, "見守り"), (7, "担当者名"), (8, "社会福祉法人みどり川町社会"),
                            (9, "2026/11/26")):
            header.resizeSection(col, fm.horizontalAdvance(sample) + pad)
        # Above the table, where the eye goes first when the list is empty.
        self.empty = QLabel(_("条件に合うケースはありません。検索語や絞り込みを変えてください。"))
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(HINT_STYLE)
        self.empty.hide()
        lay.addWidget(self.empty)
        lay.addWidget(self.table, 1)
