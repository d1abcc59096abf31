"""People behind cases: a person with two cases counts once; merges keep the history."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.core.permissions import ROLE_PERMISSIONS, Permission
from pfdesk.services import stats
from pfdesk.services.consultations import cases, contacts, referrals
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.consultations.contacts import ContactInput
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.masking import MASK
from pfdesk.services.people import persons


def new_case(ctx, day: date, name=("高橋", "一郎"), kana=("タカハシ", "イチロウ")):
    c = cases.create_case(ctx, CaseInput(intake_date=day, family_name=name[0],
                                         given_name=name[1], family_kana=kana[0],
                                         given_kana=kana[1], sex="male", age_band="30s"))
    contacts.add_contact(ctx, c.id, ContactInput(occurred_at=datetime.combine(
        day, datetime.min.time()).replace(hour=10), main_topic="withdrawal"))
    return c


def test_a_person_with_two_cases_counts_once_across_years(ctx):
    first = new_case(ctx, date(2025, 6, 1))
    second = new_case(ctx, date(2026, 6, 1))
    other = new_case(ctx, date(2026, 7, 1), ("佐藤", "花子"), ("サトウ", "ハナコ"))
    both_years = (date(2025, 4, 1), date(2027, 3, 31))
    assert stats.consultation_stats(ctx, start=both_years[0], end=both_years[1]).persons == 3

    view = persons.link_same_person(ctx, second.id, first.case_number.lower(), "生年月日で確認")
    assert [c.case_number for c in view.cases] == [first.case_number, second.case_number]

    whole = stats.consultation_stats(ctx, start=both_years[0], end=both_years[1])
    assert (whole.persons, whole.contacts, whole.new_persons) == (2, 3, 2)
    fy2026 = stats.fiscal_year_stats(ctx, 2026)
    # 高橋 first came in 2025: counted in 2026, but not as new.
    assert (fy2026.persons, fy2026.new_persons) == (2, 1)
    assert other.id in {c.case_id for c in persons.person_of_case(ctx, other.id).cases}
    age = {r.key: r for r in fy2026.by["age_band"].rows}
    assert age["30s"].persons == 2


def test_referrals_count_people_too(ctx):
    a = new_case(ctx, date(2026, 5, 1))
    b = new_case(ctx, date(2026, 6, 1))
    persons.link_same_person(ctx, b.id, a.case_number)
    for c in (a, b):
        referrals.add_referral(ctx, c.id, None, "other", date(2026, 6, 10))
    row = {r.key: r for r in stats.fiscal_year_stats(ctx, 2026).by["referral_category"].rows}
    assert (row["other"].contacts, row["other"].persons) == (2, 1)


def test_merging_keeps_both_records_and_a_third_case_follows(ctx):
    a = new_case(ctx, date(2024, 5, 1))
    b = new_case(ctx, date(2025, 5, 1))
    c = new_case(ctx, date(2026, 5, 1))
    persons.link_same_person(ctx, b.id, c.case_number, "同じ住所")
    view = persons.link_same_person(ctx, a.id, c.case_number)
    assert [x.case_number for x in view.cases] == [a.case_number, b.case_number, c.case_number]
    assert len(view.merged) == 2 and "同じ住所" in {m.reason for m in view.merged}
    assert stats.consultation_stats(ctx, start=date(2024, 4, 1), end=date(2027, 3, 31)).persons == 1


def test_link_errors_name_the_problem(ctx):
    a = new_case(ctx, date(2026, 5, 1))
    with pytest.raises(ValidationError) as e:
        persons.link_same_person(ctx, a.id, "R8-9999")
    assert "R8-9999" in e.value.message
    with pytest.raises(ValidationError) as e:
        persons.link_same_person(ctx, a.id, a.case_number)
    assert "同じケース" in e.value.message


def test_family_members_are_people_on_several_cases(ctx):
    a = new_case(ctx, date(2026, 5, 1))
    brother = new_case(ctx, date(2026, 5, 2), ("高橋", "次郎"), ("タカハシ", "ジロウ"))
    view = persons.add_family_member(ctx, a.id, persons.FamilyInput(
        relation="母", family_name="高橋", given_name="春子", family_kana="たかはし"))
    mother = view.family[0]
    assert (mother.name, mother.relation) == ("高橋　春子", "母")
    persons.add_family_member(ctx, brother.id, persons.FamilyInput(
        relation="母", existing_client_id=mother.client_id))
    view = persons.person_of_case(ctx, brother.id)
    assert view.family[0].client_id == mother.client_id
    with pytest.raises(ValidationError):
        persons.add_family_member(ctx, a.id, persons.FamilyInput(relation=""))


def test_names_are_masked_and_writing_needs_identify(ctx, store, monkeypatch):
    a = new_case(ctx, date(2026, 5, 1))
    persons.add_family_member(ctx, a.id, persons.FamilyInput(relation="母", family_name="高橋"))
    monkeypatch.setitem(ROLE_PERMISSIONS, "reader", frozenset({Permission.CASE_READ}))
    reader = ServiceContext(store, Actor("r", "読む人", "reader"))
    view = persons.person_of_case(reader, a.id)
    assert view.name == MASK and view.family[0].name == MASK
    with pytest.raises(PermissionDenied):
        persons.link_same_person(reader, a.id, "R8-0001")
    with pytest.raises(PermissionDenied):
        persons.person_of_case(ServiceContext(store, Actor("v", "閲覧", "viewer")), a.id)
