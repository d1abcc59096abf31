"""The demo town built through the command line on a server gives SQLite's statistics.

``pfdesk --demo --database-url postgresql://…`` builds the town on the server on first
use; ``stats`` then prints the same figures as the town in a SQLite file, and
``audit verify`` finds the server's chain intact.
"""

from __future__ import annotations

import json

from pfdesk.__main__ import main


def _stats(capsys, options: list[str], fy: int) -> dict:
    assert main([*options, "stats", "--fy", str(fy), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_demo_town_counts_the_same_on_both_stores(pg_cluster, tmp_path, capsys):
    pg_cluster.execute("CREATE DATABASE cli_demo")
    url = pg_cluster.url("cli_demo").render_as_string(hide_password=False)
    on_server = ["--demo", "--data-dir", str(tmp_path / "pc"), "--database-url", url]
    in_file = ["--demo", "--data-dir", str(tmp_path / "file")]
    for fy in (2024, 2025, 2026):
        server = _stats(capsys, on_server, fy)
        local = _stats(capsys, in_file, fy)
        assert server["persons"] > 0
        assert server == local
    assert not (tmp_path / "pc" / "pfdesk.sqlite3").exists()  # the records are on the server
    assert main([*on_server, "audit", "verify"]) == 0
    assert "改ざんは見つかりませんでした" in capsys.readouterr().out


def test_a_bad_database_url_is_refused_with_its_option(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "--database-url", "mysql://x@y/z",
                 "stats", "--fy", "2025"]) == 2
    err = capsys.readouterr().err
    assert "postgresql:// で始めてください" in err and "--database-url" in err


def test_the_environment_variable_names_the_server(pg_cluster, tmp_path, capsys, monkeypatch):
    pg_cluster.execute("CREATE DATABASE env_named")
    url = pg_cluster.url("env_named").render_as_string(hide_password=False)
    monkeypatch.setenv("PFDESK_DATABASE_URL", url)
    assert main(["--data-dir", str(tmp_path), "stats", "--fy", "2025", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["persons"] == 0
    assert not (tmp_path / "pfdesk.sqlite3").exists()


def test_check_points_to_the_server(tmp_path, capsys):
    url = "postgresql://clerk@db.town.example/pfdesk"
    assert main(["--data-dir", str(tmp_path), "--database-url", url, "check"]) == 0
    out = capsys.readouterr().out
    assert "共有データベース clerk@db.town.example:5432/pfdesk" in out
    assert "pfdesk audit verify" in out
