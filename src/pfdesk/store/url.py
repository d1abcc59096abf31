"""Where the store lives: the local SQLite file (default) or a PostgreSQL server.

The server is named by ``--database-url postgresql://…``, else ``PFDESK_DATABASE_URL``,
else the server the administrator entered in 設定 (kept per user in the config folder,
without the password: that stays in the OS keyring, see ``store.pg_secret``).
pfdesk always connects with ``sslmode=prefer``: TLS whenever the server offers it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from sqlalchemy import URL
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from pfdesk.core.atomic import write_bytes_atomic
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _

ENV_VAR = "PFDESK_DATABASE_URL"
DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
_FILE = "database.json"
_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


@dataclass(frozen=True)
class ServerSettings:
    """The server of a shared store as the administrator enters it in 設定."""

    host: str
    database: str
    user: str
    port: int = DEFAULT_PORT

    def url(self, password: str | None = None) -> URL:
        """The connection URL (the password only in memory, never written anywhere)."""
        return URL.create(DRIVER, username=self.user, password=password, host=self.host,
                          port=self.port, database=self.database,
                          query={"sslmode": "prefer"})

    def describe(self) -> str:
        """``user@host:port/database`` for messages and the window title."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def parse(text: str, *, where: str = "--database-url") -> URL:
    """``text`` as a PostgreSQL URL for pfdesk's driver, with ``sslmode=prefer`` unless set.

    Anything else (a SQLite path, a typo) is refused with a message naming ``where``.
    """
    hint = _("例: postgresql://pfdesk@db.example.lg.jp:5432/pfdesk"
             "（パスワードは URL に書かず、設定の画面で OS の資格情報に保存してください）")
    try:
        url = make_url(text.strip())
    except ArgumentError:
        raise ValidationError(_("データベースの URL「{url}」の形式が正しくありません。").format(
            url=text), field="database_url", where=where, hint=hint) from None
    if url.drivername not in _SCHEMES:
        raise ValidationError(
            _("データベースの URL は postgresql:// で始めてください（「{url}」）。").format(
                url=text), field="database_url", where=where, hint=hint)
    if not url.database or not url.host and "host" not in url.query:
        raise ValidationError(
            _("データベースの URL にサーバー名とデータベース名がありません（「{url}」）。").format(
                url=url.render_as_string(hide_password=True)),
            field="database_url", where=where, hint=hint)
    url = url.set(drivername=DRIVER)
    if "sslmode" not in url.query:
        url = url.update_query_dict({"sslmode": "prefer"})
    return url


def settings_of(url: URL) -> ServerSettings:
    """The host, port, database and user of ``url`` (a socket folder counts as the host)."""
    host = url.host or str(url.query.get("host", ""))
    return ServerSettings(host=host, database=url.database or "", user=url.username or "",
                          port=url.port or DEFAULT_PORT)


def describe(url: URL) -> str:
    """``url`` without its password, for messages and logs."""
    return settings_of(url).describe()


def is_server(url: URL | None) -> bool:
    """Whether ``url`` names a PostgreSQL server (not the local SQLite file)."""
    return url is not None and url.get_backend_name() == "postgresql"


def _config_file():
    from pfdesk.preferences import config_dir

    return config_dir() / _FILE


def saved_server() -> ServerSettings | None:
    """The server entered in 設定, or None when pfdesk uses its local file."""
    try:
        data = json.loads(_config_file().read_text(encoding="utf-8"))
        return ServerSettings(host=str(data["host"]), database=str(data["database"]),
                              user=str(data["user"]), port=int(data.get("port", DEFAULT_PORT)))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def check_settings(settings: ServerSettings) -> ServerSettings:
    """``settings`` trimmed, or a ValidationError naming the empty or wrong field."""
    fields = {"host": _("サーバー"), "database": _("データベース名"), "user": _("利用者名")}
    trimmed = ServerSettings(host=settings.host.strip(), database=settings.database.strip(),
                             user=settings.user.strip(), port=settings.port)
    for name, label in fields.items():
        if not getattr(trimmed, name):
            raise ValidationError(_("{label}を入力してください。").format(label=label),
                                  field=name, where=_("設定 → 共有データベース"))
    if not 0 < trimmed.port < 65536:
        raise ValidationError(_("ポート番号は 1 から 65535 の数で入力してください。"),
                              field="port", where=_("設定 → 共有データベース"))
    return trimmed


def save_server(settings: ServerSettings | None) -> None:
    """Keep the server for the next start (None: back to the local file). No password."""
    path = _config_file()
    if settings is None:
        path.unlink(missing_ok=True)
        return
    settings = check_settings(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"host": settings.host, "port": settings.port, "database": settings.database,
            "user": settings.user}
    write_bytes_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def configured_url(option: str | None = None) -> URL | None:
    """The server to use: the option, else ``PFDESK_DATABASE_URL``, else 設定; None: local file."""
    if option:
        return parse(option)
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return parse(env, where=ENV_VAR)
    saved = saved_server()
    return saved.url() if saved else None
