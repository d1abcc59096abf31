"""Encryption at rest: a SQLCipher store whose random key is wrapped per user.

The store is encrypted with a random 256-bit key given to SQLCipher as a raw
hex key (``PRAGMA key = "x'…'"``), so no key derivation runs per connection.
That key is kept in ``keys.json`` beside the store only in wrapped form: once
per user (AES-GCM under a key derived from the user's password with Argon2id)
and once under the recovery key shown a single time at set-up. Losing every
password and the recovery key means losing the data; that is the point.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pfdesk.core.atomic import write_bytes_atomic
from pfdesk.core.errors import StoreError
from pfdesk.core.i18n import _
from pfdesk.paths import DataPaths

SQLITE_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32
RECOVERY = "__recovery__"
# Argon2id cost for unwrapping at login: well under a second on an office PC.
KDF = {"time_cost": 3, "memory_cost": 65536, "parallelism": 2}


class WrongSecret(StoreError):
    """The password or recovery key does not unwrap the store key."""


def driver_available() -> bool:
    """Whether the SQLCipher driver (sqlcipher3) can be imported on this PC."""
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


def is_encrypted_file(path: Path) -> bool:
    """Whether ``path`` is a non-empty file that is not a plain SQLite database."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return False
    return len(head) == len(SQLITE_HEADER) and head != SQLITE_HEADER


def is_encrypted(paths: DataPaths) -> bool:
    """Whether the store in ``paths`` is encrypted."""
    return is_encrypted_file(paths.store)


def new_store_key() -> bytes:
    """A fresh random store key."""
    return secrets.token_bytes(KEY_BYTES)


def key_pragma(key: bytes) -> str:
    """The SQLCipher ``PRAGMA key`` argument for a raw key."""
    return f"\"x'{key.hex()}'\""


def key_from_url(url) -> bytes:
    """The raw key inside an engine URL made by ``make_engine(key=...)``."""
    return bytes.fromhex(url.password[2:-1])


def new_recovery_key() -> str:
    """A random recovery key to print and keep in a safe, e.g. ``ABCD-EFGH-…`` (160 bits)."""
    text = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def normalize_recovery_key(text: str) -> str:
    """The recovery key as typed, folded: full-width to ASCII, upper case, no separators."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return "".join(ch for ch in folded if ch.isalnum())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _kek(secret: str, salt: bytes, params: dict) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret.encode("utf-8"), salt, hash_len=KEY_BYTES, type=Type.ID,
        time_cost=int(params["time_cost"]), memory_cost=int(params["memory_cost"]),
        parallelism=int(params["parallelism"]),
    )


def _wrap(secret: str, label: str, key: bytes) -> dict:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    params = dict(KDF)
    wrapped = AESGCM(_kek(secret, salt, params)).encrypt(nonce, key, label.encode("utf-8"))
    return {"salt": _b64(salt), "nonce": _b64(nonce), "wrapped": _b64(wrapped), "kdf": params}


def _unwrap(secret: str, label: str, entry: dict) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        kek = _kek(secret, _unb64(entry["salt"]), entry["kdf"])
        return AESGCM(kek).decrypt(
            _unb64(entry["nonce"]), _unb64(entry["wrapped"]), label.encode("utf-8")
        )
    except (InvalidTag, KeyError, ValueError):
        return None


def _grant_kek(shared: bytes, login_name: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None,
                info=b"pfdesk identity key " + login_name.encode("utf-8")).derive(shared)


@dataclass
class KeyFile:
    """The contents of ``keys.json``: wrapped keys plus sign-in failures before unlocking."""

    path: Path
    entries: dict[str, dict] = field(default_factory=dict)
    failures: dict[str, dict] = field(default_factory=dict)
    pending_events: list[dict] = field(default_factory=list)
    # Every failure before unlocking ever counted here; the store remembers the value it
    # last took in, so failures erased from this file are noticed at the next sign-in.
    failure_seq: int = 0
    # The identity key (store.vault): per user an X25519 key pair (the private half wrapped
    # under the password), and K2 granted to the public half of each entitled user.
    identity: dict = field(default_factory=dict)

    @classmethod
    def load(cls, paths: DataPaths) -> KeyFile:
        """Read ``keys.json`` (an empty key file when there is none)."""
        if not paths.keys.exists():
            return cls(paths.keys)
        try:
            data = json.loads(paths.keys.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise StoreError(
                _("鍵ファイルを読み込めません。"), where=str(paths.keys),
                hint=_("バックアップから keys.json を戻すか、回復キーで開いてください。"),
            ) from e
        return cls(
            paths.keys, dict(data.get("entries", {})), dict(data.get("failures", {})),
            list(data.get("pending_events", [])), int(data.get("failure_seq", 0)),
            dict(data.get("identity", {})),
        )

    def save(self, path: Path | None = None) -> None:
        """Write ``keys.json`` (or ``path``, a staged copy) all at once."""
        data = {
            "format": 1, "cipher": "sqlcipher4", "entries": self.entries,
            "failures": self.failures, "pending_events": self.pending_events,
            "failure_seq": self.failure_seq,
        }
        if self.identity:
            data["identity"] = self.identity
        write_bytes_atomic(
            path or self.path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        )

    @property
    def users(self) -> list[str]:
        """The login names that can unlock the store."""
        return sorted(k for k in self.entries if k != RECOVERY)

    def wrap_for_user(self, login_name: str, password: str, key: bytes) -> None:
        """Let ``login_name`` unlock the store with ``password``."""
        self.entries[login_name] = _wrap(password, login_name, key)

    def remove_user(self, login_name: str) -> None:
        """Stop ``login_name`` from unlocking the store."""
        self.entries.pop(login_name, None)
        for part in ("public", "private", "grants"):
            self.identity.get(part, {}).pop(login_name, None)

    # --- the identity key (store.vault) --------------------------------------------

    @property
    def sealed(self) -> bool:
        """Whether the store's identities are sealed under an identity key."""
        return bool(self.identity.get("sealed"))

    def _part(self, name: str) -> dict:
        return self.identity.setdefault(name, {})

    def new_keypair(self, login_name: str, secret: str):
        """A new key pair for ``login_name`` (private half wrapped under ``secret``).

        Any identity key granted to the old pair is dropped with it.
        """
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        private = X25519PrivateKey.generate()
        self._part("private")[login_name] = _wrap(
            secret, f"{login_name}#identity", private.private_bytes_raw())
        self._part("public")[login_name] = _b64(private.public_key().public_bytes_raw())
        self._part("grants").pop(login_name, None)
        return private

    def open_private(self, login_name: str, secret: str):
        """``login_name``'s private key, or None (no pair yet, or the secret does not fit)."""
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        entry = self.identity.get("private", {}).get(login_name)
        raw = _unwrap(secret, f"{login_name}#identity", entry) if entry else None
        return X25519PrivateKey.from_private_bytes(raw) if raw else None

    def has_public(self, login_name: str) -> bool:
        """Whether ``login_name`` has a key pair an identity key can be granted to."""
        return login_name in self.identity.get("public", {})

    def is_granted(self, login_name: str) -> bool:
        """Whether the identity key is granted to ``login_name``."""
        return login_name in self.identity.get("grants", {})

    def grant(self, login_name: str, identity_key: bytes) -> None:
        """Wrap ``identity_key`` for ``login_name``'s public key (no password needed)."""
        from cryptography.hazmat.primitives.asymmetric.x25519 import (
            X25519PrivateKey,
            X25519PublicKey,
        )
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        public = X25519PublicKey.from_public_bytes(_unb64(self.identity["public"][login_name]))
        ephemeral = X25519PrivateKey.generate()
        nonce = secrets.token_bytes(12)
        kek = _grant_kek(ephemeral.exchange(public), login_name)
        self._part("grants")[login_name] = {
            "epk": _b64(ephemeral.public_key().public_bytes_raw()), "nonce": _b64(nonce),
            "wrapped": _b64(AESGCM(kek).encrypt(nonce, identity_key, login_name.encode())),
        }

    def settle_grants(self, due: dict[str, bool], key: bytes) -> bool:
        """Grant ``key`` to each login due it (with a key pair), drop it from the others.

        Whether anything changed.
        """
        changed = False
        for login, wanted in due.items():
            if wanted and self.has_public(login) and not self.is_granted(login):
                self.grant(login, key)
                changed = True
            elif not wanted and self.is_granted(login):
                self.revoke(login)
                changed = True
        return changed

    def revoke(self, login_name: str) -> None:
        """Drop ``login_name``'s grant of the identity key."""
        self._part("grants").pop(login_name, None)

    def open_grant(self, login_name: str, private) -> bytes | None:
        """The identity key granted to ``login_name``, opened with their private key."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        entry = self.identity.get("grants", {}).get(login_name)
        if entry is None or private is None:
            return None
        try:
            shared = private.exchange(X25519PublicKey.from_public_bytes(_unb64(entry["epk"])))
            return AESGCM(_grant_kek(shared, login_name)).decrypt(
                _unb64(entry["nonce"]), _unb64(entry["wrapped"]), login_name.encode())
        except (InvalidTag, KeyError, ValueError):
            return None

    def identity_key(self, login_name: str, secret: str) -> bytes | None:
        """The identity key for ``login_name`` with ``secret`` (their password), or None."""
        return self.open_grant(login_name, self.open_private(login_name, secret))

    def previous_identity_key(self, identity_key: bytes) -> bytes | None:
        """The key before the last renewal (kept wrapped under the current one), if any."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        entry = self.identity.get("previous")
        if not entry:
            return None
        try:
            return AESGCM(identity_key).decrypt(
                _unb64(entry["nonce"]), _unb64(entry["wrapped"]), b"previous")
        except (InvalidTag, KeyError, ValueError):
            return None

    def keep_previous(self, identity_key: bytes, previous: bytes) -> None:
        """Keep ``previous`` wrapped under ``identity_key`` (for an interrupted renewal)."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_bytes(12)
        self.identity["previous"] = {
            "nonce": _b64(nonce),
            "wrapped": _b64(AESGCM(identity_key).encrypt(nonce, previous, b"previous"))}

    def recovery_identity_key(self, recovery_key: str) -> bytes | None:
        """The identity key through the recovery key, or None."""
        return self.identity_key(RECOVERY, normalize_recovery_key(recovery_key))

    def set_recovery_identity(self, recovery_key: str, identity_key: bytes) -> None:
        """Let the recovery key open the identity key too."""
        self.new_keypair(RECOVERY, normalize_recovery_key(recovery_key))
        self.grant(RECOVERY, identity_key)

    def set_recovery(self, recovery_key: str, key: bytes) -> None:
        """Let the recovery key unlock the store."""
        self.entries[RECOVERY] = _wrap(normalize_recovery_key(recovery_key), RECOVERY, key)

    def unwrap_user(self, login_name: str, password: str) -> bytes:
        """The store key, or WrongSecret when the name or password does not fit."""
        entry = self.entries.get(login_name)
        key = _unwrap(password, login_name, entry) if entry else None
        if key is None:
            raise WrongSecret(
                _("利用者名またはパスワードが違います。"),
                hint=_("入力し直してください。5回続けて間違えると、しばらくロックされます。"),
            )
        return key

    def unwrap_recovery(self, recovery_key: str) -> bytes:
        """The store key from the recovery key, or WrongSecret."""
        entry = self.entries.get(RECOVERY)
        key = _unwrap(normalize_recovery_key(recovery_key), RECOVERY, entry) if entry else None
        if key is None:
            raise WrongSecret(
                _("回復キーが違います。"),
                hint=_("設定時に印刷した回復キーを、ハイフンも含めてそのまま入力してください。"),
            )
        return key


def connect(path: Path, key: bytes):
    """A sqlcipher3 connection to an encrypted file, checked to open with ``key``."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = {key_pragma(key)}")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as e:
        conn.close()
        raise WrongSecret(
            _("データファイルをこの鍵で開けません。"), where=str(path),
            hint=_("鍵ファイル（keys.json）とデータファイルの組み合わせを確かめてください。"),
        ) from e
    return conn


def _require_driver() -> None:
    if not driver_available():
        raise StoreError(
            _("暗号化に必要な部品（SQLCipher）がこのパソコンにありません。"),
            hint=_("pfdesk を入れ直すか、システム担当者に相談してください。"),
        )


def export_copy(source: Path, dest: Path, *, source_key: bytes | None,
                dest_key: bytes | None) -> Path:
    """Copy the database ``source`` to a new file ``dest`` (plain or encrypted).

    Uses ``sqlcipher_export`` so the copy is consistent and, with ``dest_key``,
    never touches the disk unencrypted.
    """
    _require_driver()
    import sqlcipher3

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".~{dest.name}.tmp")
    tmp.unlink(missing_ok=True)
    conn = connect(source, source_key) if source_key else sqlcipher3.connect(str(source))
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        target_key = key_pragma(dest_key) if dest_key else "''"
        conn.execute(f"ATTACH DATABASE ? AS copy KEY {target_key}", (str(tmp),))
        conn.execute("SELECT sqlcipher_export('copy')")
        conn.execute(f"PRAGMA copy.user_version = {int(version)}")
        conn.execute("DETACH DATABASE copy")
    except sqlcipher3.Error as e:
        tmp.unlink(missing_ok=True)
        from pfdesk.store.safefile import copy_failed

        raise copy_failed(e, dest) from e
    finally:
        conn.close()
    os.replace(tmp, dest)
    return dest


def plain_backup(source: Path, dest: Path) -> Path:
    """Copy a plain store with SQLite's online backup."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    try:
        target = sqlite3.connect(dest)
        try:
            src.backup(target)
        finally:
            target.close()
    finally:
        src.close()
    return dest


def encrypt_store_file(paths: DataPaths, key: bytes, keys: KeyFile | None = None) -> None:
    """Replace the plain store in ``paths`` by an encrypted copy under ``key``, crash-safe.

    The store must be closed. The encrypted copy is written beside it, fsync'd and
    proven (opens with ``key``, ``integrity_check``, same row counts) before the
    swap; ``keys`` (the new ``keys.json``) is staged and swapped in the same
    journalled step (see :mod:`pfdesk.store.safefile`), so a crash leaves either the
    plain store with the old keys or the encrypted one with the new keys. The plain
    file is overwritten with zeros before it is removed.
    """
    from pfdesk.store import safefile

    _require_driver()
    if is_encrypted(paths):
        raise StoreError(_("データはすでに暗号化されています。"), where=str(paths.store))
    with safefile.replace_lock(paths):
        safefile.refuse_if_open_elsewhere(paths)
        checkpoint = sqlite3.connect(paths.store)
        try:
            checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            checkpoint.close()
        before = safefile.inspect_store(paths.store)
        safefile.discard_staged(paths)
        staged = paths.root / safefile.STAGED_STORE
        export_copy(paths.store, staged, source_key=None, dest_key=key)
        safefile.fsync_file(staged)
        after = safefile.inspect_store(staged, key)  # proves the copy opens with the new key
        if after.counts != before.counts or after.revision != before.revision:
            staged.unlink()
            raise StoreError(_("暗号化したデータの件数が元と一致しないため、中止しました。"
                               "データは元のままです。"), where=str(paths.store))
        if keys is not None:
            keys.save(paths.root / safefile.STAGED_KEYS)
        safefile.fsync_dir(paths.root)
        safefile.commit(paths, safefile.Replacement(
            "encrypt", keys=keys is not None, old_store=safefile.LEGACY_PLAIN_OLD,
            shred_old=True))
