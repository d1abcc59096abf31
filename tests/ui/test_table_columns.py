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
