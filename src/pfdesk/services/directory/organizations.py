"""関係機関: list, read, create, edit, 廃止 and (only when unreferenced) delete organizations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, exists, func, or_, select

from pfdesk.core import kana
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.directory._common import (
    clean_organization,
    current_post_clause,
    like_terms,
    live_org,
    org_input_of,
    org_search_text,
    post_rows,
    today_of,
)
from pfdesk.services.directory.references import count_references
from pfdesk.services.directory.types import (
    BodyChoice,
    OrganizationChoice,
    OrganizationDetail,
    OrganizationInput,
    OrganizationRow,
)
from pfdesk.services.edit_versions import Seen, check_seen
from pfdesk.store.models import Body, BodyMembership, Organization, Post


@service(Permission.DIRECTORY_READ)
def list_organizations(
    ctx: ServiceContext,
    *,
    query: str = "",
    field: str | None = None,
    body_id: int | None = None,
    active_only: bool = True,
) -> list[OrganizationRow]:
    """Organizations in 五十音順 of their reading, filtered and searched.

    ``query`` matches name, reading (either kana, any width), 窓口, address and phone with
    異体字 folded; ``body_id`` keeps organizations with a member seated on that 会議体.
    """
    with ctx.session() as s:
        today = today_of(s)
        in_post = (
            select(func.count(func.distinct(Post.person_id)))
            .where(Post.organization_id == Organization.id, current_post_clause(today))
            .correlate(Organization)
            .scalar_subquery()
        )
        # Plain columns, not objects: thousands of organizations as ORM instances cost MB.
        q = select(Organization.id, Organization.name, Organization.name_kana,
                   Organization.field, Organization.kind, Organization.department,
                   Organization.phone, Organization.postal_code, Organization.address,
                   Organization.active, Organization.abolished_on, in_post
                   ).where(Organization.merged_into_id.is_(None))
        for term in like_terms(query):
            q = q.where(Organization.search_text.like(term, escape="\\"))
        if field:
            q = q.where(Organization.field == field)
        if active_only:
            q = q.where(Organization.active.is_(True))
        if body_id:
            seated = (
                select(BodyMembership.id)
                .outerjoin(Post, and_(Post.person_id == BodyMembership.person_id,
                                      current_post_clause(today)))
                .where(
                    BodyMembership.body_id == body_id,
                    or_(BodyMembership.organization_id == Organization.id,
                        Post.organization_id == Organization.id),
                )
            )
            q = q.where(exists(seated))
        codes: dict[str, str] = {}  # one object per 分野 and 種別 (each row read a new one)
        rows = [
            OrganizationRow(id=oid, name=name, name_kana=kana_, field=codes.setdefault(fld, fld),
                            kind=codes.setdefault(kind, kind),
                            department=dept, phone=phone, postal_code=postal,
                            address=address, active=active, abolished_on=abolished,
                            people_in_post=n or 0)
            for (oid, name, kana_, fld, kind, dept, phone, postal, address, active, abolished,
                 n) in s.execute(q)
        ]
    rows.sort(key=lambda r: (kana.sort_key(r.name_kana or r.name), r.name))
    return rows


@service(Permission.DIRECTORY_READ)
def get_organization(ctx: ServiceContext, org_id: int) -> OrganizationDetail:
    """One organization with its posts, current first, then by term."""
    with ctx.session() as s:
        o = live_org(s, org_id)
        posts = post_rows(s, Post.organization_id == o.id, today_of(s))
        return OrganizationDetail(
            id=o.id, data=org_input_of(o), active=o.active, abolished_on=o.abolished_on,
            merged_into_id=o.merged_into_id, posts=posts, version=o.version or 1,
        )


def _check_unique(s, name: str, except_id: int | None = None) -> None:
    folded = kana.fold(name)
    for other in s.scalars(
        select(Organization).where(Organization.merged_into_id.is_(None),
                                   Organization.id != (except_id or 0))
    ):
        if kana.fold(other.name) == folded:
            raise ValidationError(
                _("同じ名称の関係機関「{name}」がすでにあります。").format(name=other.name),
                field="name",
                hint=_("同じ機関なら既存の記録を開いてください。別の機関なら、"
                       "支所名などを加えて区別してください。"),
            )


def _apply(o: Organization, data: OrganizationInput) -> None:
    for name, value in vars(data).items():
        setattr(o, name, value)
    o.search_text = org_search_text(o)


@service(Permission.DIRECTORY_WRITE)
def create_organization(ctx: ServiceContext, data: OrganizationInput) -> int:
    """Add an organization; phone and 〒 are normalized, the name must be new."""
    clean = clean_organization(data)
    with ctx.session() as s:
        _check_unique(s, clean.name)
        o = Organization(name=clean.name)
        _apply(o, clean)
        s.add(o)
        s.flush()
        audit.record(s, ctx.actor, "directory.org.create", "organization", [o.id], name=o.name)
        s.commit()
        return o.id


ORG_LABELS = (
    ("name", _("名称")), ("name_kana", _("ふりがな")), ("field", _("分野")), ("kind", _("種別")),
    ("postal_code", _("郵便番号")), ("address", _("住所")), ("phone", _("電話")),
    ("fax", _("FAX")), ("email", _("メール")), ("department", _("窓口")),
    ("networks", _("所属ネットワーク")), ("note", _("備考")),
)


@service(Permission.DIRECTORY_WRITE)
def update_organization(ctx: ServiceContext, org_id: int, data: OrganizationInput, *,
                        seen: Seen | None = None) -> None:
    """Save the edited fields of an organization; the audit names what changed.

    ``seen`` is the organization as the form showed it: when it was saved elsewhere since,
    nothing is saved and an EditConflict says what changed (the form keeps the text).
    """
    clean = clean_organization(data)
    with ctx.session() as s:
        o = live_org(s, org_id)
        before = org_input_of(o)
        check_seen(s, o, seen, before, labels=ORG_LABELS, action="directory.org.update",
                   what=_("関係機関「{name}」").format(name=o.name))
        _check_unique(s, clean.name, except_id=o.id)
        changed = [k for k, v in vars(clean).items() if getattr(before, k) != v]
        _apply(o, clean)
        audit.record(s, ctx.actor, "directory.org.update", "organization", [o.id],
                     changed=changed)
        s.commit()


@service(Permission.DIRECTORY_WRITE)
def abolish_organization(ctx: ServiceContext, org_id: int, on: date,
                         end_posts: bool = True) -> int:
    """Mark an organization 廃止 from ``on``; its open posts end that day. Returns posts ended.

    The record stays: meetings, referrals and past posts keep pointing at it.
    """
    with ctx.session() as s:
        o = live_org(s, org_id)
        o.active = False
        o.abolished_on = on
        ended = 0
        if end_posts:
            for post in s.scalars(select(Post).where(
                Post.organization_id == o.id, or_(Post.end_on.is_(None), Post.end_on > on)
            )):
                if post.start_on and post.start_on > on:
                    continue
                post.end_on = on
                ended += 1
        audit.record(s, ctx.actor, "directory.org.abolish", "organization", [o.id],
                     on=on.isoformat(), posts_ended=ended)
        s.commit()
        return ended


@service(Permission.DIRECTORY_WRITE)
def restore_organization(ctx: ServiceContext, org_id: int) -> None:
    """Undo 廃止: the organization is active again (ended posts stay ended)."""
    with ctx.session() as s:
        o = live_org(s, org_id)
        o.active = True
        o.abolished_on = None
        audit.record(s, ctx.actor, "directory.org.restore", "organization", [o.id])
        s.commit()


@service(Permission.DIRECTORY_WRITE)
def delete_organization(ctx: ServiceContext, org_id: int) -> None:
    """Delete an organization entered by mistake; refused once anything refers to it."""
    with ctx.session() as s:
        o = live_org(s, org_id)
        refs = count_references(s, "organization", o.id)
        if refs:
            raise ValidationError(
                _("関係機関「{name}」は他の記録（{n}件）から参照されているため削除できません。")
                .format(name=o.name, n=refs),
                hint=_("使わなくなった機関は「廃止」にしてください（{day}など日付を付けて"
                       "記録が残ります）。重複して登録した場合は「統合」を使ってください。")
                .format(day=format_date(today_of(s))),
            )
        audit.record(s, ctx.actor, "directory.org.delete", "organization", [o.id], name=o.name)
        s.delete(o)
        s.commit()


@service(Permission.DIRECTORY_READ)
def organization_choices(ctx: ServiceContext, include_inactive: bool = False
                         ) -> list[OrganizationChoice]:
    """Organizations to pick in a form, in 五十音順."""
    with ctx.session() as s:
        q = select(Organization.id, Organization.name, Organization.name_kana,
                   Organization.active).where(Organization.merged_into_id.is_(None))
        if not include_inactive:
            q = q.where(Organization.active.is_(True))
        rows = [OrganizationChoice(*r) for r in s.execute(q).all()]
    rows.sort(key=lambda r: kana.sort_key(r.name_kana or r.name))
    return rows


@service(Permission.DIRECTORY_READ)
def body_choices(ctx: ServiceContext) -> list[BodyChoice]:
    """The 会議体 to filter and print by, in their configured order."""
    with ctx.session() as s:
        rows = s.execute(
            select(Body.id, Body.name, Body.active).order_by(Body.sort_order, Body.id)
        ).all()
        return [BodyChoice(*r) for r in rows]
