"""Backups of a server store that pfdesk itself can restore (a logical export).

A backup of the server is the same ZIP as a data file's: every row of every table
(attachments included, in ``attachment_blob``) copied into a data file encrypted
(SQLCipher) under the server's file key (services.server_files), so only a signed-in
pfdesk user can make or read one. Restoring proves the backup, takes a backup of the
server as it is, and then replaces every row in **one** transaction on the server: a
failure or a kill at any point leaves the server as it was. The server's wrapped file
keys are kept as they are now (passwords changed since the backup still open them); the
entries written to the audit log after the backup are carried over, as on a data file.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select, text
from sqlalchemy.engine import Connection

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.paths import DataPaths
from pfdesk.store import attachment_files, backups, server_keys
from pfdesk.store.models import Setting

log = logging.getLogger(__name__)


def require_file_key(key: bytes | None) -> bytes:
    """The server's file key of this session, or the reason there is none."""
    if key is None:
        raise KnownError(
            _("共有データベースのバックアップ・復元には、サインインした利用者の添付ファイルの鍵が"
              "必要です。"),
            hint=_("管理者としてサインインしてから実行してください（コマンドでは --user と "
                   "PFDESK_PASSWORD）。鍵がまだ渡されていない場合は、鍵を持つ利用者が一度"
                   "サインインすると渡ります。"))
    return key


def copy_server(engine: Engine, dest: Path, key: bytes) -> None:
    """Every row of the server ``engine`` into a new data file ``dest`` encrypted under ``key``."""
    from pfdesk.store.engine import make_engine
    from pfdesk.store.migrate import upgrade_store
    from pfdesk.store.pg_copy import copy_rows

    target = make_engine(dest, key=key)
    try:
        upgrade_store(target, DataPaths(dest.parent))  # a new file: the newest schema
        copy_rows(engine, target)
    finally:
        target.dispose()


def _keep_file_keys(value: str | None):
    def finish(conn: Connection) -> None:
        conn.execute(delete(Setting).where(Setting.key == server_keys.SETTING))
        if value is not None:
            conn.execute(insert(Setting).values(key=server_keys.SETTING, value_json=value,
                                                updated_at=datetime.utcnow()))
    return finish


def replace_rows(engine: Engine, checked: backups.CheckedBackup, key: bytes) -> dict[str, int]:
    """Replace every row of the server by the proven backup's, in one transaction."""
    from pfdesk.store.engine import make_engine
    from pfdesk.store.migrate import upgrade_store
    from pfdesk.store.pg_copy import copy_rows

    with engine.connect() as conn:
        current = conn.execute(select(Setting.value_json).where(
            Setting.key == server_keys.SETTING)).scalar()
    source = make_engine(checked.store, key=checked.key)
    try:
        upgrade_store(source, DataPaths(checked.store.parent))  # an older backup, brought up
        with source.begin() as conn:
            _blobs_from_folder(conn, checked.attachments, key)
        return copy_rows(source, engine, replace=True, finish=_keep_file_keys(current))
    finally:
        source.dispose()


def _blobs_from_folder(conn: Connection, folder: Path | None, key: bytes) -> int:
    """A data file's backup keeps its files beside the rows: into its blob table first.

    Plain files are encrypted under the server's file key on the way.
    """
    if folder is None or not folder.is_dir():
        return 0
    have = set(conn.execute(text("SELECT stored_name FROM attachment_blob")).scalars())
    added = 0
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.name not in have):
        data = path.read_bytes()
        if not attachment_files.is_sealed(data):
            data = attachment_files.seal(data, key)
        conn.execute(text("INSERT INTO attachment_blob (stored_name, data, created_at) "
                          "VALUES (:n, :d, :t)"),
                     {"n": path.name, "d": data, "t": datetime.utcnow()})
        added += 1
    return added
