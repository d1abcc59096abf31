"""The 台帳 model of a large town: sorted by the model, handed to the view a page at a time."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from pfdesk.documents.progress_data import ProgressLine
from pfdesk.ui.progress.models import PAGE_ROWS, LedgerModel
from pfdesk.ui.table_model import SORT_ROLE
from pfdesk.ui.widgets import table_view


def _lines(n: int) -> list[ProgressLine]:
    start = date(2026, 4, 1)
    return [ProgressLine(
        case_id=i, code=f"R8-{i:04d}", name="", status="support", lead_staff="",
        organizations=(), last_contact=None,
        # The soonest review is far down the 台帳: the sort must reach unshown rows.
        next_review_on=start + timedelta(days=(n - i) % 97), overdue=False, urgency="",
        finding="", finding_note="", finding_next=None) for i in range(n)]


def test_a_long_ledger_is_shown_a_page_at_a_time_and_sorted_as_a_whole(qtbot, qtmodeltester):
    n = PAGE_ROWS * 2 + 37
    model = LedgerModel()
    view = table_view(model)
    qtbot.addWidget(view)
    model.set_rows(_lines(n))
    assert model.rowCount() == PAGE_ROWS and model.canFetchMore()
    assert [model.row_at(r).case_id for r in range(3)] == [0, 1, 2]  # the 台帳's order

    model.sort(LedgerModel.REVIEW, Qt.SortOrder.AscendingOrder)
    soonest = min(ln.next_review_on for ln in _lines(n))
    assert model.row_at(0).next_review_on == soonest
    dates = [model.row_at(r).next_review_on for r in range(model.rowCount())]
    assert dates == sorted(dates)
    # Equal dates keep the 台帳's order.
    same = [model.row_at(r).case_id for r in range(model.rowCount())
            if model.row_at(r).next_review_on == soonest]
    assert same == sorted(same)

    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == n
    assert len({model.row_at(r).case_id for r in range(n)}) == n

    model.sort(LedgerModel.CODE, Qt.SortOrder.DescendingOrder)
    assert model.index(0, LedgerModel.CODE).data() == f"R8-{n - 1:04d}"
    qtmodeltester.check(model)


def test_each_column_sorts_as_its_sort_values_do(qtbot):
    lines = _lines(PAGE_ROWS + 50)
    lines = [ln if i % 7 else ProgressLine(**{**ln.__dict__, "next_review_on": None,
                                              "last_contact": ln.next_review_on})
             for i, ln in enumerate(lines)]
    model = LedgerModel()
    model.set_rows(lines)
    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            while model.canFetchMore():
                model.fetchMore()
            values = [model.index(r, column).data(SORT_ROLE) for r in range(model.rowCount())]
            assert values == sorted(values, reverse=order == Qt.SortOrder.DescendingOrder)
