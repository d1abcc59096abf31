"""``pfdesk users``, ``encrypt``, ``recover``, ``retention`` and ``backup``/``restore``."""

from __future__ import annotations

import re
from datetime import date

import pytest

from pfdesk.__main__ import main
from pfdesk.paths import DataPaths
from pfdesk.store import crypto
from pfdesk.store.engine import open_store
from pfdesk.store.models import Case
from tests.security_helpers import cheap_hashing, fast_kdf  # noqa: F401


@pytest.fixture
def folder(tmp_path, monkeypatch, fast_kdf):  # noqa: F811
    monkeypatch.setenv("PFDESK_NEW_PASSWORD", "admin-pass-1")
    assert main(["--data-dir", str(tmp_path), "users", "add", "yamada", "--role", "admin",
                 "--name", "山田"]) == 0
    monkeypatch.setenv("PFDESK_PASSWORD", "admin-pass-1")
    return str(tmp_path)


def test_users_add_list_and_reset(folder, capsys, monkeypatch):
    monkeypatch.setenv("PFDESK_NEW_PASSWORD", "staff-pass-1")
    assert main(["--data-dir", folder, "users", "add", "tanaka", "--role", "担当者"]) == 0
    assert main(["--data-dir", folder, "--user", "yamada", "users", "list"]) == 0
    out = capsys.readouterr().out
    assert "tanaka" in out and "担当者" in out
    assert main(["--data-dir", folder, "--user", "yamada", "users", "add", "x", "--role",
                 "boss"]) == 2
    assert "admin（管理者）" in capsys.readouterr().err
    monkeypatch.setenv("PFDESK_NEW_PASSWORD", "staff-pass-2")
    assert main(["--data-dir", folder, "--user", "yamada", "users", "reset-password",
                 "tanaka"]) == 0
    monkeypatch.setenv("PFDESK_PASSWORD", "staff-pass-2")
    # A password an administrator set must be changed before anything else runs.
    assert main(["--data-dir", folder, "--user", "tanaka", "stats", "--fy", "2026"]) == 2
    assert "users passwd" in capsys.readouterr().err
    monkeypatch.setenv("PFDESK_NEW_PASSWORD", "tanaka-no-kotoba")
    assert main(["--data-dir", folder, "--user", "tanaka", "users", "passwd"]) == 2
    assert "利用者名" in capsys.readouterr().err  # the policy applies here too
    monkeypatch.setenv("PFDESK_NEW_PASSWORD", "mizu-to-kaze-99")
    assert main(["--data-dir", folder, "--user", "tanaka", "users", "passwd"]) == 0
    monkeypatch.setenv("PFDESK_PASSWORD", "mizu-to-kaze-99")
    assert main(["--data-dir", folder, "--user", "tanaka", "stats", "--fy", "2026"]) == 0
    assert main(["--data-dir", folder, "--user", "tanaka", "audit", "verify"]) == 2
    assert "権限" in capsys.readouterr().err


def test_encrypt_then_recover(folder, capsys, monkeypatch):
    assert main(["--data-dir", folder, "encrypt"]) == 0
    out = capsys.readouterr().out
    recovery = next(ln.strip() for ln in out.splitlines()
                    if re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4})+", ln.strip()))
    assert crypto.is_encrypted(DataPaths(__import__("pathlib").Path(folder)))
    monkeypatch.setenv("PFDESK_RECOVERY_KEY", recovery)
    monkeypatch.setenv("PFDESK_NEW_PASSWORD", "after-recovery")
    assert main(["--data-dir", folder, "--user", "yamada", "recover"]) == 0
    monkeypatch.setenv("PFDESK_PASSWORD", "after-recovery")
    assert main(["--data-dir", folder, "audit", "verify"]) == 0


def test_retention_list_and_dispose(folder, capsys, tmp_path):
    store = open_store(DataPaths(tmp_path))
    with store.session() as s:
        s.add(Case(case_number="H30-0001", fiscal_year=2018, serial=1,
                   intake_date=date(2018, 5, 1), family_name="廃棄野", status="closed",
                   closed_on=date(2019, 3, 1)))
        s.commit()
    store.close()
    assert main(["--data-dir", folder, "retention", "list", "--fiscal-year", "2025"]) == 0
    assert "H30-0001" in capsys.readouterr().out
    assert main(["--data-dir", folder, "retention", "dispose", "H30-0001"]) == 1
    assert "--yes" in capsys.readouterr().err
    assert main(["--data-dir", folder, "retention", "dispose", "H30-0001", "--yes"]) == 2
    assert main(["--data-dir", folder, "retention", "dispose", "H30-0001", "--yes",
                 "--approval", "保福第7号"]) == 0
    assert "1 件の個人情報を消去しました" in capsys.readouterr().out


def test_backup_and_restore_commands(folder, capsys, tmp_path_factory):
    out = tmp_path_factory.mktemp("usb") / "copy.zip"  # outside the data folder
    assert main(["--data-dir", folder, "backup", str(out)]) == 0
    assert "暗号化なし" in capsys.readouterr().out and out.exists()
    assert main(["--data-dir", folder, "restore", str(out)]) == 1
    assert main(["--data-dir", folder, "restore", str(out), "--yes"]) == 0
    assert "復元しました" in capsys.readouterr().out


def test_encrypt_offers_to_shred_the_plain_backups_made_before(folder, capsys, fast_kdf):  # noqa: F811
    assert main(["--data-dir", folder, "backup"]) == 0
    assert main(["--data-dir", folder, "encrypt"]) == 0
    out = capsys.readouterr().out
    assert "本人情報が守られていないバックアップが 2 個" in out and "--shred-plain-backups" in out
    assert main(["--data-dir", folder, "encrypt", "--shred-plain-backups"]) == 0
    assert "2 個を上書きしてから削除しました" in capsys.readouterr().out
    assert main(["--data-dir", folder, "encrypt", "--shred-plain-backups"]) == 0
    assert "ありません" in capsys.readouterr().out
