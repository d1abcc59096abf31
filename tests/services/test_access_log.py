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


def test_reading_a_meeting_and_its_minutes_is_logged_with_the_cases_shown(demo_ctx):
    from sqlalchemy import select

    from pfdesk.services.meetings.meetings import get_meeting
    from pfdesk.services.meetings.minutes import get_minutes
    from pfdesk.store.models import AgendaItem

    with demo_ctx.session() as s:
        item = s.scalars(select(AgendaItem).where(AgendaItem.case_id.is_not(None))).first()
        meeting_id, case_id = item.meeting_id, item.case_id
    get_meeting(demo_ctx, meeting_id)
    get_minutes(demo_ctx, meeting_id)
    assert _entries(demo_ctx, "meetings.meeting.view")
    [minutes] = _entries(demo_ctx, "meetings.minutes.view")
    assert minutes.target_ids == str(meeting_id)
    # 「このケースを見た人」 finds the reading of minutes that discussed the case.
    about = search_audit(demo_ctx, AuditFilter(case_id=case_id)).entries
    assert any(e.action == "meetings.minutes.view" for e in about)


def test_statistics_are_logged(demo_ctx):
    from pfdesk.services.stats import fiscal_year_stats

    fiscal_year_stats(demo_ctx, 2025)
    [entry] = _entries(demo_ctx, "stats.view")
    assert "2025-04-01..2026-03-31" in entry.detail
