"""User accounts: the first administrator, users by role, sign-in with lock-out, passwords.

Passwords are hashed with Argon2 (argon2-cffi). Five wrong passwords in a row
lock the account for :data:`LOCK_MINUTES`. On an encrypted store every
password also wraps the store key in ``keys.json`` (see ``store.crypto``), so
creating a user, resetting or changing a password keeps that file in step.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pfdesk.core.codes import ROLES
from pfdesk.core.errors import KnownError, NotFound, PermissionDenied, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.password_policy import MIN_LENGTH, check_password
from pfdesk.core.permissions import ADMIN, Permission
from pfdesk.paths import DataPaths
from pfdesk.services import audit, identity_vault
from pfdesk.services.context import Actor, ServiceContext, service
from pfdesk.services.settings import read_setting, write_setting
from pfdesk.store import crypto
from pfdesk.store.engine import Store
from pfdesk.store.models import UserAccount, utcnow

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = MIN_LENGTH
IDLE_KEY = "security.idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 10
DEMO_LOGIN = "demo"
DEMO_PASSWORD = "demo"

_hasher = PasswordHasher()
#: For the demo town's public passwords only: no point in a costly hash of "demo".
PUBLIC_PASSWORD_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass(frozen=True)
class UserInfo:
    """One account as the users page shows it."""

    id: int
    login_name: str
    display_name: str
    role: str
    role_label: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    must_change_password: bool


def _info(u: UserAccount) -> UserInfo:
    return UserInfo(
        u.id, u.login_name, u.display_name, u.role, ROLES.label(u.role), u.active,
        u.locked_until, u.last_login_at, u.must_change_password,
    )


def _actor(u: UserAccount) -> Actor:
    return Actor(user_name=u.login_name, display_name=u.display_name, role=u.role, user_id=u.id)


def _someone(login_name: str) -> Actor:
    """Who an audit entry names when a sign-in fails (no account is acting)."""
    return Actor(user_name=login_name or "?", display_name=login_name, role="")


def hash_password(password: str, *, salt: bytes | None = None, public: bool = False) -> str:
    """The Argon2 hash to store for ``password`` (``public``: a published demo password)."""
    return (PUBLIC_PASSWORD_HASHER if public else _hasher).hash(password, salt=salt)


def _check_new_password(password: str, confirm: str | None = None, login_name: str = "") -> None:
    check_password(password, login_name=login_name)
    if confirm is not None and confirm != password:
        raise ValidationError(_("確認用のパスワードが一致しません。"), field="confirm")


def _check_login_name(s: Session, login_name: str) -> str:
    name = login_name.strip()
    if not name:
        raise ValidationError(_("利用者名を入力してください。"), field="login_name")
    if not name.isascii() or " " in name:
        raise ValidationError(
            _("利用者名は半角の英数字で入力してください（例: tanaka）。"), field="login_name"
        )
    if s.scalar(select(UserAccount.id).where(func.lower(UserAccount.login_name) == name.lower())):
        raise ValidationError(
            _("利用者名「{name}」はすでに使われています。").format(name=name), field="login_name"
        )
    return name


def _wrap_key(store: Store, login_name: str, password: str, role: str) -> None:
    """Keep keys.json in step: ``login_name`` unlocks the encrypted store with ``password``.

    The user's key pair for the identity key is renewed too (services.identity_vault).
    """
    if store.is_server:
        from pfdesk.services import server_files

        server_files.password_set(store, login_name, password)
        return
    if store.key is None:
        return
    kf = crypto.KeyFile.load(store.paths)
    kf.wrap_for_user(login_name, password, store.key)
    kf.save()
    identity_vault.password_set(store, login_name, role, password)


def has_accounts(store: Store) -> bool:
    """Whether any user account exists (before that, the local administrator acts)."""
    with store.session() as s:
        return bool(s.scalar(select(func.count()).select_from(UserAccount)))


def is_demo_store(store: Store) -> bool:
    """Whether ``store`` holds the fictional demo town (its demo accounts are public)."""
    if store.is_demo:
        return True
    with store.session() as s:
        return read_setting(s, "demo") is not None


@service(Permission.USER_ADMIN)
def list_users(ctx: ServiceContext) -> list[UserInfo]:
    """Every account, administrators first."""
    order = {k: i for i, k in enumerate(ROLES.keys())}
    with ctx.session() as s:
        users = [_info(u) for u in s.scalars(select(UserAccount))]
    return sorted(users, key=lambda u: (not u.active, order.get(u.role, 9), u.login_name))


@service(Permission.USER_ADMIN)
def create_user(
    ctx: ServiceContext, login_name: str, display_name: str, role: str, password: str,
    confirm: str | None = None,
) -> UserInfo:
    """Add an account; the new user is asked to change the password at first sign-in."""
    if role not in ROLES.keys():
        raise ValidationError(_("権限を選んでください。"), field="role")
    if not display_name.strip():
        raise ValidationError(_("氏名を入力してください。"), field="display_name")
    _check_new_password(password, confirm, login_name)
    with ctx.session() as s:
        name = _check_login_name(s, login_name)
        first = not s.scalar(select(func.count()).select_from(UserAccount))
        if first and role != ADMIN:
            raise ValidationError(_("最初の利用者は管理者にしてください。"), field="role")
        u = UserAccount(
            login_name=name, display_name=display_name.strip(), role=role,
            password_hash=hash_password(password), must_change_password=not first,
        )
        s.add(u)
        s.flush()
        audit.record(s, ctx.actor, "user.create", "user_account", [u.id],
                     login_name=name, role=role)
        _wrap_key(ctx.store, name, password, role)
        s.commit()
        return _info(u)


def _get(s: Session, user_id: int) -> UserAccount:
    u = s.get(UserAccount, user_id)
    if u is None:
        raise NotFound(_("利用者が見つかりません（ID {id}）。").format(id=user_id))
    return u


def _active_admins(s: Session) -> int:
    return s.scalar(
        select(func.count()).select_from(UserAccount)
        .where(UserAccount.role == ADMIN, UserAccount.active.is_(True))
    ) or 0


@service(Permission.USER_ADMIN)
def update_user(ctx: ServiceContext, user_id: int, *, display_name: str, role: str) -> UserInfo:
    """Change an account's name or role (the last administrator keeps the role)."""
    if role not in ROLES.keys():
        raise ValidationError(_("権限を選んでください。"), field="role")
    if not display_name.strip():
        raise ValidationError(_("氏名を入力してください。"), field="display_name")
    with ctx.session() as s:
        u = _get(s, user_id)
        if u.role == ADMIN and role != ADMIN and u.active and _active_admins(s) <= 1:
            raise ValidationError(
                _("管理者が一人もいなくなるため、権限を変更できません。"),
                hint=_("先に別の利用者を管理者にしてください。"), field="role",
            )
        before = (u.display_name, u.role)
        u.display_name, u.role = display_name.strip(), role
        audit.record(s, ctx.actor, "user.edit", "user_account", [u.id],
                     before=list(before), after=[u.display_name, u.role])
        identity_vault.role_changed(ctx.store, u.login_name, role)
        s.commit()
        return _info(u)


@service(Permission.USER_ADMIN)
def deactivate_user(ctx: ServiceContext, user_id: int) -> UserInfo:
    """Stop an account from signing in (kept for the audit log; reset the password to reopen)."""
    with ctx.session() as s:
        u = _get(s, user_id)
        if u.id == ctx.actor.user_id:
            raise ValidationError(_("自分自身を利用停止にはできません。"))
        if u.role == ADMIN and u.active and _active_admins(s) <= 1:
            raise ValidationError(_("管理者が一人もいなくなるため、利用停止にできません。"))
        u.active = False
        audit.record(s, ctx.actor, "user.deactivate", "user_account", [u.id])
        if ctx.store.key is not None:
            kf = crypto.KeyFile.load(ctx.store.paths)
            kf.remove_user(u.login_name)
            kf.save()
        s.commit()
        return _info(u)


@service(Permission.USER_ADMIN)
def reset_password(
    ctx: ServiceContext, user_id: int, new_password: str, confirm: str | None = None
) -> UserInfo:
    """Give an account a new password, unlock and reactivate it; it must be changed at sign-in."""
    _check_new_password(new_password, confirm)
    with ctx.session() as s:
        u = _get(s, user_id)
        u.password_hash = hash_password(new_password)
        u.failed_logins, u.locked_until, u.active = 0, None, True
        u.must_change_password = u.id != ctx.actor.user_id
        audit.record(s, ctx.actor, "user.reset_password", "user_account", [u.id])
        _wrap_key(ctx.store, u.login_name, new_password, u.role)
        s.commit()
        return _info(u)


@service()
def change_own_password(
    ctx: ServiceContext, old_password: str, new_password: str, confirm: str | None = None
) -> None:
    """The signed-in user replaces their own password."""
    if ctx.actor.user_id is None:
        raise KnownError(_("利用者アカウントがまだないため、パスワードはありません。"),
                         hint=_("管理 → 利用者 で管理者アカウントを作成してください。"))
    _check_new_password(new_password, confirm, ctx.actor.user_name)
    with ctx.session() as s:
        u = _get(s, ctx.actor.user_id)
        if not _verify(u, old_password):
            raise ValidationError(_("現在のパスワードが違います。"), field="old_password")
        if old_password == new_password:
            raise ValidationError(_("新しいパスワードは現在のものと変えてください。"),
                                  field="password")
        u.password_hash = hash_password(new_password)
        u.must_change_password = False
        audit.record(s, ctx.actor, "user.change_password", "user_account", [u.id])
        _wrap_key(ctx.store, u.login_name, new_password, u.role)
        s.commit()


def _verify(u: UserAccount, password: str) -> bool:
    try:
        return _hasher.verify(u.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _locked_error(until: datetime) -> KnownError:
    minutes = max(1, int((until - utcnow()).total_seconds() // 60) + 1)
    return PermissionDenied(
        _("パスワードを5回続けて間違えたため、この利用者はロックされています。"),
        hint=_("約{m}分後にもう一度お試しください。急ぐときは管理者にパスワードの再設定を"
               "依頼してください。").format(m=minutes),
    )


def _wrong() -> KnownError:
    return PermissionDenied(
        _("利用者名またはパスワードが違います。"),
        hint=_("入力し直してください。5回続けて間違えると、しばらくロックされます。"),
    )


FAILURE_SEQ_KEY = "security.failure_seq_seen"


def _flush_pending(s: Session, store: Store) -> None:
    """Move sign-in failures noted in keys.json (before the store could open) into the log.

    keys.json cannot be protected before the store opens, but the store remembers how
    many failures it has taken in: a count that went back, or failures missing from the
    run, means someone edited the file, and that is logged for the administrator.
    """
    if store.key is None:
        return
    kf = crypto.KeyFile.load(store.paths)
    seen = int(read_setting(s, FAILURE_SEQ_KEY, 0) or 0)
    seqs = [int(ev.get("seq", 0)) for ev in kf.pending_events]
    expected = list(range(seen + 1, kf.failure_seq + 1))
    if kf.failure_seq < seen or (seqs != expected and all(seqs)):
        audit.record(s, _someone(""), "auth.lockout_tampered", "user_account", [],
                     seen=seen, found=kf.failure_seq, pending=len(seqs))
    if not kf.pending_events and kf.failure_seq == seen:
        return
    for ev in kf.pending_events:
        audit.record(s, _someone(ev.get("user_name", "")), ev.get("action", "auth.login_failed"),
                     "user_account", [], at=ev.get("at", ""), before_unlock=True)
    kf.pending_events = []
    write_setting(s, FAILURE_SEQ_KEY, max(kf.failure_seq, seen))
    kf.failure_seq = max(kf.failure_seq, seen)
    kf.save()


def _is_public(store: Store, u: UserAccount) -> bool:
    return u.login_name.startswith(DEMO_LOGIN) and is_demo_store(store)


def login(store: Store, login_name: str, password: str) -> Actor:
    """Sign in: the acting user, or PermissionDenied (wrong password, locked, stopped).

    Every attempt is audited; the fifth failure in a row locks the account.
    """
    name = login_name.strip()
    with store.session() as s:
        _flush_pending(s, store)
        u = s.scalar(select(UserAccount).where(func.lower(UserAccount.login_name) == name.lower()))
        now = utcnow()
        if u is None or not u.active:
            audit.record(s, _someone(name), "auth.login_failed", "user_account", [],
                         reason="unknown" if u is None else "inactive")
            s.commit()
            if u is not None:
                raise PermissionDenied(_("この利用者は利用停止になっています。"),
                                       hint=_("管理者に相談してください。"))
            raise _wrong()
        if u.locked_until and u.locked_until > now:
            audit.record(s, _someone(name), "auth.login_failed", "user_account", [u.id],
                         reason="locked")
            s.commit()
            raise _locked_error(u.locked_until)
        if not _verify(u, password):
            u.failed_logins += 1
            locked = u.failed_logins >= MAX_FAILURES
            lock_until = now + timedelta(minutes=LOCK_MINUTES)
            if locked:
                u.locked_until = lock_until
                u.failed_logins = 0
            audit.record(s, _someone(name), "auth.login_failed", "user_account", [u.id],
                         reason="password", locked=locked)
            s.commit()
            raise _locked_error(lock_until) if locked else _wrong()
        if _hasher.check_needs_rehash(u.password_hash) and not _is_public(store, u):
            u.password_hash = hash_password(password)
        u.failed_logins, u.locked_until, u.last_login_at = 0, None, now
        actor = _actor(u)
        audit.record(s, actor, "auth.login", "user_account", [u.id])
        s.commit()
        identity_vault.open_at_sign_in(store, s, u, password)
        return actor


def must_change_password(store: Store, actor: Actor) -> bool:
    """Whether ``actor`` signed in with a password an administrator set."""
    if actor.user_id is None:
        return False
    with store.session() as s:
        u = s.get(UserAccount, actor.user_id)
        return bool(u and u.must_change_password)


@service()
def logout(ctx: ServiceContext) -> None:
    """Record that the user signed out (closing the window or the lock screen)."""
    with ctx.session() as s:
        audit.record(s, ctx.actor, "auth.logout", "user_account",
                     [ctx.actor.user_id] if ctx.actor.user_id else [])
        s.commit()


@service()
def confirm_password(ctx: ServiceContext, password: str) -> bool:
    """Unlock the idle-locked window: True when ``password`` is the signed-in user's.

    Failures count towards the lock-out like sign-in failures do.
    """
    if ctx.actor.user_id is None:
        return True
    try:
        login(ctx.store, ctx.actor.user_name, password)
    except PermissionDenied:
        return False
    return True


@service()
def idle_lock_minutes(ctx: ServiceContext) -> int:
    """Minutes without input before the window locks (0 = never)."""
    with ctx.session() as s:
        return int(read_setting(s, IDLE_KEY, DEFAULT_IDLE_MINUTES))


@service(Permission.SETTINGS_WRITE)
def set_idle_lock_minutes(ctx: ServiceContext, minutes: int) -> int:
    """Set the idle time before the window locks (1–120 minutes)."""
    if not 1 <= int(minutes) <= 120:
        raise ValidationError(_("自動ロックまでの時間は1〜120分で指定してください。"),
                              field="idle_minutes")
    with ctx.session() as s:
        write_setting(s, IDLE_KEY, int(minutes))
        audit.record(s, ctx.actor, "settings.idle_lock", "setting", [IDLE_KEY],
                     minutes=int(minutes))
        s.commit()
    return int(minutes)


# --- unlocking an encrypted store before it opens -------------------------------------

def unlock_store_key(paths: DataPaths, login_name: str, password: str) -> bytes:
    """The store key for ``login_name``; failures are counted in keys.json and logged later."""
    kf = crypto.KeyFile.load(paths)
    name = login_name.strip()
    state = kf.failures.get(name, {})
    until = datetime.fromisoformat(state["locked_until"]) if state.get("locked_until") else None
    if until and until > utcnow():
        raise _locked_error(until)
    try:
        key = kf.unwrap_user(name, password)
    except crypto.WrongSecret:
        count = int(state.get("count", 0)) + 1
        entry: dict = {"count": count}
        lock_until: datetime | None = None
        if count >= MAX_FAILURES:
            lock_until = utcnow() + timedelta(minutes=LOCK_MINUTES)
            entry = {"count": 0, "locked_until": lock_until.isoformat()}
        kf.failures[name] = entry
        kf.failure_seq += 1
        kf.pending_events.append(
            {"at": utcnow().isoformat(), "user_name": name, "action": "auth.login_failed",
             "seq": kf.failure_seq}
        )
        kf.save()
        if lock_until is not None:
            raise _locked_error(lock_until) from None
        raise _wrong() from None
    if name in kf.failures:
        kf.failures.pop(name)
        kf.save()
    return key


def recover_with_key(
    paths: DataPaths, recovery_key: str, login_name: str, new_password: str,
    confirm: str | None = None,
) -> Store:
    """Open an encrypted store with the recovery key and give an administrator a new password."""
    from pfdesk.store.engine import open_store

    _check_new_password(new_password, confirm, login_name)
    key = crypto.KeyFile.load(paths).unwrap_recovery(recovery_key)
    store = open_store(paths, key=key)
    try:
        with store.session() as s:
            u = s.scalar(select(UserAccount).where(UserAccount.login_name == login_name.strip()))
            if u is None or u.role != ADMIN:
                raise ValidationError(_("管理者の利用者名を入力してください。"),
                                      field="login_name")
            u.password_hash = hash_password(new_password)
            u.failed_logins, u.locked_until, u.active = 0, None, True
            audit.record(s, _actor(u), "auth.recovery", "user_account", [u.id])
            identity_vault.open_with_recovery(store, recovery_key)
            _wrap_key(store, u.login_name, new_password, u.role)
            s.commit()
    except BaseException:
        store.close()
        raise
    return store


# --- the command line -----------------------------------------------------------------

def cli_login_name(paths: DataPaths, store: Store | None, user_name: str | None) -> str:
    """The account a command acts as: ``--user``, else the only account, else ``demo``."""
    if user_name:
        return user_name
    if store is None:
        names = crypto.KeyFile.load(paths).users
    else:
        with store.session() as s:
            names = list(s.scalars(select(UserAccount.login_name)
                                   .where(UserAccount.active.is_(True))))
    if len(names) == 1:
        return names[0]
    if DEMO_LOGIN in names and store is not None and is_demo_store(store):
        return DEMO_LOGIN
    raise KnownError(_("利用者が複数あります。--user で利用者名を指定してください。"),
                     hint=_("例: pfdesk --user tanaka audit verify"))


def cli_password(login_name: str, *, interactive: bool = True, demo: bool = False) -> str:
    """The password from PFDESK_PASSWORD, else a prompt (never echoed)."""
    env = os.environ.get("PFDESK_PASSWORD")
    if env is not None:
        return env
    if demo and login_name == DEMO_LOGIN:
        return DEMO_PASSWORD  # the demo town's account is public and labelled as such
    if not interactive:
        raise KnownError(
            _("利用者アカウントのあるデータです。パスワードが必要です。"),
            hint=_("環境変数 PFDESK_PASSWORD にパスワードを入れて実行してください。"),
        )
    try:
        return getpass.getpass(_("{name} のパスワード: ").format(name=login_name))
    except EOFError:
        raise KnownError(_("パスワードが入力されませんでした。"),
                         hint=_("PFDESK_PASSWORD にパスワードを入れて実行してください。")) from None


def actor_for_cli(
    store: Store, user_name: str | None, password: str | None = None, *,
    interactive: bool = True,
) -> Actor:
    """The acting user of a command; the local administrator until accounts exist."""
    if not has_accounts(store):
        return Actor.local_admin()
    name = cli_login_name(store.paths, store, user_name)
    if password is None:
        password = cli_password(name, interactive=interactive, demo=is_demo_store(store))
    return login(store, name, password)
