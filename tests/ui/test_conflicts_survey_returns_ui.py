"""The 実態把握 page and the 報告の回答 form when another PC saved meanwhile.

回答を取り消す asks on the answer as it is now and is refused (nothing deleted) when
another PC saves during the question; 回答用紙を取り込む names the answers the sheets would
replace and the user replaces them knowingly, skips them or imports nothing, the whole
import refused when one changes during the question; the 窓口・実態把握 form keeps the typed answers and saves on top at the second
press. The other PC is a second open store on the same data.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QMessageBox

from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.directory import organizations
from pfdesk.services.directory.types import OrganizationInput
from pfdesk.services.returns.answers import (
    ReturnAnswers,
    get_return_answers,
    save_return_answers,
)
from pfdesk.services.survey import answers, surveys
from pfdesk.services.survey.sheets import export_answer_sheet
from pfdesk.services.survey.template import PersonAnswer
from tests.services.test_conflicts_survey_returns import _answer, _filled_sheet, _respondent


@pytest.fixture
def other_pc(second_store):
    """田中 on a second PC (its own open store on the same data)."""
    return ServiceContext(store=second_store, actor=Actor("tanaka", "田中", "admin"))


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    """The warnings the page shows (the message box replaced)."""
    out: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: out.append(text))
    return out


def _page(qtbot, ctx):
    from pfdesk.ui.survey.page import SurveyPage

    page = SurveyPage(ctx=ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)
    page.respondent_view.selectRow(0)
    return page


def _questions(monkeypatch, *, then=None, reply=QMessageBox.StandardButton.Yes) -> list[str]:
    """QMessageBox.question answered with ``reply`` after ``then`` (another PC's save) ran."""
    asked: list[str] = []

    def question(parent, title, text, *args):
        asked.append(text)
        if then is not None:
            then()
        return reply

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_clearing_while_another_pc_saves_is_refused_and_the_answer_kept(
        qtbot, ctx, other_pc, warnings, monkeypatch):
    _sid, rid = _respondent(ctx)
    _answer(ctx, rid, 1, PersonAnswer(sex="male", age_band="30s"))
    page = _page(qtbot, ctx)
    asked = _questions(monkeypatch, then=lambda: _answer(
        other_pc, rid, 2, PersonAnswer(sex="male", age_band="30s"),
        PersonAnswer(sex="female", age_band="50s")))
    page.clear_button.click()
    assert "今の回答: 回答日 令和8年10月1日、把握している人数 1人、記入 1人" in asked[0]
    assert len(warnings) == 1 and "回答は取り消していません" in warnings[0]
    assert "（tanaka、" in warnings[0] and "把握している人数: 2" in warnings[0]
    assert len(answers.respondent_answers(ctx, rid).persons) == 2  # nothing deleted
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)

    asked = _questions(monkeypatch)  # asked again on the answer as it is now
    page.respondent_view.selectRow(0)
    page.clear_button.click()
    assert "把握している人数 2人、記入 2人" in asked[0] and len(warnings) == 1
    assert answers.respondent_answers(ctx, rid).respondent.answered_on is None


def test_the_clear_question_says_the_answer_changed_since_the_list(
        qtbot, ctx, other_pc, warnings, monkeypatch):
    _sid, rid = _respondent(ctx)
    _answer(ctx, rid, 1, PersonAnswer(sex="male"))
    page = _page(qtbot, ctx)
    _answer(other_pc, rid, 3, PersonAnswer(sex="male"), PersonAnswer(sex="female"))
    asked = _questions(monkeypatch, reply=QMessageBox.StandardButton.No)
    page.clear_button.click()
    assert "把握している人数 3人、記入 2人" in asked[0]
    assert "一覧を表示した後に、ほかのパソコンか画面で変わっています" in asked[0]
    assert answers.respondent_answers(ctx, rid).respondent.known_count == 3  # said No


def _replace_question(monkeypatch, button: str, *, then=None) -> list[str]:
    """The replace-or-leave question answered by pressing ``button`` (after ``then`` ran)."""
    asked: list[str] = []

    def exec_(box):
        asked.append(box.text())
        assert box.defaultButton().text() == "取り込まない"
        if then is not None:
            then()
        next(b for b in box.buttons() if b.text() == button).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return asked


def _chosen_files(monkeypatch, *paths) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: ([str(p) for p in paths], ""))


def test_import_names_an_answer_entered_after_the_sheet_went_out_and_leaves_it(
        qtbot, ctx, other_pc, warnings, monkeypatch, tmp_path):
    sid, rid = _respondent(ctx)
    sheet = tmp_path / "回答用紙_社協.xlsx"
    _filled_sheet(ctx, sid, rid, sheet)
    _answer(other_pc, rid, 2, PersonAnswer(sex="male", age_band="20s"))  # by telephone
    page = _page(qtbot, ctx)
    _chosen_files(monkeypatch, sheet)
    asked = _replace_question(monkeypatch, "取り込まない")
    page.import_button.click()
    assert "次の1人には、すでに回答が入力されています" in asked[0]
    assert ("・みどり川町社会福祉協議会　今の回答: 回答日 令和8年10月1日、把握している人数 2人、"
            "記入 1人") in asked[0]
    assert "最後の保存: tanaka、" in asked[0]
    assert "回答用紙「回答用紙_社協.xlsx」: 把握している人数 3人、記入 1人" in asked[0]
    assert "回答用紙を書き出した後" in asked[0] and "今の回答は失われます" in asked[0]
    assert "回答のある方を除いて" not in asked[0]
    assert "取り込みませんでした" in page.status.text() and not warnings
    assert answers.respondent_answers(ctx, rid).respondent.known_count == 2  # left as it was

    _replace_question(monkeypatch, "置き換えて取り込む")  # replaced knowingly
    page.import_button.click()
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)  # the list reread
    assert "回収 1/1" in page.status.text() and not warnings
    assert "みどり川町社会福祉協議会の回答を取り込みました（把握している人数 3人、記入 1人）。" \
           "前の回答は置き換えました。" in page.status.text()
    got = answers.respondent_answers(ctx, rid)
    assert got.respondent.known_count == 3 and got.persons[0].sex == "female"


def test_several_sheets_skip_the_answered_respondents_when_chosen(
        qtbot, ctx, other_pc, warnings, monkeypatch, tmp_path):
    sid, social = _respondent(ctx)
    organizations.create_organization(ctx, OrganizationInput(name="みどり川町地域包括支援センター"))
    surveys.set_respondents(ctx, sid, surveys.respondent_candidates(ctx))
    centre = next(r.id for r in surveys.get_survey(ctx, sid).respondents if r.id != social)
    first, second = tmp_path / "社協.xlsx", tmp_path / "包括.xlsx"
    _filled_sheet(ctx, sid, social, first)
    _filled_sheet(ctx, sid, centre, second)
    _answer(other_pc, social, 2, PersonAnswer(sex="male", age_band="20s"))
    page = _page(qtbot, ctx)
    _chosen_files(monkeypatch, first, second)
    asked = _replace_question(monkeypatch, "回答のある方を除いて取り込む")
    page.import_button.click()
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)  # the list reread
    assert "次の1人には、すでに回答が入力されています（回答用紙 2件のうち）" in asked[0]
    assert "みどり川町社会福祉協議会" in asked[0] and "包括" not in asked[0]
    assert not warnings
    assert answers.respondent_answers(ctx, social).respondent.known_count == 2  # skipped
    assert answers.respondent_answers(ctx, centre).respondent.known_count == 3  # imported
    status = page.status.text()
    assert "回収 2/2" in status and "地域包括支援センターの回答を取り込みました" in status
    assert "入力済みの回答をそのままにした回答者: みどり川町社会福祉協議会" in status


def test_import_over_an_answer_changed_during_the_question_is_refused_whole(
        qtbot, ctx, other_pc, warnings, monkeypatch, tmp_path):
    sid, rid = _respondent(ctx)
    sheet = tmp_path / "sheet.xlsx"
    _filled_sheet(ctx, sid, rid, sheet)
    _answer(ctx, rid, 1, PersonAnswer(sex="male"))
    page = _page(qtbot, ctx)
    _chosen_files(monkeypatch, sheet)
    _replace_question(monkeypatch, "置き換えて取り込む", then=lambda: _answer(
        other_pc, rid, 4, PersonAnswer(sex="male"), PersonAnswer(sex="male", age_band="50s")))
    page.import_button.click()
    assert len(warnings) == 1 and "何も取り込んでいません" in warnings[0]
    assert "「sheet.xlsx」の取り込みを確かめた後に" in warnings[0]
    assert "把握している人数: 4" in warnings[0]
    assert answers.respondent_answers(ctx, rid).respondent.known_count == 4  # kept whole


def test_return_answers_form_keeps_the_typed_answers(qtbot, ctx, other_pc):
    from pfdesk.ui.returns.answers_form import AnswersForm

    save_return_answers(ctx, ReturnAnswers(window_name="ひきこもり相談窓口"))
    form = AnswersForm(ctx=ctx)
    qtbot.addWidget(form)
    form.refresh()
    stored = get_return_answers(other_pc)  # another PC records the survey
    save_return_answers(other_pc, replace(stored, survey_done=True, survey_year="令和8年度",
                                          survey_count=14), seen=stored)
    form.publicity.setText("広報誌、ホームページ")
    assert form.save() is False
    text = form.error.text()
    assert "報告の回答（窓口・実態把握）は、あなたが画面を開いた後に" in text
    assert "（tanaka、" in text and "実施年度: 令和8年度" in text and "把握人数: 14" in text
    assert form.publicity.text() == "広報誌、ホームページ"  # kept
    assert get_return_answers(ctx).publicity_methods == ""  # nothing written
    assert form.save() is True  # read, saved on top
    assert get_return_answers(other_pc).publicity_methods == "広報誌、ホームページ"
    assert form.save() is True  # and again from the same form: no conflict with itself


def test_a_blank_sheet_goes_to_the_chosen_respondent_alone_not_in_a_batch(
        qtbot, ctx, warnings, monkeypatch, tmp_path):
    sid, rid = _respondent(ctx)
    blank, numbered = tmp_path / "各位.xlsx", tmp_path / "社協.xlsx"
    export_answer_sheet(ctx, sid, blank)  # 各位: no 回答者番号
    wb = load_workbook(blank)
    cover = {row[0].value: row[1] for row in wb["表紙"].iter_rows(min_row=2) if row[0].value}
    cover["把握している人数"].value = "1"
    wb["回答"]["B2"], wb["回答"]["C2"] = "男性", "30代"
    wb.save(blank)
    _filled_sheet(ctx, sid, rid, numbered)
    page = _page(qtbot, ctx)
    _chosen_files(monkeypatch, numbered, blank)
    page.import_button.click()
    assert len(warnings) == 1 and "「各位.xlsx」には回答者番号がありません" in warnings[0]
    assert "1つずつ取り込んでください" in warnings[0]
    assert answers.respondent_answers(ctx, rid).respondent.answered_on is None  # none of them

    _chosen_files(monkeypatch, blank)
    asked = _questions(monkeypatch)
    page.import_button.click()
    assert "選んでいる「みどり川町社会福祉協議会" in asked[0] and len(warnings) == 1
    got = answers.respondent_answers(ctx, rid)
    assert got.respondent.known_count == 1 and got.persons[0].age_band == "30s"
