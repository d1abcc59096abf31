"""相談状況 for a meeting packet: figures of the 年度 as tables and reportlab charts.

Charts: contacts and new persons by month (bars), persons by 年代 and 性別 (grouped bars)
and persons by 相談経路 (pie). Input is the statistics service's ``ConsultationStats``
(anything with the same attributes will do), so nothing here queries the store.
"""

from __future__ import annotations

from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.documents.pdf import FRAME_WIDTH, GOTHIC, grid_table, kv_table, paragraph

#: Okabe-Ito colours: eight hues told apart by colour-blind readers and in grey print.
#: A chart never uses one twice; beyond eight, the smallest shares join 「その他」 (grey).
PALETTE = [colors.HexColor(c) for c in (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)]
OTHER_COLOUR = colors.HexColor("#BFBFBF")
#: Most slices a pie shows before the rest are put together as 「その他」.
MAX_SLICES = 7


def _bar_values(chart: VerticalBarChart) -> None:
    """Each bar carries its number above it (nothing above a zero)."""
    chart.barLabelFormat = lambda v: f"{v:.0f}" if v else ""
    chart.barLabels.fontName = GOTHIC
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 5


_SEXES = (("male", "男性"), ("female", "女性"), ("other", "その他"), ("unknown", "不明"))


def _style_axis_labels(chart: VerticalBarChart, size: float = 7.5) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = GOTHIC
        axis.labels.fontSize = size
    chart.valueAxis.forceZero = True
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#D9D9D9")
    chart.valueAxis.gridStrokeWidth = 0.4


def _legend(x: float, y: float, pairs: list[tuple[colors.Color, str]]) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName = GOTHIC
    legend.fontSize = 8
    legend.alignment = "right"  # swatch left of the text
    legend.columnMaximum = 12
    legend.dx = legend.dy = 7
    legend.deltay = 11
    legend.colorNamePairs = pairs
    return legend


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    # Start in our font, or the renderer references an unembedded Helvetica.
    d.initialFontName = GOTHIC
    return d


def _title(d: Drawing, text: str) -> None:
    d.add(String(0, d.height - 10, text, fontName=GOTHIC, fontSize=9.5))


def _value_step(max_value: float) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if max_value / step <= 8:
            return step
    return 10000


def month_chart(stats: Any, width: float = FRAME_WIDTH, height: float = 62 * mm) -> Drawing:
    """延べ件数 and 新規 per month as side-by-side bars."""
    d = _drawing(width, height)
    _title(d, _("月別の相談件数"))
    months = list(stats.by_month)
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 22
    chart.width, chart.height = width - 140, height - 42
    chart.data = [[r.contacts for r in months] or [0], [r.new_persons for r in months] or [0]]
    chart.categoryAxis.categoryNames = [f"{r.month}月" for r in months] or [""]
    chart.bars[0].fillColor = PALETTE[0]
    chart.bars[1].fillColor = PALETTE[1]
    chart.barSpacing = 1
    chart.groupSpacing = 6
    _bar_values(chart)
    top = max([max(s) for s in chart.data] + [1])
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = _value_step(top)
    _style_axis_labels(chart)
    d.add(chart)
    d.add(_legend(chart.x + chart.width + 14, height - 26, [(PALETTE[0], _("延べ件数")),
                                            (PALETTE[1], _("新規（実人数）"))]))
    return d


def _age_sex_rows(stats: Any) -> tuple[list[str], dict[str, list[int]]]:
    """Persons per 年代 (categories) and 性別 (series); from ``age_sex`` when available."""
    ages = stats.by.get("age_band")
    bands = [(r.key, r.label) for r in ages.rows] if ages else []
    series: dict[str, list[int]] = {s: [0] * len(bands) for s, _label in _SEXES}
    combined = stats.by.get("age_sex")
    if combined is not None:
        index = {k: i for i, (k, _label) in enumerate(bands)}
        for r in combined.rows:
            age, _dot, sex = r.key.partition(".")
            if age in index and sex in series:
                series[sex][index[age]] += r.persons
    elif ages is not None:
        # Without the cross table all persons of a band are shown as one series.
        series = {"unknown": [r.persons for r in ages.rows]}
    return [label for _k, label in bands], series


def age_sex_chart(stats: Any, width: float = FRAME_WIDTH, height: float = 62 * mm) -> Drawing:
    """実人数 per 年代, one bar per 性別."""
    d = _drawing(width, height)
    _title(d, _("年代・性別の実人数"))
    labels, series = _age_sex_rows(stats)
    shown = [(k, label) for k, label in _SEXES if any(series.get(k, []))]
    shown = shown or [("unknown", "不明")]
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 22
    chart.width, chart.height = width - 110, height - 42  # room for the legend
    chart.data = [series.get(k) or [0] * max(len(labels), 1) for k, _label in shown]
    chart.categoryAxis.categoryNames = labels or [""]
    for i in range(len(shown)):
        chart.bars[i].fillColor = PALETTE[i]
    chart.barSpacing = 1
    chart.groupSpacing = 8
    _bar_values(chart)
    top = max([max(s) for s in chart.data] + [1])
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = _value_step(top)
    _style_axis_labels(chart)
    d.add(chart)
    d.add(_legend(chart.x + chart.width + 14, height - 26,
                  [(PALETTE[i], _(label)) for i, (_k, label) in enumerate(shown)]))
    return d


def route_chart(stats: Any, width: float = FRAME_WIDTH, height: float = 70 * mm) -> Drawing:
    """実人数 per 相談経路 as a pie; routes with nobody are left out."""
    d = _drawing(width, height)
    _title(d, _("相談経路別の実人数"))
    routes = stats.by.get("route")
    rows = [r for r in (routes.rows if routes else []) if r.persons]
    if not rows:
        d.add(String(width / 2, height / 2, _("該当なし"), fontName=GOTHIC, fontSize=10,
                     textAnchor="middle"))
        return d
    rows = sorted(rows, key=lambda r: -r.persons)
    slices = [(r.label, r.persons) for r in rows[:MAX_SLICES]]
    if len(rows) > MAX_SLICES:
        slices.append((_("その他（{n}区分）").format(n=len(rows) - MAX_SLICES),
                       sum(r.persons for r in rows[MAX_SLICES:])))
    pie = Pie()
    size = height - 34
    pie.x, pie.y = 24, 12
    pie.width = pie.height = size
    pie.data = [n for _label, n in slices]
    total = sum(pie.data)
    shares = [round(100 * n / total) for n in pie.data]
    # The share on each slice big enough to hold it; every slice is in the legend.
    pie.labels = [f"{share}%" if share >= 6 else "" for share in shares]
    pie.simpleLabels = 1
    pie.slices.labelRadius = 0.68
    pie.slices.fontName = GOTHIC
    pie.slices.fontSize = 7.5
    pie.slices.fontColor = colors.white
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 0.6
    pairs = []
    for i, ((label, n), share) in enumerate(zip(slices, shares, strict=True)):
        color = PALETTE[i] if i < MAX_SLICES else OTHER_COLOUR
        pie.slices[i].fillColor = color
        if color in (PALETTE[6], OTHER_COLOUR):
            pie.slices[i].fontColor = colors.black  # white would vanish on yellow and grey
        pairs.append((color, f"{label}　{n}人（{share}%）"))
    d.add(pie)
    legend = _legend(size + 54, height - 22, pairs)
    legend.alignment = "right"
    d.add(legend)
    return d


def stats_story(stats: Any, *, title: str) -> list:
    """The whole 相談状況 material: totals, month table and chart, 年代・性別, 相談経路."""
    story: list = [paragraph(title, "title")]
    story.append(paragraph(_("集計期間　{start}～{end}").format(
        start=format_date(stats.start), end=format_date(stats.end)), "body_right"))
    story.append(Spacer(1, 3 * mm))
    story.append(kv_table([
        (_("実人数"), _("{n}人").format(n=stats.persons)),
        (_("延べ件数"), _("{n}件").format(n=stats.contacts)),
        (_("新規"), _("{n}人").format(n=stats.new_persons)),
    ], col_widths=[32 * mm, 50 * mm]))
    story.append(Spacer(1, 4 * mm))
    months = list(stats.by_month)
    head = [_("区分")] + [f"{r.month}月" for r in months] + [_("計")]
    rows = [
        [_("新規")] + [r.new_persons for r in months] + [stats.new_persons],
        [_("実人数")] + [r.persons for r in months] + [stats.persons],
        [_("延べ件数")] + [r.contacts for r in months] + [stats.contacts],
    ]
    first = 18 * mm
    other = (FRAME_WIDTH - first) / max(len(months) + 1, 1)
    story.append(grid_table(head, [[str(v) for v in r] for r in rows],
                            col_widths=[first] + [other] * (len(months) + 1)))
    story.append(paragraph(_("※ 月ごとの実人数の計は期間中の実人数（同じ人は1人）です。"), "small"))
    story.append(Spacer(1, 3 * mm))
    story.append(month_chart(stats))
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether([age_sex_chart(stats)]))
    story.append(Spacer(1, 4 * mm))
    routes = stats.by.get("route")
    route_rows = [[r.label, str(r.persons), str(r.contacts)]
                  for r in (routes.rows if routes else []) if r.persons or r.contacts]
    block = [route_chart(stats)]
    if route_rows:
        block.append(grid_table([_("相談経路"), _("実人数"), _("延べ件数")], route_rows,
                                col_widths=[FRAME_WIDTH - 50 * mm, 25 * mm, 25 * mm]))
    story.append(KeepTogether(block))
    return story
