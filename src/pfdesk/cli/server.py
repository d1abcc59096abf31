"""``pfdesk server``: the database roles of a shared store (PostgreSQL).

``roles`` creates the roles pfdesk_viewer and pfdesk_staff and the views through which a
閲覧者 reads the store with every identity field empty; ``add-login`` makes a database
login for one PC. See docs/postgresql.md, 「閲覧者とデータベースの役割」.
"""

from __future__ import annotations

import os

from pfdesk.core.i18n import _


def _roles(args, ctx) -> int:
    from pfdesk.services.shared_store import install_server_roles

    tables = install_server_roles(ctx)
    print(_("データベースの役割を設定しました。閲覧者（pfdesk_viewer）は次の表を本人情報なしで"
            "読みます: {tables}").format(tables="、".join(tables)))
    return 0


def _add_login(args, ctx) -> int:
    from pfdesk.services.shared_store import add_server_login
    from pfdesk.store.pg_login import terminal_ask

    password = os.environ.get("PFDESK_NEW_PASSWORD") or terminal_ask(
        _("新しいデータベース利用者のパスワード: "))
    if not password:
        print(_("パスワードを入力するか、PFDESK_NEW_PASSWORD で指定してください。"))
        return 2
    add_server_login(ctx, args.login, args.role, password)
    print(_("データベースの利用者「{name}」を作りました（{role}）。そのパソコンの「設定」→"
            "共有データベースで、この利用者名とパスワードを保存してください。").format(
        name=args.login, role=_("閲覧者") if args.role == "viewer" else _("担当者・管理者")))
    return 0


def _recovery_key(args, ctx) -> int:
    from pfdesk.services.shared_store import make_files_recovery_key

    key = make_files_recovery_key(ctx)
    print(_("添付ファイルの回復キーを作りました（前の回復キーは使えなくなりました）。"
            "次の英数字を印刷するか紙に書き写し、金庫など安全な場所に保管してください。"
            "鍵を持つ利用者が全員パスワードを忘れたとき、これがないと会議の資料のファイルは"
            "二度と開けません。"))
    print(key)
    return 0


def _recover_files(args, ctx) -> int:
    from pfdesk.services.shared_store import recover_files_key
    from pfdesk.store.pg_login import terminal_ask

    key = os.environ.get("PFDESK_FILES_RECOVERY_KEY") or terminal_ask(_("添付ファイルの回復キー: "))
    if not key:
        print(_("回復キーを入力するか、PFDESK_FILES_RECOVERY_KEY で指定してください。"))
        return 2
    recover_files_key(ctx, key)
    print(_("添付ファイルの鍵を {name} さんに渡しました。ほかの利用者には、次にサインインした"
            "ときに渡ります。").format(name=ctx.actor.display_name or ctx.actor.user_name))
    return 0


def register(groups) -> None:
    """Add ``pfdesk server roles``, ``add-login``, ``recovery-key`` and ``recover-files``."""
    p = groups.top.add_parser(
        "server", help=_("共有データベース（PostgreSQL）の役割と利用者を設定する（管理者）"))
    sub = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    roles = sub.add_parser(
        "roles", help=_("閲覧者が本人情報を読めないよう、サーバーの役割と権限を設定する"),
        description=_("役割 pfdesk_viewer と pfdesk_staff を作り、閲覧者には氏名・住所・"
                      "記録の本文などを空にした表だけを読ませます。何度実行してもかまいません。"))
    roles.set_defaults(handler=_roles)
    login = sub.add_parser(
        "add-login", help=_("パソコン用のデータベース利用者を作る"),
        description=_("閲覧者だけが使うパソコンには --role viewer の利用者を設定してください。"
                      "そのパソコンからは、だれがサインインしても本人情報を読めません。"
                      "パスワードは入力するか PFDESK_NEW_PASSWORD で指定します。"))
    login.add_argument("login", metavar="NAME", help=_("データベースの利用者名（半角英小文字）"))
    login.add_argument("--role", choices=("viewer", "staff"), required=True,
                       help=_("viewer: 閲覧者、staff: 担当者・管理者"))
    login.set_defaults(handler=_add_login)
    rk = sub.add_parser(
        "recovery-key", help=_("添付ファイルの回復キーを作る（一度だけ表示）"),
        description=_("鍵を持つ利用者が全員パスワードを忘れても、会議の資料のファイルを開ける"
                      "ようにする回復キーを作ります。作り直すと前の回復キーは使えなくなります。"))
    rk.set_defaults(handler=_recovery_key)
    rf = sub.add_parser(
        "recover-files", help=_("回復キーで添付ファイルの鍵を受け取る"),
        description=_("サインインした管理者が、保管していた回復キーで添付ファイルの鍵を受け取り"
                      "ます。回復キーは入力するか PFDESK_FILES_RECOVERY_KEY で指定します。"))
    rf.set_defaults(handler=_recover_files)
