"""The 年度 calendar of meetings and the scheduling warnings (祝日, 年末年始, 町の休日)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import jpholiday
from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import fiscal_year_of, fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.normalize import clean_text
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.meetings._common import get_or_fail, today_of
from pfdesk.store.models import ExtraHoliday


def is_office_closure(d: date) -> bool:
    """The 12/29–1/3 年末年始 closure of municipal offices."""
    return (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)


@lru_cache(maxsize=64)
def _year_holidays(year: int) -> dict[date, str]:
    # jpholiday works out the whole year's holidays on every call: once a year here.
    return dict(jpholiday.year_holidays(year))


def prepare_holidays(today: date) -> None:
    """Work out the 祝日 of ``today``'s 年度 ahead of need (0.04 s a year).

    The window asks for this on the background worker once the home page is shown, so the
    会議 page's warnings and calendar do not wait for it.
    """
    fy = fiscal_year_of(today)
    for year in (fy, fy + 1):
        _year_holidays(year)


def _holiday_name(d: date) -> str:
    return _year_holidays(d.year).get(d, "")


def closed_day_name(d: date, extra: dict[date, str] | None = None) -> str:
    """Why the office is closed on ``d`` (祝日名, 年末年始, 町の休日); "" on a working weekday.

    Weekends are not included: study sessions for residents are often held on Saturdays.
    """
    name = _holiday_name(d)
    if name:
        return name
    if is_office_closure(d):
        return _("年末年始")
    if extra and d in extra:
        return extra[d] or _("町の休日")
    return ""


def extra_holidays(session: Session, start: date, end: date) -> dict[date, str]:
    """Manually added closed days between ``start`` and ``end``."""
    rows = session.scalars(
        select(ExtraHoliday).where(ExtraHoliday.day >= start, ExtraHoliday.day <= end)
    ).all()
    return {r.day: r.name for r in rows}


REPLY_DAYS_BEFORE = 7  # 出欠の回答期限: one week before the meeting


def is_working_day(d: date, extra: dict[date, str] | None = None) -> bool:
    """A weekday the office is open (no 祝日, 年末年始 or 町の休日)."""
    return d.weekday() < 5 and not closed_day_name(d, extra)


def default_reply_deadline(session: Session, held_on: date, today: date) -> date | None:
    """The 出欠の回答期限 a new meeting gets (7 days before, on a working day, not past).

    When 7 days before falls on a weekend or closed day, the working day before it is used;
    a deadline before ``today`` becomes today. A meeting already past has no deadline to ask for (None).
    """
    if held_on < today:
        return None
    d = held_on - timedelta(days=REPLY_DAYS_BEFORE)
    # Closed runs are short (年末年始 plus a weekend is the longest), 3 weeks is ample.
    extra = extra_holidays(session, d - timedelta(days=21), d)
    while d > today and not is_working_day(d, extra):
        d -= timedelta(days=1)
    return max(d, today)


@service(Permission.MEETING_READ)
def suggested_reply_deadline(ctx: ServiceContext, held_on: date) -> date | None:
    """The 出欠の回答期限 proposed for a meeting on ``held_on`` (see default_reply_deadline)."""
    with ctx.session() as s:
        return default_reply_deadline(s, held_on, today_of(s))


def day_warnings(d: date, extra: dict[date, str] | None = None) -> list[str]:
    """Plain-Japanese warnings for holding a meeting on ``d``."""
    out = []
    name = closed_day_name(d, extra)
    if name:
        out.append(
            _("{day}は「{name}」で、役場の閉庁日です。この日に開催してよいか（会場が使えるか、"
              "委員が出席できるか）確認してください。").format(
                day=format_date(d, weekday=True), name=name
            )
        )
    return out


@service(Permission.MEETING_READ)
def scheduling_warnings(ctx: ServiceContext, d: date) -> list[str]:
    """Warnings shown while a meeting date is chosen (祝日, 年末年始, 町の休日)."""
    with ctx.session() as s:
        return day_warnings(d, extra_holidays(s, d, d))


@dataclass(frozen=True)
class CalendarMonth:
    """One month of the 年度 view: its closed days and meetings."""

    year: int
    month: int
    closed_days: dict[date, str]
    meetings: list  # MeetingRow, ordered by date


@dataclass(frozen=True)
class FiscalCalendar:
    """The twelve months of a 年度, April first."""

    fiscal_year: int
    today: date
    months: list[CalendarMonth]


@service(Permission.MEETING_READ)
def fiscal_calendar(ctx: ServiceContext, fy: int | None = None) -> FiscalCalendar:
    """All meetings of 年度 ``fy`` month by month, with each month's closed days."""
    from pfdesk.services.meetings.meetings import list_meetings

    with ctx.session() as s:
        today = today_of(s)
        fy = fy or fiscal_year_of(today)
        start, end = fiscal_year_range(fy)
        extra = extra_holidays(s, start, end)
    rows = list_meetings(ctx, fy=fy)
    months = []
    for i in range(12):
        y, m = (fy, 4 + i) if i < 9 else (fy + 1, i - 8)
        first = date(y, m, 1)
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        closed = {}
        d = first
        while d < nxt:
            name = closed_day_name(d, extra)
            if name:
                closed[d] = name
            d += timedelta(days=1)
        months.append(CalendarMonth(
            year=y, month=m, closed_days=closed,
            meetings=[r for r in rows if r.held_on.year == y and r.held_on.month == m],
        ))
    return FiscalCalendar(fiscal_year=fy, today=today, months=months)


@dataclass(frozen=True)
class ExtraHolidayInfo:
    """A manually added closed day."""

    id: int
    day: date
    name: str


@service(Permission.MEETING_READ)
def list_extra_holidays(ctx: ServiceContext) -> list[ExtraHolidayInfo]:
    """Closed days added by hand (町の休日, 庁舎点検日 …), in date order."""
    with ctx.session() as s:
        rows = s.scalars(select(ExtraHoliday).order_by(ExtraHoliday.day)).all()
        return [ExtraHolidayInfo(r.id, r.day, r.name) for r in rows]


@service(Permission.MEETING_WRITE)
def add_extra_holiday(ctx: ServiceContext, day: date, name: str) -> int:
    """Add a closed day the holiday library does not know."""
    with ctx.session() as s:
        if s.scalar(select(ExtraHoliday.id).where(ExtraHoliday.day == day)):
            raise ValidationError(
                _("{day}はすでに休日として登録されています。").format(day=format_date(day)),
                field="day",
            )
        row = ExtraHoliday(day=day, name=clean_text(name) or _("町の休日"))
        s.add(row)
        s.flush()
        audit.record(s, ctx.actor, "meetings.holiday.add", "extra_holiday", [row.id],
                     day=day.isoformat(), name=row.name)
        s.commit()
        return row.id


@service(Permission.MEETING_WRITE)
def remove_extra_holiday(ctx: ServiceContext, holiday_id: int) -> None:
    """Remove a manually added closed day."""
    with ctx.session() as s:
        row = get_or_fail(s, ExtraHoliday, holiday_id, _("休日"))
        audit.record(s, ctx.actor, "meetings.holiday.remove", "extra_holiday", [row.id],
                     day=row.day.isoformat())
        s.delete(row)
        s.commit()
