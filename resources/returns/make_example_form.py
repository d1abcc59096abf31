"""Make ``example_form.xlsx``: an example prefecture form (調査票) made for this project.

A fictional 東雲県 asks its municipalities for their ひきこもり支援 figures. The form has
what real forms have and what filling must keep: merged cells, borders, fills, a data
validation (有／無), a print area with print settings, and SUM formulas for totals.
``example_mapping.toml`` says where pfdesk writes each figure.

Run from the repository root:  python resources/returns/make_example_form.py
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

HERE = Path(__file__).resolve().parent
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD = PatternFill("solid", fgColor="FFF2CC")
INPUT = PatternFill("solid", fgColor="E2EFDA")
FONT = "ＭＳ ゴシック"
MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]


def _box(ws, ref: str, fill=None, bold=False, center=False) -> None:
    for row in ws[ref]:
        for c in row:
            c.border = BOX
            c.font = Font(name=FONT, bold=bold)
            if fill:
                c.fill = fill
            if center:
                c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _title(ws, text: str, last_col: str) -> None:
    ws["A1"] = text
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells(f"A1:{last_col}1")
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = "市町村名"
    ws["B2"] = '=\'1 窓口・PF\'!C3'
    ws.merge_cells("B2:C2")
    _box(ws, "A2:C2")


def _print(ws, area: str, landscape: bool = False) -> None:
    ws.print_area = area
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "東雲県 福祉保健部 地域福祉課"


def sheet_window(wb: Workbook) -> None:
    """1 窓口・PF: answers, with an 有／無 drop-down."""
    ws = wb.active
    ws.title = "1 窓口・PF"
    ws["A1"] = "ひきこもり支援に関する取組状況調査票（令和8年度）"
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells("A1:E1")
    rows = [
        ("市町村名", "C3"), ("ひきこもり相談窓口の有無", "C5"), ("窓口の名称", "C6"),
        ("窓口の周知方法", "C7"), ("実態把握の実施の有無", "C9"), ("実施年度", "C10"),
        ("実施方法", "C11"), ("把握人数（人）", "C12"), ("プラットフォームの名称", "C14"),
        ("設置年月", "C15"), ("構成機関数", "C16"),
    ]
    for label, ref in rows:
        r = int(ref[1:])
        ws[f"A{r}"] = label
        ws.merge_cells(f"A{r}:B{r}")
        ws.merge_cells(f"C{r}:E{r}")
        _box(ws, f"A{r}:B{r}", fill=HEAD, bold=True)
        _box(ws, f"C{r}:E{r}", fill=INPUT)
    ws["A4"] = "１ 相談窓口"
    ws["A8"] = "２ 実態把握"
    ws["A13"] = "３ プラットフォーム"
    for ref in ("A4", "A8", "A13"):
        ws[ref].font = Font(name=FONT, bold=True)
    dv = DataValidation(type="list", formula1='"有,無"', allow_blank=True,
                        errorTitle="入力エラー", error="「有」か「無」を選んでください。")
    ws.add_data_validation(dv)
    dv.add("C5")
    dv.add("C9")
    ws["C16"] = "='5 構成機関'!C21"
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 14
    for col in "CDE":
        ws.column_dimensions[col].width = 18
    _print(ws, "A1:E16")


def sheet_months(wb: Workbook) -> None:
    """2 相談実績: months × (新規, 実人数, 延べ, 方法), totals as SUM formulas."""
    ws = wb.create_sheet("2 相談実績")
    _title(ws, "相談実績（月別）", "I")
    ws["A4"] = "月"
    ws.merge_cells("A4:A5")
    ws["B4"] = "新規（人）"
    ws.merge_cells("B4:B5")
    ws["C4"] = "実人数（人）"
    ws.merge_cells("C4:C5")
    ws["D4"] = "延べ件数（件）"
    ws.merge_cells("D4:D5")
    ws["E4"] = "うち方法別（件）"
    ws.merge_cells("E4:I4")
    for col, text in zip("EFGHI", ("来所", "電話", "訪問", "メール・オンライン", "その他"),
                         strict=True):
        ws[f"{col}5"] = text
    _box(ws, "A4:I5", fill=HEAD, bold=True, center=True)
    for i, m in enumerate(MONTHS):
        r = 6 + i
        ws[f"A{r}"] = f"{m}月"
    _box(ws, "A6:I17")
    _box(ws, "B6:I17", fill=INPUT)
    ws["A18"] = "合計"
    ws["B18"] = "=SUM(B6:B17)"
    ws["C18"] = None  # 実人数の合計は月の合計ではないため記入欄
    for col in "DEFGHI":
        ws[f"{col}18"] = f"=SUM({col}6:{col}17)"
    _box(ws, "A18:I18", fill=HEAD, bold=True)
    ws["C18"].fill = INPUT
    ws["A19"] = "※実人数の合計は、年度内の実人数（同じ人は1人）を記入してください。"
    ws.merge_cells("A19:I19")
    ws.column_dimensions["A"].width = 8
    for col in "BCDEFGHI":
        ws.column_dimensions[col].width = 12
    _print(ws, "A1:I19", landscape=True)


def sheet_attributes(wb: Workbook) -> None:
    """3 相談者属性: 年代 × 性別 of 実人数, and 相談者区分."""
    ws = wb.create_sheet("3 相談者属性")
    _title(ws, "相談者の属性（実人数）", "E")
    ws["A4"] = "年代"
    ws.merge_cells("A4:A5")
    ws["B4"] = "性別"
    ws.merge_cells("B4:D4")
    for col, text in zip("BCD", ("男性", "女性", "その他・不明"), strict=True):
        ws[f"{col}5"] = text
    ws["E4"] = "計"
    ws.merge_cells("E4:E5")
    _box(ws, "A4:E5", fill=HEAD, bold=True, center=True)
    bands = ["10代以下", "20代", "30代", "40代", "50代", "60代以上", "不明"]
    for i, b in enumerate(bands):
        r = 6 + i
        ws[f"A{r}"] = b
        ws[f"E{r}"] = f"=SUM(B{r}:D{r})"
    _box(ws, "A6:E12")
    _box(ws, "B6:D12", fill=INPUT)
    ws["A13"] = "計"
    for col in "BCDE":
        ws[f"{col}13"] = f"=SUM({col}6:{col}12)"
    _box(ws, "A13:E13", fill=HEAD, bold=True)
    ws["A15"] = "相談者区分"
    ws.merge_cells("A15:B15")
    ws["C15"] = "実人数（人）"
    ws["D15"] = "延べ件数（件）"
    _box(ws, "A15:D15", fill=HEAD, bold=True, center=True)
    for i, t in enumerate(["本人", "家族", "関係機関", "その他"]):
        r = 16 + i
        ws[f"A{r}"] = t
        ws.merge_cells(f"A{r}:B{r}")
    _box(ws, "A16:D19")
    _box(ws, "C16:D19", fill=INPUT)
    ws.column_dimensions["A"].width = 12
    for col in "BCDE":
        ws.column_dimensions[col].width = 13
    _print(ws, "A1:E19")


def sheet_meetings(wb: Workbook) -> None:
    """4 会議: 開催回数 by kind of body."""
    ws = wb.create_sheet("4 会議")
    _title(ws, "プラットフォームの会議開催状況", "C")
    ws["A4"] = "会議の種類"
    ws["B4"] = "開催回数（回）"
    ws["C4"] = "延べ出席者数（人）"
    _box(ws, "A4:C4", fill=HEAD, bold=True, center=True)
    for i, t in enumerate(["全体会（代表者会議）", "実務者会議", "庁内連携会議",
                           "個別ケース会議・支援会議", "学習会・情報交換会"]):
        ws[f"A{5 + i}"] = t
    _box(ws, "A5:C9")
    _box(ws, "B5:C9", fill=INPUT)
    ws["A10"] = "計"
    ws["B10"] = "=SUM(B5:B9)"
    ws["C10"] = "=SUM(C5:C9)"
    _box(ws, "A10:C10", fill=HEAD, bold=True)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 18
    _print(ws, "A1:C10")


def sheet_orgs(wb: Workbook) -> None:
    """5 構成機関: counts by 分野 (the form's own grouping)."""
    ws = wb.create_sheet("5 構成機関")
    _title(ws, "プラットフォームの構成機関（分野別）", "C")
    ws["A4"] = "分野"
    ws.merge_cells("A4:B4")
    ws["C4"] = "機関数"
    _box(ws, "A4:C4", fill=HEAD, bold=True, center=True)
    fields = ["行政", "福祉", "保健・医療（精神保健含む）", "教育", "子ども・若者支援",
              "就労支援", "商工・農業", "当事者・家族会", "民間支援団体", "地域",
              "警察・消防・司法", "消費者", "その他", "", "", ""]
    for i, f in enumerate(fields):
        r = 5 + i
        ws[f"A{r}"] = f
        ws.merge_cells(f"A{r}:B{r}")
    _box(ws, "A5:C20")
    _box(ws, "C5:C20", fill=INPUT)
    ws["A21"] = "計"
    ws.merge_cells("A21:B21")
    ws["C21"] = "=SUM(C5:C20)"
    _box(ws, "A21:C21", fill=HEAD, bold=True)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 12
    _print(ws, "A1:C21")


def main(out: Path | None = None) -> Path:
    """Write example_form.xlsx next to this script (or to ``out``)."""
    wb = Workbook()
    sheet_window(wb)
    sheet_months(wb)
    sheet_attributes(wb)
    sheet_meetings(wb)
    sheet_orgs(wb)
    wb.properties.title = "ひきこもり支援に関する取組状況調査票（例）"
    wb.properties.creator = "東雲県（架空）"
    out = out or HERE / "example_form.xlsx"
    wb.save(out)
    return out


if __name__ == "__main__":
    print(main())
