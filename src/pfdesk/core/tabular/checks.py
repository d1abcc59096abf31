"""Checks of a read table that no single cell shows: shifted, merged or uncomputed cells.

An import must refuse these rather than guess, because each one puts a value under the
wrong person silently: a CSV line with a missing comma, a merged 所属 cell that only its
first row holds, a formula Excel never calculated, or two columns with the same header.
"""

from __future__ import annotations

from pfdesk.core.i18n import _
from pfdesk.core.tabular.mapping import fold_header
from pfdesk.core.tabular.reading import CellError, Table


def get_column_letter(col: int) -> str:
    """A, B, …, Z, AA for a 1-based column (without importing openpyxl)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _header(table: Table, col: int) -> str:
    """The header of 1-based column ``col`` (or its letter where it has none)."""
    if 1 <= col <= len(table.headers) and table.headers[col - 1]:
        return table.headers[col - 1]
    return _("{letter}列").format(letter=get_column_letter(col))


def table_problems(table: Table, cols: dict[str, int]) -> list[CellError]:
    """Every structural problem of ``table`` in the columns used (``cols``: key → index).

    Each names the row and column as Excel shows them.
    """
    used = sorted(set(cols.values()))
    problems: list[CellError] = []
    folded = [fold_header(h) for h in table.headers]
    for col in used:
        same = [i for i, f in enumerate(folded) if f and f == folded[col]]
        if len(same) > 1:
            letters = "、".join(get_column_letter(i + 1) for i in same)
            problems.append(CellError(table.header_row, table.headers[col], _(
                "見出し「{h}」が {n} つの列（{letters}列）にあります。どちらを使うか決められ"
                "ません。見出しを変えるか、列の対応づけで指定してください。").format(
                    h=table.headers[col], n=len(same), letters=letters)))
    first_data = table.header_row + 1
    for r1, c1, r2, c2 in table.merged:
        if r2 < first_data:
            continue  # a merged title above the header is only a title
        if not any(c1 <= c + 1 <= c2 for c in used):
            continue
        ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
        problems.append(CellError(max(r1, first_data), _header(table, c1), _(
            "セルが結合されています（{ref}）。結合を解除し、それぞれの行に値を入れてから"
            "取り込んでください。").format(ref=ref)))
    for row, col in table.uncalculated:
        if row >= first_data and col - 1 in used:
            problems.append(CellError(row, _header(table, col), _(
                "数式の結果が保存されていません。Excel で開いて再計算（F9）し、上書き保存して"
                "から取り込んでください。")))
    for r in table.rows:
        if r.short_of is not None:
            problems.append(CellError(r.number, "", _(
                "列の数が足りません（見出しは {h} 列、この行は {n} 列）。区切りの「,」が抜けて"
                "値がずれている可能性があります。").format(h=len(table.headers), n=r.short_of)))
    return problems
