"""The command line: GUI by default, batch subcommands for every area.

Each area adds its commands in a module of this package that defines
``register(groups: CliGroups) -> None``. A leaf command sets
``handler=fn`` where ``fn(args, ctx: ServiceContext) -> int`` (the exit code);
the store is opened and the user resolved before the handler runs.
Commands that manage stores themselves set ``raw_handler=fn(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from dataclasses import dataclass

from pfdesk import __version__
from pfdesk.core.i18n import _


@dataclass
class CliGroups:
    """The sub-parser collections areas add their commands to."""

    top: argparse._SubParsersAction
    import_: argparse._SubParsersAction
    export: argparse._SubParsersAction
    print_: argparse._SubParsersAction


def build_parser() -> argparse.ArgumentParser:
    """The whole parser, with every area's commands."""
    from pfdesk.cli._argparse_ja import install

    install()
    parser = argparse.ArgumentParser(
        prog="pfdesk",
        description=_("ひきこもり支援 市町村プラットフォーム事務局の業務ソフト"),
    )
    parser.add_argument("--version", action="version", version=f"pfdesk {__version__}")
    parser.add_argument("--data-dir", help=_("データフォルダ（既定: ユーザーのデータフォルダ）"))
    parser.add_argument(
        "--database-url", metavar="URL",
        help=_("共有データベース（PostgreSQL）の URL: postgresql://利用者@サーバー:5432/データベース"
               "（PFDESK_DATABASE_URL、または「設定」の共有データベースでも指定できます。"
               "パスワードは OS の資格情報に保存し、URL には書かないでください）"))
    parser.add_argument("--lang", choices=("ja", "en"),
                        help=_("表示の言語（ja: 日本語、en: English。既定は「設定」で選んだ言語）"))
    parser.add_argument("--demo", action="store_true", help=_("デモの町のデータで開く"))
    parser.add_argument("--user", help=_("利用者名（パスワードは入力または PFDESK_PASSWORD）"))
    parser.add_argument(
        "--smoke-test", action="store_true",
        help=_("画面を開いてデータの読み込みを確認し、終了する"),
    )
    parser.add_argument(
        "--screenshots", metavar="DIR",
        help=_("デモの町の全画面・ダイアログを画像（PNG）にして DIR に書き出す（画面一覧 index.html 付き）"),
    )
    parser.add_argument(
        "--scale", dest="screen_scale", type=float, metavar="倍率",
        help=_("--screenshots の画面の拡大率（Windows の表示スケール。例: 1.25、1.5）"),
    )
    top = parser.add_subparsers(dest="command", metavar="COMMAND")
    imp = top.add_parser("import", help=_("ファイルから取り込む"))
    exp = top.add_parser("export", help=_("ファイルに書き出す"))
    prn = top.add_parser("print", help=_("印刷物を PDF に書き出す"))
    groups = CliGroups(
        top=top,
        import_=imp.add_subparsers(dest="what", metavar="WHAT", required=True),
        export=exp.add_subparsers(dest="what", metavar="WHAT", required=True),
        print_=prn.add_subparsers(dest="what", metavar="WHAT", required=True),
    )
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register:
            register(groups)
    return parser
