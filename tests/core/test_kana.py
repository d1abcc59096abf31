"""Tests for readings, 五十音順 sort keys and search folding."""

from __future__ import annotations

import pytest

from pfdesk.core.kana import (
    ITAIJI,
    fold,
    is_reading,
    matches,
    sort_key,
    to_hiragana,
    to_katakana,
)

# --- to_katakana / to_hiragana ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("やまだ", "ヤマダ"),
        ("ヤマダ", "ヤマダ"),
        ("ﾔﾏﾀﾞ", "ヤマダ"),
        ("ｶﾞｯｺｳ", "ガッコウ"),
        ("ﾊﾟﾝ", "パン"),
        ("ｷｮｳｺ", "キョウコ"),
        ("ｺｰﾋｰ", "コーヒー"),
        ("ｼﾞｮﾝ･ｽﾐｽ", "ジョン・スミス"),
        ("ゔぁいおりん", "ヴァイオリン"),
        ("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン"),
        ("カ゛ッコウ", "ガッコウ"),  # spacing voicing mark typed separately
        ("ハ゜ン", "パン"),
        ("か\u3099", "ガ"),  # combining voicing mark
        ("ゝゞ", "ヽヾ"),
        ("  やまだ　たろう  ", "ヤマダ　タロウ"),
        ("\u3000やまだ\u3000\u3000 たろう\t", "ヤマダ　タロウ"),
        ("やまだ たろう", "ヤマダ　タロウ"),
        ("", ""),
        (None, ""),
    ],
)
def test_to_katakana(text, expected):
    assert to_katakana(text) == expected


def test_to_katakana_leaves_non_kana_alone():
    # Only half-width katakana is widened: full-width letters and kanji stay as typed.
    assert to_katakana("ＡＢＣ山田") == "ＡＢＣ山田"
    assert to_katakana("ア゛") == "ア゛"  # no composed form exists


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ヤマダ　タロウ", "やまだ　たろう"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ　たろう"),
        ("ヴァイオリン", "ゔぁいおりん"),
        ("コーヒー", "こーひー"),
        ("キョウコ", "きょうこ"),
        ("やまだ", "やまだ"),
        ("", ""),
    ],
)
def test_to_hiragana(text, expected):
    assert to_hiragana(text) == expected


def test_round_trip_between_scripts():
    for reading in ["サトウ　ハナコ", "ジョン・スミス", "ガッコウ", "ヴァイオリン", "パーティー"]:
        assert to_katakana(to_hiragana(reading)) == reading


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("やまだ たろう", True),
        ("ヤマダ　タロウ", True),
        ("ﾔﾏﾀﾞ", True),
        ("ジョン・スミス", True),
        ("コーヒー", True),
        ("ヴァイオリン", True),
        ("山田", False),
        ("やまだ1", False),
        ("Yamada", False),
        ("やまだ（たろう）", False),
        ("", False),
        ("\u3000 ", False),
        (None, False),
    ],
)
def test_is_reading(text, ok):
    assert is_reading(text) is ok


# --- sort_key -------------------------------------------------------------------------


def _sorted(names):
    return sorted(names, key=sort_key)


def test_voiced_kana_sort_with_unvoiced_first_then_by_mark():
    assert _sorted(["ザトウ", "サトウ"]) == ["サトウ", "ザトウ"]
    assert _sorted(["パシモト", "バシモト", "ハシモト"]) == ["ハシモト", "バシモト", "パシモト"]
    # The mark is ignored on the first pass: ザトウ sorts before サトミ, not after all サ….
    assert _sorted(["サトミ", "ザトウ", "サトウ"]) == ["サトウ", "ザトウ", "サトミ"]
    # は→ば→ぱ→はあ: a longer word comes after every voicing of the shorter one.
    assert _sorted(["ハア", "パ", "ハ", "バ"]) == ["ハ", "バ", "パ", "ハア"]


def test_small_kana_count_as_full_size_and_sort_after_on_a_tie():
    assert _sorted(["キョウ", "キヨウ"]) == ["キヨウ", "キョウ"]
    # キャク ties with キヤク, and both come after キヤ (shorter) and before キユ.
    assert _sorted(["キユ", "キャク", "キヤク", "キャ", "キヤ"]) == [
        "キヤ",
        "キャ",
        "キヤク",
        "キャク",
        "キユ",
    ]
    assert _sorted(["ハツタ", "ハッタ", "ハツセ"]) == ["ハツセ", "ハツタ", "ハッタ"]


def test_long_vowel_mark_takes_the_preceding_vowel():
    # コーヒー is compared as コオヒイ: after コウ…, before コカ….
    assert _sorted(["コカ", "コーヒー", "コウ"]) == ["コウ", "コーヒー", "コカ"]
    # ああく → あーく → ああけ
    assert _sorted(["アアケ", "アーク", "アアク"]) == ["アアク", "アーク", "アアケ"]
    assert sort_key("コーヒー")[1] == sort_key("コオヒイ")[1]
    assert sort_key("コーヒー") > sort_key("コオヒイ")
    # After a voiced or small kana, ー still takes that kana's vowel.
    assert sort_key("ガー")[1] == sort_key("カア")[1]
    assert sort_key("キャー")[1] == sort_key("キヤア")[1]


def test_gojuon_order_of_rows_and_wa_row():
    names = ["ワタナベ", "ヲノ", "ンドウ", "アベ", "ヤマダ", "ナカムラ", "イトウ", "マツモト"]
    assert _sorted(names) == [
        "アベ",
        "イトウ",
        "ナカムラ",
        "マツモト",
        "ヤマダ",
        "ワタナベ",
        "ヲノ",
        "ンドウ",
    ]


def test_real_name_list_in_gojuon_order():
    readings = [
        "ワタナベ　ユウキ",
        "タカハシ　ケンジ",
        "サトウ　ハナコ",
        "サイトウ　マコト",
        "ササキ　リョウ",
        "スズキ　イチロウ",
        "イトウ　ジュン",
        "ヤマダ　タロウ",
        "ヤマ　ハナコ",
        "ヤマモト　ミキ",
        "イノウエ　サトシ",
    ]
    assert _sorted(readings) == [
        "イトウ　ジュン",
        "イノウエ　サトシ",
        "サイトウ　マコト",
        "ササキ　リョウ",
        "サトウ　ハナコ",
        "スズキ　イチロウ",
        "タカハシ　ケンジ",
        "ヤマ　ハナコ",  # a shorter family name sorts before a longer one
        "ヤマダ　タロウ",
        "ヤマモト　ミキ",
        "ワタナベ　ユウキ",
    ]


def test_given_name_decides_when_family_names_match():
    assert _sorted(["サトウ　ヨウコ", "サトウ　アキラ", "サトウ　ミホ"]) == [
        "サトウ　アキラ",
        "サトウ　ミホ",
        "サトウ　ヨウコ",
    ]


def test_hiragana_katakana_and_half_width_sort_identically():
    assert sort_key("さとう") == sort_key("サトウ") == sort_key("ｻﾄｳ")
    assert sort_key("やまだ たろう") == sort_key("ヤマダ　タロウ")
    mixed = ["たなか", "サトウ", "すずき", "ｱﾍﾞ"]
    assert _sorted(mixed) == ["ｱﾍﾞ", "サトウ", "すずき", "たなか"]


def test_voicing_is_compared_before_small_kana():
    # Both are キヤ on the first pass; the voicing difference decides before the small ャ.
    assert _sorted(["ギヤ", "キャ"]) == ["キャ", "ギヤ"]
    assert _sorted(["ジユウ", "シュウ"]) == ["シュウ", "ジユウ"]


def test_iteration_marks_repeat_the_previous_kana():
    assert sort_key("サヽキ")[1] == sort_key("ササキ")[1]
    assert _sorted(["サシ", "サヽキ"]) == ["サヽキ", "サシ"]
    assert sort_key("ミスヾ")[:3] == sort_key("ミスズ")[:3]  # ヾ repeats with a voicing mark


def test_vu_sorts_as_voiced_u():
    assert _sorted(["ウイ", "ヴィ", "ウエ"]) == ["ウイ", "ヴィ", "ウエ"]


def test_blank_reading_sorts_last():
    assert _sorted(["", "ワ", None, "ア", "  "])[:2] == ["ア", "ワ"]
    assert sort_key(None) == sort_key("") == sort_key("\u3000")
    assert sort_key("") > sort_key("ンンン")


def test_sort_key_is_total_for_equal_first_passes():
    # Distinct readings never compare equal, so a sort is stable and repeatable.
    a, b = sort_key("ハッパ"), sort_key("ハツハ")
    assert a != b
    assert sort_key("ハツハ") < sort_key("ハツバ") < sort_key("ハッパ")


# --- fold / matches ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variant", "standard"),
    [
        ("髙橋", "高橋"),
        ("山\ufa11", "山崎"),  # 﨑
        ("宮嵜", "宮崎"),
        ("\U00020bb7田", "吉田"),  # 𠮷田
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("濵田", "浜田"),
        ("濱田", "浜田"),
        ("齋藤", "斎藤"),
        ("齊藤", "斉藤"),
        ("德永", "徳永"),
        ("廣田", "広田"),
        ("澤田", "沢田"),
        ("櫻井", "桜井"),
        ("瀨戸", "瀬戸"),
        ("眞鍋", "真鍋"),
        ("冨田", "富田"),
        ("髙槗", "高橋"),
        ("栁田", "柳田"),
        ("舘野", "館野"),
        ("國分", "国分"),
        ("實", "実"),
        ("惠子", "恵子"),
        ("嶋田", "島田"),
        ("大嶌", "大島"),
        ("峯岸", "峰岸"),
        ("桒原", "桑原"),
        ("靑木", "青木"),
        ("淸水", "清水"),
        ("黑田", "黒田"),
        ("\U0002123d屋", "土屋"),  # 𡈽屋
        ("\uf9dc", "\u9686"),  # 隆 compatibility ideograph, via NFKC
        ("㈱高知", "(株)高知"),
    ],
)
def test_fold_joins_itaiji(variant, standard):
    assert fold(variant) == fold(standard)
    assert fold(variant) != fold("")  # nothing was dropped on the way


def test_itaiji_table_contents():
    for key in ["髙", "\ufa11", "嵜", "\U00020bb7", "邊", "邉", "濵", "濱", "齋", "齊", "德"]:
        assert key in ITAIJI
    assert ITAIJI["髙"] == "高"
    # 淵 and 渕 are different 戸籍 characters: not joined.
    assert "淵" not in ITAIJI and "渕" not in ITAIJI
    assert fold("淵上") != fold("渕上")
    # 斎 and 斉 are different names too.
    assert fold("齋藤") != fold("齊藤")
    # Keys are single characters (str.translate needs that) and never map to themselves.
    assert all(len(k) == 1 and k != v for k, v in ITAIJI.items())


def test_fold_scripts_width_and_case():
    assert fold("タカハシ") == fold("たかはし") == fold("ﾀｶﾊｼ") == "たかはし"
    assert fold("ガッコウ") == fold("ｶﾞｯｺｳ") == "がっこう"
    assert fold("ＡＢＣ") == fold("abc") == "abc"
    assert fold("１２３") == "123"
    assert fold("ヴ") == "ゔ"
    assert fold("霞ヶ関") == fold("霞ケ関")


def test_fold_removes_spaces_and_middle_dots():
    assert fold("山田 太郎") == fold("山田　太郎") == fold("山田太郎") == "山田太郎"
    assert fold("ジョン・スミス") == fold("ｼﾞｮﾝ･ｽﾐｽ") == "じょんすみす"
    assert fold("葛\U000e0100西") == fold("葛西")  # ideographic variation selector


def test_fold_hyphens():
    for dash in "‐-–—−―─－":
        assert fold(f"1{dash}2{dash}3") == "1-2-3", dash
    # ー typed in an address is a hyphen; ｰ likewise.
    assert fold("1ー2ー3") == "1-2-3"
    assert fold("1ｰ2") == "1-2"
    # ...but the prolonged sound mark in a word stays, including at the end and doubled.
    assert fold("コーヒー") == "こーひー"
    assert fold("ｺｰﾋｰ") == "こーひー"
    assert fold("ルーム101ー2") == "るーむ101-2"
    assert fold("アーー") == "あーー"
    assert fold("ー") == "-"


def test_fold_blank():
    assert fold("") == ""
    assert fold(None) == ""
    assert fold(" \u3000") == ""


def test_matches_basic_terms():
    assert matches("高橋", "髙橋 花子")
    assert matches("髙橋", "高橋花子")
    assert matches("たかはし", "タカハシ　ハナコ")
    assert matches("ﾀｶﾊｼ", "たかはし")
    assert matches("山崎", "山﨑 次郎")
    assert matches("吉田", "\U00020bb7田")
    assert not matches("高橋", "高田 花子")


def test_matches_requires_every_term():
    assert matches("高橋 花子", "髙橋", "花子")
    assert matches("花子　高橋", "髙橋", "花子")  # full-width space separates terms too
    assert not matches("高橋 太郎", "髙橋", "花子")


def test_matches_across_haystacks_and_none():
    assert matches("山田太郎", "山田", "太郎")
    assert matches("やまだ", None, "ヤマダ　タロウ", None)
    assert not matches("山田", None, None)
    assert matches("090-1234", "０９０ー１２３４ー５６７８")


def test_matches_blank_query_matches_everything():
    assert matches("", "山田")
    assert matches("  \u3000", "山田")
    assert matches(None, "山田")


def test_two_character_names_are_found_inside_longer_text():
    assert matches("高橋", "担当: 高橋（相談員）")
    assert matches("橋", "高橋")
