"""``pfdesk import consultations`` and ``pfdesk export consultations``: the ledger in, codes out."""

from __future__ import annotations

from pathlib import Path

from pfdesk.core.i18n import _


def _import(args, ctx) -> int:
    from pfdesk.core.errors import ValidationError
    from pfdesk.core.tabular import load_mapping, load_value_choices
    from pfdesk.services.consultations.io import import_ledger, preview_ledger

    mapping = load_mapping(args.mapping) if args.mapping else None
    values = load_value_choices(args.mapping) if args.mapping else None
    if args.dry_run:
        preview = preview_ledger(ctx, args.file, mapping, values=values)
        _print_columns(preview.source, preview.mapping)
        if preview.value_tables:
            print(preview.value_text())
    try:
        # The import reads and checks the file itself: no preview before it (that read
        # and checked the whole ledger twice), only when it is refused, to say the columns.
        result = import_ledger(ctx, args.file, mapping, dry_run=args.dry_run, values=values)
    except ValidationError:
        if not args.dry_run:
            preview = preview_ledger(ctx, args.file, mapping, values=values)
            _print_columns(preview.source, preview.mapping)
        raise
    if not args.dry_run:
        _print_columns(result.source, result.mapping)
    if result.dry_run:
        print(_("確認のみ: ケース {cases} 件、経過記録 {contacts} 件を取り込めます。"
                "（何も登録していません）").format(cases=result.cases, contacts=result.contacts))
        return 0
    print(_("ケース {cases} 件、経過記録 {contacts} 件を取り込みました。").format(
        cases=result.cases, contacts=result.contacts))
    for ledger_key, number in result.case_numbers:
        print(_("  台帳番号 {key} → ケース番号 {number}").format(key=ledger_key, number=number))
    return 0


def _print_columns(source: str, mapping: dict[str, str]) -> None:
    from pfdesk.services.consultations.io import FIELDS

    print(_("ファイル: {name}").format(name=source))
    print(_("列の対応:"))
    for key, header in mapping.items():
        label = next((f.label for f in FIELDS if f.key == key), key)
        print(f"  {label} ← 「{header}」")


def _export(args, ctx) -> int:
    from pfdesk.services.consultations.io import export_contacts

    result = export_contacts(ctx, Path(args.out), args.fy, encoding=args.encoding)
    print(_("{path} に相談 {n} 件を書き出しました（氏名などは含みません）。").format(
        path=result.path, n=result.contacts))
    if result.referrals:
        print(_("つなぎ {n} 件を「つなぎ」シートに書き出しました。").format(n=result.referrals))
    if result.encoding_note and args.encoding == "cp932":
        print(result.encoding_note)
    return 0


def register(groups) -> None:
    """Add ``pfdesk import consultations`` and ``pfdesk export consultations``."""
    imp = groups.import_.add_parser("consultations", help=_("相談台帳（.xlsx / .csv）を取り込む"))
    imp.add_argument("file", metavar="FILE", help=_("相談台帳のファイル（.xlsx または .csv）"))
    imp.add_argument("--mapping", metavar="FILE",
                     help=_("列の対応表（JSON）。省略すると見出しから推定します。"
                            "\"values\" に値の対応（例: 「面談」→ visit_office）も書けます"))
    imp.add_argument("--dry-run", action="store_true",
                     help=_("確認だけして登録しない（値の対応表も表示する）"))
    imp.set_defaults(handler=_import)
    exp = groups.export.add_parser(
        "consultations", help=_("相談を1件1行で書き出す（ケース番号と区分のみ。氏名なし）"))
    exp.add_argument("out", metavar="OUT", help=_("書き出し先（.xlsx または .csv）"))
    exp.add_argument("--fy", type=int, default=None, metavar="YEAR",
                     help=_("年度（例: 2026 = 令和8年度）。省略するとすべて"))
    exp.add_argument("--encoding", choices=("utf-8-sig", "cp932"), default="utf-8-sig",
                     help=_("CSV の文字コード（既定: BOM 付き UTF-8）"))
    exp.set_defaults(handler=_export)
