"""Whole-store replacement that a kill or a power cut at any step cannot half-do.

Restore and encryption replace the store file (and maybe ``keys.json`` and the
attachments) in one go. The protocol, held under a lock file:

1. the new files are written beside the old ones (``pfdesk.sqlite3.new``,
   ``keys.json.new``, ``attachments.new``), fsync'd and verified
   (``integrity_check``, known schema, row counts, opens with its key);
2. a journal ``pfdesk-replace.json`` naming them is written atomically and
   fsync'd: this is the commit point;
3. the old store is renamed aside, the new files renamed into place, the folder
   fsync'd after each rename; then the old files go and the journal last.

On start :func:`recover_interrupted` finishes a journalled replacement (roll
forward) or removes the staged files of one that never reached its journal (roll
back). ``keys.json`` is swapped inside the same journal, so the store and its keys
never disagree.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pfdesk.core.atomic import shred_file, write_bytes_atomic, write_error
from pfdesk.core.errors import StoreError
from pfdesk.core.i18n import _
from pfdesk.paths import STORE_FILE, DataPaths

JOURNAL = "pfdesk-replace.json"
LOCK = "pfdesk-replace.lock"
TMP_DIR = ".pfdesk-tmp"
STAGED_STORE = STORE_FILE + ".new"
STAGED_KEYS = "keys.json.new"
STAGED_ATTACHMENTS = "attachments.new"
LEGACY_PLAIN_OLD = STORE_FILE + ".plain-old"
LEGACY_ENCRYPTING = STORE_FILE + ".encrypting"
# A private temp folder whose owner is gone (or older than this) is stale.
STALE_SECONDS = 6 * 3600

# The record counts shown for a store or a backup, in the order shown.
COUNTED = {
    "cases": "consultation_case",
    "contacts": "contact",
    "meetings": "meeting",
    "organizations": "organization",
    "people": "person",
}
COUNT_LABELS = {
    "cases": _("ケース"),
    "contacts": _("相談記録"),
    "meetings": _("会議"),
    "organizations": _("関係機関"),
    "people": _("担当者"),
}


def fsync_file(path: Path) -> None:
    """Force ``path``'s bytes to the disk."""
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def fsync_dir(folder: Path) -> None:
    """Make renames and new names in ``folder`` durable (POSIX; Windows has no such call)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_durable(src: Path, dst: Path) -> Path:
    """Copy ``src`` to ``dst`` and fsync it (the caller fsyncs the folder)."""
    try:
        shutil.copyfile(src, dst)
        fsync_file(dst)
    except OSError as e:
        with contextlib.suppress(OSError):
            dst.unlink()
        raise write_error(e, dst) from e
    return dst


def copy_tree_durable(src: Path, dst: Path) -> None:
    """Copy the folder ``src`` to ``dst`` with every file and folder fsync'd."""
    try:
        shutil.copytree(src, dst)
        for p in sorted(dst.rglob("*"), reverse=True):
            if p.is_file():
                fsync_file(p)
            elif p.is_dir():
                fsync_dir(p)
        fsync_dir(dst)
    except OSError as e:
        shutil.rmtree(dst, ignore_errors=True)
        raise write_error(e, dst) from e


# --- what a store file holds --------------------------------------------------------------


@dataclass(frozen=True)
class StoreFacts:
    """What a verified store file holds: schema revision and record counts."""

    revision: str
    counts: dict[str, int] = field(default_factory=dict)
    encrypted: bool = False

    def counts_text(self) -> str:
        """E.g. ``ケース 12件・相談記録 40件・会議 3件・関係機関 20件・担当者 31件``."""
        return counts_text(self.counts)


def counts_text(counts: dict[str, int]) -> str:
    """The record counts in one line of Japanese."""
    return "・".join(
        _("{label} {n}件").format(label=COUNT_LABELS[k], n=counts[k]) for k in COUNTED if k in counts
    )


def db_errors() -> tuple[type[BaseException], ...]:
    """The DB-API error classes of the sqlite3 and SQLCipher drivers."""
    errors: list[type[BaseException]] = [sqlite3.Error]
    with contextlib.suppress(ImportError):
        import sqlcipher3

        errors.append(sqlcipher3.Error)
    return tuple(errors)


def copy_failed(exc: BaseException, dest: Path) -> StoreError:
    """A SQLite failure while copying the store to ``dest``, in Japanese (the store is untouched)."""
    from pfdesk.store.errors import SQLITE_FULL, SQLITE_IOERR, SQLITE_READONLY, primary_code

    code = primary_code(exc)
    if code == SQLITE_FULL:
        message = _("ディスクの空き容量が足りないため、データの複製を作れませんでした。"
                    "今のデータはそのままです。")
        hint = _("不要なファイルを削除して空き容量を増やしてから、もう一度お試しください。")
    elif code == SQLITE_READONLY:
        message = _("書き込みできない場所のため、データの複製を作れませんでした。今のデータはそのままです。")
        hint = _("書き込みできるフォルダーを選んでください。")
    elif code == SQLITE_IOERR:
        message = _("ディスクの読み書きに失敗したため、データの複製を作れませんでした。"
                    "今のデータはそのままです。")
        hint = _("空き容量と、USB メモリやネットワークドライブが外れていないかを確かめてください。")
    else:
        message = _("データの複製を作れませんでした（{e}）。今のデータはそのままです。").format(e=exc)
        hint = _("もう一度お試しください。繰り返すときは「pfdesk check」で点検してください。")
    return StoreError(message, where=str(dest), hint=hint)


def damaged(path: Path, detail: str = "") -> StoreError:
    """The error for a store file that does not pass its checks."""
    return StoreError(
        _("データファイルが壊れています（{detail}）。").format(detail=detail or _("検査で異常")),
        where=str(path),
        hint=_("別のバックアップを選んでください。"),
    )


def inspect_store(db: Path, key: bytes | None = None, *, full: bool = True) -> StoreFacts:
    """Check ``db`` (``integrity_check``, or ``quick_check`` with ``full=False``) and count.

    Raises :class:`StoreError` when the file is damaged, is not a pfdesk store, or was
    written by a newer pfdesk; :class:`pfdesk.store.crypto.WrongSecret` when ``key``
    does not open it.
    """
    from pfdesk.store import crypto
    from pfdesk.store.migrate import known_revisions

    if not db.is_file() or db.stat().st_size == 0:
        raise damaged(db, _("空のファイル"))
    encrypted = crypto.is_encrypted_file(db)
    if encrypted and key is None:
        raise StoreError(_("暗号化されたデータファイルです。開くには鍵が必要です。"),
                         where=str(db))
    errors = db_errors()
    try:
        conn = crypto.connect(db, key) if encrypted and key else sqlite3.connect(db)
    except errors as e:
        raise damaged(db, str(e)) from e
    try:
        check = "integrity_check" if full else "quick_check"
        rows = [r[0] for r in conn.execute(f"PRAGMA {check}").fetchall()]
        if rows != ["ok"]:
            raise damaged(db, "; ".join(str(r) for r in rows[:3]))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            raise damaged(db, _("pfdesk のデータではありません"))
        revs = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
        counts = {
            k: (int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) if t in tables else 0)
            for k, t in COUNTED.items()
        }
    except errors as e:
        raise damaged(db, str(e)) from e
    finally:
        conn.close()
    if not revs:
        raise damaged(db, _("スキーマの版がありません"))
    if set(revs) - known_revisions():
        raise StoreError(
            _("このデータは、より新しいバージョンの pfdesk で作成されています。"), where=str(db),
            hint=_("新しいバージョンの pfdesk をインストールしてから復元してください。"),
        )
    return StoreFacts(",".join(sorted(revs)), counts, encrypted)


# --- private temp folders -------------------------------------------------------------------


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # no cheap probe: rely on the age limit
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def stage_dir(paths: DataPaths) -> Path:
    """A new private temp folder inside the data folder (same disk, not the destination)."""
    base = paths.root / TMP_DIR
    base.mkdir(mode=0o700, exist_ok=True)
    folder = base / f"{os.getpid()}-{secrets.token_hex(4)}"
    folder.mkdir(mode=0o700)
    return folder


def clean_stale_temp(paths: DataPaths) -> int:
    """Remove temp folders of pfdesk processes that were killed; how many went."""
    base = paths.root / TMP_DIR
    if not base.is_dir():
        return 0
    gone = 0
    for d in base.iterdir():
        pid_text = d.name.split("-", 1)[0]
        pid = int(pid_text) if pid_text.isdigit() else 0
        try:
            old = time.time() - d.stat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if pid and _alive(pid) and not old:
            continue
        if d.is_dir():
            shutil.rmtree(d, ignore_errors=True)
        else:
            d.unlink(missing_ok=True)
        gone += 1
    return gone


def clean_partial_files(folder: Path) -> int:
    """Remove half-copied backups (``.~NAME.partial``) a killed copy left in ``folder``."""
    if not folder.is_dir():
        return 0
    gone = 0
    for p in folder.glob(".~*.partial"):
        with contextlib.suppress(OSError):
            p.unlink()
            gone += 1
    return gone


#: Seconds the start-up recovery waits for another pfdesk's start-up check to finish.
START_LOCK_WAIT = 10.0


# --- the lock -------------------------------------------------------------------------------


def _try_lock(fh) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


@contextlib.contextmanager
def replace_lock(paths: DataPaths, *, wait: float = 0.0) -> Iterator[None]:
    """Held while a replacement or the start-up recovery runs; released by a kill too.

    ``wait``: how long to wait for another holder. Two pfdesk starting at the same moment
    each run the (millisecond) start-up check and must not refuse each other; a real
    restore or encryption holds the lock far longer and is then reported.
    """
    path = paths.root / LOCK
    fh = open(path, "a+b")  # noqa: SIM115 - held for the whole block
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                _try_lock(fh)
                break
            except OSError as e:
                if time.monotonic() >= deadline:
                    raise StoreError(
                        _("別の pfdesk がデータの復元または暗号化を行っています。"),
                        where=str(paths.root),
                        hint=_("終わるまで待ってから、もう一度開いてください。"),
                    ) from e
                time.sleep(0.05)
        yield
    finally:
        fh.close()


# --- the replacement ------------------------------------------------------------------------


def refuse_if_open_elsewhere(paths: DataPaths) -> None:
    """Stop before a swap while another pfdesk has the store open (it would keep the old file)."""
    from pfdesk.store.presence import others

    holders = others(paths.root)
    if holders:
        raise StoreError(
            _("ほかの pfdesk がこのデータを開いているため、置き換えられません。"),
            where=str(paths.store),
            hint=_("使用中: {who}。その pfdesk を閉じてから、もう一度お試しください。").format(
                who="、".join(h.describe() for h in holders)),
        )


@dataclass(frozen=True)
class Replacement:
    """What a replacement puts in place; every staged file is fsync'd and verified.

    ``old_store`` is the name the current store gets; ``keep_old`` keeps it (a
    damaged store set aside), else it is removed after the swap (overwritten with
    zeros first when ``shred_old``: a plain store replaced by an encrypted one).
    """

    op: str  # "restore", "encrypt" or "recover"
    store: bool = True
    keys: bool = False
    attachments: bool = False
    old_store: str = ""
    keep_old: bool = False
    shred_old: bool = False
    forget_audit_head: bool = False


OP_NAMES = {"restore": _("復元"), "encrypt": _("暗号化"), "recover": _("バックアップからの復旧")}


def commit(paths: DataPaths, rep: Replacement) -> None:
    """Write the journal (the commit point) and put the staged files in place."""
    old = rep.old_store or f"{STORE_FILE}.replaced-{datetime.now():%Y%m%d-%H%M%S}"
    journal = {
        "format": 1, "op": rep.op, "store": rep.store, "keys": rep.keys,
        "attachments": rep.attachments, "old_store": old, "keep_old": rep.keep_old,
        "shred_old": rep.shred_old, "forget_audit_head": rep.forget_audit_head,
        "old_attachments": f"attachments.replaced-{datetime.now():%Y%m%d-%H%M%S}",
    }
    write_bytes_atomic(paths.root / JOURNAL, json.dumps(journal).encode("utf-8"))
    fsync_dir(paths.root)
    _roll_forward(paths, journal)


def _unlink_sidecars(store: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(store) + suffix).unlink(missing_ok=True)


def _roll_forward(paths: DataPaths, j: dict) -> None:
    root = paths.root
    old = root / j["old_store"]
    if j.get("store"):
        staged = root / STAGED_STORE
        if staged.exists():
            if paths.store.exists() and not old.exists():
                os.replace(paths.store, old)
                for suffix in ("-wal", "-shm"):
                    side = Path(str(paths.store) + suffix)
                    if j.get("keep_old") and side.exists():
                        os.replace(side, Path(str(old) + suffix))
                fsync_dir(root)
            # The old store's WAL must never be applied to the new file.
            _unlink_sidecars(paths.store)
            fsync_dir(root)
            os.replace(staged, paths.store)
            fsync_dir(root)
    if j.get("keys"):
        staged_keys = root / STAGED_KEYS
        if staged_keys.exists():
            os.replace(staged_keys, paths.keys)
            fsync_dir(root)
    if j.get("attachments"):
        staged_att = root / STAGED_ATTACHMENTS
        old_att = root / j["old_attachments"]
        if staged_att.exists():
            if paths.attachments.exists() and not old_att.exists():
                os.replace(paths.attachments, old_att)
                fsync_dir(root)
            shutil.rmtree(paths.attachments, ignore_errors=True)
            os.replace(staged_att, paths.attachments)
            fsync_dir(root)
        shutil.rmtree(old_att, ignore_errors=True)
    if j.get("forget_audit_head"):
        # The restored log is older on purpose: its end becomes the new head.
        paths.audit_head.unlink(missing_ok=True)
    if old.exists() and not j.get("keep_old"):
        if j.get("shred_old"):
            shred_file(old, unlink=False)
        old.unlink()
        _unlink_sidecars(old)
    fsync_dir(root)
    (root / JOURNAL).unlink(missing_ok=True)
    fsync_dir(root)


def discard_staged(paths: DataPaths) -> bool:
    """Remove staged files of a replacement that never committed; whether any were there."""
    root = paths.root
    found = False
    for name in (STAGED_STORE, STAGED_KEYS, LEGACY_ENCRYPTING, f".~{STAGED_STORE}.tmp",
                 f".~{LEGACY_ENCRYPTING}.tmp"):
        p = root / name
        if p.exists():
            p.unlink()
            _unlink_sidecars(p)
            found = True
    for pattern in (f".~{STAGED_KEYS}.tmp-*", f".~{JOURNAL}.tmp-*"):
        for p in root.glob(pattern):
            p.unlink(missing_ok=True)
    if (root / STAGED_ATTACHMENTS).exists():
        shutil.rmtree(root / STAGED_ATTACHMENTS, ignore_errors=True)
        found = True
    if found:
        fsync_dir(root)
    return found


def recover_interrupted(paths: DataPaths) -> str | None:
    """Finish or undo a replacement a crash interrupted; a Japanese sentence saying which.

    Call before the store is opened. None when there was nothing to do.
    """
    root = paths.root
    if not root.is_dir():
        return None
    notes: list[str] = []
    with replace_lock(paths, wait=START_LOCK_WAIT):
        journal = root / JOURNAL
        if journal.exists():
            try:
                j = json.loads(journal.read_text(encoding="utf-8"))
            except (OSError, ValueError) as e:
                raise StoreError(_("中断した処理の記録を読めません。"), where=str(journal),
                                 hint=_("pfdesk recover-store でバックアップから復旧してください。")
                                 ) from e
            _roll_forward(paths, j)
            notes.append(_("前回中断した{op}を最後まで行いました。").format(
                op=OP_NAMES.get(j.get("op", ""), j.get("op", ""))))
        else:
            if discard_staged(paths):
                notes.append(_("前回中断した復元・暗号化を取り消しました。データは処理の前の状態です。"))
            legacy = root / LEGACY_PLAIN_OLD
            if legacy.exists() and not paths.store.exists():
                os.replace(legacy, paths.store)
                fsync_dir(root)
                notes.append(_("前回中断した暗号化を取り消し、暗号化前のデータに戻しました。"))
        if clean_stale_temp(paths) + clean_partial_files(paths.backups):
            notes.append(_("前回中断したバックアップの一時ファイルを削除しました。"))
    return "".join(notes) or None


def set_aside_name(paths: DataPaths, when: datetime | None = None) -> str:
    """The name a damaged store is kept under: ``pfdesk.sqlite3.damaged-YYYYMMDD-HHMMSS``."""
    return f"{STORE_FILE}.damaged-{(when or datetime.now()):%Y%m%d-%H%M%S}"
