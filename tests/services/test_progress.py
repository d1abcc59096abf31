"""進行管理台帳: every open case for a 実務者会議, identity by legal basis, findings."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.services.consultations import timeline
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.progress import findings, ledger
from pfdesk.services.progress.findings import FindingInput
from pfdesk.services.support import plans, reviews
from pfdesk.store.models import Body, Case, Meeting


def _text(path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(path).pages))


def _latest_practitioners(ctx) -> int:
    with ctx.session() as s:
        return s.scalar(select(Meeting.id).join(Body).where(
            Body.kind == "practitioners", Meeting.status == "held")
            .order_by(Meeting.held_on.desc()).limit(1))


def _open_cases(ctx) -> list[Case]:
    with ctx.session() as s:
        return list(s.scalars(select(Case).where(Case.voided_at.is_(None),
                                                 Case.status != "closed")))


def test_the_ledger_lists_every_open_case_once(demo_ctx, tmp_path):
    mid = _latest_practitioners(demo_ctx)
    led = ledger.progress_ledger(demo_ctx, mid)
    open_ids = {c.id for c in _open_cases(demo_ctx)}
    assert len(led.lines) == len(open_ids) > 50
    assert {ln.case_id for ln in led.lines} == open_ids
    pages, count = ledger.print_progress(demo_ctx, mid, tmp_path / "p.pdf")
    assert count == len(open_ids) and pages >= 2
    assert f"終結していないケース{count}件" in _text(tmp_path / "p.pdf")


def test_names_only_where_the_meeting_may_see_them_and_never_for_a_viewer(demo_ctx, tmp_path):
    mid = _latest_practitioners(demo_ctx)
    cases = {c.id: c for c in _open_cases(demo_ctx)}
    led = ledger.progress_ledger(demo_ctx, mid)
    named = [ln for ln in led.lines if ln.name]
    unnamed = [ln for ln in led.lines if not ln.name]
    assert unnamed, "a 実務者会議 without consent sees no names"
    # A name appears only for a case whose consent covers the meeting (checked per case).
    from pfdesk.services.entitlement import meeting_level

    with demo_ctx.session() as s:
        meeting = s.get(Meeting, mid)
        for ln in named:
            assert meeting_level(s, meeting, ln.case_id) == "consented"
    ledger.print_progress(demo_ctx, mid, tmp_path / "staff.pdf")
    text = _text(tmp_path / "staff.pdf")
    shown = {re.sub(r"\s+", "", ln.name) for ln in named}  # the same name on a consented case
    for ln in unnamed:
        c = cases[ln.case_id]
        name = c.family_name + c.given_name
        assert name in shown or name not in text
    viewer = demo_ctx.acting_as(Actor("v", "閲覧者", "viewer"))
    ledger.print_progress(viewer, mid, tmp_path / "viewer.pdf")
    vtext = _text(tmp_path / "viewer.pdf")
    for c in cases.values():
        name = c.family_name + c.given_name
        assert len(name) < 2 or name not in vtext
    assert "R8-" not in vtext and "ケースA" in vtext  # a viewer reads no case numbers either


def test_findings_reach_the_timeline_and_set_the_next_review(demo_ctx):
    mid = _latest_practitioners(demo_ctx)
    with demo_ctx.session() as s:
        held_on = s.get(Meeting, mid).held_on
    a, b = [c.id for c in _open_cases(demo_ctx)][:2]
    n = findings.record_findings(demo_ctx, mid, [
        FindingInput(a, "revise", "計画を見直す", date(held_on.year + 1, 1, 20)),
        FindingInput(b, "support_meeting")])
    assert n == 2
    entries = [e for e in timeline.case_timeline(demo_ctx, a) if "進行管理" in e.title]
    assert entries and entries[-1].title.endswith("進行管理：見直し")
    assert "計画を見直す" in entries[-1].detail
    assert reviews.case_next_review(demo_ctx, a) == date(held_on.year + 1, 1, 20)
    led = ledger.progress_ledger(demo_ctx, mid)
    line = next(ln for ln in led.lines if ln.case_id == a)
    assert line.finding_label == "見直し" and line.finding_next == date(held_on.year + 1, 1, 20)
    # Correcting the finding replaces it (one per meeting and case).
    findings.record_findings(demo_ctx, mid, [FindingInput(a, "continue")])
    line = next(ln for ln in ledger.progress_ledger(demo_ctx, mid).lines if ln.case_id == a)
    assert line.finding_label == "継続"


def test_overdue_review_dates_are_marked(ctx, tmp_path):
    from tests.printing_fixtures import build_meeting

    mid = build_meeting(ctx.store, kind="practitioners").meeting_id  # held 2026-12-10
    case = _open_cases(ctx)[0]
    plans.save_plan(ctx, case.id, plans.PlanInput(
        made_on=max(case.intake_date, date(2026, 6, 1)), review_on=date(2026, 11, 1),
        goals=(plans.GoalInput("short", "外出"),)))
    led = ledger.progress_ledger(ctx, mid)
    line = next(ln for ln in led.lines if ln.case_id == case.id)
    assert line.overdue and led.overdue_count >= 1
    ledger.print_progress(ctx, mid, tmp_path / "o.pdf")
    assert "【期限切れ】" in _text(tmp_path / "o.pdf")


def test_only_bodies_that_review_cases_and_rights_are_checked(demo_ctx, tmp_path):
    with demo_ctx.session() as s:
        plenary = s.scalar(select(Meeting).join(Body).where(Body.kind == "plenary"))
        mid, body_id = plenary.id, plenary.body_id
    with pytest.raises(ValidationError) as e:
        ledger.print_progress(demo_ctx, mid, tmp_path / "x.pdf")
    assert "進行管理" in e.value.message and not (tmp_path / "x.pdf").exists()
    findings.set_reviews_cases(demo_ctx, body_id, True)
    assert ledger.progress_ledger(demo_ctx, mid).lines
    with pytest.raises(ValidationError):
        ledger.print_progress(demo_ctx, mid, tmp_path / "x.xlsx")
    viewer = ServiceContext(demo_ctx.store, Actor("v", "閲覧者", "viewer"))
    with pytest.raises(PermissionDenied):
        findings.record_findings(viewer, mid, [])


def test_the_demo_town_carries_the_cycle_and_a_round_on_each_practitioners_meeting(demo_ctx):
    from pfdesk.store.models import Assessment, CaseFinding, PlanReview, SupportPlan

    with demo_ctx.session() as s:
        held = s.scalars(select(Meeting).join(Body).where(
            Body.kind == "practitioners", Meeting.status == "held")).all()
        assert held
        for m in held:
            assert s.scalar(select(CaseFinding.id).where(CaseFinding.meeting_id == m.id))
        bases = set(s.scalars(select(Assessment.basis)))
        assert "family_only" in bases
        assert s.scalar(select(SupportPlan.id).where(SupportPlan.version == 2))
        assert s.scalar(select(PlanReview.id))
    mid = _latest_practitioners(demo_ctx)
    led = ledger.progress_ledger(demo_ctx, mid)
    found = [ln for ln in led.lines if ln.finding]
    assert found and led.overdue_count > 0
    entries = timeline.case_timeline(demo_ctx, found[0].case_id)
    assert any(e.title.endswith("進行管理：" + found[0].finding_label) for e in entries)


def test_the_minutes_carry_a_line_per_case_and_the_packet_the_ledger(demo_ctx, tmp_path):
    from pfdesk.services.meetings import agenda
    from pfdesk.services.printing import print_meeting_document
    from pfdesk.store.models import AgendaItem, CaseFinding

    mid = _latest_practitioners(demo_ctx)
    with demo_ctx.session() as s:
        n = len(s.scalars(select(CaseFinding.id).where(CaseFinding.meeting_id == mid)).all())
        item_id = s.scalar(select(AgendaItem.id).where(AgendaItem.meeting_id == mid))
    print_meeting_document(demo_ctx, mid, "minutes", tmp_path / "m.pdf")
    text = _text(tmp_path / "m.pdf")
    assert "ケースの進行管理（ケースごとの所見）" in text
    assert f"終結していないケース{n}件を確認した" in text
    assert text.count("次回確認") == n  # one line per case

    agenda.add_generated_material(demo_ctx, item_id, "progress")
    print_meeting_document(demo_ctx, mid, "packet", tmp_path / "p.pdf")
    assert "進行管理台帳" in _text(tmp_path / "p.pdf")
    viewer = demo_ctx.acting_as(Actor("v", "閲覧者", "viewer"))
    print_meeting_document(viewer, mid, "packet", tmp_path / "v.pdf")
    vtext = _text(tmp_path / "v.pdf")
    assert "進行管理台帳" in vtext
    for c in _open_cases(demo_ctx):
        name = c.family_name + c.given_name
        assert len(name) < 2 or name not in vtext


def test_the_ledger_material_needs_a_body_that_reviews_cases(demo_ctx):
    from pfdesk.services.meetings import agenda
    from pfdesk.store.models import AgendaItem

    with demo_ctx.session() as s:
        item_id = s.scalar(select(AgendaItem.id).join(Meeting).join(Body).where(
            Body.kind == "plenary"))
    with pytest.raises(ValidationError) as e:
        agenda.add_generated_material(demo_ctx, item_id, "progress")
    assert "進行管理" in e.value.message


def test_the_set_based_ledger_names_exactly_the_cases_the_per_case_rule_names(demo_ctx):
    """The 台帳 decides every case's level in two queries; the rule is the per-case one."""
    from pfdesk.services.consultations.consents import consent_covers
    from pfdesk.services.entitlement import attending_orgs, covered_cases, meeting_level

    with demo_ctx.session() as s:
        meetings = list(s.scalars(select(Meeting).join(Body).where(
            Body.kind == "practitioners")))
        assert len(meetings) >= 2
        ids = [c.id for c in _open_cases(demo_ctx)]
        for meeting in meetings:
            orgs = attending_orgs(meeting)
            one_by_one = {c for c in ids if consent_covers(s, c, orgs, meeting.held_on)}
            assert covered_cases(s, ids, orgs, meeting.held_on) == one_by_one
        # Some cases are covered and some are not, or the comparison proves little.
        assert 0 < len(one_by_one) < len(ids)
        latest = meetings[-1]
        levels = {c: meeting_level(s, latest, c) for c in ids}
    led = ledger.progress_ledger(demo_ctx, latest.id)
    assert {ln.case_id for ln in led.lines if ln.name} == {
        c for c, lv in levels.items() if lv == "consented"}


def test_the_ledger_read_in_chunks_gives_each_case_what_it_gives_read_alone(demo_ctx):
    """Every open case's line at once gives what the case gives read alone.

    Review dates (a subquery, rows a chunk at a time), last contact, 緊急度, organizations.
    """
    from sqlalchemy import func

    from pfdesk.store.models import Assessment, Contact

    meeting_id = _latest_practitioners(demo_ctx)
    led = ledger.progress_ledger(demo_ctx, meeting_id)
    with demo_ctx.session() as s:
        held_on = s.get(Meeting, meeting_id).held_on
        ids = [c.id for c in _open_cases(demo_ctx)]
        alone = {c: reviews.next_review_dates(s, [c], before=held_on).get(c) for c in ids}
        last = {c: s.scalar(select(func.max(Contact.occurred_at)).where(
            Contact.case_id == c, Contact.voided_at.is_(None))) for c in ids}
        urgency = {c: s.scalar(select(Assessment.urgency).where(Assessment.case_id == c)
                               .order_by(Assessment.version.desc()).limit(1)) or ""
                   for c in ids}
        route = {c: s.get(Case, c).route_org_id for c in ids}
    by_case = {ln.case_id: ln for ln in led.lines}
    assert sorted(by_case) == sorted(ids)
    assert {c: ln.next_review_on for c, ln in by_case.items()} == alone
    assert {c: ln.last_contact for c, ln in by_case.items()} == {
        c: at.date() if at else None for c, at in last.items()}
    assert {c: ln.urgency for c, ln in by_case.items()} == urgency
    # Some of each, or the comparison proves little.
    assert sum(d is not None for d in alone.values()) > 10
    assert len(set(urgency.values())) > 2
    assert all(ln.organizations for c, ln in by_case.items() if route[c])
