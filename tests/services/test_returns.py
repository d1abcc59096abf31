"""Figures for returns and the built-in workbook, on a small hand-counted store."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.returns.answers import (
    ReturnAnswers,
    get_return_answers,
    save_return_answers,
)
from pfdesk.services.returns.figures import catalogue, compute_figures, suggest, suppress
from pfdesk.services.returns.figures_doc import DOC, figures_markdown
from pfdesk.services.returns.snapshots import make_builtin_return
from pfdesk.services.small_counts import SmallCountRule, save_rule
from tests.services import personal_scan, returns_fixture

FY = (date(2025, 4, 1), date(2026, 3, 31))


@pytest.fixture
def rctx(ctx):
    with ctx.session() as s:
        returns_fixture.build(s)
    return ctx


def test_figures_of_a_year(rctx):
    v = compute_figures(rctx, start=FY[0], end=FY[1]).values
    assert (v["persons.total"], v["contacts.total"], v["new.total"]) == (3, 6, 2)
    assert v["new.age.20s"] == 2
    assert v["persons.sex.female"] == 1
    assert v["contacts.method.phone"] == 2
    assert v["persons.age_sex.20s.male"] == 1
    assert v["new.month.6"] == 1 and v["contacts.month.5.visit_office"] == 1
    assert v["referrals.hello_work"] == 1 and v["referrals.total"] == 1
    assert v["meetings.plenary.count"] == 1  # FY2024's is outside the period
    assert v["meetings.plenary.attendees"] == 2 + 1  # present + proxy
    assert v["meetings.plenary.observers"] == 2
    assert v["meetings.practitioners.count"] == 1  # the cancelled one does not count
    assert v["meetings.total.count"] == 4
    assert v["meetings.study.participants"] == 18
    assert v["orgs.field.welfare"] == 2 and v["orgs.total"] == 3
    assert v["settings.window_name"] == "ひきこもり相談窓口（保健福祉課）"
    assert v["settings.platform_established"] == "令和3年4月"
    assert v["settings.survey_count"] == 42
    assert v["period.label"] == "令和7年度"
    assert set(v) == {f.name for f in catalogue()}


def test_a_half_year_keeps_month_names(rctx):
    fs = compute_figures(rctx, start=date(2025, 4, 1), end=date(2025, 9, 30))
    assert fs.fiscal_year is None
    assert fs.period_label == "令和7年4月～令和7年9月"
    assert fs.values["contacts.month.6"] == 2
    assert fs.values["contacts.month.3"] == 0
    with pytest.raises(ValidationError) as e:
        compute_figures(rctx, start=date(2025, 4, 1), end=date(2026, 4, 30))
    assert "12か月以内" in e.value.user_text()


def test_suppression_hides_only_small_counts_of_people():
    values = {"persons.total": 2, "contacts.total": 3, "new.total": 0,
              "meetings.plenary.count": 1, "settings.window_name": "窓口"}
    out = suppress(values)
    assert out == {"persons.total": "＊", "contacts.total": 3, "new.total": 0,
                   "meetings.plenary.count": 1, "settings.window_name": "窓口"}


def test_suggestions_for_typos():
    assert suggest("new.age.20") == "new.age.20s"
    assert suggest("persons.sex.femal") == "persons.sex.female"
    assert suggest("zzzz") is None


def test_builtin_workbook_shows_the_figures(rctx, tmp_path):
    with rctx.session() as s:  # 秘匿 is on by default; these figures are checked unhidden
        save_rule(s, SmallCountRule(enabled=False))
        s.commit()
    out = tmp_path / "報告.xlsx"
    result = make_builtin_return(rctx, start=FY[0], end=FY[1], out_path=out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["相談実績", "属性", "相談内容", "相談経路", "つなぎ先",
                             "会議開催状況", "構成機関", "窓口・実態把握"]
    ws = wb["相談実績"]
    assert ws["A1"].value == "相談実績（月別）"
    assert ws["A2"].value == "みどり川町　令和7年度"
    assert ws.oddHeader.right.text == "令和7年度"
    assert ws.print_area and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # the 合計 row holds numbers, not text, and 実人数 is the year's, not the months' sum
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合計")
    assert total[1:4] == (2, 3, 6)
    values = compute_figures(rctx, start=FY[0], end=FY[1]).values
    checked = 0
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, int):
                    checked += 1
    assert checked > 300
    meetings = [r for r in wb["会議開催状況"].iter_rows(values_only=True) if r[0]]
    plenary = next(r for r in meetings if r[0] == "みどり川町ひきこもり支援ネットワーク全体会")
    assert plenary[2] == 1 and plenary[3] == "令和7年7月10日（木）" and plenary[4] == 3
    support = next(r for r in meetings if r[:2] == ("支援会議", "支援会議"))
    assert support[5] == "個別事例の検討"
    orgs = [r[1] for r in wb["構成機関"].iter_rows(values_only=True)]
    assert "みどり川町社会福祉協議会" in orgs and "旧センター" not in orgs
    answers = {r[0]: r[1] for r in wb["窓口・実態把握"].iter_rows(values_only=True)}
    assert answers["把握人数"] == 42 and answers["窓口の有無"] == "有"
    assert result.snapshot_id and values["persons.total"] == 3


def test_suppressed_workbook(rctx, tmp_path):
    out = tmp_path / "秘匿.xlsx"
    make_builtin_return(rctx, start=FY[0], end=FY[1], out_path=out, suppress_small=True)
    ws = load_workbook(out)["相談実績"]
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "合計")
    assert total[1:4] == ("＊", 3, 6)
    assert "秘匿" in ws["A3"].value


def test_no_personal_data_in_the_workbook(rctx, tmp_path):
    out = tmp_path / "r.xlsx"
    make_builtin_return(rctx, start=FY[0], end=FY[1], out_path=out)
    with rctx.session() as s:
        strings = personal_scan.personal_strings(s)
    # the directory person, also named in a 支援会議 agenda item about a case
    assert {"秘密花子", "秘密　花子", "ひみつはなこ", "090-1111-2222"} <= strings
    assert personal_scan.scan_workbook(out, strings) == []


def test_answers_are_kept_and_checked(ctx):
    assert get_return_answers(ctx) == ReturnAnswers()
    with pytest.raises(ValidationError) as e:
        save_return_answers(ctx, ReturnAnswers(window_exists=True, window_name=" "))
    assert e.value.field == "window_name"
    saved = save_return_answers(ctx, returns_fixture.ANSWERS)
    assert get_return_answers(ctx) == saved
    viewer = ServiceContext(store=ctx.store, actor=Actor("v", "閲覧者", "viewer"))
    with pytest.raises(PermissionDenied):
        save_return_answers(viewer, ReturnAnswers())


def test_figures_doc_is_up_to_date():
    assert DOC.read_text(encoding="utf-8") == figures_markdown(), (
        "docs/figures.md is out of date: python -m pfdesk.services.returns.figures_doc"
    )
