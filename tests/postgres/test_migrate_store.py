"""``pfdesk migrate-store --to postgresql://…`` copies a SQLite store onto the server.

Every table arrives with the same rows (counted again on the server), the audit chain
verifies there, the statistics are the same, and the server then goes on numbering
after the copied records. A database that already holds data is never overwritten.
"""

from __future__ import annotations

import json
import shutil

import pytest

from pfdesk.__main__ import main
from pfdesk.paths import DataPaths
from pfdesk.store.pg_copy import table_counts


@pytest.fixture
def town_file(demo_template, tmp_path):
    """A copy of the demo town in a SQLite file."""
    root = tmp_path / "town"
    shutil.copytree(demo_template, root)
    return root


def test_the_demo_town_moves_onto_the_server(pg_cluster, town_file, tmp_path, capsys):
    from pfdesk.store.engine import open_store
    from pfdesk.store.pg import open_server_store

    pg_cluster.execute("CREATE DATABASE moved")
    url = pg_cluster.url("moved").render_as_string(hide_password=False)
    local = ["--demo", "--data-dir", str(town_file)]
    assert main([*local, "migrate-store", "--to", url]) == 0
    out = capsys.readouterr().out
    assert "コピーしました" in out and "ケース 300件" in out
    assert "改ざんは見つかりませんでした" in out

    source = open_store(DataPaths(town_file))
    server = open_server_store(DataPaths(tmp_path / "pc"), pg_cluster.url("moved"))
    try:
        assert table_counts(server.engine) == table_counts(source.engine)
    finally:
        source.close()
        server.close()

    on_server = ["--demo", "--data-dir", str(tmp_path / "pc"), "--database-url", url]
    figures = []
    for options in (local, on_server):
        assert main([*options, "stats", "--fy", "2025", "--json"]) == 0
        figures.append(json.loads(capsys.readouterr().out))
    assert figures[0]["persons"] > 0 and figures[1] == figures[0]
    assert main([*on_server, "audit", "verify"]) == 0
    assert "改ざんは見つかりませんでした" in capsys.readouterr().out


def test_new_records_on_the_server_follow_the_copied_ones(pg_cluster, town_file, tmp_path,
                                                         capsys, admin):
    from datetime import date

    from pfdesk.services.consultations import cases
    from pfdesk.services.consultations.cases import CaseInput
    from pfdesk.services.context import ServiceContext
    from pfdesk.store.pg import open_server_store

    pg_cluster.execute("CREATE DATABASE moved2")
    url = pg_cluster.url("moved2").render_as_string(hide_password=False)
    assert main(["--demo", "--data-dir", str(town_file), "migrate-store", "--to", url]) == 0
    server = open_server_store(DataPaths(tmp_path / "pc"), pg_cluster.url("moved2"))
    try:
        ctx = ServiceContext(store=server, actor=admin)
        made = cases.create_case(ctx, CaseInput(
            intake_date=date(2026, 11, 20), family_name="新規", given_name="花子",
            family_kana="シンキ", given_kana="ハナコ", lead_staff="森野", route="school"))
        assert made.id == 301  # after the 300 copied cases, not 1
        assert made.case_number.startswith("R8-")
    finally:
        server.close()


def test_a_database_with_data_is_not_overwritten(pg_cluster, town_file, capsys):
    pg_cluster.execute("CREATE DATABASE twice")
    url = pg_cluster.url("twice").render_as_string(hide_password=False)
    local = ["--demo", "--data-dir", str(town_file)]
    assert main([*local, "migrate-store", "--to", url]) == 0
    capsys.readouterr()
    assert main([*local, "migrate-store", "--to", url]) == 2
    assert "すでに pfdesk のデータがあります" in capsys.readouterr().err


def test_and_back_into_a_new_data_file(pg_cluster, town_file, tmp_path, capsys):
    pg_cluster.execute("CREATE DATABASE round_trip")
    url = pg_cluster.url("round_trip").render_as_string(hide_password=False)
    assert main(["--demo", "--data-dir", str(town_file), "migrate-store", "--to", url]) == 0
    on_server = ["--demo", "--data-dir", str(tmp_path / "pc"), "--database-url", url]
    back = tmp_path / "back"
    assert main([*on_server, "migrate-store", "--to-folder", str(back)]) == 0
    out = capsys.readouterr().out
    assert "データファイル" in out and "ケース 300件" in out and "コピー先で検証" in out

    figures = []
    for options in (["--demo", "--data-dir", str(town_file)],
                    ["--demo", "--data-dir", str(back)]):
        assert main([*options, "stats", "--fy", "2025", "--json"]) == 0
        figures.append(json.loads(capsys.readouterr().out))
    assert figures[1] == figures[0]
    assert main(["--demo", "--data-dir", str(back), "audit", "verify"]) == 0

    # A folder that holds something is never written into.
    assert main([*on_server, "migrate-store", "--to-folder", str(back)]) == 2
    assert "空ではありません" in capsys.readouterr().err
