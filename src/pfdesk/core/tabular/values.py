"""Value mapping: which code each distinct value of a coded column stands for.

Offices write 「行政（庁内）」, 「社協」 or 「ハローワーク」 where pfdesk keeps a code. Each
distinct value of a column is matched once, in this order: a choice the user saved for that
column, the exact label, a known synonym, then similarity (a label contained in the value or
close to it). What cannot be matched is left open and the import stops with one line per
distinct value, never one per row.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from pfdesk.core import kana
from pfdesk.core.i18n import _

#: How a value got its code, in the order tried.
SAVED, EXACT, SYNONYM, SIMILAR, CHOSEN, UNRESOLVED = (
    "saved", "exact", "synonym", "similar", "chosen", "")

HOW_LABELS = {
    SAVED: _("保存した対応"), EXACT: _("一覧と一致"), SYNONYM: _("言い換え"),
    SIMILAR: _("似た値"), CHOSEN: _("選択"), UNRESOLVED: _("未選択"),
}

# Qualifiers offices add in brackets: 「行政（庁内）」「NPO法人（居場所）」 match as 行政, NPO法人.
_BRACKETS = re.compile(r"[（(【\[〔〈《「『][^）)】\]〕〉》」』]*[）)】\]〕〉》」』]")
_SEPARATORS = re.compile(r"[/／\\＼,，、・･]")


def fold_value(text: str) -> str:
    """Fold a cell value for matching: brackets dropped, width/space/異体字/かな folded."""
    stripped = _BRACKETS.sub("", text or "").strip()
    return kana.fold(stripped or text or "")


def _loose(text: str) -> str:
    """Folded, and also without separators: 「障害/高齢」 and 「障害・高齢」 agree."""
    return _SEPARATORS.sub("", fold_value(text))


@dataclass(frozen=True)
class Option:
    """A code a value can be mapped to: matched by ``label`` and ``synonyms``.

    ``shown`` is what the preview lists when it differs from the label.
    """

    code: str
    label: str
    synonyms: tuple[str, ...] = ()
    shown: str = ""

    @property
    def display(self) -> str:
        """The text shown in the value table's list."""
        return self.shown or self.label


@dataclass(frozen=True)
class ValueRow:
    """One distinct value of a column: how often it occurs and the code chosen for it."""

    text: str
    count: int
    code: str | None
    how: str
    rows: tuple[int, ...] = ()  # the first few row numbers where it occurs

    @property
    def resolved(self) -> bool:
        """Whether a code was found or chosen."""
        return self.code is not None


@dataclass(frozen=True)
class ValueTable:
    """The distinct values of one coded column and their codes, in order of appearance."""

    key: str  # the field key (e.g. "field")
    header: str  # the column's header in the file
    rows: tuple[ValueRow, ...]
    options: tuple[Option, ...]

    def code_for(self, text: str) -> str | None:
        """The code for a cell value (None when open or blank)."""
        folded = fold_value(text)
        for r in self.rows:
            if fold_value(r.text) == folded:
                return r.code
        return None

    @property
    def unresolved(self) -> list[ValueRow]:
        """Values without a code."""
        return [r for r in self.rows if not r.resolved]

    def label(self, code: str | None) -> str:
        """The Japanese label of ``code``."""
        for o in self.options:
            if o.code == code:
                return o.display
        return code or ""

    def choices(self) -> dict[str, str]:
        """The chosen codes by value, to be saved with the column mapping."""
        return {r.text: r.code for r in self.rows if r.code is not None}


def distinct(values: Iterable[tuple[int, str]]) -> list[tuple[str, int, tuple[int, ...]]]:
    """Distinct non-blank values of (row, value) pairs, by folded form.

    In order of first appearance, each with its count and its first five rows.
    """
    seen: dict[str, list] = {}
    folded_of: dict[str, str] = {}  # a column repeats its values: each is folded once
    for row, v in values:
        v = (v or "").strip()
        if not v:
            continue
        folded = folded_of.get(v)
        if folded is None:
            folded = folded_of[v] = fold_value(v)
        if folded in seen:
            seen[folded][1] += 1
            if len(seen[folded][2]) < 5:
                seen[folded][2].append(row)
        else:
            seen[folded] = [v, 1, [row]]
    return [(text, n, tuple(rows)) for text, n, rows in seen.values()]


def _similar(text: str, options: tuple[Option, ...]) -> str | None:
    """A code whose label or synonym is contained in ``text`` (longest wins) or is close."""
    value = _loose(text)
    if not value:
        return None
    best: tuple[int, str] | None = None
    for o in options:
        for term in (o.label, *o.synonyms):
            t = _loose(term)
            if len(t) >= 2 and t in value and (best is None or len(t) > best[0]):
                best = (len(t), o.code)
    if best is not None:
        return best[1]
    scored = []
    for o in options:
        for term in (o.label, *o.synonyms):
            ratio = difflib.SequenceMatcher(None, value, _loose(term)).ratio()
            scored.append((ratio, o.code))
    scored.sort(reverse=True)
    if scored and scored[0][0] >= 0.75 and (
        len(scored) == 1 or scored[1][1] == scored[0][1] or scored[1][0] < scored[0][0] - 0.1
    ):
        return scored[0][1]
    return None


def match_value(text: str, options: tuple[Option, ...],
                saved: dict[str, str] | None = None) -> tuple[str | None, str]:
    """The code for one value and how it was found: (code, how); (None, "") when open."""
    codes = {o.code for o in options}
    folded = fold_value(text)
    for typed, code in (saved or {}).items():
        if fold_value(typed) == folded and code in codes:
            return code, SAVED
    loose = _loose(text)
    for o in options:
        if folded in (fold_value(o.label), kana.fold(o.code)) or loose == _loose(o.label):
            return o.code, EXACT
    for o in options:
        if any(loose == _loose(s) for s in o.synonyms):
            return o.code, SYNONYM
    found = _similar(text, options)
    if found is not None:
        return found, SIMILAR
    return None, UNRESOLVED


def build_value_table(key: str, header: str, values: Iterable[tuple[int, str]],
                      options: Iterable[Option], saved: dict[str, str] | None = None,
                      overrides: dict[str, str] | None = None) -> ValueTable:
    """Match every distinct value of a column, given as (row number, text) pairs.

    ``saved`` are the choices kept with the mapping; ``overrides`` the ones made just now.
    """
    opts = tuple(options)
    codes = {o.code for o in opts}
    chosen = {fold_value(k): v for k, v in (overrides or {}).items() if v in codes}
    rows = []
    for text, count, where in distinct(values):
        if fold_value(text) in chosen:
            rows.append(ValueRow(text, count, chosen[fold_value(text)], CHOSEN, where))
            continue
        code, how = match_value(text, opts, saved)
        rows.append(ValueRow(text, count, code, how, where))
    return ValueTable(key, header, tuple(rows), opts)


def unresolved_lines(tables: Iterable[ValueTable]) -> list[str]:
    """One line per value without a code: 2行目ほか「分野」: 「宇宙」（3行）は…."""
    lines = []
    for t in tables:
        for r in t.unresolved:
            where = "・".join(str(n) for n in r.rows) + _("行目")
            if r.count > len(r.rows):
                where += _("ほか")
            lines.append(_("{where}「{col}」: 値「{v}」（{n}行）に対応する区分が分かりません。"
                           "値の対応表で区分を選んでください。").format(
                               where=where, col=t.header, v=r.text, n=r.count))
    return lines


def format_value_tables(tables: Iterable[ValueTable]) -> str:
    """The value tables as text for the command line: value, count, code label, how."""
    out = []
    for t in tables:
        if not t.rows:
            continue
        out.append(_("列「{col}」の値の対応:").format(col=t.header))
        for r in t.rows:
            target = t.label(r.code) if r.code is not None else _("（未選択）")
            out.append(f"  {r.text}\t{r.count}{_('行')}\t→ {target}\t[{HOW_LABELS[r.how]}]")
    return "\n".join(out)
