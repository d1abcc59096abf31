"""Table models of the consultation screens.

The case list can hold 100,000 cases: it asks the service for one page at a time
(``fetchMore``) and lets the service sort in SQL. The other tables are small.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from pfdesk.core import codes
from pfdesk.core.fiscal import AGE_BANDS
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date, format_short, format_short_datetime
from pfdesk.services.consultations.search import CaseFilter, CaseListRow, search_cases
from pfdesk.services.context import ServiceContext
from pfdesk.ui.table_model import _ROOT, Column, ColumnsModel, _Index

ID_ROLE = Qt.ItemDataRole.UserRole + 2
_AGE = {k: _(v) for k, v in AGE_BANDS}
_GREY = QBrush(QColor("#888888"))


def _short(dt: date | datetime | None) -> str:
    """A date in a table: R8.11.20, the era the case's details show (core.wareki)."""
    if isinstance(dt, datetime):
        dt = dt.date()
    return format_short(dt)


class CaseTableModel(ColumnsModel):
    """The case list, fetched page by page from ``search_cases`` and sorted in SQL."""

    NUMBER, INTAKE, NAME, KANA, SEX, AGE, STATUS, LEAD, ROUTE, LAST, CONSENT = range(11)
    columns = (
        Column(_("ケース番号"), lambda r: r.case_number + (_("（取消）") if r.voided else "")),
        Column(_("受付日"), lambda r: _short(r.intake_date), lambda r: r.intake_date.toordinal()),
        Column(_("氏名"), lambda r: r.name),
        Column(_("ふりがな"), lambda r: r.kana),
        Column(_("性別"), lambda r: codes.SEXES.label(r.sex)),
        Column(_("年代"), lambda r: _AGE.get(r.age_band, r.age_band)),
        Column(_("状況"), lambda r: codes.CASE_STATUSES.label(r.status)),
        Column(_("主担当"), lambda r: r.lead_staff),
        Column(_("相談経路"), lambda r: r.route_org_name or codes.ROUTES.label(r.route)),
        Column(_("最終相談日"), lambda r: _short(r.last_contact),
               lambda r: r.last_contact.timestamp() if r.last_contact else 0),
        Column(_("同意"), lambda r: _("あり") if r.consent else ""),
    )
    #: The column's key for sorting in SQL (columns without one keep the current order).
    SORT_KEYS = {NUMBER: "case_number", INTAKE: "intake_date", NAME: "name", KANA: "name",
                 SEX: "sex", STATUS: "status", LEAD: "lead_staff", ROUTE: "route",
                 LAST: "last_contact"}
    PAGE = 200

    def __init__(self, ctx: ServiceContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = CaseFilter()
        self.sort_key, self.descending = "case_number", True
        self.rows: list[CaseListRow] = []
        self.total = 0
        #: False until the first reload: a sort asked for before it (the view's
        #: setSortingEnabled while the page is built) only sets the order to read in.
        self.loaded = False

    def reload(self, f: CaseFilter | None = None) -> None:
        """Start again from the first page (new filter or sort)."""
        if f is not None:
            self.filter = f
        page = search_cases(self.ctx, self.filter, sort=self.sort_key,
                            descending=self.descending, offset=0, limit=self.PAGE)
        self.loaded = True
        self.beginResetModel()
        self.rows, self.total = list(page.rows), page.total
        self.endResetModel()

    def canFetchMore(self, parent: _Index = _ROOT) -> bool:  # noqa: N802 - Qt API
        """Whether cases remain beyond those fetched."""
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: _Index = _ROOT) -> None:  # noqa: N802 - Qt API
        """Fetch the next page of cases."""
        if parent.isValid():
            return
        page = search_cases(self.ctx, self.filter, sort=self.sort_key,
                            descending=self.descending, offset=len(self.rows), limit=self.PAGE)
        if not page.rows:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page.rows) - 1)
        self.rows.extend(page.rows)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by the column's key (columns without one keep the current order)."""
        key = self.SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending) and self.loaded:
            return  # QTableView.sortByColumn asks twice: the list is read once
        self.sort_key, self.descending = key, descending
        if self.loaded:
            self.reload()

    def row_at(self, row: int) -> CaseListRow:
        """The case on ``row``."""
        return self.rows[row]

    def foreground(self, row: CaseListRow) -> QBrush | None:
        """Voided and closed cases are shown grey."""
        return _GREY if row.voided or row.status == "closed" else None

    def cell(self, row: CaseListRow, column: int, role: int) -> Any:
        """The columns' cells, and the case's id."""
        if role == ID_ROLE:
            return row.id
        return super().cell(row, column, role)


class ListModel(ColumnsModel):
    """A small read-only table of dataclass rows, one text per column; 取消 rows grey."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)

    def foreground(self, row: Any) -> QBrush | None:
        """Voided records are shown grey."""
        return _GREY if getattr(row, "voided", False) else None

    def tooltip(self, row: Any) -> str | None:
        """Why a voided record was voided."""
        if getattr(row, "voided", False):
            return _("取消：{reason}").format(reason=getattr(row, "void_reason", ""))
        return None

    def cell(self, row: Any, column: int, role: int) -> Any:
        """The columns' cells, and the record's id."""
        if role == ID_ROLE:
            return getattr(row, "id", None)
        return super().cell(row, column, role)


def _voided(r: Any) -> str:
    return _("（取消）") if r.voided else ""


def _day(d: date | None) -> str:
    return format_date(d) if d else ""


def contact_model(parent: QObject | None = None) -> ListModel:
    """The 経過 tab's table."""
    def who(r: Any) -> str:
        return codes.REQUESTERS.label(r.requester) + (f"（{r.relation}）" if r.relation else "")

    return ListModel((
        Column(_("日時"), lambda r: format_short_datetime(r.occurred_at) + _voided(r)),
        Column(_("方法"), lambda r: codes.METHODS.label(r.method)),
        Column(_("相談者"), who),
        Column(_("相談内容"), lambda r: codes.TOPICS.label(r.main_topic)),
        Column(_("対応者"), lambda r: r.staff),
        Column(_("次回予定"), lambda r: r.next_plan),
        Column(_("内容"), lambda r: r.body.replace("\n", " ")[:120]),
    ), parent)


def referral_model(parent: QObject | None = None) -> ListModel:
    """The つなぎ tab's table."""
    return ListModel((
        Column(_("紹介日"), lambda r: format_date(r.referred_on) + _voided(r)),
        Column(_("つなぎ先"), lambda r: r.organization_name or _("（機関未登録）")),
        Column(_("区分"), lambda r: codes.REFERRAL_CATEGORIES.label(r.category)),
        Column(_("状況"), lambda r: codes.REFERRAL_STATUSES.label(r.status)),
        Column(_("利用開始"), lambda r: _day(r.started_on)),
        Column(_("終了・中断"), lambda r: _day(r.ended_on)),
        Column(_("備考"), lambda r: r.note),
    ), parent)


def consent_model(parent: QObject | None = None) -> ListModel:
    """The 同意 tab's table."""
    return ListModel((
        Column(_("同意日"), lambda r: format_date(r.given_on) + _voided(r)),
        Column(_("方法"), lambda r: codes.CONSENT_METHODS.label(r.method)),
        Column(_("範囲"), lambda r: r.scope_text),
        Column(_("撤回日"), lambda r: _day(r.withdrawn_on)),
        Column(_("備考"), lambda r: r.note),
    ), parent)


def timeline_model(parent: QObject | None = None) -> ListModel:
    """The タイムライン tab's table."""
    return ListModel((
        Column(_("日付"), lambda e: format_date(e.day) + (e.at.strftime(" %H:%M") if e.at else "")),
        Column(_("種類"), lambda e: e.kind_label),
        Column(_("できごと"), lambda e: e.title),
        Column(_("内容"), lambda e: e.detail.replace("\n", " ")),
    ), parent)
