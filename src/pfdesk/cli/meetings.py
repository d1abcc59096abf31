"""``pfdesk export meetings OUT.xlsx [--fy YEAR]``: one row per meeting, as the window lists them."""

from __future__ import annotations

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_fiscal_year


def _export(args, ctx) -> int:
    from pfdesk.services.meetings.export import export_meetings

    n = export_meetings(ctx, args.out, fy=args.fy)
    scope = format_fiscal_year(args.fy) if args.fy else _("すべての年度")
    print(_("{scope}の会議 {n} 件を書き出しました: {path}").format(
        scope=scope, n=n, path=args.out))
    return 0


def register(groups) -> None:
    """Add ``pfdesk export meetings``."""
    p = groups.export.add_parser(
        "meetings",
        help=_("会議の一覧を Excel に書き出す（会議ID・会議体・回次・開催日・出欠・決定事項・宿題事項）"),
    )
    p.add_argument("out", metavar="OUT.xlsx", help=_("書き出す Excel ファイル"))
    p.add_argument("--fy", type=int, default=None,
                   help=_("年度（西暦の4月の年。例: 2026 = 令和8年度）。省略時はすべて"))
    p.set_defaults(handler=_export)
