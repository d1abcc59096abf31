"""設定 → 共有データベース: which PostgreSQL server this PC uses, checked and kept.

The administrator enters host, port, database and user; the password goes to the OS
keyring (never a file). "接続を確かめる" connects once and says what pfdesk would find
there (an empty database, one at this version's schema, an older one it will upgrade,
or a newer one it refuses). The choice takes effect at the next start.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.store import pg_secret, server_keys, shared_files
from pfdesk.store import url as store_url
from pfdesk.store.models import AttachmentBlob, Setting
from pfdesk.store.url import ServerSettings


@dataclass(frozen=True)
class SharedStoreState:
    """What 設定 shows: the server saved for the next start and what this session uses."""

    saved: ServerSettings | None
    password_saved: bool
    keyring_problem: str  # why no password can be kept here ("" when the keyring works)
    in_use: str  # the server of this session, or "" for the local file


@dataclass(frozen=True)
class ServerCheck:
    """The answer of a test connection."""

    server_version: str
    schema: str  # "empty", "current", "older" or "newer"

    def describe(self) -> str:
        """One Japanese sentence for 設定."""
        said = {
            "empty": _("空のデータベースです。次の起動で pfdesk の表を作成します。"),
            "current": _("この版の pfdesk のデータがあります。そのまま使えます。"),
            "older": _("以前の版の pfdesk のデータがあります。次の起動で新しい形式に更新します。"),
            "newer": _("より新しい版の pfdesk のデータです。この版では開けません。"),
        }[self.schema]
        return _("接続できました（PostgreSQL {version}）。").format(
            version=self.server_version) + said


@service(Permission.SETTINGS_READ)
def shared_store_state(ctx: ServiceContext) -> SharedStoreState:
    """The saved server, whether its password is in the keyring, and what is in use now."""
    saved = store_url.saved_server()
    password_saved, problem = False, ""
    if saved is not None:
        try:
            password_saved = pg_secret.load_password(saved) is not None
        except pg_secret.NoKeyring as e:
            problem = e.message
    engine_url = ctx.store.engine.url
    in_use = store_url.describe(engine_url) if store_url.is_server(engine_url) else ""
    return SharedStoreState(saved=saved, password_saved=password_saved,
                            keyring_problem=problem, in_use=in_use)


@service(Permission.USER_ADMIN)
def check_server(ctx: ServiceContext, settings: ServerSettings, password: str) -> ServerCheck:
    """Connect once to ``settings``' server (the typed password, else the saved one)."""
    from pfdesk.store.migrate import current_revisions, known_revisions, script_heads
    from pfdesk.store.pg import make_engine, server_version, translate_error

    settings = store_url.check_settings(settings)
    if not password:
        try:
            password = pg_secret.load_password(settings) or ""
        except pg_secret.NoKeyring:
            password = ""
    engine = make_engine(settings.url(password or None))
    try:
        version = server_version(engine)
        current = current_revisions(engine)
    except Exception as e:
        known = translate_error(e, engine)
        if isinstance(known, KnownError):
            raise known from e
        raise
    finally:
        engine.dispose()
    if not current:
        schema = "empty"
    elif current - known_revisions():
        schema = "newer"
    elif current == script_heads():
        schema = "current"
    else:
        schema = "older"
    return ServerCheck(server_version=version, schema=schema)


@service(Permission.USER_ADMIN)
def save_shared_store(ctx: ServiceContext, settings: ServerSettings | None,
                      password: str = "") -> str:
    """Use ``settings``' server from the next start (None: the local file again).

    The password, when typed, goes to the OS keyring; returns a note for the user
    when it could not be kept there (it is then asked for at each start).
    """
    note = ""
    if settings is not None:
        settings = store_url.check_settings(settings)
        if password:
            try:
                pg_secret.save_password(settings, password)
            except pg_secret.NoKeyring as e:
                note = e.user_text()
    previous = store_url.saved_server()
    if settings is None and previous is not None:
        pg_secret.forget_password(previous)
    store_url.save_server(settings)
    with ctx.session() as s:
        audit.record(s, ctx.actor, "settings.database", "setting", ["database"],
                     server=settings.describe() if settings else "",
                     password_saved=bool(password) and not note)
        s.commit()
    return note


@dataclass(frozen=True)
class CopyResult:
    """What ``migrate-store`` copied and what it checked on the server."""

    server: str  # where the copy went: a server, or the new data file
    rows: dict[str, int]  # per table, as copied and as counted again in the copy
    chain_intact: bool
    to_file: bool = False
    files: int = 0  # attached files carried along

    def message(self) -> str:
        """The Japanese report for the command line."""
        from pfdesk.store.safefile import COUNTED, counts_text

        counts = {key: self.rows.get(table, 0) for key, table in COUNTED.items()}
        n = sum(self.rows.values())
        lines = [
            _("データファイル {file} にデータをコピーしました（{n} 行）。").format(
                file=self.server, n=n) if self.to_file
            else _("サーバー {server} にデータをコピーしました（{n} 行）。").format(
                server=self.server, n=n),
            _("件数: {counts}（すべての表でコピー元と一致）").format(counts=counts_text(counts)),
            _("添付ファイル: {n} 件").format(n=self.files),
            (_("監査ログ: 改ざんは見つかりませんでした（コピー先で検証）。") if self.to_file
             else _("監査ログ: 改ざんは見つかりませんでした（サーバー上で検証）。"))
            if self.chain_intact else _("監査ログ: 検証に失敗しました。"),
            _("サーバーのデータはそのまま残っています。このファイルを使うには、設定の"
              "「共有データベース」を外すか、--data-dir でこのフォルダーを指定してください。")
            if self.to_file else
            _("このパソコンのデータファイルはそのまま残っています。以後サーバーを使うには、"
              "設定の「共有データベース」に登録してください。"),
        ]
        return "\n".join(lines)


def _refuse_broken_chain(s) -> None:
    """KnownError when the source's audit chain is broken: such a store is not copied."""
    broken = audit.verify_chain(s)
    if broken is not None:
        raise KnownError(
            _("コピー元の監査ログに改ざんまたは欠落があるため、コピーしません（番号 {id}）。"
              ).format(id=broken.event_id),
            hint=_("「pfdesk audit verify」で確かめてください。"))


@service(Permission.USER_ADMIN)
def copy_to_server(ctx: ServiceContext, url, *, ask=None) -> CopyResult:
    """Copy this (SQLite) store into the empty database at ``url`` and verify the copy.

    Counts every table again on the server and walks the copied audit chain there.
    """
    from pfdesk.store.pg_copy import copy_rows, table_counts
    from pfdesk.store.pg_login import open_configured

    if ctx.store.is_server:
        raise KnownError(_("いま開いているのはサーバーのデータです。コピー元にはこのパソコンの"
                           "データファイルを指定してください。"))
    from pfdesk.store import vault

    if vault.state(ctx.store.engine).active:
        # The cells would reach the server still sealed, with no identity key there.
        raise KnownError(
            _("本人情報を別の鍵で暗号化したデータは、まだサーバーへコピーできません。"
              "サーバーには本人情報の鍵を置けないため、氏名などが読めなくなります。"),
            hint=_("docs/postgresql.md の「まだできないこと」を参照してください。"))
    with ctx.session() as s:
        _refuse_broken_chain(s)
        audit.record(s, ctx.actor, "store.copy_to_server", "setting", ["database"],
                     server=store_url.describe(url))
        s.commit()
    target = open_configured(ctx.store.paths, url, ask=ask)
    try:
        rows = copy_rows(ctx.store.engine, target.engine)
        counted = table_counts(target.engine)
        if counted != table_counts(ctx.store.engine) or counted != rows:
            raise KnownError(_("コピーした件数がコピー元と一致しません。"),
                             where=store_url.describe(url),
                             hint=_("サーバーの管理者に連絡し、データベースを空にしてから"
                                    "もう一度お試しください。"))
        with target.session() as s:
            intact = audit.verify_chain(s) is None
            # The attached files go too, so every PC of the server can open them.
            files = shared_files.upload_folder(s, ctx.store.paths.attachments, ctx.store.key)
            s.commit()
    finally:
        target.close()
    return CopyResult(server=store_url.describe(url), rows=rows, chain_intact=intact,
                      files=files)


def _server_has_file_key(s) -> bool:
    """Whether the server keeps a wrapped file key (its attachments are encrypted)."""
    return s.get(Setting, server_keys.SETTING) is not None


@service(Permission.USER_ADMIN)
def copy_to_folder(ctx: ServiceContext, folder) -> CopyResult:
    """Copy this (server) store into a new data file in the empty data folder ``folder``.

    The way back from a server: counts every table again in the file and walks the
    copied audit chain there. The folder must not hold a store yet.
    """
    from pathlib import Path

    from pfdesk.paths import DataPaths
    from pfdesk.store.engine import open_store
    from pfdesk.store.pg_copy import copy_rows, table_counts

    paths = DataPaths(Path(folder).expanduser())
    if paths.store.exists() or (paths.root.exists() and any(paths.root.iterdir())):
        raise KnownError(_("コピー先のフォルダー「{folder}」は空ではありません。").format(
            folder=paths.root), where=str(paths.root),
            hint=_("上書きはしません。新しい空のフォルダーを指定してください。"))
    with ctx.session() as s:
        _refuse_broken_chain(s)
        if ctx.store.file_key is None and _server_has_file_key(s):
            raise KnownError(
                _("添付ファイルの鍵がないため、添付ファイルをコピーできません。"),
                hint=_("サインインしてから実行してください（--user と PFDESK_PASSWORD）。"))
        audit.record(s, ctx.actor, "store.copy_to_file", "setting", ["database"],
                     folder=str(paths.root))
        s.commit()
    target = open_store(paths.ensure())
    try:
        rows = copy_rows(ctx.store.engine, target.engine)
        counted = table_counts(target.engine)
        if counted != table_counts(ctx.store.engine) or counted != rows:
            raise KnownError(_("コピーした件数がコピー元と一致しません。"), where=str(paths.store))
        with target.session() as s:
            intact = audit.verify_chain(s) is None
            # The attached files become files of the new folder, as a data file keeps them.
            files = shared_files.download_missing(ctx.store.engine, paths,
                                                  decrypt_with=ctx.store.file_key)
            s.execute(delete(AttachmentBlob))
            s.execute(delete(Setting).where(Setting.key == server_keys.SETTING))
            s.commit()
    finally:
        target.close()
    return CopyResult(server=str(paths.store), rows=rows, chain_intact=intact, to_file=True,
                      files=files)


# --- database roles: the server keeps identities from a 閲覧者 (store.pg_roles) ---------

#: pfdesk's roles as the database roles a PC's login is given.
LOGIN_ROLES = {"viewer": "pfdesk_viewer", "staff": "pfdesk_staff"}


def _require_server(ctx: ServiceContext) -> None:
    if not ctx.store.is_server:
        raise KnownError(
            _("データベースの役割は共有データベース（PostgreSQL）のときだけ設定できます。"
              "このパソコンのデータファイルでは、閲覧者には本人情報の鍵が渡らない仕組み"
              "（暗号化とバックアップ → 本人情報を別の鍵で暗号化する）を使ってください。"))


@service(Permission.USER_ADMIN)
def install_server_roles(ctx: ServiceContext) -> list[str]:
    """Create or renew the server's roles and the limited views of a 閲覧者; those tables."""
    from pfdesk.store import pg_roles

    _require_server(ctx)
    with ctx.session() as s:
        tables = pg_roles.install(s.connection())
        audit.record(s, ctx.actor, "store.server_roles", "setting", ["database"],
                     limited_tables=len(tables))
        s.commit()
    return tables


@service(Permission.USER_ADMIN)
def add_server_login(ctx: ServiceContext, login: str, role: str, password: str) -> None:
    """A database login for one PC, as a 閲覧者 (``viewer``) or for staff (``staff``).

    A PC whose login is a 閲覧者's can never read identity fields, whoever signs in there.
    """
    from pfdesk.store import pg_roles

    _require_server(ctx)
    if role not in LOGIN_ROLES:
        raise KnownError(_("役割は viewer（閲覧者）か staff（担当者・管理者）を指定してください。"))
    if len(password) < 12:
        raise KnownError(_("データベースの利用者のパスワードは12文字以上にしてください。"))
    with ctx.session() as s:
        pg_roles.add_login(s.connection(), login, password, LOGIN_ROLES[role])
        audit.record(s, ctx.actor, "store.server_login", "setting", ["database"], role=role)
        s.commit()


# --- the attachments' file key: a recovery key (services.server_files) ----------------


def _require_server_files(ctx: ServiceContext) -> None:
    if not ctx.store.is_server:
        raise KnownError(
            _("添付ファイルの回復キーは共有データベース（PostgreSQL）のためのものです。"
              "このパソコンのデータファイルの回復キーは「暗号化とバックアップ」で作ります。"))


@service(Permission.USER_ADMIN)
def make_files_recovery_key(ctx: ServiceContext) -> str:
    """A new recovery key for the server's attachments, shown once; the previous one stops.

    When every user who holds the file key has lost their password, the recovery key
    hands the key to a user again (:func:`recover_files_key`); without it the meeting
    materials on the server could never be opened again.
    """
    from pfdesk.store.crypto import new_recovery_key

    _require_server_files(ctx)
    key = ctx.store.server_file_key
    if key is None:
        raise KnownError(
            _("このサインインには添付ファイルの鍵がまだ渡されていないため、回復キーを作れません。"),
            hint=_("鍵を持っている利用者（最初にサインインした管理者など）がサインインしてから、"
                   "もう一度行ってください。"))
    recovery_key = new_recovery_key()
    with ctx.session() as s:
        kf = server_keys.load(s)
        kf.set_recovery_identity(recovery_key, key)  # a new pair: the previous key stops
        server_keys.save(s, kf)
        audit.record(s, ctx.actor, "store.files_recovery_key", "setting", [server_keys.SETTING])
        s.commit()
    return recovery_key


@service(Permission.USER_ADMIN)
def has_files_recovery_key(ctx: ServiceContext) -> bool:
    """Whether a recovery key for the server's attachments has been made."""
    from pfdesk.store.crypto import RECOVERY

    with ctx.session() as s:
        return server_keys.load(s).is_granted(RECOVERY)


@service(Permission.USER_ADMIN)
def recover_files_key(ctx: ServiceContext, recovery_key: str) -> None:
    """Open the server's file key with the recovery key and give it to the acting user.

    The other users get it at their next sign-in (or this user's next one), as when a
    holder signs in.
    """
    from pfdesk.services import server_files

    _require_server_files(ctx)
    with ctx.session() as s:
        kf = server_keys.load(s)
        key = kf.recovery_identity_key(recovery_key)
        if key is None:
            raise KnownError(
                _("回復キーが違います（または、添付ファイルの回復キーはまだ作られていません）。"
                  "何も変えていません。"),
                hint=_("「添付ファイルの回復キー」として保管した紙の英数字を、そのまま入力して"
                       "ください（ハイフンや空白は省いても構いません）。"))
        if not kf.has_public(ctx.actor.user_name):
            raise KnownError(_("利用者「{name}」は、このサーバーにまだ一度もサインインしていません。"
                               "一度サインインしてから、もう一度行ってください。").format(
                name=ctx.actor.user_name))
        kf.grant(ctx.actor.user_name, key)
        server_files.settle(s, kf, key)
        server_keys.save(s, kf)
        audit.record(s, ctx.actor, "store.files_recover", "setting", [server_keys.SETTING])
        s.commit()
    ctx.store.server_file_key = key
