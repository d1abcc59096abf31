"""実態把握調査: setting up, answers (typed and imported), results, papers and return figures."""

from __future__ import annotations

import subprocess
from collections import Counter
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.survey.answers import collection, respondent_answers, save_answers
from pfdesk.services.survey.export import export_survey_answers
from pfdesk.services.survey.papers import print_questionnaires, print_report
from pfdesk.services.survey.results import survey_results
from pfdesk.services.survey.sheets import export_answer_sheet, import_answer_sheet
from pfdesk.services.survey.surveys import (
    SurveyInput,
    get_survey,
    list_surveys,
    respondent_candidates,
    save_survey,
    set_respondents,
)
from pfdesk.services.survey.template import PersonAnswer


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def _latest(ctx):
    return next(r for r in list_surveys(ctx) if r.fiscal_year == 2026)


def _viewer(ctx) -> ServiceContext:
    return ctx.acting_as(Actor("etsuran", "閲覧者", "viewer"))


def test_demo_has_two_completed_surveys_for_comparison(demo_ctx):
    rows = list_surveys(demo_ctx)
    assert [r.fiscal_year for r in rows] == [2026, 2023]
    old = rows[1]
    assert old.answered == old.respondents == 18 and old.known_total == 48
    now, prev = survey_results(demo_ctx, rows[0].id)
    assert prev is not None and prev.survey_id == old.id
    assert now.commissioners_asked == 12 and now.answered == 16


def test_demo_report_totals_equal_the_entered_answers(demo_ctx, tmp_path):
    """Recount everything from the export and compare with the results and the PDF."""
    sid = _latest(demo_ctx).id
    out = tmp_path / "answers.xlsx"
    n = export_survey_answers(demo_ctx, sid, out)
    ws = load_workbook(out)["回答"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, (c.value for c in r), strict=False)) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == n > 30
    now, _prev = survey_results(demo_ctx, sid)
    assert now.described == n
    for table, column in (("age", "年代"), ("sex", "性別"), ("period", "期間"),
                          ("family", "家族構成")):
        recount = Counter(r[column] for r in rows)
        assert {row.label: row.count for row in now.tables[table] if row.count} == dict(recount)
    states = Counter(s for r in rows for s in (r["状態"] or "").split("、") if s)
    assert {row.label: row.count for row in now.tables["states"] if row.count} == dict(states)
    by_district = Counter(r["地区・区分"] for r in rows)
    assert {d.district: d.described for d in now.districts if d.described} == dict(by_district)
    summary = {r[0].value: r[1].value for r in load_workbook(out)["概要"].iter_rows(min_row=2)}
    assert summary["把握人数"] == now.known_total
    # the printed report carries the same totals (unsuppressed internal copy)
    pdf = tmp_path / "report.pdf"
    print_report(demo_ctx, sid, pdf, suppress_small=False)
    text = _pdf_text(pdf)
    assert f"{now.known_total}人（うち1人ずつ回答のあった人 {n}人）" in text
    assert "回収率 88.9%" in text and "前回の調査" in text and "令和5年度" in text
    twenties = now.count("age", "20s")
    assert any(line.split()[:2] == ["20代", str(twenties)] for line in text.splitlines())


def test_public_report_hides_small_counts_so_none_can_be_worked_out(demo_ctx, tmp_path):
    sid = _latest(demo_ctx).id
    now, _prev = survey_results(demo_ctx, sid)
    pdf = tmp_path / "report.pdf"
    print_report(demo_ctx, sid, pdf)
    text = _pdf_text(pdf)
    small = [r for r in now.tables["age"] if 1 <= r.count <= 2]
    assert "＊" in text and "合計から計算できてしまう" in text
    from pfdesk.services.small_counts import recoverable
    from pfdesk.services.survey.results import protected, report_values

    shown = protected(now, threshold=2, rule="secondary")
    for r in small:
        assert shown[f"age.{r.key}"] == "＊"
    _values, lines = report_values(now)
    assert recoverable(shown, lines) == {}  # no hidden count can be worked out


def test_survey_figures_fill_a_prefecture_form_by_name(demo_ctx, tmp_path):
    from pfdesk.services.returns.snapshots import make_form_return

    form = tmp_path / "form.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "実態把握"
    ws["A1"], ws["A2"], ws["A3"], ws["A4"] = "把握人数", "回収率", "民生委員調査", "実施年度"
    wb.save(form)
    mapping = ('[sheets."実態把握"]\nB1 = "survey.persons"\nB2 = "survey.response_rate"\n'
               'B3 = "survey.commissioners"\nB4 = "survey.year"\n')
    out = tmp_path / "filled.xlsx"
    make_form_return(demo_ctx, start=date(2026, 4, 1), end=date(2027, 3, 31), form_path=form,
                     mapping_text=mapping, out_path=out)
    filled = load_workbook(out)["実態把握"]
    row = _latest(demo_ctx)
    assert filled["B1"].value == row.known_total == 49
    assert filled["B2"].value == "88.9%"
    assert filled["B3"].value == "有" and filled["B4"].value == "令和8年度"
    # a return of 令和6年度 reports the survey done before it
    out6 = tmp_path / "filled6.xlsx"
    make_form_return(demo_ctx, start=date(2024, 4, 1), end=date(2025, 3, 31), form_path=form,
                     mapping_text=mapping, out_path=out6)
    assert load_workbook(out6)["実態把握"]["B1"].value == 48


def test_set_up_a_survey_from_the_directory_and_enter_answers(demo_ctx):
    sid = save_survey(demo_ctx, SurveyInput(
        fiscal_year=2027, title="令和9年度実態把握調査", deadline=date(2027, 10, 29),
        questions={"family": {"enabled": False},
                   "states": {"options": ["外出しない", "夜だけ外出"]}}))
    candidates = respondent_candidates(demo_ctx)
    commissioners = [c for c in candidates if c.kind == "commissioner" and c.district]
    assert {c.district for c in commissioners} >= {"本町", "北川", "奥みどり"}
    assert set_respondents(demo_ctx, sid, commissioners[:3]) == 3
    detail = get_survey(demo_ctx, sid)
    assert detail.questions["states"]["options"] == ["外出しない", "夜だけ外出", "その他", "不明"]
    assert not detail.questions["family"]["enabled"]
    first = detail.respondents[0]
    assert first.addressee.endswith(f"{first.name} 様") and "地区" in first.addressee
    save_answers(demo_ctx, first.id, known_count=3, persons=[
        PersonAnswer(sex="男性", age_band="30代", states=("外出しない", "その他"), period="不明"),
        PersonAnswer(sex="female", age_band="40s", period="10y_plus")])
    got = respondent_answers(demo_ctx, first.id)
    assert got.respondent.known_count == 3 and got.respondent.answered_on == date(2026, 11, 26)
    assert got.persons[0].sex == "male" and got.persons[0].states == ("外出しない", "その他")
    c = collection(demo_ctx, sid)
    assert (c.asked, c.answered, c.known_total) == (3, 1, 3)
    assert [r.id for r in c.waiting] == [r.id for r in detail.respondents[1:]]
    # an answered respondent cannot be dropped
    with pytest.raises(ValidationError) as e:
        set_respondents(demo_ctx, sid, commissioners[1:3])
    assert "回答を入力済み" in e.value.user_text()


def test_bad_answers_save_nothing_and_say_which_row(demo_ctx):
    detail = get_survey(demo_ctx, _latest(demo_ctx).id)
    r = next(x for x in detail.respondents if x.answered_on is None)
    with pytest.raises(ValidationError) as e:
        save_answers(demo_ctx, r.id, known_count=1, persons=[
            PersonAnswer(sex="男性"), PersonAnswer(sex="男", states=("空を飛ぶ",))])
    text = e.value.user_text()
    assert "2人目「性別」" in text and "「男」は選べません" in text and "空を飛ぶ" in text
    assert "把握している人数」（1人）" in text
    assert respondent_answers(demo_ctx, r.id).persons == ()


def test_remarks_naming_a_case_are_refused(demo_ctx):
    from sqlalchemy import select

    from pfdesk.store.models import Case

    with demo_ctx.session() as s:
        case = s.scalars(select(Case).where(Case.family_name != "").limit(1)).one()
        name = f"{case.family_name}{case.given_name}"
    detail = get_survey(demo_ctx, _latest(demo_ctx).id)
    r = next(x for x in detail.respondents if x.answered_on is None)
    with pytest.raises(ValidationError) as e:
        save_answers(demo_ctx, r.id, known_count=1, persons=[
            PersonAnswer(remarks=f"{name}さんの家の長男")])
    assert "1人目「備考」" in e.value.user_text() and "名前のない回答" in e.value.user_text()


def test_answer_sheet_round_trip_is_all_or_nothing(demo_ctx, tmp_path):
    sid = _latest(demo_ctx).id
    r = next(x for x in get_survey(demo_ctx, sid).respondents if x.answered_on is None)
    sheet = tmp_path / "sheet.xlsx"
    export_answer_sheet(demo_ctx, sid, sheet, respondent_id=r.id)
    wb = load_workbook(sheet)
    cover = {row[0].value: row[1] for row in wb["表紙"].iter_rows(min_row=2) if row[0].value}
    cover["把握している人数"].value = "３人"
    ans = wb["回答"]
    assert [c.value for c in ans[1]][:4] == ["No", "性別", "年代", "家族構成"]
    ans["B2"], ans["C2"], ans["E2"], ans["F2"] = "男性", "20代", "自室からほとんど出ない", "1年～3年未満"
    ans["B4"], ans["C4"], ans["G4"] = "女性", "二十代", "不登校、人間関係"
    wb.save(sheet)
    with pytest.raises(ValidationError) as e:
        import_answer_sheet(demo_ctx, sheet, survey_id=sid)
    assert "「回答」4行目「年代」" in e.value.user_text() and "何も取り込んでいません" in e.value.user_text()
    assert respondent_answers(demo_ctx, r.id).respondent.answered_on is None
    ans["C4"] = "20代"
    wb.save(sheet)
    result = import_answer_sheet(demo_ctx, sheet, survey_id=sid)
    assert (result.persons, result.known_count, result.replaced) == (2, 3, False)
    got = respondent_answers(demo_ctx, r.id)
    assert got.persons[1].triggers == ("不登校", "人間関係") and got.persons[1].sex == "female"
    # a sheet of another survey is refused
    other = next(x for x in list_surveys(demo_ctx) if x.fiscal_year == 2023).id
    with pytest.raises(ValidationError) as e:
        import_answer_sheet(demo_ctx, sheet, survey_id=other)
    assert "別の調査" in e.value.user_text()


def test_questionnaires_per_respondent_take_a_notice_number(demo_ctx, tmp_path):
    sid = _latest(demo_ctx).id
    detail = get_survey(demo_ctx, sid)
    out = tmp_path / "q.pdf"
    printed = print_questionnaires(demo_ctx, sid, out)
    assert printed.doc_number == "み保福第1号" and printed.copies == len(detail.respondents)
    text = _pdf_text(out)
    for r in detail.respondents[:3]:
        assert r.name.replace("\u3000", "") in text.replace("\u3000", "").replace(" ", "")
    assert "への御協力について（依頼）" in text and "記入要領" in text and "回 答 用 紙" in text
    assert "令和8年10月30日" in text  # the deadline
    again = print_questionnaires(demo_ctx, sid, tmp_path / "q2.pdf", to_all=True)
    assert again.doc_number == "み保福第1号" and again.copies == 1  # the same letter's number
    assert "民生委員・児童委員 各位" in _pdf_text(tmp_path / "q2.pdf")


def test_viewer_sees_figures_but_not_answers(demo_ctx, tmp_path):
    viewer = _viewer(demo_ctx)
    sid = _latest(demo_ctx).id
    assert list_surveys(viewer)[0].known_total == 49
    now, _prev = survey_results(viewer, sid)
    assert now.known_total == 49
    r = get_survey(viewer, sid).respondents[0]
    with pytest.raises(PermissionDenied):
        respondent_answers(viewer, r.id)
    with pytest.raises(PermissionDenied):
        save_answers(viewer, r.id, known_count=0, persons=[])
    with pytest.raises(PermissionDenied):
        export_survey_answers(viewer, sid, tmp_path / "x.xlsx")
    staff = demo_ctx.acting_as(Actor("tanto", "担当", "staff"))
    masked = respondent_answers(staff, r.id)
    assert masked.persons  # staff read the coded rows


def test_reminder_questionnaires_go_to_those_who_have_not_answered(demo_ctx, tmp_path):
    sid = _latest(demo_ctx).id
    out = tmp_path / "again.pdf"
    printed = print_questionnaires(demo_ctx, sid, out, waiting_only=True)
    assert printed.copies == 2
    text = _pdf_text(out)
    assert "（再依頼）" in text and "まだご回答をいただいていない" in text
    assert "医療法人緑風会みどり川病院" in text and "川添" not in text
    old = next(r for r in list_surveys(demo_ctx) if r.fiscal_year == 2023).id
    with pytest.raises(ValidationError) as e:
        print_questionnaires(demo_ctx, old, tmp_path / "none.pdf", waiting_only=True)
    assert "全員から回答がありました" in e.value.user_text()


def test_blank_answer_sheet_needs_the_respondent(demo_ctx, tmp_path):
    from pfdesk.services.survey.sheets import RespondentNeeded

    sid = _latest(demo_ctx).id
    r = next(x for x in get_survey(demo_ctx, sid).respondents if x.answered_on is None)
    sheet = tmp_path / "blank.xlsx"
    export_answer_sheet(demo_ctx, sid, sheet)
    wb = load_workbook(sheet)
    for row in wb["表紙"].iter_rows(min_row=2):
        if row[0].value == "把握している人数":
            row[1].value = 0
    wb.save(sheet)
    with pytest.raises(RespondentNeeded):
        import_answer_sheet(demo_ctx, sheet, survey_id=sid)
    result = import_answer_sheet(demo_ctx, sheet, survey_id=sid, respondent_id=r.id)
    assert (result.persons, result.known_count) == (0, 0)
    assert collection(demo_ctx, sid).answered == 17


def test_who_supports_counts_only_those_supported(demo_ctx):
    now, _prev = survey_results(demo_ctx, _latest(demo_ctx).id)
    supported = now.count("support", "支援を受けている")
    assert sum(r.count for r in now.tables["supporter"]) == supported
    assert now.count("supporter", "不明") < supported


def test_builtin_return_shows_the_survey(demo_ctx, tmp_path):
    from pfdesk.services.returns.snapshots import make_builtin_return

    out = tmp_path / "return.xlsx"
    make_builtin_return(demo_ctx, start=date(2026, 4, 1), end=date(2027, 3, 31), out_path=out)
    rows = {r[0]: r[1] for r in load_workbook(out)["窓口・実態把握"].iter_rows(values_only=True)}
    assert rows["調査の把握人数"] == 49 and rows["回収率"] == "88.9%"
    assert rows["民生委員・児童委員への調査"] == "有"


def test_every_change_and_print_is_in_the_audit_log(demo_ctx, tmp_path):
    from sqlalchemy import select

    from pfdesk.store.models import AuditEvent

    sid = _latest(demo_ctx).id
    r = next(x for x in get_survey(demo_ctx, sid).respondents if x.answered_on is None)
    save_answers(demo_ctx, r.id, known_count=0, persons=[])
    print_questionnaires(demo_ctx, sid, tmp_path / "q.pdf", respondent_ids=[r.id])
    print_report(demo_ctx, sid, tmp_path / "r.pdf")
    export_survey_answers(demo_ctx, sid, tmp_path / "a.xlsx")
    with demo_ctx.session() as s:
        actions = [a for a in s.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("survey.%")).order_by(AuditEvent.id))]
    assert actions == ["survey.answers", "survey.print", "survey.report", "survey.export"]
