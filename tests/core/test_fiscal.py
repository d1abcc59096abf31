"""Tests for 年度, ages and the age / period bands used in returns."""

from __future__ import annotations

from datetime import date

import pytest

from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import (
    AGE_BANDS,
    PERIOD_BANDS,
    age_band,
    age_on,
    current_fiscal_year,
    fiscal_months,
    fiscal_year_of,
    fiscal_year_range,
    period_band,
)


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2019, 4, 1), 2019),
        (date(2019, 3, 31), 2018),
        (date(2020, 3, 31), 2019),
        (date(2020, 4, 1), 2020),
        (date(2026, 12, 31), 2026),
        (date(2027, 1, 1), 2026),
    ],
)
def test_fiscal_year_of(d, fy):
    assert fiscal_year_of(d) == fy


def test_fiscal_year_range():
    assert fiscal_year_range(2019) == (date(2019, 4, 1), date(2020, 3, 31))
    first, last = fiscal_year_range(2026)
    assert fiscal_year_of(first) == fiscal_year_of(last) == 2026
    assert fiscal_year_of(date(2026, 3, 31)) != 2026  # the day before is outside


def test_fiscal_months():
    months = fiscal_months(2026)
    assert len(months) == 12
    assert months[0] == (2026, 4)
    assert months[8] == (2026, 12)
    assert months[9] == (2027, 1)
    assert months[-1] == (2027, 3)
    assert all(fiscal_year_of(date(y, m, 1)) == 2026 for y, m in months)


def test_current_fiscal_year():
    assert current_fiscal_year(date(2027, 3, 31)) == 2026
    assert current_fiscal_year(date(2027, 4, 1)) == 2027
    assert current_fiscal_year() == fiscal_year_of(date.today())


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2000, 5, 10), date(2026, 5, 9), 25),  # the day before the birthday
        (date(2000, 5, 10), date(2026, 5, 10), 26),  # on the birthday
        (date(2000, 5, 10), date(2000, 5, 10), 0),
        (date(2000, 12, 31), date(2001, 1, 1), 0),
        (date(2000, 1, 1), date(2000, 12, 31), 0),
        (date(2000, 1, 1), date(2001, 1, 1), 1),
        # Born on 29 February: older from 1 March in common years, on 29 Feb in leap years.
        (date(2000, 2, 29), date(2023, 2, 28), 22),
        (date(2000, 2, 29), date(2023, 3, 1), 23),
        (date(2000, 2, 29), date(2024, 2, 28), 23),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
        (date(1950, 3, 31), date(2026, 3, 30), 75),
        (date(1950, 3, 31), date(2026, 3, 31), 76),
    ],
)
def test_age_on(birth, on, age):
    assert age_on(birth, on) == age


def test_age_on_birth_after_reference_day_is_a_validation_error():
    with pytest.raises(ValidationError) as info:
        age_on(date(2027, 1, 1), date(2026, 11, 26))
    assert "2027-01-01" in info.value.message
    assert info.value.field == "birth_date"


def test_age_bands_keys_and_labels():
    assert AGE_BANDS == [
        ("under10", "10歳未満"),
        ("10s", "10代"),
        ("20s", "20代"),
        ("30s", "30代"),
        ("40s", "40代"),
        ("50s", "50代"),
        ("60s_plus", "60代以上"),
        ("unknown", "不明"),
    ]


@pytest.mark.parametrize(
    ("age", "key"),
    [
        (None, "unknown"),
        (0, "under10"),
        (9, "under10"),
        (10, "10s"),
        (19, "10s"),
        (20, "20s"),
        (29, "20s"),
        (30, "30s"),
        (45, "40s"),
        (50, "50s"),
        (59, "50s"),
        (60, "60s_plus"),
        (99, "60s_plus"),
        (120, "60s_plus"),
    ],
)
def test_age_band(age, key):
    assert age_band(age) == key
    assert key in dict(AGE_BANDS)


def test_age_band_rejects_negative_age():
    with pytest.raises(ValueError):
        age_band(-1)


def test_period_bands_keys_and_labels():
    assert PERIOD_BANDS == [
        ("lt6m", "6か月未満"),
        ("6m_1y", "6か月～1年未満"),
        ("1y_3y", "1年～3年未満"),
        ("3y_5y", "3年～5年未満"),
        ("5y_10y", "5年～10年未満"),
        ("10y_plus", "10年以上"),
        ("unknown", "不明"),
    ]
    for _key, label in PERIOD_BANDS:
        label.encode("cp932")  # the labels go into Excel CSV exports


ON = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("start", "key"),
    [
        (None, "unknown"),
        (ON, "lt6m"),
        (date(2026, 5, 27), "lt6m"),  # one day short of six months
        (date(2026, 5, 26), "6m_1y"),  # exactly six months: lower bounds are inclusive
        (date(2025, 11, 27), "6m_1y"),
        (date(2025, 11, 26), "1y_3y"),
        (date(2023, 11, 27), "1y_3y"),
        (date(2023, 11, 26), "3y_5y"),
        (date(2021, 11, 27), "3y_5y"),
        (date(2021, 11, 26), "5y_10y"),
        (date(2016, 11, 27), "5y_10y"),
        (date(2016, 11, 26), "10y_plus"),
        (date(1990, 1, 1), "10y_plus"),
    ],
)
def test_period_band(start, key):
    assert period_band(start, ON) == key


def test_period_band_month_end_start():
    # From 31 August, six months are complete on 1 March (there is no 31 February).
    assert period_band(date(2025, 8, 31), date(2026, 2, 28)) == "lt6m"
    assert period_band(date(2025, 8, 31), date(2026, 3, 1)) == "6m_1y"


def test_period_band_start_after_reference_day_is_a_validation_error():
    with pytest.raises(ValidationError) as info:
        period_band(date(2026, 11, 27), ON)
    assert "2026-11-27" in info.value.message
