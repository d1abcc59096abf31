"""SQLite's failures, sorted once into errors the user can act on.

Every database error raised through a pfdesk engine passes :func:`translate`
(hooked into SQLAlchemy's ``handle_error`` in ``store.engine``): a busy or locked
store, a full disk, a read-only folder, an I/O error, a damaged file or a file that
is not a database each become a :class:`~pfdesk.core.errors.KnownError` naming the
file and saying what to do. Anything else (a constraint the program broke) stays
a bug: it is logged with its traceback by the caller and shown once.
"""

from __future__ import annotations

import errno
import logging
import re
import sqlite3
from pathlib import Path

from pfdesk.core.errors import KnownError, StoreError, StoreUnusable
from pfdesk.core.i18n import _

log = logging.getLogger(__name__)


class StoreBusy(StoreError):
    """Another program (or another pfdesk) holds the store's write lock too long."""


class StoreIncomplete(StoreError):
    """A table of the store is gone (removed by hand outside pfdesk)."""

    def __init__(self, message: str, *, table: str, hint: str = "", where: str = "") -> None:
        super().__init__(message, hint=hint, where=where)
        self.table = table


# SQLite's primary result codes (the low byte of an extended code).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26

# Drivers without ``sqlite_errorcode`` (older pysqlite forks such as sqlcipher3) are
# sorted by SQLite's own message texts, which are stable across versions.
_BY_TEXT = (
    ("database is locked", SQLITE_BUSY),
    ("database table is locked", SQLITE_LOCKED),
    ("database or disk is full", SQLITE_FULL),
    ("attempt to write a readonly database", SQLITE_READONLY),
    ("readonly database", SQLITE_READONLY),
    ("disk i/o error", SQLITE_IOERR),
    ("database disk image is malformed", SQLITE_CORRUPT),
    ("file is not a database", SQLITE_NOTADB),
    ("file is encrypted or is not a database", SQLITE_NOTADB),
    ("unable to open database file", SQLITE_CANTOPEN),
)


def primary_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of a DB-API error, or None when it is not SQLite's."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    for needle, value in _BY_TEXT:
        if needle in text:
            return value
    return None


def _holders_text(root: Path | None) -> str:
    if root is None:
        return ""
    from pfdesk.store.presence import others

    names = [h.describe() for h in others(root)]
    if not names:
        return _("ほかの pfdesk は見当たりません。Excel やバックアップソフトがデータのフォルダーを"
                 "開いていないか確かめてください。")
    return _("使用中: {who}").format(who="、".join(names))


def translate(exc: BaseException, db_path: Path | None) -> KnownError | None:
    """The known error for a DB-API exception raised on the store ``db_path``, or None."""
    if isinstance(exc, KnownError):
        return exc
    if not isinstance(exc, sqlite3.Error) and type(exc).__module__.split(".")[0] not in (
        "sqlcipher3", "pysqlcipher3",
    ):
        return None
    code = primary_code(exc)
    where = str(db_path) if db_path else ""
    root = db_path.parent if db_path else None
    missing = re.search(r"no such table: (\w+)", str(exc))
    if missing:
        return StoreIncomplete(
            _("データの一部（表「{table}」）がなくなっています。pfdesk の外で書き換えられた"
              "おそれがあります。").format(table=missing.group(1)),
            table=missing.group(1), where=where,
            hint=_("「pfdesk check」で点検し、バックアップから復元してください"
                   "（「pfdesk recover-store」）。管理者に経緯を確認してください。"))
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return StoreBusy(
            _("ほかの操作がデータを使用中のため、しばらく待っても保存・読み込みできませんでした。"
              "入力した内容はまだ保存されていません。"),
            where=where,
            hint=" ".join(filter(None, (
                _holders_text(root),
                _("その操作が終わるのを待ってから、もう一度お試しください。"),
            ))),
        )
    if code == SQLITE_FULL:
        return StoreError(
            _("ディスクの空き容量が足りないため、データを保存できませんでした。"
              "入力した内容はまだ保存されていません。"),
            where=where,
            hint=_("不要なファイルを削除して空き容量を増やしてから、もう一度お試しください。"),
        )
    if code == SQLITE_READONLY:
        return StoreError(
            _("データのフォルダーが読み取り専用のため、データを保存できません。"),
            where=where,
            hint=_("フォルダーやファイルの「読み取り専用」を外すか、書き込みできる場所に"
                   "データを移してください。分からなければシステム担当者に相談してください。"),
        )
    if code == SQLITE_IOERR:
        return StoreError(
            _("ディスクの読み書きに失敗しました。"),
            where=where,
            hint=_("USB メモリやネットワークドライブが外れていないか確かめてから、pfdesk を"
                   "起動し直してください。繰り返すときは「pfdesk check」で点検してください。"),
        )
    if code == SQLITE_CANTOPEN:
        return StoreError(
            _("データファイルを開けません。"),
            where=where,
            hint=_("データのフォルダーがあるか、書き込みの権限があるかを確かめてください。"),
        )
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return StoreUnusable(
            _("データファイルが壊れています。"),
            reason="damaged", root=str(root or ""), where=where,
            hint=_("pfdesk を起動し直すと、復元の画面からバックアップを選んで元に戻せます"
                   "（コマンドでは「pfdesk recover-store」）。壊れたファイルは消さずに残します。"),
        )
    return None


def folder_error(exc: OSError, root: Path) -> StoreError:
    """The data folder itself cannot be used (read-only, no permission, gone)."""
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreError(
            _("データのフォルダーが読み取り専用か、書き込みの権限がないため、データを開けません。"),
            where=str(exc.filename or root),
            hint=_("フォルダーやファイルの「読み取り専用」を外すか、書き込みできる場所に"
                   "データを移してください。分からなければシステム担当者に相談してください。"),
        )
    if exc.errno == errno.ENOSPC:
        return StoreError(
            _("ディスクの空き容量が足りないため、データを開けません。"),
            where=str(exc.filename or root),
            hint=_("不要なファイルを削除して空き容量を増やしてから、もう一度お試しください。"),
        )
    return StoreError(
        _("データのフォルダーを使えません（{reason}）。").format(reason=exc.strerror or exc),
        where=str(exc.filename or root),
        hint=_("USB メモリやネットワークドライブが外れていないか確かめてください。"),
    )
