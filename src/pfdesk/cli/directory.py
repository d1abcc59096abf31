"""Directory commands: ``pfdesk import contacts``, ``export contacts``, ``print directory|labels``."""

from __future__ import annotations

from pathlib import Path

from pfdesk.core.i18n import _

_ACTIONS = {"add": _("追加"), "update": _("更新"), "unchanged": _("変更なし"), "error": _("不可")}


def _import(args, ctx) -> int:
    from pfdesk.core.errors import ValidationError
    from pfdesk.core.tabular import load_mapping, load_value_choices
    from pfdesk.services.directory.importer import import_contacts, preview_contacts_import

    mapping = load_mapping(args.mapping) if args.mapping else None
    values = load_value_choices(args.mapping) if args.mapping else None
    kwargs = {"mapping": mapping, "add_duplicates": args.add_duplicates, "sheet": args.sheet,
              "values": values}
    refused: ValidationError | None = None
    if not args.dry_run:
        # The import plans the file itself and says what each row did: no preview before
        # it (that planned the whole file twice), only when the file is refused.
        try:
            done = import_contacts(ctx, args.file, **kwargs)
        except ValidationError as e:
            refused = e
        else:
            _print_rows(done)
            print(_("取り込みました: {name}（{n} 行）").format(name=done.source,
                                                            n=len(done.rows)))
            return 0
    preview = preview_contacts_import(ctx, args.file, **kwargs)
    _print_rows(preview)
    if args.dry_run and preview.value_tables:
        print(preview.value_text())
    if not preview.ok:
        print(_("エラー: ") + preview.error_text(), flush=True)
        print(_("ファイル全体を取り込みませんでした。直してから、もう一度実行してください。"))
        return 1
    if args.dry_run or refused is None:
        print(_("確認のみ（--dry-run）のため、取り込んでいません。"))
        return 0
    print(_("エラー: ") + refused.user_text())
    return 1


def _print_rows(preview) -> None:
    """One line per row (what it does), then the counts."""
    for r in preview.rows:
        who = "　".join(x for x in (r.organization, r.person) if x)
        dup = _("（重複: {d}）").format(d=r.duplicate_of) if r.duplicate_of else ""
        review = f"  {r.review}" if r.review else ""
        print(f"{r.row:>5}{_('行目')}  {_ACTIONS.get(r.action, r.action)}  {who}{dup}{review}")
    print(_("追加 {a} 件、更新 {u} 件、変更なし {n} 件、不可 {e} 件").format(
        a=preview.count("add"), u=preview.count("update"), n=preview.count("unchanged"),
        e=preview.count("error")))


def _body_id(ctx, text: str | None) -> int | None:
    """A 会議体 given by number or by (part of) its name."""
    if not text:
        return None
    from pfdesk.core.errors import ValidationError
    from pfdesk.services.directory.organizations import body_choices

    bodies = body_choices(ctx)
    if text.isdigit() and any(b.id == int(text) for b in bodies):
        return int(text)
    found = [b for b in bodies if text in b.name]
    if len(found) == 1:
        return found[0].id
    listing = "\n".join(f"  {b.id}: {b.name}" for b in bodies) or _("（会議体がありません）")
    raise ValidationError(
        _("会議体「{t}」を1つに決められません（{n}件該当）。").format(t=text, n=len(found)),
        hint=_("番号か、名称の一部で指定してください。登録されている会議体:\n") + listing,
    )


def _export(args, ctx) -> int:
    from pfdesk.services.directory.io import export_contacts

    result = export_contacts(ctx, args.out, encoding=args.encoding, body_id=_body_id(ctx, args.body),
                             in_post_only=not args.all)
    print(_("書き出しました: {path}（{n} 行）").format(path=result.path, n=result.rows))
    if result.encoding == "cp932":
        print(result.report)
    return 0


def _print_directory(args, ctx) -> int:
    from pfdesk.services.directory.printing import print_directory

    result = print_directory(ctx, args.out, body_id=_body_id(ctx, args.body))
    print(_("名簿を作成しました: {path}（{n} 名、{p} ページ）").format(
        path=result.path, n=result.entries, p=result.pages))
    return 0


def _print_labels(args, ctx) -> int:
    from pfdesk.services.directory.organizations import list_organizations
    from pfdesk.services.directory.printing import print_labels

    org_ids = None
    body = _body_id(ctx, args.body)
    if args.organizations:
        org_ids = [o.id for o in list_organizations(ctx, body_id=body)]
    result = print_labels(ctx, args.out, body_id=None if org_ids is not None else body,
                          organization_ids=org_ids, start_at=args.start, outline=args.outline)
    print(_("宛名ラベルを作成しました: {path}（{n} 枚分、{p} シート）").format(
        path=result.path, n=result.entries, p=result.pages))
    return 0


def register(groups) -> None:
    """Add the directory's import, export and print commands."""
    p = groups.import_.add_parser("contacts", help=_("関係機関・担当者の名簿を取り込む"))
    p.add_argument("file", type=Path, help=_("Excel（.xlsx）か CSV ファイル"))
    p.add_argument("--mapping", type=Path,
                   help=_("列の対応表（JSON）。\"values\" に値の対応（例: 「行政（庁内）」→ government）"
                          "も書けます"))
    p.add_argument("--sheet", help=_("Excel ファイルのシート名（既定: 最初のシート）"))
    p.add_argument("--dry-run", action="store_true",
                   help=_("取り込まずに、追加・更新・不可になる行と値の対応表を表示する"))
    p.add_argument("--add-duplicates", action="store_true",
                   help=_("既存の人と同じ読み・所属の行も新しい人として追加する（既定は更新）"))
    p.set_defaults(handler=_import)

    p = groups.export.add_parser("contacts", help=_("関係機関・担当者の名簿を書き出す"))
    p.add_argument("out", type=Path, help=_("書き出し先（.xlsx か .csv）"))
    p.add_argument("--encoding", choices=["cp932", "utf-8-sig"], default="utf-8-sig",
                   help=_("CSV の文字コード（既定: utf-8-sig）"))
    p.add_argument("--body", help=_("この会議体の委員だけ（会議体の番号か名称の一部）"))
    p.add_argument("--all", action="store_true", help=_("退任した人・廃止した機関も含める"))
    p.set_defaults(handler=_export)

    p = groups.print_.add_parser("directory", help=_("名簿を PDF にする（五十音順）"))
    p.add_argument("--out", type=Path, required=True, help=_("PDF の保存先"))
    p.add_argument("--body", help=_("この会議体の委員名簿にする（会議体の番号か名称の一部）"))
    p.set_defaults(handler=_print_directory)

    p = groups.print_.add_parser("labels", help=_("宛名ラベル（A4 12面）を PDF にする"))
    p.add_argument("--out", type=Path, required=True, help=_("PDF の保存先"))
    p.add_argument("--body", help=_("この会議体の委員だけ（会議体の番号か名称の一部）"))
    p.add_argument("--organizations", action="store_true",
                   help=_("担当者ではなく機関あて（御中）にする"))
    p.add_argument("--start", type=int, default=1, help=_("1枚目の開始位置（1〜12）"))
    p.add_argument("--outline", action="store_true", help=_("ラベルの枠線を印刷する（試し刷り用）"))
    p.set_defaults(handler=_print_labels)
