"""The statistics service counts exactly as DOMAIN.md says, on a hand-counted fixture."""

from __future__ import annotations

from datetime import date

import pytest

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.stats import (
    consultation_stats,
    fiscal_year_stats,
    month_range,
    stats_to_dict,
)
from tests.services import stats_fixture


@pytest.fixture
def fx(ctx):
    with ctx.session() as s:
        stats_fixture.build(s)
    return ctx


def _rows(stats, dim):
    return {r.key: (r.persons, r.contacts, r.new_persons) for r in stats.by[dim].rows}


def test_totals_follow_the_counting_rules(fx):
    st = fiscal_year_stats(fx, 2025)
    assert (st.start, st.end) == (date(2025, 4, 1), date(2026, 3, 31))
    # A (first contact in the previous 年度), B, C; D voided, E only a voided contact
    assert st.persons == 3
    assert st.contacts == 6
    assert st.new_persons == 2


def test_person_dimensions(fx):
    st = fiscal_year_stats(fx, 2025)
    age = _rows(st, "age_band")
    assert age["30s"] == (1, 2, 0)  # A: 34 at 2025-05-01, not new
    assert age["20s"] == (2, 4, 2)  # B (recorded 20s, birth unknown) + C (20 on 2026-03-31)
    assert age["40s"] == (0, 0, 0)  # D is voided
    assert list(age) == ["under10", "10s", "20s", "30s", "40s", "50s", "60s_plus", "unknown"]
    sex = _rows(st, "sex")
    assert sex == {"male": (1, 3, 1), "female": (1, 2, 0), "other": (0, 0, 0),
                   "unknown": (1, 1, 1)}
    cross = _rows(st, "age_sex")
    assert cross["20s.male"] == (1, 3, 1)
    assert cross["20s.unknown"] == (1, 1, 1)
    assert cross["30s.female"] == (1, 2, 0)
    assert sum(v[0] for v in cross.values()) == st.persons
    route = _rows(st, "route")
    assert route["municipal"] == (1, 2, 0)
    assert route["commissioner"] == (1, 3, 1)
    assert route["school"] == (1, 1, 1)


def test_contact_dimensions_count_a_person_once_per_row(fx):
    st = fiscal_year_stats(fx, 2025)
    req = _rows(st, "requester")
    # A: self + family on one day; B: family twice at one moment (the first is its first
    # contact ever, so B is new as family), self once; C: self, new.
    assert req["self"] == (3, 3, 1)
    assert req["family"] == (2, 3, 1)
    method = _rows(st, "method")
    assert method["phone"] == (2, 2, 1)  # A's and B's first (same-moment tie → lower id)
    assert method["email"] == (1, 1, 0)
    assert method["online"] == (1, 1, 1)
    topic = _rows(st, "topic")
    assert topic["withdrawal"] == (2, 2, 1)
    assert topic["job_search"] == (1, 2, 0)
    assert topic["debt"] == (0, 0, 0)  # only on B's voided contact
    assert sum(v[2] for v in topic.values()) == st.new_persons


def test_referrals_in_the_period(fx):
    ref = _rows(fiscal_year_stats(fx, 2025), "referral_category")
    assert ref["hello_work"] == (1, 1, 1)
    assert ref["medical"] == (0, 0, 0)  # one voided, one on a voided case
    assert list(ref)[-1] == "other"


def test_months_and_status(fx):
    st = fiscal_year_stats(fx, 2025)
    assert [(m.year, m.month) for m in st.by_month][0] == (2025, 4)
    assert len(st.by_month) == 12
    by = {(m.year, m.month): m for m in st.by_month}
    assert (by[2025, 5].persons, by[2025, 5].contacts, by[2025, 5].new_persons) == (1, 2, 0)
    assert (by[2025, 6].persons, by[2025, 6].contacts, by[2025, 6].new_persons) == (1, 2, 1)
    assert by[2025, 6].contacts_by_method["email"] == 1
    assert by[2025, 8].contacts == 0  # voided
    assert (by[2026, 3].persons, by[2026, 3].new_persons) == (1, 1)  # 23:30 on the last day
    assert sum(m.contacts for m in st.by_month) == st.contacts
    assert st.status_counts == {"intake": 1, "active": 1, "watch": 1, "closed": 0}


def test_previous_year_first_contact_is_new_then(fx):
    st = fiscal_year_stats(fx, 2024)
    assert (st.persons, st.contacts, st.new_persons) == (1, 1, 1)
    nxt = fiscal_year_stats(fx, 2026)
    assert (nxt.persons, nxt.new_persons) == (1, 1)  # E: its voided contact did not count


def test_a_month_range(fx):
    start, end = month_range("2025-06:2025-07")
    assert (start, end) == (date(2025, 6, 1), date(2025, 7, 31))
    st = consultation_stats(fx, start=start, end=end)
    assert (st.persons, st.contacts, st.new_persons) == (1, 3, 1)
    assert len(st.by_month) == 2
    assert month_range("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))


def test_bad_periods_are_explained(fx):
    with pytest.raises(ValidationError) as e:
        month_range("2026/04-2026/09")
    assert "2026-04:2026-09" in e.value.user_text()
    with pytest.raises(ValidationError):
        consultation_stats(fx, start=date(2026, 4, 1), end=date(2026, 3, 1))


def test_json_has_stable_keys(fx):
    data = stats_to_dict(fiscal_year_stats(fx, 2025))
    assert set(data) == {"period", "persons", "contacts", "new_persons", "by", "by_month",
                         "status_counts"}
    assert data["by"]["sex"]["rows"][1] == {
        "key": "female", "label": "女性", "persons": 1, "contacts": 2, "new_persons": 0}


def test_stats_need_permission(store):
    nobody = ServiceContext(store=store, actor=Actor("x", "x", "nobody"))
    with pytest.raises(PermissionDenied):
        fiscal_year_stats(nobody, 2025)
    viewer = ServiceContext(store=store, actor=Actor("v", "閲覧者", "viewer"))
    assert fiscal_year_stats(viewer, 2025).persons == 0
