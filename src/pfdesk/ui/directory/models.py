"""Table models of the directory page: people, organizations, posts, 年度更新, import rows.

Also the つなぎ (referrals) shown on an organization's form.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from pfdesk.core import kana
from pfdesk.core.codes import (
    BODY_ROLES,
    FIELDS,
    ORG_KINDS,
    REFERRAL_CATEGORIES,
    REFERRAL_STATUSES,
)
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_short
from pfdesk.ui.table_model import SORT_ROLE, Column, ColumnsModel

#: Role giving the row's record.
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2

T = TypeVar("T")
_MISSING = object()
_GREY = QBrush(QColor("#777777"))
_ROW_ERROR = QBrush(QColor("#fde2e2"))
_ROW_DUP = QBrush(QColor("#fff4d6"))


def short_date(d: date | None) -> str:
    """A date for a table cell: R8.4.1, the era the forms show (blank when none)."""
    return format_short(d)


def term(start: date | None, end: date | None) -> str:
    """在任期間 as shown in tables: R7.4.1～R8.3.31."""
    if not start and not end:
        return ""
    return f"{short_date(start)}～{short_date(end)}"


class RecordTableModel(ColumnsModel, Generic[T]):
    """A read-only table over a list of frozen records, one per row, sorted by the model."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Shown texts and sort values per (row, column, role): the sorting proxy and the
        # column sizing ask for them many times over (172,000 calls for 6,000 people).
        self._cells: dict[tuple[int, int, int], Any] = {}
        self._order: tuple[int, Qt.SortOrder] | None = None

    @property
    def records(self) -> list[T]:
        """The records, in the order shown."""
        return self.rows

    def set_records(self, records: Sequence[T]) -> None:
        """Replace every row (kept in the order last asked for by :meth:`sort`)."""
        self.beginResetModel()
        self.rows = list(records)
        self._cells = {}
        if self._order is not None:
            self.rows = [self.rows[i] for i in self.sorted_rows(*self._order)]
        self.endResetModel()

    def sorted_rows(self, column: int, order: Qt.SortOrder) -> list[int]:
        """The rows' positions in the column's order (blank values first, ascending)."""
        col = self.columns[column]
        key = col.sort or col.text
        keys = [key(r) for r in self.rows]
        return sorted(range(len(keys)), key=keys.__getitem__,
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the records (:meth:`ColumnsModel.sort`); later records keep this order."""
        if 0 <= column < len(self.columns):
            self._order = (column, order)
        super().sort(column, order)

    def rows_moved(self) -> None:
        """The remembered cells are by row: forgotten when the rows move."""
        self._cells = {}

    def forget_row(self, row: int) -> None:
        """Drop the remembered texts of ``row`` after its record was replaced."""
        self._cells = {k: v for k, v in self._cells.items() if k[0] != row}

    def record(self, row: int) -> T:
        """The record shown on ``row``."""
        return self.rows[row]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Texts and sort values remembered once asked; the rest as the columns give it."""
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE) and index.isValid():
            key = (index.row(), index.column(), role)
            value = self._cells.get(key, _MISSING)
            if value is _MISSING:
                value = self._cells[key] = super().data(index, role)
            return value
        return super().data(index, role)

    def cell(self, row: T, column: int, role: int) -> Any:
        """The columns' cells, and the record itself."""
        if role == RECORD_ROLE:
            return row
        return super().cell(row, column, role)


@functools.lru_cache(maxsize=65_536)
def _reading_key(text: str) -> str:
    # QSortFilterProxyModel compares plain values: turn the 五十音 key into a string.
    key = kana.sort_key(text)
    return f"{key[0]}{key[1]}{''.join(map(str, key[2]))}{''.join(map(str, key[3]))}{key[4]}"


class PeopleModel(RecordTableModel):
    """担当者 list."""

    NAME, KANA, ORG, POST, PHONE, BODIES = range(6)
    columns = (
        Column(_("氏名"), lambda r: r.full_name, lambda r: _reading_key(r.full_kana or r.full_name)),
        Column(_("ふりがな"), lambda r: r.full_kana, lambda r: _reading_key(r.full_kana)),
        Column(_("所属"), lambda r: r.organization_name or _("（在任なし）")),
        Column(_("部署・職名"), lambda r: " ".join(x for x in (r.department, r.title) if x)),
        Column(_("電話"), lambda r: r.phone),
        Column(_("会議体"), lambda r: r.bodies),
    )

    def foreground(self, rec) -> Any:
        return None if rec.in_post else _GREY


class OrganizationsModel(RecordTableModel):
    """関係機関 list."""

    NAME, KANA, FIELD, KIND, PHONE, PEOPLE, STATE = range(7)
    columns = (
        Column(_("機関名"), lambda r: r.name, lambda r: _reading_key(r.name_kana or r.name)),
        Column(_("ふりがな"), lambda r: r.name_kana, lambda r: _reading_key(r.name_kana)),
        Column(_("分野"), lambda r: FIELDS.label(r.field), lambda r: FIELDS.keys().index(r.field)
               if r.field in FIELDS else 99),
        Column(_("種別"), lambda r: ORG_KINDS.label(r.kind)),
        Column(_("電話"), lambda r: r.phone),
        Column(_("在任者"), lambda r: f"{r.people_in_post}{_('名')}", lambda r: r.people_in_post),
        Column(_("状態"), lambda r: _("廃止（{d}）").format(d=short_date(r.abolished_on))
               if not r.active else _("有効")),
    )

    def foreground(self, rec) -> Any:
        return None if rec.active else _GREY


class PostsModel(RecordTableModel):
    """Posts of one person or organization, current first (history kept)."""

    columns = (
        Column(_("氏名"), lambda r: r.person_name, lambda r: _reading_key(r.person_kana)),
        Column(_("所属"), lambda r: r.organization_name),
        Column(_("部署"), lambda r: r.department),
        Column(_("職名"), lambda r: r.title),
        Column(_("在任期間"), lambda r: term(r.start_on, r.end_on),
               lambda r: (r.start_on or date.min).toordinal()),
        Column(_("状態"), lambda r: _("在任中") if r.current else _("退任")),
    )

    def foreground(self, rec) -> Any:
        return None if rec.current else _GREY


class MembershipsModel(RecordTableModel):
    """A person's 会議体 seats (read here; edited on the 会議 page)."""

    columns = (
        Column(_("会議体"), lambda r: r.body_name),
        Column(_("役職"), lambda r: BODY_ROLES.label(r.role)),
        Column(_("委嘱期間"), lambda r: term(r.start_on, r.end_on)),
        Column(_("所属（委嘱時）"), lambda r: r.organization_name),
    )

    def foreground(self, rec) -> Any:
        return None if rec.current else _GREY


class ReferralsModel(RecordTableModel):
    """つなぎ to one organization, newest first.

    The 本人 and 備考 columns exist only for roles that may identify cases; the others see
    case numbers only.
    """

    def __init__(self, parent: QObject | None = None, *, identify: bool) -> None:
        super().__init__(parent)
        cols: list[Column] = [
            Column(_("紹介日"), lambda r: short_date(r.referred_on), lambda r: r.referred_on),
            Column(_("ケース番号"), lambda r: r.case_number),
        ]
        if identify:
            cols.append(Column(_("本人"), lambda r: r.person_name))
        cols += [
            Column(_("つなぎ先区分"), lambda r: REFERRAL_CATEGORIES.label(r.category)),
            Column(_("状況"), lambda r: REFERRAL_STATUSES.label(r.status)),
            Column(_("利用開始"), lambda r: short_date(r.started_on),
                   lambda r: r.started_on or date.min),
            Column(_("終了・中断"), lambda r: short_date(r.ended_on),
                   lambda r: r.ended_on or date.min),
        ]
        if identify:
            cols.append(Column(_("備考"), lambda r: r.note.replace("\n", " ")))
        self.columns = tuple(cols)

    def foreground(self, rec) -> Any:
        return _GREY if rec.status in ("ended", "interrupted") else None


class RolloverModel(RecordTableModel):
    """Posts to check in 年度更新."""

    columns = (
        Column(_("確認事項"), lambda r: _("退任済み・後任未登録") if r.reason == "ended"
               else _("今年度の在任を未確認")),
        Column(_("所属"), lambda r: r.organization_name),
        Column(_("部署・職名"), lambda r: " ".join(x for x in (r.department, r.title) if x)),
        Column(_("氏名"), lambda r: r.person_name, lambda r: _reading_key(r.person_kana)),
        Column(_("在任期間"), lambda r: term(r.start_on, r.end_on),
               lambda r: (r.start_on or date.min).toordinal()),
    )


_ACTION = {"add": _("追加"), "update": _("更新"), "unchanged": _("変更なし"), "error": _("エラー")}
_CHANGES = {
    "org.name_kana": _("機関のふりがな"), "org.field": _("分野"), "org.kind": _("種別"),
    "org.fax": _("FAX"), "org.postal_code": _("郵便番号"), "org.address": _("住所"),
    "org.phone": _("機関の電話"), "org.email": _("機関のメール"), "org.department": _("窓口"),
    "org.note": _("機関の備考"), "person.family_name": _("姓"), "person.given_name": _("名"),
    "person.family_kana": _("姓のふりがな"), "person.given_kana": _("名のふりがな"),
    "person.note": _("備考"), "post.department": _("部署"), "post.title": _("職名"),
    "post.phone": _("電話"), "post.email": _("メール"), "post.start_on": _("在任開始"),
    "post": _("新しい在任（前の在任は終了）"),
}


def _changes(rec) -> str:
    if rec.action != "update":
        return ""
    return "、".join(_CHANGES.get(c, c) for c in rec.changes)


class ImportRowsModel(RecordTableModel):
    """The import preview: one line per file row, with the duplicate choice editable."""

    ROW, ACTION, ORG, PERSON, DUP, CHOICE, CHANGES = range(7)
    columns = (
        Column(_("行"), lambda r: str(r.row), lambda r: r.row),
        Column(_("結果"), lambda r: _ACTION.get(r.action, r.action)),
        Column(_("機関名"), lambda r: r.organization),
        Column(_("氏名"), lambda r: r.person),
        Column(_("重複の候補"), lambda r: r.duplicate_of or r.review),
        Column(_("重複時の扱い"), lambda r: "" if not (r.duplicate_of or r.review) else (
            _("既存を更新") if r.decision == "update" else _("別人として追加"))),
        Column(_("更新される項目"), _changes),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.decisions: dict[int, str] = {}

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == self.CHOICE and (
                self.records[index.row()].duplicate_of or self.records[index.row()].review):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != self.CHOICE:
            return False
        rec = self.records[index.row()]
        if not (rec.duplicate_of or rec.review) or value not in ("update", "add"):
            return False
        self.decisions[rec.row] = value
        self.records[index.row()] = replace(rec, decision=value)
        self.forget_row(index.row())
        self.dataChanged.emit(index, index)
        return True

    def background(self, rec) -> Any:
        if rec.action == "error":
            return _ROW_ERROR
        return _ROW_DUP if rec.duplicate_of or rec.review else None
