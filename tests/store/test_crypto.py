"""Encryption at rest: unreadable without the key, opens with a password or the recovery key."""

from __future__ import annotations

import sqlite3

import pytest

from pfdesk.__main__ import main
from pfdesk.core.errors import PermissionDenied
from pfdesk.services import accounts
from pfdesk.services.encryption import encrypt_store, encryption_status
from pfdesk.store import crypto
from pfdesk.store.engine import open_store
from pfdesk.store.models import Setting
from tests.security_helpers import PASSWORD, cheap_hashing, fast_kdf, make_user, signed_in  # noqa: F401

SECRET = "秘密野　花子"


@pytest.fixture
def encrypted(ctx, fast_kdf):  # noqa: F811 - fixture imported above
    """A store with an administrator and a staff account, converted to encrypted."""
    make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    with ctx.session() as s:
        s.add(Setting(key="probe", value_json=f'"{SECRET}"'))
        s.commit()
    recovery = encrypt_store(admin, "yamada", PASSWORD)
    make_user(admin, "tanaka", "staff")
    return admin, recovery


def test_encrypted_store_cannot_be_read_by_plain_sqlite(encrypted, ctx):
    paths = ctx.store.paths
    assert crypto.is_encrypted(paths)
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(paths.store).execute("SELECT * FROM setting").fetchall()
    assert SECRET.encode() not in paths.store.read_bytes()
    assert not list(paths.root.glob("*.plain-old"))
    assert encryption_status(encrypted[0]).encrypted


def test_the_window_keeps_working_after_conversion(encrypted):
    admin, _ = encrypted
    with admin.session() as s:
        assert s.get(Setting, "probe").value_json == f'"{SECRET}"'
    assert [u.login_name for u in accounts.list_users(admin)] == ["yamada", "tanaka"]


def test_opens_with_each_users_password(encrypted, ctx):
    paths = ctx.store.paths
    ctx.store.close()
    for login in ("yamada", "tanaka"):
        key = accounts.unlock_store_key(paths, login, PASSWORD)
        store = open_store(paths, key=key)
        try:
            assert accounts.login(store, login, PASSWORD).user_name == login
        finally:
            store.close()


def test_wrong_passwords_are_counted_locked_and_logged_once_opened(encrypted, ctx):
    paths = ctx.store.paths
    ctx.store.close()
    for _ in range(4):
        with pytest.raises(PermissionDenied, match="違います"):
            accounts.unlock_store_key(paths, "tanaka", "wrong-password")
    with pytest.raises(PermissionDenied, match="ロック"):
        accounts.unlock_store_key(paths, "tanaka", "wrong-password")
    with pytest.raises(PermissionDenied, match="ロック"):
        accounts.unlock_store_key(paths, "tanaka", PASSWORD)
    store = open_store(paths, key=accounts.unlock_store_key(paths, "yamada", PASSWORD))
    try:
        accounts.login(store, "yamada", PASSWORD)
        from pfdesk.services.audit_log import AuditFilter, search_audit
        from pfdesk.services.context import ServiceContext

        admin = ServiceContext(store, accounts.login(store, "yamada", PASSWORD))
        failed = search_audit(admin, AuditFilter(action="auth.login_failed"))
        assert failed.total == 5 and failed.entries[0].user_name == "tanaka"
    finally:
        store.close()


def test_opens_with_the_recovery_key_and_sets_a_new_password(encrypted, ctx):
    _, recovery = encrypted
    paths = ctx.store.paths
    ctx.store.close()
    with pytest.raises(crypto.WrongSecret):
        accounts.recover_with_key(paths, "AAAA-BBBB", "yamada", "brand-new-pass")
    typed = recovery.lower().replace("-", " ")  # as a person might type it
    store = accounts.recover_with_key(paths, typed, "yamada", "brand-new-pass")
    store.close()
    key = accounts.unlock_store_key(paths, "yamada", "brand-new-pass")
    store = open_store(paths, key=key)
    store.close()


def test_cli_opens_an_encrypted_store_with_user_and_password(encrypted, ctx, monkeypatch, capsys):
    ctx.store.close()
    root = str(ctx.store.paths.root)
    monkeypatch.setenv("PFDESK_PASSWORD", PASSWORD)
    # tanaka's password was set by an administrator: it must be changed first
    assert main(["--data-dir", root, "--user", "tanaka", "users", "list"]) == 2
    assert "users passwd" in capsys.readouterr().err
    monkeypatch.setenv("PFDESK_NEW_PASSWORD", "jibun-no-kotoba-77")
    assert main(["--data-dir", root, "--user", "tanaka", "users", "passwd"]) == 0
    monkeypatch.setenv("PFDESK_PASSWORD", "jibun-no-kotoba-77")
    assert main(["--data-dir", root, "--user", "tanaka", "users", "list"]) == 2
    assert "権限" in capsys.readouterr().err
    monkeypatch.setenv("PFDESK_PASSWORD", PASSWORD)
    assert main(["--data-dir", root, "--user", "yamada", "audit", "verify"]) == 0
    monkeypatch.setenv("PFDESK_PASSWORD", "wrong-password")
    assert main(["--data-dir", root, "--user", "yamada", "audit", "verify"]) == 2
    assert "パスワードが違います" in capsys.readouterr().err


def test_backups_before_an_upgrade_stay_encrypted(encrypted, ctx, tmp_path):
    from pfdesk.store.migrate import backup_file

    dest = backup_file(ctx.store.engine, tmp_path / "copy.sqlite3")
    assert crypto.is_encrypted_file(dest)
    crypto.connect(dest, ctx.store.key).close()


def test_failures_erased_from_keys_json_are_noticed_at_the_next_sign_in(encrypted, ctx):
    import json

    from pfdesk.services.audit_log import AuditFilter, search_audit
    from pfdesk.services.context import ServiceContext

    paths = ctx.store.paths
    ctx.store.close()
    for _i in range(2):
        with pytest.raises(PermissionDenied):
            accounts.unlock_store_key(paths, "tanaka", "not-the-password")
    key = accounts.unlock_store_key(paths, "yamada", PASSWORD)
    store = open_store(paths, key=key)
    admin = ServiceContext(store=store, actor=accounts.login(store, "yamada", PASSWORD))
    logged = search_audit(admin, AuditFilter(action="auth.login_failed")).entries
    assert len([e for e in logged if e.user_name == "tanaka"]) == 2
    assert search_audit(admin, AuditFilter(action="auth.lockout_tampered")).total == 0
    store.close()
    # Two more failures, then someone clears them (and the lock-out) from keys.json.
    for _i in range(2):
        with pytest.raises(PermissionDenied):
            accounts.unlock_store_key(paths, "tanaka", "not-the-password")
    data = json.loads(paths.keys.read_text(encoding="utf-8"))
    data["failures"], data["pending_events"] = {}, []
    paths.keys.write_text(json.dumps(data), encoding="utf-8")
    store = open_store(paths, key=accounts.unlock_store_key(paths, "yamada", PASSWORD))
    try:
        admin = ServiceContext(store=store, actor=accounts.login(store, "yamada", PASSWORD))
        [found] = search_audit(admin, AuditFilter(action="auth.lockout_tampered")).entries
        assert "書き換え" in found.action_label
    finally:
        store.close()
