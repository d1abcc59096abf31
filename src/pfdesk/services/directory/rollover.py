"""年度更新: each April, the posts whose term ended or that nobody has confirmed this 年度.

The secretariat goes down one list and, per post, confirms it (still in post), ends it
(異動・退任) or adds the successor, who takes the same 所属・部署・職名 from a given day
while the predecessor's post ends the day before. The predecessor's 会議体 seats held
through that post can be handed over too: each seat ends the day before and the
successor takes it with the same 役職 until the same 委嘱期間 end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import aliased

from pfdesk.core import codes, kana
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import fiscal_year_of, fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.normalize import join_name
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.directory._common import clean_person, person_search_text, today_of
from pfdesk.services.directory.people import _add_post, _get_post, day_before
from pfdesk.services.directory.types import PersonInput, PostInput
from pfdesk.store.models import Body, BodyMembership, Organization, Person, Post

#: Why a post is on the list.
ENDED = "ended"  # the term ended and no successor was recorded
UNCONFIRMED = "unconfirmed"  # open-ended, entered before this 年度, not yet confirmed


@dataclass(frozen=True)
class RolloverItem:
    """A post to look at during 年度更新."""

    post_id: int
    reason: str  # ENDED or UNCONFIRMED
    person_id: int
    person_name: str
    person_kana: str
    organization_id: int
    organization_name: str
    organization_kana: str
    department: str
    title: str
    start_on: date | None
    end_on: date | None


@dataclass(frozen=True)
class RolloverList:
    """The 年度 being checked and the posts to look at."""

    fiscal_year: int
    items: list[RolloverItem]

    @property
    def ended(self) -> int:
        """How many ended posts await a successor or dismissal."""
        return sum(1 for i in self.items if i.reason == ENDED)

    @property
    def unconfirmed(self) -> int:
        """How many open posts await confirmation."""
        return sum(1 for i in self.items if i.reason == UNCONFIRMED)


def _succeeded():
    """SQL condition: a later post of the row's post has the same 所属・部署・職名.

    Asked in the list's one query: a query per ended post (hundreds in a large town) held
    the window's thread off Python for most of the list's read.
    """
    later = aliased(Post)
    return exists().where(
        later.organization_id == Post.organization_id,
        later.id != Post.id,
        later.title.is_not_distinct_from(Post.title),
        later.department.is_not_distinct_from(Post.department),
        or_(later.start_on.is_(None), later.start_on > Post.end_on),
    )


@service(Permission.DIRECTORY_READ)
def rollover_list(ctx: ServiceContext, fiscal_year: int | None = None) -> RolloverList:
    """The posts to check for ``fiscal_year`` (default: the current 年度).

    Listed: posts that ended during the previous or this 年度 with no successor in the
    same 所属・部署・職名 (unless dismissed), and posts without an end date that began
    before this 年度 and have not been confirmed for it. Organizations 廃止 are left out.
    """
    with ctx.session() as s:
        today = today_of(s)
        fy = fiscal_year or fiscal_year_of(today)
        start, _end = fiscal_year_range(fy)
        prev_start, _prev_end = fiscal_year_range(fy - 1)
        # Plain columns, not objects (a large town has thousands of posts to look at).
        rows = s.execute(
            select(Post.id, Post.organization_id, Post.title, Post.department, Post.start_on,
                   Post.end_on, Person.id.label("person_id"), Person.family_name,
                   Person.given_name, Person.family_kana, Person.given_kana,
                   Organization.name, Organization.name_kana)
            .join(Person, Person.id == Post.person_id)
            .join(Organization, Organization.id == Post.organization_id)
            .where(
                Organization.active.is_(True),
                Organization.merged_into_id.is_(None),
                Person.merged_into_id.is_(None),
                or_(Post.confirmed_fy.is_(None), Post.confirmed_fy < fy),
                or_(
                    and_(Post.end_on.is_not(None), Post.end_on >= prev_start,
                         Post.end_on <= max(today, start), ~_succeeded()),
                    and_(Post.end_on.is_(None),
                         or_(Post.start_on.is_(None), Post.start_on < start)),
                ),
            )
        ).all()
        items = []
        for post in rows:
            reason = UNCONFIRMED if post.end_on is None else ENDED
            items.append(RolloverItem(
                post_id=post.id, reason=reason, person_id=post.person_id,
                person_name=join_name(post.family_name, post.given_name),
                person_kana=join_name(post.family_kana, post.given_kana),
                organization_id=post.organization_id, organization_name=post.name,
                organization_kana=post.name_kana, department=post.department,
                title=post.title, start_on=post.start_on, end_on=post.end_on,
            ))
        items.sort(key=lambda i: (kana.sort_key(i.organization_kana or i.organization_name),
                                  i.organization_name, i.department,
                                  kana.sort_key(i.person_kana)))
        return RolloverList(fiscal_year=fy, items=items)


@service(Permission.DIRECTORY_WRITE)
def confirm_posts(ctx: ServiceContext, post_ids: list[int], fiscal_year: int | None = None
                  ) -> int:
    """Mark posts as checked for the 年度 (still in post, or ended with no successor)."""
    with ctx.session() as s:
        fy = fiscal_year or fiscal_year_of(today_of(s))
        for pid in post_ids:
            _get_post(s, pid).confirmed_fy = fy
        audit.record(s, ctx.actor, "directory.rollover.confirm", "post", post_ids,
                     fiscal_year=fy)
        s.commit()
        return len(post_ids)


@service(Permission.DIRECTORY_WRITE)
def add_successor(
    ctx: ServiceContext,
    post_id: int,
    starts_on: date,
    *,
    person: PersonInput | None = None,
    person_id: int | None = None,
    title: str | None = None,
    department: str | None = None,
) -> int:
    """Record a successor from ``starts_on``; the predecessor's post ends the day before.

    Give a new ``person`` or an existing ``person_id``. The successor's post copies the
    所属・部署・職名 (``title`` / ``department`` override). Returns the new post's id.
    """
    if (person is None) == (person_id is None):
        raise ValidationError(_("後任者を入力するか、名簿から選んでください。"),
                              field="family_name")
    new_person = clean_person(person) if person is not None else None
    with ctx.session() as s:
        old = _get_post(s, post_id)
        if old.start_on and starts_on <= old.start_on:
            raise ValidationError(
                _("後任の着任日が前任者の着任日より前になっています。"), field="start_on",
                hint=_("着任日を確かめてください（例: 4月1日）。"),
            )
        last_day = day_before(starts_on)
        if old.end_on is None or old.end_on > last_day:
            old.end_on = last_day
        fy = fiscal_year_of(today_of(s))
        old.confirmed_fy = max(old.confirmed_fy or 0, fy)
        if new_person is not None:
            p = Person(**vars(new_person))
            p.search_text = person_search_text(p)
            s.add(p)
            s.flush()
            person_id = p.id
        if person_id is None:  # unreachable: the check above asks for one or the other
            raise ValidationError(_("後任者を入力するか、名簿から選んでください。"),
                                  field="family_name")
        post = _add_post(s, PostInput(
            person_id=person_id, organization_id=old.organization_id,
            department=old.department if department is None else department,
            title=old.title if title is None else title,
            start_on=starts_on, is_contact=old.is_contact,
        ))
        audit.record(s, ctx.actor, "directory.rollover.successor", "post", [old.id, post.id],
                     person_id=person_id, starts_on=starts_on.isoformat())
        s.commit()
        return post.id


@dataclass(frozen=True)
class SeatToHandOver:
    """A predecessor's 会議体 seat that a successor could take over."""

    membership_id: int
    body_id: int
    body_name: str
    role: str
    role_label: str
    start_on: date | None
    end_on: date | None


def _seats(s, post: Post, starts_on: date) -> list[BodyMembership]:
    # Seats still running on the successor's first day, held by the predecessor through
    # this organization (or with no organization recorded); seats held through another
    # affiliation stay with the person.
    return list(s.scalars(
        select(BodyMembership)
        .join(Body, Body.id == BodyMembership.body_id)
        .where(
            BodyMembership.person_id == post.person_id,
            or_(BodyMembership.organization_id.is_(None),
                BodyMembership.organization_id == post.organization_id),
            or_(BodyMembership.start_on.is_(None), BodyMembership.start_on < starts_on),
            or_(BodyMembership.end_on.is_(None), BodyMembership.end_on >= starts_on),
        )
        .order_by(Body.name, BodyMembership.id)
    ))


@service(Permission.DIRECTORY_READ)
def seats_to_hand_over(ctx: ServiceContext, post_id: int, starts_on: date
                       ) -> list[SeatToHandOver]:
    """The 会議体 seats the holder of ``post_id`` still has on ``starts_on``."""
    with ctx.session() as s:
        post = _get_post(s, post_id)
        return [
            SeatToHandOver(
                membership_id=m.id, body_id=m.body_id, body_name=m.body.name, role=m.role,
                role_label=codes.BODY_ROLES.label(m.role), start_on=m.start_on,
                end_on=m.end_on,
            )
            for m in _seats(s, post, starts_on)
        ]


@service(Permission.DIRECTORY_WRITE, Permission.MEETING_WRITE)
def hand_over_seats(ctx: ServiceContext, from_post_id: int, to_post_id: int,
                    membership_ids: list[int]) -> list[int]:
    """Give the predecessor's seats to the successor of ``to_post_id`` from their first day.

    Each old seat ends the day before; the new seat keeps the body, organization, 役職 and
    the 委嘱期間 end. All seats move or none. Returns the new memberships' ids.
    """
    with ctx.session() as s:
        old, new = _get_post(s, from_post_id), _get_post(s, to_post_id)
        if new.start_on is None:
            raise ValidationError(_("後任の着任日が入っていないため、委員を引き継げません。"),
                                  field="start_on")
        starts_on = new.start_on
        seats = {m.id: m for m in _seats(s, old, starts_on)}
        created = []
        for mid in membership_ids:
            m = seats.get(mid)
            if m is None:
                raise ValidationError(_(
                    "引き継ぐ委員の記録（番号 {id}）は、着任日にはもう前任者のものではありません。"
                ).format(id=mid), hint=_("一覧を更新してから、もう一度行ってください。"))
            taken = s.scalar(select(BodyMembership.id).where(
                BodyMembership.body_id == m.body_id,
                BodyMembership.person_id == new.person_id,
                or_(BodyMembership.end_on.is_(None), BodyMembership.end_on >= starts_on),
            ).limit(1))
            if taken is not None:
                raise ValidationError(_(
                    "後任の方はすでに「{body}」の委員です。会議の画面で委嘱期間を確かめてください。"
                ).format(body=m.body.name))
            seat = BodyMembership(
                body_id=m.body_id, person_id=new.person_id, organization_id=m.organization_id,
                role=m.role, start_on=starts_on, end_on=m.end_on,
            )
            m.end_on = day_before(starts_on)
            s.add(seat)
            s.flush()
            created.append(seat.id)
        audit.record(s, ctx.actor, "directory.rollover.seats", "body_membership",
                     [*membership_ids, *created], from_post_id=old.id, to_post_id=new.id)
        s.commit()
        return created
