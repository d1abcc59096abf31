"""Backups and restores of the whole data folder, audited; an encrypted store stays encrypted.

A backup is one ZIP file holding the store (a consistent copy, encrypted under
the store key when the store is encrypted), ``keys.json`` (wrapped keys only),
the attachments and a manifest with the record counts; it is verified after
writing (see :mod:`pfdesk.store.backups`). Restoring proves the backup first,
backs the current data up, then swaps the files crash-safely; the window must be
opened again afterwards. Automatic backups run daily and on close, thinned by
rotation and optionally copied to a second folder.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from pfdesk.core.atomic import shred_file
from pfdesk.core.errors import KnownError, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.paths import DataPaths
from pfdesk.services import audit
from pfdesk.services.context import Actor, ServiceContext, service
from pfdesk.store import backups, crypto, safefile
from pfdesk.store.backups import AUTO_PREFIX, BackupEntry, BackupSettings
from pfdesk.store.migrate import backup_file, upgrade_store
from pfdesk.store.models import AuditEvent

log = logging.getLogger(__name__)

KEYS_FILE = backups.KEYS_FILE
ATTACHMENTS = backups.ATTACHMENTS


@dataclass(frozen=True)
class BackupInfo:
    """A backup written: where, whether encrypted, how big, what it holds."""

    path: Path
    encrypted: bool
    size: int
    counts: dict[str, int] = field(default_factory=dict)
    second_copy: Path | None = None
    warning: str = ""


def default_backup_path(paths: DataPaths) -> Path:
    """``backups/pfdesk-YYYYMMDD-HHMMSS.zip`` in the data folder."""
    return paths.backups / backups.backup_name()


def _write(ctx: ServiceContext, target: Path, action: str, **detail) -> BackupEntry:
    if ctx.store.is_server:
        return _write_server(ctx, target, action, **detail)
    with ctx.session() as s:
        # Logged first, so the backup itself holds the entry that says it was made.
        audit.record(s, ctx.actor, action, "store", [], file=str(target),
                     encrypted=ctx.store.key is not None, **detail)
        s.commit()
    engine = ctx.store.engine
    return backups.write_backup(ctx.store.paths, lambda dest: backup_file(engine, dest), target,
                                key=ctx.store.key)


def _write_server(ctx: ServiceContext, target: Path, action: str, **detail) -> BackupEntry:
    """A server's backup: its rows in a data file encrypted under the file key (server_backup)."""
    from pfdesk.services import server_backup

    key = server_backup.require_file_key(ctx.store.file_key)
    with ctx.session() as s:
        audit.record(s, ctx.actor, action, "store", [], file=str(target), encrypted=True,
                     server=True, **detail)
        s.commit()
    engine = ctx.store.engine
    return backups.write_backup(
        ctx.store.paths, lambda dest: server_backup.copy_server(engine, dest, key), target,
        key=key)


def _second_copy(paths: DataPaths, entry: BackupEntry, settings: BackupSettings
                 ) -> tuple[Path | None, str]:
    if not settings.second_folder:
        return None, ""
    folder = Path(settings.second_folder)
    try:
        copy = backups.copy_to_folder(entry, folder)
        if entry.path.name.startswith(AUTO_PREFIX):
            backups.rotate(folder, settings)
        return copy, ""
    except (KnownError, OSError) as e:
        log.warning("second backup copy to %s failed: %s", folder, e)
        return None, _("2つ目の保存先「{f}」には書き込めませんでした（USB メモリやネットワークの"
                       "接続を確かめてください）。").format(f=folder)


@service(Permission.BACKUP)
def backup_store(ctx: ServiceContext, out: Path | str | None = None) -> BackupInfo:
    """Write a verified backup ZIP (to ``out`` or the backups folder, then the second folder)."""
    paths = ctx.store.paths
    target = Path(out) if out else default_backup_path(paths)
    if target.is_dir():
        target = target / default_backup_path(paths).name
    entry = _write(ctx, target, "backup.create")
    second, warning = (None, "")
    if out is None:
        second, warning = _second_copy(paths, entry, backups.load_settings(paths))
    return BackupInfo(target, entry.encrypted, target.stat().st_size, entry.counts, second, warning)


def auto_backup_due(paths: DataPaths, now: datetime | None = None) -> bool:
    """Whether today's first automatic backup is still to be made."""
    settings = backups.load_settings(paths)
    return settings.auto and not backups.has_auto_backup_on(paths.backups, now or datetime.now())


@service(Permission.BACKUP)
def auto_backup(ctx: ServiceContext, reason: str) -> BackupInfo | None:
    """The automatic backup (``reason``: "daily", "close", "scheduled"), rotated; None when off.

    Needs the backup permission like any copy of the data (a viewer's session makes none).
    """
    paths = ctx.store.paths
    settings = backups.load_settings(paths)
    if not settings.auto or ctx.store.is_server:  # a server is backed up on the server
        return None
    target = paths.backups / backups.backup_name(AUTO_PREFIX)
    entry = _write(ctx, target, "backup.auto", reason=reason)
    backups.rotate(paths.backups, settings)
    second, warning = _second_copy(paths, entry, settings)
    return BackupInfo(target, entry.encrypted, target.stat().st_size, entry.counts, second, warning)


@service(Permission.BACKUP)
def backup_settings(ctx: ServiceContext) -> BackupSettings:
    """The automatic backup settings."""
    return backups.load_settings(ctx.store.paths)


@service(Permission.SETTINGS_WRITE)
def save_backup_settings(ctx: ServiceContext, settings: BackupSettings) -> BackupSettings:
    """Check and store the automatic backup settings (audited)."""
    for label, n in ((_("日ごと"), settings.daily), (_("週ごと"), settings.weekly),
                     (_("月ごと"), settings.monthly)):
        if not 0 <= n <= 366:
            raise ValidationError(_("{label}に残す数は 0〜366 で指定してください。").format(label=label),
                                  field="rotation")
    if settings.daily < 1:
        raise ValidationError(_("日ごとに残す数は 1 以上にしてください。"), field="daily")
    folder = settings.second_folder.strip()
    if folder:
        p = Path(folder)
        if not p.is_dir():
            raise ValidationError(_("2つ目の保存先「{f}」が見つかりません。").format(f=folder),
                                  field="second_folder",
                                  hint=_("USB メモリをつなぐか、ネットワークのフォルダーを確かめてください。"))
        if p.resolve() == ctx.store.paths.backups.resolve():
            raise ValidationError(_("2つ目の保存先には、いつもの backups フォルダー以外を選んでください。"),
                                  field="second_folder")
    settings = replace(settings, second_folder=folder)
    backups.save_settings(ctx.store.paths, settings)
    with ctx.session() as s:
        audit.record(s, ctx.actor, "backup.settings", "store", [], daily=settings.daily,
                     weekly=settings.weekly, monthly=settings.monthly,
                     second_folder=settings.second_folder, auto=settings.auto)
        s.commit()
    return settings


@service(Permission.BACKUP)
def list_store_backups(ctx: ServiceContext, *, verify: bool = False) -> list[BackupEntry]:
    """The backups of this data folder, newest first (``verify``: check every byte)."""
    return backups.list_backups(ctx.store.paths, verify=verify)


@service(Permission.BACKUP)
def plaintext_backups(ctx: ServiceContext) -> list[BackupEntry]:
    """Backups that are not encrypted although the store now is (made before encrypting).

    They hold every record readable without a password: the window and ``pfdesk encrypt``
    offer to delete them for good. Once the identities are sealed (store.vault), encrypted
    backups made before the sealing or before the identity key was last renewed are listed
    too: any user's password, or a former holder's, opens their identities. So are
    the copies a store upgrade took while the store was plain, or before the sealing.
    """
    if ctx.store.key is None:
        return []
    kf = crypto.KeyFile.load(ctx.store.paths)
    generation = str(kf.identity.get("generation", ""))
    found = [e for e in backups.list_backups(ctx.store.paths, verify=False)
             if not e.encrypted
             or (kf.sealed and backups.identity_generation(e.path) != generation)]
    # The copies taken before a store upgrade (before-upgrade-….sqlite3) as well.
    sealed_at = str(kf.identity.get("sealed_at", "")) if kf.sealed else ""
    folder = ctx.store.paths.backups
    for f in sorted(folder.glob("before-upgrade-*.sqlite3")) if folder.is_dir() else []:
        made = datetime.fromtimestamp(f.stat().st_mtime)
        encrypted = crypto.is_encrypted_file(f)
        if not encrypted or (sealed_at and made.isoformat(timespec="seconds") < sealed_at):
            found.append(BackupEntry(path=f, created=made, encrypted=encrypted))
    return found


def _shred(ctx: ServiceContext, entries: list[BackupEntry], action: str) -> list[Path]:
    """Overwrite, then delete, the backup files of ``entries``; audited as ``action``."""
    gone: list[Path] = []
    for entry in entries:
        shred_file(entry.path)
        gone.append(entry.path)
    with ctx.session() as s:
        audit.record(s, ctx.actor, action, "store", [], files=[p.name for p in gone])
        s.commit()
    return gone


@service(Permission.BACKUP, Permission.SETTINGS_WRITE)
def shred_plaintext_backups(ctx: ServiceContext) -> list[Path]:
    """Overwrite, then delete, every backup :func:`plaintext_backups` lists; audited."""
    return _shred(ctx, plaintext_backups(ctx), "backup.shred_plain")


@service(Permission.RETENTION)
def backups_before_disposal(ctx: ServiceContext) -> list[BackupEntry]:
    """Backups that existed when cases were disposed of: they still hold those identities."""
    from pfdesk.services.retention import BACKUPS_HOLDING_DISPOSED
    from pfdesk.services.settings import read_setting

    with ctx.session() as s:
        held = set(read_setting(s, BACKUPS_HOLDING_DISPOSED, []) or [])
    return [e for e in backups.list_backups(ctx.store.paths, verify=False)
            if str(e.path) in held]


@service(Permission.RETENTION, Permission.BACKUP)
def shred_backups_before_disposal(ctx: ServiceContext) -> list[Path]:
    """Make a backup of the store as it is now, then overwrite and delete the older ones.

    What remains can be restored, and no file in the data folder or the second backup
    folder still holds a disposed case.
    """
    from pfdesk.services.retention import BACKUPS_HOLDING_DISPOSED
    from pfdesk.services.settings import write_setting

    older = backups_before_disposal(ctx)
    if not older:
        return []
    # A recovery point without the disposed identities, under a name of its own.
    fresh = backup_store(ctx, ctx.store.paths.backups /
                         f"after-disposal-{datetime.now():%Y%m%d-%H%M%S}.zip")
    gone = _shred(ctx, [e for e in older if e.path != fresh.path], "retention.shred_backups")
    with ctx.session() as s:
        write_setting(s, BACKUPS_HOLDING_DISPOSED, [])
        s.commit()
    return gone


@dataclass(frozen=True)
class RestoreInfo:
    """A restore done: from which file, what it held, where the data before it was saved."""

    source: Path
    safety_backup: Path
    encrypted: bool
    counts: dict[str, int] = field(default_factory=dict)


def _key_finder(ctx: ServiceContext, password: str | None):
    def key_for(keys: Path | None) -> bytes | None:
        candidates = [ctx.store.key] if ctx.store.key else []
        if password is not None and keys is not None and keys.exists():
            kf = crypto.KeyFile.load(DataPaths(keys.parent))
            try:
                candidates.append(kf.unwrap_user(ctx.actor.user_name, password))
            except crypto.WrongSecret:
                pass
        return first_opening_key(keys, candidates)
    return key_for


def first_opening_key(keys: Path | None, candidates: list[bytes]) -> bytes:
    """The first key that opens the backup's store beside ``keys``; a clear error if none."""
    if keys is None:
        raise KnownError(_("暗号化されたバックアップの鍵を確かめられません。"))
    db = keys.parent / backups.STORE_FILE
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


@service(Permission.BACKUP)
def check_backup(ctx: ServiceContext, source: Path | str, *, password: str | None = None
                 ) -> BackupEntry:
    """Prove a backup (CRCs, integrity_check, schema, counts) and say what it holds.

    Changes nothing; shown to the user before a restore is confirmed.
    """
    with backups.unpacked(ctx.store.paths, Path(source), _key_finder(ctx, password)) as checked:
        return checked.entry


@service(Permission.BACKUP, Permission.SETTINGS_WRITE)
def restore_store(
    ctx: ServiceContext, source: Path | str, *, password: str | None = None
) -> RestoreInfo:
    """Replace the data folder's store by a proven backup, after backing the current one up.

    A damaged backup is refused before anything changes. The store stays encrypted
    when it was: a plain backup is encrypted under the current key. Sign in again
    after a restore (the accounts are the backup's).
    """
    src = Path(source)
    paths = ctx.store.paths
    if ctx.store.is_server:
        return _restore_server(ctx, src)
    safefile.refuse_if_open_elsewhere(paths)
    with backups.unpacked(paths, src, _key_finder(ctx, password)) as checked:
        stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
        safety = backup_store(ctx, paths.backups / f"before-restore-{stamp}.zip")
        later = _events_after(ctx, _last_audit_at(checked))
        ctx.store.engine.dispose()
        try:
            key, _kept = backups.replace_from_backup(paths, checked, current_key=ctx.store.key)
        except BaseException:
            ctx.store.reopen(key=ctx.store.key)
            raise
        entry = checked.entry
    ctx.store.reopen(key=key)
    upgrade_store(ctx.store.engine, paths)
    with ctx.session() as s:
        _carry_over(s, later)  # in the order they happened, before the restore itself
        audit.record(s, ctx.actor, "restore.restore", "store", [], file=str(src),
                     safety_backup=str(safety.path), carried_over=len(later))
        s.commit()
    return RestoreInfo(src, safety.path, key is not None, entry.counts)


def _restore_server(ctx: ServiceContext, src: Path) -> RestoreInfo:
    """Replace every row of the server by a proven backup's, in one transaction."""
    from pfdesk.services import server_backup

    key = server_backup.require_file_key(ctx.store.file_key)
    paths = ctx.store.paths
    with backups.unpacked(paths, src, lambda _keys: key) as checked:
        stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
        safety = backup_store(ctx, paths.backups / f"before-restore-{stamp}.zip")
        later = _events_after(ctx, _last_audit_at(checked))
        server_backup.replace_rows(ctx.store.engine, checked, key)
        entry = checked.entry
    # The restored log ends earlier than this PC last wrote: not a deletion to report.
    head = getattr(ctx.store.engine, "pfdesk_audit_head", None)
    if head is not None:
        Path(head).unlink(missing_ok=True)
    with ctx.session() as s:
        _carry_over(s, later)
        audit.record(s, ctx.actor, "restore.restore", "store", [], file=str(src),
                     safety_backup=str(safety.path), carried_over=len(later), server=True)
        s.commit()
    return RestoreInfo(src, safety.path, True, entry.counts)


def _last_audit_at(checked: backups.CheckedBackup) -> datetime | None:
    """When the backup's audit log ends (None: it has none)."""
    conn = crypto.connect(checked.store, checked.key) if checked.key else \
        sqlite3.connect(f"file:{checked.store}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT max(at) FROM audit_event").fetchone()
    finally:
        conn.close()
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def _events_after(ctx: ServiceContext, since: datetime | None) -> list[AuditEvent]:
    """The current log's entries newer than the backup's, read before the store is replaced."""
    with ctx.session() as s:
        q = select(AuditEvent).order_by(AuditEvent.id)
        if since is not None:
            q = q.where(AuditEvent.at > since)
        events = list(s.scalars(q))
        s.expunge_all()
    return events


def _carry_over(s, events: list[AuditEvent]) -> None:
    """Append the entries made after the backup to the restored log: history is never undone.

    Each keeps its user, action and records; the detail says when it first happened and
    under which number, so 「このケースを見た人」 and filters still find it.
    """
    for ev in events:
        detail = json.loads(ev.detail_json or "{}")
        detail.update(carried_from_id=ev.id, carried_from_at=ev.at.isoformat(timespec="seconds"),
                      carried_from_hash=ev.hash[:16])
        ids = [i for i in ev.target_ids.split(",") if i]
        kept = {k: v for k, v in detail.items() if k not in _RECORD_ARGS}
        audit.record(s, Actor(ev.user_name, "", ""), ev.action, ev.target_type, ids, **kept)


_RECORD_ARGS = {"session", "actor", "action", "target_type", "target_ids"}
