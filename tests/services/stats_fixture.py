"""A small hand-countable set of cases, contacts and referrals, built through the models.

FY2025 (令和7年度, 2025-04-01 .. 2026-03-31) by hand:

- case A (R6-0001): woman, born 1990-06-15; first contact 2025-02-10 (previous 年度), then
  2025-05-01 phone/self/withdrawal and 2025-05-01 visit_office/family/family (two on one
  day). Age at first contact of the period (2025-05-01) = 34 → 30s. Not new.
- case B (R7-0001): man, birth unknown, recorded 年代 20s; contacts 2025-06-03 10:00
  phone/family/withdrawal (first ever), 2025-06-03 10:00 email/family/job_search (same
  moment, higher id), 2025-07-10 home_visit/self/job_search, one voided contact 2025-08-01.
  New. Referral to hello_work 2025-07-15; a voided referral to medical.
- case C (R7-0002): sex unknown, born 2006-03-31; contact 2026-03-31 23:30 online/self/
  health → age 20 → 20s, route school. New.
- case D: voided case with two contacts in the period — never counted.
- case E: woman, born 1960-01-01, only a voided contact in the period → not counted;
  its first non-voided contact is 2026-04-02 (next 年度).

Totals: 実人数 3 (A, B, C), 延べ件数 6 (A 2, B 3, C 1), 新規 2 (B, C).
"""

from __future__ import annotations

import json
from datetime import date, datetime

from pfdesk.store.models import Case, Contact, Referral

VOID = datetime(2025, 12, 1)


def _case(n: str, fy: int, serial: int, **kw) -> Case:
    base = dict(
        case_number=n, fiscal_year=fy, serial=serial, intake_date=date(fy, 4, 10),
        family_name="試験", given_name=f"太郎{serial}", route="direct", status="active",
    )
    base.update(kw)
    return Case(**base)


def _contact(case: Case, at: datetime, method: str, requester: str, topic: str, **kw) -> Contact:
    return Contact(
        case=case, occurred_at=at, method=method, requester=requester,
        main_topic=topic, topics_json=json.dumps([topic]), body="記録本文", **kw,
    )


def build(session) -> dict[str, Case]:
    """Add the fixture to ``session`` and commit; returns the cases by letter."""
    a = _case("R6-0001", 2024, 1, sex="female", birth_date=date(1990, 6, 15),
              route="municipal", status="watch")
    b = _case("R7-0001", 2025, 1, sex="male", age_band="20s", route="commissioner")
    c = _case("R7-0002", 2025, 2, sex="unknown", birth_date=date(2006, 3, 31),
              route="school", status="intake")
    d = _case("R7-0003", 2025, 3, sex="male", age_band="40s", voided_at=VOID,
              void_reason="重複登録")
    e = _case("R7-0004", 2025, 4, sex="female", birth_date=date(1960, 1, 1))
    session.add_all([a, b, c, d, e])
    session.flush()
    rows = [
        _contact(a, datetime(2025, 2, 10, 9), "phone", "family", "withdrawal"),
        _contact(a, datetime(2025, 5, 1, 9), "phone", "self", "withdrawal"),
        _contact(a, datetime(2025, 5, 1, 15), "visit_office", "family", "family"),
        _contact(b, datetime(2025, 6, 3, 10), "phone", "family", "withdrawal"),
    ]
    session.add_all(rows)
    session.flush()  # the same-moment contact below gets the higher id
    session.add_all([
        _contact(b, datetime(2025, 6, 3, 10), "email", "family", "job_search"),
        _contact(b, datetime(2025, 7, 10, 14), "home_visit", "self", "job_search"),
        _contact(b, datetime(2025, 8, 1, 14), "phone", "self", "debt", voided_at=VOID,
                 void_reason="別ケースに入力"),
        _contact(c, datetime(2026, 3, 31, 23, 30), "online", "self", "health"),
        _contact(d, datetime(2025, 9, 1, 10), "phone", "self", "health"),
        _contact(d, datetime(2025, 9, 2, 10), "phone", "self", "health"),
        _contact(e, datetime(2025, 10, 1, 10), "phone", "self", "care", voided_at=VOID),
        _contact(e, datetime(2026, 4, 2, 10), "phone", "self", "care"),
        Referral(case=b, category="hello_work", referred_on=date(2025, 7, 15)),
        Referral(case=b, category="medical", referred_on=date(2025, 7, 16), voided_at=VOID),
        Referral(case=d, category="medical", referred_on=date(2025, 9, 3)),
    ])
    session.commit()
    return {"A": a, "B": b, "C": c, "D": d, "E": e}

