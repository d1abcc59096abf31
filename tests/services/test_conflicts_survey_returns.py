"""Two PCs on the 実態把握 answers and the 報告の回答: nothing is replaced or cleared unseen.

回答を取り消す from a screen that showed an older answer, an answer sheet imported over an
answer entered after its preview (or after the sheet was written out), and the 窓口・
実態把握 answers of returns saved from a stale form are refused with who saved and what
changed; nothing is written, and doing it again knowingly goes on top. The other PC is
its own open store on the same data (tests/postgres runs this module on a server too).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from pfdesk.core.errors import EditConflict, ValidationError
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.directory import organizations
from pfdesk.services.directory.types import OrganizationInput
from pfdesk.services.returns.answers import (
    ReturnAnswers,
    get_return_answers,
    save_return_answers,
)
from pfdesk.services.survey import answers, surveys
from pfdesk.services.survey.sheets import (
    export_answer_sheet,
    import_answer_sheet,
    import_previewed_sheets,
    preview_answer_sheet,
)
from pfdesk.services.survey.template import PersonAnswer


@pytest.fixture
def other_pc(second_store) -> ServiceContext:
    """田中 working on the second PC."""
    return ServiceContext(store=second_store, actor=Actor("tanaka", "田中", "admin"))


def _respondent(ctx) -> tuple[int, int]:
    """A survey with 社会福祉協議会 as its one respondent: (survey id, respondent id)."""
    organizations.create_organization(ctx, OrganizationInput(name="みどり川町社会福祉協議会"))
    sid = surveys.save_survey(ctx, surveys.SurveyInput(fiscal_year=2026, title="実態把握調査"))
    surveys.set_respondents(ctx, sid, surveys.respondent_candidates(ctx))
    return sid, surveys.get_survey(ctx, sid).respondents[0].id


def _answer(ctx, rid: int, known: int, *persons: PersonAnswer) -> None:
    answers.save_answers(ctx, rid, known_count=known, answered_on=date(2026, 10, 1),
                         persons=list(persons), seen=answers.respondent_answers(ctx, rid))


def test_clearing_an_answer_changed_on_another_pc_since_it_was_shown_is_refused(ctx, other_pc):
    _sid, rid = _respondent(ctx)
    _answer(ctx, rid, 1, PersonAnswer(sex="male", age_band="30s"))
    shown = answers.respondent_answers(ctx, rid)  # this PC asks 「取り消しますか？」
    _answer(other_pc, rid, 2, PersonAnswer(sex="male", age_band="30s"),
            PersonAnswer(sex="female", age_band="50s"))
    with pytest.raises(EditConflict) as caught:
        answers.clear_answer(ctx, rid, seen=shown)
    e = caught.value
    text = e.user_text()
    assert "みどり川町社会福祉協議会の回答は、あなたが取り消しを確かめた後に" in text
    assert "（tanaka、" in text and "回答は取り消していません" in text
    assert "もう一度「回答を取り消す」" in text
    assert dict(e.changed)["把握している人数"] == "2"
    assert dict(e.changed)["記入された回答"].startswith("2人: 男性・30代・不明／女性・50代")
    assert len(answers.respondent_answers(ctx, rid).persons) == 2  # nothing deleted
    answers.clear_answer(ctx, rid, seen=e.current.values)  # read, cleared knowingly
    now = answers.respondent_answers(other_pc, rid)
    assert now.persons == () and now.respondent.answered_on is None


def test_clearing_a_respondent_who_answered_after_the_list_showed_none_is_refused(
        ctx, other_pc):
    _sid, rid = _respondent(ctx)
    shown = answers.respondent_answers(ctx, rid)  # 未回答
    _answer(other_pc, rid, 1, PersonAnswer(sex="female", age_band="20s"))
    with pytest.raises(EditConflict) as caught:
        answers.clear_answer(ctx, rid, seen=shown)
    assert dict(caught.value.changed)["回答日"] == "令和8年10月1日"
    assert answers.respondent_answers(ctx, rid).respondent.answered_on == date(2026, 10, 1)


def test_clearing_what_was_shown_and_the_command_line_still_clear(ctx, other_pc):
    _sid, rid = _respondent(ctx)
    _answer(other_pc, rid, 1, PersonAnswer(sex="male"))
    answers.clear_answer(ctx, rid, seen=answers.respondent_answers(ctx, rid))
    assert answers.respondent_answers(ctx, rid).respondent.answered_on is None
    _answer(other_pc, rid, 1, PersonAnswer(sex="male"))
    answers.clear_answer(ctx, rid)  # no ``seen``: as before
    assert answers.respondent_answers(ctx, rid).respondent.answered_on is None


def _filled_sheet(ctx, sid: int, rid: int, path) -> None:
    """The respondent's sheet written out and filled in: 3人 known, one woman in her 40s."""
    export_answer_sheet(ctx, sid, path, respondent_id=rid)
    wb = load_workbook(path)
    cover = {row[0].value: row[1] for row in wb["表紙"].iter_rows(min_row=2) if row[0].value}
    cover["把握している人数"].value = "3"
    wb["回答"]["B2"], wb["回答"]["C2"] = "女性", "40代"
    wb.save(path)


def test_an_import_over_an_answer_entered_after_its_preview_is_refused_whole(
        ctx, other_pc, tmp_path):
    sid, rid = _respondent(ctx)
    sheet = tmp_path / "回答用紙.xlsx"
    _filled_sheet(ctx, sid, rid, sheet)
    preview = preview_answer_sheet(ctx, sheet, survey_id=sid)
    assert (preview.respondent, preview.persons, preview.known_count) == (
        "みどり川町社会福祉協議会", 1, 3)
    assert not preview.replaces  # nothing entered yet
    assert answers.respondent_answers(ctx, rid).respondent.answered_on is None  # only checked

    _answer(other_pc, rid, 2, PersonAnswer(sex="male", age_band="60s_plus"))  # typed meanwhile
    with pytest.raises(EditConflict) as caught:
        import_answer_sheet(ctx, sheet, survey_id=sid, seen=preview)
    text = caught.value.user_text()
    assert "回答用紙「回答用紙.xlsx」の取り込みを確かめた後に" in text and "（tanaka、" in text
    assert "何も取り込んでいません" in text and "把握している人数: 2" in text
    got = answers.respondent_answers(ctx, rid)
    assert got.respondent.known_count == 2 and got.persons[0].sex == "male"  # kept whole

    again = preview_answer_sheet(ctx, sheet, survey_id=sid)  # the preview names it now
    assert again.replaces and again.changed_since_sent
    assert again.saved_by.startswith("tanaka、") and again.current.respondent.known_count == 2
    result = import_answer_sheet(ctx, sheet, survey_id=sid, seen=again)  # replaced knowingly
    assert result.replaced and (result.persons, result.known_count) == (1, 3)
    assert answers.respondent_answers(other_pc, rid).persons[0].sex == "female"


def test_the_preview_tells_an_answer_entered_before_the_sheet_went_out(ctx, tmp_path):
    sid, rid = _respondent(ctx)
    _answer(ctx, rid, 1, PersonAnswer(sex="male"))  # by telephone, then the sheet sent
    sheet = tmp_path / "sheet.xlsx"
    _filled_sheet(ctx, sid, rid, sheet)
    preview = preview_answer_sheet(ctx, sheet, survey_id=sid)
    assert preview.replaces and not preview.changed_since_sent
    assert preview.sent_at is not None and preview.saved_at is not None


def test_a_sheet_changed_after_its_preview_is_not_imported(ctx, tmp_path):
    sid, rid = _respondent(ctx)
    sheet = tmp_path / "sheet.xlsx"
    _filled_sheet(ctx, sid, rid, sheet)
    preview = preview_answer_sheet(ctx, sheet, survey_id=sid)
    wb = load_workbook(sheet)
    wb["回答"]["B3"], wb["回答"]["C3"] = "男性", "20代"
    wb.save(sheet)
    with pytest.raises(ValidationError) as caught:
        import_answer_sheet(ctx, sheet, survey_id=sid, seen=preview)
    assert "取り込みを確かめた後に変更されています" in caught.value.user_text()
    assert answers.respondent_answers(ctx, rid).respondent.answered_on is None


def test_the_preview_finds_the_same_problems_and_saves_nothing(ctx, tmp_path):
    sid, rid = _respondent(ctx)
    sheet = tmp_path / "sheet.xlsx"
    _filled_sheet(ctx, sid, rid, sheet)
    wb = load_workbook(sheet)
    wb["回答"]["C2"] = "四十代"
    wb.save(sheet)
    with pytest.raises(ValidationError) as caught:
        preview_answer_sheet(ctx, sheet, survey_id=sid)
    assert "「回答」2行目「年代」" in caught.value.user_text()
    assert answers.respondent_answers(ctx, rid).respondent.answered_on is None


def _two_respondents(ctx) -> tuple[int, int, int]:
    sid, social = _respondent(ctx)
    organizations.create_organization(ctx, OrganizationInput(name="みどり川町地域包括支援センター"))
    surveys.set_respondents(ctx, sid, surveys.respondent_candidates(ctx))
    centre = next(r.id for r in surveys.get_survey(ctx, sid).respondents if r.id != social)
    return sid, social, centre


def test_several_sheets_are_refused_together_when_one_answer_changed_since_the_preview(
        ctx, other_pc, tmp_path):
    sid, social, centre = _two_respondents(ctx)
    first, second = tmp_path / "社協.xlsx", tmp_path / "包括.xlsx"
    _filled_sheet(ctx, sid, social, first)
    _filled_sheet(ctx, sid, centre, second)
    previews = [preview_answer_sheet(ctx, p, survey_id=sid) for p in (first, second)]
    _answer(other_pc, centre, 5, PersonAnswer(sex="male"))  # typed meanwhile
    with pytest.raises(EditConflict) as caught:
        import_previewed_sheets(ctx, previews)
    assert "回答用紙「包括.xlsx」の取り込みを確かめた後に" in caught.value.user_text()
    # nothing half-imported: the first sheet, fine on its own, is not in either
    assert answers.respondent_answers(ctx, social).respondent.answered_on is None
    assert answers.respondent_answers(ctx, centre).respondent.known_count == 5

    previews = [preview_answer_sheet(ctx, p, survey_id=sid) for p in (first, second)]
    assert [p.replaces for p in previews] == [False, True]
    results = import_previewed_sheets(ctx, previews, skip_answered=True)  # keep 5人
    assert [r.respondent for r in results] == ["みどり川町社会福祉協議会"]
    assert answers.respondent_answers(ctx, social).respondent.known_count == 3
    assert answers.respondent_answers(ctx, centre).respondent.known_count == 5


def test_two_sheets_of_one_respondent_are_not_imported(ctx, tmp_path):
    sid, rid = _respondent(ctx)
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _filled_sheet(ctx, sid, rid, first)
    _filled_sheet(ctx, sid, rid, second)
    previews = [preview_answer_sheet(ctx, p, survey_id=sid) for p in (first, second)]
    with pytest.raises(ValidationError) as caught:
        import_previewed_sheets(ctx, previews)
    assert "「a.xlsx」と「b.xlsx」は、同じ回答者（みどり川町社会福祉協議会）" in caught.value.user_text()
    assert answers.respondent_answers(ctx, rid).respondent.answered_on is None


def test_return_answers_saved_on_another_pc_are_not_overwritten(ctx, other_pc):
    save_return_answers(ctx, ReturnAnswers(window_name="ひきこもり相談窓口"))
    on_this, on_other = get_return_answers(ctx), get_return_answers(other_pc)
    save_return_answers(other_pc, replace(on_other, survey_done=True, survey_year="令和8年度",
                                          survey_count=14), seen=on_other)
    typed = replace(on_this, publicity_methods="広報誌、ホームページ")
    with pytest.raises(EditConflict) as caught:
        save_return_answers(ctx, typed, seen=on_this)
    e = caught.value
    text = e.user_text()
    assert "報告の回答（窓口・実態把握）は、あなたが画面を開いた後に" in text
    assert "（tanaka、" in text and "あなたの入力はまだ保存していません" in text
    assert dict(e.changed) == {"実態把握を実施した": "はい", "実施年度": "令和8年度",
                               "把握人数": "14"}
    assert get_return_answers(ctx).publicity_methods == ""  # nothing written
    save_return_answers(ctx, typed, seen=e.current.values)  # read, saved on top
    assert get_return_answers(other_pc).publicity_methods == "広報誌、ホームページ"


def test_return_answers_first_saved_on_another_pc_are_not_overwritten(ctx, other_pc):
    on_this = get_return_answers(ctx)  # nothing saved yet
    save_return_answers(other_pc, ReturnAnswers(window_name="くらし相談室"),
                        seen=get_return_answers(other_pc))
    with pytest.raises(EditConflict) as caught:
        save_return_answers(ctx, ReturnAnswers(window_name="ひきこもり相談窓口"), seen=on_this)
    assert dict(caught.value.changed) == {"窓口の名称": "くらし相談室"}
    assert get_return_answers(ctx).window_name == "くらし相談室"
