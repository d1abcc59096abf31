"""Search and the case list: 異体字 and kana width folded, two-character names, notes, masks."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pfdesk.core.permissions import ROLE_PERMISSIONS, Permission
from pfdesk.services.consultations import cases, contacts, timeline
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.masking import MASK
from pfdesk.store.models import ActionItem, AgendaItem, Body, Meeting


@pytest.fixture
def town(ctx):
    made = {}
    for fam, kana, day, lead in (("高橋", "タカハシ", date(2025, 5, 1), "森野"),
                                 ("髙橋", "タカハシ", date(2026, 4, 10), "川口"),
                                 ("橋本", "ハシモト", date(2026, 6, 1), "森野")):
        made[fam] = cases.create_case(ctx, CaseInput(
            intake_date=day, family_name=fam, given_name="太郎", family_kana=kana,
            given_kana="タロウ", lead_staff=lead, route="school"))
    contacts.add_contact(ctx, made["橋本"].id, contacts.ContactInput(
        occurred_at=datetime(2026, 6, 2, 10), body="本人は昼夜逆転の生活が続いている。"))
    # The 2025 case has a contact in 2026 too, so it belongs to both 年度.
    contacts.add_contact(ctx, made["高橋"].id, contacts.ContactInput(
        occurred_at=datetime(2026, 5, 20, 10), body="近況の電話"))
    return made


def _numbers(ctx, **kw):
    return sorted(r.case_number for r in search_cases(ctx, CaseFilter(**kw)).rows)


def test_two_character_names_variants_and_readings_are_found(ctx, town):
    both = sorted([town["高橋"].case_number, town["髙橋"].case_number])
    assert _numbers(ctx, text="高橋") == both
    assert _numbers(ctx, text="髙橋") == both
    assert _numbers(ctx, text="ﾀｶﾊｼ") == both
    assert _numbers(ctx, text="たかはし　たろう") == both
    assert _numbers(ctx, text="橋") == sorted([*both, town["橋本"].case_number])


def test_note_texts_are_searched_and_voided_notes_are_not(ctx, town):
    assert _numbers(ctx, text="昼夜逆転") == [town["橋本"].case_number]
    row = contacts.list_contacts(ctx, town["橋本"].id)[0]
    contacts.void_contact(ctx, row.id, "誤入力")
    assert _numbers(ctx, text="昼夜逆転") == []


def test_filters_by_fiscal_year_staff_route_and_status(ctx, town):
    assert _numbers(ctx, fiscal_year=2025) == [town["高橋"].case_number]
    assert _numbers(ctx, fiscal_year=2026) == sorted(c.case_number for c in town.values())
    assert _numbers(ctx, lead_staff="川口") == [town["髙橋"].case_number]
    assert _numbers(ctx, route="direct") == []
    cases.close_case(ctx, town["橋本"].id, date(2026, 7, 1), "goal_met")
    assert town["橋本"].case_number not in _numbers(ctx, status="open")
    assert _numbers(ctx, status="closed") == [town["橋本"].case_number]
    cases.void_case(ctx, town["高橋"].id, "二重登録")
    assert town["高橋"].case_number not in _numbers(ctx)
    assert town["高橋"].case_number in _numbers(ctx, include_voided=True)


def test_pages_are_sorted_in_sql(ctx, town):
    page1 = search_cases(ctx, CaseFilter(), sort="name", descending=False, limit=2)
    page2 = search_cases(ctx, CaseFilter(), sort="name", descending=False, offset=2, limit=2)
    assert page1.total == 3
    assert [r.kana for r in page1.rows + page2.rows] == [
        "タカハシ　タロウ", "タカハシ　タロウ", "ハシモト　タロウ"]
    last = search_cases(ctx, CaseFilter(), sort="last_contact", descending=True).rows
    assert last[0].case_number == town["橋本"].case_number


@pytest.fixture
def reader(ctx, monkeypatch):
    """A role that may read coded case data but not identify anyone."""
    monkeypatch.setitem(ROLE_PERMISSIONS, "case_reader", frozenset({Permission.CASE_READ}))
    return ServiceContext(ctx.store, Actor("r", "統計担当", "case_reader"))


def test_without_identify_names_are_masked_and_never_matched(reader, town):
    assert _numbers(reader, text="高橋") == []
    assert _numbers(reader, text="昼夜逆転") == []
    number = town["橋本"].case_number
    assert _numbers(reader, text=number.lower()) == [number]
    rows = search_cases(reader, CaseFilter()).rows
    assert {r.name for r in rows} == {MASK}
    detail = cases.get_case(reader, town["橋本"].id)
    assert detail.full_name == MASK and detail.address == "" and not detail.identifiable
    bodies = [c.body for c in contacts.list_contacts(reader, town["橋本"].id)]
    assert bodies == [MASK]


def test_timeline_gathers_everything_in_order_and_masks_text(ctx, reader, town):
    case = town["橋本"]
    with ctx.session() as s:
        body = Body(name="個別ケース会議", kind="case_conference")
        s.add(body)
        s.flush()
        m = Meeting(body_id=body.id, fiscal_year=2026, number=2, held_on=date(2026, 6, 20))
        s.add(m)
        s.flush()
        item = AgendaItem(meeting_id=m.id, title="橋本さんの支援方針", case_id=case.id,
                          summary="居場所の利用を検討")
        s.add(item)
        s.flush()
        s.add(ActionItem(body_id=body.id, meeting_id=m.id, agenda_item_id=item.id,
                         case_id=case.id, description="見学の日程調整", due_on=date(2026, 7, 1)))
        s.commit()
    cases.close_case(ctx, case.id, date(2026, 8, 1), "handed_over")
    entries = timeline.case_timeline(ctx, case.id)
    kinds = [e.kind for e in entries]
    assert kinds == ["status", "contact", "meeting", "action", "status"]
    assert entries[2].title.startswith("個別ケース会議 第2回")
    assert "他機関へ引継ぎ" in entries[-1].detail
    masked = timeline.case_timeline(reader, case.id)
    assert "橋本" not in " ".join(e.title + e.detail for e in masked)
    assert masked[1].detail == MASK
