"""Attachments of a server store: kept in the database too, so every PC can open them.

A file attached on one PC lands in that PC's attachments folder as always and, on a
server store, its stored bytes go to the ``attachment_blob`` table in the same unit of
work as the record that lists it. Another PC fetches it into its own folder when it is
opened (or at start, for everything it lacks). The bytes are copied as stored: the
content-addressed name (its SHA-256) stays the same on every PC.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from pfdesk.core.atomic import read_error, write_bytes_atomic
from pfdesk.paths import DataPaths
from pfdesk.store import attachment_files
from pfdesk.store.models import AttachmentBlob

log = logging.getLogger(__name__)


def on_server(session: Session) -> bool:
    """Whether ``session`` works on a server store (where attachments are shared)."""
    return session.get_bind().dialect.name == "postgresql"


def upload(session: Session, paths: DataPaths, stored: str) -> bool:
    """Keep the local attachment ``stored`` in the database; False when already there."""
    if session.get(AttachmentBlob, stored) is not None:
        return False
    path = paths.attachments / stored
    try:
        data = path.read_bytes()
    except OSError as e:
        raise read_error(e, path) from e
    session.add(AttachmentBlob(stored_name=stored, data=data))
    session.flush()
    return True


def download(session: Session, paths: DataPaths, stored: str) -> bool:
    """Fetch ``stored`` into this PC's attachments folder; False when the server lacks it."""
    data = session.scalar(select(AttachmentBlob.data).where(AttachmentBlob.stored_name == stored))
    if data is None:
        return False
    paths.attachments.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(paths.attachments / stored, bytes(data))
    return True


def download_missing(engine: Engine, paths: DataPaths, *, decrypt_with: bytes | None = None
                     ) -> int:
    """Fetch every attachment this PC lacks (at start); the number fetched.

    ``decrypt_with``: the server's file key, to write the files plain (a copy of the
    server into a plain data file); otherwise they are kept as the server keeps them.
    """
    with engine.connect() as conn:
        names = list(conn.scalars(select(AttachmentBlob.stored_name)))
        missing = [n for n in names if not (paths.attachments / n).is_file()]
        for name in missing:
            data = conn.scalar(select(AttachmentBlob.data)
                               .where(AttachmentBlob.stored_name == name))
            if data is not None:
                paths.attachments.mkdir(parents=True, exist_ok=True)
                data = bytes(data)
                if decrypt_with is not None:
                    data = attachment_files.unseal(data, decrypt_with, where=name)
                write_bytes_atomic(paths.attachments / name, data)
    if missing:
        log.info("fetched %d attachments from the server", len(missing))
    return len(missing)


def upload_folder(session: Session, folder: Path, store_key: bytes | None = None) -> int:
    """Keep every attachment of ``folder`` in the database (moving a store onto a server).

    Files of an encrypted data file are decrypted with its ``store_key`` first: the
    server's own file key encrypts them at the next sign-in there
    (services.server_files), since no other key opens on every PC.
    """
    if not folder.is_dir():
        return 0
    count = 0
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        if session.get(AttachmentBlob, path.name) is None:
            data = attachment_files.unseal(path.read_bytes(), store_key, where=str(path))
            session.add(AttachmentBlob(stored_name=path.name, data=data))
            count += 1
    session.flush()
    return count


def forget(session: Session, names: list[str]) -> None:
    """Remove disposed attachments from the database too."""
    if names:
        session.execute(delete(AttachmentBlob).where(AttachmentBlob.stored_name.in_(names)))
