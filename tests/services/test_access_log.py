"""The access log: searches (without the name searched for) and every refused attempt."""

from __future__ import annotations

import pytest

from pfdesk.core.errors import PermissionDenied
from pfdesk.services.audit_log import AuditFilter, search_audit
from pfdesk.services.consultations.cases import get_case
from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.services.context import Actor


def _entries(ctx, action):
    return search_audit(ctx, AuditFilter(action=action)).entries


def test_a_search_is_logged_with_its_result_count_but_not_the_name(demo_ctx):
    page = search_cases(demo_ctx, CaseFilter(text="吉田"))
    [entry] = _entries(demo_ctx, "consultations.case.search")
    assert f"{page.total}" in entry.detail
    assert "吉田" not in entry.detail  # a name typed into the box is not written down
    search_cases(demo_ctx, CaseFilter(text="吉田"), offset=200)  # the next page: same search
    assert len(_entries(demo_ctx, "consultations.case.search")) == 1


def test_a_refused_attempt_is_logged_with_who_and_what(demo_ctx):
    viewer = demo_ctx.acting_as(Actor("iin", "委員", "viewer"))
    with pytest.raises(PermissionDenied):
        get_case(viewer, 1)
    [entry] = _entries(demo_ctx, "auth.denied")
    assert entry.user_name == "iin"
    assert "consultations.cases.get_case" in entry.detail and "case.read" in entry.detail
    assert entry.action_label == "権限のない操作の試み"


def test_who_looked_at_a_case_includes_prints_and_exports_that_carried_it(ctx):
    from pfdesk.services import audit

    staff = Actor("tanto", "担当", "staff")
    with ctx.session() as s:
        audit.record(s, staff, "consultations.case.view", "case", [16])
        audit.record(s, staff, "print.packet", "meeting", [3], cases=[16, 24])
        audit.record(s, staff, "print.packet", "meeting", [4], cases=[160, 2416])
        audit.record(s, staff, "consultations.case.view", "case", [161])
        s.commit()
    seen = search_audit(ctx, AuditFilter(case_id=16)).entries
    assert sorted(e.action for e in seen) == ["consultations.case.view", "print.packet"]
    assert [e.target_ids for e in seen if e.action == "print.packet"] == ["3"]
