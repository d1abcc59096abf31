"""地域課題: tags on cases and agenda items, the secretariat's own issues, the 全体会 集計."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.services.area_issues import report, tags
from pfdesk.services.consultations import cases
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.context import Actor
from pfdesk.store.models import AgendaItem, Case


def test_cases_and_items_are_tagged_and_counted_per_year_with_anonymous_examples(ctx, tmp_path):
    from pfdesk.store.models import Body, Meeting

    with ctx.session() as s:
        body = Body(name="実務者会議", kind="practitioners")
        s.add(body)
        s.flush()
        meeting = Meeting(body_id=body.id, fiscal_year=2026, number=1,
                          held_on=date(2026, 10, 1), status="held")
        meeting.agenda_items.append(AgendaItem(title="ケースの進行管理"))
        s.add(meeting)
        s.commit()
        meeting_id = meeting.id
    a = cases.create_case(ctx, CaseInput(intake_date=date(2026, 5, 1), family_name="鷹取",
                                         given_name="翔", sex="male", age_band="30s"))
    old = cases.create_case(ctx, CaseInput(intake_date=date(2024, 5, 1), family_name="古川"))
    cases.close_case(ctx, old.id, date(2025, 1, 10), "wish")
    mine = tags.add_issue(ctx, "夜間に相談できる場がない")
    with pytest.raises(ValidationError):
        tags.add_issue(ctx, "夜間に相談できる場がない")
    assert tags.set_case_issues(ctx, a.id, ["transport", mine.key]) == ("transport", mine.key)
    tags.set_case_issues(ctx, old.id, ["transport"])  # closed before 令和8年度: not counted
    with ctx.session() as s:
        item_id = s.scalar(select(AgendaItem.id).where(
            AgendaItem.meeting_id == meeting_id))
    tags.set_item_issues(ctx, item_id, ["transport", "ibasho_lack"])
    with pytest.raises(ValidationError):
        tags.set_case_issues(ctx, a.id, ["no_such_issue"])

    rep = report.area_issue_report(ctx, 2026)
    rows = {r.key: r for r in rep.rows}
    assert (rows["transport"].cases, rows["transport"].items) == (1, 1)
    assert (rows[mine.key].label, rows[mine.key].cases) == ("夜間に相談できる場がない", 1)
    assert rows["ibasho_lack"].items == 1 and rep.rows[0].key == "transport"
    assert rows["transport"].examples == ("30代・男性（受付）",)
    report.print_area_issues(ctx, 2026, tmp_path / "a.pdf")
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(tmp_path / "a.pdf").pages))
    assert "移動手段がない" in text and "夜間に相談できる場がない" in text
    assert "鷹取" not in text and "古川" not in text
    # Removing a tag takes it out of the count.
    tags.set_case_issues(ctx, a.id, [])
    assert {r.key: r for r in report.area_issue_report(ctx, 2026).rows}["transport"].cases == 0


def test_viewers_may_read_the_report_but_not_tag(demo_ctx):
    viewer = demo_ctx.acting_as(Actor("v", "閲覧者", "viewer"))
    rep = report.area_issue_report(viewer, 2026)
    assert rep.tagged_cases > 10 and any(r.items for r in rep.rows)
    with demo_ctx.session() as s:
        case_id = s.scalar(select(Case.id).limit(1))
    with pytest.raises(PermissionDenied):
        tags.set_case_issues(viewer, case_id, ["transport"])
    with pytest.raises(PermissionDenied):
        tags.add_issue(viewer, "新しい課題")


def test_the_plenary_packet_carries_the_year_s_area_issues(demo_ctx, tmp_path):
    from pfdesk.services.meetings import agenda
    from pfdesk.services.printing import print_meeting_document
    from pfdesk.store.models import Body, Meeting

    with demo_ctx.session() as s:
        m = s.scalars(select(Meeting).join(Body).where(
            Body.kind == "plenary", Meeting.status == "held")
            .order_by(Meeting.held_on.desc())).first()
        mid, item_id = m.id, m.agenda_items[0].id
    agenda.add_generated_material(demo_ctx, item_id, "area_issues")
    print_meeting_document(demo_ctx, mid, "packet", tmp_path / "p.pdf")
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(tmp_path / "p.pdf").pages))
    assert "地域課題の集計" in text and "移動手段がない" in text
