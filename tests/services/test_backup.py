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
    (ctx.store.paths.attachments / "資料.pdf").unlink()
    (ctx.store.paths.attachments / "あとから.pdf").write_bytes(b"%PDF-1.4")
    result = restore_store(ctx, info.path)
    assert get_municipality(ctx).name == "いの町"
    assert result.safety_backup.exists()
    assert sorted(p.name for p in ctx.store.paths.attachments.iterdir()) == ["資料.pdf"]
    assert not list(ctx.store.paths.root.glob("attachments.*"))
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


# --- proving backups, rotation, second folder ------------------------------------------------

import hashlib  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

from pfdesk.core.errors import StoreError, ValidationError  # noqa: E402
from pfdesk.services.backup import (  # noqa: E402
    auto_backup,
    auto_backup_due,
    check_backup,
    save_backup_settings,
)
from pfdesk.store import backups, safefile  # noqa: E402
from pfdesk.store.backups import BackupSettings  # noqa: E402


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _flip(zip_path: Path, out: Path, *, at: int = 8192, size: int = 4096) -> Path:
    """A copy of ``zip_path`` with ``size`` bytes of the store member flipped."""
    data = bytearray(zip_path.read_bytes())
    for i in range(at, min(at + size, len(data))):
        data[i] ^= 0xFF
    out.write_bytes(bytes(data))
    return out


def test_a_backup_says_what_it_holds_and_is_checked(demo_ctx, tmp_path):
    info = backup_store(demo_ctx, tmp_path / "b.zip")
    assert info.counts["cases"] > 0 and info.counts["contacts"] > 0
    with zipfile.ZipFile(info.path) as z:
        manifest = json.loads(z.read("backup.json"))
        assert z.testzip() is None
    assert manifest["counts"] == info.counts
    listed = check_backup(demo_ctx, info.path)
    assert listed.counts == info.counts and "ケース" in listed.counts_text()


def test_restoring_a_damaged_backup_is_refused_and_changes_nothing(demo_ctx, tmp_path):
    good = backup_store(demo_ctx, tmp_path / "good.zip").path
    bad = _flip(good, tmp_path / "bad.zip")
    paths = demo_ctx.store.paths
    demo_ctx.store.engine.dispose()
    before = _digest(paths.store)
    listing_before = sorted(p.name for p in paths.backups.iterdir())
    with pytest.raises(KnownError):
        restore_store(demo_ctx, bad)
    demo_ctx.store.engine.dispose()
    assert _digest(paths.store) == before
    assert sorted(p.name for p in paths.backups.iterdir()) == listing_before  # no safety copy
    assert not (paths.root / safefile.STAGED_STORE).exists()


def test_a_backup_whose_store_fails_integrity_check_is_refused(demo_ctx, tmp_path):
    """The ZIP is fine but the database inside is not: integrity_check catches it."""
    good = backup_store(demo_ctx, tmp_path / "good.zip").path
    x = tmp_path / "x"
    with zipfile.ZipFile(good) as z:
        z.extractall(x)
    db = x / "pfdesk.sqlite3"
    raw = bytearray(db.read_bytes())
    page = 4096
    for i in range(page * 5, page * 5 + 3000):
        raw[i] ^= 0x5A
    db.write_bytes(bytes(raw))
    rezipped = tmp_path / "rezipped.zip"
    with zipfile.ZipFile(rezipped, "w") as z:
        z.write(db, "pfdesk.sqlite3")  # no manifest: an older or hand-made backup
    before = get_municipality(demo_ctx)
    with pytest.raises(StoreError, match="検査に通らない"):
        restore_store(demo_ctx, rezipped)
    assert get_municipality(demo_ctx) == before


def test_a_backup_from_a_newer_pfdesk_is_refused(ctx, tmp_path):
    good = backup_store(ctx, tmp_path / "good.zip").path
    x = tmp_path / "x"
    with zipfile.ZipFile(good) as z:
        z.extractall(x)
    conn = sqlite3.connect(x / "pfdesk.sqlite3")
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(newer, "w") as z:
        z.write(x / "pfdesk.sqlite3", "pfdesk.sqlite3")
    with pytest.raises(StoreError) as e:
        restore_store(ctx, newer)
    assert "新しいバージョン" in e.value.user_text()


def test_a_failed_backup_leaves_nothing_in_the_destination(demo_ctx, tmp_path, monkeypatch):
    dest = tmp_path / "usb"
    dest.mkdir()

    def broken(db, key=None, **kw):
        raise StoreError("検査で異常")

    monkeypatch.setattr(safefile, "inspect_store", broken)
    with pytest.raises(StoreError):
        backup_store(demo_ctx, dest / "b.zip")
    assert list(dest.iterdir()) == []
    tmp = demo_ctx.store.paths.root / safefile.TMP_DIR
    assert not tmp.exists() or list(tmp.iterdir()) == []


def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path):
    start = datetime(2026, 12, 3, 18, 0)
    made = []
    for day in range(400):
        for hour in (9, 17):  # two automatic backups a day (start and close)
            when = start - timedelta(days=day, hours=18 - hour)
            p = tmp_path / backups.backup_name(backups.AUTO_PREFIX, when)
            p.write_bytes(b"x")
            made.append(p)
    manual = tmp_path / "pfdesk-20250101-120000.zip"
    manual.write_bytes(b"x")
    backups.rotate(tmp_path, BackupSettings())
    kept = sorted(p.name for p in tmp_path.glob("pfdesk-auto-*.zip"))
    days = {n[len("pfdesk-auto-"):][:8] for n in kept}
    # 7 days + up to 4 week ends + 12 month ends, newest of each; never two on one day
    assert len(kept) == len(days)
    assert 7 <= len(kept) <= 7 + 4 + 12
    assert "pfdesk-auto-20261203-170000.zip" in kept
    for d in range(7):
        assert f"{start - timedelta(days=d):%Y%m%d}" in days
    assert manual.exists()  # backups made by hand are never rotated away
    months = {d[:6] for d in days}
    assert len(months) >= 12


def test_automatic_backup_is_rotated_and_copied_to_a_second_folder(demo_ctx, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    save_backup_settings(demo_ctx, BackupSettings(daily=2, weekly=0, monthly=0,
                                                  second_folder=str(usb)))
    paths = demo_ctx.store.paths
    assert auto_backup_due(paths)
    first = auto_backup(demo_ctx, "daily")
    assert first is not None and first.second_copy == usb / first.path.name
    assert not auto_backup_due(paths)
    with zipfile.ZipFile(first.second_copy) as z:
        assert z.testzip() is None
    # An older day's backup beyond the 2 days kept goes, in both folders.
    for folder in (paths.backups, usb):
        for days in (3, 4):
            old = folder / backups.backup_name(backups.AUTO_PREFIX,
                                               datetime.now() - timedelta(days=days))
            shutil.copyfile(first.path, old)
    auto_backup(demo_ctx, "close")
    for folder in (paths.backups, usb):
        autos = sorted(folder.glob("pfdesk-auto-*.zip"))
        assert len(autos) == 2, autos
    actions = [e.action for e in search_audit(demo_ctx).entries[:3]]
    assert "backup.auto" in actions


def test_backup_settings_are_checked(ctx, tmp_path):
    with pytest.raises(ValidationError, match="見つかりません"):
        save_backup_settings(ctx, BackupSettings(second_folder=str(tmp_path / "nowhere")))
    with pytest.raises(ValidationError):
        save_backup_settings(ctx, BackupSettings(daily=0))


def test_restore_keeps_the_store_when_the_swap_fails_before_the_journal(demo_ctx, tmp_path,
                                                                      monkeypatch):
    good = backup_store(demo_ctx, tmp_path / "good.zip").path
    _town(demo_ctx, "復元前の町")

    def power_cut(paths, rep):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(safefile, "commit", power_cut)
    with pytest.raises(OSError):
        restore_store(demo_ctx, good)
    # Start-up after the failure: the staged files go, the store is the one before.
    note = safefile.recover_interrupted(demo_ctx.store.paths)
    assert note and "取り消しました" in note
    demo_ctx.store.reopen(key=None)
    assert get_municipality(demo_ctx).name == "復元前の町"


def test_an_encrypted_backup_without_keys_opens_with_the_current_key(ctx, tmp_path, fast_kdf):  # noqa: F811
    make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    _town(admin, "秘密の町")
    encrypt_store(admin, "yamada", PASSWORD)
    info = backup_store(admin, tmp_path / "b.zip")
    stripped = tmp_path / "nokeys.zip"
    with zipfile.ZipFile(info.path) as src, zipfile.ZipFile(stripped, "w") as dst:
        for name in src.namelist():
            if name != "keys.json":
                dst.writestr(name, src.read(name))
    _town(admin, "別の町")
    assert restore_store(admin, stripped).encrypted
    assert get_municipality(admin).name == "秘密の町"
    assert crypto.KeyFile.load(admin.store.paths).unwrap_user("yamada", PASSWORD) == admin.store.key
