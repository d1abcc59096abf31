"""Ruled tables laid out from their content: column widths, kept words, numbers to the right.

Widths follow the usual automatic table layout: every column gets at least its longest
unbreakable piece (a whole name, a date, 「オンライン」), then the rest of the line is
shared in proportion to how much each column would need to stay on one line. Which
columns hold names or dates (kept whole) and which hold numbers (right-aligned) is read
from the headers and the values, so callers only pass the data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

from pfdesk.documents.kinsoku import PROTECTED

#: Cell padding left + right, as the table style sets it.
PADDING = 8.0
#: Headers of columns whose values are names, organisations or dates: never broken inside.
KEEP_HEADERS = ("氏名", "名前", "職名", "担当", "対応者", "相談者", "記録者", "受付者", "方法", "任期", "日付", "期限", "配付日", "回収日", "開催日", "出欠",
                "役職", "日時", "続柄", "年代", "性別")
_NUMBER = re.compile(r"^[-－+＋]?[0-9０-９][0-9０-９,，.．]*\s*(?:[%％件人名回歳円部]|か月)?$")
_NUMBER_MARKS = ("＊", "-")
_UNBREAKABLE = re.compile(r"[A-Za-z0-9０-９Ａ-Ｚａ-ｚ\-_./:@]+|[\u30a1-\u30faー]+")


def is_keep_header(header: str) -> bool:
    """True if a column titled ``header`` holds values that must not break inside."""
    return any(k in header for k in KEEP_HEADERS)


def numeric_columns(rows: Sequence[Sequence[object]], ncols: int) -> set[int]:
    """Columns whose every non-empty value is a number (with at most a counter)."""
    found = set()
    for c in range(ncols):
        values = [str(r[c]).strip() for r in rows if c < len(r) and str(r[c]).strip()]
        # 「＊」 (a suppressed small count) and 「-」 stand in a column of numbers.
        numbers = [v for v in values if v not in _NUMBER_MARKS]
        if numbers and all(_NUMBER.match(v) for v in numbers):
            found.add(c)
    return found


def _line_width(text: str, font: str, size: float) -> float:
    return max((stringWidth(line, font, size) for line in text.split("\n")), default=0.0)


def _min_width(text: str, font: str, size: float, keep: bool) -> float:
    if keep:
        pieces = text.split("\n")  # a whole name on one line: 姓 and 名 apart only if it must
    else:
        pieces = [m.group(0) for m in _UNBREAKABLE.finditer(text)]
        pieces += [m.group(0) for m in PROTECTED.finditer(text)]
        pieces.append(text[:2])  # a line holds at least two characters (one plus kinsoku)
    return max((stringWidth(p, font, size) for p in pieces), default=0.0)


def measured_widths(headers: Sequence[str], rows: Sequence[Sequence[object]], total: float,
                    font: str, size: float, keep: set[int]) -> list[float]:
    """Column widths that add up to ``total``, measured from headers and values."""
    ncols = len(headers)
    natural = [0.0] * ncols
    minimum = [0.0] * ncols
    for r in [list(headers), *rows]:
        for c in range(ncols):
            text = "" if c >= len(r) or r[c] is None else str(r[c])
            natural[c] = max(natural[c], _line_width(text, font, size) + PADDING)
            minimum[c] = max(minimum[c], _min_width(text, font, size, c in keep) + PADDING)
    cap = total * 0.45  # one runaway value may not squeeze every other column
    minimum = [min(m, cap) for m in minimum]
    natural = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    if sum(natural) <= total:
        spare = total - sum(natural)
        return [n + spare * n / sum(natural) for n in natural]
    if sum(minimum) >= total:
        return [m * total / sum(minimum) for m in minimum]
    flex = [n - m for n, m in zip(natural, minimum, strict=True)]
    room = total - sum(minimum)
    return [m + f * room / sum(flex) for m, f in zip(minimum, flex, strict=True)]


def tallest_row(rows: Sequence[Sequence[object]], widths: Sequence[float], font: str,
                size: float, leading: float) -> float:
    """An estimate of the tallest row's height, to tell whether rows can be kept whole."""
    tallest = 0.0
    for r in rows:
        height = 0.0
        for c, width in enumerate(widths):
            text = "" if c >= len(r) or r[c] is None else str(r[c])
            if len(text) < 40:
                continue
            room = max(width - PADDING, size)
            lines = sum(max(1, math.ceil(stringWidth(line, font, size) / room))
                        for line in text.split("\n"))
            height = max(height, lines * leading)
        tallest = max(tallest, height)
    return tallest
