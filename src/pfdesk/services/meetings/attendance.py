"""出欠: invitations from the body's members with 所属・職名 as of the day, responses, 遅参・早退."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.kana import sort_key
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.meetings._common import check_code, get_or_fail, required_text, today_of
from pfdesk.services.meetings.bodies import affiliation_of, current_members, post_of
from pfdesk.store.models import Attendance, Meeting, Organization, Person, Post

#: Responses that count as taking part in the meeting.
ATTENDING = ("present", "online", "proxy")


@dataclass(frozen=True)
class AttendanceRow:
    """One invitee: the snapshot of 所属・職名 and the response."""

    id: int
    position: int
    person_id: int | None
    name: str
    affiliation: str
    title: str
    role: str
    role_label: str
    response: str
    response_label: str
    responded_on: date | None
    proxy_name: str
    proxy_title: str
    late: bool
    left_early: bool
    note: str

    @property
    def attending(self) -> bool:
        """Whether the response counts as taking part."""
        return self.response in ATTENDING

    @property
    def shown_response(self) -> str:
        """The response as printed, e.g. 代理出席（田中 課長補佐）, 出席（遅参）."""
        text = self.response_label
        if self.response == "proxy" and self.proxy_name:
            text += f"（{self.proxy_name}　{self.proxy_title}）".replace("　）", "）")
        marks = [m for m, on in ((_("遅参"), self.late), (_("早退"), self.left_early)) if on]
        if marks:
            text += "（" + "・".join(marks) + "）"
        return text


@dataclass(frozen=True)
class ResponseInput:
    """A reply to the invitation, or what happened on the day."""

    response: str
    responded_on: date | None = None
    proxy_name: str = ""
    proxy_title: str = ""
    late: bool = False
    left_early: bool = False
    note: str = ""


def _row(a: Attendance) -> AttendanceRow:
    return AttendanceRow(
        id=a.id, position=a.position, person_id=a.person_id, name=a.name,
        affiliation=a.affiliation, title=a.title, role=a.role,
        role_label=codes.BODY_ROLES.label(a.role), response=a.response,
        response_label=codes.RESPONSES.label(a.response), responded_on=a.responded_on,
        proxy_name=a.proxy_name, proxy_title=a.proxy_title, late=a.late,
        left_early=a.left_early, note=a.note,
    )


def counts_by_meeting(session: Session, meeting_ids: list[int]) -> dict[int, dict[str, int]]:
    """Response counts per meeting: {meeting_id: {response: n}}."""
    out: dict[int, dict[str, int]] = {}
    if not meeting_ids:
        return out
    for mid, resp, n in session.execute(
        select(Attendance.meeting_id, Attendance.response, func.count())
        .where(Attendance.meeting_id.in_(meeting_ids))
        .group_by(Attendance.meeting_id, Attendance.response)
    ):
        out.setdefault(mid, {})[resp] = n
    return out


def invite_current_members(session: Session, meeting: Meeting) -> int:
    """Invite the body's members seated on the meeting day who are not invited yet.

    所属 and 職名 are copied as they stand on that day, so a list printed years later
    still shows who came in which capacity.
    """
    invited = {a.person_id for a in meeting.attendance if a.person_id}
    pos = max((a.position for a in meeting.attendance), default=0)
    added = 0
    for seat in current_members(session, meeting.body_id, meeting.held_on):
        if seat.person_id in invited:
            continue
        post = post_of(session, seat.person_id, seat.organization_id, meeting.held_on)
        pos += 1
        meeting.attendance.append(Attendance(
            position=pos, person_id=seat.person_id,
            organization_id=seat.organization_id or (post.organization_id if post else None),
            name=seat.person.full_name, name_kana=seat.person.full_kana,
            affiliation=affiliation_of(post, seat.organization),
            title=post.title if post else "", role=seat.role, response="pending",
        ))
        invited.add(seat.person_id)
        added += 1
    session.flush()
    return added


@service(Permission.MEETING_READ)
def list_attendance(ctx: ServiceContext, meeting_id: int) -> list[AttendanceRow]:
    """The invitees of a meeting in list order."""
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        return [_row(a) for a in m.attendance]


@service(Permission.MEETING_WRITE)
def invite_members(ctx: ServiceContext, meeting_id: int) -> int:
    """Add the body's current members who are missing from the list; returns how many."""
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        n = invite_current_members(s, m)
        audit.record(s, ctx.actor, "meetings.attendance.invite", "meeting", [m.id], added=n)
        s.commit()
        return n


def _same_text(text: str) -> str:
    """Text as compared for a duplicate: width folded (NFKC), spaces dropped; 異体字 kept."""
    return "".join(unicodedata.normalize("NFKC", clean_text(text)).split())


def _refuse_same_guest(m: Meeting, name: str, affiliation: str) -> None:
    """A guest typed by name who is on the list already (same 氏名 and 所属) is refused.

    Two PCs adding the same guest would otherwise print them twice on the 出席者名簿.
    """
    key = (_same_text(name), _same_text(affiliation))
    for a in m.attendance:
        if a.name and (_same_text(a.name), _same_text(a.affiliation)) == key:
            raise ValidationError(
                _("{name} さん（{affiliation}）はすでに出欠名簿にいます。").format(
                    name=a.name, affiliation=a.affiliation or _("所属なし")),
                field="name",
                hint=_("ほかのパソコンか画面で追加された方も、一覧を表示し直すと見えます。"
                       "同じ氏名の別の方なら、所属を書き分けてください。"))


@service(Permission.MEETING_WRITE)
def add_attendee(
    ctx: ServiceContext,
    meeting_id: int,
    *,
    person_id: int | None = None,
    organization_id: int | None = None,
    name: str = "",
    affiliation: str = "",
    title: str = "",
    role: str = "observer",
) -> int:
    """Invite someone who is not a member.

    A directory person, a guest by name, or an organization as such (no person named;
    its notice is then addressed 「○○ 御中」).
    """
    check_code(codes.BODY_ROLES, role, "role", _("役職"))
    with ctx.session() as s:
        m = get_or_fail(s, Meeting, meeting_id, _("会議"))
        org_id = None
        kana = ""
        if person_id is None and organization_id is not None and not clean_text(name):
            org = get_or_fail(s, Organization, organization_id, _("機関"))
            if any(a.organization_id == org.id and not a.name.strip() for a in m.attendance):
                raise ValidationError(
                    _("{org} はすでに出欠名簿にいます。").format(org=org.name),
                    field="organization_id",
                )
            a = Attendance(
                position=max((x.position for x in m.attendance), default=0) + 1,
                organization_id=org.id, name="", affiliation=org.name,
                title=clean_text(title), role=role,
            )
            m.attendance.append(a)
            s.flush()
            audit.record(s, ctx.actor, "meetings.attendance.add", "attendance", [a.id],
                         meeting_id=m.id, organization_id=org.id)
            s.commit()
            return a.id
        if person_id is not None:
            p = get_or_fail(s, Person, person_id, _("人物"))
            if any(a.person_id == person_id for a in m.attendance):
                raise ValidationError(
                    _("{name} さんはすでに出欠名簿にいます。").format(name=p.full_name),
                    field="person_id",
                )
            post = post_of(s, person_id, None, m.held_on)
            name = name or p.full_name
            kana = p.full_kana
            affiliation = affiliation or affiliation_of(post, None)
            title = title or (post.title if post else "")
            org_id = post.organization_id if post else None
        name = required_text(name, "name", _("氏名"))
        if person_id is None:
            _refuse_same_guest(m, name, affiliation)
        a = Attendance(
            position=max((x.position for x in m.attendance), default=0) + 1,
            person_id=person_id, organization_id=org_id, name=name, name_kana=kana,
            affiliation=clean_text(affiliation), title=clean_text(title), role=role,
        )
        m.attendance.append(a)
        s.flush()
        audit.record(s, ctx.actor, "meetings.attendance.add", "attendance", [a.id],
                     meeting_id=m.id, person_id=person_id)
        s.commit()
        return a.id


RESPONSE_LABELS = (
    ("response_label", _("出欠")), ("responded_on", _("回答日")),
    ("proxy_name", _("代理出席者の氏名")), ("proxy_title", _("代理出席者の職名")),
    ("late", _("遅参")), ("left_early", _("早退")), ("note", _("備考")),
)


@service(Permission.MEETING_WRITE)
def record_response(ctx: ServiceContext, attendance_id: int, data: ResponseInput, *,
                    seen: AttendanceRow | None = None) -> None:
    """Save a response (出席 / 欠席 / 代理出席 / オンライン) and the day's 遅参・早退.

    ``seen`` (the row the list or dialog showed) refuses the save with an EditConflict
    when another PC recorded a response for the person since.
    """
    from pfdesk.services.edit_versions import check_shown

    check_code(codes.RESPONSES, data.response, "response", _("出欠"))
    proxy_name = clean_text(data.proxy_name)
    if data.response == "proxy" and not proxy_name:
        raise ValidationError(
            _("代理出席の場合は、代理で出席する方の氏名を入力してください。"),
            field="proxy_name",
        )
    if data.response in ("absent", "pending") and (data.late or data.left_early):
        raise ValidationError(
            _("遅参・早退は出席した方にだけ記録できます。出欠を確認してください。"),
            field="late",
        )
    with ctx.session() as s:
        a = get_or_fail(s, Attendance, attendance_id, _("出欠"))
        check_shown(s, a.id, seen, _row(a), labels=RESPONSE_LABELS,
                    what=_("{name} さんの出欠").format(name=a.name or a.affiliation),
                    action="meetings.attendance.response")
        before = a.response
        a.response = data.response
        if data.response == "pending":
            a.responded_on = None
        else:
            a.responded_on = data.responded_on or a.responded_on or today_of(s)
        a.proxy_name = proxy_name if data.response == "proxy" else ""
        a.proxy_title = clean_text(data.proxy_title) if data.response == "proxy" else ""
        a.late, a.left_early = bool(data.late), bool(data.left_early)
        a.note = clean_text(data.note)
        audit.record(s, ctx.actor, "meetings.attendance.response", "attendance", [a.id],
                     meeting_id=a.meeting_id, before=before, after=a.response)
        s.commit()


def _invitee(r: AttendanceRow) -> str:
    """Who a row invites, in a message: 「山本　一郎 さん」, or the organization invited as such."""
    return _("{name} さん").format(name=r.name) if r.name else r.affiliation


def _same_invitee(a: Attendance, seen: AttendanceRow) -> bool:
    """Whether the stored row is the one the list showed (SQLite reuses a freed id)."""
    return (a.person_id, a.name, a.affiliation) == (seen.person_id, seen.name,
                                                    seen.affiliation)


@service(Permission.MEETING_WRITE)
def remove_attendee(ctx: ServiceContext, attendance_id: int, *,
                    seen: AttendanceRow | None = None) -> None:
    """Take someone off the list (invited by mistake).

    ``seen`` (the row the list showed) keeps the row and raises an EditConflict when
    another PC recorded a response for the person since (a recorded 欠席 or 代理出席 is
    not thrown away unread), and says who took the row off when another PC already did.
    """
    from pfdesk.services.meetings.row_removal import already_removed, refuse_changed

    with ctx.session() as s:
        a = s.get(Attendance, attendance_id)
        if seen is not None and (a is None or not _same_invitee(a, seen)):
            raise already_removed(
                s, attendance_id,
                _("{name}は、ほかのパソコンか画面ですでに出欠名簿から外されています{who}。"),
                name=_invitee(seen), action="meetings.attendance.remove",
                hint=_("一覧は今の内容で表示し直します。"))
        a = get_or_fail(s, Attendance, attendance_id, _("出欠"))
        if seen is not None:
            refuse_changed(
                s, a.id, seen, _row(a), labels=RESPONSE_LABELS,
                what=_("{name}の出欠").format(name=_invitee(seen)),
                actions=("meetings.attendance.response",),
                kept=_("まだ出欠名簿から外していません。"),
                hint=_("一覧は今の内容で表示し直します。記録された出欠を確かめて、それでも外すときは、"
                       "もう一度「名簿から外す」を押してください。"))
        audit.record(s, ctx.actor, "meetings.attendance.remove", "attendance", [a.id],
                     meeting_id=a.meeting_id, name=a.name)
        s.delete(a)
        s.commit()


@service(Permission.MEETING_READ, Permission.DIRECTORY_READ)
def organization_candidates(ctx: ServiceContext) -> list[tuple[int, str]]:
    """Organizations in use as (id, name), 五十音順, for inviting an organization as such."""
    with ctx.session() as s:
        rows = s.execute(select(Organization.id, Organization.name, Organization.name_kana)
                         .where(Organization.active.is_(True),
                                Organization.merged_into_id.is_(None))).all()
    rows = sorted(rows, key=lambda r: sort_key(r.name_kana or r.name))
    return [(r.id, r.name) for r in rows]


@service(Permission.MEETING_READ, Permission.DIRECTORY_READ)
def guest_candidates(ctx: ServiceContext) -> list[tuple[int, str]]:
    """Directory people as (id, 氏名（所属）) for inviting a non-member, 五十音順."""
    with ctx.session() as s:
        today = today_of(s)
        people = s.scalars(select(Person).where(Person.merged_into_id.is_(None))).all()
        orgs: dict[int, str] = {}
        # One query for all current posts; the latest post per person names the 所属.
        for person_id, org_name, _start in s.execute(
            select(Post.person_id, Organization.name, Post.start_on)
            .join(Organization, Organization.id == Post.organization_id)
            .where(or_(Post.end_on.is_(None), Post.end_on >= today))
            .order_by(Post.start_on)
        ):
            orgs[person_id] = org_name
        rows = [(p.id, p.full_kana, p.full_name + (f"（{orgs[p.id]}）" if p.id in orgs else ""))
                for p in people]
        rows.sort(key=lambda r: sort_key(r[1]))
        return [(pid, label) for pid, _k, label in rows]
