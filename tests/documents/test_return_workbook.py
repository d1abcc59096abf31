"""The return workbook builder: numbers as numbers, Japanese headings, print-ready sheets."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from pfdesk.core.errors import FileProblem
from pfdesk.documents.return_workbook import (
    Fig,
    ReturnBook,
    SheetSpec,
    Table,
    save_return_workbook,
)


def _book(**kw) -> ReturnBook:
    table = Table("性別", ["性別", "実人数", "延べ件数"], [
        ["男性", Fig(3, "persons.sex.male"), Fig(12, "contacts.sex.male")],
        ["女性", Fig("＊", "persons.sex.female"), Fig(1234, "contacts.sex.female")],
        ["計", Fig(5, "persons.total"), 1246],
    ], note="注記", total_rows=1)
    return ReturnBook(
        title="報告", municipality="みどり川町", period_label="令和7年度",
        sheets=[SheetSpec("属性", "相談者の属性", [table], landscape=True),
                SheetSpec("会議", "会議", [Table("一覧", ["会議体", "開催日"],
                                                [["全体会", ["令和7年7月10日", "令和8年2月1日"]]])])],
        **kw,
    )


def test_numbers_headings_and_print_settings(tmp_path):
    out = tmp_path / "r.xlsx"
    placements = save_return_workbook(_book(notes=["秘匿: 1～2 は＊"]), out)
    wb = load_workbook(out)
    ws = wb["属性"]
    assert ws["A1"].value == "相談者の属性" and ws["A1"].font.b
    assert ws["A2"].value == "みどり川町　令和7年度"
    assert ws["A3"].value == "秘匿: 1～2 は＊"
    header = next(r for r in ws.iter_rows() if r[0].value == "性別" and r[1].value == "実人数")
    assert header[0].fill.fgColor.rgb.endswith("DDEBF7") and header[0].font.b
    male = next(r for r in ws.iter_rows() if r[0].value == "男性")
    assert male[1].value == 3 and male[1].data_type == "n" and male[1].number_format == "#,##0"
    female = next(r for r in ws.iter_rows() if r[0].value == "女性")
    assert female[1].value == "＊" and female[2].value == 1234
    total = next(r for r in ws.iter_rows() if r[0].value == "計")
    assert total[0].font.b and total[2].value == 1246
    assert ws.print_area == "'属性'!$A$1:$C$11"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddHeader.left.text == "みどり川町" and ws.oddHeader.right.text == "令和7年度"
    assert ws.print_title_rows == "$1:$2"
    assert wb["会議"].page_setup.orientation == "portrait"
    dates = next(r for r in wb["会議"].iter_rows() if r[0].value == "全体会")[1]
    assert dates.value == "令和7年7月10日\n令和8年2月1日" and dates.alignment.wrap_text
    by_name = {p.figure: (p.sheet, p.cell, p.value) for p in placements}
    sheet, cell, value = by_name["contacts.sex.female"]
    assert ws[cell].value == value == 1234 and sheet == "属性"
    assert len(placements) == 5


def test_a_locked_or_missing_folder_leaves_nothing(tmp_path):
    with pytest.raises(FileProblem) as e:
        save_return_workbook(_book(), tmp_path / "no-such-folder" / "r.xlsx")
    assert "見つからない" in e.value.user_text()
    assert list(tmp_path.iterdir()) == []


def _fmt(cell) -> tuple:
    f, a = cell.font, cell.alignment
    return (f.name, bool(f.b), cell.fill.fgColor.rgb if cell.fill.fill_type else None,
            cell.border.left.style, cell.border.bottom.color.rgb, a.horizontal, a.vertical,
            bool(a.wrap_text), cell.number_format)


def test_every_kind_of_cell_keeps_its_format_in_each_workbook(tmp_path):
    # The cells share one set of style objects and each kind is styled once per workbook:
    # a second workbook written in the same process must look the same as the first.
    for name in ("first.xlsx", "second.xlsx"):
        save_return_workbook(_book(), tmp_path / name)
        ws = load_workbook(tmp_path / name)["属性"]
        rows = {r[0].value: r for r in ws.iter_rows(min_row=4) if r[0].value}
        head, male, total = rows["性別"], rows["男性"], rows["計"]
        grey = "00808080"
        assert _fmt(head[1]) == ("游ゴシック", True, "00DDEBF7", "thin", grey, "center",
                                 "center", True, "General")
        assert _fmt(male[0]) == ("游ゴシック", False, None, "thin", grey, None, "top",
                                 True, "General")  # a row's label wraps
        assert _fmt(male[1]) == ("游ゴシック", False, None, "thin", grey, "right", "top",
                                 False, "#,##0")
        assert _fmt(rows["女性"][1]) == ("游ゴシック", False, None, "thin", grey, "center",
                                        "top", False, "General")  # ＊: a short text, centred
        assert _fmt(total[2]) == ("游ゴシック", True, "00F2F2F2", "thin", grey, "right", "top",
                                  False, "#,##0")
        note = rows["注記"][0]
        assert note.font.sz == 9 and note.alignment.wrap_text and not note.border.left.style
        # widths: full-width characters count two (延べ件数: 8), at least 6, plus 2
        assert ws.column_dimensions["C"].width == 10
        assert ws.column_dimensions["A"].width == 6
