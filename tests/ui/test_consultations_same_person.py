"""新規受付: a person who already has a case is offered that case before a second one is made."""

from __future__ import annotations

import pytest

from pfdesk.services.consultations import cases
from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.ui.consultations import dialogs
from pfdesk.ui.consultations.case_form import CaseFormDialog
from pfdesk.ui.consultations.page import ConsultationsPage
from pfdesk.ui.consultations.same_person import SamePersonDialog


@pytest.fixture
def page(qtbot, demo_ctx):
    p = ConsultationsPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.refresh()
    return p


def _closed_case_with_birth_date(ctx) -> cases.CaseDetail:
    for row in search_cases(ctx, CaseFilter(status="closed")).rows:
        c = cases.get_case(ctx, row.id)
        if c.birth_date and c.family_kana and c.given_kana:
            return c
    raise AssertionError("the demo town has closed cases with a birth date")


def _total(ctx) -> int:
    return search_cases(ctx, CaseFilter()).total


def _fill(dlg: CaseFormDialog, known: cases.CaseDetail) -> None:
    # The clerk types another kanji and the reading in hiragana; reading and birth date match.
    dlg.family_name.setText(known.family_name)
    dlg.given_name.setText("再")
    dlg.family_kana.setText(known.family_kana.translate(
        {c: c - 0x60 for c in range(0x30A1, 0x30F7)}))
    dlg.given_kana.setText(known.given_kana)
    dlg.birth_date.set_value(known.birth_date)
    dlg.chief.setPlainText("母から再度の相談")


def test_known_person_is_offered_the_existing_case_which_opens_for_reopening(
    page, demo_ctx, monkeypatch
):
    known = _closed_case_with_birth_date(demo_ctx)
    before = _total(demo_ctx)
    shown: list[list[str]] = []

    def pick_existing(self):
        shown.append([self.table.item(r, 0).text() for r in range(self.table.rowCount())])
        row = next(r for r in range(self.table.rowCount())
                   if self.candidates[r].case_id == known.id)
        self.table.selectRow(row)
        self.choose_open()
        return self.result()

    def type_and_save(self):
        _fill(self, known)
        self.save()
        return self.result()

    reopen: list[int] = []
    monkeypatch.setattr(SamePersonDialog, "exec", pick_existing)
    monkeypatch.setattr(CaseFormDialog, "exec", type_and_save)
    monkeypatch.setattr(dialogs.ReopenDialog, "exec", lambda self: reopen.append(self.case_id))
    page.new_case()
    assert known.case_number in shown[0]
    assert _total(demo_ctx) == before  # no second case for the same person
    assert page.stack.currentWidget() is page.detail and page.detail.case.id == known.id
    assert reopen == [known.id]  # closed: the 再開 dialog is offered at once


def test_another_person_with_the_same_details_gets_a_new_case_once_confirmed(
    page, demo_ctx, monkeypatch, qtbot
):
    known = _closed_case_with_birth_date(demo_ctx)
    before = _total(demo_ctx)
    asked: list[SamePersonDialog] = []
    answers = iter(["back", "new"])

    def answer(self):
        asked.append(self)
        if next(answers) == "new":
            self.choose_new()
        else:
            self.reject()
        return self.result()

    monkeypatch.setattr(SamePersonDialog, "exec", answer)
    dlg = page.new_case_dialog()
    qtbot.addWidget(dlg)
    _fill(dlg, known)
    dlg.save()  # 戻る: nothing saved, the form keeps what was typed
    assert dlg.result_case is None and dlg.existing_case_id is None
    assert dlg.chief.toPlainText() == "母から再度の相談" and _total(demo_ctx) == before
    dlg.save()  # 別の人として新しいケースを作る
    assert dlg.result_case is not None and _total(demo_ctx) == before + 1
    assert dlg.result_case.case_number != known.case_number and len(asked) == 2
    header = [asked[0].table.horizontalHeaderItem(i).text()
              for i in range(asked[0].table.columnCount())]
    assert header[:2] == ["ケース番号", "氏名"] and "状況" in header
