"""Running a command: open the store named by the options, resolve the user, report errors."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.paths import DataPaths, default_data_dir, demo_data_dir
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.store.engine import Store, open_store

log = logging.getLogger(__name__)


def data_paths(args) -> DataPaths:
    """The data folder the options name (``--data-dir``, ``--demo`` or the default)."""
    if getattr(args, "data_dir", None):
        return DataPaths(Path(args.data_dir).expanduser())
    if getattr(args, "demo", False):
        return DataPaths(demo_data_dir())
    return DataPaths(default_data_dir())


def open_on_server(args, paths: DataPaths) -> Store | None:
    """The store on the configured PostgreSQL server, or None when the local file is used.

    ``--database-url``, else ``PFDESK_DATABASE_URL``, else the server saved in 設定. The
    window passes its own password dialog as ``args.ask_database_password``.
    """
    from pfdesk.store.url import configured_url

    local_only = getattr(args, "local_store_only", False)
    if callable(local_only):  # a command that decides from its own options
        local_only = local_only(args)
    if local_only:
        return None
    url = configured_url(getattr(args, "database_url", None))
    if url is None:
        return None
    from pfdesk.store.pg_login import open_configured, terminal_ask

    ask = getattr(args, "ask_database_password", None) or (
        None if getattr(args, "smoke_test", False) else terminal_ask)
    demo = bool(getattr(args, "demo", False))
    store = open_configured(paths, url, ask=ask, is_demo=demo)
    if demo:
        from pfdesk.services.demo import build_demo, is_empty

        if is_empty(store):
            build_demo(store)
    return store


def require_file_store(args, what: str) -> None:
    """Refuse ``what`` (a command on the data file itself) when a server store is configured.

    Recovering or moving in would write a data file that pfdesk, pointed at the server,
    never opens: said plainly instead of done quietly.
    """
    from pfdesk.store.url import configured_url

    if configured_url(getattr(args, "database_url", None)) is None:
        return
    raise KnownError(
        _("「{what}」はこのパソコンのデータファイルのための機能です。このパソコンは共有データベース"
          "（サーバー）を使う設定のため、行いません。").format(what=what),
        hint=_("サーバーのデータは「pfdesk backup」で取ったバックアップから「pfdesk restore」で"
               "復元します（docs/postgresql.md）。データファイルを取り込んでサーバーへ移すときは、"
               "共有データベースの設定（PFDESK_DATABASE_URL、設定画面）を外して取り込み、"
               "「pfdesk migrate-store --to postgresql://…」でコピーしてください。"))


def open_for_cli(args) -> Store:
    """Open the store for a command; with ``--demo`` the town is built on first use."""
    paths = data_paths(args)
    on_server = open_on_server(args, paths)
    if on_server is not None:
        return on_server
    if getattr(args, "demo", False):
        from pfdesk.services.demo import open_demo_store

        return open_demo_store(paths)
    from pfdesk.store.crypto import is_encrypted
    from pfdesk.store.health import ready_to_open

    # An interrupted restore is finished first; a damaged or vanished store is then
    # never taken for a wrong password.
    finished = ready_to_open(paths)
    if is_encrypted(paths):
        # The key is unwrapped with the user's password before the store can open.
        from pfdesk.services.accounts import cli_login_name, cli_password, unlock_store_key

        name = cli_login_name(paths, None, getattr(args, "user", None))
        password = cli_password(name, interactive=not getattr(args, "smoke_test", False))
        args.user, args.password = name, password
        store = open_store(paths, key=unlock_store_key(paths, name, password))
    else:
        store = open_store(paths)
    if finished:
        store.notices.insert(0, finished)
    return store


def resolve_actor(store: Store, args) -> Actor:
    """The acting user of a command.

    Until accounts are set up on the store, the local administrator acts.
    """
    resolver = getattr(sys.modules.get("pfdesk.services.accounts"), "actor_for_cli", None)
    if resolver is None:
        try:
            from pfdesk.services import accounts  # noqa: F401 - optional area module

            resolver = getattr(accounts, "actor_for_cli", None)
        except ImportError:
            resolver = None
    if resolver is not None:
        return resolver(
            store, getattr(args, "user", None), getattr(args, "password", None),
            interactive=not getattr(args, "smoke_test", False),
        )
    return Actor.local_admin()


def unlock_secrets(args, encrypted: bool, what: str) -> dict:
    """The password or recovery key that opens an encrypted ``what`` (env, else a prompt).

    ``what`` names the file in the message (バックアップ, 移行用ファイル).
    """
    if not encrypted:
        return {}
    import getpass

    key = os.environ.get("PFDESK_RECOVERY_KEY")
    if key:
        return {"recovery_key": key}
    password = os.environ.get("PFDESK_PASSWORD")
    if password is not None and args.user:
        return {"user": args.user, "password": password}
    if not sys.stdin.isatty():
        raise KnownError(
            _("暗号化された{what}です。開くにはパスワードか回復キーが必要です。").format(what=what),
            hint=_("--user と PFDESK_PASSWORD、または PFDESK_RECOVERY_KEY を指定してください。"))
    user = args.user or input(_("利用者名（回復キーを使うときは空のまま Enter）: ")).strip()
    if user:
        return {"user": user,
                "password": getpass.getpass(_("{name} のパスワード: ").format(name=user))}
    return {"recovery_key": getpass.getpass(_("回復キー: "))}


def _check_output_path(args) -> None:
    """An output file is never written into the data folder (over the store, keys or log).

    Only a backup may go to the folder's own ``backups``.
    """
    out = getattr(args, "out", None)
    if not out:
        return
    root = data_paths(args).root.resolve()
    target = Path(out).expanduser().resolve()
    if not target.is_relative_to(root):
        return
    if getattr(args, "command", None) == "backup" and target.is_relative_to(root / "backups"):
        return
    raise KnownError(
        _("書き出し先「{path}」は pfdesk のデータフォルダーの中です。"
          "データファイルや記録を上書きしないよう、そこには書き出せません。").format(path=target),
        where=str(target),
        hint=_("デスクトップやドキュメントなど、別のフォルダーを指定してください。"))


def _require_own_password(store: Store, ctx: ServiceContext, args) -> None:
    """After an administrator set the password, nothing runs until its owner changes it."""
    if getattr(args, "changes_own_password", False):
        return
    from pfdesk.services.accounts import must_change_password

    if must_change_password(store, ctx.actor):
        raise KnownError(
            _("管理者が設定したパスワードのままです。先に自分のパスワードに変更してください。"),
            hint=_("「pfdesk --user {name} users passwd」で変更できます（画面からはサインイン時に"
                   "変更を求められます）。").format(name=ctx.actor.user_name))


def run_command(args) -> int:
    """Run the chosen subcommand; KnownErrors become a Japanese message and exit code 2."""
    try:
        _check_output_path(args)
        if getattr(args, "raw_handler", None):
            return int(args.raw_handler(args) or 0)
        store = open_for_cli(args)
        for notice in store.notices:  # what the start found and did, said once
            print(notice, file=sys.stderr)
        try:
            ctx = ServiceContext(store=store, actor=resolve_actor(store, args))
            _require_own_password(store, ctx, args)
            return int(args.handler(args, ctx) or 0)
        finally:
            store.close()
    except KnownError as e:
        print(_("エラー: ") + e.user_text(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("中断しました。"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` or a pager that quit early: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
