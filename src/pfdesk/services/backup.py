"""Backups and restores of the whole data folder, audited; an encrypted store stays encrypted.

A backup is one ZIP file holding the store (a consistent copy, encrypted under
the store key when the store is encrypted), ``keys.json`` (wrapped keys only)
and the attachments folder. Restoring first backs the current data up, then
replaces it; the window must be opened again afterwards.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pfdesk.core.errors import FileProblem, KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.paths import STORE_FILE, DataPaths
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.store import crypto
from pfdesk.store.migrate import backup_file, upgrade_store

KEYS_FILE = "keys.json"
ATTACHMENTS = "attachments"


@dataclass(frozen=True)
class BackupInfo:
    """A backup written: where, whether encrypted, how big."""

    path: Path
    encrypted: bool
    size: int


def default_backup_path(paths: DataPaths) -> Path:
    """``backups/pfdesk-YYYYMMDD-HHMMSS.zip`` in the data folder."""
    return paths.backups / f"pfdesk-{datetime.now():%Y%m%d-%H%M%S}.zip"


def _write_zip(ctx: ServiceContext, out: Path) -> None:
    paths = ctx.store.paths
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        copy = backup_file(ctx.store.engine, Path(tmp) / STORE_FILE)
        part = out.with_name(f".~{out.name}.tmp")
        try:
            with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as z:
                z.write(copy, STORE_FILE)
                if ctx.store.key is not None and paths.keys.exists():
                    z.write(paths.keys, KEYS_FILE)
                if paths.attachments.is_dir():
                    for f in sorted(paths.attachments.rglob("*")):
                        if f.is_file():
                            z.write(f, f"{ATTACHMENTS}/{f.relative_to(paths.attachments)}")
            part.replace(out)
        except OSError as e:
            part.unlink(missing_ok=True)
            raise FileProblem(_("バックアップを書き込めませんでした。"), where=str(out),
                              hint=_("保存先の空き容量と、書き込みできる場所かを確かめてください。")
                              ) from e


@service(Permission.BACKUP)
def backup_store(ctx: ServiceContext, out: Path | str | None = None) -> BackupInfo:
    """Write a backup ZIP of the data folder (to ``out`` or the backups folder)."""
    target = Path(out) if out else default_backup_path(ctx.store.paths)
    if target.is_dir():
        target = target / default_backup_path(ctx.store.paths).name
    target.parent.mkdir(parents=True, exist_ok=True)
    encrypted = ctx.store.key is not None
    with ctx.session() as s:
        # Logged first, so the backup itself holds the entry that says it was made.
        audit.record(s, ctx.actor, "backup.create", "store", [], file=str(target),
                     encrypted=encrypted)
        s.commit()
    _write_zip(ctx, target)
    return BackupInfo(target, encrypted, target.stat().st_size)


@dataclass(frozen=True)
class RestoreInfo:
    """A restore done: from which file, and where the data before it was saved."""

    source: Path
    safety_backup: Path
    encrypted: bool


def _read_backup(src: Path, into: Path) -> Path:
    try:
        with zipfile.ZipFile(src) as z:
            names = z.namelist()
            if STORE_FILE not in names:
                raise KnownError(_("このファイルは pfdesk のバックアップではありません。"),
                                 where=str(src),
                                 hint=_("pfdesk で作ったバックアップ（.zip）を選んでください。"))
            for name in names:
                if name.startswith("/") or ".." in Path(name).parts:
                    raise KnownError(_("バックアップの中身が正しくありません。"), where=str(src))
            z.extractall(into)
    except (zipfile.BadZipFile, OSError) as e:
        raise FileProblem(_("バックアップを読み込めませんでした。"), where=str(src),
                          hint=_("ファイルが壊れていないか、別のバックアップで試してください。")
                          ) from e
    return into / STORE_FILE


def _check_opens(db: Path, keys: Path, ctx: ServiceContext, password: str | None) -> bytes | None:
    """The key the restored store opens with (None when it is plain)."""
    if not crypto.is_encrypted_file(db):
        return None
    candidates = [ctx.store.key] if ctx.store.key else []
    if password is not None and keys.exists():
        kf = crypto.KeyFile.load(DataPaths(keys.parent))
        try:
            candidates.append(kf.unwrap_user(ctx.actor.user_name, password))
        except crypto.WrongSecret:
            pass
    for key in candidates:
        try:
            crypto.connect(db, key).close()
            return key
        except crypto.WrongSecret:
            continue
    raise KnownError(
        _("このバックアップは別の鍵で暗号化されています。"),
        hint=_("バックアップを作ったときのあなたのパスワードを入力して、もう一度復元してください。"),
    )


@service(Permission.BACKUP, Permission.SETTINGS_WRITE)
def restore_store(
    ctx: ServiceContext, source: Path | str, *, password: str | None = None
) -> RestoreInfo:
    """Replace the data folder's store by a backup, after backing the current one up.

    The store stays encrypted when it was: a plain backup is encrypted under the
    current key. Sign in again after a restore (the accounts are the backup's).
    """
    src = Path(source)
    paths = ctx.store.paths
    with tempfile.TemporaryDirectory(dir=paths.root) as tmp:
        db = _read_backup(src, Path(tmp))
        keys = Path(tmp) / KEYS_FILE
        key = _check_opens(db, keys, ctx, password)
        safety = backup_store(ctx, paths.backups / f"before-restore-{datetime.now():%Y%m%d-%H%M%S}.zip")
        ctx.store.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(str(paths.store) + suffix).unlink(missing_ok=True)
        shutil.copyfile(db, paths.store)
        if key is not None and keys.exists() and key != ctx.store.key:
            shutil.copyfile(keys, paths.keys)
        elif key is None and ctx.store.key is not None:
            crypto.encrypt_store_file(paths, ctx.store.key)
            key = ctx.store.key
        restored_attachments = Path(tmp) / ATTACHMENTS
        if restored_attachments.is_dir():
            shutil.rmtree(paths.attachments, ignore_errors=True)
            shutil.copytree(restored_attachments, paths.attachments)
    ctx.store.reopen(key=key)
    upgrade_store(ctx.store.engine, paths)
    # The restored log is older on purpose: its end becomes the new head.
    audit.forget_head(paths)
    with ctx.session() as s:
        audit.record(s, ctx.actor, "restore.restore", "store", [], file=str(src),
                     safety_backup=str(safety.path))
        s.commit()
    return RestoreInfo(src, safety.path, key is not None)
