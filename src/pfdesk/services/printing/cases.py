"""Case material in meeting papers, by the meeting's legal basis (DOMAIN.md).

- 支援会議 (社会福祉法第106条の6): full detail; the packet is marked and numbered.
- otherwise, a consent in force on the meeting day that covers every attending
  organization (or all members): as consented.
- otherwise: pseudonymized — case code, 年代, 性別 and 経過 (date, method, 相談者区分 and
  相談内容 only).

A user whose role may not identify cases always gets the pseudonymized sheet.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.fiscal import AGE_BANDS, age_band, age_on
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.documents.case_sheet import (
    CONSENTED,
    FULL,
    PSEUDONYMIZED,
    CaseSheetData,
    ContactRow,
)
from pfdesk.services.entitlement import meeting_level
from pfdesk.services.masking import can_identify
from pfdesk.store.models import (
    Case,
    CaseStatusChange,
    Consent,
    Contact,
    Meeting,
    Organization,
    Referral,
)

#: The most recent contacts a sheet lists; older ones are summarised by count.
MAX_CONTACTS = 40

_AGE_LABELS = dict(AGE_BANDS)


def disclosure_level(session: Session, meeting: Meeting, case_id: int, actor) -> tuple[str, str]:
    """The level a case's sheet is printed at in this meeting's papers, and why.

    The meeting's own level comes from :func:`pfdesk.services.entitlement.meeting_level`
    (law, consent); a role that may not identify gets the pseudonymized sheet, and the
    reason says so.
    """
    if not can_identify(actor):
        return PSEUDONYMIZED, _("※ 利用者の権限により、本人を特定できる情報を省いています。")
    return meeting_level(session, meeting, case_id), ""


def _labels(code_list, raw_json: str) -> str:
    try:
        keys = json.loads(raw_json or "[]")
    except ValueError:
        keys = []
    return "、".join(code_list.label(k) for k in keys)


def _age_label(case: Case, on: date) -> str:
    key = case.age_band
    if case.birth_date and case.birth_date <= on:
        key = age_band(age_on(case.birth_date, on))
    return _(_AGE_LABELS.get(key, key))


def _contact_topics(c: Contact) -> str:
    try:
        keys = json.loads(c.topics_json or "[]")
    except ValueError:
        keys = []
    if c.main_topic and c.main_topic not in keys:
        keys.insert(0, c.main_topic)
    return "、".join(codes.TOPICS.label(k) for k in keys if k)


def _onset_text(onset: str) -> str:
    """「2014-03」 → 「2014年3月」, 「2014」 → 「2014年」; blank stays blank (不明)."""
    year, _dash, month = (onset or "").partition("-")
    if not year.isdigit():
        return onset or _("不明")
    return f"{year}年{int(month)}月" if month.isdigit() else f"{year}年"


def status_on(session: Session, case: Case, on: date) -> str:
    """The case's 状況 on ``on`` (a code), from its status history.

    Papers for a past meeting must show the status of that day, not today's: a case closed
    since was still 支援中 when it was discussed.
    """
    changes = session.scalars(select(CaseStatusChange).where(
        CaseStatusChange.case_id == case.id,
    ).order_by(CaseStatusChange.changed_on, CaseStatusChange.created_at,
               CaseStatusChange.id)).all()
    before = [c for c in changes if c.changed_on <= on]
    if before:
        return before[-1].to_status
    if not changes:
        return case.status  # no history kept for this case
    return changes[0].from_status or "intake"  # every recorded change came later


def _consent_text(session: Session, case_id: int, on: date) -> str:
    rows = session.scalars(select(Consent).where(
        Consent.case_id == case_id, Consent.voided_at.is_(None), Consent.given_on <= on,
        (Consent.withdrawn_on.is_(None)) | (Consent.withdrawn_on > on),
    ).order_by(Consent.given_on)).all()
    parts = []
    for c in rows:
        if c.scope_all:
            scope = _("全構成機関")
        else:
            names = [session.get(Organization, o.organization_id) for o in c.organizations]
            scope = "、".join(o.name for o in names if o)
        parts.append(f"{format_date(c.given_on)} {codes.CONSENT_METHODS.label(c.method)}"
                     f"（{scope}）")
    return "\n".join(parts)


def case_sheet(session: Session, case: Case, meeting: Meeting, level: str,
               reason: str = "") -> CaseSheetData:
    """The sheet of ``case`` at ``level``; fields the level does not allow stay empty."""
    on = meeting.held_on
    until = datetime.combine(on, time.max)
    contacts = session.scalars(select(Contact).where(
        Contact.case_id == case.id, Contact.voided_at.is_(None), Contact.occurred_at <= until,
    ).order_by(Contact.occurred_at)).all()[-MAX_CONTACTS:]
    identify = level != PSEUDONYMIZED
    rows = tuple(
        ContactRow(
            on=c.occurred_at.date(), method=codes.METHODS.label(c.method),
            requester=codes.REQUESTERS.label(c.requester), topics=_contact_topics(c),
            body=c.body if identify else "", staff=c.staff if identify else "",
        )
        for c in contacts
    )
    coded = CaseSheetData(level=level, code=case.case_number, age_band=_age_label(case, on),
                          sex=codes.SEXES.label(case.sex), contacts=rows, restricted_reason=reason)
    if not identify:
        return coded
    referrals = session.scalars(select(Referral).where(
        Referral.case_id == case.id, Referral.voided_at.is_(None), Referral.referred_on <= on,
    ).order_by(Referral.referred_on)).all()
    ref_rows = []
    for r in referrals:
        org = session.get(Organization, r.organization_id) if r.organization_id else None
        ref_rows.append((format_date(r.referred_on), org.name if org else "",
                         codes.REFERRAL_CATEGORIES.label(r.category),
                         codes.REFERRAL_STATUSES.label(r.status)))
    return replace(
        coded,
        name=case.full_name, name_kana=f"{case.family_kana}　{case.given_kana}".strip("　"),
        birth_date=case.birth_date, address=case.address, phone=case.phone,
        household=case.household, school_or_employer=case.school_or_employer,
        intake_date=case.intake_date, route=codes.ROUTES.label(case.route),
        status=codes.CASE_STATUSES.label(status_on(session, case, on)),
        work_status=codes.WORK_STATUSES.label(case.work_status),
        onset=_onset_text(case.onset), issues=_labels(codes.TOPICS, case.issues_json),
        triggers=_labels(codes.TRIGGERS, case.triggers_json),
        chief_complaint=case.chief_complaint, policy=case.policy, goal=case.goal,
        referrals=tuple(ref_rows), consent=_consent_text(session, case.id, on),
    )


def linked_cases(session: Session, case_ids: Iterable[int]) -> list[Case]:
    """The (non-voided) cases with these ids, in id order."""
    ids = sorted({i for i in case_ids if i})
    if not ids:
        return []
    return list(session.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.id)))


__all__ = ["CONSENTED", "FULL", "PSEUDONYMIZED", "case_sheet", "disclosure_level",
           "linked_cases"]
