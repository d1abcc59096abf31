"""Meetings of a body: create with 回次 numbered automatically, edit, 予定 / 開催済 / 中止."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import fiscal_year_of, fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date, format_time_range
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.edit_versions import Seen, check_seen
from pfdesk.services.entitlement import MeetingView
from pfdesk.services.meetings._common import check_code, get_or_fail, number_label, today_of
from pfdesk.services.meetings.attendance import counts_by_meeting, invite_current_members
from pfdesk.services.meetings.calendar import (
    day_warnings,
    default_reply_deadline,
    extra_holidays,
)
from pfdesk.store.models import ActionItem, AgendaItem, Body, Decision, DocumentNumber, Meeting


@dataclass(frozen=True)
class MeetingInput:
    """The 概要 of a meeting as the form saves it."""

    body_id: int
    held_on: date
    start_time: time | None = None
    end_time: time | None = None
    place: str = ""
    online: bool = False
    publicity: str | None = None  # None = the body's default
    observers: int = 0
    reply_deadline: date | None = None
    note: str = ""


@dataclass(frozen=True)
class MeetingRow:
    """A meeting as listed and exported; ``id`` is the 会議ID users quote."""

    id: int
    body_id: int
    body_name: str
    body_kind: str
    kind_label: str
    fiscal_year: int
    number: int
    title: str  # 第3回みどり川町…実務者会議
    held_on: date
    date_text: str
    time_text: str
    place: str
    online: bool
    publicity_label: str
    status: str
    status_label: str
    invited: int
    present: int  # 出席 + オンライン + 代理出席
    absent: int
    pending: int
    decisions: int
    open_actions: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class MeetingDetail:
    """Everything on the 概要 tab."""

    row: MeetingRow
    body_numbering: str
    start_time: time | None
    end_time: time | None
    publicity: str
    observers: int
    reply_deadline: date | None
    note: str
    next_plan: str
    theme: str
    lecturer: str
    participants_residents: int
    participants_agencies: int
    participants_families: int
    is_study: bool
    version: int = 1  # counted up by every saved 概要 (services.edit_versions)


def meeting_title(body_name: str, number: int) -> str:
    """The title as printed: 第3回みどり川町ひきこもり支援実務者会議."""
    return f"{number_label(number)}{body_name}"


def next_number(session: Session, body: Body, fy: int) -> int:
    """The next 回次 of ``body``: counted per 年度 or running, as the body is set."""
    q = select(func.max(Meeting.number)).where(Meeting.body_id == body.id)
    if body.numbering == "fiscal":
        q = q.where(Meeting.fiscal_year == fy)
    return (session.scalar(q) or 0) + 1


def _in_date_order(session: Session, body: Body, fy: int) -> list[Meeting]:
    """The meetings sharing one 回次 sequence with ``fy``'s, by date (then by creation)."""
    q = select(Meeting).where(Meeting.body_id == body.id)
    if body.numbering == "fiscal":
        q = q.where(Meeting.fiscal_year == fy)
    return list(session.scalars(q.order_by(Meeting.held_on, Meeting.id)))


def _printed(session: Session, meeting_ids: list[int]) -> set[int]:
    """Which of the meetings already have a 開催通知 (a 文書番号) on paper."""
    if not meeting_ids:
        return set()
    return set(session.scalars(select(DocumentNumber.meeting_id).where(
        DocumentNumber.meeting_id.in_(meeting_ids))))


def renumber_by_date(session: Session, body: Body, fy: int) -> dict[int, tuple[int, int]]:
    """Give the meetings of ``body`` (in ``fy``'s sequence) their 回次 in date order.

    A meeting inserted between two others takes its place, and the later ones move up by
    one, as long as none of the meetings whose 回次 would change has a printed notice.
    When one has, every 回次 stays as it is (the paper and the record must agree) and
    :func:`numbering_note` tells the user. Returns ``{meeting_id: (old, new)}`` changed.
    """
    session.flush()
    ordered = _in_date_order(session, body, fy)
    changes = {m.id: (m.number, i) for i, m in enumerate(ordered, start=1) if m.number != i}
    if not changes or _printed(session, list(changes)):
        return {}
    by_id = {m.id: m for m in ordered}
    for mid, (_old, new) in changes.items():
        by_id[mid].number = new
    return changes


@service(Permission.MEETING_READ)
def numbering_note(ctx: ServiceContext, meeting_id: int) -> str:
    """Why this meeting's 回次 is not its place in date order (empty when it is)."""
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        ordered = _in_date_order(s, m.body, m.fiscal_year)
        place = next(i for i, o in enumerate(ordered, start=1) if o.id == m.id)
        if place == m.number:
            return ""
        return _("この会議は日付順では{right}ですが、{now}のままです。"
                 "開催通知を印刷済みの会議があり、回次を変えると印刷物と合わなくなるためです。"
                 "回次を直す場合は、印刷済みの通知を差し替えてください。").format(
            right=number_label(place), now=number_label(m.number))


def _rows(session: Session, meetings: list[Meeting]) -> list[MeetingRow]:
    ids = [m.id for m in meetings]
    counts = counts_by_meeting(session, ids)
    decisions = dict(session.execute(
        select(AgendaItem.meeting_id, func.count(Decision.id))
        .join(Decision, Decision.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.meeting_id.in_(ids)).group_by(AgendaItem.meeting_id)
    ).all()) if ids else {}
    actions = dict(session.execute(
        select(ActionItem.meeting_id, func.count())
        .where(ActionItem.meeting_id.in_(ids),
               ActionItem.status.in_(codes.OPEN_ACTION_STATUSES))
        .group_by(ActionItem.meeting_id)
    ).all()) if ids else {}
    if meetings:
        lo, hi = min(m.held_on for m in meetings), max(m.held_on for m in meetings)
        extra = extra_holidays(session, lo, hi)
    else:
        extra = {}
    out = []
    for m in meetings:
        c = counts.get(m.id, {})
        present = c.get("present", 0) + c.get("online", 0) + c.get("proxy", 0)
        warn = day_warnings(m.held_on, extra) if m.status == "planned" else []
        out.append(MeetingRow(
            id=m.id, body_id=m.body_id, body_name=m.body.name, body_kind=m.body.kind,
            kind_label=codes.BODY_KINDS.label(m.body.kind), fiscal_year=m.fiscal_year,
            number=m.number, title=meeting_title(m.body.name, m.number), held_on=m.held_on,
            date_text=format_date(m.held_on, weekday=True),
            time_text=format_time_range(m.start_time, m.end_time) if m.start_time else "",
            place=m.place, online=m.online, publicity_label=codes.PUBLICITY.label(m.publicity),
            status=m.status, status_label=codes.MEETING_STATUSES.label(m.status),
            invited=sum(c.values()), present=present, absent=c.get("absent", 0),
            pending=c.get("pending", 0), decisions=decisions.get(m.id, 0),
            open_actions=actions.get(m.id, 0), warnings=tuple(warn),
        ))
    return out


def meeting_rows(session: Session, meetings: list[Meeting]) -> list[MeetingRow]:
    """List rows for ``meetings`` with their counts (for other meeting services)."""
    return _rows(session, meetings)


@service(Permission.MEETING_READ)
def list_meetings(
    ctx: ServiceContext, fy: int | None = None, body_id: int | None = None
) -> list[MeetingRow]:
    """Meetings of 年度 ``fy`` (all years when None), optionally of one body, by date."""
    with ctx.session() as s:
        q = select(Meeting).order_by(Meeting.held_on, Meeting.start_time, Meeting.id)
        if fy is not None:
            start, end = fiscal_year_range(fy)
            q = q.where(Meeting.held_on >= start, Meeting.held_on <= end)
        if body_id is not None:
            q = q.where(Meeting.body_id == body_id)
        return _rows(s, list(s.scalars(q)))


@dataclass(frozen=True)
class MeetingYears:
    """The 年度 to choose from on the 会議 page, and the one to show first."""

    years: list[int]  # the 年度 that have meetings, plus the current one, newest first
    current: int  # the 年度 of today (the demo town's fixed today in the demo)


@service(Permission.MEETING_READ)
def meeting_years(ctx: ServiceContext) -> MeetingYears:
    """The 年度 that have meetings, plus the current one, newest first."""
    with ctx.session() as s:
        current = fiscal_year_of(today_of(s))
        years = {current} | set(s.scalars(select(Meeting.fiscal_year).distinct()))
        return MeetingYears(sorted(years, reverse=True), current)


@service(Permission.MEETING_READ)
def get_meeting(ctx: ServiceContext, meeting_id: int) -> MeetingDetail:
    """One meeting with everything on its 概要 tab."""
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        row = _rows(s, [m])[0]
        # Free text as the reader may see it (names of cases become 「ケースA」 for 閲覧者).
        view = MeetingView(s, ctx.actor, m, document=False)
        audit.record(s, ctx.actor, "meetings.meeting.view", "meeting", [m.id])
        s.commit()
        return MeetingDetail(
            row=row, body_numbering=m.body.numbering, start_time=m.start_time,
            end_time=m.end_time, publicity=m.publicity, observers=m.observers,
            reply_deadline=m.reply_deadline, note=view.text(m.note),
            next_plan=view.text(m.next_plan),
            theme=view.text(m.theme), lecturer=m.lecturer,
            participants_residents=m.participants_residents,
            participants_agencies=m.participants_agencies,
            participants_families=m.participants_families,
            is_study=m.body.kind == "study", version=m.version or 1,
        )


def _check(data: MeetingInput, body: Body) -> dict:
    publicity = data.publicity or body.default_publicity
    check_code(codes.PUBLICITY, publicity, "publicity", _("公開区分"))
    if body.kind == "support_meeting" and publicity != "closed":
        raise ValidationError(
            _("支援会議は法律上非公開です。公開区分は「非公開」にしてください。"),
            field="publicity",
        )
    if data.start_time and data.end_time and data.end_time <= data.start_time:
        raise ValidationError(
            _("終了時刻が開始時刻より前になっています。時刻を確認してください。"),
            field="end_time",
        )
    if data.observers < 0:
        raise ValidationError(_("傍聴者数は0以上の数で入力してください。"), field="observers")
    if data.reply_deadline and data.reply_deadline > data.held_on:
        raise ValidationError(
            _("出欠の回答期限が開催日より後になっています。日付を確認してください。"),
            field="reply_deadline",
        )
    return dict(
        held_on=data.held_on, start_time=data.start_time, end_time=data.end_time,
        place=clean_text(data.place), online=bool(data.online), publicity=publicity,
        observers=int(data.observers), reply_deadline=data.reply_deadline,
        note=clean_text(data.note),
    )


@service(Permission.MEETING_WRITE)
def create_meeting(ctx: ServiceContext, data: MeetingInput, *, invite: bool = True) -> int:
    """Schedule a meeting; 回次 is the body's next number and its members are invited.

    Without a 出欠の回答期限 the meeting gets the default one (7 days before, on a working day).
    """
    if data.body_id is None:
        raise ValidationError(
            _("会議体を選んでください。"), field="body_id",
            hint=_("会議体がまだない場合は、会議の画面の「会議体を追加…」で先に登録してください。"),
        )
    with ctx.session() as s:
        m = schedule_meeting(s, ctx, data, invite=invite)
        s.commit()
        return m.id


def schedule_meeting(s: Session, ctx: ServiceContext, data: MeetingInput, *,
                     invite: bool) -> Meeting:
    """Add the meeting in ``s`` (numbered, invited, audited) without committing.

    For services that build more on the new meeting in the same unit of work.
    """
    body = get_or_fail(s, Body, data.body_id, _("会議体"))
    values = _check(data, body)
    if values["reply_deadline"] is None:
        # The 開催通知 asks for replies by this day; the 概要 tab can change or clear it.
        values["reply_deadline"] = default_reply_deadline(s, data.held_on, today_of(s))
    fy = fiscal_year_of(data.held_on)
    m = Meeting(body_id=body.id, fiscal_year=fy, number=next_number(s, body, fy),
                status="planned", **values)
    s.add(m)
    s.flush()
    renumbered = renumber_by_date(s, body, fy)
    invited = invite_current_members(s, m) if invite else 0
    audit.record(s, ctx.actor, "meetings.meeting.create", "meeting", [m.id],
                 body_id=body.id, number=m.number, held_on=m.held_on.isoformat(),
                 invited=invited, renumbered=_renumbered(renumbered, m.id))
    return m


MEETING_LABELS = (
    ("held_on", _("開催日")), ("start_time", _("開始時刻")), ("end_time", _("終了時刻")),
    ("place", _("場所")), ("online", _("オンライン併用")), ("publicity", _("公開区分")),
    ("observers", _("傍聴者数")), ("reply_deadline", _("出欠の回答期限")), ("note", _("備考")),
)


def meeting_input(m: Meeting) -> MeetingInput:
    """A meeting's 概要 as stored, in the form update_meeting takes."""
    return MeetingInput(
        body_id=m.body_id, held_on=m.held_on, start_time=m.start_time, end_time=m.end_time,
        place=m.place or "", online=bool(m.online), publicity=m.publicity,
        observers=m.observers or 0, reply_deadline=m.reply_deadline, note=m.note or "")


def seen_of(d: MeetingDetail) -> Seen:
    """The 概要 as a form shows ``d``: what update_meeting's ``seen`` takes."""
    r = d.row
    return Seen(d.version, MeetingInput(
        body_id=r.body_id, held_on=r.held_on, start_time=d.start_time, end_time=d.end_time,
        place=r.place, online=r.online, publicity=d.publicity, observers=d.observers,
        reply_deadline=d.reply_deadline, note=d.note))


@service(Permission.MEETING_WRITE)
def update_meeting(ctx: ServiceContext, meeting_id: int, data: MeetingInput, *,
                   seen: Seen | None = None) -> None:
    """Save the 概要; moving a meeting into another 年度 gives it that year's next 回次.

    ``seen`` is the 概要 as the form showed it: when the meeting was saved elsewhere since,
    nothing is saved and an EditConflict says what changed (the form keeps the text).
    """
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        check_seen(s, m, seen, meeting_input(m), labels=MEETING_LABELS,
                   action="meetings.meeting.edit",
                   what=_("会議「{title}」").format(title=meeting_title(m.body.name, m.number)))
        if data.body_id != m.body_id:
            raise ValidationError(
                _("会議体は後から変更できません。正しい会議体で会議を作り直してください。"),
                field="body_id",
            )
        values = _check(data, m.body)
        fy = fiscal_year_of(data.held_on)
        old_fy = m.fiscal_year
        if fy != m.fiscal_year:
            if m.body.numbering == "fiscal":
                m.number = next_number(s, m.body, fy)
            m.fiscal_year = fy
        changed = sorted(k for k, v in values.items() if getattr(m, k) != v)
        for k, v in values.items():
            setattr(m, k, v)
        renumbered = renumber_by_date(s, m.body, fy)
        if old_fy != fy:
            renumbered.update(renumber_by_date(s, m.body, old_fy))
        audit.record(s, ctx.actor, "meetings.meeting.edit", "meeting", [m.id], fields=changed,
                     renumbered=_renumbered(renumbered, m.id))
        s.commit()


@service(Permission.MEETING_WRITE)
def set_meeting_status(ctx: ServiceContext, meeting_id: int, status: str) -> None:
    """Mark a meeting 予定, 開催済 or 中止."""
    check_code(codes.MEETING_STATUSES, status, "status", _("開催状況"))
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        before = m.status
        m.status = status
        audit.record(s, ctx.actor, "meetings.meeting.status", "meeting", [m.id],
                     before=before, after=status)
        s.commit()


@service(Permission.MEETING_WRITE)
def delete_meeting(ctx: ServiceContext, meeting_id: int) -> None:
    """Delete a meeting entered by mistake; one with minutes or action items is refused.

    A meeting that took place or was called off keeps its record: set it 中止 instead.
    """
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        item_ids = [it.id for it in m.agenda_items]
        recorded = (
            m.status == "held"
            or any(it.summary or it.materials for it in m.agenda_items)
            or s.scalar(select(func.count()).select_from(Decision)
                        .where(Decision.agenda_item_id.in_(item_ids)))
            or s.scalar(select(func.count()).select_from(ActionItem).where(
                (ActionItem.meeting_id == m.id) | (ActionItem.closed_meeting_id == m.id)))
        )
        if recorded:
            raise ValidationError(
                _("{title}には議事録・資料・宿題事項などの記録があるため削除できません。").format(
                    title=meeting_title(m.body.name, m.number)),
                hint=_("開催しなかった場合は、開催状況を「中止」にしてください。"),
            )
        audit.record(s, ctx.actor, "meetings.meeting.delete", "meeting", [m.id],
                     body_id=m.body_id, number=m.number, held_on=m.held_on.isoformat())
        body, fy = m.body, m.fiscal_year
        s.delete(m)
        renumber_by_date(s, body, fy)
        s.commit()


def _renumbered(changes: dict[int, tuple[int, int]], own_id: int) -> dict[str, str]:
    """The other meetings whose 回次 moved, for the audit event (会議ID: 旧→新)."""
    return {str(mid): f"{old}→{new}" for mid, (old, new) in sorted(changes.items())
            if mid != own_id}
