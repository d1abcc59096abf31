"""The case list: filters, search and sorting done in SQL, one page of rows at a time.

Search folds the query like the stored ``Case.search_text`` (異体字, kana width, spaces),
so 髙橋 finds 高橋 and ﾀｶﾊｼ finds たかはし; terms of 3+ characters are looked up in the
trigram index (store.search_index), shorter ones with LIKE. Users who may not identify cases match case
numbers only: names and notes are neither shown nor searched for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import SQLColumnExpression, func, select
from sqlalchemy.sql import Select

from pfdesk.core import codes
from pfdesk.core.fiscal import age_band, age_in_month
from pfdesk.core.kana import fold
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.consultations import _common as common
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.masking import can_identify, masked
from pfdesk.store import search_index, vault
from pfdesk.store.models import Case, Consent, Contact, Organization

#: Columns the list may be sorted by.
SORT_KEYS = ("case_number", "intake_date", "name", "status", "lead_staff", "route",
             "last_contact", "sex")


@dataclass(frozen=True)
class CaseFilter:
    """What the filter bar sends; empty values mean "any"."""

    text: str = ""
    status: str = ""  # a CASE_STATUSES key, "open" for 終結以外, or ""
    fiscal_year: int | None = None  # cases with intake in, or a contact in, that 年度
    lead_staff: str = ""
    route: str = ""
    include_voided: bool = False


@dataclass(frozen=True)
class CaseListRow:
    """One line of the case list."""

    id: int
    case_number: str
    intake_date: date
    name: str
    kana: str
    sex: str
    age_band: str
    status: str
    lead_staff: str
    route: str
    route_org_name: str
    last_contact: datetime | None
    consent: bool
    voided: bool


@dataclass(frozen=True)
class CasePage:
    """A page of rows and the number of cases the filter matches."""

    rows: list[CaseListRow]
    total: int


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(q: Select, f: CaseFilter, ident: bool, sealed_ids: list[int] | None = None) -> Select:
    if not f.include_voided:
        q = q.where(Case.voided_at.is_(None))
    if f.status == "open":
        q = q.where(Case.status != "closed")
    elif f.status:
        q = q.where(Case.status == f.status)
    if f.lead_staff:
        q = q.where(Case.lead_staff == f.lead_staff)
    if f.route:
        q = q.where(Case.route == f.route)
    if f.fiscal_year is not None:
        start = datetime(f.fiscal_year, 4, 1)
        end = datetime(f.fiscal_year + 1, 4, 1)
        had_contact = (
            select(Contact.id)
            .where(Contact.case_id == Case.id, Contact.voided_at.is_(None),
                   Contact.occurred_at >= start, Contact.occurred_at < end)
            .exists()
        )
        q = q.where((Case.fiscal_year == f.fiscal_year) | had_contact)
    terms = [t for t in (fold(t) for t in f.text.split()) if t]
    if ident and sealed_ids is not None:
        # Sealed identities (store.vault): the texts were matched after opening them.
        return q.where(Case.id.in_(sealed_ids)) if terms else q
    indexed = [t for t in terms if ident and len(t) >= search_index.MIN_INDEXED]
    if indexed:
        # The trigram index finds the matching cases without reading every case's text.
        # "id + 0" keeps SQLite from fetching each match's row by id (a row holds the long
        # search text: reading voided_at from it walks overflow pages); it scans the
        # covering indexes of migration 0004 instead, whose cost does not grow with the
        # number of matches.
        q = q.where((Case.id + 0).in_(search_index.case_ids_matching(indexed)))
    for term in terms:
        if term in indexed:
            continue
        like = f"%{_escape_like(term)}%"
        if ident:
            q = q.where(Case.search_text.like(like, escape="\\"))
        else:
            q = q.where(func.lower(Case.case_number).like(like, escape="\\"))
    return q


@service(Permission.CASE_READ)
def search_cases(
    ctx: ServiceContext,
    f: CaseFilter = CaseFilter(),
    *,
    sort: str = "case_number",
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
) -> CasePage:
    """One page of the cases matching ``f``, sorted in SQL, and how many match in all."""
    ident = can_identify(ctx.actor)
    if sort == "name" and not ident:
        sort = "case_number"  # the order of names would reveal them
    last = (
        select(Contact.case_id, func.max(Contact.occurred_at).label("last"))
        .where(Contact.voided_at.is_(None))
        .group_by(Contact.case_id)
        .subquery()
    )
    with ctx.session() as s:
        today = common.today_for(s)
        sealed = vault.session_state(s).active
        terms = [t for t in (fold(t) for t in f.text.split()) if t]
        sealed_ids = vault.case_ids_containing(s, terms) if sealed and ident and terms else None
        # A term too short for the trigram index (or any term, for a reader who matches
        # case numbers only) is matched with LIKE, which reads every case: read once for
        # the count and the page together, not once for each.
        scan = sealed_ids is None and any(
            not ident or len(t) < search_index.MIN_INDEXED for t in terms)
        if not scan:
            total = s.scalar(_filtered(select(func.count(Case.id)), f, ident, sealed_ids)) or 0
        orders: dict[str, list[SQLColumnExpression[Any]]] = {
            "case_number": [Case.fiscal_year, Case.serial],
            "intake_date": [Case.intake_date, Case.id],
            "name": [Case.family_kana, Case.given_kana, Case.id],
            "status": [Case.status, Case.id],
            "lead_staff": [Case.lead_staff, Case.id],
            "route": [Case.route, Case.id],
            "last_contact": [last.c.last, Case.id],
            "sex": [Case.sex, Case.id],
        }
        order = orders.get(sort, [Case.fiscal_year, Case.serial])
        if descending:
            order = [c.desc() for c in order]
        # The window of ids is found first, so SQLite sorts narrow rows, not the long
        # search text; only the page's cases are then loaded.
        q = _filtered(select(Case.id), f, ident, sealed_ids)
        if sealed and sort == "name":
            # Sealed readings cannot be ordered in SQL: all matches are ordered here.
            named = list(s.execute(_filtered(
                select(Case.id, Case.family_kana, Case.given_kana), f, ident, sealed_ids)).all())
            named.sort(key=lambda r: (r[1], r[2], r[0]), reverse=descending)
            ids = [r[0] for r in named][max(0, offset):max(0, offset) + max(1, limit)]
        elif sort == "last_contact":
            # Only this order needs every case's last contact; other orders look it up
            # for the page's rows alone, which stays fast with 100,000 contacts.
            q = q.outerjoin(last, last.c.case_id == Case.id)
        if scan:
            every = list(s.scalars(q.order_by(*order)))
            total = len(every)
            ids = every[max(0, offset):max(0, offset) + max(1, limit)]
        elif not (sealed and sort == "name"):
            q = q.order_by(*order).offset(max(0, offset)).limit(max(1, limit))
            ids = list(s.scalars(q))
        # Plain rows of the columns the list shows (no ORM objects: a page is 200 rows).
        loaded = {c.id: c for c in s.execute(
            select(Case.id, Case.case_number, Case.intake_date, Case.family_name,
                   Case.given_name, Case.family_kana, Case.given_kana, Case.sex,
                   Case.birth_ym, Case.age_band, Case.status, Case.lead_staff, Case.route,
                   Case.route_org_id, Case.voided_at).where(Case.id.in_(ids)))} if ids else {}
        cases = [loaded[i] for i in ids]
        lasts = dict(s.execute(
            select(Contact.case_id, func.max(Contact.occurred_at))
            .where(Contact.case_id.in_(ids), Contact.voided_at.is_(None))
            .group_by(Contact.case_id)
        ).all()) if ids else {}
        rows = [(c, lasts.get(c.id)) for c in cases]
        consent_ids = set(s.scalars(
            select(Consent.case_id).where(
                Consent.case_id.in_(ids), Consent.voided_at.is_(None),
                Consent.given_on <= today,
                (Consent.withdrawn_on.is_(None)) | (Consent.withdrawn_on > today),
            )
        ).all()) if ids else set()
        org_ids = {c.route_org_id for c, _l in rows if c.route_org_id}
        orgs = dict(s.execute(
            select(Organization.id, Organization.name).where(Organization.id.in_(org_ids))
        ).all()) if org_ids else {}
        out = [
            CaseListRow(
                id=c.id, case_number=c.case_number, intake_date=c.intake_date,
                name=masked(ctx.actor, f"{c.family_name}　{c.given_name}".strip("　")),
                kana=masked(ctx.actor, f"{c.family_kana}　{c.given_kana}".strip("　")),
                sex=c.sex, age_band=_age_band(c.birth_ym, c.age_band, today),
                status=c.status,
                lead_staff=c.lead_staff, route=c.route,
                route_org_name=orgs.get(c.route_org_id, "") if c.route_org_id else "",
                last_contact=lst,
                consent=c.id in consent_ids, voided=c.voided_at is not None,
            )
            for c, lst in rows
        ]
        if offset == 0:  # a new list or search, not the next page of the same one
            _log_search(s, ctx, f, total, ident)
            s.commit()
    return CasePage(rows=out, total=total)


def _age_band(birth_ym: str, recorded: str, today: date) -> str:
    # As the statistics count it (from the month of birth, readable by every role).
    age = age_in_month(birth_ym, today)
    return age_band(age) if age is not None else (recorded or "unknown")


def _query_kind(text: str) -> str:
    """What was searched for, without saying it: a case number, digits or a name."""
    t = text.strip()
    if not t:
        return ""
    if re.fullmatch(r"[A-Za-zＡ-Ｚａ-ｚ]\d*[-－]?\d*", t):
        return "case_number"
    if re.fullmatch(r"[\d０-９\-－()（）]+", t):
        return "digits"
    return "name_or_text"


def _log_search(s, ctx: ServiceContext, f: CaseFilter, total: int, ident: bool) -> None:
    # The access log records that a search was made and how much it returned; a name
    # typed into the search box is personal data and is not written down.
    audit.record(s, ctx.actor, "consultations.case.search", "consultation_case", [],
                 query=_query_kind(f.text), length=len(f.text.strip()), results=total,
                 status=f.status, fiscal_year=f.fiscal_year or "", lead_staff=bool(f.lead_staff),
                 identified=ident)


def status_label(key: str) -> str:
    """The label of a status filter value, including 「終結以外」."""
    from pfdesk.core.i18n import _

    return _("終結以外") if key == "open" else codes.CASE_STATUSES.label(key)



@service(Permission.CASE_READ)
def working_today(ctx: ServiceContext) -> date:
    """Today for the forms' defaults (the demo store's fixed day in the demo)."""
    with ctx.session() as s:
        return common.today_for(s)
