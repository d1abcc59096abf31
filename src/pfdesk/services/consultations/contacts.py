"""支援経過記録: contacts with a case (calls, visits, meetings), the quick phone entry, 取消.

A contact is never deleted; a mistaken one is voided with a reason and stays in the history
(voided contacts are left out of the figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from pfdesk.core import codes
from pfdesk.core.errors import EditConflict, NotFound, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.consultations.cases import shown_value
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.edit_versions import last_editor
from pfdesk.services.masking import MASK, can_identify
from pfdesk.store.models import Contact, Organization, utcnow


@dataclass(frozen=True)
class ContactInput:
    """What the contact form sends. ``topics`` lists every 相談内容; ``main_topic`` is one."""

    occurred_at: datetime
    method: str = "phone"
    requester: str = "self"
    relation: str = ""  # 続柄 when the requester is family
    staff: str = ""
    counterpart: str = "self"
    counterpart_org_id: int | None = None
    topics: tuple[str, ...] = ()
    main_topic: str = "unknown"
    body: str = ""
    next_plan: str = ""


@dataclass(frozen=True)
class ContactRow:
    """A contact as the 経過 tab lists it (the text masked for some roles)."""

    id: int
    case_id: int
    occurred_at: datetime
    method: str
    requester: str
    relation: str
    staff: str
    counterpart: str
    counterpart_org_id: int | None
    counterpart_org_name: str
    topics: tuple[str, ...]
    main_topic: str
    body: str
    next_plan: str
    voided: bool
    void_reason: str
    version: int = 1  # counted up by every saved correction (see update_contact)


def _validate(data: ContactInput) -> ContactInput:
    common.check_code(codes.METHODS, data.method, "method")
    common.check_code(codes.REQUESTERS, data.requester, "requester")
    common.check_code(codes.COUNTERPARTS, data.counterpart, "counterpart")
    common.check_code(codes.TOPICS, data.main_topic, "main_topic")
    for key in data.topics:
        common.check_code(codes.TOPICS, key, "topics")
    return data


def _apply(contact: Contact, data: ContactInput) -> None:
    contact.occurred_at = data.occurred_at.replace(second=0, microsecond=0)
    contact.method = data.method
    contact.requester = data.requester
    contact.relation = clean_text(data.relation) if data.requester == "family" else ""
    contact.staff = clean_text(data.staff)
    contact.counterpart = data.counterpart
    contact.counterpart_org_id = data.counterpart_org_id
    # The main topic is always one of the topics, so counting by topic never misses it.
    topics = tuple(dict.fromkeys((data.main_topic, *data.topics)))
    contact.topics_json = common.dumps_codes(topics)
    contact.main_topic = data.main_topic
    contact.body = data.body.rstrip()
    contact.next_plan = data.next_plan.strip()


def _row(actor, c: Contact, org_name: str) -> ContactRow:
    ident = can_identify(actor)
    return ContactRow(
        id=c.id, case_id=c.case_id, occurred_at=c.occurred_at, method=c.method,
        requester=c.requester, relation=c.relation, staff=c.staff, counterpart=c.counterpart,
        counterpart_org_id=c.counterpart_org_id, counterpart_org_name=org_name,
        topics=common.loads_codes(c.topics_json),
        main_topic=c.main_topic, body=c.body if ident or not c.body else MASK,
        next_plan=c.next_plan if ident or not c.next_plan else MASK,
        voided=c.voided_at is not None, void_reason=c.void_reason, version=c.version or 1,
    )


#: The contact form's fields, as a conflict names them.
FORM_FIELDS = (
    ("occurred_at", _("日時")), ("method", _("方法")), ("requester", _("相談者")),
    ("relation", _("続柄")), ("staff", _("対応者")), ("counterpart", _("相手方")),
    ("counterpart_org_name", _("相手方の機関")), ("topics", _("相談内容")),
    ("main_topic", _("主な相談内容")), ("body", _("内容")), ("next_plan", _("次回予定")),
)


def _conflict(s, actor, contact: Contact, seen: ContactRow) -> EditConflict:
    """What another correction changed since ``seen`` was shown, as an EditConflict."""
    now = _row(actor, contact, _org_name(s, contact.counterpart_org_id))
    changed = tuple((label, shown_value(getattr(now, name))) for name, label in FORM_FIELDS
                    if getattr(now, name) != getattr(seen, name))
    who = last_editor(s, ("consultations.contact.edit",), contact.id)
    lines = [_("この経過記録（{when}）は、あなたが画面を開いた後に、ほかのパソコンか画面で"
               "修正されています{who}。あなたの入力はまだ保存していません。").format(
                   when=contact.occurred_at.strftime("%Y/%m/%d %H:%M"),
                   who=f"（{who}）" if who else "")]
    if changed:
        lines.append(_("その保存で変わった項目:"))
        lines += [f"・{label}: {value}" for label, value in changed]
    return EditConflict(
        "\n".join(lines), current=now, changed=changed,
        hint=_("あなたの入力は画面に残っています。上の変更を確かめてから、もう一度「保存」を"
               "押すと、あなたの入力で保存します。"))


@service(Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def add_contact(ctx: ServiceContext, case_id: int, data: ContactInput) -> ContactRow:
    """Record one contact (支援経過) on a case."""
    _validate(data)
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        contact = Contact(case_id=case.id, created_by=ctx.actor.display_name)
        _apply(contact, data)
        s.add(contact)
        s.flush()
        common.refresh_search_text(s, case)
        audit.record(s, ctx.actor, "consultations.contact.create", "contact", [contact.id],
                     case_id=case.id, case_number=case.case_number)
        s.commit()
        return _row(ctx.actor, contact, _org_name(s, contact.counterpart_org_id))


@service(Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def quick_phone_entry(
    ctx: ServiceContext,
    case_id: int,
    occurred_at: datetime,
    requester: str,
    main_topic: str,
    body: str,
) -> ContactRow:
    """電話の簡易入力: a phone call in five fields (case, when, who called, about what, notes).

    The acting user is recorded as 対応者 and the caller as 相手方.
    """
    counterpart = {"self": "self", "family": "family", "agency": "agency"}.get(
        requester, "other"
    )
    return add_contact(ctx, case_id, ContactInput(
        occurred_at=occurred_at, method="phone", requester=requester,
        staff=ctx.actor.display_name, counterpart=counterpart, topics=(main_topic,),
        main_topic=main_topic, body=body,
    ))


def _load(s, contact_id: int) -> Contact:
    contact = s.get(Contact, contact_id)
    if contact is None:
        raise NotFound(_("経過記録（番号 {id}）が見つかりません。").format(id=contact_id))
    return contact


def _org_name(s, org_id: int | None) -> str:
    if not org_id:
        return ""
    org = s.get(Organization, org_id)
    return org.name if org else ""


@service(Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def update_contact(ctx: ServiceContext, contact_id: int, data: ContactInput, *,
                   seen: ContactRow | None = None) -> ContactRow:
    """Correct a contact that is not voided.

    ``seen`` is the contact as the form showed it: when it was corrected elsewhere since,
    nothing is saved and an EditConflict says what changed (the form keeps the text).
    """
    _validate(data)
    with ctx.session() as s:
        contact = _load(s, contact_id)
        case = common.load_case(s, contact.case_id)
        common.require_open_for_edit(case)
        if contact.voided_at is not None:
            raise ValidationError(_("取消済みの経過記録は変更できません。"))
        if seen is not None and seen.version != (contact.version or 1):
            raise _conflict(s, ctx.actor, contact, seen)
        contact.version = (contact.version or 1) + 1
        _apply(contact, data)
        s.flush()
        common.refresh_search_text(s, case)
        audit.record(s, ctx.actor, "consultations.contact.edit", "contact", [contact.id],
                     case_id=case.id, case_number=case.case_number)
        s.commit()
        return _row(ctx.actor, contact, _org_name(s, contact.counterpart_org_id))


@service(Permission.CASE_WRITE)
def void_contact(ctx: ServiceContext, contact_id: int, reason: str) -> ContactRow:
    """取消: mark a contact entered by mistake; it stays in the history with the reason."""
    reason = common.require_text(reason, "reason", _("取消の理由"))
    with ctx.session() as s:
        contact = _load(s, contact_id)
        if contact.voided_at is not None:
            raise ValidationError(_("この経過記録はすでに取消済みです。"))
        case = common.load_case(s, contact.case_id)
        contact.voided_at = utcnow()
        contact.void_reason = reason
        contact.voided_by = ctx.actor.display_name
        s.flush()
        common.refresh_search_text(s, case)
        audit.record(s, ctx.actor, "consultations.contact.void", "contact", [contact.id],
                     case_id=case.id, case_number=case.case_number)
        s.commit()
        return _row(ctx.actor, contact, _org_name(s, contact.counterpart_org_id))


@service(Permission.CASE_READ)
def list_contacts(ctx: ServiceContext, case_id: int) -> list[ContactRow]:
    """Every contact of a case, newest first, voided ones included and marked."""
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        rows = s.execute(
            select(Contact, Organization.name)
            .outerjoin(Organization, Organization.id == Contact.counterpart_org_id)
            .where(Contact.case_id == case.id)
            .order_by(Contact.occurred_at.desc(), Contact.id.desc())
        ).all()
        audit.record(s, ctx.actor, "consultations.contact.view", "case", [case.id],
                     identifying=can_identify(ctx.actor))
        s.commit()
        return [_row(ctx.actor, c, name or "") for c, name in rows]
