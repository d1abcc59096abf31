"""``pfdesk audit verify`` and ``pfdesk audit export`` on a real store folder."""

from __future__ import annotations

import sqlite3

from pfdesk.__main__ import main
from pfdesk.paths import DataPaths
from pfdesk.services import audit
from pfdesk.services.context import Actor
from pfdesk.store.engine import open_store


def _store_with_log(root):
    store = open_store(DataPaths(root))
    with store.session() as s:
        for i in range(3):
            audit.record(s, Actor("tanaka", "", "staff"), "case.view", "consultation_case", [i])
        s.commit()
    store.close()


def test_verify_passes_then_names_the_tampered_entry(tmp_path, capsys):
    _store_with_log(tmp_path)
    assert main(["--data-dir", str(tmp_path), "audit", "verify"]) == 0
    assert "改ざんは見つかりませんでした" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "pfdesk.sqlite3") as conn:
        conn.execute("UPDATE audit_event SET target_ids = '99' WHERE id = 2")
    assert main(["--data-dir", str(tmp_path), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "番号 2" in err and "日時" in err


def test_export_writes_csv(tmp_path, capsys, tmp_path_factory):
    _store_with_log(tmp_path)
    out = tmp_path_factory.mktemp("out") / "log.csv"  # outside the data folder
    assert main(["--data-dir", str(tmp_path), "audit", "export", str(out), "--who", "tanaka"]) == 0
    assert "3 件" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8-sig").count("tanaka") == 3


def test_export_rejects_a_bad_date(tmp_path, capsys, tmp_path_factory):
    _store_with_log(tmp_path)
    out = tmp_path_factory.mktemp("out") / "x.csv"
    assert main(["--data-dir", str(tmp_path), "audit", "export", str(out),
                 "--from", "4月1日"]) == 2
    assert "2026-04-01" in capsys.readouterr().err


def test_verify_names_deleted_newest_entries(tmp_path, capsys):
    _store_with_log(tmp_path)
    with sqlite3.connect(tmp_path / "pfdesk.sqlite3") as conn:
        conn.execute("DELETE FROM audit_event WHERE id = 3")
    assert main(["--data-dir", str(tmp_path), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "番号 3" in err and "削除" in err
