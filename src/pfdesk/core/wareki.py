"""和暦 (wareki, the Japanese era calendar): print dates as 令和8年11月26日 and read typed dates.

Dates are stored as ISO ``date`` values; this module only converts them for people.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _, current_language


class Era(NamedTuple):
    """One era: its name, the one-letter abbreviation used in R8.11.26, and its first day."""

    name: str
    abbrev: str
    start: date


#: Newest first, so the first era whose start is on or before a date is the one in force.
#: 明治 is only here so that old birth dates can be read and printed.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", date(2019, 5, 1)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("明治", "M", date(1868, 1, 25)),
)

_WEEKDAYS = "月火水木金土日"
_DATE_HINT = "例: 2026/11/26、2026年11月26日、R8.11.26、令和8年11月26日"
_TIME_HINT = "例: 13:30、13時30分、1330"


def _era_index(d: date) -> int | None:
    for i, era in enumerate(ERAS):
        if d >= era.start:
            return i
    return None


def era_of(d: date) -> tuple[str, int]:
    """Return the era name and era year of ``d``, e.g. ``("令和", 8)``.

    Raises ``ValueError`` for dates before 明治 (they have no era here).
    """
    i = _era_index(d)
    if i is None:
        raise ValueError(f"{d.isoformat()} is before the first known era")
    return ERAS[i].name, d.year - ERAS[i].start.year + 1


def _year_text(year: int) -> str:
    # The first year of an era is written 元年, never 1年, in documents.
    return "元" if year == 1 else str(year)


def _era_year_text(d: date) -> str:
    """``令和8年`` for ``d``; the plain Western year for dates before 明治 so printing never fails."""
    if _era_index(d) is None:
        return f"{d.year}年"
    name, year = era_of(d)
    return f"{name}{_year_text(year)}年"


def weekday_ja(d: date) -> str:
    """Return the one-character Japanese weekday of ``d`` (月火水木金土日)."""
    return _WEEKDAYS[d.weekday()]


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _english() -> bool:
    # In the English window dates read 26 Nov 2026 (Thu); Japanese is the default.
    return current_language() == "en"


def format_date(d: date, *, weekday: bool = False) -> str:
    """Format ``d`` as ``令和8年11月26日``, or ``令和8年11月26日（木）`` with ``weekday=True``."""
    if _english():
        text = f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
        return text + (f" ({_WEEKDAYS_EN[d.weekday()]})" if weekday else "")
    text = f"{_era_year_text(d)}{d.month}月{d.day}日"
    if weekday:
        text += f"（{weekday_ja(d)}）"
    return text


def format_short(d: date | None) -> str:
    """A date in a table cell: ``R8.11.26`` (the era's letter, as forms abbreviate it).

    The same era as the details beside the table (令和8年11月26日), in the width of a
    Western date; blank for none, ``2026-11-26`` in the English window.
    """
    if d is None:
        return ""
    if _english():
        return d.isoformat()
    i = _era_index(d)
    if i is None:
        return d.strftime("%Y/%m/%d")
    return f"{ERAS[i].abbrev}{d.year - ERAS[i].start.year + 1}.{d.month}.{d.day}"


def format_short_datetime(dt: datetime | None) -> str:
    """A date and time in a table cell: ``R8.11.26 13:30``."""
    return "" if dt is None else f"{format_short(dt.date())} {dt:%H:%M}"


def format_year_month(year: int, month: int) -> str:
    """Format a calendar month as ``令和8年11月``.

    The era is the one in force on the 1st of the month, so 1989-01 is 昭和64年1月.
    """
    d = date(year, month, 1)
    if _english():
        return f"{_MONTHS_EN[d.month - 1]} {d.year}"
    return f"{_era_year_text(d)}{month}月"


def format_era_year(d: date) -> str:
    """Format the era year of ``d`` as ``令和8年`` (``令和元年`` in the first year)."""
    return _era_year_text(d)


def format_fiscal_year(fy: int) -> str:
    """Format the 年度 that starts on ``fy``-04-01, e.g. 2026 → ``令和8年度``.

    A 年度 takes the era in force on its April 1st (FY2018 → 平成30年度), with one exception:
    FY2019 began under 平成 but the government names it 令和元年度, and so do we.
    """
    if _english():
        return f"FY{fy}"
    if fy == 2019:
        return "令和元年度"
    d = date(fy, 4, 1)
    if _era_index(d) is None:
        return f"{fy}年度"
    name, year = era_of(d)
    return f"{name}{_year_text(year)}年度"


def format_time(t: time) -> str:
    """Format ``t`` as ``13時30分``, or ``13時`` on the hour."""
    if _english():
        return f"{t.hour}:{t.minute:02d}"
    if t.minute == 0:
        return f"{t.hour}時"
    return f"{t.hour}時{t.minute}分"


def format_time_range(start: time, end: time | None = None) -> str:
    """Format a time span as ``13時30分～15時``; an open end gives ``13時30分～``."""
    # U+FF5E, not the wave dash U+301C: cp932 (Excel CSV) can hold only the former.
    dash = "–" if _english() else "～"
    if end is None:
        return f"{format_time(start)}{dash}"
    return f"{format_time(start)}{dash}{format_time(end)}"


def format_date_range(start: date | None, end: date | None) -> str:
    """A span of days as written: ``令和7年4月1日～令和9年3月31日`` ("" for no day at all).

    An open end is left blank.
    """
    if start is None and end is None:
        return ""
    return "～".join(format_date(d) if d else "" for d in (start, end))


def format_datetime(dt: datetime, *, weekday: bool = True) -> str:
    """Format ``dt`` as ``令和8年11月26日（木） 13時30分``."""
    return f"{format_date(dt.date(), weekday=weekday)} {format_time(dt.time())}"


# --- reading typed dates ---------------------------------------------------------------

_ERA_BY_KEY = {era.name: era for era in ERAS} | {era.abbrev: era for era in ERAS}
_SEP = r"\s*[/\-.]\s*"
_WESTERN = re.compile(rf"(\d{{4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})")
_WESTERN_KANJI = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ERA_DATE = re.compile(
    r"(令和|平成|昭和|大正|明治|[RHSTM])\s*(\d{1,2}|元)"
    r"(?:\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    rf"|{_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}}))"
)
# A weekday copied along with the date: (木), （木）, (木曜日), (木曜).
_TRAILING_WEEKDAY = re.compile(r"\s*\(\s*([月火水木金土日])(?:曜日?)?\s*\)$")


def _normalize_input(text: str) -> str:
    # NFKC turns full-width digits, letters, slashes and parentheses into ASCII and
    # the one-character era signs ㋿ ㍻ ㍼ into 令和 平成 昭和.
    return unicodedata.normalize("NFKC", text).strip()


def _unreadable(shown: str) -> ValidationError:
    return ValidationError(
        _("「{text}」は日付として読めません。").format(text=shown), hint=_(_DATE_HINT)
    )


def parse_date(text: str) -> date:
    """Read a date typed as 2026/11/26, 20261126, R8.11.26, 令和8年11月26日 and similar.

    Full-width characters, surrounding spaces and a trailing weekday such as （木） are
    accepted; a weekday that does not match the date is rejected. Era dates must lie
    within their era (H31.5.1 and 令和1年4月30日 are refused). Raises ``ValidationError``.
    """
    shown = (text or "").strip()
    if not shown:
        raise ValidationError(_("日付が入力されていません。"), hint=_(_DATE_HINT))
    s = _normalize_input(shown)
    weekday = None
    m = _TRAILING_WEEKDAY.search(s)
    if m:
        weekday = m.group(1)
        s = s[: m.start()]

    era = None
    if m := _ERA_DATE.fullmatch(s.upper()):
        era = _ERA_BY_KEY[m.group(1)]
        era_year = 1 if m.group(2) == "元" else int(m.group(2))
        if era_year == 0:
            raise _unreadable(shown)
        year = era.start.year + era_year - 1
        month, day = (int(g) for g in (m.group(3) or m.group(5), m.group(4) or m.group(6)))
    elif m := (_WESTERN.fullmatch(s) or _WESTERN_KANJI.fullmatch(s) or _COMPACT.fullmatch(s)):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise _unreadable(shown)

    try:
        result = date(year, month, day)
    except ValueError:
        raise _unreadable(shown) from None

    if era is not None:
        _check_within_era(result, era, shown)
    elif _era_index(result) is None:
        # Nothing in this app predates 明治; such a year is a typing slip (e.g. 1026).
        raise ValidationError(
            _("「{text}」は古すぎる日付です（明治より前）。").format(text=shown),
            hint=_(_DATE_HINT),
        )
    if weekday is not None and weekday != weekday_ja(result):
        raise ValidationError(
            _("「{text}」の曜日が日付と合いません（{date}は{wd}曜日です）。").format(
                text=shown, date=format_date(result), wd=weekday_ja(result)
            ),
            hint=_("日付か曜日を確かめてください。"),
        )
    return result


def _western_ja(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _check_within_era(d: date, era: Era, shown: str) -> None:
    i = ERAS.index(era)
    if d < era.start:
        raise ValidationError(
            _("「{text}」は{era}の日付ではありません（{era}は{start}から）。").format(
                text=shown, era=era.name, start=_western_ja(era.start)
            ),
            hint=_(_DATE_HINT),
        )
    if i > 0 and d >= ERAS[i - 1].start:
        last = ERAS[i - 1].start - timedelta(days=1)
        raise ValidationError(
            _("「{text}」は{era}の日付ではありません（{era}は{end}まで）。").format(
                text=shown, era=era.name, end=_western_ja(last)
            ),
            hint=_("{next}の日付として入力してください。").format(next=ERAS[i - 1].name),
        )


def parse_date_or_none(text: str | None) -> date | None:
    """Like :func:`parse_date`, but a blank (or ``None``) input gives ``None``."""
    if text is None or not text.strip():
        return None
    return parse_date(text)


_TIME_COLON = re.compile(r"(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*(\d{2}))?")
_TIME_KANJI = re.compile(r"(\d{1,2})\s*時\s*(?:(\d{1,2})\s*分|(半))?")
_TIME_COMPACT = re.compile(r"(\d{1,2})(\d{2})")
_AM_PM = re.compile(r"(午前|午後)\s*(.*)")


def parse_time(text: str) -> time:
    """Read a time typed as 13:30, １３：３０, 13時30分, 13時, 13時半, 1330 or 午後1時30分.

    Raises ``ValidationError`` for anything else, including 24:00 and 13:60.
    """
    shown = (text or "").strip()
    if not shown:
        raise ValidationError(_("時刻が入力されていません。"), hint=_(_TIME_HINT))
    s = _normalize_input(shown)
    pm = None
    if m := _AM_PM.fullmatch(s):
        pm, s = m.group(1) == "午後", m.group(2)

    hour = minute = second = -1  # stays invalid unless a pattern matches
    if m := _TIME_COLON.fullmatch(s):
        hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    elif m := _TIME_KANJI.fullmatch(s):
        hour, second = int(m.group(1)), 0
        minute = 30 if m.group(3) else int(m.group(2) or 0)
    elif m := _TIME_COMPACT.fullmatch(s):
        hour, minute, second = int(m.group(1)), int(m.group(2)), 0

    if pm is not None:
        if not 0 <= hour <= 11:
            # 午前12時 / 午後12時 are read both ways in practice, so they are refused.
            hour = -1
        elif pm:
            hour += 12
    try:
        return time(hour, minute, second)
    except ValueError:
        raise ValidationError(
            _("「{text}」は時刻として読めません。").format(text=shown), hint=_(_TIME_HINT)
        ) from None


# --- a time as people remember it: 状態の開始時期 ----------------------------------------

_APPROX = re.compile(r"\s*(頃|ごろ|ころ|くらい|ぐらい|位)$")
_ERA_YM = re.compile(r"(令和|平成|昭和|大正|明治|[RHSTM])\s*(\d{1,2}|元)\s*(?:年|[/\-.])?"
                     r"\s*(?:(\d{1,2})\s*月?)?")
_WESTERN_YM = re.compile(r"(\d{4})\s*(?:年|[/\-.])?\s*(?:(\d{1,2})\s*月?)?")
_YM_HINT = "例: 平成30年頃、H30.4、平成30年4月、2018年4月、2018-04、2018（分からなければ空欄）"


def parse_year_month(text: str) -> str:
    """A remembered time (平成30年頃, H30.4, 2018年4月, 2018-04, 2018) as ``2018-04`` / ``2018``.

    「頃」 and the like are accepted and dropped (the time is approximate by nature). Empty
    text gives ``""`` (unknown). Raises ``ValidationError`` naming what was typed.
    """
    shown = (text or "").strip()
    if not shown:
        return ""
    s = _APPROX.sub("", _normalize_input(shown)).strip().upper()
    month: int | None = None
    if m := _ERA_YM.fullmatch(s):
        era = _ERA_BY_KEY[m.group(1)]
        era_year = 1 if m.group(2) == "元" else int(m.group(2))
        year = era.start.year + era_year - 1
        month = int(m.group(3)) if m.group(3) else None
        if era_year == 0 or (i := ERAS.index(era)) > 0 and year > ERAS[i - 1].start.year:
            raise _year_month_unreadable(shown)
    elif m := _WESTERN_YM.fullmatch(s):
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
    else:
        raise _year_month_unreadable(shown)
    if not 1868 <= year <= 2200 or month is not None and not 1 <= month <= 12:
        raise _year_month_unreadable(shown)
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _year_month_unreadable(shown: str) -> ValidationError:
    return ValidationError(_("「{text}」は年月として読めません。").format(text=shown),
                           hint=_(_YM_HINT))


def format_year_month_text(stored: str) -> str:
    """A stored ``2018-04`` / ``2018`` as people read it: 平成30年4月 / 平成30年."""
    if not stored:
        return ""
    parts = stored.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
    except ValueError:
        return stored  # written by an older version in its own words: shown as it is
    if _english():
        return stored
    if month is not None:
        return f"{_era_year_text(date(year, month, 1))}{month}月"
    first, last = _era_year_text(date(year, 1, 1)), _era_year_text(date(year, 12, 31))
    return first if first == last else f"{first}（{last}）"
