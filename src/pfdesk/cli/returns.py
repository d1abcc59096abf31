"""``pfdesk return``: write the return for a 年度 or months, built in or on the prefecture's form."""

from __future__ import annotations

from pathlib import Path

from pfdesk.core.atomic import read_error
from pfdesk.core.errors import ValidationError
from pfdesk.core.fiscal import fiscal_year_range
from pfdesk.core.i18n import _


def _period(args):
    from pfdesk.services.stats import month_range

    if args.months:
        return month_range(args.months)
    return fiscal_year_range(args.fy)


def _run(args, ctx) -> int:
    from pfdesk.services.returns.snapshots import make_builtin_return, make_form_return

    start, end = _period(args)
    if bool(args.form) != bool(args.mapping):
        raise ValidationError(
            _("様式に記入するには --form（様式 .xlsx）と --mapping（記入設定 .toml）の両方を"
              "指定してください。"))
    if args.form:
        path = Path(args.mapping)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as e:
            raise read_error(e, path) from e
        except UnicodeDecodeError:
            raise ValidationError(
                _("記入設定「{name}」を UTF-8 の文字として読めません。").format(name=path.name),
                hint=_("メモ帳で開き、文字コード「UTF-8」で保存し直してください。")) from None
        result = make_form_return(
            ctx, start=start, end=end, form_path=args.form, mapping_text=text,
            mapping_source=path.name, out_path=args.out, suppress_small=args.suppress_small,
        )
        for c in result.cells:
            print(f"{c.sheet}!{c.cell}\t{c.figure}\t{c.value}")
        for c in result.cells:
            if c.note:
                print(_("注意: {sheet}!{cell}: {note}").format(
                    sheet=c.sheet, cell=c.cell, note=c.note))
    else:
        result = make_builtin_return(
            ctx, start=start, end=end, out_path=args.out, suppress_small=args.suppress_small
        )
    print(_("{period}の報告を書き出しました: {path}").format(
        period=result.period_label, path=result.output_path))
    for warning in result.warnings:
        print(_("注意: ") + warning)
    if result.suppressed:
        print(_("秘匿: 1～2 の人数・件数を「＊」にしました。"))
    print(_("作成履歴の番号: {id}　SHA-256: {sha}").format(
        id=result.snapshot_id, sha=result.output_sha256))
    return 0


def register(groups) -> None:
    """Add ``pfdesk return``."""
    p = groups.top.add_parser("return", help=_("都道府県への報告（Excel）を作成する"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--fy", type=int, help=_("年度（西暦、例: 2026 は令和8年度）"))
    which.add_argument("--months", help=_("月の範囲（例: 2026-04:2026-09）。--fy の代わりに指定"))
    p.add_argument("--out", required=True, help=_("書き出す .xlsx ファイル（名前は .xlsx で終わること）"))
    p.add_argument("--form", help=_("都道府県の様式（.xlsx）"))
    p.add_argument("--mapping", help=_("記入設定（.toml）"))
    p.add_argument("--suppress-small", action="store_true",
                   help=_("秘匿: 1～2 の人数・件数を「＊」にする"))
    p.set_defaults(handler=_run)
