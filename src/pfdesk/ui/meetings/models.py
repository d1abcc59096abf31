"""Thin table models of the meetings page: meetings, members, attendance, action items."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.ui.table_model import SORT_ROLE, Column, ColumnsModel, number_column

ID_ROLE = Qt.ItemDataRole.UserRole + 2


def _d(d: date | None) -> str:
    return format_date(d) if d else ""


class RowsModel(ColumnsModel):
    """A read-only table over frozen dataclass rows with an ``id``; rows may be highlighted."""

    columns: list[Column] = []

    def highlight(self, row: Any) -> QColor | None:
        """A background colour for rows that need attention (none by default)."""
        return None

    def tooltip(self, row: Any) -> str | None:
        """A tooltip for the row (none by default)."""
        return None

    def cell(self, row: Any, column: int, role: int) -> Any:
        """Text, sort value and alignment (the column's), the row's id, highlight and tooltip."""
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE, Qt.ItemDataRole.TextAlignmentRole):
            return super().cell(row, column, role)
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.BackgroundRole:
            color = self.highlight(row)
            return QBrush(color) if color else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row)
        return None


class MeetingTableModel(RowsModel):
    """The meetings of a 年度."""

    columns = [
        number_column(_("会議ID"), lambda r: r.id, lambda r: str(r.id)),
        Column(_("開催日"), lambda r: r.date_text, lambda r: r.held_on.isoformat()),
        Column(_("会議体"), lambda r: r.body_name, lambda r: r.body_name),
        Column(_("回次"), lambda r: _("第{n}回").format(n=r.number), lambda r: r.number),
        Column(_("状況"), lambda r: r.status_label + ("　⚠" if r.warnings else ""),
         lambda r: r.status),
        number_column(_("出席／招集"), lambda r: r.present,
                      lambda r: f"{r.present}／{r.invited}" if r.invited else ""),
        number_column(_("未回答"), lambda r: r.pending),
        number_column(_("決定事項"), lambda r: r.decisions),
        number_column(_("未完了の宿題"), lambda r: r.open_actions),
        Column(_("時間"), lambda r: r.time_text, lambda r: r.time_text),
        Column(_("場所"), lambda r: r.place + (_("（オンライン併用）") if r.online else ""),
         lambda r: r.place),
    ]

    def highlight(self, r) -> QColor | None:
        if r.warnings:
            return QColor("#fff1c2")
        if r.status == "cancelled":
            return QColor("#eeeeee")
        return None

    def tooltip(self, r) -> str | None:
        return "\n".join([r.title, *r.warnings])


class MemberTableModel(RowsModel):
    """Members of a body in the body editor."""

    columns = [
        Column(_("役職"), lambda r: r.role_label, lambda r: r.role),
        Column(_("氏名"), lambda r: r.name, lambda r: r.kana),
        Column(_("所属"), lambda r: r.affiliation, lambda r: r.affiliation),
        Column(_("職名"), lambda r: r.title, lambda r: r.title),
        Column(_("委嘱期間"), lambda r: f"{_d(r.start_on)}～{_d(r.end_on)}",
         lambda r: (r.start_on or date.min).isoformat()),
        Column(_("状態"), lambda r: _("在任") if r.current else _("任期外"), lambda r: r.current),
    ]

    def highlight(self, r) -> QColor | None:
        return None if r.current else QColor("#eeeeee")


class AttendanceTableModel(RowsModel):
    """The 出欠 list of a meeting."""

    columns = [
        number_column(_("No."), lambda r: r.position, lambda r: str(r.position)),
        Column(_("所属"), lambda r: r.affiliation, lambda r: r.affiliation),
        Column(_("職名"), lambda r: r.title, lambda r: r.title),
        Column(_("氏名"), lambda r: r.name, lambda r: r.name),
        Column(_("役職"), lambda r: r.role_label, lambda r: r.role),
        Column(_("出欠"), lambda r: r.shown_response, lambda r: r.response),
        Column(_("回答日"), lambda r: _d(r.responded_on),
         lambda r: (r.responded_on or date.min).isoformat()),
        Column(_("備考"), lambda r: r.note, lambda r: r.note),
    ]

    def highlight(self, r) -> QColor | None:
        return {"pending": QColor("#fff1c2"), "absent": QColor("#eeeeee")}.get(r.response)


class ActionTableModel(RowsModel):
    """Action items (宿題事項)."""

    columns = [
        Column(_("出された会議"), lambda r: r.meeting_label, lambda r: r.meeting_held_on.isoformat()),
        Column(_("内容"), lambda r: r.description, lambda r: r.description),
        Column(_("担当"), lambda r: r.assignee_text, lambda r: r.assignee_text),
        Column(_("期限"), lambda r: _d(r.due_on) + (_("（期限超過）") if r.overdue else ""),
         lambda r: (r.due_on or date.max).isoformat()),
        Column(_("対応状況"), lambda r: r.status_label, lambda r: r.status),
        Column(_("ケース"), lambda r: r.case_number, lambda r: r.case_number),
        Column(_("経過"), lambda r: r.progress_note, lambda r: r.progress_note),
    ]

    def highlight(self, r) -> QColor | None:
        if r.overdue:
            return QColor("#ffd9d9")
        if not r.is_open:
            return QColor("#e6f4e6")
        return None


class AllActionsModel(ActionTableModel):
    """Open action items of every body: the body is named first."""

    columns = [
        Column(_("会議体"), lambda r: r.body_name, lambda r: r.body_name),
        *ActionTableModel.columns,
    ]
