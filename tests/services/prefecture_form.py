"""A form built the way a prefecture builds one, to fill in tests: pull-downs, dates, labels.

Three sheets: 「1 基本」 (a merged title, 回答日 as yyyy/mm/dd, 設置年月 as yyyy/mm, a 西暦
year cell, pull-downs はい/いいえ, ○/× from a list on another sheet and あり/なし, a comment),
「2 相談」 (month labels, counts and SUM formulas), 「リスト」 (the pull-down words). Print
areas, landscape, fit to one page wide. The mapping below fills it.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, Side
from openpyxl.worksheet.datavalidation import DataValidation

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MONTHS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]

#: (cell, printed label) on 「1 基本」; the answer goes in column D of the same row.
LABELS = [
    ("A3", "回答日"), ("A4", "担当者名"), ("A5", "電話番号"), ("A6", "e-mail"),
    ("A7", "相談窓口の有無"), ("A8", "プラットフォーム設置年月"), ("A9", "実態把握の実施年度（西暦）"),
    ("A10", "民生委員等への調査を実施したか"), ("A11", "周知方法：広報誌"),
    ("A12", "周知方法：ホームページ"), ("A13", "周知方法：リーフレット"), ("A14", "周知方法：SNS"),
    ("A15", "周知方法：その他"), ("A16", "(4) 構成機関数"), ("A17", "つなぎ件数（ハローワーク）"),
    ("A18", "つなぎ件数（その他）"),
]


def build(path: Path) -> Path:
    """Write the form to ``path``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "1 基本"
    ws["A1"] = "ひきこもり支援の取組状況調査票（東雲県）"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].border = BOX
    ws.merge_cells("A1:F1")
    for coord in ("B1", "C1", "D1", "E1", "F1"):
        ws[coord].border = Border()  # the title has a frame only round its first cell
    for coord, text in LABELS:
        ws[coord] = text
        ws.merge_cells(f"{coord}:C{coord[1:]}")
        ws[f"D{coord[1:]}"].border = BOX
    ws["D3"].number_format = "yyyy/mm/dd"
    ws["D8"].number_format = "yyyy/mm"
    ws["D9"].number_format = "0"
    ws["D3"].comment = Comment("提出した日を記入してください。", "東雲県")
    ws["E7"] = "※プルダウンから選択"
    yes_no = DataValidation(type="list", formula1='"はい,いいえ"', allow_blank=True,
                            showErrorMessage=True, error="リストから選んでください。")
    ws.add_data_validation(yes_no)
    yes_no.add("D7")
    circle = DataValidation(type="list", formula1="=リスト!$A$1:$A$2", allow_blank=True)
    ws.add_data_validation(circle)
    circle.add("D10")
    ari = DataValidation(type="list", formula1='"あり,なし"', allow_blank=True)
    ws.add_data_validation(ari)
    ari.add("D11:D15")
    ws.print_area = "A1:F18"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    months = wb.create_sheet("2 相談")
    months["A1"] = "月別相談件数"
    months.merge_cells("A1:C1")
    months.append(["月", "新規", "延べ件数"])
    for m in MONTHS:
        months.append([f"{m}月", None, None])
    months.append(["合計", "=SUM(B3:B14)", "=SUM(C3:C14)"])
    months.print_area = "A1:C15"

    lists = wb.create_sheet("リスト")
    lists["A1"], lists["A2"] = "○", "×"
    wb.save(path)
    return path


MAPPING = """
[form]
title = "東雲県 取組状況調査票（テスト）"

[groups]
"その他" = ["referrals.*", "-referrals.hello_work"]

[sheets."1 基本"]
D3 = "answer.date"
D4 = "answer.person"
D5 = "answer.phone"
D6 = "answer.email"
D7 = "settings.window_exists"
D8 = "settings.platform_established"
D9 = { figure = "settings.survey_year", year = "西暦" }
D10 = "settings.survey_commissioners"
D11 = "settings.publicity.bulletin"
D12 = "settings.publicity.website"
D13 = "settings.publicity.leaflet"
D14 = "settings.publicity.sns"
D15 = "settings.publicity.other"
D16 = "orgs.total"
D17 = "referrals.hello_work"
D18 = "その他"

[sheets."2 相談"]
""" + "\n".join(
    f'B{row} = "new.month.{m}"\nC{row} = "contacts.month.{m}"'
    for row, m in enumerate(MONTHS, start=3)
) + "\n"
