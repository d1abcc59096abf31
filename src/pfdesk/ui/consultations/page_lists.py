"""相談 page: the filter choices, the filtered case list, its count and empty hints."""

from __future__ import annotations

from PySide6.QtCore import Qt

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.services.consultations import cases
from pfdesk.services.consultations.search import CaseFilter
from pfdesk.services.summary import store_counts
from pfdesk.ui.consultations.page_view import ConsultationsPageView
from pfdesk.ui.errors import show_error


class ConsultationsLists(ConsultationsPageView):
    """Loads the case list through the consultations services."""

    _loaded_choices = False

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
