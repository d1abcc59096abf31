"""The directory tables remember cell texts for speed, yet always show the current records."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt

from pfdesk.services.directory.importer import ImportRow
from pfdesk.services.directory.types import PersonRow
from pfdesk.ui.directory.models import SORT_ROLE, ImportRowsModel, PeopleModel


def _person(i: int, name: str, kana: str) -> PersonRow:
    return PersonRow(id=i, full_name=name, full_kana=kana, organization_id=None,
                     organization_name="", department="", title="", phone="", email="",
                     in_post=True, bodies="")


def test_new_records_replace_the_remembered_texts(qtmodeltester):
    model = PeopleModel()
    model.set_records([_person(1, "山田　太郎", "やまだ　たろう")])
    assert model.data(model.index(0, PeopleModel.NAME)) == "山田　太郎"
    model.set_records([_person(2, "青木　花子", "あおき　はなこ")])
    assert model.data(model.index(0, PeopleModel.NAME)) == "青木　花子"
    qtmodeltester.check(model)


def test_people_sort_in_gojuon_order_through_the_proxy():
    model = PeopleModel()
    model.set_records([_person(1, "渡辺　健", "わたなべ　けん"), _person(2, "青木　誠", "あおき　まこと"),
                       _person(3, "髙橋　彩", "たかはし　あや"), _person(4, "ｲﾄｳ", "いとう")])
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(PeopleModel.KANA, Qt.SortOrder.AscendingOrder)
    names = [proxy.data(proxy.index(r, PeopleModel.NAME)) for r in range(4)]
    assert names == ["青木　誠", "ｲﾄｳ", "髙橋　彩", "渡辺　健"]


def test_a_changed_import_decision_shows_at_once():
    model = ImportRowsModel()
    model.set_records([ImportRow(row=2, action="update", organization="保健福祉課",
                                 person="髙橋　一郎", duplicate_of="高橋　一郎", decision="update")])
    cell = model.index(0, ImportRowsModel.CHOICE)
    assert model.data(cell) == "既存を更新"
    assert model.setData(cell, "add")
    assert model.data(cell) == "別人として追加"


def test_the_page_sorts_in_the_model_and_keeps_the_order_on_reload(qtbot, qtmodeltester):
    from pfdesk.ui.directory.page import _table

    model = PeopleModel()
    view, proxy = _table(model)
    qtbot.addWidget(view)
    people = [_person(1, "渡辺　健", "わたなべ　けん"), _person(2, "青木　誠", "あおき　まこと"),
              _person(3, "髙橋　彩", "たかはし　あや"), _person(4, "ｲﾄｳ", "いとう")]
    model.set_records(people)

    def shown() -> list[str]:
        return [proxy.data(proxy.index(r, PeopleModel.NAME)) for r in range(proxy.rowCount())]

    assert shown() == ["青木　誠", "ｲﾄｳ", "髙橋　彩", "渡辺　健"]  # 五十音順 from the start
    view.selectRow(0)
    view.sortByColumn(PeopleModel.KANA, Qt.SortOrder.DescendingOrder)  # a header click
    assert shown() == ["渡辺　健", "髙橋　彩", "ｲﾄｳ", "青木　誠"]
    selected = view.selectionModel().selectedRows()
    assert [proxy.data(i) for i in selected] == ["青木　誠"]  # the selection followed its row
    model.set_records(list(reversed(people)))  # a reload keeps the chosen order
    assert shown() == ["渡辺　健", "髙橋　彩", "ｲﾄｳ", "青木　誠"]
    qtmodeltester.check(model)
