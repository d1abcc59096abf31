"""Japanese line breaking (禁則処理) for every paragraph and table cell.

reportlab's ``wordWrap="CJK"`` breaks between any two characters and knows one rule: a
character that cannot start a line (、。」ー …) is hung past the right edge, one at most.
It does not stop a line ending in 「（」, lets a second closing mark start the next line
(「」。」), pushes ``ー`` over a table's border, and breaks inside words: ``クリニッ｜ク``,
``令和8年11月13｜日``, ``1,2｜34``. :class:`JaParagraph` breaks lines itself:

- no line starts with a closing bracket, 、。, small kana, ー, 々, ・, ？！ and the like
  (追い出し: the character before moves down with it; nothing hangs past the edge);
- no line ends with an opening bracket;
- no break inside a run of Latin letters and digits, inside a katakana word, before a
  space (a space ends the line it follows), or between characters joined by U+2060 WORD
  JOINER, which :func:`protect` puts into dates, times and numbers with their counters and
  the caller may put into a name (``keep=True``);
- only when a line holds no allowed break point is a word broken, still never before a
  closing mark.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine
from reportlab.rl_config import _FUZZ

WORD_JOINER = "\u2060"

#: Cannot start a line (JIS X 4051 行頭禁則: closing brackets, 句読点, 中点, small kana, ー …).
NO_START = frozenset(
    "、。，．,.)]}）〕］｝〉》」』】〙〗〟’”｠»"
    "・：；:;？！?!‼⁇⁈⁉ー―〜～…‥"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "々〻ゝゞヽヾ゛゜%％‰℃°′″"
)
#: Cannot end a line (行末禁則: opening brackets, prefixes such as ￥ and 〒).
NO_END = frozenset("([{（〔［｛〈《「『【〘〖〝‘“｟«￥＄$£€〒#＃")
SPACES = frozenset(" \u3000")

_DIGIT = "[0-9０-９]"
_NUM = f"{_DIGIT}+(?:[,，.．]{_DIGIT}+)*"
_WEEKDAY = "(?:[（(][月火水木金土日](?:・祝)?[）)])"
# Dates, times and counted numbers that must stay on one line.
PROTECTED = re.compile(
    "|".join([
        f"(?:令和|平成|昭和|大正|明治)?(?:元|{_NUM})年度?(?:{_NUM}月(?:{_NUM}日{_WEEKDAY}?)?)?",
        f"{_NUM}月{_NUM}日{_WEEKDAY}?",
        f"{_NUM}時(?:{_NUM}分)?",
        f"{_DIGIT}{{1,2}}[:：]{_DIGIT}{{2}}",
        f"第{_NUM}[回号条項章]",
        f"{_NUM}(?:か月|ヶ月|ケ月|カ月|[件人名回歳代円部頁枚号日週年%％])",
        f"(?:資料|参考資料){_NUM}",
    ])
)


def _glued(text: str) -> str:
    return WORD_JOINER.join(text)


def protect(text: str, keep: bool = False) -> str:
    """``text`` with word joiners inside dates, times and counted numbers.

    With ``keep`` (a name, an organisation) the whole text is joined, except that a line
    may still break after a space (between 姓 and 名) when the text does not fit.
    """
    if keep:
        return " ".join(
            "\u3000".join(_glued(part) for part in chunk.split("\u3000"))
            for chunk in text.split(" ")
        )
    return PROTECTED.sub(lambda m: _glued(m.group(0)), text)


def _is_word(ch: str) -> bool:
    """Latin letters, digits and the marks inside them (R8.11.26, 090-1234-5678, A-1)."""
    if ch.isascii():
        return ch.isalnum() or ch in "-_./:@#&+'%"
    return "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ"


def _is_katakana(ch: str) -> bool:
    return "\u30a1" <= ch <= "\u30fa" or ch in "ー・ヽヾ" or "\uff66" <= ch <= "\uff9f"


def _may_break_before(prev: str, ch: str) -> bool:
    if not prev or not ch:
        return True  # an image or a forced break
    if ch in NO_START or prev in NO_END or ch in SPACES:
        return False
    if _is_word(prev) and _is_word(ch):
        return False
    return not (_is_katakana(prev) and _is_katakana(ch) and ch != "・")


def _emergency_break(units: list, start: int, at: int) -> int:
    """Where to break a line with no allowed break point: before ``at``, kinsoku kept."""
    brk = at
    while brk > start + 1 and (units[brk] in NO_START or units[brk - 1] in NO_END):
        brk -= 1
    return brk if brk > start else max(at, start + 1)


def kinsoku_frag_split(frags: list, max_widths: list, calc_bounds: bool,
                       encoding: str = "utf8") -> Any:
    """reportlab's ``cjkFragSplit`` with the rules of this module (see the module docstring)."""
    units: list = []
    joined: list[bool] = []  # joined[k]: no break between units[k-1] and units[k]
    pending = False
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        if not text:
            units.append(cjkU(text, f, encoding))
            joined.append(False)
            continue
        for t in text:
            if t == WORD_JOINER:
                pending = True
                continue
            units.append(cjkU(t, f, encoding))
            joined.append(pending)
            pending = False

    lines: list = []
    max_width = max_widths[0]

    def width_of(u: Any) -> float:
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = max_width
            w = w.normalizedValue(max_width)
        return float(w)

    widths: list[float] = []
    start = 0
    used = 0.0
    last_break = -1
    i = 0
    n = len(units)

    def emit(end: int, line_break: bool) -> None:
        nonlocal max_width, start, used, last_break
        width = sum(widths[start:end])
        lines.append(makeCJKParaLine(units[start:end], max_width, width, max_width - width,
                                     line_break, calc_bounds))
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
        start = end
        used = sum(widths[start:])
        last_break = -1
        for k in range(start + 1, len(widths)):
            if not joined[k] and _may_break_before(units[k - 1], units[k]):
                last_break = k

    while i < n:
        u = units[i]
        widths.append(width_of(u))
        if i > start and not joined[i] and _may_break_before(units[i - 1], u):
            last_break = i
        used += widths[i]
        if hasattr(u.frag, "lineBreak"):
            emit(i + 1, True)
        elif used > max_width + _FUZZ and i > start and u not in SPACES:
            brk = last_break if last_break > start else _emergency_break(units, start, i)
            emit(brk, False)
        i += 1
    if start < n:
        width = sum(widths[start:])
        lines.append(makeCJKParaLine(units[start:], max_width, width, max_width - width, False,
                                     calc_bounds))
    return ParaLines(kind=1, lines=lines)


class JaParagraph(Paragraph):
    """A Paragraph that breaks Japanese lines by the rules of :mod:`kinsoku`."""

    def breakLines(self, width: Any) -> Any:  # noqa: N802 - reportlab's name
        """Whatever the style's ``wordWrap``: the word joiners must never reach the page."""
        return self.breakLinesCJK(width)

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # noqa: N802 - reportlab's name
        """Break into lines; reportlab's own bookkeeping, then :func:`kinsoku_frag_split`."""
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        frags = self.frags
        if not frags or getattr(self.style, "endDots", None):
            return super().breakLinesCJK(maxWidths)
        self.height = 0
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        from reportlab.platypus.paragraph import _handleBulletWidth

        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        auto_leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        # A table wraps each cell's paragraph to size its row and again to draw it, at the
        # same width: the lines of the last width are kept (half the breaking of a packet).
        key = (tuple(maxWidths), auto_leading not in ("", "off"), len(frags))
        last = getattr(self, "_ja_lines", None)
        if last is not None and last[0] == key and last[1] is frags:
            return last[2]
        lines = kinsoku_frag_split(frags, list(maxWidths), key[1])
        self._ja_lines = (key, frags, lines)
        return lines
