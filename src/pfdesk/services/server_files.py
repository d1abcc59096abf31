"""Attachments of a server store, encrypted under a file key only pfdesk users hold.

At each sign-in on a server (:func:`at_sign_in`) the user's key pair opens the file key
granted to them (:mod:`pfdesk.store.server_keys`); the first user to sign in after the
upgrade makes the key and encrypts every attachment already on the server and on their
PC. A user with the key grants it to every other active user with a key pair (made at
their own first sign-in), and drops it for users who were stopped. A password set by an
administrator or changed by its user gets a new key pair, granted at once by the acting
user when they hold the key.
"""

from __future__ import annotations

import logging
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from pfdesk.core.i18n import _
from pfdesk.store import attachment_files, server_keys
from pfdesk.store.engine import Store
from pfdesk.store.models import AttachmentBlob, UserAccount

log = logging.getLogger(__name__)


def settle(s: Session, kf, key: bytes) -> bool:
    """Grant the key to every active user with a key pair, drop it for the others."""
    return kf.settle_grants({login: bool(active) for login, active in s.execute(
        select(UserAccount.login_name, UserAccount.active)).all()}, key)


def _seal_blobs(s: Session, key: bytes) -> int:
    """Encrypt every attachment kept plain on the server (before the key existed)."""
    done = 0
    for name in list(s.scalars(select(AttachmentBlob.stored_name))):
        blob = s.get(AttachmentBlob, name)
        if blob is not None and not attachment_files.is_sealed(bytes(blob.data)):
            blob.data = attachment_files.seal(bytes(blob.data), key)
            done += 1
    s.flush()
    return done


def at_sign_in(store: Store, s: Session, u: UserAccount, password: str, *,
               writer: bool) -> None:
    """Give the session of ``u`` (signed in with ``password``) the server's file key.

    Only a ``writer`` (not a 閲覧者, whose database role may not change attachments)
    makes the key and encrypts what was kept plain.
    """
    kf = server_keys.load(s)
    private = kf.open_private(u.login_name, password)
    changed = private is None
    if private is None:
        private = kf.new_keypair(u.login_name, password)
    key = kf.open_grant(u.login_name, private)
    if key is None and writer and not kf.identity.get("grants"):
        key = secrets.token_bytes(32)  # the first sign-in since the server had no key
        kf.grant(u.login_name, key)
        changed = True
        log.info("file key made for the server's attachments")
    sealed = 0
    if key is not None:
        changed |= settle(s, kf, key)
        sealed = _seal_blobs(s, key) if writer else 0
    if changed:
        server_keys.save(s, kf)
    s.commit()  # also ends the unit's hold on the write lock before anything else connects
    store.server_file_key = key
    if key is None:
        store.notices.append(_(
            "添付ファイルの鍵がまだ渡されていないため、会議の資料のファイルは開けません。"
            "ほかの利用者（管理者など）が一度サインインすると使えるようになります。"
            "鍵を持つ人がいないときは、管理者が「設定」→共有データベースの「回復キーで"
            "添付ファイルの鍵を受け取る…」で受け取れます。"))
        return
    converted = attachment_files.encrypt_folder(store.paths, key)  # this PC's own copies
    if sealed or converted:
        log.info("attachments encrypted: %d on the server, %d on this PC", sealed, converted)


def password_set(store: Store, login_name: str, password: str) -> None:
    """``login_name`` has a new password: a new key pair, granted the key when at hand."""
    with store.session() as s:
        kf = server_keys.load(s)
        kf.new_keypair(login_name, password)
        if store.server_file_key is not None:
            kf.grant(login_name, store.server_file_key)
        server_keys.save(s, kf)
        s.commit()
