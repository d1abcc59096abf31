"""The person behind a case: their cases across 年度, the family who consulted, merging.

A case gets its person record (``Client``) the first time it is needed, from the case's
own name fields; until then it counts as a person of its own. Saying that two cases are
the same person merges the two records: the newer one points at the older, nothing is
deleted, and both records stay visible as 統合の履歴. Names are shown only to users who
may identify cases (``masking``); others see case numbers and codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.kana import to_katakana
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.masking import MASK, can_identify
from pfdesk.store.models import Case, CaseClient, Client, utcnow


@dataclass(frozen=True)
class PersonCase:
    """One case of the person."""

    case_id: int
    case_number: str
    intake_date: date
    status: str

    @property
    def status_label(self) -> str:
        """受付 / 支援中 / 見守り / 終結."""
        return codes.CASE_STATUSES.label(self.status)


@dataclass(frozen=True)
class FamilyMember:
    """A family member who consulted about the person."""

    client_id: int
    name: str
    relation: str
    case_numbers: tuple[str, ...]


@dataclass(frozen=True)
class MergedRecord:
    """A person record merged into this one (kept, with when, by whom and why)."""

    client_id: int
    name: str
    merged_on: date | None
    merged_by: str
    reason: str


@dataclass(frozen=True)
class PersonView:
    """The person behind a case, with every case counted as them."""

    client_id: int
    name: str
    kana: str
    cases: tuple[PersonCase, ...]
    family: tuple[FamilyMember, ...]
    merged: tuple[MergedRecord, ...]


@dataclass(frozen=True)
class FamilyInput:
    """A family member who consulted: name (may be blank), reading and 続柄."""

    relation: str
    family_name: str = ""
    given_name: str = ""
    family_kana: str = ""
    given_kana: str = ""
    existing_client_id: int | None = None  # the same family member on another case


def _name(c: Client) -> str:
    return f"{c.family_name}　{c.given_name}".strip("　")


def ensure_self(s: Session, case: Case) -> Client:
    """The case's person record, made from the case's own fields the first time."""
    link = s.scalar(select(CaseClient).where(CaseClient.case_id == case.id,
                                            CaseClient.role == "self"))
    if link is not None:
        client = s.get(Client, link.counted_as or link.client_id)
        assert client is not None
        return client
    client = Client(family_name=case.family_name, given_name=case.given_name,
                    family_kana=case.family_kana, given_kana=case.given_kana,
                    birth_date=case.birth_date, sex=case.sex)
    s.add(client)
    s.flush()
    s.add(CaseClient(case_id=case.id, client_id=client.id, role="self", counted_as=client.id))
    s.flush()
    return client


def _view(s: Session, actor, person: Client) -> PersonView:
    ident = can_identify(actor)

    def m(text: str) -> str:
        return text if ident or not text else MASK

    cases = s.execute(
        select(Case.id, Case.case_number, Case.intake_date, Case.status)
        .join(CaseClient, CaseClient.case_id == Case.id)
        .where(CaseClient.role == "self", CaseClient.counted_as == person.id,
               Case.voided_at.is_(None))
        .order_by(Case.intake_date, Case.id)).all()
    case_ids = [c.id for c in cases]
    numbers = {c.id: c.case_number for c in cases}
    family: dict[int, tuple[Client, str, list[str]]] = {}
    for link, client in s.execute(
            select(CaseClient, Client).join(Client, Client.id == CaseClient.client_id)
            .where(CaseClient.role == "family", CaseClient.case_id.in_(case_ids))
            .order_by(CaseClient.id)).all():
        entry = family.setdefault(client.id, (client, link.relation, []))
        entry[2].append(numbers[link.case_id])
    merged = s.scalars(select(Client).where(Client.merged_into_id == person.id)
                       .order_by(Client.id)).all()
    return PersonView(
        client_id=person.id, name=m(_name(person)),
        kana=m(f"{person.family_kana}　{person.given_kana}".strip("　")),
        cases=tuple(PersonCase(c.id, c.case_number, c.intake_date, c.status) for c in cases),
        family=tuple(FamilyMember(c.id, m(_name(c)) or _("（氏名不明）"), rel, tuple(nums))
                     for c, rel, nums in family.values()),
        merged=tuple(MergedRecord(c.id, m(_name(c)), c.merged_at.date() if c.merged_at else None,
                                  c.merged_by, m(c.merge_reason)) for c in merged),
    )


@service(Permission.CASE_READ)
def person_of_case(ctx: ServiceContext, case_id: int) -> PersonView:
    """The person behind a case, their other cases and family (the view is audited)."""
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        person = ensure_self(s, case)
        audit.record(s, ctx.actor, "people.person.view", "case", [case.id],
                     identifying=can_identify(ctx.actor))
        s.commit()
        return _view(s, ctx.actor, person)


def _merge(s: Session, actor, keep: Client, gone: Client, reason: str) -> None:
    """Merge ``gone`` into ``keep``: nothing is deleted, every count follows ``keep``."""
    now = utcnow()
    for c in s.scalars(select(Client).where(Client.merged_into_id == gone.id)):
        c.merged_into_id = keep.id  # one level: a merged record always names the kept one
    gone.merged_into_id = keep.id
    gone.merged_at = now
    gone.merged_by = actor.display_name
    gone.merge_reason = reason
    s.execute(update(CaseClient).where(CaseClient.counted_as == gone.id)
              .values(counted_as=keep.id))


@service(Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def link_same_person(ctx: ServiceContext, case_id: int, other_case_number: str,
                     reason: str = "") -> PersonView:
    """Say that ``case_id`` is about the same person as the case ``other_case_number``.

    The two person records are merged (the older record is kept); from then on 実人数
    counts them once, in every period.
    """
    number = clean_text(other_case_number).upper()
    if not number:
        raise ValidationError(_("同じ人のケース番号を入力してください。"), field="other_case",
                              hint=_("例: R7-0012"))
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        other = s.scalar(select(Case).where(Case.case_number == number))
        if other is None:
            raise ValidationError(
                _("ケース番号「{n}」が見つかりません。").format(n=number), field="other_case",
                hint=_("番号は R7-0012 のように入力します。"))
        if other.voided_at is not None:
            raise ValidationError(_("ケース {n} は取消済みです。").format(n=number),
                                  field="other_case")
        if other.id == case.id:
            raise ValidationError(_("同じケースの番号です。別のケースの番号を入力してください。"),
                                  field="other_case")
        a, b = ensure_self(s, case), ensure_self(s, other)
        if a.id != b.id:
            keep, gone = (a, b) if a.id < b.id else (b, a)
            _merge(s, ctx.actor, keep, gone, clean_text(reason) or _("同一人物（{a}・{b}）").format(
                a=case.case_number, b=other.case_number))
        person = s.get(Client, min(a.id, b.id))
        assert person is not None
        s.flush()
        audit.record(s, ctx.actor, "people.person.merge", "case", [case.id, other.id],
                     case_numbers=[case.case_number, other.case_number])
        s.commit()
        return _view(s, ctx.actor, person)


@service(Permission.CASE_WRITE, Permission.CASE_IDENTIFY)
def add_family_member(ctx: ServiceContext, case_id: int, data: FamilyInput) -> PersonView:
    """Record a family member who consulted about the case's person (new or already known)."""
    relation = common.require_text(data.relation, "relation", _("続柄"))
    with ctx.session() as s:
        case = common.load_case(s, case_id)
        common.require_open_for_edit(case)
        person = ensure_self(s, case)
        if data.existing_client_id is not None:
            member = s.get(Client, data.existing_client_id)
            if member is None:
                raise ValidationError(_("選んだ家族の記録が見つかりません。"), field="family")
        else:
            member = Client(family_name=clean_text(data.family_name),
                            given_name=clean_text(data.given_name),
                            family_kana=to_katakana(clean_text(data.family_kana)),
                            given_kana=to_katakana(clean_text(data.given_kana)))
            s.add(member)
            s.flush()
        if member.id == person.id:
            raise ValidationError(_("本人を家族として登録することはできません。"), field="family")
        exists = s.scalar(select(CaseClient).where(CaseClient.case_id == case.id,
                                                  CaseClient.client_id == member.id))
        if exists is not None:
            raise ValidationError(_("この家族はすでにこのケースに登録されています。"),
                                  field="family")
        s.add(CaseClient(case_id=case.id, client_id=member.id, role="family",
                         relation=relation))
        s.flush()
        audit.record(s, ctx.actor, "people.family.add", "case", [case.id],
                     case_number=case.case_number)
        s.commit()
        return _view(s, ctx.actor, person)
