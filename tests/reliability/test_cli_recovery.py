"""``pfdesk backup --scheduled``, ``pfdesk recover-store`` and ``pfdesk restore`` on a lost store."""

from __future__ import annotations

import zipfile

from pfdesk.__main__ import main
from pfdesk.paths import DataPaths
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.settings import Municipality, get_municipality, save_municipality
from pfdesk.store.engine import open_store


def _folder(tmp_path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    store = open_store(paths)
    save_municipality(ServiceContext(store=store, actor=Actor.local_admin()),
                      Municipality(name="阪南市", secretariat="市民福祉課"))
    store.close()
    return paths


def _town(paths: DataPaths) -> str:
    store = open_store(paths)
    try:
        return get_municipality(ServiceContext(store=store, actor=Actor.local_admin())).name
    finally:
        store.close()


def test_scheduled_backup_never_prompts_and_is_verified(tmp_path, capsys, monkeypatch):
    paths = _folder(tmp_path)
    monkeypatch.setattr("builtins.input", lambda *a: (_ for _ in ()).throw(AssertionError("prompt")))
    assert main(["--data-dir", str(paths.root), "backup", "--scheduled"]) == 0
    out = capsys.readouterr().out
    assert "検査しました" in out
    [made] = list(paths.backups.glob("pfdesk-auto-*.zip"))
    with zipfile.ZipFile(made) as z:
        assert z.testzip() is None and "backup.json" in z.namelist()


def test_recover_store_lists_then_restores_keeping_the_damaged_file(tmp_path, capsys):
    paths = _folder(tmp_path)
    assert main(["--data-dir", str(paths.root), "backup"]) == 0
    paths.store.write_bytes(b"\x00" * 8192)  # overwritten: not a database any more
    capsys.readouterr()
    assert main(["--data-dir", str(paths.root), "stats", "--fy", "2025"]) == 2
    err = capsys.readouterr().err
    assert "recover-store" in err and "Traceback" not in err
    assert main(["--data-dir", str(paths.root), "recover-store"]) == 0
    listing = capsys.readouterr().out
    assert "1. " in listing and "ケース 0件" in listing
    assert main(["--data-dir", str(paths.root), "recover-store", "--pick", "1"]) == 1
    assert paths.store.read_bytes() == b"\x00" * 8192  # asked, nothing done
    assert main(["--data-dir", str(paths.root), "recover-store", "--pick", "1", "--yes"]) == 0
    assert "復旧しました" in capsys.readouterr().out
    assert _town(paths) == "阪南市"
    [kept] = list(paths.root.glob("pfdesk.sqlite3.damaged-*"))
    assert kept.read_bytes() == b"\x00" * 8192


def test_restore_of_a_vanished_store_goes_the_recovery_way(tmp_path, capsys):
    paths = _folder(tmp_path)
    out = tmp_path / "usb" / "b.zip"
    assert main(["--data-dir", str(paths.root), "backup", str(out)]) == 0
    paths.store.unlink()
    assert main(["--data-dir", str(paths.root), "restore", str(out), "--yes"]) == 0
    text = capsys.readouterr()
    assert "見つかりません" in text.err and "復旧しました" in text.out
    assert _town(paths) == "阪南市"


def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path, capsys):
    paths = _folder(tmp_path)
    out = tmp_path / "b.zip"
    assert main(["--data-dir", str(paths.root), "backup", str(out)]) == 0
    data = bytearray(out.read_bytes())
    for i in range(2048, 6144):
        data[i] ^= 0xFF
    out.write_bytes(bytes(data))
    before = paths.store.read_bytes()
    assert main(["--data-dir", str(paths.root), "restore", str(out), "--yes"]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert paths.store.read_bytes() == before
    assert not list(paths.backups.glob("before-restore-*"))
