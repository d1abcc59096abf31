"""担当者: people, the posts they hold (在任期間) and their seats on 会議体 (read only here)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, or_, select

from pfdesk.core import kana
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import fiscal_year_of
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text, join_name, normalize_email, normalize_phone
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.directory._common import (
    clean_person,
    current_post_clause,
    is_current,
    like_terms,
    live_org,
    live_person,
    person_input_of,
    person_search_text,
    post_rows,
    today_of,
)
from pfdesk.services.directory.references import count_references
from pfdesk.services.directory.types import (
    MembershipRow,
    PersonDetail,
    PersonInput,
    PersonRow,
    PostInput,
    PostRow,
)
from pfdesk.services.edit_versions import Seen, check_seen
from pfdesk.store.models import Body, BodyMembership, Organization, Person, Post


def _memberships(s, where, today: date) -> list[MembershipRow]:
    rows = s.execute(
        select(BodyMembership, Body.name, Organization.name)
        .join(Body, Body.id == BodyMembership.body_id)
        .outerjoin(Organization, Organization.id == BodyMembership.organization_id)
        .where(where)
        .order_by(Body.sort_order, Body.id, BodyMembership.start_on)
    ).all()
    return [
        MembershipRow(
            id=m.id, body_id=m.body_id, body_name=body_name, person_id=m.person_id,
            role=m.role, organization_name=org_name or "", start_on=m.start_on,
            end_on=m.end_on, current=is_current(m.start_on, m.end_on, today),
        )
        for m, body_name, org_name in rows
    ]


@service(Permission.DIRECTORY_READ)
def list_people(
    ctx: ServiceContext,
    *,
    query: str = "",
    field: str | None = None,
    body_id: int | None = None,
    in_post_only: bool = True,
    organization_id: int | None = None,
) -> list[PersonRow]:
    """People in 五十音順 of their reading, each with their main current post.

    ``query`` matches name (kanji, either kana, any width, 異体字 folded), phone and
    e-mail, and the name of any organization they hold a post in. ``field`` keeps people
    posted in organizations of that 分野; ``body_id`` those seated on that 会議体.
    """
    with ctx.session() as s:
        today = today_of(s)
        q = select(Person).where(Person.merged_into_id.is_(None))
        for term in like_terms(query):
            via_org = (
                select(Post.id)
                .join(Organization, Organization.id == Post.organization_id)
                .where(Post.person_id == Person.id,
                       Organization.search_text.like(term, escape="\\"))
            )
            q = q.where(or_(Person.search_text.like(term, escape="\\"), exists(via_org)))
        post_filter = [Post.person_id == Person.id]
        if in_post_only:
            post_filter.append(current_post_clause(today))
        if field or organization_id:
            org_q = select(Post.id).join(Organization, Organization.id == Post.organization_id)
            org_q = org_q.where(*post_filter)
            if field:
                org_q = org_q.where(Organization.field == field)
            if organization_id:
                org_q = org_q.where(Organization.id == organization_id)
            q = q.where(exists(org_q))
        elif in_post_only:
            q = q.where(exists(select(Post.id).where(*post_filter)))
        if body_id:
            seat = select(BodyMembership.id).where(
                BodyMembership.person_id == Person.id, BodyMembership.body_id == body_id
            )
            if in_post_only:
                seat = seat.where(or_(BodyMembership.end_on.is_(None),
                                      BodyMembership.end_on >= today))
            q = q.where(exists(seat))
        # Plain columns, not objects: thousands of people, posts and organizations as ORM
        # instances cost tens of MB at once on a large town (the page's peak memory).
        found = q.with_only_columns(Person.id)
        people = s.execute(q.with_only_columns(
            Person.id, Person.family_name, Person.given_name, Person.family_kana,
            Person.given_kana, Person.phone, Person.email)).all()
        # A person's main post: a current one, the 担当窓口 first, then the latest started.
        posts: dict[int, tuple[Any, tuple[bool, bool, date]]] = {}
        for post in s.execute(
            select(Post.person_id, Post.department, Post.title, Post.phone, Post.email,
                   Post.start_on, Post.end_on, Post.is_contact,
                   Organization.id.label("org_id"), Organization.name.label("org_name"),
                   Organization.phone.label("org_phone"))
            .join(Organization, Organization.id == Post.organization_id)
            .where(Post.person_id.in_(found))
            .order_by(Post.start_on, Post.id)
        ):
            rank = (is_current(post.start_on, post.end_on, today), post.is_contact,
                    post.start_on or date.min)
            best = posts.get(post.person_id)
            if best is None or rank >= best[1]:
                posts[post.person_id] = (post, rank)
        bodies: dict[int, list[str]] = {}
        for pid, name in s.execute(
            select(BodyMembership.person_id, Body.name)
            .join(Body, Body.id == BodyMembership.body_id)
            .where(BodyMembership.person_id.in_(found),
                   or_(BodyMembership.end_on.is_(None), BodyMembership.end_on >= today))
            .order_by(Body.sort_order, Body.id)
        ):
            if name not in bodies.setdefault(pid, []):
                bodies[pid].append(name)
        rows = []
        for pid, family, given, family_kana, given_kana, phone, email in people:
            best = posts.get(pid)
            if best is None:
                rows.append(PersonRow(
                    id=pid, full_name=join_name(family, given),
                    full_kana=join_name(family_kana, given_kana), organization_id=None,
                    organization_name="", department="", title="", phone=phone or "", email=email,
                    in_post=False, bodies="、".join(bodies.get(pid, []))))
                continue
            main, (in_post, _contact, _start) = best
            rows.append(PersonRow(
                id=pid, full_name=join_name(family, given),
                full_kana=join_name(family_kana, given_kana),
                organization_id=main.org_id, organization_name=main.org_name,
                department=main.department, title=main.title,
                phone=(main.phone or phone) or main.org_phone, email=main.email or email,
                in_post=in_post, bodies="、".join(bodies.get(pid, [])),
            ))
    rows.sort(key=lambda r: (kana.sort_key(r.full_kana or r.full_name), r.full_name))
    return rows


@service(Permission.DIRECTORY_READ)
def get_person(ctx: ServiceContext, person_id: int) -> PersonDetail:
    """One person with every post they held and every 会議体 seat."""
    with ctx.session() as s:
        p = live_person(s, person_id)
        today = today_of(s)
        return PersonDetail(
            id=p.id, data=person_input_of(p), merged_into_id=p.merged_into_id,
            posts=post_rows(s, Post.person_id == p.id, today),
            memberships=_memberships(s, BodyMembership.person_id == p.id, today),
            version=p.version or 1,
        )


def _apply_person(p: Person, data: PersonInput) -> None:
    for name, value in vars(data).items():
        setattr(p, name, value)
    p.search_text = person_search_text(p)


@service(Permission.DIRECTORY_WRITE)
def create_person(ctx: ServiceContext, data: PersonInput, post: PostInput | None = None) -> int:
    """Add a person, and with ``post`` (its person_id ignored) their first post."""
    clean = clean_person(data)
    with ctx.session() as s:
        p = Person(family_name=clean.family_name)
        _apply_person(p, clean)
        s.add(p)
        s.flush()
        if post is not None:
            _add_post(s, PostInput(**{**vars(post), "person_id": p.id}))
        audit.record(s, ctx.actor, "directory.person.create", "person", [p.id])
        s.commit()
        return p.id


PERSON_LABELS = (
    ("family_name", _("姓")), ("given_name", _("名")), ("family_kana", _("姓（ふりがな）")),
    ("given_kana", _("名（ふりがな）")), ("phone", _("電話")), ("email", _("メール")),
    ("note", _("備考")),
)
POST_LABELS = (
    ("organization_name", _("所属")), ("department", _("部署")), ("title", _("職名")),
    ("start_on", _("在任期間の開始")), ("end_on", _("在任期間の終了")), ("phone", _("電話")),
    ("email", _("メール")), ("is_contact", _("担当窓口")), ("note", _("備考")),
)


@service(Permission.DIRECTORY_WRITE)
def update_person(ctx: ServiceContext, person_id: int, data: PersonInput, *,
                  seen: Seen | None = None) -> None:
    """Save the edited fields of a person (refused when saved elsewhere since ``seen``)."""
    clean = clean_person(data)
    with ctx.session() as s:
        p = live_person(s, person_id)
        before = person_input_of(p)
        check_seen(s, p, seen, before, labels=PERSON_LABELS, action="directory.person.update",
                   what=_("{name} さんの情報").format(name=p.full_name))
        changed = [k for k, v in vars(clean).items() if getattr(before, k) != v]
        _apply_person(p, clean)
        audit.record(s, ctx.actor, "directory.person.update", "person", [p.id], changed=changed)
        s.commit()


@service(Permission.DIRECTORY_WRITE)
def delete_person(ctx: ServiceContext, person_id: int) -> None:
    """Delete a person entered by mistake: only while nothing but their posts refers to them."""
    with ctx.session() as s:
        p = live_person(s, person_id)
        posts = s.scalars(select(Post).where(Post.person_id == p.id)).all()
        refs = count_references(s, "person", p.id) - len(posts)
        if refs:
            raise ValidationError(
                _("「{name}」さんは会議の出欠や会議体の委員などから参照されているため"
                  "削除できません。").format(name=p.full_name),
                hint=_("異動した場合は、所属の在任期間に終了日を入れてください。"
                       "重複して登録した場合は「統合」を使ってください。"),
            )
        for post in posts:
            s.delete(post)
        audit.record(s, ctx.actor, "directory.person.delete", "person", [p.id],
                     posts=len(posts))
        s.delete(p)
        s.commit()


def _clean_post(s, data: PostInput) -> PostInput:
    live_person(s, data.person_id)
    org = live_org(s, data.organization_id)
    if data.start_on and data.end_on and data.end_on < data.start_on:
        raise ValidationError(_("在任期間の終了日が開始日より前になっています。"),
                              field="end_on", hint=_("日付を確かめてください。"))
    if not org.active and data.start_on and org.abolished_on and data.start_on > org.abolished_on:
        raise ValidationError(
            _("「{name}」は廃止された機関です。廃止後の在任は登録できません。").format(name=org.name),
            field="organization_id", hint=_("新しい機関を登録してから選んでください。"),
        )
    return PostInput(
        person_id=data.person_id, organization_id=data.organization_id,
        department=clean_text(data.department), title=clean_text(data.title),
        start_on=data.start_on, end_on=data.end_on, phone=normalize_phone(data.phone),
        email=normalize_email(data.email), is_contact=bool(data.is_contact),
        note=clean_text(data.note),
    )


def _add_post(s, data: PostInput) -> Post:
    clean = _clean_post(s, data)
    post = Post(**vars(clean))
    # A post entered now is this year's information: no 年度更新 confirmation needed.
    post.confirmed_fy = fiscal_year_of(today_of(s))
    s.add(post)
    s.flush()
    return post


@service(Permission.DIRECTORY_WRITE)
def add_post(ctx: ServiceContext, data: PostInput) -> int:
    """Add a post to a person (a new 所属 or a new 職名); the earlier posts stay as history."""
    with ctx.session() as s:
        post = _add_post(s, data)
        audit.record(s, ctx.actor, "directory.post.create", "post", [post.id],
                     person_id=post.person_id, organization_id=post.organization_id)
        s.commit()
        return post.id


@service(Permission.DIRECTORY_WRITE)
def update_post(ctx: ServiceContext, post_id: int, data: PostInput, *,
                seen: Seen | None = None) -> None:
    """Correct a post (typo in 職名, wrong start date); ``seen`` holds a PostRow as shown."""
    with ctx.session() as s:
        post = _get_post(s, post_id)
        check_seen(s, post, seen, post_rows(s, Post.id == post.id, today_of(s))[0],
                   labels=POST_LABELS, action=("directory.post.update", "directory.post.end"),
                   what=_("{name} さんの在任の記録").format(name=post.person.full_name))
        clean = _clean_post(s, PostInput(**{**vars(data), "person_id": post.person_id}))
        for name, value in vars(clean).items():
            setattr(post, name, value)
        audit.record(s, ctx.actor, "directory.post.update", "post", [post.id])
        s.commit()


@service(Permission.DIRECTORY_WRITE)
def end_post(ctx: ServiceContext, post_id: int, on: date) -> None:
    """Record that a post ended on ``on`` (退任・異動); the row stays as history."""
    with ctx.session() as s:
        post = _get_post(s, post_id)
        if post.start_on and on < post.start_on:
            raise ValidationError(
                _("終了日が在任の開始日より前になっています。"), field="end_on",
                hint=_("開始日以降の日付を入力してください。"),
            )
        post.end_on = on
        post.version = (post.version or 1) + 1  # a post form opened before this is stale
        audit.record(s, ctx.actor, "directory.post.end", "post", [post.id], on=on.isoformat())
        s.commit()


@service(Permission.DIRECTORY_WRITE)
def delete_post(ctx: ServiceContext, post_id: int) -> None:
    """Remove a post entered by mistake (to record a transfer, end it instead)."""
    with ctx.session() as s:
        post = _get_post(s, post_id)
        audit.record(s, ctx.actor, "directory.post.delete", "post", [post.id],
                     person_id=post.person_id, organization_id=post.organization_id)
        s.delete(post)
        s.commit()


@service(Permission.DIRECTORY_READ)
def get_post(ctx: ServiceContext, post_id: int) -> PostRow:
    """One post with names."""
    with ctx.session() as s:
        post = _get_post(s, post_id)
        return post_rows(s, Post.id == post.id, today_of(s))[0]


def _get_post(s, post_id: int) -> Post:
    from pfdesk.core.errors import NotFound

    post = s.get(Post, post_id)
    if post is None:
        raise NotFound(_("在任の記録（番号 {id}）が見つかりません。").format(id=post_id),
                       hint=_("一覧を更新してから、もう一度選んでください。"))
    return post


def day_before(d: date) -> date:
    """The day before ``d`` (a predecessor's last day when a successor starts on ``d``)."""
    return d - timedelta(days=1)
