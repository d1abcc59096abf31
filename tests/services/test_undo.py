"""「取り消し」 of the last save: new records voided, edits written back, stale offers refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from pfdesk.core.errors import PermissionDenied
from pfdesk.core.permissions import VIEWER
from pfdesk.services import audit_log, undo
from pfdesk.services.consultations import cases, consents, contacts, referrals
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.context import Actor
from pfdesk.services.people import persons
from pfdesk.store.models import AuditEvent


def _case(ctx):
    return cases.create_case(ctx, CaseInput(intake_date=date(2026, 5, 1), family_name="佐藤",
                                            given_name="花子", address="本町1-2"))


def _contact(ctx, case_id, body="母より電話。"):
    return contacts.add_contact(ctx, case_id, contacts.ContactInput(
        occurred_at=datetime(2026, 5, 8, 9, 30), body=body))


def _actions(ctx) -> list[str]:
    with ctx.session() as s:
        return [a for (a,) in s.query(AuditEvent.action).order_by(AuditEvent.id)]


def test_a_new_contact_is_voided_with_the_undo_reason_and_audited(ctx):
    c = _case(ctx)
    row = _contact(ctx, c.id)
    offer = undo.contact_added(row)
    assert offer.message == "相談記録を保存しました"
    assert undo.revert(ctx, offer) == "相談記録の保存を取り消しました"
    (listed,) = contacts.list_contacts(ctx, c.id)
    assert listed.voided and listed.void_reason == "保存の取り消し"
    assert cases.get_case(ctx, c.id).contact_count == 0
    assert "consultations.contact.void" in _actions(ctx)
    assert "consultations.contact.undo" in _actions(ctx)
    assert audit_log.action_label("consultations.contact.undo") == "支援経過 保存の取り消し"


def test_a_new_contact_corrected_since_is_not_voided(ctx):
    c = _case(ctx)
    row = _contact(ctx, c.id)
    contacts.update_contact(ctx, row.id, contacts.ContactInput(
        occurred_at=row.occurred_at, body="別の人が直した内容"), seen=row)
    with pytest.raises(undo.UndoRefused, match="変更されたため、取り消せません"):
        undo.revert(ctx, undo.contact_added(row))
    assert not contacts.list_contacts(ctx, c.id)[0].voided


def test_an_edited_contact_gets_its_previous_values_back(ctx):
    c = _case(ctx)
    before = _contact(ctx, c.id, "最初の内容")
    after = contacts.update_contact(ctx, before.id, contacts.ContactInput(
        occurred_at=datetime(2026, 5, 9, 14, 0), method="home_visit", body="直した内容",
        next_plan="来週訪問"), seen=before)
    assert undo.revert(ctx, undo.contact_edited(before, after)) == "相談記録を修正前に戻しました"
    (now,) = contacts.list_contacts(ctx, c.id)
    assert (now.body, now.method, now.occurred_at, now.next_plan) == (
        "最初の内容", before.method, before.occurred_at, "")
    assert now.version == after.version + 1  # written back as a new correction


def test_an_edit_saved_over_by_someone_else_is_not_taken_back(ctx):
    c = _case(ctx)
    before = _contact(ctx, c.id, "最初の内容")
    mine = contacts.update_contact(ctx, before.id, contacts.ContactInput(
        occurred_at=before.occurred_at, body="わたしの修正"), seen=before)
    contacts.update_contact(ctx, before.id, contacts.ContactInput(
        occurred_at=before.occurred_at, body="ほかの人の修正"), seen=mine)
    with pytest.raises(undo.UndoRefused):
        undo.revert(ctx, undo.contact_edited(before, mine))
    assert contacts.list_contacts(ctx, c.id)[0].body == "ほかの人の修正"


def test_a_case_edit_is_written_back_through_update_case(ctx):
    before = _case(ctx)
    after = cases.update_case(ctx, before.id, CaseInput(
        intake_date=before.intake_date, family_name="佐藤", given_name="花江",
        address="新町3-4", lead_staff="山田"), seen=before)
    offer = undo.case_edited(before, after)
    assert offer.message == f"ケース {before.case_number} の変更を保存しました"
    undo.revert(ctx, offer)
    now = cases.get_case(ctx, before.id)
    assert (now.given_name, now.address, now.lead_staff) == ("花子", "本町1-2", "")
    stale = undo.case_edited(before, after)  # the same offer again: the case moved on
    with pytest.raises(undo.UndoRefused, match="このケース"):
        undo.revert(ctx, stale)


def test_a_case_just_opened_is_voided_only_while_nothing_hangs_on_it(ctx):
    first = _case(ctx)
    persons.person_of_case(ctx, first.id)  # showing the case makes its 本人 record
    assert undo.revert(ctx, undo.case_created(first)) == "ケースの登録を取り消しました"
    assert cases.get_case(ctx, first.id).voided
    assert cases.get_case(ctx, first.id).void_reason == "保存の取り消し"
    second = _case(ctx)
    _contact(ctx, second.id)
    with pytest.raises(undo.UndoRefused, match="すでに記録が付いている"):
        undo.revert(ctx, undo.case_created(second))
    assert not cases.get_case(ctx, second.id).voided


def test_a_new_referral_and_consent_are_voided(ctx):
    c = _case(ctx)
    ref = referrals.add_referral(ctx, c.id, None, "hello_work", date(2026, 5, 10))
    con = consents.record_consent(ctx, c.id, date(2026, 5, 10), True)
    undo.revert(ctx, undo.referral_added(ref))
    undo.revert(ctx, undo.consent_added(con))
    assert referrals.list_referrals(ctx, c.id)[0].voided
    assert consents.list_consents(ctx, c.id)[0].voided
    assert consents.list_consents(ctx, c.id)[0].void_reason == "保存の取り消し"


def test_a_referral_moved_on_since_is_not_voided(ctx):
    c = _case(ctx)
    ref = referrals.add_referral(ctx, c.id, None, "hello_work", date(2026, 5, 10))
    referrals.set_referral_status(ctx, ref.id, "started", date(2026, 5, 20))
    with pytest.raises(undo.UndoRefused):
        undo.revert(ctx, undo.referral_added(ref))
    assert not referrals.list_referrals(ctx, c.id)[0].voided


def test_a_viewer_is_neither_offered_nor_allowed(ctx):
    c = _case(ctx)
    offer = undo.contact_added(_contact(ctx, c.id))
    viewer = ctx.acting_as(Actor("viewer", "閲覧者", VIEWER, None))
    assert undo.can_offer(ctx.actor, offer)
    assert not undo.can_offer(viewer.actor, offer)
    with pytest.raises(PermissionDenied):
        undo.revert(viewer, offer)
    assert not contacts.list_contacts(ctx, c.id)[0].voided


def test_a_generic_edit_is_refused_when_the_record_differs_from_what_was_saved(ctx):
    store = {"value": "after"}
    offer = undo.generic_edit(
        "meetings.meeting", 1, "会議の変更を保存しました", before="before", after="after",
        current=lambda _ctx: store["value"], write=lambda _ctx, v: store.update(value=v),
        permission=undo.Permission.MEETING_WRITE)
    store["value"] = "someone else"
    with pytest.raises(undo.UndoRefused):
        undo.revert(ctx, offer)
    assert store["value"] == "someone else"
    store["value"] = "after"
    assert undo.revert(ctx, replace(offer)) == "変更前に戻しました"
    assert store["value"] == "before"
    assert "meetings.meeting.undo" in _actions(ctx)
