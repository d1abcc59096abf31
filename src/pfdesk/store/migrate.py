"""Schema upgrades with Alembic: refuse newer stores, back up older ones, then upgrade.

Alembic is imported only when a store needs more than the check: a store already at the
newest revision is recognized by reading ``alembic_version`` with plain SQL and the
revisions declared in the migration scripts' text (start-up saves loading alembic and
every migration module).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from pfdesk.core.errors import StoreError
from pfdesk.core.i18n import _
from pfdesk.paths import DataPaths
from pfdesk.store import errors

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic config pointing at pfdesk's migration scripts (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def script_heads() -> set[str]:
    """The newest revision(s) this version of pfdesk knows."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def known_revisions() -> set[str]:
    """Every revision this version of pfdesk knows."""
    from alembic.script import ScriptDirectory

    return {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revisions(engine: Engine) -> set[str]:
    """The revision(s) the store was last upgraded to (empty for a new store)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")


def declared_heads() -> set[str]:
    """The newest revision(s), read from the scripts' text without importing alembic.

    Same answer as :func:`script_heads` (a test compares them); empty if a script cannot
    be read this way, so the caller falls back to alembic.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev is None or down is None:
            return set()
        revisions.add(rev.group(1))
        parents.update(_QUOTED.findall(down.group(1)))
    return revisions - parents


def stored_revisions(engine: Engine) -> set[str]:
    """``alembic_version`` read with plain SQL (empty for a new store)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return set()
        return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}


def backup_file(engine: Engine, dest: Path) -> Path:
    """Copy the live store to ``dest`` with SQLite's online backup (consistent under WAL).

    An encrypted store is copied encrypted under the same key.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    if engine.url.drivername.endswith("pysqlcipher"):
        from pfdesk.store.crypto import export_copy, key_from_url

        key = key_from_url(engine.url)
        database = engine.url.database
        if not database:
            raise StoreError(_("データファイルの場所がわからないため、複製できませんでした。"),
                             where=str(dest))
        return export_copy(Path(database), dest, source_key=key, dest_key=key)
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        if driver is None:
            raise StoreError(_("データファイルへの接続が切れたため、複製できませんでした。"),
                             where=str(dest), hint=_("pfdesk を起動し直してください。"))
        target = sqlite3.connect(dest)
        try:
            driver.backup(target)
        except sqlite3.Error as e:
            # A full disk or a read-only folder at the copy: a message, and no half copy.
            target.close()
            Path(dest).unlink(missing_ok=True)
            known = errors.translate(e, Path(dest))
            if known is None:
                raise
            raise known from e
        finally:
            target.close()
    finally:
        raw.close()
    return dest


def _drop_limited_views(conn) -> bool:
    from pfdesk.store.pg_roles import drop_views

    return drop_views(conn)


def upgrade_store(engine: Engine, paths: DataPaths) -> None:
    """Bring the store to the newest schema, or refuse it with a clear message."""
    if (declared := declared_heads()) and stored_revisions(engine) == declared:
        return  # at the newest revision: nothing for alembic to do
    from alembic import command

    current = current_revisions(engine)
    heads = script_heads()
    unknown = current - known_revisions()
    server = engine.url.get_backend_name() != "sqlite"
    if unknown:
        from pfdesk.store.url import describe

        raise StoreError(
            _("このデータは、より新しいバージョンの pfdesk で作成・更新されています。"),
            where=describe(engine.url) if server else str(paths.store),
            hint=_("新しいバージョンの pfdesk をインストールしてから開いてください。"
                   "データはそのまま残っています。"),
        )
    if current == heads:
        return
    has_tables = bool(inspect(engine).get_table_names())
    if server and (current or has_tables):
        # The server's own backups (pg_dump) are its administrator's; see docs/postgresql.md.
        log.info("upgrading the server store from %s", ",".join(sorted(current)) or "none")
    elif current or has_tables:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        label = "-".join(sorted(current)) or "none"
        dest = paths.backups / f"before-upgrade-{label}-{stamp}.sqlite3"
        backup_file(engine, dest)
        log.info("store backed up to %s before upgrading from %s", dest, label)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        # A server's limited views (store.pg_roles) depend on the tables: dropped for the
        # upgrade and built again from the new schema, in the same transaction.
        roles = server and _drop_limited_views(conn)
        command.upgrade(cfg, "heads")
        if roles:
            from pfdesk.store.pg_roles import install

            install(conn)
    log.info("store upgraded to %s", ",".join(sorted(heads)))
