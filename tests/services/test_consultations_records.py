"""支援経過, つなぎ and 同意: recording, quick phone entry, dated statuses, withdrawal, 取消."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pfdesk.core.errors import ValidationError
from pfdesk.services.consultations import cases, consents, contacts, referrals
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.consultations.consents import consent_covers
from pfdesk.store.models import Organization


def _case(ctx):
    return cases.create_case(ctx, CaseInput(intake_date=date(2026, 5, 1), family_name="佐藤",
                                            given_name="花子"))


def _orgs(ctx, *names):
    with ctx.session() as s:
        orgs = [Organization(name=n, kind="npo") for n in names]
        s.add_all(orgs)
        s.commit()
        return [o.id for o in orgs]


def test_contacts_are_listed_newest_first_and_voided_ones_stay(ctx):
    c = _case(ctx)
    first = contacts.add_contact(ctx, c.id, contacts.ContactInput(
        occurred_at=datetime(2026, 5, 1, 10, 0), method="visit_office", requester="family",
        relation="母", topics=("family",), main_topic="withdrawal", body="母より来所相談。"))
    contacts.add_contact(ctx, c.id, contacts.ContactInput(
        occurred_at=datetime(2026, 5, 8, 9, 30), body="電話で近況確認。"))
    assert first.topics == ("withdrawal", "family")  # the main topic is always one of them
    assert first.relation == "母"
    with pytest.raises(ValidationError):
        contacts.void_contact(ctx, first.id, "")
    contacts.void_contact(ctx, first.id, "別のケースに入力したため")
    rows = contacts.list_contacts(ctx, c.id)
    assert [r.occurred_at.day for r in rows] == [8, 1]
    assert rows[1].voided and rows[1].void_reason == "別のケースに入力したため"
    with pytest.raises(ValidationError):
        contacts.update_contact(ctx, first.id, contacts.ContactInput(
            occurred_at=datetime(2026, 5, 1, 10, 0)))
    assert cases.get_case(ctx, c.id).contact_count == 1


def test_quick_phone_entry_needs_five_fields_and_records_the_caller(ctx):
    c = _case(ctx)
    row = contacts.quick_phone_entry(ctx, c.id, datetime(2026, 6, 2, 14, 5), "family",
                                     "withdrawal", "母から電話。変わりなし。")
    assert (row.method, row.requester, row.counterpart, row.main_topic) == (
        "phone", "family", "family", "withdrawal")
    assert row.staff == ctx.actor.display_name


def test_referral_moves_referred_started_ended_with_dates(ctx):
    c = _case(ctx)
    (org,) = _orgs(ctx, "しののめサポステ")
    r = referrals.add_referral(ctx, c.id, org, "saposute", date(2026, 6, 1))
    assert r.status == "referred" and r.organization_name == "しののめサポステ"
    with pytest.raises(ValidationError):
        referrals.set_referral_status(ctx, r.id, "ended", date(2026, 6, 5))
    with pytest.raises(ValidationError):
        referrals.set_referral_status(ctx, r.id, "started", date(2026, 5, 1))
    r = referrals.set_referral_status(ctx, r.id, "started", date(2026, 6, 10))
    r = referrals.set_referral_status(ctx, r.id, "ended", date(2026, 9, 30))
    assert (r.status, r.started_on, r.ended_on) == ("ended", date(2026, 6, 10), date(2026, 9, 30))
    other = referrals.add_referral(ctx, c.id, None, "medical", date(2026, 7, 1))
    referrals.void_referral(ctx, other.id, "入力誤り")
    shown = referrals.referrals_for_organization(ctx, org)
    assert [x.case_number for x in shown] == [c.case_number]
    assert shown[0].person_name == "佐藤　花子"
    assert [x.voided for x in referrals.list_referrals(ctx, c.id)] == [False, True]


def test_consent_covers_all_members_listed_orgs_and_respects_withdrawal(ctx):
    c = _case(ctx)
    a, b, other = _orgs(ctx, "A会", "B会", "C会")
    with pytest.raises(ValidationError):
        consents.record_consent(ctx, c.id, date(2026, 5, 10), False, [])
    listed = consents.record_consent(ctx, c.id, date(2026, 5, 10), False, [a, b], "oral")
    assert listed.scope_text == "A会、B会"
    with ctx.session() as s:
        assert not consent_covers(s, c.id, [a], date(2026, 5, 9))
        assert consent_covers(s, c.id, [a, b], date(2026, 5, 10))
        assert not consent_covers(s, c.id, [a, other], date(2026, 6, 1))
    consents.withdraw_consent(ctx, listed.id, date(2026, 7, 1))
    with ctx.session() as s:
        assert consent_covers(s, c.id, [a], date(2026, 6, 30))
        assert not consent_covers(s, c.id, [a], date(2026, 7, 1))
    state = consents.consent_state(ctx, c.id, date(2026, 7, 2))
    assert not state.has_consent and state.withdrawn and "撤回" in state.text
    everyone = consents.record_consent(ctx, c.id, date(2026, 8, 1), True)
    with ctx.session() as s:
        assert consent_covers(s, c.id, [other], date(2026, 8, 1))
    consents.void_consent(ctx, everyone.id, "日付の誤り")
    with ctx.session() as s:
        assert not consent_covers(s, c.id, [other], date(2026, 8, 2))
    assert "同意なし" in consents.consent_state(ctx, c.id, date(2026, 8, 2)).text or \
        "撤回" in consents.consent_state(ctx, c.id, date(2026, 8, 2)).text
