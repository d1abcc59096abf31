"""``pfdesk stats``: readable tables and stable JSON, the same figures as the service."""

from __future__ import annotations

import json

import pytest

from pfdesk.__main__ import main
from pfdesk.paths import DataPaths
from pfdesk.store.engine import open_store
from tests.services import returns_fixture


@pytest.fixture
def fixture_dir(tmp_path):
    root = tmp_path / "data"
    store = open_store(DataPaths(root).ensure())
    with store.session() as s:
        returns_fixture.build(s)
    store.close()
    return root


def test_stats_json(fixture_dir, capsys):
    assert main(["--data-dir", str(fixture_dir), "stats", "--fy", "2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["fiscal_year"] == 2025
    assert (data["persons"], data["contacts"], data["new_persons"]) == (3, 6, 2)
    assert data["period"] == {"start": "2025-04-01", "end": "2026-03-31"}
    rows = {r["key"]: r for r in data["by"]["age_band"]["rows"]}
    assert rows["20s"]["new_persons"] == 2
    assert [m["month"] for m in data["by_month"]] == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]


def test_stats_table_in_japanese(fixture_dir, capsys):
    assert main(["--data-dir", str(fixture_dir), "stats", "--fy", "2025"]) == 0
    out = capsys.readouterr().out
    assert "相談統計　令和7年度" in out
    assert "実人数 3 人　延べ件数 6 件　新規 2 人" in out
    assert "■ 相談者区分" in out and "■ つなぎ先区分" in out
    line = next(x for x in out.splitlines() if x.startswith("2025年6月"))
    assert line.split()[1:4] == ["1", "1", "2"]


def test_stats_for_months_and_bad_input(fixture_dir, capsys):
    assert main(["--data-dir", str(fixture_dir), "stats", "--months", "2025-06:2025-07",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["contacts"] == 3
    assert main(["--data-dir", str(fixture_dir), "stats", "--months", "6月から"]) == 2
    assert "2026-04:2026-09" in capsys.readouterr().err
