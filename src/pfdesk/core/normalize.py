"""Tidy values typed or imported into forms: free text, phone numbers, postal codes, e-mail.

Only layout is changed (widths, hyphens, spaces); 異体字 and other characters stay as typed.
"""

from __future__ import annotations

import re
import unicodedata

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _

# Zero-width characters pasted from web pages and Word; U+200D (ZWJ) is kept because
# emoji sequences need it.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u2060\ufeff]")
# C0 controls other than tab and newline: invisible, and openpyxl refuses them in cells.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_HYPHEN_LIKE = re.compile(
    "[\u002d\u02d7\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2500\u2501"
    "\u30fc\ufe58\ufe63\uff0d\uff70]"
)
_SPACES = re.compile(r"\s+")
_DIGIT_GAP = re.compile(r"(?<=\d)\s+(?=\d)")
_HYPHEN_RUN = re.compile(r"-{2,}")
_PHONE_BODY = re.compile(r"[0-9-]+")

_PHONE_HINT = "例: 0887-22-1234、090-1234-5678"
_LEADING_ZERO_HINT = "Excelから取り込んだ場合は、先頭の0が消えていないか確かめてください。"
# Numbers whose grouping is fixed nationwide, so hyphens can be added safely. Geographic
# numbers are left alone: their area code length varies (03, 0887, 04992 …).
_FIXED_GROUPING: list[tuple[str, int, tuple[int, ...]]] = [
    ("0120", 10, (4, 3, 3)),  # フリーダイヤル
    ("0570", 10, (4, 3, 3)),  # ナビダイヤル
    ("0800", 11, (4, 3, 4)),  # フリーダイヤル (11 digits)
    ("090", 11, (3, 4, 4)),
    ("080", 11, (3, 4, 4)),
    ("070", 11, (3, 4, 4)),
    ("050", 11, (3, 4, 4)),  # IP phones
]


def clean_text(value: object) -> str:
    """Return ``value`` as tidy text: ``None`` → ``""``, outer spaces stripped, LF line ends.

    Removes zero-width characters and stray control codes; full-width spaces (U+3000) and
    no-break spaces at the ends are stripped too. 異体字 and ㈱ are kept exactly as typed.
    """
    if value is None:
        return ""
    s = str(value)
    if s.isprintable():
        # No CR, control or zero-width character (none is printable): nothing to remove.
        # Most cells of an imported file take this way.
        return s.strip()
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _CONTROL.sub("", _ZERO_WIDTH.sub("", s))
    # str.strip() already treats U+3000 and U+00A0 as whitespace.
    return s.strip()


def _to_ascii(value: object) -> tuple[str, str]:
    """Return (as typed but stripped, NFKC with every hyphen-like char as "-")."""
    shown = clean_text(value)
    return shown, _HYPHEN_LIKE.sub("-", unicodedata.normalize("NFKC", shown))


def normalize_phone(value: object) -> str:
    """Normalize a phone number to ASCII digits and hyphens, e.g. ``0887-22-1234``.

    Accepts full-width digits, any hyphen-like character, spaces (between digits they count
    as hyphens) and area codes in parentheses (``0887(22)1234``, ``（0887）22-1234``). A
    leading ``+`` (international) and ``#`` (#7119) are kept. Digits-only mobile, 050, 0120,
    0570 and 0800 numbers get their standard hyphens; other numbers keep the grouping typed.
    Raises ``ValidationError`` (field ``phone``) for letters or a wrong number of digits;
    blank gives ``""``.
    """
    shown, s = _to_ascii(value)
    if not s:
        return ""
    # Spaces between digits were meant as separators ("0887 22 1234"); others just go.
    s = _SPACES.sub("", _DIGIT_GAP.sub("-", s))
    # "(0887)22-1234" and "0887(22)1234": the parentheses just mark the area code.
    s = s.replace("(", "-").replace(")", "-")
    s = _HYPHEN_RUN.sub("-", s).strip("-")
    prefix = s[0] if s[:1] in ("+", "#") else ""
    body = s[len(prefix) :].lstrip("-")
    if not body or not _PHONE_BODY.fullmatch(body):
        raise ValidationError(
            _("電話番号「{text}」に数字以外の文字があります。").format(text=shown),
            field="phone",
            hint=_("数字とハイフンだけで入力してください。内線などは備考に書いてください。")
            + " "
            + _(_PHONE_HINT),
        )
    digits = body.replace("-", "")
    n = len(digits)
    if prefix == "+":
        ok = 8 <= n <= 15  # E.164 allows at most 15 digits including the country code
    elif prefix == "#":
        ok = n == 4  # #7119, #8000, #9110
    else:
        ok = 3 <= n <= 4 or 10 <= n <= 11  # short numbers like 110, or full numbers
    if not ok:
        raise ValidationError(
            _("電話番号「{text}」の桁数が合いません（{n}桁）。").format(text=shown, n=n),
            field="phone",
            hint=_("市外局番から10桁または11桁で入力してください。") + " " + _(_PHONE_HINT),
        )
    if not prefix and n >= 10 and not digits.startswith("0"):
        raise ValidationError(
            _("電話番号「{text}」が0で始まっていません。").format(text=shown),
            field="phone",
            hint=_(_LEADING_ZERO_HINT),
        )
    if not prefix and "-" not in body:
        for head, length, groups in _FIXED_GROUPING:
            if n == length and digits.startswith(head):
                return _group(digits, groups)
    return prefix + body


def _group(digits: str, groups: tuple[int, ...]) -> str:
    parts, pos = [], 0
    for size in groups:
        parts.append(digits[pos : pos + size])
        pos += size
    return "-".join(parts)


def normalize_postal(value: object) -> str:
    """Normalize a postal code to ``123-4567``.

    Accepts ``1234567``, ``〒123-4567``, full-width digits and any hyphen-like character.
    Raises ``ValidationError`` (field ``postal_code``) unless there are exactly 7 digits;
    blank gives ``""``.
    """
    shown, s = _to_ascii(value)
    s = _SPACES.sub("", s.lstrip("〒"))
    if not s:
        return ""
    if not re.fullmatch(r"[0-9-]+", s):
        raise ValidationError(
            _("郵便番号「{text}」に数字以外の文字があります。").format(text=shown),
            field="postal_code",
            hint=_("例: 781-0000 のように7桁の数字で入力してください。"),
        )
    m = re.fullmatch(r"(\d{3})-?(\d{4})", s)
    if not m:
        n = sum(c.isdigit() for c in s)
        hint = _("例: 781-0000 のように7桁の数字で入力してください。")
        if n == 6 and "-" not in s:
            hint += _(_LEADING_ZERO_HINT)
        raise ValidationError(
            _("郵便番号「{text}」は7桁（3桁-4桁）で入力してください。").format(text=shown),
            field="postal_code",
            hint=hint,
        )
    return f"{m.group(1)}-{m.group(2)}"


def normalize_email(value: object) -> str:
    """Normalize an e-mail address: NFKC, outer spaces stripped, domain in lower case.

    The part before ``@`` keeps its case. Raises ``ValidationError`` (field ``email``) unless
    there is exactly one ``@`` and the domain has a dot; blank gives ``""``.
    """
    shown = clean_text(value)
    s = unicodedata.normalize("NFKC", shown)
    if not s:
        return ""
    hint = _("例: soudan@example.lg.jp")
    if _SPACES.search(s):
        message = _("メールアドレス「{text}」に空白が入っています。")
    elif s.count("@") != 1:
        message = (
            _("メールアドレス「{text}」に「@」がありません。")
            if "@" not in s
            else _("メールアドレス「{text}」に「@」が2つ以上あります。")
        )
    else:
        local, domain = s.split("@")
        labels = domain.split(".")
        if not local:
            message = _("メールアドレス「{text}」の「@」の前が空です。")
        elif len(labels) < 2 or not all(labels):
            message = _("メールアドレス「{text}」の「@」の後ろ（ドメイン）が正しくありません。")
        else:
            return f"{local}@{domain.lower()}"
    raise ValidationError(message.format(text=shown), field="email", hint=hint)


def join_name(first: str, second: str) -> str:
    """姓 and 名 (or their readings) as one: a full-width space between, none when one is blank."""
    return f"{first}　{second}".strip("　")


def split_name(full: str | None) -> tuple[str, str]:
    """Split a full name on its first run of spaces into (姓, 名).

    ``山田 太郎`` and ``山田　太郎`` give ``("山田", "太郎")``; without a space the whole name is
    the family name: ``("山田太郎", "")``.
    """
    s = clean_text(full)
    parts = _SPACES.split(s, maxsplit=1)
    if len(parts) == 1:
        return s, ""
    return parts[0], parts[1]
