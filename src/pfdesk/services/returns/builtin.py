"""The built-in return workbook: pfdesk's own standard form (標準様式), from a FigureSet.

Every number in it is a named figure of :mod:`figures` (except the per-body meeting rows
and the list of organizations), so what the workbook shows is exactly what ``pfdesk
stats`` and a filled prefecture form show. The sheets:
相談実績, 属性, 相談内容, 相談経路, つなぎ先, 会議開催状況, 構成機関, 窓口・実態把握.
"""

from __future__ import annotations

from datetime import date

from pfdesk.core import codes
from pfdesk.core.fiscal import AGE_BANDS
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.documents.return_workbook import Fig, ReturnBook, SheetSpec, Table
from pfdesk.services.returns.figures import FigureSet, Value

SHEETS = ("相談実績", "属性", "相談内容", "相談経路", "つなぎ先", "会議開催状況", "構成機関",
          "窓口・実態把握")


def _month_sheet(v: dict[str, Value], fs: FigureSet) -> SheetSpec:
    methods = codes.METHODS
    header = [_("月"), _("新規"), _("実人数"), _("延べ件数")] + [
        _("うち{m}").format(m=lab) for lab in methods.labels()
    ]
    months = []
    y, m = fs.start.year, fs.start.month
    while (y, m) <= (fs.end.year, fs.end.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    rows = []
    for y, m in months:
        rows.append(
            [_("{y}年{m}月").format(y=y, m=m) if len(months) > 12 else _("{m}月").format(m=m)]
            + [Fig(v[f"{k}.month.{m}"], f"{k}.month.{m}")
               for k in ("new", "persons", "contacts")]
            + [Fig(v[f"contacts.month.{m}.{k}"], f"contacts.month.{m}.{k}")
               for k in methods.keys()]
        )
    rows.append(
        [_("合計")]
        + [Fig(v["new.total"], "new.total"), Fig(v["persons.total"], "persons.total"),
           Fig(v["contacts.total"], "contacts.total")]
        + [Fig(v[f"contacts.method.{k}"], f"contacts.method.{k}") for k in methods.keys()]
    )
    status = Table(
        _("ケース状況（期間中に相談のあった人の現在の状況）"),
        [_("状況"), _("人数")],
        [[lab, Fig(v[f"cases.status.{k}"], f"cases.status.{k}")]
         for k, lab in codes.CASE_STATUSES],
    )
    return SheetSpec(_("相談実績"), _("相談実績（月別）"), [
        Table(_("月別の相談件数"), header, rows, total_rows=1,
              note=_("実人数の合計は期間中の実人数です（同じ人が複数の月に相談しても1人と数えます）。")),
        status,
    ], landscape=True)


def _cross(v, measure: str, title: str) -> Table:
    sexes = codes.SEXES
    rows = []
    for a, alab in AGE_BANDS:
        rows.append([_(alab)] + [
            Fig(v[f"{measure}.age_sex.{a}.{s}"], f"{measure}.age_sex.{a}.{s}")
            for s in sexes.keys()
        ] + [Fig(v[f"{measure}.age.{a}"], f"{measure}.age.{a}")])
    rows.append([_("計")] + [Fig(v[f"{measure}.sex.{s}"], f"{measure}.sex.{s}")
                            for s in sexes.keys()]
                + [Fig(v[f"{measure}.total"], f"{measure}.total")])
    return Table(title, [_("年代")] + sexes.labels() + [_("計")], rows, total_rows=1,
                 note=_("年代は期間中の最初の相談日の年齢です（生年月日が不明の場合は記録された年代）。"))


def _dim_table(v, title: str, short: str, items, *, referral: bool = False) -> Table:
    if referral:
        header = [title, _("つないだ人数"), _("つなぎ件数"), _("うち新規の人")]
        rows = [[lab, Fig(v[f"persons.referral.{k}"], f"persons.referral.{k}"),
                 Fig(v[f"referrals.{k}"], f"referrals.{k}"),
                 Fig(v[f"new.referral.{k}"], f"new.referral.{k}")] for k, lab in items]
        rows.append([_("計"), "", Fig(v["referrals.total"], "referrals.total"), ""])
        return Table(title, header, rows, total_rows=1,
                     note=_("期間中に行ったつなぎを数えています。"))
    header = [title, _("実人数"), _("延べ件数"), _("新規")]
    rows = [[lab] + [Fig(v[f"{m}.{short}.{k}"], f"{m}.{short}.{k}")
                     for m in ("persons", "contacts", "new")] for k, lab in items]
    return Table(title, header, rows)


def _meetings_sheet(v, fs: FigureSet) -> SheetSpec:
    by_kind = [
        [lab, Fig(v[f"meetings.{k}.count"], f"meetings.{k}.count"),
         Fig(v[f"meetings.{k}.attendees"], f"meetings.{k}.attendees"),
         Fig(v[f"meetings.{k}.observers"], f"meetings.{k}.observers")]
        for k, lab in codes.BODY_KINDS
    ]
    by_kind.append([_("計"), Fig(v["meetings.total.count"], "meetings.total.count"), "", ""])
    per_body = [
        [b["body"], codes.BODY_KINDS.label(b["kind"]), b["count"],
         [format_date(date.fromisoformat(d), weekday=True) for d in b["dates"]],
         b["attendees"], "\n".join(b["themes"])]
        for b in fs.meetings
    ] or [[_("（期間中に開催した会議はありません）"), "", 0, "", 0, ""]]
    return SheetSpec(_("会議開催状況"), _("会議開催状況"), [
        Table(_("会議体の種類別"), [_("種類"), _("開催回数"), _("延べ出席者数"), _("傍聴者数")],
              by_kind, total_rows=1),
        Table(_("会議体ごと"),
              [_("会議体"), _("種類"), _("開催回数"), _("開催日"), _("延べ出席者数"),
               _("テーマ・主な議題")], per_body,
              note=_("開催済みの会議を数えています。個別事例を扱う会議の内容は記載しません。")),
        Table(_("学習会・情報交換会の参加者"), [_("区分"), _("人数")],
              [[_("参加者数（合計）"),
                Fig(v["meetings.study.participants"], "meetings.study.participants")]]),
    ], landscape=True)


def _orgs_sheet(v, fs: FigureSet) -> SheetSpec:
    counts = [[lab, Fig(v[f"orgs.field.{k}"], f"orgs.field.{k}")] for k, lab in codes.FIELDS]
    counts.append([_("計"), Fig(v["orgs.total"], "orgs.total")])
    listed = [[i, o["name"], codes.FIELDS.label(o["field"])]
              for i, o in enumerate(fs.organizations, start=1)]
    return SheetSpec(_("構成機関"), _("プラットフォームの構成機関"), [
        Table(_("分野別の数"), [_("分野"), _("機関数")], counts, total_rows=1),
        Table(_("構成機関の一覧"), [_("番号"), _("機関名"), _("分野")],
              listed or [["", _("（登録なし）"), ""]]),
    ])


def _answers_sheet(v) -> SheetSpec:
    def row(label, name):
        return [label, Fig(v[name], name)]

    return SheetSpec(_("窓口・実態把握"), _("相談窓口・実態把握・プラットフォーム"), [
        Table(_("ひきこもり相談窓口"), [_("項目"), _("回答")], [
            row(_("窓口の有無"), "settings.window_exists"),
            row(_("窓口の名称"), "settings.window_name"),
            row(_("周知方法"), "settings.publicity_methods"),
        ]),
        Table(_("実態把握"), [_("項目"), _("回答")], [
            row(_("実施の有無"), "settings.survey_done"),
            row(_("実施年度"), "settings.survey_year"),
            row(_("方法"), "settings.survey_method"),
            row(_("把握人数"), "settings.survey_count"),
        ]),
        Table(_("実態把握調査（pfdesk の調査の集計）"), [_("項目"), _("回答")], [
            row(_("調査の実施"), "survey.done"),
            row(_("調査の年度"), "survey.year"),
            row(_("民生委員・児童委員への調査"), "survey.commissioners"),
            row(_("調査数"), "survey.respondents"),
            row(_("回収数"), "survey.answered"),
            row(_("回収率"), "survey.response_rate"),
            row(_("調査の把握人数"), "survey.persons"),
        ]),
        Table(_("プラットフォーム"), [_("項目"), _("回答")], [
            row(_("名称"), "settings.platform_name"),
            row(_("設置年月"), "settings.platform_established"),
            row(_("事務局"), "settings.secretariat"),
        ]),
    ])


def builtin_book(fs: FigureSet, values: dict[str, Value], *, suppressed: bool) -> ReturnBook:
    """The standard workbook of ``fs``; ``values`` are its figures after any 秘匿."""
    v = values
    notes = [_("秘匿: 1～2 の人数・件数は「＊」で表しています。")] if suppressed else []
    attrs = SheetSpec(_("属性"), _("相談者の属性"), [
        _cross(v, "persons", _("年代×性別（実人数）")),
        _cross(v, "new", _("年代×性別（新規）")),
        _dim_table(v, _("相談者区分"), "requester", list(codes.REQUESTERS)),
    ], landscape=True)
    return ReturnBook(
        title=_("ひきこもり支援 報告（{p}）").format(p=fs.period_label),
        municipality=fs.municipality,
        period_label=fs.period_label,
        notes=notes,
        sheets=[
            _month_sheet(v, fs),
            attrs,
            SheetSpec(_("相談内容"), _("相談内容（主な相談内容）"),
                      [_dim_table(v, _("相談内容"), "topic", list(codes.TOPICS))]),
            SheetSpec(_("相談経路"), _("相談経路"),
                      [_dim_table(v, _("相談経路"), "route", list(codes.ROUTES))]),
            SheetSpec(_("つなぎ先"), _("つなぎ先"),
                      [_dim_table(v, _("つなぎ先区分"), "referral",
                                  list(codes.REFERRAL_CATEGORIES), referral=True)]),
            _meetings_sheet(v, fs),
            _orgs_sheet(v, fs),
            _answers_sheet(v),
        ],
    )
