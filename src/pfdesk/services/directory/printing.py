"""印刷: the 名簿 PDF (all people in post, or one 会議体's members) and 宛名ラベル."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import or_, select

from pfdesk.core import kana
from pfdesk.core.codes import BODY_ROLES
from pfdesk.core.errors import NotFound, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date, format_date_range
from pfdesk.documents.directory_pdf import Label, RosterEntry, build_labels_pdf, build_roster_pdf
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.directory._common import current_post_clause, is_current, today_of
from pfdesk.services.settings import load_municipality
from pfdesk.store.models import Body, BodyMembership, Organization, Person, Post


@dataclass(frozen=True)
class PrintResult:
    """What was printed: the file, how many entries, and pages (sheets for labels)."""

    path: str
    entries: int
    pages: int


@dataclass
class _Seat:
    person: Person
    org: Organization | None
    post: Post | None
    role: str
    term: str = ""  # 任期 (委嘱期間) on a body's 委員名簿


def _term(m: BodyMembership) -> str:
    """「令和7年4月1日～令和9年3月31日」: the 委嘱期間, open ends left blank."""
    return format_date_range(m.start_on, m.end_on)


def _seats(s, body_id: int | None, person_ids: list[int] | None) -> tuple[list[_Seat], str]:
    today = today_of(s)
    posts: dict[int, tuple[Post, Organization]] = {}
    for post, org in s.execute(
        select(Post, Organization).join(Organization, Organization.id == Post.organization_id)
        .where(current_post_clause(today), Organization.active.is_(True))
        .order_by(Post.is_contact, Post.start_on)
    ):
        posts[post.person_id] = (post, org)  # the last wins: 担当窓口, latest started
    seats: list[_Seat] = []
    if body_id:
        body = s.get(Body, body_id)
        if body is None:
            raise NotFound(_("会議体（番号 {id}）が見つかりません。").format(id=body_id))
        title = _("{name}　委員名簿").format(name=body.name)
        for m, p in s.execute(
            select(BodyMembership, Person).join(Person, Person.id == BodyMembership.person_id)
            .where(BodyMembership.body_id == body_id, Person.merged_into_id.is_(None),
                   or_(BodyMembership.end_on.is_(None), BodyMembership.end_on >= today))
        ):
            if not is_current(m.start_on, m.end_on, today) and m.start_on and m.start_on > today:
                continue
            post, org = posts.get(p.id, (None, None))
            if m.organization_id and (org is None or org.id != m.organization_id):
                org = s.get(Organization, m.organization_id)
            seats.append(_Seat(p, org, post, BODY_ROLES.label(m.role), _term(m)))
    else:
        title = _("関係機関　担当者名簿")
        people = {p.id: p for p in s.scalars(select(Person).where(
            Person.merged_into_id.is_(None), Person.id.in_(list(posts))))}
        for pid, (post, org) in posts.items():
            if pid in people:
                seats.append(_Seat(people[pid], org, post, ""))
    if person_ids is not None:
        wanted = set(person_ids)
        seats = [x for x in seats if x.person.id in wanted]
    seats.sort(key=lambda x: (kana.sort_key(x.person.family_kana + "\u3000"
                                            + x.person.given_kana), x.person.id))
    return seats, title


def _check_pdf(path: str | Path) -> None:
    # A mistyped name such as 名簿.xlsx must not replace a workbook with a PDF.
    if Path(path).suffix.lower() != ".pdf":
        raise ValidationError(
            _("保存先「{name}」の拡張子は .pdf にしてください。").format(name=Path(path).name),
            field="path", hint=_("例: 名簿.pdf"),
        )


@service(Permission.DIRECTORY_READ, Permission.DOCUMENT_PRINT)
def print_directory(ctx: ServiceContext, path: str | Path, *, body_id: int | None = None
                    ) -> PrintResult:
    """Print the 名簿 in 五十音順: everyone in post, or the members of one 会議体."""
    _check_pdf(path)
    with ctx.session() as s:
        seats, title = _seats(s, body_id, None)
        town = load_municipality(s)
        entries = [
            RosterEntry(
                organization=x.org.name if x.org else "",
                department=x.post.department if x.post else "",
                title=x.post.title if x.post else "",
                name=x.person.full_name, kana=x.person.full_kana,
                phone=(x.post.phone if x.post and x.post.phone else "")
                or (x.org.phone if x.org else "") or x.person.phone,
                role=x.role, term=x.term,
            )
            for x in seats
        ]
        issuer = " ".join(t for t in (town.name, town.secretariat) if t)
        pages = build_roster_pdf(path, title=title, as_of=format_date(today_of(s)),
                                 entries=entries, show_role=bool(body_id), issuer=issuer)
        audit.record(s, ctx.actor, "directory.print.roster", "person",
                     [x.person.id for x in seats], file=Path(path).name, body_id=body_id)
        s.commit()
    return PrintResult(str(path), len(entries), pages)


@service(Permission.DIRECTORY_READ, Permission.DOCUMENT_PRINT)
def print_labels(
    ctx: ServiceContext,
    path: str | Path,
    *,
    body_id: int | None = None,
    person_ids: list[int] | None = None,
    organization_ids: list[int] | None = None,
    start_at: int = 1,
    outline: bool = False,
) -> PrintResult:
    """Print 宛名ラベル (A4 12面): people (様) in 五十音順, or organizations (御中).

    With ``organization_ids`` the labels go to those organizations' 窓口; otherwise to the
    people in post (all, one 会議体's members, or the chosen ``person_ids``) at their
    organization's address.
    """
    if not 1 <= start_at <= 12:
        raise ValidationError(_("開始位置は1から12の番号で指定してください。"), field="start_at")
    _check_pdf(path)
    with ctx.session() as s:
        labels: list[Label] = []
        if organization_ids is not None:
            orgs = [o for o in s.scalars(select(Organization).where(
                Organization.id.in_(organization_ids))) if not o.merged_into_id]
            orgs.sort(key=lambda o: kana.sort_key(o.name_kana or o.name))
            for o in orgs:
                if o.department:
                    labels.append(Label(o.postal_code, o.address, (o.name,), o.department,
                                        _("御中")))
                else:
                    labels.append(Label(o.postal_code, o.address, (), o.name, _("御中")))
            ids, target = [o.id for o in orgs], "organization"
        else:
            seats, _title = _seats(s, body_id, person_ids)
            for x in seats:
                org = x.org
                post_line = " ".join(t for t in (x.post.department if x.post else "",
                                                 x.post.title if x.post else "") if t)
                lines = tuple(t for t in (org.name if org else "", post_line) if t)
                labels.append(Label(org.postal_code if org else "", org.address if org else "",
                                    lines, x.person.full_name, _("様")))
            ids, target = [x.person.id for x in seats], "person"
        if not labels:
            raise ValidationError(_("ラベルを印刷する宛先がありません。"),
                                  hint=_("絞り込みの条件を確かめてください。"))
        sheets = build_labels_pdf(path, labels, start_at=start_at, outline=outline)
        audit.record(s, ctx.actor, "directory.print.labels", target, ids,
                     file=Path(path).name, body_id=body_id)
        s.commit()
    return PrintResult(str(path), len(labels), sheets)
