"""Kana readings (ふりがな), 五十音順 sort keys, and the folding used to search names and text.

Stored text is always kept exactly as typed; folding and sort keys are derived for matching.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_HALFWIDTH_KANA = re.compile(r"[\uff61-\uff9f]+")
# A kana followed by a voicing mark typed separately: combining (U+3099/309A, left by
# half-width ﾞﾟ) or spacing (゛゜ U+309B/309C, typed by some input methods).
_SEPARATE_MARK = re.compile(r"([\u3041-\u30ff])([\u3099\u309a\u309b\u309c])")
_TO_COMBINING = {"\u309b": "\u3099", "\u309c": "\u309a"}
_WHITESPACE = re.compile(r"\s+")

_HIRA_TO_KATA = {c: c + 0x60 for c in range(0x3041, 0x3097)} | {0x309D: 0x30FD, 0x309E: 0x30FE}
# ヵヶ have hiragana forms (ゕゖ) that few fonts draw, so they stay katakana for display.
_KATA_TO_HIRA = {c: c - 0x60 for c in range(0x30A1, 0x30F5)} | {0x30FD: 0x309D, 0x30FE: 0x309E}

_READING_CHARS = frozenset(
    [chr(c) for c in range(0x30A1, 0x30FB)] + ["ー", "・", "ヽ", "ヾ", "\u3000"]
)


def _compose_mark(m: re.Match[str]) -> str:
    composed = unicodedata.normalize("NFC", m.group(1) + _TO_COMBINING.get(m.group(2), m.group(2)))
    # ア゛ and the like have no composed form; leave them as typed.
    return composed if len(composed) == 1 else m.group(0)


def to_katakana(text: str | None) -> str:
    """Normalize a reading to full-width katakana: ひらがな and ﾊﾝｶｸ become カタカナ.

    Half-width voicing marks join their kana (ｶﾞ → ガ, ﾊﾟ → パ), ゔ becomes ヴ, surrounding
    whitespace is stripped and inner runs of spaces become one full-width space.
    """
    if not text:
        return ""
    # NFKC only on half-width runs: elsewhere it would also rewrite letters and symbols.
    s = _HALFWIDTH_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    s = _SEPARATE_MARK.sub(_compose_mark, s.translate(_HIRA_TO_KATA))
    return _WHITESPACE.sub("\u3000", s.strip())


def to_hiragana(text: str | None) -> str:
    """Normalize a reading like :func:`to_katakana`, then turn katakana into ひらがな."""
    return to_katakana(text).translate(_KATA_TO_HIRA)


def is_reading(text: str | None) -> bool:
    """Tell whether ``text`` is a usable reading: kana, ー, ・ and spaces only, not blank."""
    kata = to_katakana(text)
    return bool(kata) and all(c in _READING_CHARS for c in kata)


# --- 五十音順 ---------------------------------------------------------------------------

_SMALL_TO_LARGE = dict(zip("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ", strict=True))
_VOWEL_OF = {
    kana: vowel
    for vowel, row in (
        ("ア", "アカサタナハマヤラワ"),
        ("イ", "イキシチニヒミリヰ"),
        ("ウ", "ウクスツヌフムユル"),
        ("エ", "エケセテネヘメレヱ"),
        ("オ", "オコソトノホモヨロヲ"),
        ("ン", "ン"),
    )
    for kana in row
}
_VOICING = {"\u3099": 1, "\u309a": 2}
# Secondary differences in the third level: written as is < small kana / ー < ヽ ヾ.
_PLAIN, _SMALL_OR_LONG, _ITERATION = 0, 1, 2


@functools.lru_cache(maxsize=65_536)  # lists of thousands sort again on every reload
def sort_key(reading: str | None) -> tuple:
    """Return a key that sorts readings in 五十音順 (JIS X 4061, simplified).

    First level: voicing marks are ignored (ガ→カ, パ→ハ, ヴ→ウ), small kana count as
    full-size (ャ→ヤ, ッ→ツ), ー counts as the vowel of the kana before it (コーヒー →
    コオヒイ), spaces and ・ separate words (ヤマ　ハナコ before ヤマダ). Ties go to 清音 <
    濁音 < 半濁音, then to plain kana before small kana and ー, then to the reading itself.
    Hiragana and katakana give equal keys; a blank reading sorts after every other.
    """
    kata = to_katakana(reading)
    if not kata:
        return (1, "", (), (), "")
    primary: list[str] = []
    voicing: list[int] = []
    kind: list[int] = []
    prev = ""
    for c in kata:
        if c == "ー":
            base, voice, k = _VOWEL_OF.get(prev, "ー"), 0, _SMALL_OR_LONG
        elif c in "ヽヾ":
            base, voice, k = prev or c, int(c == "ヾ"), _ITERATION
        elif c.isspace() or c == "・":
            # Below every kana, so a shorter family name sorts before a longer one.
            base, voice, k = " ", 0, _PLAIN
        else:
            decomposed = unicodedata.normalize("NFD", c)
            base = decomposed[0]
            voice = max((_VOICING.get(m, 0) for m in decomposed[1:]), default=0)
            k = _PLAIN
            if base in _SMALL_TO_LARGE:
                base, k = _SMALL_TO_LARGE[base], _SMALL_OR_LONG
        primary.append(base)
        voicing.append(voice)
        kind.append(k)
        prev = base
    return (0, "".join(primary), tuple(voicing), tuple(kind), kata)


# --- search folding -------------------------------------------------------------------

#: 異体字 found in names, mapped to the standard form for matching only. Characters with a
#: compatibility decomposition (隆 U+F9DC, ㈱) are already handled by NFKC. 淵 and 渕 are
#: different characters in 戸籍 and are deliberately not joined.
ITAIJI: dict[str, str] = {
    "髙": "高",
    "\ufa11": "崎",  # 﨑
    "嵜": "崎",
    "\U00020bb7": "吉",  # 𠮷 (つちよし)
    "\U0002123d": "土",  # 𡈽 (土 with a dot)
    "邊": "辺",
    "邉": "辺",
    "濵": "浜",
    "濱": "浜",
    "齋": "斎",
    "齊": "斉",
    "德": "徳",
    "廣": "広",
    "澤": "沢",
    "櫻": "桜",
    "瀨": "瀬",
    "眞": "真",
    "冨": "富",
    "槗": "橋",
    "栁": "柳",
    "舘": "館",
    "國": "国",
    "實": "実",
    "惠": "恵",
    "嶋": "島",
    "嶌": "島",
    "峯": "峰",
    "桒": "桑",
    "靑": "青",
    "淸": "清",
    "黑": "黒",
}
_ITAIJI_TABLE = str.maketrans(ITAIJI)
# After NFKC: katakana to hiragana, and the small ヵヶ/ゕゖ (霞ヶ関, 一ヶ月) to か/け.
_FOLD_KANA = _KATA_TO_HIRA | {0x30F5: "か", 0x30F6: "け", 0x3095: "か", 0x3096: "け"}
_FOLD_DROP = re.compile(r"[\s・\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_HYPHENS = re.compile(
    "[\u002d\u02d7\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2500\u2501\ufe58\ufe63\uff0d]"
)


def _is_kana(c: str) -> bool:
    return "\u3041" <= c <= "\u30ff"


def fold(text: str | None) -> str:
    """Fold text for searching; apply it both to what is indexed and to the query.

    NFKC (full-width → ASCII, ﾊﾝｶｸ → カナ, ㈱ → (株)), 異体字 via :data:`ITAIJI`, katakana →
    hiragana, lower case, whitespace, ・ and variation selectors removed, hyphen-like
    characters → ``-``. ー stays ー after a kana (コーヒー) and becomes ``-`` elsewhere
    (1ー2ー3 → 1-2-3). The original text is always kept as typed; this is only for matching.
    """
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text).translate(_ITAIJI_TABLE)
    s = s.translate(_FOLD_KANA).lower()
    s = _HYPHENS.sub("-", _FOLD_DROP.sub("", s))
    if "ー" not in s:
        return s
    out: list[str] = []
    for c in s:
        if c == "ー" and not (out and _is_kana(out[-1])):
            c = "-"
        out.append(c)
    return "".join(out)


def matches(query: str | None, *haystacks: str | None) -> bool:
    """Tell whether every whitespace-separated term of ``query`` occurs in the haystacks.

    Terms and haystacks are compared after :func:`fold`; the haystacks are joined, so
    ``山田太郎`` finds a person whose 姓 and 名 are passed separately. A blank query matches.
    """
    terms = [t for t in (fold(part) for part in (query or "").split()) if t]
    if not terms:
        return True
    folded = "".join(fold(h) for h in haystacks if h)
    return all(t in folded for t in terms)
