"""会議体 (standing bodies): their settings, members drawn from the directory, 事務局 and 根拠."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import fiscal_year_of, fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.kana import sort_key
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date_range
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.meetings._common import check_code, get_or_fail, required_text, today_of
from pfdesk.store.models import Body, BodyMembership, Meeting, Organization, Person, Post


@dataclass(frozen=True)
class BodyInput:
    """What the body editor saves."""

    name: str
    kind: str
    default_publicity: str = "closed"
    numbering: str = "fiscal"
    basis: str = ""
    planned_per_year: int = 1
    secretariat: str = ""
    active: bool = True
    note: str = ""


@dataclass(frozen=True)
class BodyInfo:
    """A body as listed, with its meeting counts in the chosen 年度."""

    id: int
    name: str
    kind: str
    kind_label: str
    default_publicity: str
    numbering: str
    basis: str
    planned_per_year: int
    secretariat: str
    active: bool
    note: str
    member_count: int = 0
    meetings_in_fy: int = 0
    held_in_fy: int = 0


@dataclass(frozen=True)
class MemberInput:
    """A seat on a body: who, from which organization, 役職 and 委嘱期間."""

    person_id: int
    organization_id: int | None = None
    role: str = "member"
    start_on: date | None = None
    end_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class MemberInfo:
    """A member of a body with the affiliation and title the directory holds for them."""

    id: int
    person_id: int
    name: str
    kana: str
    organization_id: int | None
    affiliation: str
    title: str
    role: str
    role_label: str
    start_on: date | None
    end_on: date | None
    current: bool
    note: str


@dataclass(frozen=True)
class BodyDetail:
    """A body with all of its members, current and former."""

    body: BodyInfo
    members: list[MemberInfo]


@dataclass(frozen=True)
class Candidate:
    """A person in post whom the body editor offers as a member."""

    person_id: int
    name: str
    kana: str
    organization_id: int
    affiliation: str
    title: str


def _info(b: Body, members: int = 0, in_fy: int = 0, held: int = 0) -> BodyInfo:
    return BodyInfo(
        id=b.id, name=b.name, kind=b.kind, kind_label=codes.BODY_KINDS.label(b.kind),
        default_publicity=b.default_publicity, numbering=b.numbering, basis=b.basis,
        planned_per_year=b.planned_per_year, secretariat=b.secretariat, active=b.active,
        note=b.note, member_count=members, meetings_in_fy=in_fy, held_in_fy=held,
    )


def is_current(start_on: date | None, end_on: date | None, on: date) -> bool:
    """Whether a 委嘱期間 or 在任期間 covers ``on`` (open ends count as covering)."""
    return (start_on is None or start_on <= on) and (end_on is None or end_on >= on)


def post_of(session: Session, person_id: int, org_id: int | None, on: date) -> Post | None:
    """The person's post on ``on``, preferring the given organization."""
    posts = session.scalars(select(Post).where(Post.person_id == person_id)).all()
    live = [p for p in posts if is_current(p.start_on, p.end_on, on)] or list(posts)
    if org_id is not None:
        same = [p for p in live if p.organization_id == org_id]
        live = same or live
    live.sort(key=lambda p: p.start_on or date.min, reverse=True)
    return live[0] if live else None


def affiliation_of(post: Post | None, org: Organization | None) -> str:
    """所属 as printed: organization name and department."""
    org = org or (post.organization if post else None)
    name = org.name if org else ""
    dept = post.department if post else ""
    return f"{name}　{dept}".strip("　") if dept else name


def current_members(session: Session, body_id: int, on: date) -> list[BodyMembership]:
    """Seats of the body whose 委嘱期間 covers ``on``, chair first then by role order."""
    rows = session.scalars(
        select(BodyMembership).where(
            BodyMembership.body_id == body_id,
            or_(BodyMembership.start_on.is_(None), BodyMembership.start_on <= on),
            or_(BodyMembership.end_on.is_(None), BodyMembership.end_on >= on),
        )
    ).all()
    order = {k: i for i, k in enumerate(codes.BODY_ROLES.keys())}
    return sorted(rows, key=lambda m: (order.get(m.role, 99), m.id))


def _check_body(data: BodyInput) -> dict:
    name = required_text(data.name, "name", _("会議体名"))
    check_code(codes.BODY_KINDS, data.kind, "kind", _("種類"))
    check_code(codes.PUBLICITY, data.default_publicity, "default_publicity", _("公開区分"))
    check_code(codes.NUMBERING, data.numbering, "numbering", _("回次の数え方"))
    if not 0 <= int(data.planned_per_year) <= 99:
        raise ValidationError(
            _("「年間開催予定回数」は0～99の数で入力してください。"), field="planned_per_year"
        )
    publicity = data.default_publicity
    if data.kind == "support_meeting" and publicity != "closed":
        # 社会福祉法§106-6: the 支援会議 is closed by law.
        raise ValidationError(
            _("支援会議は法律上非公開です。公開区分は「非公開」にしてください。"),
            field="default_publicity",
        )
    return dict(
        name=name, kind=data.kind, default_publicity=publicity, numbering=data.numbering,
        basis=clean_text(data.basis), planned_per_year=int(data.planned_per_year),
        secretariat=clean_text(data.secretariat), active=bool(data.active),
        note=clean_text(data.note),
    )


@service(Permission.MEETING_READ)
def list_bodies(
    ctx: ServiceContext, fy: int | None = None, *, include_inactive: bool = True
) -> list[BodyInfo]:
    """All bodies in their display order, with member and meeting counts for 年度 ``fy``."""
    with ctx.session() as s:
        today = today_of(s)
        fy = fy or fiscal_year_of(today)
        start, end = fiscal_year_range(fy)
        q = select(Body).order_by(Body.sort_order, Body.id)
        if not include_inactive:
            q = q.where(Body.active.is_(True))
        bodies = s.scalars(q).all()
        members = dict(
            s.execute(
                select(BodyMembership.body_id, func.count())
                .where(
                    or_(BodyMembership.start_on.is_(None), BodyMembership.start_on <= today),
                    or_(BodyMembership.end_on.is_(None), BodyMembership.end_on >= today),
                )
                .group_by(BodyMembership.body_id)
            ).all()
        )
        counts: dict[int, list[int]] = {}
        for body_id, status, n in s.execute(
            select(Meeting.body_id, Meeting.status, func.count())
            .where(Meeting.held_on >= start, Meeting.held_on <= end)
            .group_by(Meeting.body_id, Meeting.status)
        ):
            c = counts.setdefault(body_id, [0, 0])
            if status != "cancelled":
                c[0] += n
            if status == "held":
                c[1] += n
        return [
            _info(b, members.get(b.id, 0), *counts.get(b.id, [0, 0])) for b in bodies
        ]


@service(Permission.MEETING_READ)
def get_body(ctx: ServiceContext, body_id: int) -> BodyDetail:
    """One body with its members (current ones first)."""
    with ctx.session() as s:
        today = today_of(s)
        b = get_or_fail(s, Body, body_id, _("会議体"))
        seats = s.scalars(
            select(BodyMembership).where(BodyMembership.body_id == body_id)
        ).all()
        members = []
        order = {k: i for i, k in enumerate(codes.BODY_ROLES.keys())}
        for m in seats:
            post = post_of(s, m.person_id, m.organization_id, today)
            members.append(MemberInfo(
                id=m.id, person_id=m.person_id, name=m.person.full_name,
                kana=m.person.full_kana, organization_id=m.organization_id,
                affiliation=affiliation_of(post, m.organization),
                title=post.title if post else "", role=m.role,
                role_label=codes.BODY_ROLES.label(m.role), start_on=m.start_on,
                end_on=m.end_on, current=is_current(m.start_on, m.end_on, today), note=m.note,
            ))
        members.sort(key=lambda x: (not x.current, order.get(x.role, 99), sort_key(x.kana)))
        current = sum(1 for x in members if x.current)
        return BodyDetail(body=_info(b, current), members=members)


@service(Permission.MEETING_WRITE)
def create_body(ctx: ServiceContext, data: BodyInput) -> int:
    """Add a body; returns its id."""
    values = _check_body(data)
    with ctx.session() as s:
        last = s.scalar(select(func.max(Body.sort_order))) or 0
        b = Body(**values, sort_order=last + 10)
        s.add(b)
        s.flush()
        audit.record(s, ctx.actor, "meetings.body.create", "body", [b.id], name=b.name)
        s.commit()
        return b.id


BODY_LABELS = (
    ("name", _("会議体名")), ("kind", _("種類")), ("default_publicity", _("公開区分")),
    ("numbering", _("回次の数え方")), ("basis", _("根拠")),
    ("planned_per_year", _("年間開催予定回数")), ("secretariat", _("事務局")),
    ("active", _("使用中")), ("note", _("備考")),
)
MEMBER_LABELS = (
    ("role", _("役職")), ("organization", _("所属")), ("start_on", _("委嘱期間の開始")),
    ("end_on", _("委嘱期間の終了")), ("note", _("備考")),
)


def body_seen(b: BodyInfo) -> BodyInput:
    """The body's fields as its editor shows them (what a later save is compared with)."""
    return BodyInput(name=b.name, kind=b.kind, default_publicity=b.default_publicity,
                     numbering=b.numbering, basis=b.basis,
                     planned_per_year=b.planned_per_year, secretariat=b.secretariat,
                     active=b.active, note=b.note)


def _body_shown(v: BodyInput) -> BodyInput:
    """Codes as their labels, for the conflict message."""
    return replace(v, kind=codes.BODY_KINDS.label(v.kind),
                   default_publicity=codes.PUBLICITY.label(v.default_publicity),
                   numbering=codes.NUMBERING.label(v.numbering))


@service(Permission.MEETING_WRITE)
def update_body(ctx: ServiceContext, body_id: int, data: BodyInput, *,
                seen: BodyInput | None = None) -> None:
    """Save the body editor's fields.

    ``seen`` (:func:`body_seen` of the body as the editor showed it) refuses the save with
    an EditConflict when another PC changed the body since; nothing is written then.
    """
    from pfdesk.services.edit_versions import check_shown

    values = _check_body(data)
    with ctx.session() as s:
        b = get_or_fail(s, Body, body_id, _("会議体"))
        if seen is not None:
            now = body_seen(_info(b))
            check_shown(s, b.id, _body_shown(seen), _body_shown(now), labels=BODY_LABELS,
                        what=_("会議体「{name}」").format(name=b.name),
                        action="meetings.body.edit")
        changed = {k: v for k, v in values.items() if getattr(b, k) != v}
        for k, v in values.items():
            setattr(b, k, v)
        audit.record(s, ctx.actor, "meetings.body.edit", "body", [b.id], fields=sorted(changed))
        s.commit()


@dataclass(frozen=True)
class _SeatShown:
    """A seat as the member list shows it: the role's label, the organization's name."""

    role: str
    organization: str
    start_on: date | None
    end_on: date | None
    note: str


def _member_shown(s: Session, org_id: int | None, m) -> _SeatShown:
    org = s.get(Organization, org_id) if org_id is not None else None
    return _SeatShown(role=codes.BODY_ROLES.label(m.role), organization=org.name if org else "",
                      start_on=m.start_on, end_on=m.end_on, note=m.note or "")


def _check_member(s: Session, data: MemberInput) -> dict:
    get_or_fail(s, Person, data.person_id, _("人物"))
    if data.organization_id is not None:
        get_or_fail(s, Organization, data.organization_id, _("関係機関"))
    check_code(codes.BODY_ROLES, data.role, "role", _("役職"))
    if data.start_on and data.end_on and data.end_on < data.start_on:
        raise ValidationError(
            _("委嘱期間の終了日が開始日より前になっています。日付を確認してください。"),
            field="end_on",
        )
    return dict(
        person_id=data.person_id, organization_id=data.organization_id, role=data.role,
        start_on=data.start_on, end_on=data.end_on, note=clean_text(data.note),
    )


def _terms_overlap(a_start: date | None, a_end: date | None, b_start: date | None,
                   b_end: date | None) -> bool:
    """Whether two 委嘱期間 share a day (an open end reaches as far as it can)."""
    return ((a_start is None or b_end is None or a_start <= b_end)
            and (b_start is None or a_end is None or b_start <= a_end))


def term_text(start_on: date | None, end_on: date | None) -> str:
    """A 委嘱期間 as written: 令和8年4月1日～令和10年3月31日, an open end left blank."""
    return format_date_range(start_on, end_on) or _("期間の定めなし")


@service(Permission.MEETING_WRITE)
def add_member(ctx: ServiceContext, body_id: int, data: MemberInput) -> int:
    """Seat a directory person on the body; returns the membership id."""
    with ctx.session() as s:
        get_or_fail(s, Body, body_id, _("会議体"))
        values = _check_member(s, data)
        # Every seat of the person on the body, not only the one on the start day: a seat
        # another PC added for a term beginning later overlaps as much as a current one.
        for m in s.scalars(select(BodyMembership).where(
                BodyMembership.body_id == body_id, BodyMembership.person_id == data.person_id)):
            if _terms_overlap(m.start_on, m.end_on, data.start_on, data.end_on):
                raise ValidationError(
                    _("{name} さんはこの期間すでに委員です（委嘱期間 {term}）。委嘱期間を確認して"
                      "ください。").format(name=m.person.full_name,
                                        term=term_text(m.start_on, m.end_on)),
                    field="person_id",
                    hint=_("ほかのパソコンか画面で追加された委員も、一覧を表示し直すと見えます。"))
        m = BodyMembership(body_id=body_id, **values)
        s.add(m)
        s.flush()
        audit.record(s, ctx.actor, "meetings.member.add", "body_membership", [m.id],
                     body_id=body_id, person_id=data.person_id, role=data.role)
        s.commit()
        return m.id


@service(Permission.MEETING_WRITE)
def update_member(ctx: ServiceContext, membership_id: int, data: MemberInput, *,
                  seen: MemberInfo | None = None) -> None:
    """Change a seat's 役職, organization or 委嘱期間 (end it when the term is over).

    ``seen`` (the member row the editor showed) refuses the save with an EditConflict
    when another PC changed the seat since.
    """
    from pfdesk.services.edit_versions import check_shown

    with ctx.session() as s:
        m = get_or_fail(s, BodyMembership, membership_id, _("委員"))
        if seen is not None:
            check_shown(s, m.id, _member_shown(s, seen.organization_id, seen),
                        _member_shown(s, m.organization_id, m), labels=MEMBER_LABELS,
                        what=_("委員（{name} さん）").format(name=m.person.full_name),
                        action="meetings.member.edit")
        values = _check_member(s, data)
        for k, v in values.items():
            setattr(m, k, v)
        audit.record(s, ctx.actor, "meetings.member.edit", "body_membership", [m.id],
                     body_id=m.body_id, role=m.role)
        s.commit()


@service(Permission.MEETING_WRITE)
def remove_member(ctx: ServiceContext, membership_id: int, *,
                  seen: MemberInfo | None = None) -> None:
    """Delete a seat entered by mistake (a finished term is ended with 委嘱期間 instead).

    ``seen`` (the member row the list showed) keeps the seat and raises an EditConflict
    when another PC changed its 役職, 所属, 委嘱期間 or 備考 since, and says who removed
    it when another PC already did.
    """
    from pfdesk.services.meetings.row_removal import already_removed, refuse_changed

    with ctx.session() as s:
        m = s.get(BodyMembership, membership_id)
        if seen is not None and (m is None or m.person_id != seen.person_id):
            # Gone, or the id now holds another seat (SQLite reuses the highest free id).
            raise already_removed(
                s, membership_id,
                _("委員（{name} さん）は、ほかのパソコンか画面ですでに削除されています{who}。"),
                name=seen.name, action="meetings.member.remove",
                hint=_("一覧は今の内容で表示し直します。"))
        m = get_or_fail(s, BodyMembership, membership_id, _("委員"))
        if seen is not None:
            refuse_changed(
                s, m.id, _member_shown(s, seen.organization_id, seen),
                _member_shown(s, m.organization_id, m), labels=MEMBER_LABELS,
                what=_("委員（{name} さん）").format(name=m.person.full_name),
                actions=("meetings.member.edit",), kept=_("委員はまだ削除していません。"),
                hint=_("一覧は今の内容で表示し直します。変更を確かめて、それでも削除するときは、"
                       "もう一度「選んだ委員を削除」を押してください。"))
        audit.record(s, ctx.actor, "meetings.member.remove", "body_membership", [m.id],
                     body_id=m.body_id, person_id=m.person_id)
        s.delete(m)
        s.commit()


@service(Permission.MEETING_READ, Permission.DIRECTORY_READ)
def member_candidates(ctx: ServiceContext, on: date | None = None) -> list[Candidate]:
    """People holding a post on ``on`` (default today), one row per post, 五十音順."""
    with ctx.session() as s:
        on = on or today_of(s)
        rows = s.execute(
            select(Post, Person, Organization)
            .join(Person, Person.id == Post.person_id)
            .join(Organization, Organization.id == Post.organization_id)
            .where(
                Person.merged_into_id.is_(None),
                or_(Post.start_on.is_(None), Post.start_on <= on),
                or_(Post.end_on.is_(None), Post.end_on >= on),
            )
        ).all()
        out = [
            Candidate(
                person_id=person.id, name=person.full_name, kana=person.full_kana,
                organization_id=org.id, affiliation=affiliation_of(post, org), title=post.title,
            )
            for post, person, org in rows
        ]
        out.sort(key=lambda c: (sort_key(c.kana), c.affiliation))
        return out
