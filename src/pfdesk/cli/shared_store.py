"""``pfdesk migrate-store``: this PC's store copied onto a server, or a server's back into a file.

``--to postgresql://…`` copies the data file of the data folder; ``--to-folder DIR``
copies the configured server (``--database-url`` …) into a new data file in ``DIR``.
"""

from __future__ import annotations

from pfdesk.core.i18n import _


def _migrate_store(args, ctx) -> int:
    from pfdesk.services.shared_store import copy_to_server
    from pfdesk.store.pg_login import terminal_ask
    from pfdesk.store.url import parse

    if args.to_folder:
        from pfdesk.services.shared_store import copy_to_folder

        result = copy_to_folder(ctx, args.to_folder)
    else:
        result = copy_to_server(ctx, parse(args.to, where="--to"), ask=terminal_ask)
    print(result.message())
    return 0 if result.chain_intact else 1


def register(groups) -> None:
    """Add ``pfdesk migrate-store``."""
    p = groups.top.add_parser(
        "migrate-store",
        help=_("データファイルの全件を共有データベース（PostgreSQL）へ、またはサーバーから"
               "新しいデータファイルへコピーする（管理者）"),
        description=_("全件を空のコピー先にコピーし、件数と監査ログをコピー先で確かめます。"
                      "コピー元は消しません。"))
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", metavar="URL",
                       help=_("コピー先: postgresql://利用者@サーバー:5432/データベース"))
    where.add_argument("--to-folder", metavar="DIR",
                       help=_("サーバーのデータを、空のフォルダーに新しいデータファイルとして"
                              "コピーする（コピー元は --database-url などで指定したサーバー）"))
    # --to copies this PC's file whatever server is configured; --to-folder the server.
    p.set_defaults(handler=_migrate_store, local_store_only=lambda a: not a.to_folder)
