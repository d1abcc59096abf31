"""Possibly the same person: existing cases a new intake may belong to.

実人数 counts distinct persons, so a person who comes back should continue (or reopen) their
case instead of getting a second one. Before a new case is saved the form asks for cases that
look like the same person:

- the same reading (ふりがな, folded) and the same birth date, or
- the same name (folded) and the same reading when either birth date is unknown
  (or the same name with the same birth date when no reading was typed).

Matching uses names, so a role that may not identify cases gets no candidates at all. The
ledger import has its own matching rules (台帳番号) and does not use this.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from pfdesk.core import codes
from pfdesk.core.i18n import _
from pfdesk.core.kana import fold
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.masking import can_identify
from pfdesk.store import vault
from pfdesk.store.models import Case

#: What the form is told to type when the name is not known; never a match by itself.
UNKNOWN_NAMES = frozenset({fold("不明"), fold("ふめい"), fold("匿名"), fold("とくめい")})

#: More candidates than this would not be read; the newest are shown.
MAX_CANDIDATES = 20


@dataclass(frozen=True)
class SamePersonCandidate:
    """An existing case that may be the same person, with why it was found."""

    case_id: int
    case_number: str
    intake_date: date
    status: str
    status_label: str
    closed_on: date | None
    name: str
    kana: str
    birth_date: date | None
    reason: str  # 「ふりがなと生年月日が同じ」…


def _usable_name(folded: str) -> bool:
    return bool(folded) and folded not in UNKNOWN_NAMES


def _reason(case: Case, name: str, kana: str, birth_date: date | None) -> str:
    """Why ``case`` may be the new person, or "" when it is not a candidate."""
    same_kana = bool(kana) and fold(case.family_kana + case.given_kana) == kana
    same_name = _usable_name(name) and fold(case.family_name + case.given_name) == name
    if birth_date and case.birth_date:
        if case.birth_date != birth_date:
            return ""
        if same_kana:
            return _("ふりがなと生年月日が同じ")
        if same_name and not kana:
            return _("氏名と生年月日が同じ")
        return ""
    if same_name and fold(case.family_kana + case.given_kana) == kana:
        return _("氏名とふりがなが同じ（生年月日不明）")
    return ""


@service(Permission.CASE_READ)
def possible_same_person(
    ctx: ServiceContext,
    family_kana: str,
    given_kana: str,
    birth_date: date | None,
    family_name: str = "",
    given_name: str = "",
) -> list[SamePersonCandidate]:
    """Existing, not voided cases that may be the person about to be taken in, newest first.

    Returns [] for a role without 本人を特定できる情報の閲覧 (CASE_IDENTIFY): the match itself
    would tell whether a named person has consulted.
    """
    if not can_identify(ctx.actor):
        return []
    kana = fold(f"{family_kana}{given_kana}")
    name = fold(f"{family_name}{given_name}")
    if not (birth_date and (kana or _usable_name(name))) and not _usable_name(name):
        return []
    with ctx.session() as s:
        # Sealed identities (store.vault) cannot be compared in SQL: the month of birth
        # and the opened search texts narrow the cases, the exact comparison is below.
        sealed = vault.session_state(s).active
        wanted = []
        if birth_date and (kana or _usable_name(name)):
            wanted.append(Case.birth_ym == birth_date.strftime("%Y-%m") if sealed
                          else Case.birth_date == birth_date)
        if _usable_name(name):
            # search_text holds the folded name; the exact comparison is made below.
            by_name = Case.id.in_(vault.case_ids_containing(s, [name])) if sealed \
                else func.instr(Case.search_text, name) > 0
            wanted.append(by_name if birth_date is None else (by_name & Case.birth_date.is_(None)))
        rows = s.scalars(
            select(Case)
            .where(Case.voided_at.is_(None), Case.disposed_at.is_(None), or_(*wanted))
            .order_by(Case.intake_date.desc(), Case.id.desc())
        ).all()
        out = []
        for c in rows:
            reason = _reason(c, name, kana, birth_date)
            if not reason:
                continue
            out.append(SamePersonCandidate(
                case_id=c.id, case_number=c.case_number, intake_date=c.intake_date,
                status=c.status, status_label=codes.CASE_STATUSES.label(c.status),
                closed_on=c.closed_on, name=c.full_name,
                kana=f"{c.family_kana}　{c.given_kana}".strip("　"), birth_date=c.birth_date,
                reason=reason,
            ))
            if len(out) >= MAX_CANDIDATES:
                break
        if out:
            # Shown names are a view of personal data; logged as the search it is.
            audit.record(s, ctx.actor, "consultations.case.search", "case",
                         [c.case_id for c in out], purpose="same_person", count=len(out))
            s.commit()
        return out
