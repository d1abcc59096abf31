"""The 支援計画 tab of a case: record an assessment, a plan, a revision and an evaluation."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from pfdesk.services.consultations import cases
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.support import plans
from pfdesk.ui.consultations.detail import CaseDetailView
from pfdesk.ui.support.dialogs import AssessmentDialog, PlanDialog, ReviewDialog


@pytest.fixture
def screen(qtbot, ctx):
    c = cases.create_case(ctx, CaseInput(intake_date=date(2026, 5, 1), family_name="高橋",
                                         given_name="一郎", family_kana="タカハシ"))
    view = CaseDetailView(ctx=ctx)
    qtbot.addWidget(view)
    view.load(c.id)
    return view


def test_the_case_screen_has_a_support_plan_tab(screen):
    titles = [screen.tabs.tabText(i) for i in range(screen.tabs.count())]
    assert "支援計画" in titles
    tab = screen.support_tab
    assert "支援計画はまだありません" in tab.status.text()
    assert not tab.review_button.isEnabled()  # nothing to evaluate yet


def test_assessment_plan_revision_and_evaluation_from_the_tab(screen, ctx, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    tab = screen.support_tab
    case_id = screen.case.id
    a = AssessmentDialog(ctx=ctx, case_id=case_id, today=date(2026, 5, 10), parent=tab)
    a.basis.setCurrentIndex(a.basis.findData("family_only"))
    a.urgency.setCurrentIndex(a.urgency.findData("high"))
    a.texts["family_situation"].setPlainText("母と二人暮らし")
    a._ok()
    assert a.result_value is not None and a.result_value.family_only

    p = PlanDialog(ctx=ctx, case_id=case_id, today=date(2026, 6, 1), parent=tab)
    p.goals.item(0, 1).setText("週に1回は外に出たい")
    p.goals.item(1, 1).setText("家族と話せるようになる")
    p.actions_table.item(0, 0).setText("居場所の見学に同行")
    p.actions_table.item(0, 1).setText("山田")
    p.actions_table.item(0, 3).setText("R8.7.31")
    p.review_on.setText("2026/05/20")  # before the plan: refused, the dialog stays open
    p._ok()
    assert p.result_value is None and "見直し予定日" in shown[-1]
    p.review_on.setText("2026/09/01")
    p.agreement.setCurrentIndex(p.agreement.findData("person"))
    p.agreed_on.setText("2026/06/01")
    p._ok()
    assert p.result_value.version == 1 and p.result_value.actions[0].due_on == date(2026, 7, 31)

    screen.load(case_id)
    assert "第1版" in tab.status.text() and "令和8年9月1日" in tab.status.text()
    tab.load(case_id, today=date(2026, 8, 1), editable=True)
    assert "（期限切れ）" not in tab.status.text()
    assert "週に1回は外に出たい" in tab.view.toPlainText()

    revision = PlanDialog(ctx=ctx, case_id=case_id, today=date(2026, 9, 1),
                          latest=tab.plans[0], parent=tab)
    assert revision.goals.item(0, 1).text() == "週に1回は外に出たい"  # starts from v1
    revision.goals.item(0, 1).setText("居場所に月2回通う")
    revision.review_on.setText("2026/12/01")
    revision._ok()
    screen.load(case_id)
    assert [x.version for x in plans.list_plans(ctx, case_id)] == [2, 1]

    r = ReviewDialog(ctx=ctx, case_id=case_id, plan=tab.plans[0], today=date(2026, 12, 1),
                     parent=tab)
    goal_id, box, step = r.results[0]
    box.setCurrentIndex(box.findData("achieved"))
    step.setText("ボランティアを体験する")
    box2 = r.results[1][1]
    box2.setCurrentIndex(box2.findData("partly"))
    r.outcomes.boxes["ibasho"].setChecked(True)
    r._ok()
    assert r.result_value.outcome_labels == "居場所の利用"
    screen.load(case_id)
    text = tab.view.toPlainText()
    assert "計画 第2版の評価" in text and "達成" in text and "ボランティアを体験する" in text
    kinds = [screen.timeline.rows[i].kind for i in range(len(screen.timeline.rows))]
    assert kinds.count("support") == 4


def test_an_overdue_review_date_is_shown_in_red(screen, ctx):
    plans.save_plan(ctx, screen.case.id, plans.PlanInput(
        made_on=date(2026, 5, 2), review_on=date(2026, 5, 3),
        goals=(plans.GoalInput("short", "散歩"),)))
    screen.load(screen.case.id)
    tab = screen.support_tab
    tab.load(screen.case.id, today=date(2026, 6, 1), editable=True)
    assert "（期限切れ）" in tab.status.text() and "b00020" in tab.status.styleSheet()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the dialog's list of issues is rebuilt
def test_the_case_is_tagged_with_area_issues_from_the_tab(screen, ctx):
    from pfdesk.services.area_issues import tags
    from pfdesk.ui.area_issues.dialogs import IssuesDialog

    tab = screen.support_tab
    assert "地域課題: なし" in tab.issues_label.text()
    case_id = screen.case.id
    d = IssuesDialog(ctx=ctx, what="このケース", current=(),
                     save=lambda keys: tags.set_case_issues(ctx, case_id, keys), parent=tab)
    d.checks.boxes["transport"].setChecked(True)
    d._ok()
    screen.load(case_id)
    assert "移動手段がない" in tab.issues_label.text()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the sheet opens in the print preview
def test_the_plan_sheet_is_written_from_the_tab(screen, ctx, tmp_path, monkeypatch):
    import pfdesk.ui.widgets as widgets

    tab = screen.support_tab
    assert not tab.print_button.isEnabled()  # no plan yet
    plans.save_plan(ctx, screen.case.id, plans.PlanInput(
        made_on=date(2026, 5, 2), review_on=date(2026, 8, 1),
        goals=(plans.GoalInput("short", "散歩に出る"),)))
    screen.load(screen.case.id)
    out = tmp_path / "plan.pdf"
    monkeypatch.setattr(widgets, "ask_save_path", lambda *a, **k: str(out))
    tab.print_button.click()
    assert out.is_file() and out.stat().st_size > 1000
    assert tab.preview_window is not None and tab.preview_window.path == out
