"""The 台帳 table: one open case per row; overdue review dates and high 緊急度 tinted."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.ui.table_model import SORT_ROLE, RowsModel

_OVERDUE = QBrush(QColor("#f8d7da"))
_HIGH = QBrush(QColor("#fff3cd"))


def _day(d) -> str:
    return format_date(d) if d else "—"


class LedgerModel(RowsModel):
    """Rows are ``ProgressLine``s."""

    CODE, NAME, STATUS, LEAD, ORGS, LAST, REVIEW, URGENCY, FINDING = range(9)
    columns = ((_("ケース"),), (_("氏名"),), (_("状況"),), (_("主担当"),), (_("関係機関"),),
               (_("最終相談日"),), (_("見直し予定日"),), (_("緊急度"),), (_("会議の所見"),))

    def cell(self, row, column: int, role: int) -> Any:
        """Text, sort value and tint of one cell."""
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.code, row.name or "—", row.status_label, row.lead_staff or "—",
                    "、".join(row.organizations) or "—", _day(row.last_contact),
                    _day(row.next_review_on) + (_("（期限切れ）") if row.overdue else ""),
                    row.urgency_label, _finding(row))[column]
        if role == SORT_ROLE:
            return (row.code, row.name, row.status, row.lead_staff, len(row.organizations),
                    row.last_contact.isoformat() if row.last_contact else "",
                    row.next_review_on.isoformat() if row.next_review_on else "9999",
                    row.urgency, row.finding)[column]
        if role == Qt.ItemDataRole.BackgroundRole:
            if column == self.REVIEW and row.overdue:
                return _OVERDUE
            if column == self.URGENCY and row.urgency == "high":
                return _HIGH
        return None


def _finding(row) -> str:
    if not row.finding:
        return ""
    nxt = _("　次回 {d}").format(d=format_date(row.finding_next)) if row.finding_next else ""
    return row.finding_label + nxt
