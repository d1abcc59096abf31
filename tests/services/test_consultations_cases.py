"""ケース: numbers per 年度 never reused, validation, status changes, closing, reopening, 取消."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.services.consultations import cases
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.store.models import AuditEvent


def new(ctx, day=date(2026, 5, 1), **kw) -> cases.CaseDetail:
    data = dict(intake_date=day, family_name="高橋", given_name="一郎",
                family_kana="タカハシ", given_kana="イチロウ", sex="male")
    data.update(kw)
    return cases.create_case(ctx, CaseInput(**data))


def actions(ctx) -> list[str]:
    with ctx.session() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_case_numbers_follow_the_fiscal_year_and_are_never_reused(ctx):
    a = new(ctx, date(2026, 4, 1))
    b = new(ctx, date(2026, 4, 2))
    march = new(ctx, date(2026, 3, 31))
    assert (a.case_number, b.case_number, march.case_number) == ("R8-0001", "R8-0002", "R7-0001")
    cases.void_case(ctx, b.id, "二重登録")
    assert new(ctx, date(2026, 6, 1)).case_number == "R8-0003"
    assert new(ctx, date(2019, 4, 1)).case_number == "R1-0001"


def test_a_case_needs_a_name_or_reading_and_a_sane_birth_date(ctx):
    with pytest.raises(ValidationError) as e:
        new(ctx, family_name="", family_kana="")
    assert e.value.field == "family_name"
    with pytest.raises(ValidationError) as e:
        new(ctx, birth_date=date(2027, 1, 1))
    assert e.value.field == "birth_date"
    with pytest.raises(ValidationError) as e:
        new(ctx, onset="そのうち")
    assert "開始時期" in e.value.message and "平成30年頃" in e.value.hint


def test_the_onset_is_typed_as_people_remember_it(ctx):
    # 状態の開始時期 once refused 平成30年頃 and showed 2020-03 back.
    from pfdesk.core.wareki import format_year_month_text

    assert new(ctx, onset="平成30年頃").onset == "2018"
    assert new(ctx, onset="H30.4").onset == "2018-04"
    assert new(ctx, onset="２０２０年３月ごろ").onset == "2020-03"
    assert format_year_month_text("2020-03") == "令和2年3月"
    assert format_year_month_text("2019") == "平成31年（令和元年）"


def test_age_band_comes_from_birth_date_or_from_the_recorded_band(ctx):
    known = new(ctx, birth_date=date(2000, 6, 1))
    unknown = new(ctx, age_band="40s")
    assert known.age_band == "20s"
    assert unknown.birth_date is None and unknown.age_band == "40s"


def test_status_changes_closing_and_reopening_are_kept_in_the_history(ctx):
    c = new(ctx)
    c = cases.change_status(ctx, c.id, "active", date(2026, 5, 8))
    c = cases.change_status(ctx, c.id, "watch", date(2026, 8, 1), "落ち着いている")
    with pytest.raises(ValidationError):
        cases.close_case(ctx, c.id, date(2026, 9, 1), "no_such_reason")
    c = cases.close_case(ctx, c.id, date(2026, 9, 1), "goal_met")
    assert (c.status, c.closed_on, c.close_reason) == ("closed", date(2026, 9, 1), "goal_met")
    with pytest.raises(ValidationError):
        cases.change_status(ctx, c.id, "active", date(2026, 9, 2))
    with pytest.raises(ValidationError):
        cases.reopen_case(ctx, c.id, date(2026, 10, 1), "")
    c = cases.reopen_case(ctx, c.id, date(2026, 10, 1), "家族から再度の相談")
    assert c.status == "active" and c.closed_on is None
    assert [h.to_status for h in c.history] == ["intake", "active", "watch", "closed", "active"]
    assert "目標達成" in c.history[3].reason
    assert "consultations.case.close" in actions(ctx)
    assert "consultations.case.reopen" in actions(ctx)


def test_a_voided_case_stays_but_cannot_be_edited(ctx):
    c = new(ctx)
    with pytest.raises(ValidationError):
        cases.void_case(ctx, c.id, "  ")
    v = cases.void_case(ctx, c.id, "別人を登録した")
    assert v.voided and v.void_reason == "別人を登録した"
    with pytest.raises(ValidationError):
        cases.update_case(ctx, c.id, CaseInput(intake_date=date(2026, 5, 1), family_name="x"))
    assert cases.get_case(ctx, c.id).voided


def test_edit_keeps_the_number_and_each_view_is_audited(ctx):
    c = new(ctx)
    edited = cases.update_case(ctx, c.id, CaseInput(
        intake_date=date(2026, 5, 1), family_name="髙橋", given_name="一郎", lead_staff="森野"))
    assert edited.case_number == c.case_number and edited.family_name == "髙橋"
    cases.get_case(ctx, c.id)
    assert actions(ctx) == ["consultations.case.create", "consultations.case.edit",
                            "consultations.case.view"]


def test_a_viewer_may_not_read_or_write_cases(ctx):
    c = new(ctx)
    viewer = ServiceContext(ctx.store, Actor("v", "閲覧者", "viewer"))
    with pytest.raises(PermissionDenied):
        cases.get_case(viewer, c.id)
    with pytest.raises(PermissionDenied):
        new(viewer)
