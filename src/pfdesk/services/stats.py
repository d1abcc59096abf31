"""相談の統計: 実人数, 延べ件数 and 新規 for any period, broken down the way returns ask.

The counting rules (DOMAIN.md) and the decisions this module makes where they are silent:

- A period is a pair of dates, both inclusive; a 年度 runs April to March.
- 実人数 (persons) = distinct persons with at least one non-voided contact in the period:
  cases linked as the same person (``services.people``) count once, across 年度.
- 延べ件数 (contacts) = the number of non-voided contacts in the period.
- 新規 (new persons) = persons whose first non-voided contact *ever*, in any of their
  cases, falls in the period.
- A voided case never counts, nor do any of its contacts or referrals. A voided contact
  never counts, and does not make a case "new" either.
- Person dimensions (``age_band``, ``sex``, ``route``, ``age_sex``) put each person in exactly
  one row; the row's contacts are all of that person's contacts in the period.
  年代 is the age at the person's first contact in the period, from the year and month of
  birth (a year older from the first day of the birth month, so every role counts alike
  while the birth date itself may be sealed); when it is not known (or is later than the
  contact), the case's recorded 年代 is used.
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
from typing import Any

from sqlalchemy import Select, distinct, func, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from pfdesk.core import codes
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import AGE_BANDS, age_band, age_in_month, fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.store.models import Case, CaseClient, Contact, Referral

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


def _age_key(birth_ym: str, on: date, recorded: str) -> str:
    age = age_in_month(birth_ym, on)
    if age is not None:
        return age_band(age)
    return recorded if recorded in dict(AGE_BANDS) else (recorded or "unknown")


class _Tally:
    """Persons, contacts and new persons per key of one dimension."""

    def __init__(self) -> None:
        self.persons: dict[str, int] = defaultdict(int)
        self.contacts: dict[str, int] = defaultdict(int)
        self.new: dict[str, int] = defaultdict(int)

    def add(self, key: str, persons: int, contacts: int, new: int) -> None:
        self.persons[key] += persons
        self.contacts[key] += contacts
        self.new[key] += new

    def breakdown(self, dimension: str, label: str) -> Breakdown:
        items = _items(dimension)
        known = {k for k, _l in items}
        extra = sorted((set(self.persons) | set(self.contacts)) - known)
        rows = [
            BreakdownRow(k, lab, self.persons.get(k, 0), self.contacts.get(k, 0),
                         self.new.get(k, 0))
            for k, lab in items + [(k, k) for k in extra]
        ]
        return Breakdown(dimension, _(label), rows)


def _code(column, default: str):
    """A coded column with "" and NULL read as ``default`` (as ``value or default``)."""
    return func.coalesce(func.nullif(column, ""), default)


def _person_of(case_id):
    """The person a case counts as: its linked person, else the case itself (as -id)."""
    linked = (select(CaseClient.counted_as)
              .where(CaseClient.case_id == case_id, CaseClient.role == "self")
              .scalar_subquery())
    return func.coalesce(linked, -case_id)


def _period_contacts(lo: datetime, hi: datetime) -> Select:
    """The counted contacts of the period: not voided, of a case not voided."""
    # The few voided cases are excluded by id: joining every contact to its case row
    # made SQLite read each case's row (and its search text's overflow pages).
    voided_cases = select(Case.id).where(Case.voided_at.is_not(None))
    return (
        select(Contact.id, Contact.case_id, Contact.occurred_at,
               _code(Contact.method, "unknown").label("method"),
               _code(Contact.requester, "unknown").label("requester"),
               _code(Contact.main_topic, "unknown").label("topic"),
               _person_of(Contact.case_id).label("person"))
        .where(Contact.voided_at.is_(None), Contact.case_id.not_in(voided_cases),
               Contact.occurred_at >= lo, Contact.occurred_at < hi)
    )


def _persons(session: Session, lo: datetime, hi: datetime) -> list:
    """One row per person counted in the period.

    The row holds the person's first contact of the period (its time and codes), how
    many contacts they had, whether they are new, and the case's attributes.
    """
    ranked = _period_contacts(lo, hi).add_columns(
        func.count().over(partition_by=_person_of(Contact.case_id)).label("n"),
        func.row_number().over(partition_by=_person_of(Contact.case_id),
                               order_by=(Contact.occurred_at, Contact.id)).label("rn"),
    ).subquery("ranked")
    earlier = aliased(Contact)
    same_person = aliased(CaseClient)
    # New = the first contact ever falls in the period = no counted contact before it,
    # in this case or in another case of the same person.
    other_cases = (select(same_person.case_id)
                   .where(same_person.counted_as == ranked.c.person, same_person.role == "self")
                   .correlate(ranked))
    # Two EXISTS rather than one with OR: each is answered from the live-contact index
    # (PostgreSQL cannot use an index for "case_id = x OR case_id IN (…)" in a subquery).
    had_earlier = or_(*(
        select(earlier.id)
        .where(same_case, earlier.voided_at.is_(None), earlier.occurred_at < lo)
        .exists()
        for same_case in (earlier.case_id == ranked.c.case_id,
                          earlier.case_id.in_(other_cases))))
    firsts = session.execute(
        select(ranked.c.case_id, ranked.c.n, ranked.c.occurred_at, ~had_earlier,
               ranked.c.method, ranked.c.requester, ranked.c.topic, ranked.c.person)
        .where(ranked.c.rn == 1)
    ).all()
    # The cases' attributes in one pass over their covering index (migration 0004).
    attrs = {r[0]: r[1:] for r in session.execute(
        select(Case.id, _code(Case.sex, "unknown"), _code(Case.route, "unknown"),
               Case.status, Case.age_band, Case.birth_ym)
        .where(Case.voided_at.is_(None)))}
    return [(*f, *attrs[f[0]]) for f in firsts]


def _grouped(session: Session, lo: datetime, hi: datetime) -> list:
    """Contacts and distinct persons per code of each contact dimension and per month.

    Also contacts per month and method; one statement over the period's contacts.
    """
    pc = _period_contacts(lo, hi).cte("pc")
    month = func.substr(pc.c.occurred_at, 1, 7)
    none = literal("")
    people = func.count(distinct(pc.c.person))
    parts = [
        select(literal(dim), key, none, func.count(), people).group_by(key)
        for dim, key in (("method", pc.c.method), ("requester", pc.c.requester),
                         ("topic", pc.c.topic), ("month", month))
    ]
    parts.append(select(literal("month_method"), month, pc.c.method, func.count(), literal(0))
                 .group_by(month, pc.c.method))
    return list(session.execute(union_all(*parts)).all())


def stats_in_session(session: Session, start: date, end: date) -> ConsultationStats:
    """Compute the statistics of ``start``..``end`` inside an open unit of work.

    Counted in SQL: one row per person (first contact of the period, number of contacts,
    new or not) and one grouped statement for the contact dimensions and months; the
    person dimensions are then summed over those rows, the referrals of the period added.
    """
    _check_period(start, end)
    lo = datetime.combine(start, time.min)
    hi = datetime.combine(end + timedelta(days=1), time.min)
    tallies = {dim: _Tally() for dim, _l in DIMENSIONS}
    months: dict[tuple[int, int], dict[str, Any]] = {
        ym: {"new": 0, "persons": 0, "contacts": 0, "methods": {}}
        for ym in period_months(start, end)}

    new_cases: set[int] = set()
    status_counts = {k: 0 for k in codes.CASE_STATUSES.keys()}
    contacts = 0
    persons = _persons(session, lo, hi)
    for (_cid, n, first_at, is_new, method, requester, topic, person, sex, route, status,
         recorded, birth) in persons:
        contacts += n
        new = 1 if is_new else 0
        if new:
            new_cases.add(person)
        age = _age_key(birth, first_at.date(), recorded)
        for dim, key in (("age_band", age), ("sex", sex), ("route", route),
                         ("age_sex", f"{age}.{sex}")):
            tallies[dim].add(key, 1, n, new)
        if new:  # the contact that made the person new counts them as new in its codes
            for dim, key in (("requester", requester), ("method", method), ("topic", topic)):
                tallies[dim].new[key] += 1
            months[(first_at.year, first_at.month)]["new"] += 1
        status_counts[status] = status_counts.get(status, 0) + 1

    for dim, key, key2, n, people in _grouped(session, lo, hi):
        if dim == "month":
            m = months[(int(key[:4]), int(key[5:7]))]
            m["contacts"], m["persons"] = n, people
        elif dim == "month_method":
            months[(int(key[:4]), int(key[5:7]))]["methods"][key2] = n
        else:
            tallies[dim].add(key, people, n, 0)

    ref_tally = tallies["referral_category"]
    referred: dict[str, set[int]] = defaultdict(set)
    for person, category in session.execute(
        select(_person_of(Referral.case_id), Referral.category)
        .join(Case, Case.id == Referral.case_id)
        .where(
            Referral.voided_at.is_(None), Case.voided_at.is_(None),
            Referral.referred_on >= start, Referral.referred_on <= end,
        )
    ):
        ref_tally.contacts[category or "other"] += 1
        referred[category or "other"].add(person)
    for key, ids in referred.items():
        ref_tally.persons[key] = len(ids)
        ref_tally.new[key] = len(ids & new_cases)

    method_keys = codes.METHODS.keys()
    by_month = []
    for (y, mo), m in months.items():
        by_method = {k: m["methods"].get(k, 0) for k in method_keys}
        by_method.update({k: v for k, v in m["methods"].items() if k not in by_method})
        by_month.append(MonthRow(y, mo, m["new"], m["persons"], m["contacts"], by_method))
    return ConsultationStats(
        start=start, end=end, persons=len(persons), contacts=contacts,
        new_persons=len(new_cases),
        by={dim: tallies[dim].breakdown(dim, label) for dim, label in DIMENSIONS},
        by_month=by_month, status_counts=status_counts,
    )


@service(Permission.STATS_READ)
def consultation_stats(ctx: ServiceContext, *, start: date, end: date) -> ConsultationStats:
    """The consultation statistics of ``start``..``end`` (both inclusive).

    For a role that may not identify cases (閲覧者) 秘匿 applies (small counts and what
    would give them away read 「＊」), as the ``small_counts`` setting says.
    """
    from pfdesk.services.small_counts import load_rule, protect_stats

    with ctx.session() as s:
        stats = stats_in_session(s, start, end)
        rule = load_rule(s)
        hidden = rule.enabled and not ctx.actor.can(Permission.CASE_IDENTIFY)
        audit.record(s, ctx.actor, "stats.view", "statistics", [], period=f"{start}..{end}",
                     hidden_small_counts=hidden)
        s.commit()
    if rule.enabled and not ctx.actor.can(Permission.CASE_IDENTIFY):
        return protect_stats(stats, rule)
    return stats


@service(Permission.STATS_READ)
def fiscal_year_stats(ctx: ServiceContext, fy: int) -> ConsultationStats:
    """The consultation statistics of 年度 ``fy`` (April ``fy`` to March ``fy + 1``)."""
    start, end = fiscal_year_range(fy)
    return consultation_stats(ctx, start=start, end=end)


def stats_to_dict(stats: ConsultationStats) -> dict[str, Any]:
    """A JSON-ready dict with stable keys (used by ``pfdesk stats --json``); ＊ where hidden."""
    from pfdesk.services.small_counts import HIDDEN, HiddenCount

    def shown(value: Any) -> Any:
        if isinstance(value, HiddenCount):
            return HIDDEN
        if isinstance(value, dict):
            return {k: shown(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shown(v) for v in value]
        return value

    return shown(_stats_dict(stats))


def _stats_dict(stats: ConsultationStats) -> dict[str, Any]:
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
