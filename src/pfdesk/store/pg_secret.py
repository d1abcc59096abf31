"""The shared database's password, kept in the OS keyring and nowhere else.

Windows keeps it in the 資格情報マネージャー, macOS in the キーチェーン, Linux in the
Secret Service. Where no keyring is available the password is asked for at each
start (``NoKeyring`` says so plainly) and never written to a file.
"""

from __future__ import annotations

import logging

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.store.url import ServerSettings

log = logging.getLogger(__name__)

SERVICE = "pfdesk-database"


class NoKeyring(KnownError):
    """This computer has no OS keyring pfdesk can use."""


def _account(settings: ServerSettings) -> str:
    return settings.describe()


def _no_keyring(exc: BaseException) -> NoKeyring:
    log.info("no usable keyring: %s", exc)
    return NoKeyring(
        _("このパソコンでは OS の資格情報（キーリング）を使えないため、"
          "データベースのパスワードを保存できません。"),
        hint=_("パスワードはファイルには保存しません。pfdesk を起動するたびにパスワードを"
               "入力してください。"))


def load_password(settings: ServerSettings) -> str | None:
    """The saved password for ``settings``' server and user, or None when none is saved.

    Raises NoKeyring when the computer has no keyring at all.
    """
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, _account(settings))
    except (KeyringError, RuntimeError) as e:
        raise _no_keyring(e) from e


def save_password(settings: ServerSettings, password: str) -> None:
    """Keep ``password`` in the OS keyring (NoKeyring where there is none)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, _account(settings), password)
    except (KeyringError, RuntimeError) as e:
        raise _no_keyring(e) from e


def forget_password(settings: ServerSettings) -> None:
    """Remove a saved password (nothing happens when none is saved or there is no keyring)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.delete_password(SERVICE, _account(settings))
    except (KeyringError, RuntimeError):
        pass
