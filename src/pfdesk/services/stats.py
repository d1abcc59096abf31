"""相談の統計: 実人数, 延べ件数 and 新規 for any period, broken down the way returns ask.

The counting rules (DOMAIN.md) and the decisions this module makes where they are silent:

- A period is a pair of dates, both inclusive; a 年度 runs April to March.
- 実人数 (persons) = distinct cases with at least one non-voided contact in the period.
- 延べ件数 (contacts) = the number of non-voided contacts in the period.
- 新規 (new persons) = cases whose first non-voided contact *ever* falls in the period.
- A voided case never counts, nor do any of its contacts or referrals. A voided contact
  never counts, and does not make a case "new" either.
- Person dimensions (``age_band``, ``sex``, ``route``, ``age_sex``) put each person in exactly
  one row; the row's contacts are all of that person's contacts in the period.
  年代 is the age at the person's first contact in the period, from the birth date; when the
  birth date is not known (or is later than the contact), the case's recorded 年代 is used.
- Contact dimensions (``requester``, ``method``, ``topic``) count each contact in the row of
  its own code (``topic`` uses the contact's main topic). A person counts once in each row
  they had a contact in, so persons over the rows may add up to more than 実人数. 新規 in a
  contact dimension is counted from the person's very first contact (the one that made
  them new), so 新規 over the rows adds up to the 新規 total.
- ``referral_category`` counts referrals (つなぎ) made in the period: ``contacts`` is the number
  of referrals, ``persons`` the distinct persons referred, ``new_persons`` those of them
  who are new in the period.
- ``status_counts`` is the current status of each person counted in the period.
- Rows come in code-list order including zero rows; a stored key that is not in the code
  list gets a row of its own at the end, so nothing is ever dropped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypedDict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import AGE_BANDS, age_band, age_on, fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext, service
from pfdesk.store.models import Case, Contact, Referral

#: Dimensions in the order they are shown: (key, Japanese name).
DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("age_band", "年代"),
    ("sex", "性別"),
    ("age_sex", "年代×性別"),
    ("requester", "相談者区分"),
    ("method", "方法"),
    ("topic", "相談内容（主）"),
    ("route", "相談経路"),
    ("referral_category", "つなぎ先区分"),
)


def _items(dimension: str) -> list[tuple[str, str]]:
    """The (key, label) rows of ``dimension`` in code-list order."""
    if dimension == "age_band":
        return [(k, _(v)) for k, v in AGE_BANDS]
    if dimension == "age_sex":
        return [
            (f"{a}.{s}", f"{_(al)}・{sl}") for a, al in AGE_BANDS for s, sl in codes.SEXES
        ]
    lists = {
        "sex": codes.SEXES, "requester": codes.REQUESTERS, "method": codes.METHODS,
        "topic": codes.TOPICS, "route": codes.ROUTES,
        "referral_category": codes.REFERRAL_CATEGORIES,
    }
    return list(lists[dimension])


@dataclass(frozen=True)
class BreakdownRow:
    """One row of a breakdown: a code and its 実人数, 延べ件数 and 新規."""

    key: str
    label: str
    persons: int
    contacts: int
    new_persons: int


@dataclass(frozen=True)
class Breakdown:
    """The figures of one dimension (年代, 性別 …), one row per code."""

    dimension: str
    label: str
    rows: list[BreakdownRow]

    def row(self, key: str) -> BreakdownRow:
        """The row of ``key`` (a zero row when the key has none)."""
        for r in self.rows:
            if r.key == key:
                return r
        return BreakdownRow(key, key, 0, 0, 0)


@dataclass(frozen=True)
class MonthRow:
    """The figures of one calendar month of the period."""

    year: int
    month: int
    new_persons: int
    persons: int
    contacts: int
    contacts_by_method: dict[str, int]


@dataclass(frozen=True)
class ConsultationStats:
    """All consultation figures of one period (see the module docstring for the rules)."""

    start: date
    end: date
    persons: int  # 実人数
    contacts: int  # 延べ件数
    new_persons: int  # 新規
    by: dict[str, Breakdown] = field(default_factory=dict)
    by_month: list[MonthRow] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)


def period_months(start: date, end: date) -> list[tuple[int, int]]:
    """The calendar months touched by the period, in order."""
    months = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def month_range(text: str) -> tuple[date, date]:
    """Read ``2026-04:2026-09`` (or one month ``2026-04``) as the first and last day."""
    raw = (text or "").strip().replace("～", ":").replace("〜", ":")
    parts = [p.strip() for p in raw.split(":")]
    if len(parts) == 1:
        parts = parts * 2
    try:
        if len(parts) != 2:
            raise ValueError(raw)
        (y1, m1), (y2, m2) = (tuple(int(x) for x in p.split("-")) for p in parts)
        start = date(y1, m1, 1)
        last = date(y2 + (m2 == 12), m2 % 12 + 1, 1) - timedelta(days=1)
    except ValueError:
        raise ValidationError(
            _("月の範囲「{text}」を読み取れません。").format(text=text),
            field="months", hint=_("「2026-04:2026-09」のように 年-月:年-月 で指定してください。"),
        ) from None
    if last < start:
        raise ValidationError(
            _("月の範囲「{text}」は終わりが始まりより前です。").format(text=text), field="months"
        )
    return start, last


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError(
            _("期間の終わり（{end}）が始まり（{start}）より前です。").format(
                start=start.isoformat(), end=end.isoformat()
            ),
            field="period",
        )


def _age_key(birth: date | None, on: date, recorded: str) -> str:
    if birth is not None and birth <= on:
        return age_band(age_on(birth, on))
    return recorded if recorded in dict(AGE_BANDS) else (recorded or "unknown")


class _Month(TypedDict):
    """One month's new persons, persons, contacts and contacts per method."""

    new: set[int]
    persons: set[int]
    contacts: int
    methods: dict[str, int]


class _Tally:
    """Persons, contacts and new persons per key of one dimension."""

    def __init__(self) -> None:
        self.persons: dict[str, set[int]] = defaultdict(set)
        self.contacts: dict[str, int] = defaultdict(int)
        self.new: dict[str, set[int]] = defaultdict(set)

    def breakdown(self, dimension: str, label: str) -> Breakdown:
        items = _items(dimension)
        known = {k for k, _l in items}
        extra = sorted((set(self.persons) | set(self.contacts)) - known)
        rows = [
            BreakdownRow(k, lab, len(self.persons.get(k, ())), self.contacts.get(k, 0),
                         len(self.new.get(k, ())))
            for k, lab in items + [(k, k) for k in extra]
        ]
        return Breakdown(dimension, _(label), rows)


def stats_in_session(session: Session, start: date, end: date) -> ConsultationStats:
    """Compute the statistics of ``start``..``end`` inside an open unit of work.

    Two queries (contacts of the period with their case's coded attributes and first
    contact ever; referrals of the period), then aggregation in Python.
    """
    _check_period(start, end)
    lo = datetime.combine(start, time.min)
    hi = datetime.combine(end + timedelta(days=1), time.min)
    first = (
        select(Contact.case_id, func.min(Contact.occurred_at).label("first_at"))
        .join(Case, Case.id == Contact.case_id)
        .where(Contact.voided_at.is_(None), Case.voided_at.is_(None))
        .group_by(Contact.case_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Contact.case_id, Contact.occurred_at, Contact.method, Contact.requester,
            Contact.main_topic, Case.sex, Case.age_band, Case.birth_date, Case.route,
            Case.status, first.c.first_at,
        )
        .join(Case, Case.id == Contact.case_id)
        .join(first, first.c.case_id == Contact.case_id)
        .where(
            Contact.voided_at.is_(None), Case.voided_at.is_(None),
            Contact.occurred_at >= lo, Contact.occurred_at < hi,
        )
        .order_by(Contact.case_id, Contact.occurred_at, Contact.id)
    ).all()

    tallies = {dim: _Tally() for dim, _l in DIMENSIONS}
    person_attrs: dict[int, dict[str, str]] = {}
    new_cases: set[int] = set()
    status: dict[int, str] = {}
    months: dict[tuple[int, int], _Month] = {
        ym: {"new": set(), "persons": set(), "contacts": 0, "methods": defaultdict(int)}
        for ym in period_months(start, end)
    }
    per_case: dict[int, int] = defaultdict(int)
    for r in rows:
        cid = r.case_id
        # Rows are ordered by (time, id) within a case, so for a new case the first row of
        # the case is its first contact ever, even when several share one timestamp.
        is_first_contact = False
        if cid not in person_attrs:
            age = _age_key(r.birth_date, r.occurred_at.date(), r.age_band)
            sex = r.sex or "unknown"
            person_attrs[cid] = {
                "age_band": age, "sex": sex, "route": r.route or "unknown",
                "age_sex": f"{age}.{sex}",
            }
            status[cid] = r.status
            if lo <= r.first_at < hi:
                new_cases.add(cid)
                is_first_contact = True
        per_case[cid] += 1
        method = r.method or "unknown"
        for dim, key in (("requester", r.requester or "unknown"), ("method", method),
                         ("topic", r.main_topic or "unknown")):
            t = tallies[dim]
            t.persons[key].add(cid)
            t.contacts[key] += 1
            if is_first_contact:
                t.new[key].add(cid)
        m = months[(r.occurred_at.year, r.occurred_at.month)]
        m["persons"].add(cid)
        m["contacts"] += 1
        m["methods"][method] += 1
        if is_first_contact:
            m["new"].add(cid)
    # person dimensions: one row per person, carrying all of that person's contacts
    for cid, attrs in person_attrs.items():
        n, is_new = per_case[cid], cid in new_cases
        for dim, key in attrs.items():
            t = tallies[dim]
            t.persons[key].add(cid)
            t.contacts[key] += n
            if is_new:
                t.new[key].add(cid)

    ref_tally = tallies["referral_category"]
    for case_id, category in session.execute(
        select(Referral.case_id, Referral.category)
        .join(Case, Case.id == Referral.case_id)
        .where(
            Referral.voided_at.is_(None), Case.voided_at.is_(None),
            Referral.referred_on >= start, Referral.referred_on <= end,
        )
    ):
        key = category or "other"
        ref_tally.persons[key].add(case_id)
        ref_tally.contacts[key] += 1
        if case_id in new_cases:
            ref_tally.new[key].add(case_id)

    method_keys = codes.METHODS.keys()
    by_month = []
    for (y, mo), m in months.items():
        by_method = {k: m["methods"].get(k, 0) for k in method_keys}
        by_method.update({k: v for k, v in m["methods"].items() if k not in by_method})
        by_month.append(MonthRow(y, mo, len(m["new"]), len(m["persons"]), m["contacts"],
                                 by_method))
    status_counts = {k: 0 for k in codes.CASE_STATUSES.keys()}
    for st in status.values():
        status_counts[st] = status_counts.get(st, 0) + 1
    return ConsultationStats(
        start=start, end=end, persons=len(person_attrs), contacts=len(rows),
        new_persons=len(new_cases),
        by={dim: tallies[dim].breakdown(dim, label) for dim, label in DIMENSIONS},
        by_month=by_month, status_counts=status_counts,
    )


@service(Permission.STATS_READ)
def consultation_stats(ctx: ServiceContext, *, start: date, end: date) -> ConsultationStats:
    """The consultation statistics of ``start``..``end`` (both inclusive)."""
    with ctx.session() as s:
        return stats_in_session(s, start, end)


@service(Permission.STATS_READ)
def fiscal_year_stats(ctx: ServiceContext, fy: int) -> ConsultationStats:
    """The consultation statistics of 年度 ``fy`` (April ``fy`` to March ``fy + 1``)."""
    start, end = fiscal_year_range(fy)
    return consultation_stats(ctx, start=start, end=end)


def stats_to_dict(stats: ConsultationStats) -> dict[str, Any]:
    """A JSON-ready dict with stable keys (used by ``pfdesk stats --json``)."""
    return {
        "period": {"start": stats.start.isoformat(), "end": stats.end.isoformat()},
        "persons": stats.persons,
        "contacts": stats.contacts,
        "new_persons": stats.new_persons,
        "by": {
            dim: {
                "label": b.label,
                "rows": [
                    {"key": r.key, "label": r.label, "persons": r.persons,
                     "contacts": r.contacts, "new_persons": r.new_persons}
                    for r in b.rows
                ],
            }
            for dim, b in stats.by.items()
        },
        "by_month": [
            {"year": m.year, "month": m.month, "new_persons": m.new_persons,
             "persons": m.persons, "contacts": m.contacts,
             "contacts_by_method": dict(m.contacts_by_method)}
            for m in stats.by_month
        ],
        "status_counts": dict(stats.status_counts),
    }
