"""``pfdesk stats --fy YEAR [--json]``: the consultation statistics of a 年度 (or months)."""

from __future__ import annotations

import json
import unicodedata
from typing import TYPE_CHECKING

from pfdesk.core.codes import CASE_STATUSES, METHODS
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date, format_fiscal_year

if TYPE_CHECKING:
    from pfdesk.services.stats import ConsultationStats


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Columns aligned for a terminal that shows Japanese at double width."""
    widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    out = []
    for n, r in enumerate([header, *rows]):
        out.append("  ".join(
            _pad(str(c), widths[i], right=i > 0) for i, c in enumerate(r)
        ).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def format_stats(stats: ConsultationStats, title: str) -> str:
    """The statistics as readable Japanese tables."""
    lines = [
        title,
        _("期間: {start} ～ {end}").format(
            start=format_date(stats.start), end=format_date(stats.end)
        ),
        _("実人数 {p} 人　延べ件数 {c} 件　新規 {n} 人").format(
            p=stats.persons, c=stats.contacts, n=stats.new_persons
        ),
        "",
        _("■ 月別"),
    ]
    mkeys = METHODS.keys()
    header = [_("月"), _("新規"), _("実人数"), _("延べ件数")] + METHODS.labels()
    rows = [
        [f"{m.year}年{m.month}月", m.new_persons, m.persons, m.contacts]
        + [m.contacts_by_method.get(k, 0) for k in mkeys]
        for m in stats.by_month
    ]
    lines += _table(header, rows)
    for b in stats.by.values():
        if b.dimension == "age_sex":
            continue  # shown as 年代 and 性別 separately; the cross table is in the return
        count_label = _("件数") if b.dimension == "referral_category" else _("延べ件数")
        lines += ["", _("■ {label}").format(label=b.label)]
        lines += _table(
            [b.label, _("実人数"), count_label, _("新規")],
            [[r.label, r.persons, r.contacts, r.new_persons] for r in b.rows],
        )
    lines += ["", _("■ ケース状況（現在）")]
    lines += _table(
        [_("状況"), _("人数")],
        [[CASE_STATUSES.label(k), v] for k, v in stats.status_counts.items()],
    )
    return "\n".join(lines)


def _run(args, ctx) -> int:
    from pfdesk.services.stats import (
        consultation_stats,
        fiscal_year_stats,
        month_range,
        stats_to_dict,
    )

    if args.months:
        start, end = month_range(args.months)
        stats = consultation_stats(ctx, start=start, end=end)
        title = _("相談統計")
    else:
        stats = fiscal_year_stats(ctx, args.fy)
        title = _("相談統計　{fy}").format(fy=format_fiscal_year(args.fy))
    from pfdesk.services.support.figures import format_support_figures, support_figures

    support = support_figures(ctx, start=stats.start, end=stats.end)  # 支援の進行
    if args.json:
        data = stats_to_dict(stats)
        if not args.months:
            data["fiscal_year"] = args.fy
        data["support"] = support.values
        print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print(format_stats(stats, title))
        print(format_support_figures(support))
    return 0


def register(groups) -> None:
    """Add ``pfdesk stats``."""
    p = groups.top.add_parser("stats", help=_("相談の統計（実人数・延べ件数・新規）を表示する"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--fy", type=int, help=_("年度（西暦、例: 2026 は令和8年度）"))
    which.add_argument("--months", help=_("月の範囲（例: 2026-04:2026-09）"))
    p.add_argument("--json", action="store_true", help=_("JSON で出力する"))
    p.set_defaults(handler=_run)
    h = groups.top.add_parser(
        "hiding", help=_("秘匿（小さい数を「＊」にする規則）を表示・変更する（変更は管理者）"))
    on_off = h.add_mutually_exclusive_group()
    on_off.add_argument("--on", action="store_true", help=_("秘匿を有効にする（初期値）"))
    on_off.add_argument("--off", action="store_true",
                        help=_("秘匿を無効にする（役場内で確かめるときだけ）"))
    h.add_argument("--rule", choices=("secondary", "primary"),
                   help=_("secondary: 合計から計算できる数も隠す（初期値）／primary: 小さい数だけ"))
    h.add_argument("--threshold", type=int, help=_("隠す数の上限（1～9、初期値 2）"))
    h.set_defaults(handler=_run_hiding)


def _run_hiding(args, ctx) -> int:
    from pfdesk.services.small_counts import (
        RULES,
        SmallCountRule,
        get_small_count_rule,
        set_small_count_rule,
    )

    rule = stored = get_small_count_rule(ctx)
    if args.on or args.off or args.rule or args.threshold is not None:
        rule = SmallCountRule(
            enabled=rule.enabled if not (args.on or args.off) else bool(args.on),
            rule=args.rule or rule.rule,
            threshold=rule.threshold if args.threshold is None else args.threshold)
        # Built on the rule just read: another PC's change meanwhile is refused, not undone.
        set_small_count_rule(ctx, rule, seen=stored)
    print(_("秘匿: {state}　方法: {rule}（{label}）　上限: {n}").format(
        state=_("有効") if rule.enabled else _("無効"), rule=rule.rule,
        label=_(RULES[rule.rule]), n=rule.threshold))
    return 0
