"""Table models of the consultation screens.

The case list can hold 100,000 cases: it asks the service for one page at a time
(``fetchMore``) and lets the service sort in SQL. The other tables are small.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor

from pfdesk.core import codes
from pfdesk.core.fiscal import AGE_BANDS
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.services.consultations.search import CaseFilter, CaseListRow, search_cases
from pfdesk.services.context import ServiceContext

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
_AGE = {k: _(v) for k, v in AGE_BANDS}
_GREY = QBrush(QColor("#888888"))
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ROOT = QModelIndex()


def _short(dt) -> str:
    return dt.strftime("%Y/%m/%d") if dt else ""


class CaseTableModel(QAbstractTableModel):
    """The case list, fetched page by page from ``search_cases``."""

    NUMBER, INTAKE, NAME, KANA, SEX, AGE, STATUS, LEAD, ROUTE, LAST, CONSENT = range(11)
    HEADERS = (_("ケース番号"), _("受付日"), _("氏名"), _("ふりがな"), _("性別"), _("年代"),
               _("状況"), _("主担当"), _("相談経路"), _("最終相談日"), _("同意"))
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

    def reload(self, f: CaseFilter | None = None) -> None:
        """Start again from the first page (new filter or sort)."""
        if f is not None:
            self.filter = f
        page = search_cases(self.ctx, self.filter, sort=self.sort_key,
                            descending=self.descending, offset=0, limit=self.PAGE)
        self.beginResetModel()
        self.rows, self.total = list(page.rows), page.total
        self.endResetModel()

    def canFetchMore(self, parent=_ROOT) -> bool:  # noqa: N802 - Qt API
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent=_ROOT) -> None:  # noqa: N802 - Qt API
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

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=_DISPLAY):  # noqa: N802 - Qt API
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.HEADERS[section]
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by the column's key (columns without one keep the current order)."""
        key = self.SORT_KEYS.get(column)
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def row_at(self, row: int) -> CaseListRow:
        """The case on ``row``."""
        return self.rows[row]

    def data(self, index, role=_DISPLAY):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        r = self.rows[index.row()]
        c = index.column()
        if role == _DISPLAY:
            return {
                self.NUMBER: r.case_number + (_("（取消）") if r.voided else ""),
                self.INTAKE: _short(r.intake_date), self.NAME: r.name, self.KANA: r.kana,
                self.SEX: codes.SEXES.label(r.sex), self.AGE: _AGE.get(r.age_band, r.age_band),
                self.STATUS: codes.CASE_STATUSES.label(r.status), self.LEAD: r.lead_staff,
                self.ROUTE: r.route_org_name or codes.ROUTES.label(r.route),
                self.LAST: _short(r.last_contact), self.CONSENT: _("あり") if r.consent else "",
            }[c]
        if role == SORT_ROLE:
            return {self.INTAKE: r.intake_date.toordinal(),
                    self.LAST: r.last_contact.timestamp() if r.last_contact else 0}.get(
                        c, self.data(index, _DISPLAY))
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.ForegroundRole and (r.voided or r.status == "closed"):
            return _GREY
        return None


class ListModel(QAbstractTableModel):
    """A small read-only table of dataclass rows with a formatter per column."""

    def __init__(self, headers, formatters, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.formatters = list(formatters)
        self.rows: list = []

    def set_rows(self, rows) -> None:
        """Replace all rows."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=_ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=_DISPLAY):  # noqa: N802 - Qt API
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return self.headers[section]
        return None

    def data(self, index, role=_DISPLAY):
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        r = self.rows[index.row()]
        if role == _DISPLAY:
            return self.formatters[index.column()](r)
        if role == ID_ROLE:
            return getattr(r, "id", None)
        if role == Qt.ItemDataRole.ForegroundRole and getattr(r, "voided", False):
            return _GREY
        if role == Qt.ItemDataRole.ToolTipRole and getattr(r, "voided", False):
            return _("取消：{reason}").format(reason=getattr(r, "void_reason", ""))
        return None


def contact_model(parent=None) -> ListModel:
    """The 経過 tab's table."""
    def who(r):
        return codes.REQUESTERS.label(r.requester) + (f"（{r.relation}）" if r.relation else "")

    return ListModel(
        (_("日時"), _("方法"), _("相談者"), _("相談内容"), _("対応者"), _("次回予定"), _("内容")),
        (
            lambda r: (r.occurred_at.strftime("%Y/%m/%d %H:%M")
                       + (_("（取消）") if r.voided else "")),
            lambda r: codes.METHODS.label(r.method),
            who,
            lambda r: codes.TOPICS.label(r.main_topic),
            lambda r: r.staff,
            lambda r: r.next_plan,
            lambda r: r.body.replace("\n", " ")[:120],
        ),
        parent,
    )


def referral_model(parent=None) -> ListModel:
    """The つなぎ tab's table."""
    return ListModel(
        (_("紹介日"), _("つなぎ先"), _("区分"), _("状況"), _("利用開始"), _("終了・中断"),
         _("備考")),
        (
            lambda r: format_date(r.referred_on) + (_("（取消）") if r.voided else ""),
            lambda r: r.organization_name or _("（機関未登録）"),
            lambda r: codes.REFERRAL_CATEGORIES.label(r.category),
            lambda r: codes.REFERRAL_STATUSES.label(r.status),
            lambda r: format_date(r.started_on) if r.started_on else "",
            lambda r: format_date(r.ended_on) if r.ended_on else "",
            lambda r: r.note,
        ),
        parent,
    )


def consent_model(parent=None) -> ListModel:
    """The 同意 tab's table."""
    return ListModel(
        (_("同意日"), _("方法"), _("範囲"), _("撤回日"), _("備考")),
        (
            lambda r: format_date(r.given_on) + (_("（取消）") if r.voided else ""),
            lambda r: codes.CONSENT_METHODS.label(r.method),
            lambda r: r.scope_text,
            lambda r: format_date(r.withdrawn_on) if r.withdrawn_on else "",
            lambda r: r.note,
        ),
        parent,
    )


def timeline_model(parent=None) -> ListModel:
    """The タイムライン tab's table."""
    return ListModel(
        (_("日付"), _("種類"), _("できごと"), _("内容")),
        (
            lambda e: format_date(e.day) + (e.at.strftime(" %H:%M") if e.at else ""),
            lambda e: e.kind_label,
            lambda e: e.title,
            lambda e: e.detail.replace("\n", " "),
        ),
        parent,
    )
