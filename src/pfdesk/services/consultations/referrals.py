"""つなぎ: referrals of a case to member organizations, with dated status.

A referral goes 紹介済 → 利用開始 → 終了, or stops at 中断 from either of the first two.
Each step keeps its date. Referrals are listed on the case and on the organization's page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from pfdesk.core import codes
from pfdesk.core.errors import NotFound, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.masking import MASK, can_identify, masked
from pfdesk.store.models import Case, Organization, Referral, utcnow

#: Allowed next statuses.
_NEXT = {
    "referred": ("started", "interrupted"),
    "started": ("ended", "interrupted"),
    "ended": (),
    "interrupted": (),
}


@dataclass(frozen=True)
class ReferralRow:
    """A referral as the つなぎ tab and the organization page show it."""

    id: int
    case_id: int
    case_number: str
    person_name: str  # masked for roles that may not identify cases
    organization_id: int | None
    organization_name: str
    category: str
    status: str
    referred_on: date
    started_on: date | None
    ended_on: date | None
    note: str
    voided: bool
    void_reason: str


def _row(actor, r: Referral, case: Case, org_name: str) -> ReferralRow:
    ident = can_identify(actor)
    return ReferralRow(
        id=r.id, case_id=r.case_id, case_number=case.case_number,
        person_name=masked(actor, case.full_name), organization_id=r.organization_id,
        organization_name=org_name, category=r.category, status=r.status,
        referred_on=r.referred_on, started_on=r.started_on, ended_on=r.ended_on,
        note=r.note if ident or not r.note else MASK, voided=r.voided_at is not None,
        void_reason=r.void_reason,
    )


def _org_name(s, org_id: int | None) -> str:
    org = s.get(Organization, org_id) if org_id else None
    return org.name if org else ""


@service(Permission.CASE_WRITE)
def add_referral(
    ctx: ServiceContext,
    case_id: int,
    organization_id: int | None,
    category: str,
    referred_on: date,
    note: str = "",
) -> ReferralRow:
    """紹介済: refer the case to an organization (or only a つなぎ先区分 when it is no member)."""
    common.check_code(codes.REFERRAL_CATEGORIES, category, "category")
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        if organization_id is not None and s.get(Organization, organization_id) is None:
            raise ValidationError(_("つなぎ先の機関が見つかりません。"), field="organization")
        r = Referral(case_id=case.id, organization_id=organization_id, category=category,
                     status="referred", referred_on=referred_on, note=note.strip())
        s.add(r)
        s.flush()
        audit.record(s, ctx.actor, "consultations.referral.create", "referral", [r.id],
                     case_id=case.id, case_number=case.case_number, category=category)
        s.commit()
        return _row(ctx.actor, r, case, _org_name(s, organization_id))


def _load(s, referral_id: int) -> Referral:
    r = s.get(Referral, referral_id)
    if r is None:
        raise NotFound(_("つなぎ（番号 {id}）が見つかりません。").format(id=referral_id))
    return r


@service(Permission.CASE_WRITE)
def set_referral_status(
    ctx: ServiceContext, referral_id: int, status: str, on: date
) -> ReferralRow:
    """Move a referral on: 利用開始, 終了 or 中断, each with its date."""
    common.check_code(codes.REFERRAL_STATUSES, status, "status")
    with ctx.session() as s:
        r = _load(s, referral_id)
        case = common.load_case(s, r.case_id)
        common.require_open_for_edit(case)
        if r.voided_at is not None:
            raise ValidationError(_("取消済みのつなぎは変更できません。"))
        if status not in _NEXT[r.status]:
            raise ValidationError(
                _("つなぎの状況を「{old}」から「{new}」には変えられません。").format(
                    old=codes.REFERRAL_STATUSES.label(r.status),
                    new=codes.REFERRAL_STATUSES.label(status)),
                field="status",
                hint=_("紹介済 → 利用開始 → 終了 の順です。途中でやめたときは「中断」です。"),
            )
        latest = r.started_on or r.referred_on
        if on < latest:
            raise ValidationError(
                _("日付が前の段階の日付（{d}）より前になっています。").format(d=latest),
                field="on",
            )
        if status == "started":
            r.started_on = on
        else:
            r.ended_on = on
        old, r.status = r.status, status
        audit.record(s, ctx.actor, "consultations.referral.status", "referral", [r.id],
                     case_id=case.id, from_status=old, to_status=status)
        s.commit()
        return _row(ctx.actor, r, case, _org_name(s, r.organization_id))


@service(Permission.CASE_WRITE)
def void_referral(ctx: ServiceContext, referral_id: int, reason: str) -> ReferralRow:
    """取消: mark a referral entered by mistake, keeping it in the history."""
    reason = common.require_text(reason, "reason", _("取消の理由"))
    with ctx.session() as s:
        r = _load(s, referral_id)
        if r.voided_at is not None:
            raise ValidationError(_("このつなぎはすでに取消済みです。"))
        case = common.load_case(s, r.case_id)
        r.voided_at, r.void_reason, r.voided_by = utcnow(), reason, ctx.actor.display_name
        audit.record(s, ctx.actor, "consultations.referral.void", "referral", [r.id],
                     case_id=case.id)
        s.commit()
        return _row(ctx.actor, r, case, _org_name(s, r.organization_id))


@service(Permission.CASE_READ)
def list_referrals(ctx: ServiceContext, case_id: int) -> list[ReferralRow]:
    """The referrals of one case, oldest first."""
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        rows = s.execute(
            select(Referral, Organization.name)
            .outerjoin(Organization, Organization.id == Referral.organization_id)
            .where(Referral.case_id == case.id)
            .order_by(Referral.referred_on, Referral.id)
        ).all()
        return [_row(ctx.actor, r, case, name or "") for r, name in rows]


@service(Permission.CASE_READ)
def referrals_for_organization(
    ctx: ServiceContext, organization_id: int, include_voided: bool = False
) -> list[ReferralRow]:
    """The cases referred to one organization, newest first (for the directory page).

    Names are masked for roles that may not identify cases; the view is audited.
    """
    with ctx.session() as s:
        q = (
            select(Referral, Case)
            .join(Case, Case.id == Referral.case_id)
            .where(Referral.organization_id == organization_id, Case.voided_at.is_(None))
            .order_by(Referral.referred_on.desc(), Referral.id.desc())
        )
        if not include_voided:
            q = q.where(Referral.voided_at.is_(None))
        rows = s.execute(q).all()
        name = _org_name(s, organization_id)
        audit.record(s, ctx.actor, "consultations.referral.view_org", "organization",
                     [organization_id], count=len(rows))
        s.commit()
        return [_row(ctx.actor, r, c, name) for r, c in rows]


#: The つなぎ先区分 an organization of a directory 種別 usually falls under.
KIND_CATEGORIES = {
    "municipal_lead": "municipal", "municipal_section": "municipal",
    "hikikomori_center": "hikikomori_center", "mental_health_center": "mental_health_center",
    "health_center": "health_center", "social_welfare_council": "social_welfare_council",
    "self_reliance": "self_reliance", "community_care": "community_care",
    "disability_service": "disability", "medical": "medical", "hello_work": "hello_work",
    "saposute": "saposute", "school": "school", "board_of_education": "school",
    "family_group": "npo", "npo": "npo", "child_guidance": "child_guidance",
    "company": "company",
}


def category_for_kind(kind: str) -> str:
    """The usual つなぎ先区分 of an organization of directory 種別 ``kind`` (else その他)."""
    return KIND_CATEGORIES.get(kind, "other")


@dataclass(frozen=True)
class OrganizationChoice:
    """An organization offered as 相談経路, つなぎ先 or consent scope."""

    id: int
    name: str
    kind: str
    active: bool
    name_kana: str = ""  # 読み: found by typing ひだまり as well as 陽だまり


@service(Permission.CASE_READ)
def organization_choices(ctx: ServiceContext) -> list[OrganizationChoice]:
    """The directory's organizations in 五十音順, active ones first."""
    from pfdesk.core.kana import sort_key

    with ctx.session() as s:
        rows = s.execute(select(Organization.id, Organization.name, Organization.name_kana,
                                Organization.kind, Organization.active)).all()
    rows = sorted(rows, key=lambda r: (not r.active, sort_key(r.name_kana or r.name)))
    return [OrganizationChoice(r.id, r.name, r.kind, bool(r.active), r.name_kana or "")
            for r in rows]
