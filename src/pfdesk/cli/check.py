"""``pfdesk check``: the full check of the store file, without opening it for work.

Runs where the store cannot be opened (that is what it is for): the file is
looked at first, then SQLite's ``integrity_check`` and ``foreign_key_check``, the
schema version and the record counts. Nothing is written to the store.
"""

from __future__ import annotations

import sqlite3
import sys

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _


def _db_errors() -> tuple[type[BaseException], ...]:
    try:
        import sqlcipher3
    except ImportError:
        return (sqlite3.DatabaseError,)
    return (sqlite3.DatabaseError, sqlcipher3.DatabaseError)


COUNTED = (
    ("organization", "関係機関"), ("person", "担当者"), ("consultation_case", "ケース"),
    ("contact", "相談"), ("meeting", "会議"), ("audit_event", "操作記録"),
)


def _connect(args, paths):
    from pfdesk.store import crypto

    if not crypto.is_encrypted(paths):
        return sqlite3.connect(f"file:{paths.store}?mode=ro", uri=True)
    from pfdesk.services.accounts import cli_login_name, cli_password, unlock_store_key

    name = cli_login_name(paths, None, getattr(args, "user", None))
    key = unlock_store_key(paths, name, cli_password(name, interactive=True))
    try:
        return crypto.connect(paths.store, key)
    except crypto.WrongSecret as e:
        # The password unwrapped the key, so the file itself is at fault.
        raise KnownError(_("データファイルが壊れています（正しい鍵で開けません）。"),
                         where=str(paths.store),
                         hint=_("「pfdesk recover-store」でバックアップから復元してください。")) from e


def _run(args) -> int:
    from pfdesk.cli._runtime import data_paths
    from pfdesk.store.health import precheck, run_check
    from pfdesk.store.migrate import known_revisions

    paths = data_paths(args)
    from pfdesk.store.url import configured_url, describe

    server = configured_url(getattr(args, "database_url", None))
    if server is not None:
        # The server checks its own pages; the audit log is checked by "audit verify".
        print(_("共有データベース {server} を使う設定です。データの点検はサーバーの管理者が"
                "行います（監査ログは「pfdesk audit verify」で確かめられます）。").format(
                    server=describe(server)))
        return 0
    print(_("点検しています: {path}").format(path=paths.store))
    precheck(paths)
    if not paths.store.exists():
        print(_("データファイルはまだありません（新しいデータフォルダーです）。"))
        return 0
    conn = _connect(args, paths)
    db_errors = _db_errors()
    problems: list[str] = []
    try:
        result = run_check(conn, full=True)
        problems += result.problems
        try:
            revs = {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}
        except db_errors:
            revs = set()
        if not revs:
            problems.append(_("データの版（スキーマ）の記録がありません。"))
        elif revs - known_revisions():
            problems.append(_("より新しいバージョンの pfdesk で作られたデータです。"))
        counts = []
        for table, label in COUNTED:
            try:
                n = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
                counts.append(f"{label} {n:,}")
            except db_errors:
                problems.append(_("表「{label}」を読み取れません。").format(label=label))
    except db_errors as e:
        problems.append(_("データファイルを読み取れません（{reason}）。").format(reason=e))
        counts = []
    finally:
        conn.close()
    if counts:
        print(_("件数: ") + "、".join(counts))
    if problems:
        print(_("問題が見つかりました:"), file=sys.stderr)
        for p in problems[:20]:
            print("  - " + p, file=sys.stderr)
        print(_("「pfdesk recover-store」でバックアップから復元できます。"
                "今のデータファイルは消さずに残します。"), file=sys.stderr)
        return 2
    print(_("問題は見つかりませんでした。"))
    return 0


def register(groups) -> None:
    """Add ``pfdesk check``."""
    p = groups.top.add_parser("check", help=_("データファイルを点検する（壊れていないか）"))
    p.set_defaults(raw_handler=_run)
