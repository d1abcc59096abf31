"""前回の会議から作成: time, place, invitations and recurring 次第 items carry over."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from pfdesk.core.errors import PermissionDenied, ValidationError
from pfdesk.services.context import Actor
from pfdesk.services.meetings import agenda, attendance, meetings
from pfdesk.services.meetings.from_previous import (
    create_from_previous,
    previous_meeting,
    suggest_date,
)
from pfdesk.store.models import AgendaItem, AuditEvent, Case, Meeting
from tests.printing_fixtures import build_meeting


@pytest.fixture
def built(ctx):
    b = build_meeting(ctx.store, "practitioners")
    with ctx.session() as s:
        case = s.get(Case, b.case_ids[0])
        # Typed, not linked: an item that names a case must not travel to the next meeting.
        s.add(AgendaItem(meeting_id=b.meeting_id, position=9, kind="other",
                         title=f"{case.family_name}{case.given_name}さんの件（報告）"))
        s.commit()
    return b


def _input(body_id, prev, held_on):
    return meetings.MeetingInput(
        body_id=body_id, held_on=held_on, start_time=prev.start_time, end_time=prev.end_time,
        place=prev.place, online=prev.online, reply_deadline=prev.reply_deadline_for(held_on))


def test_the_latest_meeting_is_offered_with_its_recurring_items(ctx, built):
    prev = previous_meeting(ctx, built.body_id)
    assert prev.id == built.meeting_id and prev.held_on == date(2026, 12, 10)
    assert (prev.start_time, prev.end_time) == (time(14), time(15, 30))
    assert prev.place == "みどり川町保健センター 多目的室" and prev.online
    assert prev.reply_days_before == 10 and prev.guests == 5
    # 9/10 then 12/10 (2nd Thursdays): the next is the 2nd Thursday three months on.
    assert prev.suggested_on == date(2027, 3, 11)
    offered = {i.title: i for i in prev.items}
    assert [i.title for i in prev.items if i.recurring] == ["相談状況について", "前回の対応事項の状況"]
    assert offered["相談状況について"].materials == ("相談状況（令和8年度）",)
    assert offered["事例検討A"].why_not == "ケースの議題です"
    named = next(i for i in prev.items if i.title.endswith("の件（報告）"))
    assert not named.recurring and named.why_not == "ケースの情報を含んでいます"


def test_create_copies_time_place_invitations_and_recurring_items(ctx, built):
    prev = previous_meeting(ctx, built.body_id)
    new_id = create_from_previous(ctx, prev.id, _input(built.body_id, prev, prev.suggested_on))
    detail = meetings.get_meeting(ctx, new_id)
    assert detail.row.held_on == date(2027, 3, 11) and detail.row.place == prev.place
    assert (detail.start_time, detail.end_time) == (time(14), time(15, 30))
    assert detail.row.online and detail.reply_deadline == date(2027, 3, 1)
    rows = agenda.list_agenda(ctx, new_id)
    assert [r.title for r in rows] == ["相談状況について", "前回の対応事項の状況"]
    assert [[m.title for m in r.materials] for r in rows] == [["相談状況（令和8年度）"],
                                                             ["対応事項の状況"]]
    assert all(not r.case_id for r in rows)
    invited = attendance.list_attendance(ctx, new_id)
    assert [a.name for a in invited][:4] == ["森野　和也", "川端　さゆり", "岡本　健", "西田　直子"]
    assert {a.response for a in invited} == {"pending"} and len(invited) == 5
    assert any(not a.name and a.affiliation == "NPO法人ひだまり" for a in invited)  # 御中
    with ctx.session() as s:
        copied = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == new_id)).all()
        assert all(it.summary == "" and not it.decisions for it in copied)
        old = s.get(Meeting, built.meeting_id)
        assert len(old.agenda_items) == 6  # the previous meeting is left as it was
        event = s.scalars(select(AuditEvent).where(
            AuditEvent.action == "meetings.meeting.from_previous")).one()
        assert f'"previous_id": {built.meeting_id}' in event.detail_json


def test_chosen_items_only_and_case_items_refused(ctx, built):
    prev = previous_meeting(ctx, built.body_id)
    data = meetings.MeetingInput(body_id=built.body_id, held_on=date(2027, 3, 11))
    report = next(i.id for i in prev.items if i.title == "前回の対応事項の状況")
    new_id = create_from_previous(ctx, prev.id, data, item_ids=[report])
    assert [r.title for r in agenda.list_agenda(ctx, new_id)] == ["前回の対応事項の状況"]
    case_item = next(i.id for i in prev.items if i.title == "事例検討A")
    with pytest.raises(ValidationError, match="ケースの議題です"):
        create_from_previous(ctx, prev.id, meetings.MeetingInput(
            body_id=built.body_id, held_on=date(2027, 4, 8)), item_ids=[case_item])
    with ctx.session() as s:  # nothing was created by the refused call
        assert not s.scalars(select(Meeting).where(Meeting.held_on == date(2027, 4, 8))).all()


def test_a_viewer_may_not_create_and_a_body_without_meetings_has_no_previous(ctx, built):
    viewer = ctx.acting_as(Actor("v", "閲覧者", "viewer"))
    with pytest.raises(PermissionDenied):
        create_from_previous(viewer, built.meeting_id, meetings.MeetingInput(
            body_id=built.body_id, held_on=date(2027, 3, 11)))
    from pfdesk.services.meetings import bodies

    empty = bodies.create_body(ctx, bodies.BodyInput(name="庁内ワーキングチーム会議",
                                                      kind="working_team"))
    assert previous_meeting(ctx, empty) is None


def test_suggested_dates_keep_the_weekday_of_the_month():
    assert suggest_date(date(2026, 11, 19), None) == date(2026, 12, 17)  # 3rd Thursday
    assert suggest_date(date(2026, 10, 29), date(2026, 9, 24)) == date(2026, 11, 26)
    # A 5th Friday becomes the last Friday of a month that has only four.
    assert suggest_date(date(2027, 1, 29), date(2026, 12, 25)) == date(2027, 2, 26)
