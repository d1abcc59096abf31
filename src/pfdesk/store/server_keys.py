"""The file key of a server store, kept in the database wrapped for each pfdesk user.

A data file's attachments are encrypted under its store key, which only the PC's users'
passwords open (``keys.json``). A store on a PostgreSQL server has no such file: its
attachments (in the ``attachment_blob`` table and in each PC's attachments folder) are
encrypted under a *file key* kept here, in the ``setting`` row :data:`SETTING`, in the
same form as the identity key of ``keys.json`` (:class:`pfdesk.store.crypto.KeyFile`):
each user has an X25519 key pair whose private half is wrapped under their password, and
the file key is wrapped to each active user's public half. Neither the server's
administrator nor a copy of the database can open the files without a pfdesk password.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sqlalchemy.orm import Session

from pfdesk.store.crypto import KeyFile
from pfdesk.store.models import Setting

SETTING = "server.file_keys"


def load(session: Session) -> KeyFile:
    """The wrapped keys kept on the server (empty before the first sign-in)."""
    row = session.get(Setting, SETTING)
    data = json.loads(row.value_json) if row is not None and row.value_json else {}
    return KeyFile(path=Path(os.devnull), identity=dict(data or {}))


def save(session: Session, kf: KeyFile) -> None:
    """Keep ``kf``'s wrapped keys in the caller's unit of work."""
    text = json.dumps(kf.identity, ensure_ascii=False, sort_keys=True)
    row = session.get(Setting, SETTING)
    if row is None:
        session.add(Setting(key=SETTING, value_json=text))
    else:
        row.value_json = text
    session.flush()
