"""実態把握調査 結果報告 (for the 全体会): summary, tables and charts, the previous survey beside.

Input is the survey service's results (plain data), nothing here queries. Counts the
service hid (秘匿, as in other public outputs) print as 「＊」 and are drawn as 0 in the
charts; the note under the summary says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from pfdesk.core.i18n import _
from pfdesk.documents.charts import PALETTE, _legend, _value_step
from pfdesk.documents.pdf import FRAME_WIDTH, GOTHIC, build_pdf, grid_table, kv_table, paragraph

SUPPRESSED = "＊"

#: Shown values: figure name (「age.20s」, 「district.本町」) → count, or 「＊」 when hidden.
Shown = dict[str, int | str]


def _cell(shown: Shown | None, name: str, n: int) -> str:
    return str(shown.get(name, n)) if shown is not None else str(n)


def _hidden(shown: Shown | None, name: str) -> bool:
    return shown is not None and shown.get(name) == SUPPRESSED


def _plotted(shown: Shown | None, name: str, n: int) -> int:
    return 0 if _hidden(shown, name) else n


def _share(shown: Shown | None, name: str, n: int, total: int) -> str:
    if _hidden(shown, name):
        return SUPPRESSED
    return f"{100 * n / total:.1f}%" if total else "-"


def comparison_chart(title: str, rows: list[tuple[str, str, int, int | None]], *,
                     shown: Shown | None, shown_prev: Shown | None,
                     width: float = FRAME_WIDTH) -> Drawing:
    """Horizontal bars per category (name, label, 今回, 前回 or None); hidden counts draw 0."""
    has_prev = any(p is not None for _k, _l, _n, p in rows)
    per_row = 13 if has_prev else 9
    height = max(40 * mm, len(rows) * per_row + 46)
    d = Drawing(width, height)
    d.initialFontName = GOTHIC
    d.add(String(0, height - 10, title, fontName=GOTHIC, fontSize=9.5))
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 18
    chart.width, chart.height = width - 150 - 90, height - 40
    # The first category is drawn at the bottom: reverse so the table order reads downwards.
    ordered = list(reversed(rows))
    # Within a category the last series is drawn on top: 今回 above 前回, as the legend reads.
    chart.data = [[_plotted(shown, k, n) for k, _l, n, _p in ordered] or [0]]
    if has_prev:
        chart.data.insert(0, [_plotted(shown_prev, k, p or 0) for k, _l, _n, p in ordered])
    chart.categoryAxis.categoryNames = [label for _k, label, _n, _p in ordered] or [""]
    chart.categoryAxis.labels.fontName = GOTHIC
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = GOTHIC
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max([max(s) for s in chart.data] + [1])
    chart.valueAxis.valueMax = top + max(1, top // 8)
    chart.valueAxis.valueStep = _value_step(top)
    chart.bars[len(chart.data) - 1].fillColor = PALETTE[0]
    if has_prev:
        chart.bars[0].fillColor = PALETTE[1]
    chart.barLabelFormat = lambda v: f"{v:.0f}" if v else ""
    chart.barLabels.fontName = GOTHIC
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 6
    chart.barSpacing = 1
    chart.groupSpacing = 3
    d.add(chart)
    pairs = [(PALETTE[0], _("今回"))] + ([(PALETTE[1], _("前回"))] if has_prev else [])
    d.add(_legend(width - 60, height - 20, pairs))
    return d


def _table_rows(now: Any, prev: Any | None, key: str) -> list[tuple[str, str, int, int | None]]:
    before = {r.key: r.count for r in prev.tables[key]} if prev is not None else {}
    rows = [(f"{key}.{r.key}", r.label, r.count,
             before.get(r.key, 0) if prev is not None else None) for r in now.tables[key]]
    if prev is not None:  # categories only the previous survey had
        known = {r.key for r in now.tables[key]}
        rows += [(f"{key}.{r.key}", r.label, 0, r.count) for r in prev.tables[key]
                 if r.key not in known and r.count]
    return rows


def _count_table(heading: str, rows: list[tuple[str, str, int, int | None]], total: int,
                 has_prev: bool, shown: Shown | None, shown_prev: Shown | None):
    headers = [heading, _("今回（人）"), _("構成比")]
    if has_prev:
        headers += [_("前回（人）"), _("増減")]
    body = []
    for name, label, n, p in rows:
        line = [label, _cell(shown, name, n), _share(shown, name, n, total)]
        if has_prev:
            hidden = _hidden(shown, name) or _hidden(shown_prev, name)
            line += [_cell(shown_prev, name, p or 0),
                     SUPPRESSED if hidden else f"{n - (p or 0):+d}"]
        body.append(line)
    return grid_table(headers, body)


def report_story(now: Any, prev: Any | None, *, municipality: str, shown: Shown | None,
                 shown_prev: Shown | None = None, threshold: int = 2) -> list:
    """The report's flowables; ``shown`` None prints every count as it is."""
    title = now.title if now.title.startswith(now.fiscal_year_label) else (
        f"{now.fiscal_year_label}　{now.title}")
    story: list = [paragraph(_("{title}\n結果報告").format(title=title), "title")]
    if municipality:
        story.append(paragraph(municipality, "body_right"))
    story.append(Spacer(1, 3 * mm))
    story.append(paragraph(_("1　調査の概要"), "heading"))
    rows = [
        (_("調査名"), now.title),
        (_("実施年度"), now.fiscal_year_label),
        (_("調査の対象"), _("民生委員・児童委員 {c}人、関係機関 {o}機関").format(
            c=now.commissioners_asked, o=now.asked - now.commissioners_asked)),
        (_("回収"), _("{a}件／{n}件（回収率 {r:.1f}%）").format(
            a=now.answered, n=now.asked, r=now.rate)),
        (_("把握人数"), _("{k}人（うち1人ずつ回答のあった人 {d}人）").format(
            k=now.known_total, d=now.described)),
    ]
    if prev is not None:
        rows.append((_("前回の調査"), _("{fy}　把握人数 {k}人、回収率 {r:.1f}%").format(
            fy=prev.fiscal_year_label, k=prev.known_total, r=prev.rate)))
    story.append(kv_table(rows))
    story.append(paragraph(_("※ 把握人数は回答者が把握している人数の合計です。同じ方を複数の回答者が"
                             "回答している場合があります。以下の表は1人ずつ回答のあった人を数えています。"),
                           "small"))
    if shown is not None:
        story.append(paragraph(_("※ 1～{t}人の区分と、合計から計算できてしまう区分は、個人の特定を"
                                 "防ぐため「＊」としています（グラフでは0として表示）。").format(
                                     t=threshold), "small"))
    story.append(Spacer(1, 3 * mm))
    story.append(paragraph(_("2　地区別の回収と把握人数"), "heading"))
    prev_known = {d.district: d.known for d in prev.districts} if prev is not None else {}
    headers = [_("地区"), _("調査数"), _("回収数"), _("回収率"), _("把握人数")]
    if prev is not None:
        headers.append(_("前回把握人数"))
    body = []
    for d in now.districts:
        name = f"district.{d.district}"
        line = [d.district, str(d.asked), str(d.answered),
                f"{100 * d.answered / d.asked:.1f}%" if d.asked else "-",
                _cell(shown, name, d.known)]
        if prev is not None:
            line.append(_cell(shown_prev, name, prev_known.get(d.district, 0)))
        body.append(line)
    total = [_("計"), str(now.asked), str(now.answered), f"{now.rate:.1f}%",
             str(now.known_total)]
    if prev is not None:
        total.append(str(prev.known_total))
    story.append(grid_table(headers, body + [total]))
    story.append(Spacer(1, 2 * mm))
    story.append(comparison_chart(_("地区別の把握人数"), [
        (f"district.{d.district}", d.district, d.known,
         prev_known.get(d.district, 0) if prev is not None else None)
        for d in now.districts], shown=shown, shown_prev=shown_prev))
    return story


def write_report(path: str | Path, now: Any, prev: Any | None, *, municipality: str,
                 tables: list[tuple[str, str]], shown: Shown | None = None,
                 shown_prev: Shown | None = None, threshold: int = 2) -> int:
    """Write the report PDF; ``tables`` are (key, heading) of the count tables, in order.

    ``shown`` / ``shown_prev`` are the counts after 秘匿 (None: print every count).
    """
    story = report_story(now, prev, municipality=municipality, shown=shown,
                         shown_prev=shown_prev, threshold=threshold)
    for i, (key, heading) in enumerate(tables, start=3):
        rows = _table_rows(now, prev, key)
        if not rows:
            continue
        block = [paragraph(_("{i}　{h}").format(i=i, h=heading), "heading"),
                 _count_table(heading, rows, now.described, prev is not None, shown, shown_prev),
                 Spacer(1, 2 * mm),
                 comparison_chart(heading, rows, shown=shown, shown_prev=shown_prev)]
        story.append(KeepTogether(block))
        story.append(Spacer(1, 3 * mm))
    return build_pdf(path, story, title=_("{title}　結果報告").format(title=now.title),
                     author=municipality)
