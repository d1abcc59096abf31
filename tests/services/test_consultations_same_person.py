"""新規受付: existing cases of possibly the same person are found before a second case is made."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pfdesk.core import permissions
from pfdesk.core.errors import PermissionDenied
from pfdesk.core.permissions import Permission
from pfdesk.services.consultations import cases
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.consultations.same_person import possible_same_person
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.store.models import AuditEvent


def new(ctx, **kw) -> cases.CaseDetail:
    data = dict(intake_date=date(2025, 5, 1), family_name="髙橋", given_name="一郎",
                family_kana="タカハシ", given_kana="イチロウ", sex="male",
                birth_date=date(1998, 7, 3))
    data.update(kw)
    return cases.create_case(ctx, CaseInput(**data))


def test_same_reading_and_birth_date_finds_the_earlier_case(ctx):
    first = new(ctx)
    cases.close_case(ctx, first.id, date(2025, 12, 1), "goal_met")
    other_day = new(ctx, birth_date=date(1999, 7, 3))
    # Typed in hiragana with a space, under another kanji: the reading and birth date decide.
    found = possible_same_person(ctx, "たかはし ", "いちろう", date(1998, 7, 3), "高橋", "市郎")
    assert [c.case_id for c in found] == [first.id]
    (c,) = found
    assert (c.case_number, c.status_label, c.intake_date) == (first.case_number, "終結",
                                                              date(2025, 5, 1))
    assert c.name == "髙橋　一郎" and "生年月日" in c.reason
    assert other_day.id not in [x.case_id for x in found]
    # A different birth date is another person.
    assert possible_same_person(ctx, "タカハシ", "イチロウ", date(2001, 1, 1), "", "") == []


def test_without_birth_date_name_and_reading_must_both_match(ctx):
    known = new(ctx)
    unknown = new(ctx, birth_date=None, family_name="鈴木", given_name="花",
                  family_kana="スズキ", given_kana="ハナ")
    # New person's birth date unknown: 髙/高 are folded as the same name.
    found = possible_same_person(ctx, "タカハシ", "イチロウ", None, "高橋", "一郎")
    assert [c.case_id for c in found] == [known.id]
    assert possible_same_person(ctx, "タカハシ", "イチロウ", None, "高橋", "一朗") == []
    # Earlier case without a birth date, new one with it: name and reading.
    found = possible_same_person(ctx, "すずき", "はな", date(2000, 2, 2), "鈴木", "花")
    assert [c.case_id for c in found] == [unknown.id]
    assert possible_same_person(ctx, "スズキ", "ハナコ", date(2000, 2, 2), "鈴木", "花") == []
    # 「不明」 is not a name to match on.
    new(ctx, birth_date=None, family_name="不明", given_name="", family_kana="", given_kana="")
    assert possible_same_person(ctx, "", "", None, "不明", "") == []


def test_voided_cases_are_not_offered_and_coded_readers_get_nothing(ctx, monkeypatch):
    wrong = new(ctx)
    cases.void_case(ctx, wrong.id, "二重登録")
    assert possible_same_person(ctx, "タカハシ", "イチロウ", date(1998, 7, 3), "髙橋", "一郎") == []
    kept = new(ctx)
    # A role that reads coded case data only may not learn whether a named person consulted.
    monkeypatch.setitem(permissions.ROLE_PERMISSIONS, "coded",
                        frozenset({Permission.CASE_READ}))
    coded = ServiceContext(ctx.store, Actor("c", "集計担当", "coded"))
    assert possible_same_person(coded, "タカハシ", "イチロウ", date(1998, 7, 3),
                                "髙橋", "一郎") == []
    viewer = ServiceContext(ctx.store, Actor("v", "閲覧者", "viewer"))
    with pytest.raises(PermissionDenied):
        possible_same_person(viewer, "タカハシ", "イチロウ", date(1998, 7, 3), "髙橋", "一郎")
    assert [c.case_id for c in possible_same_person(
        ctx, "タカハシ", "イチロウ", date(1998, 7, 3), "髙橋", "一郎")] == [kept.id]
    with ctx.session() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "consultations.case.search")
                       ).all()
    assert [e.user_name for e in ev] == ["admin"]  # the empty answer showed nothing
