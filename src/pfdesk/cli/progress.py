"""``pfdesk print progress MEETING --out FILE.pdf``: the 進行管理台帳 of a case-reviewing meeting."""

from __future__ import annotations

from pfdesk.core.i18n import _


def _run(args, ctx) -> int:
    from pfdesk.services.progress.ledger import print_progress

    pages, count = print_progress(ctx, args.meeting, args.out)
    print(_("進行管理台帳を書き出しました（{pages}ページ・終結していないケース {n}件）: {path}")
          .format(pages=pages, n=count, path=args.out))
    return 0


def register(groups) -> None:
    """Add ``pfdesk print progress``."""
    p = groups.print_.add_parser(
        "progress", help=_("進行管理台帳（実務者会議で全ケースを確認する一覧）"),
        description=_("進行管理台帳"))
    p.add_argument("meeting", metavar="MEETING", type=int,
                   help=_("会議ID（会議の画面や pfdesk export meetings に表示される番号）"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=_("書き出す PDF ファイル"))
    p.set_defaults(handler=_run)
