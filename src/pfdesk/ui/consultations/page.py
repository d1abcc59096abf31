"""相談: the case list with filters and search, and the case screen behind it.

Layout in :mod:`.page_view`, the list's loading in :mod:`.page_lists`; this module wires
the widgets and does what the buttons say (open, 新規受付, ☎ 電話の簡易入力, files).
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.consultations.search import working_today
from pfdesk.services.context import ServiceContext
from pfdesk.ui.consultations import dialogs
from pfdesk.ui.consultations.case_form import CaseFormDialog
from pfdesk.ui.consultations.page_lists import ConsultationsLists
from pfdesk.ui.errors import show_error
from pfdesk.ui.undo_offers import consultation_offer


class ConsultationsPage(ConsultationsLists):
    """相談記録: find a case, open it, record a call, take a new case in."""

    title = _("相談")

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        if not self.allowed:
            return
        self.detail.back.connect(self.show_list)
        self.detail.changed.connect(self._reload_keep)
        can_write = ctx.actor.can(Permission.CASE_WRITE)
        can_ident = ctx.actor.can(Permission.CASE_IDENTIFY)
        self.new_button.setVisible(can_write and can_ident)
        self.quick_button.setVisible(can_write and can_ident)
        self.import_button.setVisible(ctx.actor.can(Permission.IMPORT) and can_ident)
        self.export_button.setVisible(ctx.actor.can(Permission.EXPORT_PERSONAL))
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
