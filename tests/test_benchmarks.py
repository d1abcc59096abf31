"""The benchmark script runs and reports a ratio for every operation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.mark.slow
def test_benchmark_prints_ratios_against_the_baseline():
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--scale", "2", "--repeat", "1"],
        capture_output=True, text=True, timeout=300, check=True,
    ).stdout
    lines = out.splitlines()
    assert "data ratio" in lines[0]
    rows = [line for line in lines[2:] if line.strip()]
    assert len(rows) >= 7
    for row in rows[1:]:
        assert float(row.split()[-2]) > 0  # the time ratio
