"""Tests for tidying free text, phone numbers, postal codes, e-mail addresses and names."""

from __future__ import annotations

import pytest

from pfdesk.core.errors import ValidationError
from pfdesk.core.normalize import (
    clean_text,
    normalize_email,
    normalize_phone,
    normalize_postal,
    split_name,
)

# --- clean_text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  山田  ", "山田"),
        ("\u3000山田\u3000", "山田"),
        ("\xa0山田\xa0", "山田"),
        ("\t山田\n", "山田"),
        ("一行目\r\n二行目\r三行目\n四行目", "一行目\n二行目\n三行目\n四行目"),
        ("\ufeff山田", "山田"),
        ("山\u200b田", "山田"),
        ("\ufeff\u3000山田", "山田"),  # BOM first, then the space behind it
        ("山\x00田\x0b", "山田"),
        ("列1\t列2", "列1\t列2"),  # tabs inside are kept
        (12, "12"),
        (3.5, "3.5"),
    ],
)
def test_clean_text(value, expected):
    assert clean_text(value) == expected


def test_clean_text_keeps_itaiji_and_symbols_as_typed():
    typed = "髙橋 山\ufa11 \U00020bb7田 ㈱ＡＢＣ \uf9dc ｶﾀｶﾅ"
    assert clean_text(f"  {typed}\u3000") == typed


def test_clean_text_keeps_inner_spaces_and_emoji_joiners():
    assert clean_text("山田　太郎") == "山田　太郎"
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(family) == family


# --- normalize_phone --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0887-22-1234", "0887-22-1234"),
        ("０８８７－２２－１２３４", "0887-22-1234"),
        ("0887ー22ー1234", "0887-22-1234"),
        ("0887‐22‐1234", "0887-22-1234"),
        ("0887−22−1234", "0887-22-1234"),
        ("0887–22–1234", "0887-22-1234"),
        ("0887―22―1234", "0887-22-1234"),
        ("0887─22─1234", "0887-22-1234"),
        ("0887﹣22﹣1234", "0887-22-1234"),
        ("0887ｰ22ｰ1234", "0887-22-1234"),
        ("0887(22)1234", "0887-22-1234"),
        ("（0887）22-1234", "0887-22-1234"),
        ("(0887)22-1234", "0887-22-1234"),
        ("（０８８７）２２－１２３４", "0887-22-1234"),
        ("0887 22 1234", "0887-22-1234"),
        ("0887 - 22 - 1234", "0887-22-1234"),
        ("  03-1234-5678\u3000", "03-1234-5678"),
        ("0887--22-1234", "0887-22-1234"),
        ("+81-90-1234-5678", "+81-90-1234-5678"),
        ("＋81 90 1234 5678", "+81-90-1234-5678"),
        ("110", "110"),
        ("1190", "1190"),
        ("#7119", "#7119"),
        ("＃８０００", "#8000"),
    ],
)
def test_normalize_phone(value, expected):
    assert normalize_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("09012345678", "090-1234-5678"),
        ("08012345678", "080-1234-5678"),
        ("07012345678", "070-1234-5678"),
        ("０９０１２３４５６７８", "090-1234-5678"),
        ("05012345678", "050-1234-5678"),
        ("0120123456", "0120-123-456"),
        ("0570123456", "0570-123-456"),
        ("08001234567", "0800-123-4567"),
        # Geographic numbers: the area code length varies, so no hyphens are guessed.
        ("0887221234", "0887221234"),
        ("0312345678", "0312345678"),
        ("0498212345", "0498212345"),
    ],
)
def test_normalize_phone_adds_hyphens_only_where_the_grouping_is_fixed(value, expected):
    assert normalize_phone(value) == expected


def test_normalize_phone_keeps_the_grouping_the_user_typed():
    assert normalize_phone("0901-234-5678") == "0901-234-5678"
    assert normalize_phone("088-722-1234") == "088-722-1234"


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000"])
def test_normalize_phone_blank(value):
    assert normalize_phone(value) == ""


@pytest.mark.parametrize(
    "value",
    ["0887-22-1234 内線12", "090-1234-abcd", "TEL 0887-22-1234", "0887.22.1234", "12+34", "-", "+"],
)
def test_normalize_phone_rejects_letters_and_symbols(value):
    with pytest.raises(ValidationError) as info:
        normalize_phone(value)
    assert info.value.field == "phone"
    assert info.value.message == f"電話番号「{value.strip()}」に数字以外の文字があります。"


@pytest.mark.parametrize(
    "value",
    ["12", "12345", "0887-22-123", "090-1234-56789", "123456789012", "+81-1234", "#119"],
)
def test_normalize_phone_rejects_wrong_digit_counts(value):
    with pytest.raises(ValidationError) as info:
        normalize_phone(value)
    assert info.value.field == "phone"
    assert f"電話番号「{value}」" in info.value.message
    assert "桁" in info.value.message


def test_normalize_phone_spots_a_leading_zero_lost_in_excel():
    with pytest.raises(ValidationError) as info:
        normalize_phone(9012345678)
    assert info.value.field == "phone"
    assert "0" in info.value.message
    assert "Excel" in info.value.hint


# --- normalize_postal -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "123-4567",
        "1234567",
        "〒123-4567",
        "１２３－４５６７",
        "〒 123ー4567",
        "〒１２３４５６７",
        " 123-4567\u3000",
        "123 4567",
        "123‐4567",
        1234567,
    ],
)
def test_normalize_postal(value):
    assert normalize_postal(value) == "123-4567"


@pytest.mark.parametrize("value", [None, "", "  ", "〒", "〒 "])
def test_normalize_postal_blank(value):
    assert normalize_postal(value) == ""


@pytest.mark.parametrize("value", ["123-456", "12345678", "1234-567", "12-34567", "123-45678"])
def test_normalize_postal_rejects_wrong_digit_counts(value):
    with pytest.raises(ValidationError) as info:
        normalize_postal(value)
    assert info.value.field == "postal_code"
    assert f"郵便番号「{value}」" in info.value.message


@pytest.mark.parametrize("value", ["123-456a", "ABC-DEFG", "123_4567"])
def test_normalize_postal_rejects_letters(value):
    with pytest.raises(ValidationError) as info:
        normalize_postal(value)
    assert info.value.field == "postal_code"
    assert "数字以外" in info.value.message


def test_normalize_postal_hints_at_a_lost_leading_zero():
    with pytest.raises(ValidationError) as info:
        normalize_postal(600001)  # 060-0001 read from a numeric Excel cell
    assert "Excel" in info.value.hint
    with pytest.raises(ValidationError) as info:
        normalize_postal("123-456")  # typed short, not an Excel artefact
    assert "Excel" not in info.value.hint


# --- normalize_email --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("soudan@example.lg.jp", "soudan@example.lg.jp"),
        (" Taro.Yamada@Example.LG.JP ", "Taro.Yamada@example.lg.jp"),  # local part keeps case
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),
        ("\u3000a+tag@sub.example.com\u3000", "a+tag@sub.example.com"),
    ],
)
def test_normalize_email(value, expected):
    assert normalize_email(value) == expected


@pytest.mark.parametrize("value", [None, "", "  ", "\u3000"])
def test_normalize_email_blank(value):
    assert normalize_email(value) == ""


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("example.jp", "「@」がありません"),
        ("a@@example.jp", "2つ以上"),
        ("a@b@example.jp", "2つ以上"),
        ("@example.jp", "「@」の前"),
        ("a@localhost", "ドメイン"),
        ("a@example..jp", "ドメイン"),
        ("a@.example.jp", "ドメイン"),
        ("a@example.jp.", "ドメイン"),
        ("a b@example.jp", "空白"),
    ],
)
def test_normalize_email_rejects(value, fragment):
    with pytest.raises(ValidationError) as info:
        normalize_email(value)
    assert info.value.field == "email"
    assert f"メールアドレス「{value}」" in info.value.message
    assert fragment in info.value.message


# --- split_name -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("山田 太郎", ("山田", "太郎")),
        ("山田　太郎", ("山田", "太郎")),
        ("  山田 \u3000 太郎  ", ("山田", "太郎")),
        ("髙橋　花子", ("髙橋", "花子")),
        ("山田太郎", ("山田太郎", "")),
        ("ヤマダ タロウ", ("ヤマダ", "タロウ")),
        ("John Paul Smith", ("John", "Paul Smith")),  # only the first space splits
        ("", ("", "")),
        (None, ("", "")),
    ],
)
def test_split_name(full, expected):
    assert split_name(full) == expected
