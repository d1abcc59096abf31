"""The store on a PostgreSQL server: the engine, its errors, and opening it.

SQLite takes its write lock at ``BEGIN IMMEDIATE``; here every transaction takes one
transaction-level advisory lock first (``pg_advisory_xact_lock``), so units of work
run one after another across all PCs exactly as they do on one PC: a case number, a
文書番号 or the next link of the audit chain is read and written by one transaction
at a time and can never be handed out twice. The isolation level is READ COMMITTED:
after the lock, a transaction sees everything committed before it.

The local data folder still holds what is per PC (logs, the single-instance lock,
exported files); the records live on the server.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import operators

from pfdesk.core.errors import KnownError, StoreError
from pfdesk.core.i18n import _
from pfdesk.paths import DataPaths
from pfdesk.store import url as store_url
from pfdesk.store.errors import StoreBusy, StoreIncomplete

log = logging.getLogger(__name__)

#: The advisory lock every pfdesk transaction takes (any constant shared by all PCs:
#: "pfdesk" in ASCII).
WRITE_LOCK_KEY = 0x70666465736B
#: How long a transaction waits for another PC's unit of work (as SQLite's busy timeout).
LOCK_TIMEOUT_MS = 15_000
CONNECT_TIMEOUT_S = 10


class AuthFailed(StoreError):
    """The server refused the user name or password."""


class NeedsPassword(AuthFailed):
    """The server asks for a password and none was given (nor saved in the keyring)."""


_NULLS_SET = (operators.nulls_first_op, operators.nulls_last_op)


def _nulls_as_in_sqlite(clause: Any) -> str:
    """What ORDER BY ``clause`` needs to place NULLs where SQLite does (as the smallest)."""
    modifier = getattr(clause, "modifier", None)
    if modifier in _NULLS_SET:
        return ""  # written explicitly: kept as is
    return " NULLS LAST" if modifier is operators.desc_op else " NULLS FIRST"


def _sqlite_null_order(base: type) -> type:
    """``base`` (the dialect's SQL compiler) ordering NULLs as SQLite does.

    PostgreSQL takes NULL as the largest value, SQLite as the smallest: a case list
    sorted by last contact would otherwise put the cases without a contact at the
    other end. Every ORDER BY of a statement gets NULLS FIRST (ascending) or NULLS
    LAST (descending) unless it says so itself.
    """

    class SQLiteNullOrder(base):
        def order_by_clause(self, select: Any, **kw: Any) -> str:
            parts = []
            for clause in select._order_by_clauses:
                sql = clause._compiler_dispatch(self, **kw)
                if sql:
                    parts.append(sql + _nulls_as_in_sqlite(clause))
            return " ORDER BY " + ", ".join(parts) if parts else ""

    return SQLiteNullOrder


def _sqlstate(exc: BaseException) -> str:
    return getattr(exc, "sqlstate", None) or ""


def translate(exc: BaseException, url: URL) -> KnownError | None:
    """The known error for a psycopg failure on the server ``url``, or None (a bug)."""
    if isinstance(exc, KnownError):
        return exc
    if type(exc).__module__.split(".")[0] != "psycopg":
        return None
    where = store_url.describe(url)
    state = _sqlstate(exc)
    message = str(exc)
    lowered = message.lower()
    server = _("サーバーの管理者（システム担当者）に確認してください。")
    if state in ("28P01", "28000") or "password authentication failed" in lowered:
        return AuthFailed(
            _("データベースのサーバーにサインインできませんでした（利用者名かパスワードが"
              "違います）。"), where=where,
            hint=_("設定の画面でデータベースの利用者名とパスワードを入れ直してください。") + server)
    if "no password supplied" in lowered:
        return NeedsPassword(
            _("データベースのサーバーがパスワードを求めていますが、パスワードが保存されて"
              "いません。"), where=where,
            hint=_("設定の画面（共有データベース）でパスワードを保存するか、起動時に入力して"
                   "ください。"))
    if state == "3D000" or re.search(r'database "[^"]*" does not exist', message):
        return StoreError(
            _("データベースのサーバーに、データベース「{db}」がありません。").format(
                db=url.database or ""), where=where,
            hint=_("データベース名が正しいか確かめてください。新しく使い始めるときは、"
                   "サーバーの管理者に空のデータベースを作ってもらってください。"))
    if state in ("55P03", "57014") or "lock timeout" in lowered:
        return StoreBusy(
            _("ほかのパソコンの操作がデータを使用中のため、しばらく待っても保存・読み込み"
              "できませんでした。入力した内容はまだ保存されていません。"), where=where,
            hint=_("その操作が終わるのを待ってから、もう一度お試しください。"))
    if state == "42501":
        return StoreError(
            _("データベースの権限が足りないため、この操作はできません。"), where=where,
            hint=server)
    if state == "42P01":
        missing = re.search(r'relation "(\w+)" does not exist', message)
        table = missing.group(1) if missing else ""
        return StoreIncomplete(
            _("データの一部（表「{table}」）がなくなっています。pfdesk の外で書き換えられた"
              "おそれがあります。").format(table=table), table=table, where=where,
            hint=server)
    if state.startswith("53"):
        return StoreError(_("データベースのサーバーの容量や接続数が足りません。"),
                          where=where, hint=server)
    if state.startswith("08") or not state and (
            "connection" in lowered or "resolve host" in lowered or "timeout" in lowered
            or "server closed" in lowered):
        return StoreError(
            _("データベースのサーバーに接続できません。"), where=where,
            hint=_("サーバー名とポート番号が正しいか、ネットワークにつながっているか、"
                   "サーバーが動いているかを確かめてください。") + server)
    return None


def translate_error(exc: BaseException, engine: Engine) -> KnownError | None:
    """The known error for a failure raised while opening or using ``engine``'s server."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    return translate(original, engine.url) if original is not None else None


def _on_connect(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
    cur.execute("SET TIME ZONE 'UTC'")
    cur.close()
    dbapi_connection.commit()


def _take_write_lock(conn) -> None:
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def make_engine(url: URL) -> Engine:
    """An engine on the server ``url`` with pfdesk's lock and error translation."""
    engine = create_engine(
        url, future=True, hide_parameters=True, isolation_level="READ COMMITTED",
        pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S,
                                          "application_name": "pfdesk"})
    engine.dialect.statement_compiler = _sqlite_null_order(engine.dialect.statement_compiler)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _take_write_lock)

    def _known_error(context):
        return translate(context.original_exception, engine.url)

    event.listen(engine, "handle_error", _known_error, retval=True)
    return engine


def server_version(engine: Engine) -> str:
    """The server's version text (for the log and 設定)."""
    with engine.connect() as conn:
        return str(conn.execute(text("SHOW server_version")).scalar())


def open_server_store(paths: DataPaths, url: URL, *, is_demo: bool = False):
    """Open (creating or upgrading the schema as needed) the store on the server ``url``.

    A server at a schema newer than this pfdesk is refused like a newer SQLite file.
    """
    from pfdesk.store.engine import Store
    from pfdesk.store.migrate import upgrade_store

    paths.ensure()
    engine = make_engine(url)
    try:
        upgrade_store(engine, paths)
    except BaseException as e:
        engine.dispose()
        known = translate_error(e, engine)
        if known is not None and known is not e:
            raise known from e
        raise
    log.info("store opened on %s", store_url.describe(url))
    # The newest audit entry this PC wrote to this server (services.audit.head_path).
    server = hashlib.sha256(store_url.describe(url).encode("utf-8")).hexdigest()[:16]
    engine.pfdesk_audit_head = paths.root / f"audit-head-{server}.json"  # type: ignore[attr-defined]
    from pfdesk.store.shared_files import download_missing

    download_missing(engine, paths)  # files attached on other PCs since this one last ran
    return Store(paths=paths, engine=engine, is_demo=is_demo)


def sync_id_sequence(session, table) -> None:
    """Move ``table``'s id sequence past its highest id (after rows were given ids).

    SQLite takes the next id from the table itself; PostgreSQL from a sequence that
    rows inserted with explicit ids (the demo town, a copied store) do not advance.
    """
    if "id" not in table.c:
        return
    session.execute(text(
        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))


def insert_with_ids(session, table, rows: list[dict]) -> None:
    """Insert ``rows`` that carry their own ids, then keep the id sequence ahead of them."""
    from sqlalchemy import insert

    session.execute(insert(table), rows)
    sync_id_sequence(session, table)
