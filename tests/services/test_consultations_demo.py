"""The demo town's consultations look like three real 年度 of work."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import func, select

from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.services.demo import DEMO_TODAY, DemoBuild
from pfdesk.store.models import Case, Consent, Contact, Referral


def test_demo_has_three_years_of_cases_with_every_kind_of_record(demo_ctx):
    with demo_ctx.session() as s:
        n_cases = s.scalar(select(func.count(Case.id)))
        n_contacts = s.scalar(select(func.count(Contact.id)))
        years = set(s.scalars(select(Case.fiscal_year).distinct()))
        assert 250 <= n_cases <= 350 and 2500 <= n_contacts <= 4000
        assert years == {2024, 2025, 2026}
        assert s.scalar(select(func.max(Contact.occurred_at))).date() <= DEMO_TODAY
        assert s.scalar(select(func.count()).where(Case.voided_at.is_not(None))) >= 1
        assert s.scalar(select(func.count()).where(Contact.voided_at.is_not(None))) >= 5
        assert s.scalar(select(func.count()).where(Case.birth_date.is_(None))) >= 5
        assert s.scalar(select(func.count()).where(Case.status == "closed")) >= 50
        assert s.scalar(select(func.count()).where(Case.close_reason != "")) >= 50
        assert s.scalar(select(func.count()).where(Consent.scope_all.is_(True))) >= 20
        assert s.scalar(select(func.count()).where(Consent.scope_all.is_(False))) >= 10
        assert s.scalar(select(func.count()).where(Consent.withdrawn_on.is_not(None))) >= 1
        assert s.scalar(select(func.count()).where(Referral.organization_id.is_not(None))) >= 1
        # Someone who first called in one 年度 and was still being seen in the next.
        first = (select(Contact.case_id, func.min(Contact.occurred_at).label("f"),
                        func.max(Contact.occurred_at).label("l"))
                 .group_by(Contact.case_id).subquery())
        assert s.scalar(select(func.count()).where(
            first.c.f < date(2025, 4, 1), first.c.l >= date(2025, 4, 1))) >= 10
    names = {r.name.split("　")[0] for r in search_cases(demo_ctx, CaseFilter(text="高橋"),
                                                         limit=500).rows}
    assert names == {"高橋", "髙橋"}


def test_the_demo_step_is_deterministic_and_scales(store):
    from pfdesk.services.demo import consultations

    def build(scale):
        with store.session() as s:
            demo = DemoBuild(session=s, rng=random.Random(1), scale=scale, today=DEMO_TODAY)
            consultations.generate(demo)
            numbers = s.scalars(select(Case.case_number).order_by(Case.id)).all()
            ids = demo.shared["case_ids"]
            s.rollback()
        return numbers, ids

    a, ids = build(1)
    b, _ids = build(1)
    assert a == b and len(ids) == len(a) == 300
    assert len(build(2)[0]) == 600
