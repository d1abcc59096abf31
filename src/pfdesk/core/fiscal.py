"""年度 (the April–March fiscal year), ages and the bands used in statistical returns.

A 年度 is named by the calendar year of its April 1st: FY2026 runs 2026-04-01 to 2027-03-31.
"""

from __future__ import annotations

from datetime import date

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _

#: Age bands in the order they appear in returns: (key, label).
AGE_BANDS: list[tuple[str, str]] = [
    ("under10", "10歳未満"),
    ("10s", "10代"),
    ("20s", "20代"),
    ("30s", "30代"),
    ("40s", "40代"),
    ("50s", "50代"),
    ("60s_plus", "60代以上"),
    ("unknown", "不明"),
]

#: Bands for how long a state (状態の開始時期 → a reference day) has lasted: (key, label).
PERIOD_BANDS: list[tuple[str, str]] = [
    ("lt6m", "6か月未満"),
    ("6m_1y", "6か月～1年未満"),
    ("1y_3y", "1年～3年未満"),
    ("3y_5y", "3年～5年未満"),
    ("5y_10y", "5年～10年未満"),
    ("10y_plus", "10年以上"),
    ("unknown", "不明"),
]

# Lower bound in whole months for each period band, longest first.
_PERIOD_THRESHOLDS: list[tuple[int, str]] = [
    (120, "10y_plus"),
    (60, "5y_10y"),
    (36, "3y_5y"),
    (12, "1y_3y"),
    (6, "6m_1y"),
    (0, "lt6m"),
]


def fiscal_year_of(d: date) -> int:
    """Return the 年度 that contains ``d`` (2019-04-01 → 2019, 2020-03-31 → 2019)."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_range(fy: int) -> tuple[date, date]:
    """Return the first and last day of 年度 ``fy`` (both inclusive)."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def fiscal_months(fy: int) -> list[tuple[int, int]]:
    """Return the twelve ``(year, month)`` pairs of 年度 ``fy``, April first, March last."""
    return [(fy, m) for m in range(4, 13)] + [(fy + 1, m) for m in range(1, 4)]


def current_fiscal_year(today: date | None = None) -> int:
    """Return the 年度 of ``today`` (the system date when not given)."""
    return fiscal_year_of(today or date.today())


def _whole_months(start: date, on: date) -> int:
    """Count whole months from ``start`` to ``on``.

    A month is complete when the same day number is reached. Where that day does not
    exist (a start on the 31st, or on 29 February) it completes on the 1st of the next
    month, the same rule that makes a 29 February birthday fall on 1 March.
    """
    months = (on.year - start.year) * 12 + on.month - start.month
    if on.day < start.day:
        months -= 1
    return months


def age_on(birth: date, on: date) -> int:
    """Return the age in full years (満年齢) on the day ``on``.

    Someone born on 29 February turns a year older on 1 March in common years. A birth
    date after ``on`` raises ``ValidationError``.
    """
    if birth > on:
        raise ValidationError(
            _("生年月日（{birth}）が基準日（{on}）より後になっています。").format(
                birth=birth.isoformat(), on=on.isoformat()
            ),
            field="birth_date",
            hint=_("生年月日を確かめてください。"),
        )
    return _whole_months(birth, on) // 12


def age_in_month(birth_ym: str, on: date) -> int | None:
    """The age in the month of ``on`` from the year and month of birth (``"YYYY-MM"``).

    The statistics count with this rule (a person is a year older from the first day of
    the birth month), so every role gets the same 年代 while the day of birth stays sealed
    (store.vault). ``None`` when the month is unknown or later than ``on``.
    """
    try:
        year, month = int(birth_ym[:4]), int(birth_ym[5:7])
    except (TypeError, ValueError):
        return None
    if (year, month) > (on.year, on.month):
        return None
    return on.year - year - (1 if on.month < month else 0)


def age_band(age: int | None) -> str:
    """Return the :data:`AGE_BANDS` key for ``age`` (``None`` → ``"unknown"``)."""
    if age is None:
        return "unknown"
    if age < 0:
        raise ValueError(f"negative age: {age}")
    if age < 10:
        return "under10"
    if age >= 60:
        return "60s_plus"
    return f"{age // 10 * 10}s"


def period_band(start: date | None, on: date) -> str:
    """Return the :data:`PERIOD_BANDS` key for a state that began on ``start``, seen on ``on``.

    ``None`` (start not known) gives ``"unknown"``. Each band includes its lower bound: a
    state that began exactly six months before ``on`` is ``"6m_1y"``. A start after ``on``
    raises ``ValidationError``.
    """
    if start is None:
        return "unknown"
    if start > on:
        raise ValidationError(
            _("状態の開始時期（{start}）が基準日（{on}）より後になっています。").format(
                start=start.isoformat(), on=on.isoformat()
            ),
            hint=_("開始時期を確かめてください。分からない場合は空欄（不明）にします。"),
        )
    months = _whole_months(start, on)
    for lower, key in _PERIOD_THRESHOLDS:
        if months >= lower:
            return key
    raise AssertionError("unreachable: months is never negative here")  # pragma: no cover
