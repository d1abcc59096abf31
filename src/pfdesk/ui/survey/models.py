"""Table models of the 実態把握 page: surveys and their respondents."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.services.survey.surveys import RespondentRow, SurveyRow
from pfdesk.ui.table_model import SORT_ROLE, RowsModel

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class SurveysModel(RowsModel):
    """年度, 調査名, 提出期限, 回収, 回収率, 把握人数."""

    columns = ((_("年度"),), (_("調査名"),), (_("提出期限"),), (_("回収"),), (_("回収率"),),
               (_("把握人数"),))

    def cell(self, row: SurveyRow, column: int, role: int) -> Any:
        """Text, native sort values and right-aligned numbers."""
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.fiscal_year_label, row.title,
                    format_date(row.deadline) if row.deadline else "",
                    f"{row.answered}/{row.respondents}", f"{row.response_rate:.1f}%",
                    _("{n}人").format(n=row.known_total))[column]
        if role == SORT_ROLE:
            return (row.fiscal_year, row.title, row.deadline.isoformat() if row.deadline else "",
                    row.answered, row.response_rate, row.known_total)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return _RIGHT
        return None


class RespondentsModel(RowsModel):
    """地区／区分, 回答者, 回答日, 把握している人数, 記入人数."""

    columns = ((_("地区・区分"),), (_("回答者"),), (_("回答日"),), (_("把握している人数"),),
               (_("記入した人数"),))

    def cell(self, row: RespondentRow, column: int, role: int) -> Any:
        """未回答 rows say so in the 回答日 column and are shown in red."""
        if role == Qt.ItemDataRole.DisplayRole:
            who = row.name if row.kind == "commissioner" else row.organization_name
            return (row.group, who,
                    format_date(row.answered_on) if row.answered_on else _("未回答"),
                    "" if row.known_count is None else _("{n}人").format(n=row.known_count),
                    _("{n}人").format(n=row.persons_entered) if row.answered_on else "")[column]
        if role == SORT_ROLE:
            return (row.group, row.name or row.organization_name,
                    row.answered_on.isoformat() if row.answered_on else "",
                    row.known_count or 0, row.persons_entered)[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and row.answered_on is None:
            from PySide6.QtGui import QColor

            return QColor("#C00000")
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 3:
            return _RIGHT
        return None
