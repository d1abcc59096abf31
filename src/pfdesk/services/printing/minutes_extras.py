"""What the 会議録 adds to the meeting itself: the next meeting's date and the marking."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core.wareki import format_date, format_time_range
from pfdesk.store.models import Meeting


def next_meeting_text(session: Session, meeting: Meeting) -> str:
    """「令和9年2月18日（木）14時～15時30分　役場 2階」 of the body's next planned meeting."""
    nxt = session.scalars(
        select(Meeting).where(Meeting.body_id == meeting.body_id,
                              Meeting.held_on > meeting.held_on,
                              Meeting.status != "cancelled")
        .order_by(Meeting.held_on, Meeting.id).limit(1)
    ).first()
    if nxt is None:
        return ""
    text = format_date(nxt.held_on, weekday=True)
    if nxt.start_time is not None:
        text += "　" + format_time_range(nxt.start_time, nxt.end_time)
    if nxt.place:
        text += "　" + nxt.place
    return text


def discusses_cases(meeting: Meeting) -> bool:
    """Whether any agenda item is about a case: the minutes are then handled with care."""
    return any(it.case_id for it in meeting.agenda_items)
