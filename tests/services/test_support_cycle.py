"""Support cycle: versioned assessments and plans, evaluations, closure after evaluation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.core.permissions import Permission
from pfdesk.services.consultations import cases, timeline
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.masking import MASK
from pfdesk.services.support import assessments, plans, reviews
from pfdesk.services.support.assessments import AssessmentInput
from pfdesk.services.support.plans import ActionInput, GoalInput, PlanInput
from pfdesk.services.support.reviews import GoalResultInput, ReviewInput
from pfdesk.store.models import AuditEvent


@pytest.fixture
def case(ctx):
    return cases.create_case(ctx, CaseInput(
        intake_date=date(2026, 5, 1), family_name="高橋", given_name="一郎",
        family_kana="タカハシ", given_kana="イチロウ", sex="male"))


def plan_input(**kw) -> PlanInput:
    data = dict(made_on=date(2026, 6, 1), review_on=date(2026, 9, 1), goals=(
        GoalInput("short", "週に1回は散歩に出たい"), GoalInput("long", "家族と食事ができる")),
        actions=(ActionInput("居場所の見学に同行", staff="山田"),),
        agreement="person", agreed_on=date(2026, 6, 1))
    data.update(kw)
    return PlanInput(**data)


def test_a_family_only_assessment_is_recorded_and_versions_are_kept(ctx, case):
    first = assessments.record_assessment(ctx, case.id, AssessmentInput(
        assessed_on=date(2026, 5, 10), basis="family_only", outing="room",
        risks=("family_aging",), urgency="medium", family_situation="母（78）と二人暮らし"))
    second = assessments.record_assessment(ctx, case.id, AssessmentInput(
        assessed_on=date(2026, 7, 1), basis="person_family", outing="nearby", urgency="low",
        person_situation="夜はコンビニに行く"))
    rows = assessments.list_assessments(ctx, case.id)
    assert [r.version for r in rows] == [2, 1]
    assert first.family_only and not second.family_only
    old = rows[1]
    assert old.outing == "room" and dict(old.texts)["家族の状況"] == "母（78）と二人暮らし"
    assert "家族のみ（本人未接触）" in old.summary and "8050" in old.summary


def test_assessment_rejects_a_date_before_intake_and_unknown_codes(ctx, case):
    with pytest.raises(ValidationError) as e:
        assessments.record_assessment(ctx, case.id, AssessmentInput(assessed_on=date(2026, 4, 1)))
    assert "実施日" in e.value.message
    with pytest.raises(ValidationError) as e:
        assessments.record_assessment(ctx, case.id, AssessmentInput(
            assessed_on=date(2026, 5, 2), urgency="urgent"))
    assert e.value.field == "urgency"


def test_a_revised_plan_is_a_new_version_and_the_old_one_stays(ctx, case):
    v1 = plans.save_plan(ctx, case.id, plan_input())
    v2 = plans.save_plan(ctx, case.id, plan_input(
        made_on=date(2026, 9, 1), review_on=date(2026, 12, 1),
        goals=(GoalInput("short", "居場所に月2回通う"),)))
    listed = plans.list_plans(ctx, case.id)
    assert [p.version for p in listed] == [2, 1]
    assert [g.text for g in listed[1].goals] == ["週に1回は散歩に出たい", "家族と食事ができる"]
    assert listed[1].actions[0].who == "山田" and listed[1].agreement_label == "本人が同意"
    assert v1.id != v2.id and [g.text for g in listed[0].goals] == ["居場所に月2回通う"]


def test_a_plan_needs_a_goal_an_owner_for_each_action_and_a_date_of_agreement(ctx, case):
    with pytest.raises(ValidationError) as e:
        plans.save_plan(ctx, case.id, plan_input(goals=(GoalInput("short", "  "),)))
    assert "目標" in e.value.message
    with pytest.raises(ValidationError) as e:
        plans.save_plan(ctx, case.id, plan_input(actions=(ActionInput("同行支援"),)))
    assert "担当" in e.value.message and "同行支援" in e.value.message
    with pytest.raises(ValidationError) as e:
        plans.save_plan(ctx, case.id, plan_input(agreed_on=None))
    assert "同意した日" in e.value.message
    with pytest.raises(ValidationError):
        plans.save_plan(ctx, case.id, plan_input(review_on=date(2026, 5, 20)))


def test_each_goal_is_evaluated_and_outcomes_other_than_work_are_kept(ctx, case):
    p = plans.save_plan(ctx, case.id, plan_input())
    short, long_ = p.goals
    with pytest.raises(ValidationError) as e:
        reviews.record_review(ctx, case.id, ReviewInput(
            plan_id=p.id, reviewed_on=date(2026, 9, 1),
            results=(GoalResultInput(short.id, "achieved"),)))
    assert "家族と食事ができる" in e.value.message
    r = reviews.record_review(ctx, case.id, ReviewInput(
        plan_id=p.id, reviewed_on=date(2026, 9, 1), outcomes=("ibasho", "outing"),
        results=(GoalResultInput(short.id, "achieved"),
                 GoalResultInput(long_.id, "partly", "月1回の家族面談")),
        next_review_on=date(2026, 12, 1)))
    assert [x.result_label for x in r.results] == ["達成", "一部達成"]
    assert r.outcome_labels == "居場所の利用、外出ができるようになった"
    assert r.results[1].next_step == "月1回の家族面談"
    with ctx.session() as s:
        assert reviews.next_review_on(s, case.id) == date(2026, 12, 1)


def test_a_case_with_a_plan_closes_only_after_its_evaluation(ctx, case):
    p = plans.save_plan(ctx, case.id, plan_input())
    with pytest.raises(ValidationError) as e:
        cases.close_case(ctx, case.id, date(2026, 10, 1), "goal_met")
    assert "評価" in e.value.message and "第1版" in e.value.message
    reviews.record_review(ctx, case.id, ReviewInput(
        plan_id=p.id, reviewed_on=date(2026, 9, 20), outcomes=("medical",),
        results=tuple(GoalResultInput(g.id, "achieved") for g in p.goals)))
    assert cases.close_case(ctx, case.id, date(2026, 10, 1), "goal_met").status == "closed"


def test_a_case_without_a_plan_still_closes(ctx, case):
    assert cases.close_case(ctx, case.id, date(2026, 5, 2), "wish").status == "closed"


def test_the_cycle_is_on_the_timeline_and_in_the_audit_log(ctx, case):
    assessments.record_assessment(ctx, case.id, AssessmentInput(
        assessed_on=date(2026, 5, 10), basis="family_only", urgency="high"))
    p = plans.save_plan(ctx, case.id, plan_input())
    reviews.record_review(ctx, case.id, ReviewInput(
        plan_id=p.id, reviewed_on=date(2026, 9, 1), outcomes=("family",),
        results=tuple(GoalResultInput(g.id, "not") for g in p.goals)))
    titles = [e.title for e in timeline.case_timeline(ctx, case.id) if e.kind == "support"]
    assert titles[0] == "アセスメント（第1版・家族のみ（本人未接触））"
    assert titles[1].startswith("支援計画 第1版（本人が同意")
    assert titles[2] == "評価（計画 第1版）：未達成、未達成"
    with ctx.session() as s:
        done = set(s.scalars(select(AuditEvent.action)))
    assert {"support.assessment.record", "support.plan.save", "support.review.record"} <= done


def test_staff_without_identify_see_codes_but_not_words(ctx, case, store):
    plans.save_plan(ctx, case.id, plan_input())
    assessments.record_assessment(ctx, case.id, AssessmentInput(
        assessed_on=date(2026, 5, 10), urgency="high", family_situation="母と二人"))
    # A role with CASE_READ but not CASE_IDENTIFY does not exist by default: build one.
    from pfdesk.core import permissions

    permissions.ROLE_PERMISSIONS["reader_test"] = frozenset({Permission.CASE_READ})
    try:
        reader = ServiceContext(store, Actor("r", "読み取り", "reader_test"))
        listed = plans.list_plans(reader, case.id)[0]
        assert [g.text for g in listed.goals] == [MASK, MASK]
        a = assessments.list_assessments(reader, case.id)[0]
        assert a.urgency == "high" and dict(a.texts)["家族の状況"] == MASK
        with pytest.raises(PermissionDenied):
            plans.save_plan(reader, case.id, plan_input())
    finally:
        del permissions.ROLE_PERMISSIONS["reader_test"]
    viewer = ServiceContext(store, Actor("v", "閲覧", "viewer"))
    with pytest.raises(PermissionDenied):
        plans.list_plans(viewer, case.id)


def test_the_plan_prints_as_a_sheet_with_its_goals_and_an_agreement_line(ctx, case, tmp_path):
    import re

    from pypdf import PdfReader

    from pfdesk.services.support.plan_sheet import case_id_by_number, print_plan

    plans.save_plan(ctx, case.id, plan_input())
    plans.save_plan(ctx, case.id, plan_input(made_on=date(2026, 9, 1),
                                             review_on=date(2026, 12, 1),
                                             goals=(GoalInput("short", "居場所に月2回通う"),)))
    assert case_id_by_number(ctx, case.case_number.lower()) == case.id
    print_plan(ctx, case.id, tmp_path / "v1.pdf", version=1)
    text = re.sub(r"\s+", "", PdfReader(tmp_path / "v1.pdf").pages[0].extract_text())
    assert "支援計画書" in text and "第1版" in text and "週に1回は散歩に出たい" in text
    assert "高橋一郎" in text and "同意します" in text and "居場所の見学に同行" in text
    print_plan(ctx, case.id, tmp_path / "latest.pdf")
    assert "居場所に月2回通う" in PdfReader(tmp_path / "latest.pdf").pages[0].extract_text()
    with pytest.raises(ValidationError):
        case_id_by_number(ctx, "R8-9999")
    from pfdesk.core import permissions

    permissions.ROLE_PERMISSIONS["reader_print"] = frozenset(
        {Permission.CASE_READ, Permission.DOCUMENT_PRINT})
    try:
        reader = ServiceContext(ctx.store, Actor("r", "r", "reader_print"))
        with pytest.raises(PermissionDenied):
            print_plan(reader, case.id, tmp_path / "x.pdf")
    finally:
        del permissions.ROLE_PERMISSIONS["reader_print"]
