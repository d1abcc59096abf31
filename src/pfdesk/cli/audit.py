"""``pfdesk audit verify|sheet|export``: check the audit log, anchor it on paper, export it."""

from __future__ import annotations

import sys
from datetime import date

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _


def _verify(args, ctx) -> int:
    from pfdesk.services.audit_log import verify_audit

    result = verify_audit(ctx, key=args.key, anchors=args.anchor or [])
    print(result.message(), file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 1


def _sheet(args, ctx) -> int:
    from pfdesk.services.audit_anchor import print_audit_sheet

    info = print_audit_sheet(ctx, args.out)
    print(_("監査ログ確認票を書き出しました: {path}（確認コード {code}）").format(
        path=info.path, code=info.anchor))
    if info.with_key:
        print(_("この確認票には検証キーが印刷されています。印刷して保管したら、"
                "PDF ファイルは削除してください。検証キーはこのパソコンから消しました。"))
    return 0


def _day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _("{opt} の日付「{text}」を読めません。").format(opt=option, text=text),
            hint=_("2026-04-01 の形で指定してください。"),
        ) from None


def _export(args, ctx) -> int:
    from pfdesk.services.audit_log import AuditFilter, export_audit

    flt = AuditFilter(
        user_name=args.who or "", action=args.action or "", target_type=args.target or "",
        target_id=args.id or "", start=_day(args.start, "--from"), end=_day(args.end, "--to"),
    )
    n = export_audit(ctx, args.out, flt)
    print(_("監査ログ {n} 件を書き出しました: {path}").format(n=n, path=args.out))
    return 0


def register(groups) -> None:
    """Add ``pfdesk audit verify|export``."""
    p = groups.top.add_parser("audit", help=_("監査ログを検証・書き出しする（管理者）"))
    sub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = sub.add_parser("verify", help=_("監査ログが書き換えられていないか確かめる"))
    v.add_argument("--key", help=_("初回の監査ログ確認票の検証キー（すべての封印を確かめる）"))
    v.add_argument("--anchor", action="append", metavar="番号:コード",
                   help=_("監査ログ確認票の確認コード（何度でも指定できる）"))
    v.set_defaults(handler=_verify)
    sh = sub.add_parser("sheet", help=_("監査ログ確認票（PDF）を作る（毎月）"))
    sh.add_argument("out", help=_("書き出す PDF ファイル"))
    sh.set_defaults(handler=_sheet)
    e = sub.add_parser("export", help=_("監査ログを CSV に書き出す"))
    e.add_argument("out", help=_("書き出す CSV ファイル"))
    e.add_argument("--who", help=_("利用者名で絞り込む"))
    e.add_argument("--action", help=_("操作で絞り込む（例: case.view, auth）"))
    e.add_argument("--target", help=_("対象の種類で絞り込む（例: consultation_case）"))
    e.add_argument("--id", help=_("対象の ID で絞り込む"))
    e.add_argument("--from", dest="start", help=_("この日から（例: 2026-04-01）"))
    e.add_argument("--to", dest="end", help=_("この日まで（例: 2027-03-31）"))
    e.set_defaults(handler=_export)
