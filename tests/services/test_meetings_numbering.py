"""回次 follow the date order, unless a notice with a later 回次 is already printed.

A meeting inserted between two takes its place; when a notice is on paper nothing moves
and the user is told.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from pfdesk.services.meetings import bodies, meetings
from pfdesk.services.printing import numbers
from pfdesk.store.models import AuditEvent


def _make(ctx, body_id, *days):
    return [meetings.create_meeting(ctx, meetings.MeetingInput(body_id=body_id, held_on=d),
                                    invite=False) for d in days]


def _numbers(ctx, ids):
    return [meetings.get_meeting(ctx, i).row.number for i in ids]


def _body(ctx, numbering="fiscal"):
    return bodies.create_body(ctx, bodies.BodyInput(
        name="実務者会議", kind="practitioners", numbering=numbering))


def test_a_meeting_created_between_two_takes_its_place_in_date_order(ctx):
    body = _body(ctx)
    may, feb = _make(ctx, body, date(2026, 5, 20), date(2027, 2, 18))
    dec = _make(ctx, body, date(2026, 12, 16))[0]
    assert _numbers(ctx, [may, dec, feb]) == [1, 2, 3]
    assert meetings.numbering_note(ctx, dec) == ""
    with ctx.session() as s:
        detail = s.scalars(select(AuditEvent.detail_json)
                           .where(AuditEvent.action == "meetings.meeting.create")
                           .order_by(AuditEvent.id.desc())).first()
    assert str(feb) in detail and "2→3" in detail


def test_moving_a_meeting_to_another_date_renumbers_running_bodies_too(ctx):
    body = _body(ctx, numbering="running")
    a, b, c = _make(ctx, body, date(2025, 6, 1), date(2026, 6, 1), date(2027, 6, 1))
    meetings.update_meeting(ctx, a, meetings.MeetingInput(body_id=body,
                                                          held_on=date(2026, 9, 1)))
    assert _numbers(ctx, [b, a, c]) == [1, 2, 3]
    meetings.delete_meeting(ctx, b)
    assert _numbers(ctx, [a, c]) == [1, 2]


def test_a_printed_notice_keeps_every_number_and_the_user_is_told(ctx):
    body = _body(ctx)
    may, feb = _make(ctx, body, date(2026, 5, 20), date(2027, 2, 18))
    with ctx.session() as s:  # the 第2回 notice went out with a 文書番号
        numbers.issue_number(s, prefix="み保福", issued_on=date(2027, 2, 1), kind="notice",
                             meeting_id=feb, subject="第2回実務者会議の開催について",
                             created_by="admin")
        s.commit()
    dec = _make(ctx, body, date(2026, 12, 16))[0]
    assert _numbers(ctx, [may, feb, dec]) == [1, 2, 3]
    note = meetings.numbering_note(ctx, dec)
    assert "日付順では第2回" in note and "第3回のまま" in note and "印刷済み" in note
    assert meetings.numbering_note(ctx, may) == ""
