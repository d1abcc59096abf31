"""Commands about the data file itself refuse on a server store, saying why and what to do.

Recovery, encryption and moving to another PC belong to the SQLite data file; on a PC
set to use the server they refuse with the reason, and write no data file that pfdesk
would then never open. ``backup`` and ``restore`` work on the server (its rows in an
encrypted data file, services.server_backup).
"""

from __future__ import annotations

import pytest

from pfdesk.__main__ import main


@pytest.fixture
def local_backup(tmp_path_factory, monkeypatch):
    """A real backup and a real move-out archive of a SQLite data folder."""
    root = tmp_path_factory.mktemp("sqlite-pc")
    monkeypatch.delenv("PFDESK_DATABASE_URL", raising=False)
    assert main(["--data-dir", str(root / "data"), "backup", str(root / "copy.zip")]) == 0
    assert main(["--data-dir", str(root / "data"), "move-out", str(root / "move.zip")]) == 0
    return root


@pytest.fixture
def server_folder(pg_cluster, pg_database, local_backup, tmp_path, monkeypatch) -> str:
    """A data folder whose store is a new database on the throwaway server, with an admin."""
    url = pg_cluster.url(pg_database)
    monkeypatch.setenv("PFDESK_DATABASE_URL", url.render_as_string(hide_password=False))
    monkeypatch.setenv("PFDESK_NEW_PASSWORD", "admin-pass-1")
    folder = str(tmp_path / "data")
    assert main(["--data-dir", folder, "users", "add", "yamada", "--role", "admin",
                 "--name", "山田"]) == 0
    monkeypatch.setenv("PFDESK_PASSWORD", "admin-pass-1")
    return folder


def _refused(folder: str, capsys, *command: str) -> str:
    assert main(["--data-dir", folder, "--user", "yamada", *command]) == 2
    err = capsys.readouterr().err
    assert "共有データベース（サーバー）" in err, err
    return err


def test_file_commands_refuse_on_the_server_with_the_reason(server_folder, local_backup,
                                                            capsys, tmp_path, monkeypatch):
    err = _refused(server_folder, capsys, "recover-store", str(local_backup / "copy.zip"),
                   "--yes")
    assert "recover-store" in err

    err = _refused(server_folder, capsys, "encrypt")
    assert "「データの暗号化」" in err
    assert "管理者のアカウント" not in err  # the reason, not a step that would not help

    err = _refused(server_folder, capsys, "move-out", str(tmp_path / "m.zip"))
    assert "migrate-store --to-folder" in err and not (tmp_path / "m.zip").exists()
    err = _refused(server_folder, capsys, "move-in", str(local_backup / "move.zip"))
    assert "migrate-store --to postgresql://" in err

    monkeypatch.setenv("PFDESK_RECOVERY_KEY", "AAAA-BBBB-CCCC-DDDD")
    assert "「回復キーによるデータの回復（recover）」" in _refused(server_folder, capsys, "recover")

    # Nothing of the refused commands left a data file in the folder.
    assert not (tmp_path / "data" / "pfdesk.sqlite3").exists()
    assert not list((tmp_path / "data").glob("backups/*.zip"))


def test_backup_and_restore_work_on_the_server(server_folder, capsys, tmp_path, monkeypatch):
    out = tmp_path / "server.zip"
    assert main(["--data-dir", server_folder, "--user", "yamada", "backup", str(out)]) == 0
    assert "暗号化済み" in capsys.readouterr().out and out.is_file()
    monkeypatch.setenv("PFDESK_NEW_PASSWORD", "second-pass-2")
    assert main(["--data-dir", server_folder, "--user", "yamada", "users", "add", "later",
                 "--role", "staff", "--name", "後から"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", server_folder, "--user", "yamada", "restore", str(out),
                 "--yes"]) == 0
    assert "復元しました" in capsys.readouterr().out
    assert main(["--data-dir", server_folder, "--user", "yamada", "users", "list"]) == 0
    listed = capsys.readouterr().out
    assert "yamada" in listed and "later" not in listed  # the server as it was backed up
    assert not (tmp_path / "data" / "pfdesk.sqlite3").exists()  # still no data file
    assert main(["--data-dir", server_folder, "--user", "yamada", "audit", "verify"]) == 0


def test_check_says_the_server_administrator_checks_the_server(server_folder, capsys):
    assert main(["--data-dir", server_folder, "check"]) == 0
    out = capsys.readouterr().out
    assert "共有データベース" in out and "サーバーの管理者" in out and "audit verify" in out
