"""``pfdesk backup [OUT]`` and ``pfdesk restore FILE``: the whole data folder, audited."""

from __future__ import annotations

import os
import sys

from pfdesk.core.i18n import _
from pfdesk.services.backup import backup_store, restore_store


def _backup(args, ctx) -> int:
    info = backup_store(ctx, args.out)
    kind = _("暗号化済み") if info.encrypted else _("暗号化なし")
    print(_("バックアップを作成しました（{kind}）: {path}").format(kind=kind, path=info.path))
    return 0


def _restore(args, ctx) -> int:
    if not args.yes:
        print(_("今のデータをバックアップ「{f}」の内容に置き換えます（今のデータは自動で"
                "バックアップします）。よければ --yes を付けて実行してください。").format(f=args.file),
              file=sys.stderr)
        return 1
    info = restore_store(ctx, args.file, password=os.environ.get("PFDESK_PASSWORD"))
    print(_("復元しました。復元前のデータは {p} に保存しました。").format(p=info.safety_backup))
    return 0


def register(groups) -> None:
    """Add ``pfdesk backup`` and ``pfdesk restore``."""
    b = groups.top.add_parser("backup", help=_("データをバックアップする"))
    b.add_argument("out", nargs="?", help=_("保存先のファイルまたはフォルダ（省略時は backups フォルダ）"))
    b.set_defaults(handler=_backup)
    r = groups.top.add_parser("restore", help=_("バックアップから復元する（管理者）"))
    r.add_argument("file", help=_("pfdesk のバックアップ（.zip）"))
    r.add_argument("--yes", action="store_true", help=_("確認なしで実行する"))
    r.set_defaults(handler=_restore)
