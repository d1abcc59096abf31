"""Table models of the 実態把握 page: surveys and their respondents."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.services.survey.surveys import RespondentRow
from pfdesk.ui.table_model import Column, ColumnsModel, number_column

_UNANSWERED = QColor("#C00000")


def _people(n: int | None) -> str:
    return "" if n is None else _("{n}人").format(n=n)


class SurveysModel(ColumnsModel):
    """年度, 調査名, 提出期限, 回収, 回収率, 把握人数."""

    columns = (
        Column(_("年度"), lambda r: r.fiscal_year_label, lambda r: r.fiscal_year),
        Column(_("調査名"), lambda r: r.title),
        Column(_("提出期限"), lambda r: format_date(r.deadline) if r.deadline else "",
               lambda r: r.deadline.isoformat() if r.deadline else ""),
        number_column(_("回収"), lambda r: r.answered,
                      lambda r: f"{r.answered}/{r.respondents}"),
        number_column(_("回収率"), lambda r: r.response_rate,
                      lambda r: f"{r.response_rate:.1f}%"),
        number_column(_("把握人数"), lambda r: r.known_total, lambda r: _people(r.known_total)),
    )


class RespondentsModel(ColumnsModel):
    """地区／区分, 回答者, 回答日, 把握している人数, 記入人数."""

    ANSWERED = 2
    columns = (
        Column(_("地区・区分"), lambda r: r.group),
        Column(_("回答者"), lambda r: r.name if r.kind == "commissioner" else r.organization_name,
               lambda r: r.name or r.organization_name),
        Column(_("回答日"), lambda r: format_date(r.answered_on) if r.answered_on else _("未回答"),
               lambda r: r.answered_on.isoformat() if r.answered_on else ""),
        number_column(_("把握している人数"), lambda r: r.known_count or 0,
                      lambda r: _people(r.known_count)),
        number_column(_("記入した人数"), lambda r: r.persons_entered,
                      lambda r: _people(r.persons_entered) if r.answered_on else ""),
    )

    def cell(self, row: RespondentRow, column: int, role: int) -> object:
        """未回答 rows say so in the 回答日 column, in red."""
        if (role == Qt.ItemDataRole.ForegroundRole and column == self.ANSWERED
                and row.answered_on is None):
            return _UNANSWERED
        return super().cell(row, column, role)
