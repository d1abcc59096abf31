"""Tests for 和暦 formatting and for reading typed dates and times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from pfdesk.core.errors import ValidationError
from pfdesk.core.wareki import (
    ERAS,
    era_of,
    format_date,
    format_datetime,
    format_era_year,
    format_fiscal_year,
    format_time,
    format_time_range,
    format_year_month,
    parse_date,
    parse_date_or_none,
    parse_time,
    weekday_ja,
)


def test_eras_are_newest_first_with_their_first_days():
    assert [(e.name, e.abbrev, e.start) for e in ERAS] == [
        ("令和", "R", date(2019, 5, 1)),
        ("平成", "H", date(1989, 1, 8)),
        ("昭和", "S", date(1926, 12, 25)),
        ("大正", "T", date(1912, 7, 30)),
        ("明治", "M", date(1868, 1, 25)),
    ]
    name, abbrev, start = ERAS[0]  # plain tuple unpacking works too
    assert (name, abbrev, start) == ("令和", "R", date(2019, 5, 1))


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 11, 26), ("令和", 8)),
        (date(2019, 5, 1), ("令和", 1)),
        (date(2019, 4, 30), ("平成", 31)),
        (date(1989, 1, 8), ("平成", 1)),
        (date(1989, 1, 7), ("昭和", 64)),
        (date(1926, 12, 25), ("昭和", 1)),
        (date(1926, 12, 24), ("大正", 15)),
        (date(1912, 7, 30), ("大正", 1)),
        (date(1912, 7, 29), ("明治", 45)),
        (date(1868, 1, 25), ("明治", 1)),
    ],
)
def test_era_of_at_every_boundary(d, expected):
    assert era_of(d) == expected


def test_era_of_before_meiji_is_an_error():
    with pytest.raises(ValueError):
        era_of(date(1868, 1, 24))


def test_weekday_ja():
    # 2026-11-23 is a Monday; check a whole week so an off-by-one shows.
    monday = date(2026, 11, 23)
    assert "".join(weekday_ja(monday + timedelta(days=i)) for i in range(7)) == "月火水木金土日"


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 11, 26), "令和8年11月26日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(2020, 1, 1), "令和2年1月1日"),
    ],
)
def test_format_date(d, expected):
    assert format_date(d) == expected


def test_format_date_with_full_width_weekday():
    assert format_date(date(2026, 11, 26), weekday=True) == "令和8年11月26日（木）"
    assert format_date(date(2019, 5, 1), weekday=True) == "令和元年5月1日（水）"


def test_format_date_before_meiji_falls_back_to_western_year():
    assert format_date(date(1850, 3, 4)) == "1850年3月4日"


def test_format_year_month_and_era_year():
    assert format_year_month(2026, 11) == "令和8年11月"
    assert format_year_month(2019, 5) == "令和元年5月"
    assert format_year_month(2019, 4) == "平成31年4月"
    assert format_year_month(1989, 1) == "昭和64年1月"  # era on the 1st of the month
    assert format_era_year(date(2026, 1, 5)) == "令和8年"
    assert format_era_year(date(2019, 5, 1)) == "令和元年"
    assert format_era_year(date(2019, 4, 30)) == "平成31年"


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (2019, "令和元年度"),  # began 2019-04-01 under 平成, named 令和 by convention
        (2020, "令和2年度"),
        (2026, "令和8年度"),
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
    ],
)
def test_format_fiscal_year(fy, expected):
    assert format_fiscal_year(fy) == expected


def test_format_time_and_range():
    assert format_time(time(13, 30)) == "13時30分"
    assert format_time(time(13, 0)) == "13時"
    assert format_time(time(9, 5)) == "9時5分"
    assert format_time(time(0, 0)) == "0時"
    assert format_time_range(time(13, 30), time(15, 0)) == "13時30分～15時"
    assert format_time_range(time(13, 30)) == "13時30分～"
    # U+FF5E, which cp932 (Excel CSV) can encode; the wave dash U+301C cannot.
    assert "\uff5e" in format_time_range(time(9), time(10))
    format_time_range(time(9), time(10)).encode("cp932")


def test_format_datetime():
    dt = datetime(2026, 11, 26, 13, 30)
    assert format_datetime(dt) == "令和8年11月26日（木） 13時30分"
    assert format_datetime(dt, weekday=False) == "令和8年11月26日 13時30分"


@pytest.mark.parametrize(
    "text",
    [
        "2026/11/26",
        "2026-11-26",
        "2026.11.26",
        "2026年11月26日",
        "20261126",
        "R8.11.26",
        "R8/11/26",
        "R8-11-26",
        "r8.11.26",
        "R08.11.26",
        "R8年11月26日",
        "令和8年11月26日",
        "令和 8年 11月 26日",
        "Ｒ８．１１．２６",
        "２０２６／１１／２６",
        "２０２６年１１月２６日",
        " 2026/11/26 ",
        "\u30002026/11/26\u3000",
        "2026/11/26（木）",
        "2026/11/26(木)",
        "令和8年11月26日（木）",
        "R8.11.26 (木曜日)",
        "2026/11/26\t",
    ],
)
def test_parse_date_accepts_common_forms(text):
    assert parse_date(text) == date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("S64.1.7", date(1989, 1, 7)),
        ("s50.4.1", date(1975, 4, 1)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("T15.12.24", date(1926, 12, 24)),
        ("大正元年7月30日", date(1912, 7, 30)),
        ("M45.7.29", date(1912, 7, 29)),
        ("明治元年1月25日", date(1868, 1, 25)),
        ("㍻31年4月30日", date(2019, 4, 30)),
        ("2024/2/29", date(2024, 2, 29)),
        ("2026/1/5", date(2026, 1, 5)),
    ],
)
def test_parse_date_eras_and_first_years(text, expected):
    assert parse_date(text) == expected


def test_parse_date_round_trips_format_date_across_era_changes():
    for start in (date(2019, 4, 25), date(1989, 1, 3), date(1926, 12, 20), date(1912, 7, 25)):
        for i in range(12):
            d = start + timedelta(days=i)
            assert parse_date(format_date(d)) == d
            assert parse_date(format_date(d, weekday=True)) == d


@pytest.mark.parametrize(
    "text",
    [
        "2026/13/01",
        "2026/02/30",
        "2025/2/29",
        "2026/11/32",
        "20261132",
        "2026/11",
        "26/11/26",
        "2026//11/26",
        "abc",
        "R8.11",
        "X8.11.26",
        "R0.1.1",
        "令和0年1月1日",
        "2026年11月26",
        "2026/11/26 木",
        "2026/11/26（月）extra",
    ],
)
def test_parse_date_rejects_non_dates_quoting_the_input(text):
    with pytest.raises(ValidationError) as info:
        parse_date(text)
    assert f"「{text.strip()}」" in info.value.message
    assert "R8.11.26" in info.value.hint  # shows the accepted forms


def test_parse_date_message_for_unreadable_text():
    with pytest.raises(ValidationError) as info:
        parse_date("2026/13/01")
    assert info.value.message == "「2026/13/01」は日付として読めません。"


@pytest.mark.parametrize("text", ["", "   ", "\u3000", None])
def test_parse_date_rejects_blank(text):
    with pytest.raises(ValidationError) as info:
        parse_date(text)
    assert "入力されていません" in info.value.message


@pytest.mark.parametrize(
    ("text", "era"),
    [
        ("令和1年4月30日", "令和"),
        ("R1.4.30", "令和"),
        ("平成32年1月1日", "平成"),
        ("H31.5.1", "平成"),
        ("S64.1.8", "昭和"),
        ("昭和元年12月24日", "昭和"),
        ("T15.12.25", "大正"),
        ("M45.7.30", "明治"),
        ("明治元年1月24日", "明治"),
    ],
)
def test_parse_date_rejects_dates_outside_their_era(text, era):
    with pytest.raises(ValidationError) as info:
        parse_date(text)
    assert f"「{text}」は{era}の日付ではありません" in info.value.message


def test_parse_date_out_of_era_message_names_the_boundary():
    with pytest.raises(ValidationError) as info:
        parse_date("H31.5.1")
    assert "2019年4月30日まで" in info.value.message
    assert "令和" in info.value.hint
    with pytest.raises(ValidationError) as info:
        parse_date("令和1年4月30日")
    assert "2019年5月1日から" in info.value.message


def test_parse_date_rejects_a_weekday_that_does_not_match():
    with pytest.raises(ValidationError) as info:
        parse_date("2026/11/26（金）")
    assert "「2026/11/26（金）」" in info.value.message
    assert "木曜日" in info.value.message


def test_parse_date_rejects_western_dates_before_meiji():
    with pytest.raises(ValidationError) as info:
        parse_date("1026/11/26")
    assert "「1026/11/26」" in info.value.message


def test_parse_date_error_is_a_known_error_with_user_text():
    with pytest.raises(ValidationError) as info:
        parse_date("R8.13.1")
    assert "「R8.13.1」" in info.value.user_text()


def test_parse_date_or_none():
    assert parse_date_or_none("") is None
    assert parse_date_or_none("  \u3000 ") is None
    assert parse_date_or_none(None) is None
    assert parse_date_or_none("R8.11.26") == date(2026, 11, 26)
    with pytest.raises(ValidationError):
        parse_date_or_none("2026/13/01")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13:30", time(13, 30)),
        ("１３：３０", time(13, 30)),
        ("13時30分", time(13, 30)),
        ("１３時３０分", time(13, 30)),
        ("13時", time(13, 0)),
        ("13時半", time(13, 30)),
        ("1330", time(13, 30)),
        ("0930", time(9, 30)),
        ("930", time(9, 30)),
        ("9:05", time(9, 5)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("13:30:15", time(13, 30, 15)),
        (" 13:30\u3000", time(13, 30)),
        ("午後1時30分", time(13, 30)),
        ("午前9時", time(9, 0)),
        ("午前0時", time(0, 0)),
        ("午後11:45", time(23, 45)),
    ],
)
def test_parse_time_accepts(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    ["24:00", "25:00", "13:60", "13", "13:3", "2400", "13時60分", "abc", "午後12時", "午後13時"],
)
def test_parse_time_rejects(text):
    with pytest.raises(ValidationError) as info:
        parse_time(text)
    assert f"「{text}」は時刻として読めません" in info.value.message
    assert info.value.hint


@pytest.mark.parametrize("text", ["", "  ", None])
def test_parse_time_rejects_blank(text):
    with pytest.raises(ValidationError) as info:
        parse_time(text)
    assert "入力されていません" in info.value.message


def test_table_dates_are_short_in_the_era_of_the_day():
    from datetime import date, datetime

    from pfdesk.core.wareki import format_short, format_short_datetime

    assert format_short(date(2026, 11, 20)) == "R8.11.20"
    assert format_short(date(2019, 4, 30)) == "H31.4.30"  # the last day of 平成
    assert format_short(date(2019, 5, 1)) == "R1.5.1"
    assert format_short(None) == ""
    assert format_short_datetime(datetime(2026, 4, 1, 9, 5)) == "R8.4.1 09:05"
