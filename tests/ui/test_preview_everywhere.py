"""Every document written from a page opens in the print preview, ready to print."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from pfdesk.ui.tasks import wait_for_all

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _shown(window, path, title: str) -> None:
    assert window is not None and window.isVisible()
    assert window.path == path and title in window.windowTitle()
    assert window.thumbs.count() == len(PdfReader(path).pages) > 0
    assert str(path) in window.status.text()  # where it was saved


def test_the_support_plan_sheet(qtbot, ctx, tmp_path, monkeypatch):
    from pfdesk.services.consultations import cases
    from pfdesk.services.consultations.cases import CaseInput
    from pfdesk.services.support import plans
    from pfdesk.ui.consultations.detail import CaseDetailView

    c = cases.create_case(ctx, CaseInput(intake_date=date(2026, 5, 1), family_name="高橋",
                                         given_name="一郎", family_kana="タカハシ"))
    plans.save_plan(ctx, c.id, plans.PlanInput(
        made_on=date(2026, 5, 20), review_on=date(2026, 8, 20),
        goals=(plans.GoalInput(term="short", text="週1回外出する"),),
        actions=(plans.ActionInput(text="居場所の紹介", staff="森野"),)))
    view = CaseDetailView(ctx=ctx)
    qtbot.addWidget(view)
    view.load(c.id)
    out = tmp_path / "plan.pdf"
    monkeypatch.setattr("pfdesk.ui.widgets.ask_save_path", lambda *a, **k: str(out))
    view.support_tab.print_plan()
    _shown(view.support_tab.preview_window, out, "支援計画書")


def test_the_progress_ledger_and_the_area_issues(qtbot, demo_ctx, tmp_path, monkeypatch):
    from pfdesk.ui.progress.page import ProgressPage

    page = ProgressPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.refresh()
    ledger = tmp_path / "ledger.pdf"
    monkeypatch.setattr("pfdesk.ui.progress.page.ask_save_path", lambda *a, **k: str(ledger))
    page.print_ledger()
    wait_for_all()
    qtbot.waitUntil(lambda: getattr(page, "preview_window", None) is not None, timeout=20_000)
    _shown(page.preview_window, ledger, "進行管理台帳")
    tab = page.area_tab
    page.tabs.setCurrentWidget(tab)
    issues = tmp_path / "issues.pdf"
    monkeypatch.setattr("pfdesk.ui.area_issues.tab.ask_save_path", lambda *a, **k: str(issues))
    tab.print_report()
    _shown(tab.preview_window, issues, "地域課題の集計")


def test_the_survey_report(qtbot, demo_ctx, tmp_path, monkeypatch):
    from pfdesk.ui.survey.page import SurveyPage

    page = SurveyPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading)  # the surveys are read on the worker
    out = tmp_path / "report.pdf"
    monkeypatch.setattr("pfdesk.ui.survey.page.ask_save_path", lambda *a, **k: str(out))
    page.report_button.click()
    wait_for_all()
    qtbot.waitUntil(lambda: getattr(page, "preview_window", None) is not None, timeout=20_000)
    _shown(page.preview_window, out, "結果報告")
