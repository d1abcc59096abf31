"""Backups and restores: one ZIP, encrypted when the store is, audited, safety copy first."""

from __future__ import annotations

import zipfile

import pytest

from pfdesk.core.errors import FileProblem, KnownError, PermissionDenied
from pfdesk.services.audit_log import search_audit
from pfdesk.services.backup import backup_store, restore_store
from pfdesk.services.context import Actor
from pfdesk.services.encryption import encrypt_store
from pfdesk.services.settings import Municipality, get_municipality, save_municipality
from pfdesk.store import crypto
from tests.security_helpers import PASSWORD, cheap_hashing, fast_kdf, make_user, signed_in  # noqa: F401


def _town(ctx, name):
    save_municipality(ctx, Municipality(name=name, secretariat="保健福祉課"))


def test_backup_and_restore_a_plain_store(ctx, tmp_path):
    _town(ctx, "いの町")
    (ctx.store.paths.attachments / "資料.pdf").write_bytes(b"%PDF-1.4")
    info = backup_store(ctx, tmp_path)
    assert info.path.parent == tmp_path and not info.encrypted
    with zipfile.ZipFile(info.path) as z:
        assert {"pfdesk.sqlite3", "attachments/資料.pdf"} <= set(z.namelist())
    _town(ctx, "別の町")
    result = restore_store(ctx, info.path)
    assert get_municipality(ctx).name == "いの町"
    assert result.safety_backup.exists()
    actions = [e.action for e in search_audit(ctx).entries[:2]]
    assert actions == ["restore.restore", "backup.create"]


def test_backup_of_an_encrypted_store_is_encrypted(ctx, tmp_path, fast_kdf):  # noqa: F811
    make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    _town(admin, "秘密の町")
    encrypt_store(admin, "yamada", PASSWORD)
    info = backup_store(admin, tmp_path / "b.zip")
    assert info.encrypted
    with zipfile.ZipFile(info.path) as z:
        z.extractall(tmp_path / "x")
    assert crypto.is_encrypted_file(tmp_path / "x" / "pfdesk.sqlite3")
    assert "秘密の町".encode() not in (tmp_path / "x" / "pfdesk.sqlite3").read_bytes()
    assert (tmp_path / "x" / "keys.json").exists()
    _town(admin, "別の町")
    assert restore_store(admin, info.path).encrypted
    assert get_municipality(admin).name == "秘密の町"
    assert crypto.is_encrypted(admin.store.paths)


def test_restore_refuses_a_file_that_is_not_a_backup(ctx, tmp_path):
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(FileProblem, match="読み込めません"):
        restore_store(ctx, bad)
    with zipfile.ZipFile(tmp_path / "y.zip", "w") as z:
        z.writestr("other.txt", "x")
    with pytest.raises(KnownError, match="バックアップではありません"):
        restore_store(ctx, tmp_path / "y.zip")


def test_only_administrators_restore(ctx, tmp_path):
    info = backup_store(ctx, tmp_path / "b.zip")
    staff = ctx.acting_as(Actor("tanaka", "", "staff"))
    backup_store(staff, tmp_path / "c.zip")
    with pytest.raises(PermissionDenied):
        restore_store(staff, info.path)
