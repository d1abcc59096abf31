"""Backup ZIP files: writing them verified and fsync'd, listing them without signing in.

A backup holds ``pfdesk.sqlite3`` (encrypted when the store is), ``keys.json``
(wrapped keys only), the attachments and ``backup.json`` (when, schema revision,
record counts). Listing reads the manifest and checks every member's CRC, so the
recovery screen can show dates and counts without opening any store. Automatic
backups (``pfdesk-auto-…``) are thinned by :func:`rotate`; others are never deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from pfdesk import __version__
from pfdesk.core.atomic import write_bytes_atomic, write_error
from pfdesk.core.errors import FileProblem, KnownError, StoreError
from pfdesk.core.i18n import _
from pfdesk.paths import STORE_FILE, DataPaths
from pfdesk.store import safefile
from pfdesk.store.safefile import StoreFacts

KEYS_FILE = "keys.json"
ATTACHMENTS = "attachments"
MANIFEST = "backup.json"
AUTO_PREFIX = "pfdesk-auto-"
SETTINGS_FILE = "backup-settings.json"


@dataclass(frozen=True)
class BackupSettings:
    """How many automatic backups to keep, and an optional second folder (USB, share)."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12
    second_folder: str = ""
    auto: bool = True


def load_settings(paths: DataPaths) -> BackupSettings:
    """The backup settings of a data folder (readable without opening the store)."""
    f = paths.root / SETTINGS_FILE
    if not f.exists():
        return BackupSettings()
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
        known = {k: data[k] for k in asdict(BackupSettings()) if k in data}
        return BackupSettings(**known)
    except (OSError, ValueError, TypeError):
        return BackupSettings()


def save_settings(paths: DataPaths, settings: BackupSettings) -> None:
    """Write the backup settings all at once."""
    write_bytes_atomic(paths.root / SETTINGS_FILE,
                       json.dumps(asdict(settings), ensure_ascii=False, indent=1).encode("utf-8"))


@dataclass(frozen=True)
class BackupEntry:
    """One backup file as listed: when, what it holds, whether its bytes check out."""

    path: Path
    created: datetime
    encrypted: bool
    counts: dict[str, int] = field(default_factory=dict)
    revision: str = ""
    ok: bool = True
    problem: str = ""

    def counts_text(self) -> str:
        """The record counts in one line (empty when unknown)."""
        return safefile.counts_text(self.counts)

    def label(self) -> str:
        """``2026-12-03 09:15  ケース 12件・…`` for lists."""
        state = "" if self.ok else _("（壊れています: {p}）").format(p=self.problem)
        lock = _("［暗号化］") if self.encrypted else ""
        return f"{self.created:%Y-%m-%d %H:%M}  {lock}{self.counts_text()}{state}"


def backup_name(prefix: str = "pfdesk-", when: datetime | None = None) -> str:
    """``pfdesk-YYYYMMDD-HHMMSS.zip`` (date and time of the backup)."""
    return f"{prefix}{(when or datetime.now()):%Y%m%d-%H%M%S}.zip"


def _manifest(facts: StoreFacts, when: datetime) -> bytes:
    return json.dumps({
        "format": 1, "created": when.isoformat(timespec="seconds"), "app_version": __version__,
        "encrypted": facts.encrypted, "revision": facts.revision, "counts": facts.counts,
    }, ensure_ascii=False, indent=1).encode("utf-8")


def _check_zip(path: Path) -> dict:
    """The manifest of a backup whose every member's CRC checks out; raises otherwise."""
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if STORE_FILE not in names:
                raise KnownError(_("このファイルは pfdesk のバックアップではありません。"),
                                 where=str(path),
                                 hint=_("pfdesk で作ったバックアップ（.zip）を選んでください。"))
            for name in names:
                if name.startswith("/") or ".." in Path(name).parts:
                    raise KnownError(_("バックアップの中身が正しくありません。"), where=str(path))
            bad = z.testzip()
            if bad is not None:
                raise StoreError(_("バックアップが壊れています（{f} が読めません）。").format(f=bad),
                                 where=str(path), hint=_("別のバックアップを選んでください。"))
            return json.loads(z.read(MANIFEST)) if MANIFEST in names else {}
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as e:
        raise FileProblem(_("バックアップを読み込めませんでした。"), where=str(path),
                          hint=_("ファイルが壊れていないか、別のバックアップで試してください。")
                          ) from e


def _place(src: Path, out: Path) -> None:
    """Put the finished ZIP at ``out``: rename on the same disk, else copy under a temp name."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if os.stat(src).st_dev == os.stat(out.parent).st_dev:
            os.replace(src, out)
        else:
            part = out.with_name(f".~{out.name}.partial")
            try:
                shutil.copyfile(src, part)
                safefile.fsync_file(part)
                os.replace(part, out)
            except BaseException:
                part.unlink(missing_ok=True)
                raise
        safefile.fsync_dir(out.parent)
    except OSError as e:
        raise write_error(e, out) from e


def write_backup(paths: DataPaths, copy_store: Callable[[Path], object], out: Path, *,
                 key: bytes | None) -> BackupEntry:
    """Write a verified backup ZIP to ``out``; ``copy_store(dest)`` copies the live store.

    The work happens in a private temp folder inside the data folder, so a kill
    leaves nothing in the destination; the store copy is ``integrity_check``'d
    before it is zipped and every member's CRC after, the ZIP fsync'd.
    """
    when = datetime.now()
    stage = safefile.stage_dir(paths)
    try:
        copy = stage / STORE_FILE
        try:
            copy_store(copy)
        except KnownError:
            raise
        except Exception as e:
            orig = getattr(e, "orig", None) or e  # SQLAlchemy wraps the driver's error
            if not isinstance(orig, safefile.db_errors()):
                raise
            raise safefile.copy_failed(orig, out) from e
        facts = safefile.inspect_store(copy, key)
        zpath = stage / "backup.zip"
        try:
            with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr(MANIFEST, _manifest(facts, when))
                z.write(copy, STORE_FILE)
                if key is not None and paths.keys.exists():
                    z.write(paths.keys, KEYS_FILE)
                if paths.attachments.is_dir():
                    for f in sorted(paths.attachments.rglob("*")):
                        if f.is_file():
                            z.write(f, f"{ATTACHMENTS}/{f.relative_to(paths.attachments)}")
            safefile.fsync_file(zpath)
        except OSError as e:
            raise FileProblem(
                _("バックアップを書き込めませんでした（データフォルダの空き容量が足りない"
                  "可能性があります）。"), where=str(zpath),
                hint=_("不要なファイルを削除して、もう一度お試しください。"),
            ) from e
        _check_zip(zpath)
        _place(zpath, out)
        _check_zip(out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return BackupEntry(out, when, facts.encrypted, facts.counts, facts.revision)


def copy_to_folder(entry: BackupEntry, folder: Path) -> Path:
    """A verified copy of a backup in a second folder (USB drive, network share)."""
    safefile.clean_partial_files(folder)
    out = folder / entry.path.name
    _place_copy(entry.path, out)
    _check_zip(out)
    return out


def _place_copy(src: Path, out: Path) -> None:
    part = out.with_name(f".~{out.name}.partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(src, part)
            safefile.fsync_file(part)
            os.replace(part, out)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        safefile.fsync_dir(out.parent)
    except OSError as e:
        raise write_error(e, out) from e


# --- listing ---------------------------------------------------------------------------------


def _created_of(path: Path, manifest: dict) -> datetime:
    if manifest.get("created"):
        try:
            return datetime.fromisoformat(manifest["created"])
        except ValueError:
            pass
    return datetime.fromtimestamp(path.stat().st_mtime)


def _manifest_only(path: Path) -> dict:
    try:
        with zipfile.ZipFile(path) as z:
            if STORE_FILE not in z.namelist():
                raise KnownError(_("このファイルは pfdesk のバックアップではありません。"),
                                 where=str(path))
            return json.loads(z.read(MANIFEST)) if MANIFEST in z.namelist() else {}
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as e:
        raise FileProblem(_("バックアップを読み込めませんでした。"), where=str(path)) from e


def describe(path: Path, *, verify: bool = True) -> BackupEntry:
    """A backup's date and counts from its manifest, and (``verify``) whether its CRCs check out."""
    try:
        m = _check_zip(path) if verify else _manifest_only(path)
    except KnownError as e:
        try:
            when = datetime.fromtimestamp(path.stat().st_mtime)
        except OSError:
            when = datetime.now()
        return BackupEntry(path, when, False, ok=False, problem=e.message)
    return BackupEntry(path, _created_of(path, m), bool(m.get("encrypted")),
                       dict(m.get("counts", {})), str(m.get("revision", "")))


def identity_generation(path: Path) -> str:
    """Which identity key the backup ``path`` was sealed under ("" when not sealed)."""
    try:
        with zipfile.ZipFile(path) as z:
            data = json.loads(z.read(KEYS_FILE).decode("utf-8"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return ""
    identity = data.get("identity", {})
    return str(identity.get("generation", "")) if identity.get("sealed") else ""


def backup_folders(paths: DataPaths) -> list[Path]:
    """The folders backups are kept in: ``backups`` and the second folder if set."""
    folders = [paths.backups]
    second = load_settings(paths).second_folder
    if second:
        folders.append(Path(second))
    return folders


def list_backups(paths: DataPaths, *, only_ok: bool = False, verify: bool = True
                 ) -> list[BackupEntry]:
    """Every backup ZIP in the backup folders, newest first (same file name listed once).

    ``verify`` reads every byte to check the CRCs (the recovery screen); without it
    only the manifests are read (a quick overview).
    """
    seen: set[str] = set()
    entries: list[BackupEntry] = []
    for folder in backup_folders(paths):
        if not folder.is_dir():
            continue
        for p in sorted(folder.glob("*.zip")):
            if p.name in seen or p.name.startswith(".~"):
                continue
            seen.add(p.name)
            entry = describe(p, verify=verify)
            if entry.ok or not only_ok:
                entries.append(entry)
    return sorted(entries, key=lambda e: e.created, reverse=True)


# --- checking before a restore ---------------------------------------------------------------


@dataclass(frozen=True)
class CheckedBackup:
    """A backup unpacked into a private folder and proven: the store, its keys, attachments."""

    entry: BackupEntry
    store: Path
    keys: Path | None
    attachments: Path | None
    facts: StoreFacts
    key: bytes | None = None


@contextmanager
def unpacked(paths: DataPaths, source: Path,
             key_for: Callable[[Path | None], bytes | None] | None = None
             ) -> Iterator[CheckedBackup]:
    """Unpack and prove ``source`` (CRCs, integrity_check, schema, counts); cleaned up after.

    ``key_for(keys_json)`` gives the key of an encrypted backup (or raises).
    Nothing outside the private temp folder is touched.
    """
    m = _check_zip(source)
    entry = BackupEntry(source, _created_of(source, m), bool(m.get("encrypted")),
                        dict(m.get("counts", {})), str(m.get("revision", "")))
    stage = safefile.stage_dir(paths)
    try:
        try:
            with zipfile.ZipFile(source) as z:
                z.extractall(stage)
        except (zipfile.BadZipFile, zlib.error, OSError) as e:
            raise FileProblem(_("バックアップを取り出せませんでした（空き容量を確かめて"
                                "ください）。"), where=str(source)) from e
        db = stage / STORE_FILE
        keys = stage / KEYS_FILE if (stage / KEYS_FILE).exists() else None
        from pfdesk.store.crypto import is_encrypted_file

        key = None
        if is_encrypted_file(db):
            if key_for is None:
                raise StoreError(_("暗号化されたバックアップです。パスワードか回復キーが必要です。"),
                                 where=str(source))
            # Always a path in the unpacked folder (beside the store), present or not.
            key = key_for(stage / KEYS_FILE)
        try:
            facts = safefile.inspect_store(db, key)
        except StoreError as e:
            raise StoreError(_("このバックアップは検査に通らないため、復元できません。"),
                             where=str(source), hint=e.message + _(" 別のバックアップを選んでください。")
                             ) from e
        if entry.counts and entry.counts != facts.counts:
            raise StoreError(_("バックアップの件数が記録と一致しないため、復元できません。"),
                             where=str(source), hint=_("別のバックアップを選んでください。"))
        att = stage / ATTACHMENTS
        entry = BackupEntry(source, entry.created, facts.encrypted, facts.counts, facts.revision)
        yield CheckedBackup(entry, db, keys, att if att.is_dir() else None, facts, key)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


# --- rotation --------------------------------------------------------------------------------


def rotate(folder: Path, settings: BackupSettings, now: datetime | None = None) -> list[Path]:
    """Delete automatic backups beyond the newest per day / ISO week / month kept; the deleted.

    Keeps the newest backup of each of the last ``daily`` days that have one, of the
    last ``weekly`` weeks and of the last ``monthly`` months. Never touches backups
    made by hand or before a restore, an upgrade or encryption.
    """
    autos: list[tuple[datetime, Path]] = []
    for p in folder.glob(f"{AUTO_PREFIX}*.zip"):
        try:
            autos.append((datetime.strptime(p.stem[len(AUTO_PREFIX):], "%Y%m%d-%H%M%S"), p))
        except ValueError:
            continue
    autos.sort(reverse=True)
    keep: set[Path] = set()
    for count, bucket in ((settings.daily, lambda d: d.date()),
                          (settings.weekly, lambda d: d.isocalendar()[:2]),
                          (settings.monthly, lambda d: (d.year, d.month))):
        seen: list[object] = []
        for when, p in autos:
            b = bucket(when)
            if b in seen:
                continue
            if len(seen) >= max(0, count):
                break
            seen.append(b)
            keep.add(p)
    if autos:
        keep.add(autos[0][1])  # the newest is always kept
    deleted = [p for _w, p in autos if p not in keep]
    for p in deleted:
        p.unlink(missing_ok=True)
    if deleted:
        safefile.fsync_dir(folder)
    return deleted


def has_auto_backup_on(folder: Path, day: datetime) -> bool:
    """Whether an automatic backup was made on ``day``."""
    return any(folder.glob(f"{AUTO_PREFIX}{day:%Y%m%d}-*.zip"))


# --- putting a backup in place ---------------------------------------------------------------


def replace_from_backup(paths: DataPaths, checked: CheckedBackup, *,
                        current_key: bytes | None, op: str = "restore",
                        set_aside: bool = False) -> tuple[bytes | None, Path | None]:
    """Put a proven backup in place of the (closed) store; the key it opens with now.

    A plain backup restored into an encrypted folder is encrypted under
    ``current_key`` on the way. With ``set_aside`` the current store file is kept as
    ``pfdesk.sqlite3.damaged-YYYYMMDD-HHMMSS`` (returned), never deleted.
    """
    from pfdesk.store.crypto import export_copy

    root = paths.root
    with safefile.replace_lock(paths):
        safefile.refuse_if_open_elsewhere(paths)
        safefile.discard_staged(paths)
        staged = root / safefile.STAGED_STORE
        keys_staged = False
        if checked.facts.encrypted:
            safefile.copy_durable(checked.store, staged)
            if checked.keys is not None:
                safefile.copy_durable(checked.keys, root / safefile.STAGED_KEYS)
                keys_staged = True
            final_key = checked.key
        elif current_key is not None:
            export_copy(checked.store, staged, source_key=None, dest_key=current_key)
            safefile.fsync_file(staged)
            final_key = current_key
        else:
            safefile.copy_durable(checked.store, staged)
            final_key = None
        proof = safefile.inspect_store(staged, final_key)
        if proof.counts != checked.facts.counts:
            safefile.discard_staged(paths)
            raise StoreError(_("復元用に複製したデータの件数が一致しないため、中止しました。"
                               "今のデータは元のままです。"), where=str(checked.entry.path))
        if checked.attachments is not None:
            safefile.copy_tree_durable(checked.attachments, root / safefile.STAGED_ATTACHMENTS)
        safefile.fsync_dir(root)
        aside = safefile.set_aside_name(paths) if set_aside else ""
        while aside and (root / aside).exists():  # never overwrite a file kept earlier
            aside += "-1"
        safefile.commit(paths, safefile.Replacement(
            op, keys=keys_staged, attachments=checked.attachments is not None,
            old_store=aside, keep_old=set_aside, forget_audit_head=True))
    kept = root / aside if set_aside and (root / aside).exists() else None
    return final_key, kept
