"""Encryption at rest as a use case: status, converting a plain store, a new recovery key.

The file work is in ``store.crypto``; here are the permission checks, the
password check of the administrator doing it, keys.json and the audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from pfdesk.core.errors import KnownError, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import ADMIN, Permission
from pfdesk.services import audit, identity_vault
from pfdesk.services.accounts import _verify
from pfdesk.services.context import ServiceContext, service
from pfdesk.store import attachment_files, crypto
from pfdesk.store.models import UserAccount


@dataclass(frozen=True)
class EncryptionStatus:
    """Whether the store is encrypted, whether it could be, and who can unlock it."""

    encrypted: bool
    driver_available: bool
    users_with_key: list[str]
    users_without_key: list[str]  # active accounts that need a password reset to sign in
    has_recovery_key: bool
    # The identifying fields sealed under an identity key only entitled users hold.
    identities_sealed: bool = False
    on_server: bool = False  # a shared database: protected by the server, not by a file key

    def summary(self) -> str:
        """One sentence for the settings page."""
        if self.on_server:
            return _("このデータは共有データベース（サーバー）にあります。通信は TLS で暗号化され"
                     "（サーバーが対応している場合）、添付ファイルは利用者のパスワードで開く鍵で"
                     "暗号化されています。閲覧者に本人情報を渡さない設定は「設定 → 共有データ"
                     "ベース」で行います。この画面のバックアップは暗号化して作成します。")
        if self.encrypted and self.identities_sealed:
            return _("このデータは暗号化されています（SQLCipher）。氏名・住所・電話・記録の本文などの"
                     "本人情報はさらに別の鍵で暗号化され、閲覧者のパスワードでは開けません。")
        if self.encrypted:
            return _("このデータは暗号化されています（SQLCipher）。"
                     "パソコンやバックアップを紛失しても、パスワードか回復キーがなければ読めません。")
        if not self.driver_available:
            return _("このデータは暗号化されていません。暗号化の部品（SQLCipher）がこのパソコンに"
                     "ありません。")
        return _("このデータは暗号化されていません。管理 → 暗号化とバックアップ から暗号化できます（推奨）。")


@service(Permission.SETTINGS_READ)
def encryption_status(ctx: ServiceContext) -> EncryptionStatus:
    """Whether the store is encrypted and which accounts can unlock it."""
    encrypted = crypto.is_encrypted(ctx.store.paths)
    kf = crypto.KeyFile.load(ctx.store.paths) if encrypted else None
    with ctx.session() as s:
        active = list(s.scalars(select(UserAccount.login_name)
                                .where(UserAccount.active.is_(True))
                                .order_by(UserAccount.login_name)))
    with_key = [n for n in active if kf and n in kf.entries]
    return EncryptionStatus(
        encrypted, crypto.driver_available(), with_key,
        [n for n in active if encrypted and n not in with_key],
        bool(kf and crypto.RECOVERY in kf.entries), bool(kf and kf.sealed),
        on_server=ctx.store.is_server,
    )


def _check_admin_password(ctx: ServiceContext, login_name: str, password: str) -> UserAccount:
    with ctx.session() as s:
        u = s.scalar(select(UserAccount).where(UserAccount.login_name == login_name))
        if u is None or u.role != ADMIN or not u.active or not _verify(u, password):
            raise ValidationError(_("管理者の利用者名またはパスワードが違います。"),
                                  field="password")
        return u


@service(Permission.USER_ADMIN)
def encrypt_store(ctx: ServiceContext, login_name: str, password: str) -> str:
    """Convert the plain store to an encrypted one; returns the recovery key to print once.

    ``login_name``/``password`` are an administrator's; that account (and the
    recovery key) can unlock the store afterwards. Other accounts need their
    password reset by an administrator before they can sign in again.
    """
    ctx.store.require_file(_("データの暗号化"))
    if crypto.is_encrypted(ctx.store.paths):
        raise KnownError(_("データはすでに暗号化されています。"))
    if not crypto.driver_available():
        raise KnownError(_("暗号化の部品（SQLCipher）がこのパソコンにありません。"),
                         hint=_("pfdesk を入れ直すか、システム担当者に相談してください。"))
    admin = _check_admin_password(ctx, login_name, password)
    from pfdesk.store.safefile import refuse_if_open_elsewhere

    refuse_if_open_elsewhere(ctx.store.paths)
    key = crypto.new_store_key()
    recovery = crypto.new_recovery_key()
    kf = crypto.KeyFile.load(ctx.store.paths)
    kf.entries = {}
    kf.wrap_for_user(admin.login_name, password, key)
    kf.set_recovery(recovery, key)
    # A verified backup of the plain store first: the conversion never runs without one.
    from pfdesk.services.backup import backup_store

    backup_store(ctx, ctx.store.paths.backups / f"before-encrypt-{datetime.now():%Y%m%d-%H%M%S}.zip")
    ctx.store.engine.dispose()
    try:
        # The new keys.json is swapped in the same journalled step as the store file.
        crypto.encrypt_store_file(ctx.store.paths, key, kf)
    except BaseException:
        ctx.store.reopen(key=None)
        raise
    ctx.store.reopen(key=key)
    # The attached files follow (each converted atomically, the plain copy shredded); a
    # kill here is finished at the next opening.
    converted = attachment_files.encrypt_folder(ctx.store.paths, key)
    # The identifying fields are sealed under their own key at once (store.vault).
    sealed = identity_vault.seal_identities(ctx.store, admin, password, recovery=recovery)
    with ctx.session() as s:
        audit.record(s, ctx.actor, "encryption.encrypt", "store", [], unlock_user=login_name,
                     attachments=converted, sealed_cells=sealed.cells)
        s.commit()
    return recovery


@service(Permission.USER_ADMIN)
def seal_identities(ctx: ServiceContext, login_name: str, password: str
                    ) -> identity_vault.SealResult:
    """Seal the identifying fields of an encrypted store under an identity key of their own.

    For a store encrypted by an earlier pfdesk: afterwards a 閲覧者's password opens the
    store but not the names, readings, birth dates, addresses, phone numbers and notes.
    The recovery key is replaced (returned to print once); a new backup is made, and the
    older ones, which hold the identities unsealed, are listed by
    ``backup.plaintext_backups`` for deletion.
    """
    admin = _check_admin_password(ctx, login_name, password)
    from pfdesk.store.safefile import refuse_if_open_elsewhere

    refuse_if_open_elsewhere(ctx.store.paths)
    result = identity_vault.seal_identities(ctx.store, admin, password)
    with ctx.session() as s:
        audit.record(s, ctx.actor, "encryption.seal_identities", "store", [],
                     cells=result.cells, granted=result.granted, waiting=result.waiting)
        s.commit()
    from pfdesk.services.backup import backup_store

    backup_store(ctx)
    return result


@service(Permission.USER_ADMIN)
def renew_recovery_key(ctx: ServiceContext, login_name: str, password: str) -> str:
    """Replace the recovery key (the old one stops working); returns the new one to print."""
    if ctx.store.key is None:
        raise KnownError(_("データが暗号化されていないため、回復キーはありません。"))
    _check_admin_password(ctx, login_name, password)
    identity_key = identity_vault.current_key(ctx.store)
    if identity_vault.is_sealed(ctx.store) and identity_key is None:
        raise KnownError(_("本人情報の鍵を持たない利用者は、回復キーを作り直せません。"))
    recovery = crypto.new_recovery_key()
    kf = crypto.KeyFile.load(ctx.store.paths)
    kf.set_recovery(recovery, ctx.store.key)
    if identity_key is not None:
        kf.set_recovery_identity(recovery, identity_key)
    kf.save()
    with ctx.session() as s:
        audit.record(s, ctx.actor, "encryption.recovery_key", "store", [])
        s.commit()
    return recovery


@service(Permission.USER_ADMIN)
def renew_identity_key(ctx: ServiceContext, login_name: str, password: str) -> list[str]:
    """Replace the identity key (e.g. after a role was taken away); who holds the new one.

    Every sealed field and case file is sealed again under the new key; the key is granted
    to the active users whose role may identify cases and to the recovery key. A new backup
    is made; the older ones, sealed under the old key, are listed for deletion.
    """
    _check_admin_password(ctx, login_name, password)
    if not identity_vault.is_sealed(ctx.store):
        raise KnownError(_("本人情報はまだ別の鍵で暗号化されていません。"),
                         hint=_("先に「本人情報を別の鍵で暗号化する」を行ってください。"))
    from pfdesk.store.safefile import refuse_if_open_elsewhere

    refuse_if_open_elsewhere(ctx.store.paths)
    cells, holders = identity_vault.renew_identity_key(ctx.store)
    with ctx.session() as s:
        audit.record(s, ctx.actor, "encryption.renew_identity_key", "store", [],
                     cells=cells, holders=holders)
        s.commit()
    from pfdesk.services.backup import backup_store

    backup_store(ctx)
    return holders
