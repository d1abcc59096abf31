"""``pfdesk print area-issues --fy YEAR --out FILE.pdf``: 地域課題の集計 for the 全体会."""

from __future__ import annotations

from pfdesk.core.i18n import _


def _run(args, ctx) -> int:
    from pfdesk.services.area_issues.report import print_area_issues

    pages = print_area_issues(ctx, args.fy, args.out)
    print(_("地域課題の集計を書き出しました（{pages}ページ）: {path}").format(
        pages=pages, path=args.out))
    return 0


def register(groups) -> None:
    """Add ``pfdesk print area-issues``."""
    p = groups.print_.add_parser(
        "area-issues", help=_("地域課題の集計（全体会の資料。年度ごと、匿名の事例つき）"),
        description=_("地域課題の集計"))
    p.add_argument("--fy", type=int, required=True, help=_("年度（西暦、例: 2026 は令和8年度）"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=_("書き出す PDF ファイル"))
    p.set_defaults(handler=_run)
