"""Opening a store: the SQLite engine with its pragmas, migrated to the current schema.

Durability and concurrency are settled here, once: every commit is on disk before
it returns (``synchronous=FULL`` in WAL mode), every transaction takes the write
lock up front (``BEGIN IMMEDIATE``, so two writers queue instead of failing half
way), and every SQLite failure is turned into a known error by ``store.errors``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from pfdesk.core.errors import KnownError
from pfdesk.paths import DataPaths
from pfdesk.store import errors, presence

log = logging.getLogger(__name__)

# session.info key of a unit of work nested in another on the same thread (see Store.session)
OUTER_SESSION = "pfdesk_outer_session"

# SQLite's busy handler waits with growing pauses up to this long for another
# writer to finish before the wait becomes a StoreBusy message naming the holder.
BUSY_TIMEOUT_MS = 15_000


def _set_pragmas(dbapi_connection, _record) -> None:
    # pfdesk issues BEGIN itself (see _begin_immediate): the driver must not.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    # WAL lets the window read while a background task writes; foreign keys are
    # off by default in SQLite and must be enabled on every connection.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # FULL: the WAL is synced at every commit, so a commit that returned survives a
    # power cut (NORMAL may lose the last ones, and with them what audit-head.json says).
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


#: Page cache of an encrypted store, in KiB: every page read from the file is decrypted,
#: so the pages the home page and statistics read over and over must stay in memory
#: (SQLite's default 2 MB made the home summary 2.7x slower than on a plain store at
#: 30,000 cases; 32 MB brings it level). The cache grows only as pages are read.
CIPHER_CACHE_KIB = 32_768


def _cipher_page_cache(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA cache_size=-{CIPHER_CACHE_KIB}")
    cur.close()


def _begin_immediate(conn) -> None:
    # The write lock up front: a transaction that reads then writes (a serial, the
    # audit chain) can no longer find its snapshot stale when it starts to write.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _db_path(engine: Engine) -> Path | None:
    if engine.url.get_backend_name() != "sqlite":
        return None  # a server store (store.pg): no file of its own
    db = engine.url.database
    return Path(db) if db and db != ":memory:" else None


def _known_error(context) -> KnownError | None:
    return errors.translate(context.original_exception, _db_path(context.engine))


def translate_error(exc: BaseException, engine: Engine) -> KnownError | None:
    """The known error for a failure raised while opening or using ``engine``'s file."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    return errors.translate(original, _db_path(engine)) if original is not None else None


def make_engine(db_path: Path | str, *, creator=None, key: bytes | None = None) -> Engine:
    """An engine on ``db_path`` with pfdesk's pragmas on every connection.

    ``creator`` lets a caller supply its own DB-API connection; ``key`` opens an
    encrypted (SQLCipher) store with its raw key.
    """
    url: str | URL = "sqlite://" if str(db_path) == ":memory:" else f"sqlite:///{db_path}"
    if key is not None:
        # A raw hex key: SQLCipher skips its per-connection key derivation.
        url = URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'",
                         database=str(db_path))
    kwargs = {"creator": creator} if creator else {}
    # hide_parameters: a failing statement's values (names, notes) never reach a log.
    engine = create_engine(url, future=True, hide_parameters=True, **kwargs)
    event.listen(engine, "connect", _set_pragmas)
    if key is not None:
        event.listen(engine, "connect", _cipher_page_cache)
    event.listen(engine, "begin", _begin_immediate)
    event.listen(engine, "handle_error", _known_error, retval=True)
    return engine


def overwrite_deleted(session: Session) -> None:
    """Have what this unit of work deletes or blanks overwritten in the file, not left in it.

    SQLite's ``secure_delete``; a server store's freed pages are the server's to reuse
    (its administrator runs VACUUM), so nothing is asked of it here.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))


@dataclass
class Store:
    """An open store: its folder, engine and session factory."""

    paths: DataPaths
    engine: Engine
    is_demo: bool = False
    key: bytes | None = field(default=None, repr=False)
    # On a server: the key of the attachments, opened at sign-in (services.server_files).
    server_file_key: bytes | None = field(default=None, repr=False)
    # What the start found and did (an interrupted operation finished, a check after a
    # crash), in Japanese, for the window or the command to tell the user once.
    notices: list[str] = field(default_factory=list)
    _factory: sessionmaker = field(init=False, repr=False)
    _presence: Path | None = field(default=None, init=False, repr=False)
    _local: threading.local = field(default_factory=threading.local, init=False, repr=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False, future=True)
        if _db_path(self.engine) is not None:
            self._presence = presence.register(self.paths.root)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed by the caller, rolled back on error, always closed.

        A unit started inside another on the same thread joins the outer one's
        transaction as a savepoint: on a second connection it would wait for the write
        lock the outer one holds. Its commit becomes durable with the outer commit.
        """
        outer: Session | None = getattr(self._local, "session", None)
        if outer is not None:
            s = Session(bind=outer.connection(), join_transaction_mode="create_savepoint",
                        expire_on_commit=False)
            s.info[OUTER_SESSION] = outer
        else:
            s = self._factory()
            self._local.session = s
        try:
            yield s
        except BaseException:
            s.rollback()
            raise
        finally:
            if outer is None:
                self._local.session = None
            s.close()

    @property
    def is_server(self) -> bool:
        """Whether the records live on a PostgreSQL server (store.pg), not in the file."""
        return self.engine.url.get_backend_name() == "postgresql"

    @property
    def file_key(self) -> bytes | None:
        """The key attachments are encrypted under (store.attachment_files), if any.

        A data file's store key; on a server, the file key the signed-in user was granted.
        """
        return self.server_file_key if self.is_server else self.key

    def require_file(self, what: str) -> None:
        """Refuse ``what`` (a feature of the data file, e.g. 暗号化) on a server store."""
        if self.is_server:
            from pfdesk.core.i18n import _

            raise KnownError(
                _("「{what}」はこのパソコンのデータファイルのための機能です。共有データベース"
                  "（サーバー）のデータには使えません。").format(what=what),
                hint=_("サーバーのデータの保護・バックアップ・移動は、サーバーの管理者が行います"
                       "（docs/postgresql.md）。データファイルに戻すには「pfdesk migrate-store "
                       "--to-folder」を使います。"))

    def checkpoint(self) -> None:
        """Copy the WAL into the store file and empty it (outside any transaction)."""
        if self.is_server:
            return  # the server keeps its own write-ahead log
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cur.close()
        finally:
            raw.close()

    def reopen(self, *, key: bytes | None) -> None:
        """Open the file again (after it was converted), e.g. now encrypted under ``key``.

        Everyone holding this Store keeps working with the new engine.
        """
        from pfdesk.store import vault

        kept = vault.state(self.engine)
        self.engine.dispose()
        self.engine = make_engine(self.paths.store, key=key)
        vault.bind(self.engine, active=kept.active, key=kept.key)
        self.key = key
        self._factory = sessionmaker(self.engine, expire_on_commit=False, future=True)

    def close(self) -> None:
        """Release the file (checkpoints the WAL); a clean stop leaves no entry behind.

        The last pfdesk to close also removes the decrypted attachment copies it handed
        to a viewer.
        """
        self.engine.dispose()
        presence.unregister(self._presence)
        self._presence = None
        on_file = _db_path(self.engine) is not None
        if (self.key is not None and on_file and not presence.others(self.paths.root)) \
                or (self.server_file_key is not None and not on_file):
            from pfdesk.store.attachment_files import clear_open_copies

            clear_open_copies(self.paths)


def _check_after_unclean_stop(engine: Engine, paths: DataPaths) -> str | None:
    """``quick_check`` when an earlier pfdesk stopped without closing the store."""
    from pfdesk.core.errors import StoreUnusable
    from pfdesk.core.i18n import _
    from pfdesk.store.health import run_check

    gone = presence.unclean_stops(paths.root)
    if not gone or not paths.store.exists():
        presence.clear(gone)
        return None
    raw = engine.raw_connection()
    try:
        result = run_check(raw.driver_connection, full=False)
    finally:
        raw.close()
    if not result.ok:
        log.error("quick_check after an unclean stop found %d problems", len(result.problems))
        raise StoreUnusable(
            _("前回 pfdesk が正しく終了しなかったため点検したところ、データファイルが壊れていました。"),
            reason="damaged", root=str(paths.root), where=str(paths.store),
            hint=_("データは消していません。復元の画面（コマンドでは「pfdesk recover-store」）で、"
                   "バックアップを選んで元に戻せます。"))
    presence.clear(gone)
    log.info("store checked after an unclean stop: ok")
    return _("前回 pfdesk が正しく終了しなかったため、データファイルを点検しました。問題はありません。")


def open_store(
    paths: DataPaths, *, is_demo: bool = False, creator=None, key: bytes | None = None
) -> Store:
    """Open (creating or upgrading as needed) the store in ``paths``.

    Refuses a store written by a newer pfdesk; backs an older one up before upgrading.
    Never makes a new empty store in a folder that has held one (StoreUnusable instead);
    finishes or undoes an operation a crash interrupted; checks the file after a crash.
    """
    from pfdesk.store.health import ready_to_open
    from pfdesk.store.migrate import upgrade_store

    notices: list[str] = []
    if creator is None:
        finished = ready_to_open(paths)
        if finished:
            notices.append(finished)
    else:
        paths.ensure()
    new = not paths.store.exists() or paths.store.stat().st_size == 0
    engine = make_engine(paths.store, creator=creator, key=key)
    try:
        if creator is None:
            checked = _check_after_unclean_stop(engine, paths)
            if checked:
                notices.append(checked)
        upgrade_store(engine, paths)
    except BaseException as e:
        engine.dispose()
        known = translate_error(e, engine)
        if known is not None and known is not e:
            raise known from e
        raise
    if new and creator is None:
        presence.mark_created(paths.root)
    if key is not None and creator is None:
        # Attachments follow the store into encryption (and an interrupted conversion
        # is finished here); decrypted copies a crash left behind are removed.
        from pfdesk.store import attachment_files

        attachment_files.encrypt_folder(paths, key)
        if not presence.others(paths.root):
            attachment_files.clear_open_copies(paths)
    if key is not None:
        # Sealed identities (store.vault): readable once an entitled user signs in.
        from pfdesk.store import crypto, vault

        vault.bind(engine, active=crypto.KeyFile.load(paths).sealed, key=None)
    return Store(paths=paths, engine=engine, is_demo=is_demo, key=key, notices=notices)

