"""The identity key as a use case: who holds it, sealing a store, keeping grants in step.

In an encrypted store the identifying fields are sealed under an identity key K2
(store.vault). This module decides who gets K2: every user whose role may identify
cases (本人を特定できる情報の閲覧) and the recovery key; nobody else. The file work
(key pairs, grants) is in ``store.crypto.KeyFile``.

- At sign-in the user's key pair is made if missing (the password is known then) and K2
  opened when granted; a signed-in holder of K2 grants it to entitled users who have a key
  pair but no grant yet (e.g. after a role change) and drops the grants of users whose
  role no longer allows it.
- Whenever a password is set (new user, reset, own change, recovery) the user gets a new
  key pair, and K2 if the acting session holds it and the role allows it.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission, allowed
from pfdesk.store import crypto, vault
from pfdesk.store.engine import Store
from pfdesk.store.models import UserAccount

log = logging.getLogger(__name__)

#: Setting row written in the unit of work that sealed the last plain cell.
COMPLETE_KEY = "vault.complete"


def entitled(role: str) -> bool:
    """Whether ``role`` may hold the identity key."""
    return allowed(role, Permission.CASE_IDENTIFY)


def current_key(store: Store) -> bytes | None:
    """The identity key the signed-in session of ``store`` holds, if any."""
    return vault.state(store.engine).key


def is_sealed(store: Store) -> bool:
    """Whether ``store``'s identities are sealed (an encrypted store with an identity key)."""
    return vault.state(store.engine).active


def open_at_sign_in(store: Store, s: Session, u: UserAccount, password: str) -> None:
    """Give the session of ``u`` (just signed in with ``password``) the identity key if due."""
    if store.is_server:
        from pfdesk.services import server_files

        server_files.at_sign_in(store, s, u, password, writer=entitled(u.role))
        _server_role_at_sign_in(store, u)
    if store.key is None:
        vault.bind(store.engine, active=False, key=None)
        return
    kf = crypto.KeyFile.load(store.paths)
    changed = False
    private = kf.open_private(u.login_name, password)
    if private is None:
        private = kf.new_keypair(u.login_name, password)
        changed = True
    key = kf.open_grant(u.login_name, private) if kf.sealed and entitled(u.role) else None
    vault.bind(store.engine, active=kf.sealed, key=key,
               previous=kf.previous_identity_key(key) if key else None)
    if key is not None:
        changed |= _settle_grants(s, kf, key)
        _finish_sealing(store, s, key)
    elif kf.sealed and entitled(u.role):
        store.notices.append(_(
            "本人情報の鍵がまだ渡されていないため、氏名などは表示されません。"
            "本人情報を扱える別の利用者（管理者など）が一度サインインすると使えるようになります。"))
    if changed:
        kf.save()


def _server_role_at_sign_in(store: Store, u: UserAccount) -> None:
    """On a server: a 閲覧者's connections under the database role that cannot read identities.

    An entitled user on a PC whose database login is a 閲覧者's is told why names are empty.
    """
    from pfdesk.store import pg_roles

    if not pg_roles.restrict(store.engine, limited=not entitled(u.role)):
        return
    if entitled(u.role):
        with store.engine.connect() as conn:
            if not pg_roles.reads_identities(conn):
                store.notices.append(_(
                    "このパソコンのデータベース利用者は閲覧者用のため、氏名などの本人情報は"
                    "表示されず、相談の記録も保存できません。"))


def _settle_grants(s: Session, kf: crypto.KeyFile, key: bytes) -> bool:
    """Grant K2 to entitled users with a key pair, drop it from the others; whether changed."""
    users = s.execute(
        select(UserAccount.login_name, UserAccount.role, UserAccount.active)).all()
    return kf.settle_grants(
        {login: bool(active and entitled(role)) for login, role, active in users}, key)


def password_set(store: Store, login_name: str, role: str, password: str) -> None:
    """``login_name`` has a new password: a new key pair, and K2 when due and at hand."""
    if store.key is None:
        return
    kf = crypto.KeyFile.load(store.paths)
    kf.new_keypair(login_name, password)
    key = vault.state(store.engine).key
    if kf.sealed and key is not None and entitled(role):
        kf.grant(login_name, key)
    kf.save()


def role_changed(store: Store, login_name: str, role: str) -> None:
    """Grant or drop K2 for ``login_name`` after a change of role."""
    if store.key is None:
        return
    kf = crypto.KeyFile.load(store.paths)
    if not kf.sealed:
        return
    key = vault.state(store.engine).key
    if not entitled(role):
        kf.revoke(login_name)
    elif key is not None and kf.has_public(login_name):
        kf.grant(login_name, key)
    kf.save()


def open_with_recovery(store: Store, recovery_key: str) -> None:
    """Give a session opened with the recovery key the identity key too."""
    kf = crypto.KeyFile.load(store.paths)
    key = kf.recovery_identity_key(recovery_key)
    vault.bind(store.engine, active=kf.sealed, key=key,
               previous=kf.previous_identity_key(key) if key else None)


def _finish_sealing(store: Store, s: Session, key: bytes) -> int:
    """Seal any cell still plain (after a conversion that stopped half-way); cells sealed."""
    from pfdesk.services.settings import read_setting, write_setting

    if read_setting(s, COMPLETE_KEY, False):
        return 0
    n = vault.seal_existing(s, key)
    # The search index held the plain texts: rebuilt from the sealed ones.
    s.execute(text("INSERT INTO case_search(case_search) VALUES ('rebuild')"))
    _seal_case_files(store, s, key)
    write_setting(s, COMPLETE_KEY, True)
    s.commit()
    return n


def _seal_case_files(store: Store, s: Session, key: bytes) -> int:
    """Add the identity layer to the files of closed meetings' case items; files changed."""
    from pfdesk.store import attachment_files

    assert store.key is not None
    return sum(attachment_files.seal_identity_in_place(store.paths, store.key, name, key)
               for name in vault.case_content_files(s))


def _scrub_free_pages(store: Store) -> None:
    """Rewrite the file so pages that held plain identities are gone (VACUUM, empty WAL)."""
    raw = store.engine.raw_connection()
    try:
        raw.isolation_level = None  # type: ignore[attr-defined]
        cur = raw.cursor()
        cur.execute("VACUUM")
        cur.close()
    finally:
        raw.close()
    store.checkpoint()


@dataclass(frozen=True)
class SealResult:
    """What sealing did: cells sealed, users granted or waiting, the new recovery key."""

    cells: int
    granted: list[str]
    waiting: list[str]  # entitled users who get the key after their next sign-in
    recovery_key: str


def seal_identities(store: Store, admin: UserAccount, password: str, *,
                    recovery: str | None = None) -> SealResult:
    """Seal the identities of an encrypted store under a new identity key.

    The administrator's key pair is made from ``password``; K2 is granted to them, to the
    recovery key (a new one, returned to print: the old one cannot open K2) and to every
    entitled user with a key pair. Backups made before still hold the identities unsealed
    (services.encryption replaces them).
    """
    if store.key is None:
        raise KnownError(_("データが暗号化されていないため、本人情報を分けて暗号化できません。"),
                         hint=_("先に 管理 → 暗号化とバックアップ でデータを暗号化してください。"))
    kf = crypto.KeyFile.load(store.paths)
    if kf.sealed:
        raise KnownError(_("本人情報はすでに別の鍵で暗号化されています。"))
    key = crypto.new_store_key()
    recovery = recovery or crypto.new_recovery_key()
    kf.new_keypair(admin.login_name, password)
    kf.set_recovery(recovery, store.key)
    kf.set_recovery_identity(recovery, key)
    kf.identity["sealed"] = True
    kf.identity["sealed_at"] = datetime.now().isoformat(timespec="seconds")
    kf.identity["generation"] = secrets.token_hex(8)  # backups under other keys are listed
    with store.session() as s:
        _settle_grants(s, kf, key)
        # keys.json first: a crash before the cells are sealed leaves a sealed-marked store
        # whose plain cells the next holder of K2 seals (_finish_sealing).
        kf.save()
        vault.bind(store.engine, active=True, key=key)
        from pfdesk.services.settings import write_setting

        write_setting(s, COMPLETE_KEY, False)
        cells = vault.seal_existing(s, key)
        s.execute(text("INSERT INTO case_search(case_search) VALUES ('rebuild')"))
        _seal_case_files(store, s, key)
        write_setting(s, COMPLETE_KEY, True)
        s.commit()
    _scrub_free_pages(store)
    granted = sorted(n for n in kf.identity.get("grants", {}) if n != crypto.RECOVERY)
    with store.session() as s:
        waiting = sorted(
            login for login, role in s.execute(
                select(UserAccount.login_name, UserAccount.role)
                .where(UserAccount.active.is_(True))).all()
            if entitled(role) and login not in granted)
    log.info("identities sealed: %d cells, %d users granted", cells, len(granted))
    return SealResult(cells, granted, waiting, recovery)


def renew_identity_key(store: Store) -> tuple[int, list[str]]:
    """Replace the identity key: every sealed cell and case file under a new one.

    For when the old key may have left with someone (a role taken away, a PC lost): the
    new key is granted to the active entitled users with a key pair and to the recovery
    key (through its public key, so the recovery key itself is not needed). Returns the
    cells resealed and who holds the new key. The session must hold the current key.

    Crash-safe in this order: keys.json first (new grants, the old key kept wrapped under
    the new one), then the files (each atomic), then the cells in one transaction. Until
    the cells commit, anything still under the old key opens with the kept one; running
    the renewal again finishes it.
    """
    from pfdesk.store import attachment_files

    st = vault.state(store.engine)
    old = st.key
    if store.key is None or old is None:
        raise KnownError(_("本人情報の鍵を持つ管理者でサインインしてください。"))
    if st.previous is not None:
        # An earlier renewal stopped before its cells moved: finish it first.
        with store.session() as s:
            for name in vault.case_content_files(s):
                attachment_files.reseal_identity_in_place(store.paths, store.key, name,
                                                          st.previous, old)
            vault.reseal(s, st.previous, old)
            s.commit()
    kf = crypto.KeyFile.load(store.paths)
    new = crypto.new_store_key()
    with store.session() as s:
        grants = kf.identity.setdefault("grants", {})
        grants.clear()
        for login, role, active in s.execute(
                select(UserAccount.login_name, UserAccount.role, UserAccount.active)).all():
            if active and entitled(role) and kf.has_public(login):
                kf.grant(login, new)
        if kf.has_public(crypto.RECOVERY):
            kf.grant(crypto.RECOVERY, new)
        kf.keep_previous(new, old)
        kf.identity["generation"] = secrets.token_hex(8)
        kf.identity["renewed_at"] = datetime.now().isoformat(timespec="seconds")
        kf.save()
        vault.bind(store.engine, active=True, key=new, previous=old)
        for name in vault.case_content_files(s):
            attachment_files.reseal_identity_in_place(store.paths, store.key, name, old, new)
        cells = vault.reseal(s, old, new)
        s.commit()
    _scrub_free_pages(store)
    holders = sorted(n for n in kf.identity.get("grants", {}) if n != crypto.RECOVERY)
    log.info("identity key renewed: %d cells, %d holders", cells, len(holders))
    return cells, holders
