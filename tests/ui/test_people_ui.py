"""The 本人・家族 tab: link a case of the same person, add a family member, see the history."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from pfdesk.services.consultations import cases
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.ui.consultations.detail import CaseDetailView
from pfdesk.ui.people.tab import FamilyDialog, LinkDialog


@pytest.fixture
def two_cases(ctx):
    return [cases.create_case(ctx, CaseInput(intake_date=day, family_name="高橋",
                                             given_name="一郎", family_kana="タカハシ"))
            for day in (date(2025, 5, 1), date(2026, 5, 1))]


def test_linking_and_family_from_the_case_screen(qtbot, ctx, two_cases, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    old, new = two_cases
    view = CaseDetailView(ctx=ctx)
    qtbot.addWidget(view)
    view.load(new.id)
    tab = view.people_tab
    assert "本人・家族" in [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert "1 件" in tab.summary.text()

    d = LinkDialog(ctx=ctx, case_id=new.id, parent=tab)
    d.number.setText("R9-0001")
    d._ok()
    assert d.result_value is None and "R9-0001" in shown[-1]
    d.number.setText(old.case_number)
    d.reason.setText("生年月日と住所が同じ")
    d._ok()
    view.load(new.id)
    assert "2 件" in tab.summary.text()
    text = tab.view.toPlainText()
    assert old.case_number in text and "統合の履歴" in text and "生年月日と住所が同じ" in text

    f = FamilyDialog(ctx=ctx, case_id=new.id, parent=tab)
    f.relation.setText("母")
    f.family_name.setText("高橋")
    f.given_name.setText("春子")
    f._ok()
    view.load(new.id)
    assert "春子（母）" in tab.view.toPlainText()
