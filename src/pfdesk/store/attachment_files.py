"""Attached files at rest: encrypted under the store's key when the store is encrypted.

An attachment of an encrypted store is written as ``MAGIC || nonce || AES-GCM(data)``
under a key derived from the store key, so the folder gives nothing away without a
password. Plain files (a plain store, or one converted a moment ago) are read as they
are; :func:`encrypt_folder` converts them one by one, each atomically, and runs again
at every opening of an encrypted store, so an interrupted conversion is finished.
A reader that needs a file on disk (the PC's PDF viewer) gets a decrypted copy in a
private folder that is emptied when the store is closed and at the next start.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
from pathlib import Path

from pfdesk.core.atomic import read_error, shred_file, write_bytes_atomic
from pfdesk.paths import DataPaths

MAGIC = b"PFDESK-ATT1\n"
# Inside the store key's layer: a file of a closed meeting's case item, sealed again under
# the identity key (store.vault), which only users who may identify cases hold.
ID_MAGIC = b"PFDESK-ATT-ID1\n"
_NONCE = 12
OPEN_FOLDER = ".pfdesk-open"  # decrypted copies handed to a viewer


def _file_key(store_key: bytes) -> bytes:
    return hashlib.sha256(b"pfdesk-attachments-v1" + store_key).digest()


def is_sealed(data: bytes) -> bool:
    """Whether ``data`` is an encrypted attachment."""
    return data.startswith(MAGIC)


def seal(data: bytes, store_key: bytes | None) -> bytes:
    """``data`` as stored: encrypted when there is a store key, as it is otherwise."""
    if store_key is None:
        return data
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(_NONCE)
    return MAGIC + nonce + AESGCM(_file_key(store_key)).encrypt(nonce, data, MAGIC)


def unseal(blob: bytes, store_key: bytes | None, where: str = "") -> bytes:
    """The file's contents from what is stored (plain files pass through)."""
    if not is_sealed(blob):
        return blob
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from pfdesk.core.errors import FileProblem
    from pfdesk.core.i18n import _

    if store_key is None:
        raise FileProblem(_("暗号化された添付ファイルですが、データの鍵がありません。"), where=where)
    body = blob[len(MAGIC):]
    try:
        return AESGCM(_file_key(store_key)).decrypt(body[:_NONCE], body[_NONCE:], MAGIC)
    except InvalidTag as e:
        raise FileProblem(_("添付ファイルが壊れているか、別のデータの鍵で暗号化されています。"),
                          where=where,
                          hint=_("バックアップから復元するか、添付し直してください。")) from e


def _identity_file_key(identity_key: bytes) -> bytes:
    return hashlib.sha256(b"pfdesk-attachments-identity-v1" + identity_key).digest()


def seal_identity(data: bytes, identity_key: bytes) -> bytes:
    """``data`` sealed under the identity key (the inner layer of a case item's file)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if data.startswith(ID_MAGIC):
        return data
    nonce = secrets.token_bytes(_NONCE)
    return ID_MAGIC + nonce + AESGCM(_identity_file_key(identity_key)).encrypt(
        nonce, data, ID_MAGIC)


def _open_identity(data: bytes, identity_key: bytes | None, where: str,
                   fallback: bytes | None = None) -> bytes:
    if not data.startswith(ID_MAGIC):
        return data
    if fallback is not None:
        try:
            return _open_identity(data, identity_key, where)
        except Exception:  # noqa: BLE001 - the key before a renewal, then the error as is
            return _open_identity(data, fallback, where)
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from pfdesk.core.errors import FileProblem
    from pfdesk.core.i18n import _

    if identity_key is None:
        raise FileProblem(_("ケースの資料は、本人情報を扱える利用者だけが開けます。"), where=where)
    body = data[len(ID_MAGIC):]
    try:
        return AESGCM(_identity_file_key(identity_key)).decrypt(
            body[:_NONCE], body[_NONCE:], ID_MAGIC)
    except InvalidTag as e:
        raise FileProblem(_("添付ファイルが壊れているか、別のデータの鍵で暗号化されています。"),
                          where=where,
                          hint=_("バックアップから復元するか、添付し直してください。")) from e


def read(paths: DataPaths, store_key: bytes | None, stored: str, *,
         identity_key: bytes | None = None, fallback: bytes | None = None) -> bytes:
    """The contents of the attachment ``stored``.

    A case item's file needs ``identity_key``; ``fallback`` is the key before a renewal
    that was interrupted.
    """
    path = paths.attachments / stored
    try:
        blob = path.read_bytes()
    except OSError as e:
        raise read_error(e, path) from e
    return _open_identity(unseal(blob, store_key, str(path)), identity_key, str(path), fallback)


def write(paths: DataPaths, store_key: bytes | None, stored: str, data: bytes, *,
          identity_key: bytes | None = None) -> Path:
    """Store ``data`` as the attachment ``stored`` (all at once, encrypted when keyed).

    With ``identity_key`` (a closed meeting's case item in a sealed store) the file is
    sealed under it first, then under the store key as every attachment is.
    """
    paths.attachments.mkdir(parents=True, exist_ok=True)
    target = paths.attachments / stored
    if identity_key is not None:
        data = seal_identity(data, identity_key)
    write_bytes_atomic(target, seal(data, store_key))
    return target


def seal_identity_in_place(paths: DataPaths, store_key: bytes, stored: str,
                           identity_key: bytes) -> bool:
    """Add the identity layer to an existing attachment; whether it changed."""
    path = paths.attachments / stored
    if not path.is_file():
        return False
    inner = unseal(path.read_bytes(), store_key, str(path))
    if inner.startswith(ID_MAGIC):
        return False
    write_bytes_atomic(path, seal(seal_identity(inner, identity_key), store_key))
    return True


def reseal_identity_in_place(paths: DataPaths, store_key: bytes, stored: str,
                             old_key: bytes, new_key: bytes) -> bool:
    """Move an attachment's identity layer from ``old_key`` to ``new_key``; whether it did."""
    path = paths.attachments / stored
    if not path.is_file():
        return False
    inner = unseal(path.read_bytes(), store_key, str(path))
    if not inner.startswith(ID_MAGIC):
        return False
    try:
        _open_identity(inner, new_key, str(path))
        return False  # already under the new key (a renewal run again)
    except Exception:  # noqa: BLE001 - not yet: open with the old key below
        pass
    data = _open_identity(inner, old_key, str(path))
    write_bytes_atomic(path, seal(seal_identity(data, new_key), store_key))
    return True


def plain_copy(paths: DataPaths, store_key: bytes | None, stored: str,
               name: str = "", *, identity_key: bytes | None = None,
               fallback: bytes | None = None) -> Path:
    """A path whose file holds the plain contents.

    The attachment itself when it is plain, else a decrypted copy in the private open
    folder (named ``name`` so the viewer shows it), removed at close or next start.
    """
    path = paths.attachments / stored
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(MAGIC))
    except OSError as e:
        raise read_error(e, path) from e
    if head != MAGIC:
        return path
    data = read(paths, store_key, stored, identity_key=identity_key, fallback=fallback)
    folder = paths.root / OPEN_FOLDER / secrets.token_hex(4)
    folder.mkdir(parents=True, mode=0o700)
    copy = folder / (Path(name).name or stored)
    fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return copy


def clear_open_copies(paths: DataPaths) -> None:
    """Remove every decrypted copy handed to a viewer (at close and at start)."""
    folder = paths.root / OPEN_FOLDER
    if not folder.exists():
        return
    for f in folder.rglob("*"):
        if f.is_file():
            with contextlib.suppress(OSError):
                shred_file(f)
    shutil.rmtree(folder, ignore_errors=True)


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC))


def _finish_interrupted(folder: Path) -> None:
    """A conversion killed half way: put the sealed copy in place, shred the plain one."""
    for sealed in folder.glob(".~*.sealed"):
        target = folder / sealed.name[2:-len(".sealed")]
        if not target.exists():
            os.replace(sealed, target)
        else:
            sealed.unlink()
    for plain in folder.glob(".~*.plain"):
        target = folder / plain.name[2:-len(".plain")]
        if target.exists() and _head(target) == MAGIC:
            shred_file(plain)
        elif not target.exists():
            os.replace(plain, target)  # not yet sealed: keep the original, convert again


def encrypt_folder(paths: DataPaths, store_key: bytes) -> int:
    """Encrypt every plain attachment in place; how many were converted.

    Each file: the sealed copy is written and synced beside it, the plain file moved
    aside, the sealed one moved in, then the plain one overwritten and deleted. A kill
    at any step leaves either file complete; the next run finishes the job.
    """
    folder = paths.attachments
    if not folder.is_dir():
        return 0
    _finish_interrupted(folder)
    done = 0
    for f in sorted(folder.iterdir()):
        if not f.is_file() or f.name.startswith(".~"):
            continue
        with open(f, "rb") as fh:
            if fh.read(len(MAGIC)) == MAGIC:
                continue
        data = f.read_bytes()
        sealed = folder / f".~{f.name}.sealed"
        plain = folder / f".~{f.name}.plain"
        write_bytes_atomic(sealed, seal(data, store_key))
        os.replace(f, plain)
        os.replace(sealed, f)
        shred_file(plain)
        done += 1
    return done
