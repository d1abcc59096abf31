"""The benchmark script runs end to end on a tiny store and prints a ratio for every work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"

WORKS = ("build the demo store", "CLI fixed cost", "search 2 characters", "search 3 characters",
         "search 6 characters", "case list, first page", "case list, last page",
         "statistics", "home summary", "SQLCipher", "return workbook", "packet", "start-up to the filled",
         "関係機関 page first show", "実態把握 page first show", "data shown after",
         "page switch", "peak RSS", "contacts (CSV)",
         "consultations ledger")


@pytest.mark.slow
def test_benchmark_prints_every_work_with_its_baseline_and_ratio(tmp_path):
    md = tmp_path / "table.md"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--scale", "1", "--repeat", "1", "--quick",
         "--markdown", str(md)],
        capture_output=True, text=True, timeout=600, check=True, env=env,
    ).stdout
    assert "CPUs" in out.splitlines()[0]  # the machine is named with the figures
    rows = [line for line in out.splitlines() if line.startswith("| ")][1:]
    for work in WORKS:
        assert any(work in r for r in rows), work
    for r in rows:
        cells = [c.strip() for c in r.strip("|").split("|")]
        if cells[2] != "–":  # a baseline was measured: the ratio is printed
            assert cells[3].endswith("x") and float(cells[3][:-1]) > 0
    assert "FIGURES DIFFER" not in out
    assert md.read_text(encoding="utf-8").splitlines()[0].startswith("| work")
