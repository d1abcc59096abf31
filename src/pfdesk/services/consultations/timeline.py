"""The timeline of a case: contacts, referrals, consents, status changes and meeting items.

Everything that happened to one case, in one chronological list, newest last. Free text
is masked for roles that may not identify cases; every view is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select

from pfdesk.core import codes
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.consultations.consents import _rows as consent_rows
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.masking import MASK, can_identify
from pfdesk.store.models import (
    ActionItem,
    AgendaItem,
    Body,
    CaseStatusChange,
    Contact,
    Meeting,
    Organization,
    Referral,
)

#: Kinds of timeline entry (key → label shown in the 種類 column).
KINDS = {
    "status": _("状況"),
    "contact": _("相談"),
    "referral": _("つなぎ"),
    "consent": _("同意"),
    "meeting": _("会議"),
    "action": _("対応事項"),
    "support": _("支援計画"),
    "void": _("取消"),
}


@dataclass(frozen=True)
class TimelineEntry:
    """One happening on a case's timeline."""

    day: date
    at: time | None
    kind: str  # a key of KINDS
    title: str
    detail: str
    voided: bool = False

    @property
    def kind_label(self) -> str:
        """The Japanese name of the kind."""
        return KINDS.get(self.kind, self.kind)


def _join(*parts: str) -> str:
    return "　".join(p for p in parts if p)


def _status_entries(s, case_id: int, mask) -> list[TimelineEntry]:
    out = []
    for h in s.scalars(select(CaseStatusChange).where(CaseStatusChange.case_id == case_id)):
        label = codes.CASE_STATUSES.label(h.to_status)
        if not h.from_status:
            title = _("受付")
        elif h.from_status == "closed":
            title = _("再開（{to}）").format(to=label)
        else:
            title = _("{old} → {new}").format(
                old=codes.CASE_STATUSES.label(h.from_status), new=label)
        out.append(TimelineEntry(h.changed_on, None, "status", title,
                                 _join(mask(h.reason), _("記録: {who}").format(who=h.changed_by)
                                       if h.changed_by else "")))
    return out


def _contact_entries(s, case_id: int, mask) -> list[TimelineEntry]:
    out = []
    for c in s.scalars(select(Contact).where(Contact.case_id == case_id)):
        who = codes.REQUESTERS.label(c.requester) + (f"（{c.relation}）" if c.relation else "")
        title = _("{method}・{who}・{topic}").format(
            method=codes.METHODS.label(c.method), who=who,
            topic=codes.TOPICS.label(c.main_topic))
        detail = mask(c.body)
        if c.voided_at is not None:
            detail = _("【取消：{reason}】").format(reason=c.void_reason) + detail
        out.append(TimelineEntry(c.occurred_at.date(), c.occurred_at.time(), "contact", title,
                                 detail, voided=c.voided_at is not None))
    return out


def _referral_entries(s, case_id: int, mask) -> list[TimelineEntry]:
    out = []
    rows = s.execute(
        select(Referral, Organization.name)
        .outerjoin(Organization, Organization.id == Referral.organization_id)
        .where(Referral.case_id == case_id)
    ).all()
    for r, name in rows:
        target = name or codes.REFERRAL_CATEGORIES.label(r.category)
        void = r.voided_at is not None
        note = _("【取消：{reason}】").format(reason=r.void_reason) if void else ""
        out.append(TimelineEntry(r.referred_on, None, "referral",
                                 _("{org}へ紹介").format(org=target), note + mask(r.note), void))
        if r.started_on:
            out.append(TimelineEntry(r.started_on, None, "referral",
                                     _("{org}の利用開始").format(org=target), note, void))
        if r.ended_on:
            out.append(TimelineEntry(r.ended_on, None, "referral", _("{org}の{status}").format(
                org=target, status=codes.REFERRAL_STATUSES.label(r.status)), note, void))
    return out


def _consent_entries(s, actor, case_id: int) -> list[TimelineEntry]:
    out = []
    for c in consent_rows(s, actor, case_id):
        note = _("【取消：{reason}】").format(reason=c.void_reason) if c.voided else ""
        out.append(TimelineEntry(c.given_on, None, "consent", _("同意（{method}）").format(
            method=codes.CONSENT_METHODS.label(c.method)), note + c.scope_text, c.voided))
        if c.withdrawn_on:
            out.append(TimelineEntry(c.withdrawn_on, None, "consent", _("同意の撤回"),
                                     note + c.scope_text, c.voided))
    return out


def _meeting_entries(s, case_id: int, mask) -> list[TimelineEntry]:
    out = []
    for item, meeting, body in s.execute(
        select(AgendaItem, Meeting, Body)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Body, Body.id == Meeting.body_id)
        .where(AgendaItem.case_id == case_id)
    ).all():
        title = _("{body} 第{n}回：{item}").format(body=body.name, n=meeting.number,
                                                  item=mask(item.title))
        out.append(TimelineEntry(meeting.held_on, meeting.start_time, "meeting", title,
                                 mask(item.summary)))
    for action, meeting in s.execute(
        select(ActionItem, Meeting)
        .join(Meeting, Meeting.id == ActionItem.meeting_id)
        .where(ActionItem.case_id == case_id)
    ).all():
        status = codes.ACTION_STATUSES.label(action.status)
        who = f"（{action.assignee_text}）" if action.assignee_text else ""
        due = (_("　期限 {d}").format(d=format_date(action.due_on)) if action.due_on
               else "")
        out.append(TimelineEntry(meeting.held_on, None, "action",
                                 _("対応事項［{status}］{who}{due}").format(
                                     status=status, who=who, due=due),
                                 mask(action.description)))
        if action.closed_on:
            out.append(TimelineEntry(action.closed_on, None, "action",
                                     _("対応事項［{status}］").format(status=status),
                                     mask(action.description)))
    return out


@service(Permission.CASE_READ)
def case_timeline(ctx: ServiceContext, case_id: int) -> list[TimelineEntry]:
    """Everything that happened to a case, oldest first (the view is audited)."""
    ident = can_identify(ctx.actor)

    def mask(text: str) -> str:
        return text if ident or not text else MASK

    with ctx.session() as s:
        case = common.load_case(s, case_id)
        entries = [
            *_status_entries(s, case.id, mask),
            *_contact_entries(s, case.id, mask),
            *_referral_entries(s, case.id, mask),
            *_consent_entries(s, ctx.actor, case.id),
            *_meeting_entries(s, case.id, mask),
            *_support_entries(s, case.id, mask),
        ]
        if case.voided_at is not None:
            entries.append(TimelineEntry(case.voided_at.date(), None, "void",
                                         _("ケースの取消"), case.void_reason, True))
        audit.record(s, ctx.actor, "consultations.timeline.view", "case", [case.id],
                     identifying=ident)
        s.commit()
    order = {k: i for i, k in enumerate(KINDS)}
    return sorted(entries, key=lambda e: (e.day, e.at or time(0), order.get(e.kind, 99)))


def _support_entries(s, case_id: int, mask) -> list[TimelineEntry]:
    from pfdesk.services.support.timeline import support_entries  # it builds on this module

    return support_entries(s, case_id, mask)


def timeline_when(entry: TimelineEntry) -> datetime:
    """The entry's moment as a datetime (midnight when only the day is known)."""
    return datetime.combine(entry.day, entry.at or time(0))
