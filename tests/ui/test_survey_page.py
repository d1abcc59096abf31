"""The 実態把握 page: surveys, 回収状況 and the reminder list, entering an answer, papers."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtWidgets import QComboBox

from pfdesk.services.context import Actor
from pfdesk.services.survey.answers import respondent_answers
from pfdesk.ui.survey.answers_dialog import AnswersDialog, MultiChoice
from pfdesk.ui.survey.page import SurveyPage
from pfdesk.ui.tasks import wait_for_all


def _loaded(qtbot, page):
    """Wait for what the page reads on the background worker."""
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)


@pytest.fixture
def page(qtbot, demo_ctx):
    p = SurveyPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.refresh()
    _loaded(qtbot, p)
    return p


def test_the_page_shows_at_once_and_its_surveys_follow(qtbot, demo_ctx):
    p = SurveyPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.refresh()
    # refresh() returned without reading: the surveys arrive from the worker.
    assert p.loading and p.surveys.rowCount() == 0
    assert p.status.text() == "実態把握調査を読み込んでいます…"
    _loaded(qtbot, p)
    assert p.surveys.rowCount() == 2 and p.respondents.rowCount() == 18
    assert "回収 16/18" in p.status.text()


def test_the_page_loads_no_pdf_or_excel_code():
    code = ("import sys; import pfdesk.ui.survey.page; "
            "print(sorted(m for m in ('reportlab', 'openpyxl', 'pypdf') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_surveys_and_reminder_list(page, qtbot, qtmodeltester):
    qtmodeltester.check(page.surveys)
    qtmodeltester.check(page.respondents)
    assert [r.fiscal_year for r in page.surveys.rows] == [2026, 2023]
    assert "回収 16/18（回収率 88.9%）" in page.status.text()
    assert "期限を過ぎて未回答が2件" in page.status.text()
    assert page.respondents.rowCount() == 18
    page.waiting_only.setChecked(True)
    assert page.respondents.rowCount() == 2
    assert {page.respondents.index(r, 2).data() for r in range(2)} == {"未回答"}
    page.survey_view.selectRow(1)  # 令和5年度: everyone answered
    _loaded(qtbot, page)
    assert page.respondents.rowCount() == 0 and "100.0%" in page.status.text()


def test_enter_an_answer_in_the_dialog(page, qtbot, demo_ctx):
    page.waiting_only.setChecked(True)
    page.respondent_view.selectRow(0)
    r = page._current_respondent()
    dlg = AnswersDialog(ctx=demo_ctx, answers=respondent_answers(demo_ctx, r.id), parent=page)
    qtbot.addWidget(dlg)
    dlg.add_row(dlg.answers.persons[0] if dlg.answers.persons else _blank())
    sex = dlg.table.cellWidget(0, dlg.keys.index("sex"))
    assert isinstance(sex, QComboBox)
    sex.setCurrentIndex(sex.findText("女性"))
    states = dlg.table.cellWidget(0, dlg.keys.index("states"))
    assert isinstance(states, MultiChoice)
    states.set_value(("自室からほとんど出ない",))
    dlg.known.setValue(2)
    dlg.save()
    assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()
    saved = respondent_answers(demo_ctx, r.id)
    assert saved.respondent.known_count == 2
    assert saved.persons[0].sex == "female" and saved.persons[0].states == ("自室からほとんど出ない",)
    page.refresh()
    _loaded(qtbot, page)
    assert "回収 17/18" in page.status.text()


def _blank():
    from pfdesk.services.survey.template import PersonAnswer

    return PersonAnswer()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the report opens in the print preview
def test_report_written_from_the_page(page, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "report.pdf"
    monkeypatch.setattr("pfdesk.ui.survey.page.ask_save_path", lambda *a, **k: str(out))
    page.report_button.click()
    wait_for_all()
    qtbot.waitUntil(lambda: "結果報告" in page.status.text() and out.exists(), timeout=20_000)


def test_viewer_cannot_enter_answers(qtbot, demo_ctx):
    viewer = demo_ctx.acting_as(Actor("etsuran", "閲覧者", "viewer"))
    p = SurveyPage(ctx=viewer)
    qtbot.addWidget(p)
    p.refresh()
    _loaded(qtbot, p)
    assert p.surveys.rowCount() == 2
    assert not p.answer_button.isEnabled() and not p.new_button.isEnabled()
    assert not p.import_button.isEnabled() and p.report_button.isEnabled()


def test_window_navigation_has_the_page(qtbot, demo_ctx):
    from pfdesk.ui.main_window import MainWindow

    w = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(w)
    page = w.page_by_title("実態把握")
    assert isinstance(page, SurveyPage)


def test_new_survey_with_adjusted_questions_and_respondents(page, qtbot, demo_ctx):
    from pfdesk.services.survey.surveys import get_survey, save_survey
    from pfdesk.ui.survey.dialogs import RespondentsDialog, SurveyDialog

    latest = page.surveys.rows[0].id
    save_survey(demo_ctx, _input_from(get_survey(demo_ctx, latest),
                                      {"states": {"options": ["外出しない"]}}), latest)
    previous = get_survey(demo_ctx, latest)
    dlg = SurveyDialog(ctx=demo_ctx, fiscal_year=2027, previous=previous, parent=page)
    qtbot.addWidget(dlg)
    assert dlg.options["states"].text() == "外出しない"  # carried over from the last survey
    dlg.save()
    assert "調査名" in dlg.error.text()  # nothing typed yet
    dlg.title_edit.setText("令和9年度実態把握調査")
    dlg.deadline.setText("R9.10.29")
    dlg.options["supporter"].setText("町の窓口、社協")
    dlg.asked["family"].setChecked(False)
    dlg.save()
    assert dlg.survey_id is not None
    detail = get_survey(demo_ctx, dlg.survey_id)
    assert detail.questions["supporter"]["options"] == ["町の窓口", "社協", "その他", "不明"]
    assert not detail.questions["family"]["enabled"]
    assert str(detail.deadline) == "2027-10-29"
    pick = RespondentsDialog(ctx=demo_ctx, detail=detail, parent=page)
    qtbot.addWidget(pick)
    pick.check_kind("commissioner")
    pick.save()
    assert pick.result() == pick.DialogCode.Accepted
    chosen = get_survey(demo_ctx, dlg.survey_id).respondents
    assert len(chosen) >= 12 and all(r.kind == "commissioner" for r in chosen)
    page.refresh()
    page.select_survey(dlg.survey_id)
    _loaded(qtbot, page)
    assert page.respondents.rowCount() == len(chosen)
    assert "回収 0/" in page.status.text()


def _input_from(detail, questions):
    from pfdesk.services.survey.surveys import SurveyInput

    return SurveyInput(fiscal_year=detail.fiscal_year, title=detail.title,
                       deadline=detail.deadline, questions=questions)
