"""取り消し of a case's 状況・終結・再開, a new agenda item, a post; the check and write-back in one unit."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pytest

from pfdesk.services import undo
from pfdesk.services.consultations import cases
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.directory import organizations
from pfdesk.services.directory import people as directory_people
from pfdesk.services.directory.types import PostInput
from pfdesk.services.meetings import agenda, meetings
from pfdesk.store.models import AuditEvent


def _case(ctx):
    return cases.create_case(ctx, CaseInput(intake_date=date(2026, 5, 1), family_name="佐藤",
                                            given_name="花子"))


def _undo_reasons(ctx, case_id: int) -> list[str]:
    return [h.reason for h in cases.get_case(ctx, case_id).history if "保存の取り消し" in h.reason]


def test_a_status_change_is_taken_back_by_the_reverse_transition(ctx):
    c = _case(ctx)
    after = cases.change_status(ctx, c.id, "active", date(2026, 5, 10), "面談開始")
    offer = undo.case_status_changed(c, after)
    assert offer.message == f"ケース {c.case_number} の状況を「支援中」にしました"
    assert undo.revert(ctx, offer) == "ケースの状況を元に戻しました"
    now = cases.get_case(ctx, c.id)
    assert now.status == "intake"
    last = now.history[-1]
    assert (last.from_status, last.to_status, last.reason) == ("active", "intake", "保存の取り消し")
    assert last.changed_on == date(2026, 5, 10)
    with ctx.session() as s:
        actions = [a for (a,) in s.query(AuditEvent.action)]
    assert "consultations.case.status" in actions and "consultations.case.undo" in actions


def test_a_closure_is_taken_back_and_the_case_is_open_as_before(ctx):
    c = cases.change_status(ctx, _case(ctx).id, "watch", date(2026, 5, 3))
    closed = cases.close_case(ctx, c.id, date(2026, 6, 1), "moved")
    offer = undo.case_status_changed(c, closed)
    assert offer.message == f"ケース {c.case_number} を終結しました"
    assert undo.revert(ctx, offer) == "終結を取り消しました"
    now = cases.get_case(ctx, c.id)
    assert (now.status, now.closed_on, now.close_reason) == ("watch", None, "")
    assert _undo_reasons(ctx, c.id) == ["保存の取り消し"]


def test_a_closure_from_intake_goes_back_to_intake(ctx):
    c = _case(ctx)
    closed = cases.close_case(ctx, c.id, date(2026, 6, 1), "other", "連絡なし")
    undo.revert(ctx, undo.case_status_changed(c, closed))
    assert cases.get_case(ctx, c.id).status == "intake"


def test_a_reopening_is_taken_back_with_the_earlier_closure_date_and_reason(ctx):
    c = cases.change_status(ctx, _case(ctx).id, "active", date(2026, 5, 3))
    closed = cases.close_case(ctx, c.id, date(2026, 6, 1), "handed_over")
    reopened = cases.reopen_case(ctx, c.id, date(2026, 7, 1), "再度の相談", "active")
    offer = undo.case_status_changed(closed, reopened)
    assert offer.message == f"ケース {c.case_number} を再開しました"
    assert undo.revert(ctx, offer) == "再開を取り消しました"
    now = cases.get_case(ctx, c.id)
    assert (now.status, now.closed_on, now.close_reason) == (
        "closed", date(2026, 6, 1), "handed_over")


def test_a_status_changed_again_since_is_not_taken_back(ctx):
    c = _case(ctx)
    after = cases.change_status(ctx, c.id, "active", date(2026, 5, 10))
    cases.change_status(ctx, c.id, "watch", date(2026, 5, 20))
    with pytest.raises(undo.UndoRefused, match="取り消せません"):
        undo.revert(ctx, undo.case_status_changed(c, after))
    assert cases.get_case(ctx, c.id).status == "watch"


def _planned(ctx) -> int:
    return [r for r in meetings.list_meetings(ctx, fy=2026) if r.status == "planned"][0].id


def test_a_new_agenda_item_is_deleted_again(demo_ctx):
    mid = _planned(demo_ctx)
    count = len(agenda.list_agenda(demo_ctx, mid))
    item = agenda.add_item(demo_ctx, mid, agenda.AgendaInput(title="居場所づくりの報告"))
    offer = undo.agenda_item_added(item, undo.agenda_item_state(demo_ctx, item))
    assert offer.message == "議題「居場所づくりの報告」を追加しました"
    assert undo.revert(demo_ctx, offer) == "議題の追加を取り消しました"
    assert len(agenda.list_agenda(demo_ctx, mid)) == count


def test_a_new_agenda_item_edited_since_is_kept(demo_ctx):
    mid = _planned(demo_ctx)
    item = agenda.add_item(demo_ctx, mid, agenda.AgendaInput(title="居場所づくりの報告"))
    offer = undo.agenda_item_added(item, undo.agenda_item_state(demo_ctx, item))
    agenda.update_item(demo_ctx, item, agenda.AgendaInput(title="居場所づくりの中間報告"))
    with pytest.raises(undo.UndoRefused, match="取り消せません"):
        undo.revert(demo_ctx, offer)
    assert any(r.id == item for r in agenda.list_agenda(demo_ctx, mid))


def _person_and_org(ctx):
    people = directory_people.list_people(ctx)
    person = people[0]
    org = organizations.list_organizations(ctx)[-1]
    return person.id, org.id


def test_a_new_post_is_deleted_and_an_edited_post_written_back(demo_ctx):
    person_id, org_id = _person_and_org(demo_ctx)
    post_id = directory_people.add_post(demo_ctx, PostInput(
        person_id=person_id, organization_id=org_id, title="主任", start_on=date(2026, 4, 1)))
    added = undo.post_input(directory_people.get_post(demo_ctx, post_id))
    before = added
    directory_people.update_post(demo_ctx, post_id, replace(added, title="係長"))
    after = undo.post_input(directory_people.get_post(demo_ctx, post_id))
    assert undo.revert(demo_ctx, undo.post_edited(post_id, before, after)) == "変更前に戻しました"
    assert directory_people.get_post(demo_ctx, post_id).title == "主任"
    assert undo.revert(demo_ctx, undo.post_added(post_id, added)) == "所属・職名の追加を取り消しました"
    ids = [p.id for p in directory_people.get_person(demo_ctx, person_id).posts]
    assert post_id not in ids


def test_a_post_ended_since_it_was_added_is_kept(demo_ctx):
    person_id, org_id = _person_and_org(demo_ctx)
    post_id = directory_people.add_post(demo_ctx, PostInput(
        person_id=person_id, organization_id=org_id, start_on=date(2026, 4, 1)))
    offer = undo.post_added(post_id, undo.post_input(directory_people.get_post(demo_ctx, post_id)))
    directory_people.end_post(demo_ctx, post_id, date(2026, 9, 30))
    with pytest.raises(undo.UndoRefused):
        undo.revert(demo_ctx, offer)
    assert directory_people.get_post(demo_ctx, post_id).end_on == date(2026, 9, 30)


def test_a_save_between_the_check_and_the_write_back_is_never_overwritten(demo_ctx,
                                                                          monkeypatch):
    """Another PC saves the organization just after 取り消し read it: that save waits."""
    org_id = organizations.list_organizations(demo_ctx)[0].id
    before = organizations.get_organization(demo_ctx, org_id).data
    organizations.update_organization(demo_ctx, org_id, replace(before, phone="0889-00-1111"))
    after = organizations.get_organization(demo_ctx, org_id).data
    offer = undo.organization_edited(org_id, before, after)

    real_get = organizations.get_organization
    other = {}

    def other_pc_saves() -> None:
        organizations.update_organization(demo_ctx, org_id, replace(after, note="別の端末で保存"))
        other["done"] = True

    def get_then_race(ctx, oid):
        detail = real_get(ctx, oid)
        if "thread" not in other:  # the 取り消し's check: the other save starts right now
            other["thread"] = threading.Thread(target=other_pc_saves)
            other["thread"].start()
            other["thread"].join(1.0)  # without one unit of work, it would finish here
        return detail

    monkeypatch.setattr(organizations, "get_organization", get_then_race)
    undo.revert(demo_ctx, offer)
    other["thread"].join(20)
    assert other.get("done")
    monkeypatch.setattr(organizations, "get_organization", real_get)
    now = organizations.get_organization(demo_ctx, org_id).data
    # The write-back came first; the other PC's save followed it and is kept in full.
    assert now.note == "別の端末で保存"
    assert now.phone == "0889-00-1111"
