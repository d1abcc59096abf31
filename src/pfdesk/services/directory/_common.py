"""Helpers shared by the directory services: today's date, search folding, validation.

Functions here take a ``Session`` (never a ServiceContext) and are used only inside
the directory services.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from pfdesk.core import kana
from pfdesk.core.codes import FIELDS, ORG_KINDS
from pfdesk.core.errors import NotFound, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text, normalize_email, normalize_phone, normalize_postal
from pfdesk.services.directory.types import OrganizationInput, PersonInput, PostRow
from pfdesk.services.summary import demo_today
from pfdesk.store.models import Organization, Person, Post

# Between indexed fields, so a search term never matches across two of them.
_SEP = "|"


def today_of(session: Session) -> date:
    """Today, or the demo store's fixed day so its 年度 reads sensibly on any date."""
    return demo_today(session) or date.today()


def org_search_text(o: Organization, fold=kana.fold) -> str:
    """The folded text an organization is found by: name, reading, 窓口, networks, phone.

    ``fold`` may be a cached :func:`kana.fold` (an import folds the same names again).
    """
    parts = [o.name, o.name_kana, o.department, o.networks, o.address, o.phone]
    return _SEP.join(fold(p) for p in parts if p)


def person_search_text(p: Person, fold=kana.fold) -> str:
    """The folded text a person is found by: 姓名 (with or without space), reading, contact."""
    parts = [
        (p.family_name or "") + (p.given_name or ""),
        (p.family_kana or "") + (p.given_kana or ""),
        p.phone,
        p.email,
    ]
    return _SEP.join(fold(x) for x in parts if x)


def like_terms(query: str | None) -> list[str]:
    """The query as folded LIKE patterns, one per whitespace-separated term."""
    out = []
    for part in (query or "").split():
        term = kana.fold(part)
        if term:
            escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            out.append(f"%{escaped}%")
    return out


def is_current(start_on: date | None, end_on: date | None, today: date) -> bool:
    """Whether a 在任期間 includes ``today`` (open ends count as current)."""
    return (start_on is None or start_on <= today) and (end_on is None or end_on >= today)


def current_post_clause(today: date):
    """SQL condition: the post is held on ``today``."""
    return and_(
        or_(Post.start_on.is_(None), Post.start_on <= today),
        or_(Post.end_on.is_(None), Post.end_on >= today),
    )


def live_org(session: Session, org_id: int) -> Organization:
    """The organization ``org_id``; NotFound if it does not exist or was merged away."""
    o = session.get(Organization, org_id)
    if o is None:
        raise NotFound(_("関係機関（番号 {id}）が見つかりません。").format(id=org_id),
                       hint=_("一覧を更新してから、もう一度選んでください。"))
    if o.merged_into_id:
        raise NotFound(
            _("関係機関「{name}」は別の機関に統合済みです。").format(name=o.name),
            hint=_("統合先の機関を選んでください。"),
        )
    return o


def live_person(session: Session, person_id: int) -> Person:
    """The person ``person_id``; NotFound if missing or merged away."""
    p = session.get(Person, person_id)
    if p is None:
        raise NotFound(_("担当者（番号 {id}）が見つかりません。").format(id=person_id),
                       hint=_("一覧を更新してから、もう一度選んでください。"))
    if p.merged_into_id:
        raise NotFound(
            _("担当者「{name}」は別の記録に統合済みです。").format(name=p.full_name),
            hint=_("統合先の記録を選んでください。"),
        )
    return p


def _reading(value: str, field: str, label: str) -> str:
    text = kana.to_hiragana(clean_text(value))
    if text and not kana.is_reading(text):
        raise ValidationError(
            _("{label}「{text}」にかな以外の文字があります。").format(label=label, text=value),
            field=field,
            hint=_("ひらがなかカタカナで入力してください（例: やまだ）。"),
        )
    return text


def clean_organization(data: OrganizationInput) -> OrganizationInput:
    """Check and tidy an organization: name required, codes known, phone/〒 normalized."""
    name = clean_text(data.name)
    if not name:
        raise ValidationError(_("機関名が入力されていません。"), field="name",
                              hint=_("機関・団体の正式な名称を入力してください。"))
    if data.field not in FIELDS:
        raise ValidationError(_("分野「{v}」は選べません。").format(v=data.field), field="field",
                              hint=_("一覧から分野を選んでください。"))
    if data.kind not in ORG_KINDS:
        raise ValidationError(_("種別「{v}」は選べません。").format(v=data.kind), field="kind",
                              hint=_("一覧から種別を選んでください。"))
    fax = data.fax
    try:
        fax = normalize_phone(data.fax)
    except ValidationError as e:
        raise ValidationError(e.message.replace("電話番号", "FAX番号"), field="fax",
                              hint=e.hint) from None
    return OrganizationInput(
        name=name,
        name_kana=_reading(data.name_kana, "name_kana", _("ふりがな")),
        field=data.field,
        kind=data.kind,
        postal_code=normalize_postal(data.postal_code),
        address=clean_text(data.address),
        phone=normalize_phone(data.phone),
        fax=fax,
        email=normalize_email(data.email),
        department=clean_text(data.department),
        networks=clean_text(data.networks),
        note=clean_text(data.note),
    )


def clean_person(data: PersonInput) -> PersonInput:
    """Check and tidy a person: 姓 required, readings in kana, phone normalized."""
    family = clean_text(data.family_name)
    if not family:
        raise ValidationError(_("姓が入力されていません。"), field="family_name",
                              hint=_("氏名の姓を入力してください。"))
    return PersonInput(
        family_name=family,
        given_name=clean_text(data.given_name),
        family_kana=_reading(data.family_kana, "family_kana", _("姓のふりがな")),
        given_kana=_reading(data.given_kana, "given_kana", _("名のふりがな")),
        phone=normalize_phone(data.phone),
        email=normalize_email(data.email),
        note=clean_text(data.note),
    )


def org_input_of(o: Organization) -> OrganizationInput:
    """The editable fields of an organization."""
    return OrganizationInput(
        name=o.name, name_kana=o.name_kana, field=o.field, kind=o.kind,
        postal_code=o.postal_code, address=o.address, phone=o.phone, fax=o.fax,
        email=o.email, department=o.department, networks=o.networks, note=o.note,
    )


def person_input_of(p: Person) -> PersonInput:
    """The editable fields of a person."""
    return PersonInput(
        family_name=p.family_name, given_name=p.given_name, family_kana=p.family_kana,
        given_kana=p.given_kana, phone=p.phone, email=p.email, note=p.note,
    )


def post_rows(session: Session, where, today: date) -> list[PostRow]:
    """Posts matching ``where`` with names joined, newest term first."""
    rows = session.execute(
        select(Post, Person, Organization)
        .join(Person, Person.id == Post.person_id)
        .join(Organization, Organization.id == Post.organization_id)
        .where(where)
    ).all()
    out = [
        PostRow(
            id=post.id, person_id=p.id, person_name=p.full_name, person_kana=p.full_kana,
            organization_id=o.id, organization_name=o.name, department=post.department,
            title=post.title, start_on=post.start_on, end_on=post.end_on, phone=post.phone,
            email=post.email, is_contact=post.is_contact, confirmed_fy=post.confirmed_fy,
            note=post.note, current=is_current(post.start_on, post.end_on, today),
            version=post.version or 1,
        )
        for post, p, o in rows
    ]
    out.sort(key=lambda r: (not r.current, -(r.start_on or date.min).toordinal(),
                            kana.sort_key(r.person_kana)))
    return out


def org_choices_query():
    """Organizations that can be chosen (not merged away)."""
    return select(Organization).where(Organization.merged_into_id.is_(None))
