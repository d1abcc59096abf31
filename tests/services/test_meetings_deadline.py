"""出欠の回答期限 of a new meeting: 7 days before, on the previous working day, never past."""

from __future__ import annotations

from datetime import date

import pytest

from pfdesk.services.meetings import bodies, calendar, meetings
from pfdesk.services.settings import write_setting


@pytest.fixture
def body_id(ctx):
    with ctx.store.session() as s:
        # Fix "today" the way the demo town does, so the rules read the same any day.
        write_setting(s, "demo", {"today": "2026-11-26"})
        s.commit()
    return bodies.create_body(ctx, bodies.BodyInput(name="実務者会議", kind="practitioners"))


def _deadline(ctx, body_id, held_on, **kw):
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(
        body_id=body_id, held_on=held_on, **kw))
    return meetings.get_meeting(ctx, mid).reply_deadline


def test_new_meeting_gets_a_deadline_on_a_working_day(ctx, body_id):
    # A plain week: the Friday a week before.
    assert _deadline(ctx, body_id, date(2026, 12, 4)) == date(2026, 11, 27)
    # 12/31 is 年末年始, and 12/29–12/30 too: back to Monday 12/28.
    assert _deadline(ctx, body_id, date(2027, 1, 7)) == date(2026, 12, 28)
    # 5/3 憲法記念日, then the weekend: back to Friday 4/30.
    assert _deadline(ctx, body_id, date(2027, 5, 10)) == date(2027, 4, 30)
    # A town holiday entered by hand counts as closed as well.
    calendar.add_extra_holiday(ctx, date(2027, 9, 17), "町民の日")
    assert _deadline(ctx, body_id, date(2027, 9, 27)) == date(2027, 9, 16)


def test_deadline_is_never_before_today_and_can_be_changed_or_cleared(ctx, body_id):
    # Held in 4 days: a week before is past, so replies are due today.
    assert _deadline(ctx, body_id, date(2026, 11, 30)) == date(2026, 11, 26)
    # A meeting entered after it took place asks for no replies.
    assert _deadline(ctx, body_id, date(2026, 11, 20)) is None
    # A date the user chose is kept.
    assert _deadline(ctx, body_id, date(2026, 12, 4),
                     reply_deadline=date(2026, 12, 1)) == date(2026, 12, 1)
    # Clearing it on the 概要 tab keeps it cleared.
    mid = meetings.create_meeting(ctx, meetings.MeetingInput(
        body_id=body_id, held_on=date(2026, 12, 18)))
    assert meetings.get_meeting(ctx, mid).reply_deadline == date(2026, 12, 11)
    meetings.update_meeting(ctx, mid, meetings.MeetingInput(
        body_id=body_id, held_on=date(2026, 12, 18), reply_deadline=None))
    assert meetings.get_meeting(ctx, mid).reply_deadline is None


def test_suggested_deadline_matches_what_is_saved(ctx, body_id):
    assert calendar.suggested_reply_deadline(ctx, date(2027, 1, 7)) == date(2026, 12, 28)
