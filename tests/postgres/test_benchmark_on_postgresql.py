"""The benchmark's server mode: the same works timed on PostgreSQL, in the same table."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.test_benchmarks import SCRIPT, WORKS


@pytest.mark.slow
def test_server_mode_prints_every_work_on_the_server_beside_the_file(pg_cluster, tmp_path):
    pg_cluster.execute("CREATE DATABASE bench_smoke")
    url = pg_cluster.url("bench_smoke").render_as_string(hide_password=False)
    md = tmp_path / "table.md"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PFDESK_BENCH_DATABASE_URL=url)
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--scale", "1", "--repeat", "1", "--quick",
         "--markdown", str(md)],
        capture_output=True, text=True, timeout=900, check=True, env=env,
    ).stdout
    assert "server: PostgreSQL" in out and "pfdesk on the server" in out
    table = md.read_text(encoding="utf-8").splitlines()
    assert table[0].split("|")[2].strip() == "pfdesk (server)"
    assert table[0].split("|")[7].strip() == "pfdesk (SQLite file)"
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in table[2:]]
    for work in WORKS:
        if work == "SQLCipher":  # an encrypted copy of the file: no server counterpart
            continue
        row = next((r for r in rows if work in r[0]), None)
        assert row is not None, work
        assert row[1] != "–" and row[6] != "–", row  # timed on the server and on the file
    assert "FIGURES DIFFER" not in out  # the server's statistics are the file's
