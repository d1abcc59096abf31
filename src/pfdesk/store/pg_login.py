"""Opening the configured server store with its password, asking for it when needed.

The password is taken from the URL (typed on the command line), else
``PFDESK_DATABASE_PASSWORD`` (batch runs), else the OS keyring. A server that trusts
the PC (peer, certificate, .pgpass) needs none. When the server asks for one that is
not saved, or refuses the saved one, ``ask`` is called once: the command line asks on
the terminal, the window in a dialog. What was typed is kept only in memory.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

from sqlalchemy import URL

from pfdesk.core.i18n import _
from pfdesk.paths import DataPaths
from pfdesk.store import pg_secret
from pfdesk.store.url import describe, settings_of

log = logging.getLogger(__name__)

PASSWORD_ENV = "PFDESK_DATABASE_PASSWORD"

#: ``ask(prompt) -> password`` (None: the user cancelled).
Ask = Callable[[str], "str | None"]


def _saved_password(url: URL, notes: list[str]) -> str | None:
    if url.password:
        return str(url.password)
    env = os.environ.get(PASSWORD_ENV)
    if env:
        return env
    try:
        return pg_secret.load_password(settings_of(url))
    except pg_secret.NoKeyring as e:
        notes.append(e.message)
        return None


def open_configured(paths: DataPaths, url: URL, *, ask: Ask | None = None,
                    is_demo: bool = False):
    """The store on ``url``, signed in with the saved or typed password."""
    from pfdesk.store.pg import AuthFailed, open_server_store

    notes: list[str] = []
    password = _saved_password(url, notes)
    try:
        return open_server_store(paths, url.set(password=password), is_demo=is_demo)
    except AuthFailed as e:
        if ask is None:
            raise
        prompt = "\n".join([*notes, e.message,
                            _("{server} のパスワード: ").format(server=describe(url))])
        typed = ask(prompt)
        if not typed:
            raise
    log.info("database password typed at start for %s", describe(url))
    return open_server_store(paths, url.set(password=typed), is_demo=is_demo)


def terminal_ask(prompt: str) -> str | None:
    """Ask on the terminal (None when there is none: a batch run cannot be asked)."""
    import getpass
    import sys

    if not sys.stdin.isatty():
        return None
    return getpass.getpass(prompt)
