"""Case sheets print only what their level allows; charts take the statistics dataclass."""

from __future__ import annotations

import re
from datetime import date

from pypdf import PdfReader

from pfdesk.documents.case_sheet import (
    CONSENTED,
    PSEUDONYMIZED,
    CaseSheetData,
    ContactRow,
    case_sheet_story,
)
from pfdesk.documents.charts import age_sex_chart, month_chart, route_chart, stats_story
from pfdesk.documents.pdf import build_pdf
from pfdesk.services.stats import Breakdown, BreakdownRow, ConsultationStats, MonthRow


def _text(path) -> str:
    return "".join(re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(path).pages)


CONTACT = ContactRow(on=date(2026, 5, 12), method="電話", requester="家族", topics="ひきこもり・不登校")


def test_pseudonymized_sheet_shows_code_age_sex_and_course_only(tmp_path):
    sheet = CaseSheetData(level=PSEUDONYMIZED, code="R8-0001", age_band="20代", sex="男性",
                          contacts=(CONTACT,))
    out = tmp_path / "c.pdf"
    build_pdf(out, case_sheet_story(sheet), title="t")
    text = _text(out)
    for needle in ("R8-0001", "20代", "男性", "経過", "令和8年5月12日", "電話", "家族"):
        assert needle in text
    # The sheet says what it leaves out; past that sentence no such field may appear.
    note = "本人を特定できる情報（氏名・住所・連絡先・学校や勤務先など）は記載していません。"
    assert note in text
    rest = text.replace(note, "")
    for label in ("氏名", "ふりがな", "住所", "連絡先", "学校", "生年月日", "主訴", "対応者"):
        assert label not in rest


def test_consented_sheet_carries_identity_and_notes(tmp_path):
    sheet = CaseSheetData(level=CONSENTED, code="R8-0002", age_band="30代", sex="女性",
                          name="吉野　美咲", address="北原2-8", phone="090-3321-4456",
                          contacts=(ContactRow(**{**CONTACT.__dict__, "body": "母と面談した"}),))
    out = tmp_path / "c.pdf"
    build_pdf(out, case_sheet_story(sheet), title="t")
    text = _text(out)
    for needle in ("吉野美咲", "北原2-8", "090-3321-4456", "母と面談した", "本人の同意"):
        assert needle in text


def _stats() -> ConsultationStats:
    rows = [BreakdownRow("20s", "20代", 4, 9, 2), BreakdownRow("30s", "30代", 1, 2, 1)]
    return ConsultationStats(
        start=date(2026, 4, 1), end=date(2026, 11, 30), persons=5, contacts=11, new_persons=3,
        by={
            "age_band": Breakdown("age_band", "年代", rows),
            "age_sex": Breakdown("age_sex", "年代×性別", [
                BreakdownRow("20s.male", "20代・男性", 3, 7, 1),
                BreakdownRow("20s.female", "20代・女性", 1, 2, 1),
                BreakdownRow("30s.female", "30代・女性", 1, 2, 1)]),
            "route": Breakdown("route", "相談経路", [
                BreakdownRow("direct", "本人・家族から直接", 3, 6, 2),
                BreakdownRow("school", "学校・教育委員会等", 2, 5, 1),
                BreakdownRow("medical", "医療機関", 0, 0, 0)]),
        },
        by_month=[MonthRow(2026, m, 1 if m == 5 else 0, 2, 3, {}) for m in (4, 5, 6)],
    )


def test_charts_draw_every_series_with_japanese_labels(tmp_path):
    stats = _stats()
    month = month_chart(stats)
    bars = month.contents[1]
    assert bars.data == [[3, 3, 3], [0, 1, 0]]
    assert bars.categoryAxis.categoryNames == ["4月", "5月", "6月"]
    age = age_sex_chart(stats)
    chart = age.contents[1]
    assert chart.data == [[3, 0], [1, 1]]  # 男性, 女性 per 20代, 30代
    pie = route_chart(stats).contents[1]
    assert pie.data == [3, 2]  # routes with nobody are left out
    out = tmp_path / "stats.pdf"
    build_pdf(out, stats_story(stats, title="相談状況（令和8年度）"), title="t")
    text = _text(out)
    fonts = set()
    for page in PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    # Only the embedded Japanese fonts: charts must not pull in an unembedded Helvetica.
    assert fonts and all("IPA" in f or "Gothic" in f or "Mincho" in f for f in fonts), fonts
    for needle in ("相談状況（令和8年度）", "実人数", "5人", "延べ件数", "11件", "月別の相談件数",
                   "年代・性別の実人数", "相談経路別の実人数", "本人・家族から直接3人（60%）"):
        assert needle in text, needle


def test_pie_colours_never_repeat_and_small_routes_join_other(tmp_path):
    stats = _stats()
    many = [BreakdownRow(f"r{i}", f"経路{i:02d}", 20 - i, 20 - i, 0) for i in range(19)]
    stats.by["route"] = Breakdown("route", "相談経路", many)
    drawing = route_chart(stats)
    pie = drawing.contents[1]
    assert len(pie.data) == 8 and pie.data[-1] == sum(20 - i for i in range(7, 19))
    fills = [pie.slices[i].fillColor for i in range(len(pie.data))]
    assert len({f.hexval() for f in fills}) == len(fills)  # no two slices share a colour
    legend = drawing.contents[2]
    assert legend.colorNamePairs[-1][1].startswith("その他（12区分）")
    assert pie.labels[0] == f"{round(100 * 20 / sum(pie.data))}%"
    out = tmp_path / "pie.pdf"
    build_pdf(out, [drawing], title="t")
    assert "経路00" in _text(out) and "その他（12区分）" in _text(out)
