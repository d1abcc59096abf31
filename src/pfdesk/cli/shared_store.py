"""``pfdesk migrate-store --to postgresql://…``: this PC's store copied onto a server."""

from __future__ import annotations

from pfdesk.core.i18n import _


def _migrate_store(args, ctx) -> int:
    from pfdesk.services.shared_store import copy_to_server
    from pfdesk.store.pg_login import terminal_ask
    from pfdesk.store.url import parse

    url = parse(args.to, where="--to")
    result = copy_to_server(ctx, url, ask=terminal_ask)
    print(result.message())
    return 0 if result.chain_intact else 1


def register(groups) -> None:
    """Add ``pfdesk migrate-store``."""
    p = groups.top.add_parser(
        "migrate-store",
        help=_("このパソコンのデータを共有データベース（PostgreSQL）にコピーする（管理者）"),
        description=_("データフォルダーのデータファイルの全件を、空のデータベースにコピーし、"
                      "件数と監査ログをサーバー上で確かめます。データファイルは消しません。"))
    p.add_argument("--to", required=True, metavar="URL",
                   help=_("コピー先: postgresql://利用者@サーバー:5432/データベース"))
    # The source is always this PC's file, whatever server is configured.
    p.set_defaults(handler=_migrate_store, local_store_only=True)
