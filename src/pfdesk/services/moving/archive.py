"""The move archive: one ZIP holding a whole data folder, for carrying it to a new PC.

Layout: ``move.json`` (the manifest: when, schema revision, record counts, the audit
log's last entry and a SHA-256 of every other member), ``pfdesk.sqlite3`` (encrypted
under the store key when the store is), ``keys.json`` (wrapped keys only) and
``files.zip`` — the attachments, saved import mappings, backup settings and the audit
head. When the store is encrypted that inner ZIP is sealed with AES-GCM under a key
derived from the store key (``files.zip.enc``), so nothing in the archive is readable
without a user's password or the recovery key.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pfdesk import __version__
from pfdesk.core.errors import FileProblem, KnownError, StoreError
from pfdesk.core.i18n import _
from pfdesk.paths import STORE_FILE, DataPaths
from pfdesk.store.backups import SETTINGS_FILE

MANIFEST = "move.json"
KIND = "pfdesk-move"
KEYS_FILE = "keys.json"
PAYLOAD = "files.zip"
PAYLOAD_SEALED = "files.zip.enc"
AUDIT_HEAD = "audit-head.json"
#: What besides the store moves: (name in the data folder, is a folder).
CARRIED: tuple[tuple[str, bool], ...] = (
    ("attachments", True), ("mappings", True), (SETTINGS_FILE, False), (AUDIT_HEAD, False),
)
_NONCE = 12


@dataclass(frozen=True)
class MoveManifest:
    """What a move archive says about itself."""

    created: datetime
    encrypted: bool
    revision: str
    counts: dict[str, int]
    audit_last_id: int
    app_version: str = ""
    digests: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        """The manifest as written into the archive."""
        return json.dumps({
            "format": 1, "kind": KIND, "created": self.created.isoformat(timespec="seconds"),
            "app_version": self.app_version or __version__, "encrypted": self.encrypted,
            "revision": self.revision, "counts": self.counts,
            "audit_last_id": self.audit_last_id, "sha256": self.digests,
        }, ensure_ascii=False, indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes, where: Path) -> MoveManifest:
        """Read a manifest; a clear error when the archive is not a move archive."""
        try:
            m = json.loads(data)
            if m.get("kind") != KIND:
                raise ValueError(m.get("kind"))
            return cls(datetime.fromisoformat(m["created"]), bool(m["encrypted"]),
                       str(m["revision"]), {k: int(v) for k, v in m["counts"].items()},
                       int(m["audit_last_id"]), str(m.get("app_version", "")),
                       {k: str(v) for k, v in m["sha256"].items()})
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise not_a_move_archive(where) from e


def not_a_move_archive(where: Path) -> KnownError:
    """The message for a file that is not a pfdesk move archive."""
    return KnownError(_("このファイルは pfdesk の移行用ファイルではありません。"), where=str(where),
                      hint=_("前の PC で「新しい PC へ移す」（pfdesk move-out）で作ったファイルを"
                             "選んでください。"))


def _sealing_key(store_key: bytes) -> bytes:
    # Its own key, so the store key is never used for two ciphers.
    return hashlib.sha256(b"pfdesk-move-files\0" + store_key).digest()


def seal(data: bytes, store_key: bytes) -> bytes:
    """``data`` encrypted and authenticated with AES-GCM under the store key."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(_sealing_key(store_key)).encrypt(nonce, data, KIND.encode())


def unseal(data: bytes, store_key: bytes, where: Path) -> bytes:
    """The plain bytes of :func:`seal`; a clear error when they were altered."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(_sealing_key(store_key)).decrypt(data[:_NONCE], data[_NONCE:], KIND.encode())
    except (InvalidTag, ValueError) as e:
        raise StoreError(_("移行用ファイルの添付ファイル・設定の部分が壊れているか、"
                           "書き換えられています。"), where=str(where),
                         hint=_("前の PC でもう一度移行用ファイルを作ってください。")) from e


def payload_bytes(paths: DataPaths, head: bytes | None) -> bytes:
    """The inner ZIP of attachments, mappings, settings and the audit head (``head``)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, is_folder in CARRIED:
            src = paths.root / name
            if name == AUDIT_HEAD:
                if head is not None:
                    z.writestr(AUDIT_HEAD, head)
            elif is_folder and src.is_dir():
                for f in sorted(src.rglob("*")):
                    if f.is_file():
                        z.write(f, f"{name}/{f.relative_to(src).as_posix()}")
            elif not is_folder and src.is_file():
                z.write(src, name)
    return buf.getvalue()


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def safe_members(z: zipfile.ZipFile, where: Path) -> list[str]:
    """The member names, refusing any that would land outside the folder it is unpacked in."""
    names = z.namelist()
    for name in names:
        if name.startswith(("/", "\\")) or ".." in Path(name).parts or ":" in name:
            raise KnownError(_("移行用ファイルの中身が正しくありません。"), where=str(where))
    return names


def read_manifest(source: Path) -> MoveManifest:
    """The manifest of ``source`` after checking every member's CRC."""
    try:
        with zipfile.ZipFile(source) as z:
            names = safe_members(z, source)
            if MANIFEST not in names or STORE_FILE not in names:
                raise not_a_move_archive(source)
            bad = z.testzip()
            if bad is not None:
                raise StoreError(_("移行用ファイルが壊れています（{f} が読めません）。").format(f=bad),
                                 where=str(source),
                                 hint=_("前の PC でもう一度移行用ファイルを作ってください。"))
            return MoveManifest.from_json(z.read(MANIFEST), source)
    except FileNotFoundError as e:
        raise FileProblem(_("移行用ファイルが見つかりません。"), where=str(source)) from e
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as e:
        raise FileProblem(_("移行用ファイルを読み込めませんでした。"), where=str(source),
                          hint=_("ファイルが壊れていないか、コピーし直して試してください。")) from e
