"""``pfdesk print plan CASE --out FILE.pdf``: a case's 支援計画書 (latest or --version N)."""

from __future__ import annotations

from pfdesk.core.i18n import _


def _run(args, ctx) -> int:
    from pfdesk.services.support.plan_sheet import case_id_by_number, print_plan

    pages = print_plan(ctx, case_id_by_number(ctx, args.case), args.out, args.version)
    print(_("支援計画書を書き出しました（{pages}ページ）: {path}").format(pages=pages,
                                                                      path=args.out))
    return 0


def register(groups) -> None:
    """Add ``pfdesk print plan``."""
    p = groups.print_.add_parser("plan", help=_("支援計画書（本人・家族の同意欄つき）"),
                                 description=_("支援計画書"))
    p.add_argument("case", metavar="CASE", help=_("ケース番号（例: R8-0012）"))
    p.add_argument("--version", type=int, default=None, help=_("版（省略時は最新の版）"))
    p.add_argument("--out", required=True, metavar="FILE.pdf", help=_("書き出す PDF ファイル"))
    p.set_defaults(handler=_run)
