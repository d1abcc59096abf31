"""Opening a store: the SQLite engine with its pragmas, migrated to the current schema."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from pfdesk.paths import DataPaths

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


def _set_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    # WAL lets the window read while a background task writes; foreign keys are
    # off by default in SQLite and must be enabled on every connection.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


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
    engine = create_engine(url, future=True, hide_parameters=True, **kwargs)
    event.listen(engine, "connect", _set_pragmas)
    return engine


@dataclass
class Store:
    """An open store: its folder, engine and session factory."""

    paths: DataPaths
    engine: Engine
    is_demo: bool = False
    key: bytes | None = field(default=None, repr=False)
    _factory: sessionmaker = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._factory = sessionmaker(self.engine, expire_on_commit=False, future=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed by the caller, rolled back on error, always closed."""
        s = self._factory()
        try:
            yield s
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def reopen(self, *, key: bytes | None) -> None:
        """Open the file again (after it was converted), e.g. now encrypted under ``key``.

        Everyone holding this Store keeps working with the new engine.
        """
        self.engine.dispose()
        self.engine = make_engine(self.paths.store, key=key)
        self.key = key
        self._factory = sessionmaker(self.engine, expire_on_commit=False, future=True)

    def close(self) -> None:
        """Release the file (checkpoints the WAL)."""
        self.engine.dispose()


def open_store(
    paths: DataPaths, *, is_demo: bool = False, creator=None, key: bytes | None = None
) -> Store:
    """Open (creating or upgrading as needed) the store in ``paths``.

    Refuses a store written by a newer pfdesk; backs an older one up before upgrading.
    """
    from pfdesk.store.migrate import upgrade_store

    paths.ensure()
    if not paths.store.exists():
        # A new store starts a new audit log: a head left by an earlier store in this
        # folder (deleted by hand) must not be taken for deleted entries of this one.
        paths.audit_head.unlink(missing_ok=True)
    engine = make_engine(paths.store, creator=creator, key=key)
    upgrade_store(engine, paths)
    return Store(paths=paths, engine=engine, is_demo=is_demo, key=key)
