"""One table-model base: columns described once (header, text, sort value, alignment)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from pfdesk.services.meetings.meetings import list_meetings
from pfdesk.ui.meetings.models import MeetingTableModel
from pfdesk.ui.table_model import SORT_ROLE, Column, ColumnsModel, number_column


@dataclass(frozen=True)
class _Row:
    name: str
    count: int


class _Model(ColumnsModel):
    columns = (Column("名称", lambda r: r.name, lambda r: r.name),
               number_column("件数", lambda r: r.count))


def test_a_column_description_gives_text_sort_value_and_alignment(qtmodeltester):
    model = _Model()
    model.set_rows([_Row("甲", 1200), _Row("乙", 0)])
    qtmodeltester.check(model)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "件数"
    assert model.index(0, 1).data() == "1,200"
    assert model.index(1, 1).data() == ""  # zero stays blank, as in the office lists
    assert model.index(0, 1).data(SORT_ROLE) == 1200  # sorted as a number, not as text
    right = model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole)
    left = model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole)
    assert right & Qt.AlignmentFlag.AlignRight and left & Qt.AlignmentFlag.AlignLeft


def test_meeting_counts_are_right_aligned(demo_ctx, qtmodeltester):
    model = MeetingTableModel()
    model.set_rows(list_meetings(demo_ctx, fy=2026))
    qtmodeltester.check(model)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    for header in ("出席／招集", "未回答", "決定事項", "未完了の宿題"):
        align = model.index(0, headers.index(header)).data(Qt.ItemDataRole.TextAlignmentRole)
        assert align & Qt.AlignmentFlag.AlignRight, header
    body = model.index(0, headers.index("会議体")).data(Qt.ItemDataRole.TextAlignmentRole)
    assert not body & Qt.AlignmentFlag.AlignRight


@dataclass(frozen=True)
class _Dated:
    title: str
    due: object


class _DatedModel(ColumnsModel):
    columns = (Column("件名", lambda r: r.title),
               Column("期限", lambda r: str(r.due or ""), lambda r: r.due))


def test_a_header_click_sorts_the_rows_by_their_values_with_the_blank_ones_last(qtbot):
    from datetime import date

    from PySide6.QtWidgets import QTableView

    from pfdesk.ui.table_model import SortInSource

    model = _DatedModel()
    model.set_rows([_Dated("名簿の更新", date(2026, 12, 1)), _Dated("期限なし", None),
                    _Dated("報告の提出", date(2026, 4, 30)), _Dated("会場の予約", date(2027, 1, 5))])
    proxy = SortInSource()
    proxy.setSourceModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    chosen = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data() == "名簿の更新")
    view.setCurrentIndex(proxy.index(chosen, 0))  # 名簿の更新 chosen: it stays chosen
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    shown = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert shown == ["報告の提出", "名簿の更新", "会場の予約", "期限なし"]  # by date, not text
    assert view.currentIndex().data() == "名簿の更新"
    view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    shown = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert shown == ["会場の予約", "名簿の更新", "報告の提出", "期限なし"]
    model.set_rows([_Dated("数字", 3), _Dated("文字", "令和9年")])  # mixed kinds: no crash
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert proxy.rowCount() == 2
