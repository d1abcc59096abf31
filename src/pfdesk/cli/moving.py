"""``pfdesk move-out FILE`` and ``pfdesk move-in FILE``: carrying the data to a new PC.

``move-in`` works before anyone can sign in on the new PC: it needs an empty data
folder and, for an encrypted archive, a user's password or the recovery key.
"""

from __future__ import annotations

from pfdesk.core.i18n import _


def _move_out(args, ctx) -> int:
    from pfdesk.services.moving import move_out

    print(move_out(ctx, args.file).message())
    return 0


def _move_in(args) -> int:
    from pathlib import Path

    from pfdesk.cli._runtime import data_paths, require_file_store
    from pfdesk.services.moving import move_in
    from pfdesk.services.moving.archive import read_manifest
    from pfdesk.store.safefile import counts_text

    require_file_store(args, _("新しい PC への移動の取り込み（move-in）"))
    source = Path(args.file)
    manifest = read_manifest(source)
    paths = data_paths(args)
    print(_("移行用ファイル {f}\n  作成日時: {d:%Y-%m-%d %H:%M}\n  中身: {c}{enc}\n  取り込み先: {r}"
            ).format(f=source, d=manifest.created, c=counts_text(manifest.counts),
                     enc=_("（暗号化）") if manifest.encrypted else "", r=paths.root))
    from pfdesk.cli._runtime import unlock_secrets

    secrets = unlock_secrets(args, manifest.encrypted, _("移行用ファイル"))
    result = move_in(paths, source, **secrets)
    print(result.message())
    return 0


def register(groups) -> None:
    """Add ``pfdesk move-out`` and ``pfdesk move-in``."""
    out = groups.top.add_parser(
        "move-out", help=_("新しい PC へ移すため、データ一式を1つのファイルに書き出す（管理者）"),
        description=_("データファイル・添付ファイル・設定・監査ログ・鍵を1つのファイルにまとめます。"
                      "データが暗号化されていれば、ファイルも暗号化されます。"))
    out.add_argument("file", help=_("書き出すファイル（.zip）またはフォルダー"))
    out.set_defaults(handler=_move_out)
    into = groups.top.add_parser(
        "move-in", help=_("前の PC で書き出したデータ一式を、この PC の空のデータフォルダーに取り込む"),
        description=_("中身をすべて検査し、監査ログのつながりを確かめてから取り込みます。"
                      "すでにデータのあるフォルダーには取り込みません。"))
    into.add_argument("file", help=_("pfdesk move-out で作ったファイル（.zip）"))
    into.set_defaults(raw_handler=_move_in)
