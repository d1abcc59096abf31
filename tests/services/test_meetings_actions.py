"""宿題事項 carry over to the body's next meetings until closed; calendar warnings; demo."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from pfdesk.core.fiscal import fiscal_year_of
from pfdesk.services.meetings import actions, agenda, bodies, calendar, meetings, minutes
from pfdesk.store.models import ActionItem, Body, Case, Meeting


def _meeting(ctx, body_id, d):
    return meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id, held_on=d))


def test_open_items_carry_over_until_closed(ctx):
    body = bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners"))
    other = bodies.create_body(ctx, bodies.BodyInput(name="庁内WT", kind="working_team"))
    m1, m2, m3 = (_meeting(ctx, body, date(2026, m, 10)) for m in (6, 10, 12))
    w1 = _meeting(ctx, other, date(2026, 7, 1))
    item = agenda.add_item(ctx, m1, agenda.AgendaInput("居場所づくり"))
    a = minutes.add_action(ctx, m1, item, minutes.ActionInput(
        "会場候補を調べる", assignee_text="社会福祉協議会", due_on=date(2026, 9, 30)))
    b = minutes.add_action(ctx, m1, item, minutes.ActionInput(
        "チラシを配る", assignee_text="事務局"))
    assert actions.carried_over(ctx, m1) == []
    assert [r.id for r in actions.carried_over(ctx, m2)] == [a, b]
    assert actions.carried_over(ctx, w1) == []  # another body's meeting
    # Closed at the second meeting: shown there as done, gone from the third.
    actions.update_action_status(ctx, a, actions.ActionUpdate(
        "done", progress_note="会場2か所を報告", closed_meeting_id=m2))
    at_m2 = {r.id: r for r in actions.carried_over(ctx, m2)}
    assert at_m2[a].status_label == "完了" and at_m2[a].closed_on == date(2026, 10, 10)
    assert [r.id for r in actions.carried_over(ctx, m3)] == [b]
    assert meetings.list_meetings(ctx, fy=2026, body_id=body)[0].open_actions == 1
    assert [r.description for r in actions.list_actions(ctx)] == ["チラシを配る"]


def test_case_item_actions_link_the_case_and_reach_its_timeline(demo_ctx):
    with demo_ctx.store.session() as s:
        case_id = s.scalar(select(Case.id).order_by(Case.id).limit(1))
        body_id = s.scalar(select(Body.id).where(Body.kind == "case_conference"))
    mid = _meeting(demo_ctx, body_id, date(2026, 12, 3))
    item = agenda.add_item(demo_ctx, mid, agenda.AgendaInput("個別ケースの検討",
                                                             case_id=case_id))
    aid = minutes.add_action(demo_ctx, mid, item, minutes.ActionInput(
        "家族面談を行う", assignee_text="保健師"))
    with demo_ctx.store.session() as s:
        assert s.get(ActionItem, aid).case_id == case_id
    entries = actions.case_timeline_entries(demo_ctx, case_id)
    texts = [e.text for e in entries]
    assert any("家族面談を行う" in t for t in texts)
    assert any("個別ケースの検討" in t for t in texts)


def test_demo_practitioners_item_carries_over_to_next_meeting_and_case(demo_ctx):
    with demo_ctx.store.session() as s:
        today = date(2026, 11, 26)
        body = s.scalar(select(Body).where(Body.kind == "practitioners"))
        ms = s.scalars(select(Meeting).where(Meeting.body_id == body.id)
                       .order_by(Meeting.held_on)).all()
        held = [m for m in ms if m.held_on < today]
        nxt = next(m for m in ms if m.held_on >= today)
        last_id, next_id = held[-1].id, nxt.id
        body_name = body.name
    carried = actions.carried_over(demo_ctx, next_id)
    linked = [r for r in carried if r.is_open and r.case_id and r.meeting_id == last_id]
    assert linked, "an open case-linked 実務者会議 item must carry over"
    assert linked[0].body_name == body_name
    entries = actions.case_timeline_entries(demo_ctx, linked[0].case_id)
    assert any(e.kind == "action" and linked[0].description in e.text for e in entries)


def test_demo_has_every_body_kind_members_and_a_holiday_warning(demo_ctx):
    kinds = {b.kind for b in bodies.list_bodies(demo_ctx)}
    assert kinds == {"plenary", "practitioners", "working_team", "case_conference",
                     "support_meeting", "study", "other"}
    rows = meetings.list_meetings(demo_ctx)
    assert {fiscal_year_of(r.held_on) for r in rows} == {2024, 2025, 2026}
    from pfdesk.services.meetings.study import study_totals

    themes = {t for fy in (2024, 2025, 2026) for t in study_totals(demo_ctx, fy).themes}
    assert {"ひきこもり元当事者から学ぶ", "地域における居場所づくり"} <= themes
    ahead = [r for r in rows if r.status == "planned"]
    assert ahead and any(r.warnings for r in ahead)
    held = [r for r in rows if r.status == "held"]
    if any(r.invited for r in held):  # members come from the directory step
        detail = bodies.get_body(demo_ctx, held[0].body_id)
        assert detail.members
        from pfdesk.services.meetings.attendance import list_attendance

        responses = {a.response for r in held for a in list_attendance(demo_ctx, r.id)}
        assert {"present", "absent", "proxy"} <= responses


def test_holiday_and_closure_warnings(ctx):
    assert "建国記念の日" in calendar.scheduling_warnings(ctx, date(2027, 2, 11))[0]
    assert "年末年始" in calendar.scheduling_warnings(ctx, date(2026, 12, 29))[0]
    assert calendar.scheduling_warnings(ctx, date(2026, 12, 28)) == []
    calendar.add_extra_holiday(ctx, date(2026, 8, 14), "町の夏季休庁日")
    assert "町の夏季休庁日" in calendar.scheduling_warnings(ctx, date(2026, 8, 14))[0]
    body = bodies.create_body(ctx, bodies.BodyInput(name="全体会", kind="plenary"))
    _meeting(ctx, body, date(2027, 1, 2))
    cal = calendar.fiscal_calendar(ctx, 2026)
    jan = cal.months[9]
    assert (jan.year, jan.month) == (2027, 1)
    assert jan.meetings[0].warnings
    assert jan.closed_days[date(2027, 1, 1)] == "元日"
