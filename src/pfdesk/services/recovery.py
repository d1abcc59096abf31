"""Getting a data folder back from a backup when its store cannot be opened.

Works without opening the damaged store and without signing in to it: the
backups are listed from their manifests, the chosen one is proven (an encrypted
one must open with a password or the recovery key kept in the backup itself),
the damaged file is set aside under ``pfdesk.sqlite3.damaged-…`` (never deleted)
and the backup put in its place. The restored store records the recovery in its
audit log.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import ADMIN
from pfdesk.paths import DataPaths
from pfdesk.store import backups, crypto, safefile
from pfdesk.store.backups import BackupEntry

log = logging.getLogger(__name__)


def recovery_backups(paths: DataPaths) -> list[BackupEntry]:
    """The backups of ``paths`` whose bytes check out, newest first."""
    return backups.list_backups(paths, only_ok=True)


def damaged_files(paths: DataPaths) -> list[Path]:
    """Store files set aside earlier (``pfdesk.sqlite3.damaged-…``), newest first."""
    return sorted(paths.root.glob(f"{paths.store.name}.damaged-*[0-9]"), reverse=True)


def key_from_secret(*, user: str | None = None, password: str | None = None,
                    recovery_key: str | None = None) -> Callable[[Path | None], bytes | None]:
    """A key finder for an encrypted backup: the user's password or the recovery key."""
    def key_for(keys: Path | None) -> bytes | None:
        if keys is None or not keys.exists():
            raise KnownError(_("暗号化されたバックアップに鍵ファイル（keys.json）がありません。"),
                             hint=_("別のバックアップを選んでください。"))
        kf = crypto.KeyFile.load(DataPaths(keys.parent))
        try:
            if recovery_key:
                return kf.unwrap_recovery(recovery_key)
            if user and password is not None:
                return kf.unwrap_user(user, password)
        except crypto.WrongSecret as e:
            raise KnownError(e.message, hint=_("バックアップを作ったときのパスワードか、"
                                               "回復キーを入力してください。")) from e
        raise KnownError(_("暗号化されたバックアップです。開くにはパスワードか回復キーが必要です。"),
                         hint=_("利用者名とパスワード（または回復キー）を入力してください。"))
    return key_for


@dataclass(frozen=True)
class RecoveryResult:
    """What a recovery did: the backup restored, where the damaged file was kept."""

    source: Path
    counts: dict[str, int]
    encrypted: bool
    kept: Path | None
    notes: list[str] = field(default_factory=list)

    def message(self) -> str:
        """A few Japanese sentences for the user."""
        lines = [_("バックアップ「{f}」から復旧しました（{c}）。").format(
            f=self.source.name, c=safefile.counts_text(self.counts))]
        if self.kept is not None:
            lines.append(_("壊れていたデータファイルは消さずに「{p}」として残しました。").format(
                p=self.kept))
        lines.extend(self.notes)
        return "\n".join(lines)


def recover_from_backup(paths: DataPaths, source: Path | str, *, user: str | None = None,
                        password: str | None = None, recovery_key: str | None = None
                        ) -> RecoveryResult:
    """Put ``source`` in place of the unusable store, setting the damaged file aside.

    Refuses (changing nothing) a backup that does not pass its checks or that the
    given password / recovery key does not open.
    """
    src = Path(source)
    paths.ensure()
    safefile.recover_interrupted(paths)
    refuse_usable_store(paths)
    notes: list[str] = []
    expected_encrypted = _keys_have_entries(paths)
    with backups.unpacked(paths, src, key_from_secret(user=user, password=password,
                                                      recovery_key=recovery_key)) as checked:
        key, kept = backups.replace_from_backup(paths, checked, current_key=None, op="recover",
                                                set_aside=True)
        entry = checked.entry
    if key is None and expected_encrypted:
        notes.append(_("このバックアップは暗号化されていません。サインイン後、管理 → 暗号化と"
                       "バックアップ から暗号化し直してください。"))
    note = _record(paths, src, key, user, kept)
    if note:
        notes.append(note)
    return RecoveryResult(src, entry.counts, key is not None, kept, notes)


def refuse_usable_store(paths: DataPaths) -> None:
    """Recovery skips signing in, so it is only for a store that cannot be opened.

    A plain store that passes ``quick_check`` is usable: it is restored by an
    administrator who signs in (``pfdesk restore``), with a backup of it first.
    """
    from pfdesk.core.errors import StoreUnusable
    from pfdesk.store.crypto import is_encrypted_file
    from pfdesk.store.health import precheck

    if not paths.store.exists() or is_encrypted_file(paths.store):
        return  # an encrypted one cannot be checked without a key; its backups need one too
    try:
        precheck(paths)  # the same judgement as the start that refused the store
        safefile.inspect_store(paths.store, full=False)
    except (StoreUnusable, KnownError):
        return
    raise KnownError(
        _("データファイルは壊れていないため、サインインなしの復旧は行いません。"),
        where=str(paths.store),
        hint=_("管理者がサインインして復元してください（画面では 管理 → 暗号化とバックアップ、"
               "コマンドでは pfdesk --user 管理者名 restore ファイル名）。"),
    )


def _keys_have_entries(paths: DataPaths) -> bool:
    try:
        return bool(crypto.KeyFile.load(paths).entries)
    except KnownError:
        return True


def _record(paths: DataPaths, src: Path, key: bytes | None, user: str | None,
            kept: Path | None) -> str:
    """The audit entry of the recovery in the restored store; a note if it could not be made."""
    from pfdesk.services import audit
    from pfdesk.services.context import Actor
    from pfdesk.store.engine import open_store

    try:
        store = open_store(paths, key=key)
    except KnownError as e:
        log.warning("restored store did not open for the audit entry: %s", e)
        return _("復旧したデータを開いて記録を残せませんでした: {m}").format(m=e.message)
    try:
        actor = Actor(user or os.environ.get("USERNAME") or os.environ.get("USER") or "recovery",
                      _("復旧"), ADMIN)
        with store.session() as s:
            audit.record(s, actor, "restore.recover", "store", [], file=str(src),
                         damaged_kept=str(kept or ""))
            s.commit()
    finally:
        store.close()
    return ""
