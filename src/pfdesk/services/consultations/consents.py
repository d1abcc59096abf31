"""情報共有の同意: consent to share a case with all platform members or listed organizations.

:func:`consent_covers` is what meeting material asks before showing a case to members.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.errors import NotFound, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.masking import MASK, can_identify
from pfdesk.store.models import Consent, ConsentOrganization, Organization, utcnow


@dataclass(frozen=True)
class ConsentRow:
    """A consent as the 同意 tab shows it."""

    id: int
    case_id: int
    given_on: date
    scope_all: bool
    organization_ids: tuple[int, ...]
    organization_names: tuple[str, ...]
    method: str
    withdrawn_on: date | None
    note: str
    voided: bool
    void_reason: str

    @property
    def scope_text(self) -> str:
        """「プラットフォーム構成機関すべて」 or the listed organizations."""
        if self.scope_all:
            return _("プラットフォーム構成機関すべて")
        return "、".join(self.organization_names) or _("（機関の指定なし）")

    def in_force(self, on: date) -> bool:
        """Whether this consent applies on ``on``."""
        return (not self.voided and self.given_on <= on
                and (self.withdrawn_on is None or self.withdrawn_on > on))


@dataclass(frozen=True)
class ConsentState:
    """What the case header shows: the consent in force today, if any."""

    has_consent: bool
    text: str  # 「同意あり（書面、令和…）: …」 or 「同意なし」
    withdrawn: bool  # the latest consent has been withdrawn


def _rows(s, actor, case_id: int) -> list[ConsentRow]:
    consents = s.scalars(
        select(Consent).where(Consent.case_id == case_id)
        .order_by(Consent.given_on, Consent.id)
    ).all()
    names = dict(s.execute(select(Organization.id, Organization.name)).all())
    ident = can_identify(actor)
    out = []
    for c in consents:
        ids = tuple(sorted(o.organization_id for o in c.organizations))
        out.append(ConsentRow(
            id=c.id, case_id=c.case_id, given_on=c.given_on, scope_all=c.scope_all,
            organization_ids=ids, organization_names=tuple(names.get(i, "") for i in ids),
            method=c.method, withdrawn_on=c.withdrawn_on,
            note=c.note if ident or not c.note else MASK, voided=c.voided_at is not None,
            void_reason=c.void_reason,
        ))
    return out


def state_of(rows: list[ConsentRow], on: date) -> ConsentState:
    """The consent state on ``on`` from a case's consent rows."""
    from pfdesk.core.wareki import format_date

    live = [r for r in rows if r.in_force(on)]
    if live:
        r = live[-1]
        return ConsentState(True, _("同意あり（{method}・{day}）：{scope}").format(
            method=codes.CONSENT_METHODS.label(r.method), day=format_date(r.given_on),
            scope=r.scope_text), False)
    valid = [r for r in rows if not r.voided]
    if valid and valid[-1].withdrawn_on is not None:
        return ConsentState(False, _("同意撤回（{day}）：情報共有できません").format(
            day=format_date(valid[-1].withdrawn_on)), True)
    return ConsentState(False, _("同意なし：関係機関と情報共有できません"), False)


@service(Permission.CASE_WRITE)
def record_consent(
    ctx: ServiceContext,
    case_id: int,
    given_on: date,
    scope_all: bool,
    organization_ids: Iterable[int] = (),
    method: str = "written",
    note: str = "",
) -> ConsentRow:
    """Record a consent: to all members (``scope_all``) or to the listed organizations."""
    common.check_code(codes.CONSENT_METHODS, method, "method")
    ids = sorted(set(organization_ids))
    if not scope_all and not ids:
        raise ValidationError(
            _("同意の範囲を選んでください。"), field="scope",
            hint=_("「構成機関すべて」にするか、共有してよい機関を1つ以上選びます。"),
        )
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        consent = Consent(case_id=case.id, given_on=given_on, scope_all=scope_all,
                          method=method, note=note.strip())
        if not scope_all:
            consent.organizations = [ConsentOrganization(organization_id=i) for i in ids]
        s.add(consent)
        s.flush()
        audit.record(s, ctx.actor, "consultations.consent.create", "consent", [consent.id],
                     case_id=case.id, scope_all=scope_all, organizations=ids)
        s.commit()
        return next(r for r in _rows(s, ctx.actor, case.id) if r.id == consent.id)


def _load(s, consent_id: int) -> Consent:
    c = s.get(Consent, consent_id)
    if c is None:
        raise NotFound(_("同意の記録（番号 {id}）が見つかりません。").format(id=consent_id))
    return c


@service(Permission.CASE_WRITE)
def withdraw_consent(ctx: ServiceContext, consent_id: int, withdrawn_on: date) -> ConsentRow:
    """撤回: the person withdrew the consent on ``withdrawn_on``."""
    with ctx.session() as s:
        c = _load(s, consent_id)
        if c.voided_at is not None or c.withdrawn_on is not None:
            raise ValidationError(_("この同意はすでに撤回または取消されています。"))
        if withdrawn_on < c.given_on:
            raise ValidationError(_("撤回日が同意日より前になっています。"), field="withdrawn_on")
        c.withdrawn_on = withdrawn_on
        audit.record(s, ctx.actor, "consultations.consent.withdraw", "consent", [c.id],
                     case_id=c.case_id)
        s.commit()
        return next(r for r in _rows(s, ctx.actor, c.case_id) if r.id == c.id)


@service(Permission.CASE_WRITE)
def void_consent(ctx: ServiceContext, consent_id: int, reason: str) -> ConsentRow:
    """取消: a consent recorded by mistake (not a withdrawal) stays listed with the reason."""
    reason = common.require_text(reason, "reason", _("取消の理由"))
    with ctx.session() as s:
        c = _load(s, consent_id)
        if c.voided_at is not None:
            raise ValidationError(_("この同意はすでに取消済みです。"))
        c.voided_at, c.void_reason, c.voided_by = utcnow(), reason, ctx.actor.display_name
        audit.record(s, ctx.actor, "consultations.consent.void", "consent", [c.id],
                     case_id=c.case_id)
        s.commit()
        return next(r for r in _rows(s, ctx.actor, c.case_id) if r.id == c.id)


@service(Permission.CASE_READ)
def list_consents(ctx: ServiceContext, case_id: int) -> list[ConsentRow]:
    """The consents of a case, oldest first, withdrawn and voided ones included."""
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        return _rows(s, ctx.actor, case.id)


@service(Permission.CASE_READ)
def consent_state(ctx: ServiceContext, case_id: int, on: date | None = None) -> ConsentState:
    """The consent in force on ``on`` (today by default), for the case header."""
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        return state_of(_rows(s, ctx.actor, case.id), on or common.today_for(s))


def consent_covers(session: Session, case_id: int, org_ids: Iterable[int], on_date: date) -> bool:
    """Whether consents in force on ``on_date`` let the case be shared with all ``org_ids``.

    A consent to all members covers any organization; listed consents cover
    their organizations (several consents add up). An empty ``org_ids`` asks whether any
    consent is in force at all.
    """
    wanted = set(org_ids)
    consents = session.scalars(
        select(Consent).where(
            Consent.case_id == case_id,
            Consent.voided_at.is_(None),
            Consent.given_on <= on_date,
            (Consent.withdrawn_on.is_(None)) | (Consent.withdrawn_on > on_date),
        )
    ).all()
    if not consents:
        return False
    if any(c.scope_all for c in consents):
        return True
    covered = {o.organization_id for c in consents for o in c.organizations}
    return wanted <= covered
