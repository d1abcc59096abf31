"""Statistics counted in SQL give exactly the figures of a plain recount in Python.

The recount below is the earlier implementation (every contact of the period loaded and
tallied one by one); it is kept here as the reference the GROUP BY version must match on
the demo town, for whole 年度, single months and odd periods.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import TypedDict

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pfdesk.core import codes
from pfdesk.services.stats import (
    DIMENSIONS,
    Breakdown,
    BreakdownRow,
    ConsultationStats,
    MonthRow,
    _age_key,
    _check_period,
    _items,
    period_months,
    stats_in_session,
)
from pfdesk.store.models import Case, Contact, Referral


def _(text: str) -> str:
    from pfdesk.core.i18n import _ as translate

    return translate(text)


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


def reference_stats(session: Session, start: date, end: date) -> ConsultationStats:
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
            Contact.main_topic, Case.sex, Case.age_band, Case.birth_ym, Case.route,
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
            age = _age_key(r.birth_ym, r.occurred_at.date(), r.age_band)
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



PERIODS = [
    (date(2024, 4, 1), date(2025, 3, 31)),
    (date(2025, 4, 1), date(2026, 3, 31)),
    (date(2026, 4, 1), date(2027, 3, 31)),
    (date(2025, 6, 1), date(2025, 6, 30)),
    (date(2024, 3, 15), date(2024, 5, 10)),
    (date(2025, 12, 31), date(2026, 1, 1)),
    (date(2030, 1, 1), date(2030, 1, 31)),
]


@pytest.mark.parametrize("start,end", PERIODS, ids=lambda d: d.isoformat())
def test_sql_counting_matches_the_recount_on_the_demo_town(demo_store, start, end):
    with demo_store.session() as s:
        assert stats_in_session(s, start, end) == reference_stats(s, start, end)


def test_the_demo_year_counts_something_in_every_dimension(demo_store):
    with demo_store.session() as s:
        stats = stats_in_session(s, date(2025, 4, 1), date(2026, 3, 31))
    assert stats.persons > 100 and stats.contacts > stats.persons and stats.new_persons
    for dim, _label in DIMENSIONS:
        assert sum(r.persons for r in stats.by[dim].rows) > 0, dim
