"""前回の会議から作成: a new meeting that starts as a copy of the body's latest one.

What carries over is what a secretariat would otherwise type again every time: 時刻, 場所,
オンライン併用, the 回答期限 as the same number of days before the meeting, the invitations
(the body's members seated on the new day, and the guests and organizations invited last
time) and the recurring 次第 items (開会, 報告, その他 … with their generated 資料 such as
統計 or 宿題事項). What belongs to the last meeting stays there: minutes, decisions,
responses, attached files, and items about a case (linked to it, or naming one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date, format_time_range
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.entitlement import MeetingView
from pfdesk.services.identity_scan import build_index
from pfdesk.services.meetings._common import get_or_fail
from pfdesk.services.meetings.bodies import affiliation_of, current_members, post_of
from pfdesk.services.meetings.meetings import MeetingInput, meeting_title, schedule_meeting
from pfdesk.store.models import AgendaItem, Attendance, Body, Material, Meeting


@dataclass(frozen=True)
class PreviousItem:
    """An item of the last 次第; ``recurring`` ones are copied unless left out."""

    id: int
    kind_label: str
    title: str
    presenter: str
    materials: tuple[str, ...]  # generated 資料 that come along
    recurring: bool
    why_not: str  # why an item is not offered ("" when it is)


@dataclass(frozen=True)
class PreviousMeeting:
    """The body's latest meeting as the 「前回の会議から作成」 form shows it."""

    id: int
    title: str
    held_on: date
    date_text: str
    start_time: time | None
    end_time: time | None
    time_text: str
    place: str
    online: bool
    reply_days_before: int | None  # 回答期限 as days before the meeting
    guests: int  # invitations of people and organizations who are not members
    items: tuple[PreviousItem, ...]
    suggested_on: date  # the same weekday of the month, one interval later

    def reply_deadline_for(self, held_on: date) -> date | None:
        """The 回答期限 as many days before ``held_on`` as last time."""
        if self.reply_days_before is None:
            return None
        return held_on - timedelta(days=self.reply_days_before)


def _latest(session, body_id: int, before: date | None) -> Meeting | None:
    q = select(Meeting).where(Meeting.body_id == body_id, Meeting.status != "cancelled")
    if before is not None:
        q = q.where(Meeting.held_on < before)
    return session.scalars(q.order_by(Meeting.held_on.desc(), Meeting.id.desc())).first()


def _months_apart(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def _same_weekday_later(held_on: date, months: int) -> date:
    """The same 「第n○曜日」 ``months`` later (the last one when that month has no 5th)."""
    nth = (held_on.day - 1) // 7
    year, month = divmod(held_on.month - 1 + months, 12)
    year, month = held_on.year + year, month + 1
    first = date(year, month, 1)
    day = first + timedelta(days=(held_on.weekday() - first.weekday()) % 7 + 7 * nth)
    while day.month != month:
        day -= timedelta(days=7)
    return day


def suggest_date(previous: date, before_previous: date | None) -> date:
    """The next meeting day: the same weekday of the month, as far on as the last gap."""
    months = _months_apart(before_previous, previous) if before_previous else 1
    return _same_weekday_later(previous, min(max(months, 1), 12))


def _generated(materials: list[Material]) -> list[Material]:
    # A 資料 pfdesk builds at print time is rebuilt for the new meeting; a case sheet
    # belongs to a case item, which is never copied.
    return [m for m in materials if m.generated and m.generated != "case_sheet"]


def _items(session, ctx: ServiceContext, m: Meeting) -> tuple[PreviousItem, ...]:
    index = build_index(session)
    view = MeetingView(session, ctx.actor, m, document=False)
    out = []
    for it in sorted(m.agenda_items, key=lambda x: x.position):
        why = ""
        if it.case_id is not None:
            why = _("ケースの議題です")
        elif index.find(it.title) or index.find(it.presenter):
            why = _("ケースの情報を含んでいます")
        out.append(PreviousItem(
            id=it.id, kind_label=codes.AGENDA_KINDS.label(it.kind),
            title=view.text(it.title) if why else it.title, presenter=it.presenter,
            materials=tuple(x.title for x in _generated(list(it.materials))),
            recurring=not why, why_not=why,
        ))
    return tuple(out)


@service(Permission.MEETING_READ)
def previous_meeting(ctx: ServiceContext, body_id: int,
                     before: date | None = None) -> PreviousMeeting | None:
    """The body's latest meeting not called off (before ``before`` if given), or None."""
    with ctx.session() as s:
        body = get_or_fail(s, Body, body_id, _("会議体"))
        m = _latest(s, body.id, before)
        if m is None:
            return None
        earlier = _latest(s, body.id, m.held_on)
        members = {seat.person_id for seat in current_members(s, body.id, m.held_on)}
        guests = sum(1 for a in m.attendance if a.person_id is None or a.person_id not in members)
        return PreviousMeeting(
            id=m.id, title=meeting_title(body.name, m.number), held_on=m.held_on,
            date_text=format_date(m.held_on, weekday=True), start_time=m.start_time,
            end_time=m.end_time,
            time_text=format_time_range(m.start_time, m.end_time) if m.start_time else "",
            place=m.place, online=m.online,
            reply_days_before=(m.held_on - m.reply_deadline).days if m.reply_deadline else None,
            guests=guests, items=_items(s, ctx, m),
            suggested_on=suggest_date(m.held_on, earlier.held_on if earlier else None),
        )


def _copy_guests(session, previous: Meeting, new: Meeting) -> int:
    """Invite again whoever came last time without a seat on the body (guests, 御中)."""
    seated = {a.person_id for a in new.attendance if a.person_id}
    orgs = {a.organization_id for a in new.attendance if not a.name.strip()}
    members = {seat.person_id for seat in current_members(session, new.body_id, previous.held_on)}
    pos = max((a.position for a in new.attendance), default=0)
    added = 0
    for a in sorted(previous.attendance, key=lambda x: x.position):
        if a.person_id is not None and (a.person_id in members or a.person_id in seated):
            continue  # a member: invited from the body's seats as they are on the new day
        if a.person_id is None and not a.name.strip():
            if a.organization_id in orgs:
                continue
            copy = Attendance(organization_id=a.organization_id, name="",
                              affiliation=a.affiliation, title=a.title, role=a.role)
            orgs.add(a.organization_id)
        elif a.person_id is not None:
            # 所属・職名 as they stand on the new day: posts change every April.
            post = post_of(session, a.person_id, a.organization_id, new.held_on)
            copy = Attendance(
                person_id=a.person_id, name=a.name, name_kana=a.name_kana,
                organization_id=post.organization_id if post else a.organization_id,
                affiliation=affiliation_of(post, None) if post else a.affiliation,
                title=post.title if post else a.title, role=a.role)
            seated.add(a.person_id)
        else:
            copy = Attendance(name=a.name, name_kana=a.name_kana, affiliation=a.affiliation,
                              title=a.title, role=a.role)
        pos += 1
        copy.position = pos
        copy.response = "pending"
        new.attendance.append(copy)
        added += 1
    return added


@service(Permission.MEETING_WRITE)
def create_from_previous(ctx: ServiceContext, previous_id: int, data: MeetingInput, *,
                         item_ids: Sequence[int] | None = None) -> int:
    """Schedule a meeting from ``previous_id``: its invitations and recurring 次第 items.

    ``data`` holds the new day, times and place (the form fills them from the previous
    meeting). ``item_ids`` chooses among the recurring items (all of them when None); an
    item about a case is refused. Returns the new meeting's id.
    """
    if data.body_id is None:
        raise ValidationError(_("会議体を選んでください。"), field="body_id")
    with ctx.session() as s:
        prev = get_or_fail(s, Meeting, previous_id, _("会議"))
        if prev.body_id != data.body_id:
            raise ValidationError(
                _("前回の会議は同じ会議体の会議から選んでください。"), field="body_id")
        offered = {i.id: i for i in _items(s, ctx, prev)}
        wanted = [i for i in offered.values() if i.recurring] if item_ids is None else [
            offered[i] for i in item_ids if i in offered]
        refused = [i for i in wanted if not i.recurring]
        if refused:
            raise ValidationError(
                _("「{title}」は{why}。前回の会議から引き継げません。").format(
                    title=refused[0].title, why=refused[0].why_not),
                hint=_("新しい会議の「次第・資料」で改めて追加してください。"))
        new = schedule_meeting(s, ctx, data, invite=True)
        guests = _copy_guests(s, prev, new)
        chosen = {i.id for i in wanted}
        position = 0
        for it in sorted(prev.agenda_items, key=lambda x: x.position):
            if it.id not in chosen:
                continue
            position += 1
            copy = AgendaItem(meeting_id=new.id, position=position, kind=it.kind,
                              title=it.title, presenter=it.presenter, publicity=it.publicity)
            for n, mat in enumerate(_generated(list(it.materials)), start=1):
                copy.materials.append(Material(position=n, title=mat.title,
                                               generated=mat.generated,
                                               is_reference=mat.is_reference))
            s.add(copy)
        s.flush()
        audit.record(s, ctx.actor, "meetings.meeting.from_previous", "meeting", [new.id],
                     previous_id=prev.id, items=len(chosen), guests=guests)
        s.commit()
        return new.id


__all__ = ["PreviousItem", "PreviousMeeting", "create_from_previous", "previous_meeting",
           "suggest_date"]
