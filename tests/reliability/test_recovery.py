"""Start-up recovery of interrupted replacements, and recovery of a folder whose store is lost.

In-process and fast: a crash is simulated by stopping the swap at the commit
point; the strace kills of a real process are in ``test_kill.py``.
"""

from __future__ import annotations

import pytest

from pfdesk.core.errors import KnownError
from pfdesk.paths import DataPaths
from pfdesk.services.backup import backup_store, restore_store
from pfdesk.services.encryption import encrypt_store
from pfdesk.services.recovery import damaged_files, recover_from_backup, recovery_backups
from pfdesk.services.settings import Municipality, get_municipality, save_municipality
from pfdesk.store import crypto, safefile
from pfdesk.store.engine import open_store
from tests.security_helpers import PASSWORD, cheap_hashing, fast_kdf, make_user, signed_in  # noqa: F401


class Crash(BaseException):
    """The process dies here."""


def _crash_after_journal(monkeypatch):
    real = safefile._roll_forward

    def die(paths, journal):
        monkeypatch.setattr(safefile, "_roll_forward", real)
        raise Crash

    monkeypatch.setattr(safefile, "_roll_forward", die)


def _town(ctx, name):
    save_municipality(ctx, Municipality(name=name, secretariat="保健福祉課"))


def test_a_restore_cut_after_its_journal_is_finished_at_start(ctx, tmp_path, monkeypatch):
    _town(ctx, "バックアップの町")
    good = backup_store(ctx, tmp_path / "b.zip").path
    _town(ctx, "今の町")
    _crash_after_journal(monkeypatch)
    with pytest.raises(Crash):
        restore_store(ctx, good)
    paths = ctx.store.paths
    assert (paths.root / safefile.JOURNAL).exists()
    note = safefile.recover_interrupted(paths)
    assert note == "前回中断した復元を最後まで行いました。"
    assert not (paths.root / safefile.JOURNAL).exists()
    assert not list(paths.root.glob("pfdesk.sqlite3.replaced-*"))
    ctx.store.reopen(key=None)
    assert get_municipality(ctx).name == "バックアップの町"


def test_an_encryption_cut_after_its_journal_ends_encrypted_with_matching_keys(
        ctx, fast_kdf, monkeypatch):  # noqa: F811
    make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    _town(admin, "秘密の町")
    paths = admin.store.paths
    _crash_after_journal(monkeypatch)
    with pytest.raises(Crash):
        encrypt_store(admin, "yamada", PASSWORD)
    assert not crypto.is_encrypted(paths)  # cut before the swap
    assert safefile.recover_interrupted(paths) == "前回中断した暗号化を最後まで行いました。"
    assert crypto.is_encrypted(paths)
    assert not (paths.root / safefile.LEGACY_PLAIN_OLD).exists()
    key = crypto.KeyFile.load(paths).unwrap_user("yamada", PASSWORD)
    store = open_store(paths, key=key)
    try:
        from pfdesk.services.context import ServiceContext

        assert get_municipality(ServiceContext(store=store, actor=admin.actor)).name == "秘密の町"
    finally:
        store.close()
    assert list(paths.backups.glob("before-encrypt-*.zip"))  # a verified backup came first


def test_an_encryption_cut_before_its_journal_stays_plain(ctx, fast_kdf, monkeypatch):  # noqa: F811
    make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    _town(admin, "まだ平文の町")
    paths = admin.store.paths

    def die(paths, rep):
        raise Crash

    monkeypatch.setattr(safefile, "commit", die)
    with pytest.raises(Crash):
        encrypt_store(admin, "yamada", PASSWORD)
    assert (paths.root / safefile.STAGED_STORE).exists()
    assert "取り消しました" in (safefile.recover_interrupted(paths) or "")
    assert not crypto.is_encrypted(paths)
    assert not crypto.KeyFile.load(paths).entries  # no key for a store that is not encrypted
    admin.store.reopen(key=None)
    assert get_municipality(admin).name == "まだ平文の町"


def test_a_lost_store_is_recovered_from_a_listed_backup_without_signing_in(ctx, tmp_path):
    _town(ctx, "いの町")
    backup_store(ctx)
    paths: DataPaths = ctx.store.paths
    ctx.store.close()
    paths.store.write_bytes(paths.store.read_bytes()[:50_000])  # cut short
    listed = recovery_backups(paths)
    assert len(listed) == 1 and listed[0].ok and listed[0].counts
    result = recover_from_backup(paths, listed[0].path)
    assert result.kept is not None and result.kept.stat().st_size == 50_000
    assert damaged_files(paths) == [result.kept]
    assert "残しました" in result.message()
    store = open_store(paths)
    try:
        from pfdesk.services.audit_log import search_audit
        from pfdesk.services.context import Actor, ServiceContext

        c = ServiceContext(store=store, actor=Actor.local_admin())
        assert get_municipality(c).name == "いの町"
        assert search_audit(c).entries[0].action == "restore.recover"
    finally:
        store.close()


def test_an_encrypted_backup_needs_the_recovery_key_or_a_password(ctx, tmp_path, fast_kdf):  # noqa: F811
    make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    _town(admin, "秘密の町")
    recovery_key = encrypt_store(admin, "yamada", PASSWORD)
    info = backup_store(admin)
    paths = admin.store.paths
    admin.store.close()
    paths.store.unlink()
    with pytest.raises(KnownError, match="パスワードか回復キー"):
        recover_from_backup(paths, info.path)
    with pytest.raises(KnownError, match="回復キーが違います"):
        recover_from_backup(paths, info.path, recovery_key="AAAA-BBBB")
    assert not paths.store.exists()  # refused: nothing changed
    result = recover_from_backup(paths, info.path, recovery_key=recovery_key)
    assert result.encrypted and result.kept is None
    key = crypto.KeyFile.load(paths).unwrap_user("yamada", PASSWORD)
    crypto.connect(paths.store, key).close()


def _cut_between_the_renames(ctx, tmp_path, monkeypatch):
    """A restore killed after the old store went aside and before the new one came in."""
    _town(ctx, "バックアップの町")
    good = backup_store(ctx, tmp_path / "b.zip").path
    real_replace = safefile.os.replace
    paths = ctx.store.paths

    def replace(src, dst):
        if str(src).endswith(safefile.STAGED_STORE):
            raise Crash
        return real_replace(src, dst)

    monkeypatch.setattr(safefile.os, "replace", replace)
    with pytest.raises(Crash):
        restore_store(ctx, good)
    monkeypatch.setattr(safefile.os, "replace", real_replace)
    assert not paths.store.exists()
    return paths


def test_recover_store_after_a_cut_between_the_renames_finishes_it(ctx, tmp_path, monkeypatch,
                                                                    capsys):
    from pfdesk.__main__ import main

    paths = _cut_between_the_renames(ctx, tmp_path, monkeypatch)
    assert main(["--data-dir", str(paths.root), "recover-store"]) == 0
    out = capsys.readouterr().out
    assert "最後まで行いました" in out and "使える状態に戻りました" in out
    assert paths.store.exists()


def test_a_command_right_after_a_cut_between_the_renames_finishes_the_restore(
        ctx, tmp_path, monkeypatch, capsys):
    from pfdesk.__main__ import main

    paths = _cut_between_the_renames(ctx, tmp_path, monkeypatch)
    assert main(["--data-dir", str(paths.root), "audit", "verify"]) == 0


def test_a_restore_is_refused_while_another_pfdesk_has_the_store_open(ctx, tmp_path):
    import json
    import socket

    good = backup_store(ctx, tmp_path / "b.zip").path
    _town(ctx, "今の町")
    paths = ctx.store.paths
    other = paths.root / ".pfdesk-sessions" / "PC-02-4242.json"
    other.parent.mkdir(exist_ok=True)
    other.write_text(json.dumps({"host": "PC-02", "pid": 4242, "user": "tanaka",
                                 "command": "pfdesk", "since": "2026-12-03T10:32:00"}))
    assert socket.gethostname() != "PC-02"
    with pytest.raises(KnownError, match="ほかの pfdesk") as e:
        restore_store(ctx, good)
    assert "PC-02 の tanaka" in e.value.user_text()
    assert get_municipality(ctx).name == "今の町"
    assert not list(paths.backups.glob("before-restore-*"))  # refused before anything
    other.unlink()
    restore_store(ctx, good)
    assert get_municipality(ctx).name != "今の町"


def test_the_window_after_a_cut_between_the_renames_finishes_the_restore_and_opens(
        ctx, tmp_path, monkeypatch):
    import os
    import subprocess
    import sys

    paths = _cut_between_the_renames(ctx, tmp_path, monkeypatch)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "pfdesk", "--data-dir", str(paths.root),
                          "--smoke-test"], env=env, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().startswith("pfdesk ready in ")
    assert paths.store.exists() and not (paths.root / safefile.JOURNAL).exists()


def test_recovery_without_sign_in_is_refused_for_a_store_that_opens(ctx, tmp_path):
    _town(ctx, "今の町")
    info = backup_store(ctx)
    paths = ctx.store.paths
    ctx.store.close()
    with pytest.raises(KnownError, match="サインインなしの復旧は行いません"):
        recover_from_backup(paths, info.path)
    assert not damaged_files(paths)
