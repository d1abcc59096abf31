"""Accounts: first administrator, roles, lock-out after five failures, passwords, CLI sign-in."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pfdesk.core.errors import KnownError, PermissionDenied, ValidationError
from pfdesk.services import accounts
from pfdesk.services.audit_log import search_audit
from pfdesk.store.models import UserAccount
from tests.security_helpers import PASSWORD, cheap_hashing, make_user, signed_in  # noqa: F401


def test_first_account_must_be_an_administrator(ctx):
    with pytest.raises(ValidationError) as e:
        make_user(ctx, "tanaka", "staff")
    assert "管理者" in e.value.user_text()
    admin = make_user(ctx, "yamada", "admin")
    assert admin.role_label == "管理者"
    assert not admin.must_change_password
    assert accounts.has_accounts(ctx.store)


def test_passwords_are_hashed_with_argon2_and_must_be_long_enough(ctx):
    with pytest.raises(ValidationError) as e:
        make_user(ctx, "yamada", "admin", "short")
    assert "12文字以上" in e.value.user_text()
    make_user(ctx, "yamada", "admin")
    with ctx.session() as s:
        stored = s.query(UserAccount).one().password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_login_names_are_unique_and_plain(ctx):
    make_user(ctx, "yamada", "admin")
    with pytest.raises(ValidationError, match="すでに使われています"):
        make_user(ctx, "Yamada", "staff")
    with pytest.raises(ValidationError, match="半角"):
        make_user(ctx, "山田", "staff")


def test_admin_creates_users_and_roles_decide_what_they_may_do(ctx):
    make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    make_user(admin, "tanaka", "staff")
    make_user(admin, "suzuki", "viewer")
    assert [u.login_name for u in accounts.list_users(admin)] == ["yamada", "tanaka", "suzuki"]
    staff = signed_in(ctx, "tanaka")
    assert staff.actor.role == "staff"
    with pytest.raises(PermissionDenied):
        accounts.list_users(staff)
    with pytest.raises(PermissionDenied):
        make_user(staff, "sato", "admin")


def test_five_wrong_passwords_lock_the_account(ctx, monkeypatch):
    make_user(ctx, "yamada", "admin")
    for _ in range(4):
        with pytest.raises(PermissionDenied, match="違います"):
            accounts.login(ctx.store, "yamada", "wrong-password")
    with pytest.raises(PermissionDenied, match="ロックされています"):
        accounts.login(ctx.store, "yamada", "wrong-password")
    with pytest.raises(PermissionDenied, match="ロックされています"):
        accounts.login(ctx.store, "yamada", PASSWORD)  # even the right one, for a while
    later = accounts.utcnow() + timedelta(minutes=accounts.LOCK_MINUTES + 1)
    monkeypatch.setattr(accounts, "utcnow", lambda: later)
    assert accounts.login(ctx.store, "yamada", PASSWORD).user_name == "yamada"
    actions = [e.action for e in search_audit(ctx).entries]
    assert actions.count("auth.login_failed") == 6 and actions[0] == "auth.login"


def test_unknown_user_gets_the_same_message_and_is_logged(ctx):
    make_user(ctx, "yamada", "admin")
    with pytest.raises(PermissionDenied, match="利用者名またはパスワードが違います"):
        accounts.login(ctx.store, "nobody", PASSWORD)
    entry = search_audit(ctx).entries[0]
    assert (entry.action, entry.user_name) == ("auth.login_failed", "nobody")


def test_admin_resets_and_user_changes_own_password(ctx):
    make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    user = make_user(admin, "tanaka", "staff")
    accounts.reset_password(admin, user.id, "new-password-1")
    staff = signed_in(ctx, "tanaka", "new-password-1")
    assert accounts.must_change_password(ctx.store, staff.actor)
    with pytest.raises(ValidationError, match="現在のパスワードが違います"):
        accounts.change_own_password(staff, "nope", "another-password")
    accounts.change_own_password(staff, "new-password-1", "another-password", "another-password")
    assert not accounts.must_change_password(ctx.store, staff.actor)
    with pytest.raises(PermissionDenied):
        accounts.login(ctx.store, "tanaka", "new-password-1")
    assert accounts.login(ctx.store, "tanaka", "another-password").role == "staff"


def test_the_last_administrator_cannot_be_demoted_or_stopped(ctx):
    me = make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    with pytest.raises(ValidationError, match="管理者が一人もいなくなる"):
        accounts.update_user(admin, me.id, display_name="山田", role="staff")
    other = make_user(admin, "tanaka", "staff")
    accounts.deactivate_user(admin, other.id)
    with pytest.raises(PermissionDenied, match="利用停止"):
        accounts.login(ctx.store, "tanaka", PASSWORD)


def test_idle_lock_defaults_to_ten_minutes_and_is_set_by_the_admin(ctx):
    assert accounts.idle_lock_minutes(ctx) == 10
    assert accounts.set_idle_lock_minutes(ctx, 5) == 5
    assert accounts.idle_lock_minutes(ctx) == 5
    with pytest.raises(ValidationError):
        accounts.set_idle_lock_minutes(ctx, 0)


def test_cli_acts_as_local_admin_until_accounts_exist(store):
    assert accounts.actor_for_cli(store, None).role == "admin"


def test_cli_takes_user_and_password_from_the_environment(ctx, monkeypatch):
    make_user(ctx, "yamada", "admin")
    make_user(signed_in(ctx, "yamada"), "tanaka", "staff")
    monkeypatch.setenv("PFDESK_PASSWORD", PASSWORD)
    assert accounts.actor_for_cli(ctx.store, "tanaka").user_name == "tanaka"
    with pytest.raises(KnownError, match="--user"):
        accounts.actor_for_cli(ctx.store, None)
    monkeypatch.delenv("PFDESK_PASSWORD")
    with pytest.raises(KnownError, match="PFDESK_PASSWORD"):
        accounts.actor_for_cli(ctx.store, "tanaka", interactive=False)
    monkeypatch.setattr(accounts.getpass, "getpass", lambda prompt: PASSWORD)
    assert accounts.actor_for_cli(ctx.store, "tanaka").role == "staff"


def test_demo_store_has_a_labelled_demo_administrator(demo_store):
    assert accounts.is_demo_store(demo_store)
    actor = accounts.login(demo_store, "demo", "demo")
    assert actor.role == "admin" and "デモ" in actor.display_name
    assert accounts.actor_for_cli(demo_store, None, interactive=False).user_name == "demo"
