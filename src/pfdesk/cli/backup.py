"""``pfdesk backup``, ``pfdesk restore FILE`` and ``pfdesk recover-store``: the whole data folder.

``restore`` and ``recover-store`` never need the current store to open: when it
is missing or damaged they set it aside and put a proven backup in its place
without signing in to it. ``backup --scheduled`` is for the Windows task
scheduler: it never prompts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pfdesk.core.errors import KnownError, StoreUnusable
from pfdesk.core.i18n import _


def _backup(args, ctx) -> int:
    from pfdesk.services.backup import backup_store

    info = backup_store(ctx, args.out)
    _print_backup(info)
    return 0


def _print_backup(info) -> None:
    from pfdesk.store.safefile import counts_text

    kind = _("暗号化済み") if info.encrypted else _("暗号化なし")
    print(_("バックアップを作成し、検査しました（{kind}、{c}）: {path}").format(
        kind=kind, c=counts_text(info.counts), path=info.path))
    if info.second_copy:
        print(_("2つ目の保存先にも書き込みました: {p}").format(p=info.second_copy))
    if info.warning:
        print(info.warning, file=sys.stderr)


def _scheduled(args) -> int:
    """The automatic backup without any prompt (PFDESK_PASSWORD for an encrypted store)."""
    from pfdesk.cli._runtime import data_paths
    from pfdesk.core.permissions import STAFF
    from pfdesk.services.backup import auto_backup
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.store.crypto import is_encrypted
    from pfdesk.store.engine import open_store

    paths = data_paths(args)
    if is_encrypted(paths):
        from pfdesk.services.accounts import cli_login_name, cli_password, unlock_store_key

        name = cli_login_name(paths, None, args.user)
        key = unlock_store_key(paths, name, cli_password(name, interactive=False))
        store = open_store(paths, key=key)
    else:
        store = open_store(paths)
    try:
        actor = Actor(args.user or "scheduler", _("自動バックアップ"), STAFF)
        info = auto_backup(ServiceContext(store=store, actor=actor), "scheduled")
    finally:
        store.close()
    if info is None:
        print(_("自動バックアップは設定で止められています。"))
        return 0
    _print_backup(info)
    return 0


def _backup_entry(args) -> int:
    if args.scheduled:
        return _scheduled(args)
    from pfdesk.cli._runtime import open_for_cli, resolve_actor
    from pfdesk.services.context import ServiceContext

    store = open_for_cli(args)
    try:
        return _backup(args, ServiceContext(store=store, actor=resolve_actor(store, args)))
    finally:
        store.close()


def _describe(path: Path) -> str:
    from pfdesk.store.backups import describe

    e = describe(path)
    if not e.ok:
        raise KnownError(_("このバックアップは壊れているため、復元できません。今のデータは"
                           "そのままです。"), where=str(path), hint=e.problem)
    return _("バックアップ {f}\n  作成日時: {d:%Y-%m-%d %H:%M}\n  中身: {c}{enc}").format(
        f=path, d=e.created, c=e.counts_text() or _("（件数の記録なし）"),
        enc=_("（暗号化）") if e.encrypted else "")


def _recover(args, source: Path, why: str = "") -> int:
    from pfdesk.cli._runtime import data_paths
    from pfdesk.services.recovery import recover_from_backup
    from pfdesk.store.backups import describe

    paths = data_paths(args)
    if why:
        print(why, file=sys.stderr)
    print(_describe(source))
    if not args.yes:
        print(_("今のデータファイルを消さずに別名で残し、このバックアップで復旧します。よければ "
                "--yes を付けて実行してください。"), file=sys.stderr)
        return 1
    from pfdesk.cli._runtime import unlock_secrets

    secrets = unlock_secrets(args, describe(source).encrypted, _("バックアップ"))
    result = recover_from_backup(paths, source, **secrets)
    print(result.message())
    return 0


def _restore(args) -> int:
    """Restore FILE: through the signed-in store when it opens, else by recovery."""
    from pfdesk.cli._runtime import data_paths, open_for_cli, resolve_actor
    from pfdesk.services.backup import restore_store
    from pfdesk.services.context import ServiceContext
    from pfdesk.store.safefile import recover_interrupted
    from pfdesk.store.url import configured_url

    paths = data_paths(args)
    source = Path(args.file)
    on_server = configured_url(getattr(args, "database_url", None)) is not None
    note = None if on_server else recover_interrupted(paths)
    if note:
        print(note, file=sys.stderr)
    try:
        store = open_for_cli(args)
    except StoreUnusable as e:
        if on_server:
            raise
        return _recover(args, source, e.user_text())
    try:
        print(_describe(source))
        if not args.yes:
            print(_("今のデータをこのバックアップの内容に置き換えます（今のデータは自動で"
                    "バックアップします）。よければ --yes を付けて実行してください。"),
                  file=sys.stderr)
            return 1
        ctx = ServiceContext(store=store, actor=resolve_actor(store, args))
        info = restore_store(ctx, source, password=os.environ.get("PFDESK_PASSWORD"))
    finally:
        store.close()
    print(_("復元しました。復元前のデータは {p} に保存しました。").format(p=info.safety_backup))
    return 0


def _usable(paths) -> bool:
    from pfdesk.store.health import precheck

    try:
        precheck(paths)
    except StoreUnusable:
        return False
    return paths.store.exists()


def _recover_store(args) -> int:
    """List the verified backups, or recover from the one picked."""
    from pfdesk.cli._runtime import data_paths, require_file_store
    from pfdesk.services.recovery import damaged_files, recovery_backups
    from pfdesk.store.safefile import recover_interrupted

    require_file_store(args, _("バックアップからの復旧（recover-store）"))
    paths = data_paths(args)
    note = recover_interrupted(paths)
    if note:
        print(note)
    if args.file:
        return _recover(args, Path(args.file))
    if note and args.pick is None and _usable(paths):
        print(_("データファイルは使える状態に戻りました。pfdesk をもう一度起動してください。"))
        return 0
    entries = recovery_backups(paths)
    if not entries:
        print(_("このデータフォルダーには使えるバックアップがありません: {p}").format(p=paths.backups),
              file=sys.stderr)
        return 2
    if args.pick is None:
        print(_("使えるバックアップ（新しい順）:"))
        for i, e in enumerate(entries, 1):
            print(f"  {i:>2}. {e.label()}\n      {e.path}")
        for d in damaged_files(paths):
            print(_("（残してある壊れたデータファイル: {p}）").format(p=d))
        print(_("復旧するには: pfdesk recover-store --pick 番号 --yes"))
        return 0
    if not 1 <= args.pick <= len(entries):
        raise KnownError(_("番号 {n} のバックアップはありません（1〜{m}）。").format(
            n=args.pick, m=len(entries)))
    return _recover(args, entries[args.pick - 1].path)


def register(groups) -> None:
    """Add ``pfdesk backup``, ``pfdesk restore`` and ``pfdesk recover-store``."""
    b = groups.top.add_parser("backup", help=_("データをバックアップする"))
    b.add_argument("out", nargs="?", help=_("保存先のファイルまたはフォルダ（省略時は backups フォルダ）"))
    b.add_argument("--scheduled", action="store_true",
                   help=_("タスク スケジューラ用: 自動バックアップを作り、古いものを整理する"
                          "（入力を求めない）"))
    b.set_defaults(raw_handler=_backup_entry)
    r = groups.top.add_parser("restore", help=_("バックアップから復元する（管理者）"))
    r.add_argument("file", help=_("pfdesk のバックアップ（.zip）"))
    r.add_argument("--yes", action="store_true", help=_("確認なしで実行する"))
    r.set_defaults(raw_handler=_restore)
    rs = groups.top.add_parser(
        "recover-store", help=_("開けなくなったデータをバックアップから復旧する（サインイン不要）"),
        description=_("引数なしで使えるバックアップを新しい順に一覧します。壊れたデータファイルは"
                      "消さずに別名で残します。"))
    rs.add_argument("file", nargs="?", help=_("復旧に使うバックアップ（.zip）"))
    rs.add_argument("--pick", type=int, help=_("一覧の番号で選ぶ"))
    rs.add_argument("--yes", action="store_true", help=_("確認なしで実行する"))
    rs.set_defaults(raw_handler=_recover_store)
