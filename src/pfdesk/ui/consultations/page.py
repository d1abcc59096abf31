"""相談: the case list with filters and search, and the case screen behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.services.consultations import cases
from pfdesk.services.consultations.search import CaseFilter, working_today
from pfdesk.services.context import ServiceContext
from pfdesk.services.summary import store_counts
from pfdesk.ui.consultations import dialogs
from pfdesk.ui.consultations.case_form import CaseFormDialog
from pfdesk.ui.consultations.detail import CaseDetailView
from pfdesk.ui.consultations.models import CaseTableModel
from pfdesk.ui.errors import show_error
from pfdesk.ui.fields import set_combo
from pfdesk.ui.page import Page, page_layout
from pfdesk.ui.theme_chips import chip_status_columns
from pfdesk.ui.undo_offers import consultation_offer

_STATUS_FILTER = (("", _("すべて")), ("open", _("終結以外")), *codes.CASE_STATUSES)


class ConsultationsPage(Page):
    """相談記録: find a case, open it, record a call, take a new case in."""

    title = _("相談")

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
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.list_widget = QWidget()
        self._build_list(self.list_widget)
        self.detail = CaseDetailView(ctx=ctx)
        self.detail.back.connect(self.show_list)
        self.detail.changed.connect(self._reload_keep)
        self.stack.addWidget(self.list_widget)
        self.stack.addWidget(self.detail)
        self._loaded_choices = False

    # --- list -------------------------------------------------------------------------

    def _build_list(self, w: QWidget) -> None:
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
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
        # Search on a row of its own, filters below: both fit a 1200-pixel window
        # with every choice readable.
        lay.addWidget(self.search)
        for label, box in ((_("状況"), self.status), (_("年度"), self.year),
                           (_("担当"), self.lead), (_("経路"), self.route)):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            bar.addWidget(QLabel(label))
            bar.addWidget(box)
        bar.addWidget(self.voided)
        bar.addStretch(1)
        lay.addLayout(bar)

        actions = QHBoxLayout()
        self.new_button = QPushButton(_("＋ 新規受付"))
        self.quick_button = QPushButton(_("☎ 電話の簡易入力"))
        self.open_button = QPushButton(_("ケースを開く"))
        self.import_button = QPushButton(_("台帳の取込…"))
        self.export_button = QPushButton(_("集計用に書き出し…"))
        self.count = QLabel("")
        for b in (self.new_button, self.quick_button, self.open_button):
            actions.addWidget(b)
        actions.addSpacing(16)
        actions.addWidget(self.count)
        actions.addStretch(1)
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)
        lay.addLayout(actions)
        can_write = self.ctx.actor.can(Permission.CASE_WRITE)
        can_ident = self.ctx.actor.can(Permission.CASE_IDENTIFY)
        self.new_button.setVisible(can_write and can_ident)
        self.quick_button.setVisible(can_write and can_ident)
        self.import_button.setVisible(self.ctx.actor.can(Permission.IMPORT) and can_ident)
        self.export_button.setVisible(self.ctx.actor.can(Permission.EXPORT_PERSONAL))

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
        self.empty.setStyleSheet("background: #eef5fc; border: 1px solid #8db4dc; padding: 8px;")
        self.empty.hide()
        lay.addWidget(self.empty)
        lay.addWidget(self.table, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        for box in (self.status, self.year, self.lead, self.route):
            box.currentIndexChanged.connect(lambda _i: self.reload())
        self.voided.toggled.connect(lambda _b: self.reload())
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.open_button.clicked.connect(self.open_selected)
        self.new_button.clicked.connect(self.new_case)
        self.quick_button.clicked.connect(self.quick_entry)
        self.import_button.clicked.connect(self.import_ledger)
        self.export_button.clicked.connect(self.export)

    def _load_choices(self) -> None:
        for box in (self.year, self.lead):
            box.blockSignals(True)
        self.year.clear()
        self.year.addItem(_("すべての年度"), None)
        for fy in cases.case_fiscal_years(self.ctx):
            self.year.addItem(format_fiscal_year(fy), fy)
        self.lead.clear()
        self.lead.addItem(_("すべての担当"), "")
        for name in cases.staff_names(self.ctx):
            self.lead.addItem(name, name)
        for box in (self.year, self.lead):
            box.blockSignals(False)
        self._loaded_choices = True

    def current_filter(self) -> CaseFilter:
        """The filter bar as a CaseFilter."""
        return CaseFilter(
            text=self.search.text(), status=self.status.currentData() or "",
            fiscal_year=self.year.currentData(), lead_staff=self.lead.currentData() or "",
            route=self.route.currentData() or "", include_voided=self.voided.isChecked(),
        )

    def refresh(self) -> None:
        """Reload the list (the page was shown)."""
        if not self.allowed:
            return
        if not self._loaded_choices:
            self._load_choices()
        if self.stack.currentWidget() is self.detail and self.detail.case:
            self.detail.load(self.detail.case.id)
        elif self.search.isVisibleTo(self):
            # The list opens ready to type a name: the phone is usually ringing.
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.reload()

    def reload(self) -> None:
        """Ask the service for the first page of matching cases."""
        try:
            self.model.reload(self.current_filter())
        except Exception as e:  # noqa: BLE001 - shown; the page stays usable
            show_error(self, e)
            return
        self.count.setText(_("該当 {n:,} 件").format(n=self.model.total))
        self.empty.setVisible(self.model.total == 0)
        if self.model.total == 0:
            self.empty.setText(self._empty_text())

    def _empty_text(self) -> str:
        """Why the list is empty: a new store says how to begin, a filter says to widen it."""
        f = self.current_filter()
        unfiltered = not (f.text.strip() or f.fiscal_year or f.lead_staff or f.route)
        if unfiltered and not store_counts(self.ctx).cases:
            if self.new_button.isVisibleTo(self):
                text = _("ケースはまだありません。「＋ 新規受付」から受付を記録します。")
                if self.import_button.isVisibleTo(self):
                    text += _("以前の相談台帳（Excel）があれば「台帳の取込…」で取り込めます。")
                return text
            return _("ケースはまだありません。")
        return _("条件に合うケースはありません。検索語や絞り込みを変えてください。")

    def _reload_keep(self) -> None:
        self._load_choices()
        self.reload()

    def selected_row(self):
        """The case row the user selected (highlighted), or None.

        Qt keeps a "current" row even when nothing is highlighted (row 1 after a reload):
        acting on it would record a call for a person the user never chose.
        """
        rows = self.table.selectionModel().selectedRows()
        if len(rows) != 1:
            return None
        return self.model.row_at(rows[0].row())

    def selected_case_id(self) -> int | None:
        """The id of the selected case, or None."""
        row = self.selected_row()
        return None if row is None else row.id

    # --- actions ----------------------------------------------------------------------

    def open_case(self, case_id: int) -> None:
        """Show one case."""
        try:
            self.detail.load(case_id)
        except Exception as e:  # noqa: BLE001
            show_error(self, e)
            return
        self.stack.setCurrentWidget(self.detail)

    def open_selected(self) -> None:
        """ケースを開く."""
        case_id = self.selected_case_id()
        if case_id is None:
            show_error(self, ValidationError(_("先に一覧からケースを選んでください。")))
            return
        self.open_case(case_id)

    def show_list(self) -> None:
        """Back to the list."""
        self.stack.setCurrentWidget(self.list_widget)

    def new_case_dialog(self) -> CaseFormDialog:
        """The new-case form (the drafts of an unsaved earlier form are offered by new_case)."""
        return CaseFormDialog(ctx=self.ctx, today=working_today(self.ctx), parent=self)

    def run_action(self, action: str) -> None:
        """Start ``action`` as its button would ("new_case"); "open_case:ID" opens a case."""
        kind, _sep, ident = action.partition(":")
        if kind == "open_case" and ident.isdigit() and self.allowed:
            self.open_case(int(ident))
            return
        if action == "new_case" and self.allowed and self.new_button.isVisibleTo(self):
            self.show_list()
            self.new_case()

    def new_case(self) -> None:
        """＋ 新規受付: take a case in, then open it (or the existing case of the same person)."""
        d = self.new_case_dialog()
        d.offer_drafts()
        if not d.exec():
            return
        if d.result_case:
            self._reload_keep()
            self.open_case(d.result_case.id)
            offer = consultation_offer(d)
            if offer is not None:  # 「ケース R8-0012 を登録しました　［取り消し］」
                self.detail.undo_bar.offer(offer)
        elif d.existing_case_id is not None:
            self.open_case(d.existing_case_id)
            case = self.detail.case
            if case is not None and case.id == d.existing_case_id and case.status == "closed":
                self.detail.reopen_case()  # 再開: date and reason, as from the case screen

    def quick_entry(self) -> None:
        """☎ 電話の簡易入力 for the selected case, or the only case the search found."""
        row = self.selected_row()
        if row is None and self.model.total == 1 and self.model.rowCount() == 1:
            # The search left one case: that is the caller, shown by name in the dialog.
            row = self.model.row_at(0)
        if row is None:
            show_error(self, ValidationError(
                _("電話の相手のケースを一覧で1件選んでから押してください。"),
                hint=_("初めての相談者のときは「新規受付」から登録します。")))
            return
        d = dialogs.QuickPhoneDialog(ctx=self.ctx, case_id=row.id,
                                     case_label=f"{row.case_number}　{row.name}", parent=self)
        d.body.offer_restore()
        if d.exec():
            self.reload()

    def import_ledger(self) -> None:
        """台帳の取込…"""
        from pfdesk.ui.consultations.io_dialogs import ImportDialog

        d = ImportDialog(ctx=self.ctx, parent=self)
        if d.choose_file() and d.exec():
            self._reload_keep()

    def export(self) -> None:
        """集計用に書き出し…"""
        from pfdesk.ui.consultations.io_dialogs import ExportDialog

        ExportDialog(ctx=self.ctx, years=[self.year.itemData(i) for i in
                                          range(1, self.year.count())], parent=self).exec()
