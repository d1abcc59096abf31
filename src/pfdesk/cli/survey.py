"""``pfdesk survey``: list surveys, print questionnaires and the report, answer sheets, import."""

from __future__ import annotations

from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _


def _survey_id(ctx, text: str) -> int:
    """SURVEY as typed: the 調査番号, or a 年度 (2026) that has exactly one survey."""
    from pfdesk.services.survey.surveys import list_surveys

    try:
        n = int(text)
    except ValueError:
        raise ValidationError(_("調査「{t}」は番号（pfdesk survey list の「番号」）か年度（例: 2026）"
                                "で指定してください。").format(t=text)) from None
    rows = list_surveys(ctx)
    if any(r.id == n for r in rows):
        return n
    same_year = [r for r in rows if r.fiscal_year == n]
    if len(same_year) == 1:
        return same_year[0].id
    if len(same_year) > 1:
        raise ValidationError(_("{fy}年度の調査が{k}件あります。番号で指定してください。").format(
            fy=n, k=len(same_year)))
    raise ValidationError(_("調査「{t}」が見つかりません。").format(t=text),
                          hint=_("pfdesk survey list で番号を確かめてください。"))


def _list(args, ctx) -> int:
    from pfdesk.core.wareki import format_date
    from pfdesk.services.survey.surveys import list_surveys

    rows = list_surveys(ctx)
    if not rows:
        print(_("実態把握調査はまだありません。"))
        return 0
    print("\t".join([_("番号"), _("年度"), _("調査名"), _("提出期限"), _("回収"), _("回収率"),
                     _("把握人数")]))
    for r in rows:
        print("\t".join([str(r.id), r.fiscal_year_label, r.title,
                         format_date(r.deadline) if r.deadline else "-",
                         f"{r.answered}/{r.respondents}", f"{r.response_rate:.1f}%",
                         _("{n}人").format(n=r.known_total)]))
    return 0


def _print(args, ctx) -> int:
    from pfdesk.services.survey.papers import print_questionnaires

    result = print_questionnaires(ctx, _survey_id(ctx, args.survey), args.out,
                                  to_all=args.to_all, waiting_only=args.waiting)
    print(_("調査票 {n} 部（{p} ページ）を書き出しました: {path}").format(
        n=result.copies, p=result.pages, path=result.path))
    print(_("文書番号: {n}").format(n=result.doc_number))
    return 0


def _report(args, ctx) -> int:
    from pfdesk.services.survey.papers import print_report

    result = print_report(ctx, _survey_id(ctx, args.survey), args.out,
                          suppress_small=not args.no_suppress)
    print(_("結果報告（{p} ページ）を書き出しました: {path}").format(p=result.pages, path=result.path))
    return 0


def _sheet(args, ctx) -> int:
    from pfdesk.services.survey.sheets import export_answer_sheet

    path = export_answer_sheet(ctx, _survey_id(ctx, args.survey), args.out,
                               respondent_id=args.respondent)
    print(_("回答用紙（Excel）を書き出しました: {path}").format(path=path))
    return 0


def _import(args, ctx) -> int:
    from pfdesk.core.errors import KnownError
    from pfdesk.services.survey.answers import answer_summary
    from pfdesk.services.survey.sheets import import_answer_sheet, preview_answer_sheet

    survey_id = _survey_id(ctx, args.survey)
    preview = preview_answer_sheet(ctx, args.file, survey_id=survey_id,
                                   respondent_id=args.respondent)
    if preview.replaces and not args.replace:
        saved = _("（{who}）").format(who=preview.saved_by) if preview.saved_by else ""
        raise KnownError(
            _("{who}の回答はすでに入力されています{saved}。回答用紙「{file}」は取り込んで"
              "いません。\n今の回答: {summary}").format(
                who=preview.respondent, saved=saved, file=preview.file,
                summary=answer_summary(preview.current)),
            hint=_("回答用紙の内容で置き換えるときは、--replace を付けてもう一度実行してください。"))
    # ``seen``: an answer saved between the check above and the import is not replaced.
    result = import_answer_sheet(ctx, args.file, survey_id=survey_id,
                                 respondent_id=args.respondent, seen=preview)
    print(_("{who}の回答を取り込みました（把握している人数 {k}人、記入 {n}人）。").format(
        who=result.respondent, k=result.known_count, n=result.persons))
    if result.replaced:
        print(_("注意: 前に入力されていた回答を置き換えました。"))
    return 0


def _export(args, ctx) -> int:
    from pfdesk.services.survey.export import export_survey_answers

    n = export_survey_answers(ctx, _survey_id(ctx, args.survey), args.out)
    print(_("回答 {n}人分を書き出しました: {path}").format(n=n, path=args.out))
    return 0


def _reminders(args, ctx) -> int:
    from pfdesk.core.wareki import format_date
    from pfdesk.services.survey.answers import collection

    c = collection(ctx, _survey_id(ctx, args.survey))
    print(_("回収 {a}/{n}（回収率 {r:.1f}%）").format(a=c.answered, n=c.asked, r=c.rate))
    if c.deadline:
        late = _("（期限を過ぎています）") if c.overdue else ""
        print(_("提出期限: {d}{late}").format(d=format_date(c.deadline), late=late))
    if not c.waiting:
        print(_("全員から回答がありました。"))
        return 0
    print(_("未回答（{n}件）:").format(n=len(c.waiting)))
    for r in c.waiting:
        print(f"{r.id}\t{r.group}\t{r.addressee}")
    return 0


def register(groups) -> None:
    """Add ``pfdesk survey …``."""
    p = groups.top.add_parser("survey", help=_("実態把握調査（一覧・調査票・回答用紙・取り込み・結果報告）"))
    sub = p.add_subparsers(dest="survey_command", metavar="SUBCOMMAND", required=True)
    sub.add_parser("list", help=_("調査の一覧（番号・年度・回収率・把握人数）")).set_defaults(
        handler=_list)
    pr = sub.add_parser("print", help=_("調査票（依頼文・記入要領・回答用紙）を PDF に書き出す"))
    pr.add_argument("survey", metavar="SURVEY", help=_("調査の番号、または年度（例: 2026）"))
    pr.add_argument("--out", required=True, metavar="F.pdf", help=_("書き出す PDF ファイル"))
    pr.add_argument("--to-all", action="store_true",
                    help=_("回答者ごとではなく「各位」あての1部だけを作る"))
    pr.add_argument("--waiting", action="store_true",
                    help=_("未回答の回答者にだけ作り直す（再依頼の文面）"))
    pr.set_defaults(handler=_print)
    rp = sub.add_parser("report", help=_("結果報告（表・グラフ・前回との比較）を PDF に書き出す"))
    rp.add_argument("survey", metavar="SURVEY", help=_("調査の番号、または年度（例: 2026）"))
    rp.add_argument("--out", required=True, metavar="report.pdf", help=_("書き出す PDF ファイル"))
    rp.add_argument("--no-suppress", action="store_true",
                    help=_("1～2人の区分も数字のまま出す（内部資料用）"))
    rp.set_defaults(handler=_report)
    sh = sub.add_parser("sheet", help=_("回答用紙（Excel）を書き出す"))
    sh.add_argument("survey", metavar="SURVEY", help=_("調査の番号、または年度"))
    sh.add_argument("--out", required=True, metavar="F.xlsx", help=_("書き出す .xlsx ファイル"))
    sh.add_argument("--respondent", type=int, default=None,
                    help=_("回答者の番号（pfdesk survey reminders で表示）。省略時は各位あての用紙"))
    sh.set_defaults(handler=_sheet)
    im = sub.add_parser("import", help=_("返ってきた回答用紙（Excel）を取り込む（問題があれば何も取り込まない）"))
    im.add_argument("survey", metavar="SURVEY", help=_("調査の番号、または年度"))
    im.add_argument("file", metavar="FILE.xlsx", help=_("回答用紙"))
    im.add_argument("--respondent", type=int, default=None,
                    help=_("各位あての用紙のとき、どの回答者の回答か（回答者の番号）"))
    im.add_argument("--replace", action="store_true",
                    help=_("すでに入力されている回答を、回答用紙の内容で置き換える"))
    im.set_defaults(handler=_import)
    ex = sub.add_parser("export", help=_("回答を1人1行の Excel に書き出す（回答者名なし）"))
    ex.add_argument("survey", metavar="SURVEY", help=_("調査の番号、または年度"))
    ex.add_argument("--out", required=True, metavar="F.xlsx", help=_("書き出す .xlsx ファイル"))
    ex.set_defaults(handler=_export)
    rm = sub.add_parser("reminders", help=_("回収状況と未回答の一覧（督促用）"))
    rm.add_argument("survey", metavar="SURVEY", help=_("調査の番号、または年度"))
    rm.set_defaults(handler=_reminders)
