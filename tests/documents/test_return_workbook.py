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


def _reference_workbook(book: ReturnBook, path) -> None:
    """The workbook written the plain way: ``ws.cell`` and every style set on every cell.

    What the builder wrote before it made cells with their style indices and skipped the
    widths of texts too short to widen a column; the quick path must give the same file.
    """
    import unicodedata

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from pfdesk.documents import return_workbook as rw

    def width(value):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return len(str(value))
        text = str(value if value is not None else "")
        longest = max(text.split("\n"), key=len)
        return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in longest)

    wb = Workbook()
    wb.remove(wb.active)
    real_width = rw._width
    rw._width = width  # the notes' row heights are measured with the plain widths too
    try:
        for spec in book.sheets:
            ws = wb.create_sheet(spec.name[:31])
            st = rw._styles()
            ws["A1"] = spec.title
            ws["A1"].font = st["sheet_title"]
            ws["A2"] = f"{book.municipality}　{book.period_label}"
            ws["A2"].font = st["sheet_sub"]
            row = 3
            for note in book.notes:
                ws.cell(row=row, column=1, value=note).font = st["notice"]
                row += 1
            widths: dict[int, int] = {}
            max_col = 1
            for table in spec.tables:
                row += 1
                ws.cell(row=row, column=1, value=table.title).font = st["table_title"]
                row += 1
                for c, text in enumerate(table.header, start=1):
                    rw._apply_style(ws.cell(row=row, column=c, value=text), "head")
                    widths[c] = max(widths.get(c, 0), min(width(text), 16))
                max_col = max(max_col, len(table.header))
                first_total = len(table.rows) - table.total_rows
                for i, values in enumerate(table.rows):
                    row += 1
                    for c, v in enumerate(values, start=1):
                        if isinstance(v, Fig):
                            v = v.value
                        if isinstance(v, list):
                            v = "\n".join(str(x) for x in v)
                        cell = ws.cell(row=row, column=c, value=v)
                        if isinstance(v, int | float) and not isinstance(v, bool):
                            kind = "number"
                        elif c > 1 and isinstance(v, str) and len(v) <= 2:
                            kind = "short"
                        else:
                            kind = "text"
                        rw._apply_style(cell, (kind, i >= first_total))
                        widths[c] = max(widths.get(c, 0), min(width(v), 60))
                if table.note:
                    row += 1
                    note = ws.cell(row=row, column=1, value=table.note)
                    note.font = st["small"]
                    note.alignment = st["text_align"]
                    last = max(len(table.header), 1)
                    if last > 1:
                        ws.merge_cells(start_row=row, start_column=1, end_row=row,
                                       end_column=last)
                    ws.row_dimensions[row].height = 15 * max(
                        1, -(-width(table.note) // max(1, rw._table_width(widths, last))))
                row += 1
            for c, w in widths.items():
                ws.column_dimensions[get_column_letter(c)].width = max(6, w + 2)
            ws.print_area = f"A1:{get_column_letter(max_col)}{row}"
            ws.page_setup.orientation = "landscape" if spec.landscape else "portrait"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.print_title_rows = "1:2"
            ws.oddHeader.left.text = book.municipality
            ws.oddHeader.right.text = book.period_label
            ws.oddFooter.center.text = "&P / &N"
    finally:
        rw._width = real_width
    wb.properties.title = book.title
    wb.properties.creator = book.municipality or "pfdesk"
    wb.save(path)


def _everything_in(path) -> list:
    """Every cell's value and style, and every sheet's widths, heights, merges and print setup."""
    wb = load_workbook(path)
    out: list = [(wb.properties.title, wb.properties.creator, wb.sheetnames)]
    for ws in wb.worksheets:
        out.append((ws.title, ws.print_area, ws.print_title_rows, ws.page_setup.orientation,
                    ws.page_setup.paperSize, ws.page_setup.fitToWidth,
                    ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage,
                    ws.oddHeader.left.text, ws.oddHeader.right.text,
                    ws.oddFooter.center.text, ws.freeze_panes,
                    sorted(str(r) for r in ws.merged_cells.ranges)))
        out.append(sorted((k, d.width) for k, d in ws.column_dimensions.items()))
        out.append(sorted((k, d.height) for k, d in ws.row_dimensions.items()))
        for cells in ws.iter_rows():
            for c in cells:
                out.append((c.coordinate, c.value, c.data_type, c.number_format, repr(c.font),
                            repr(c.fill), repr(c.border), repr(c.alignment)))
    return out


def test_a_large_town_s_workbook_is_the_one_written_cell_by_cell(tmp_path):
    """Cells made with their style indices and quick widths write the same workbook."""
    # an ASCII name first: the full-width one after it is shorter yet wider
    names = ["Kodama Support Center", "社会福祉法人みどり川会", "ｶﾅ相談室", "①ふれあい",
             "Ωセンター", "a\n二行目の名前", ""]
    members = [[names[i % len(names)] + ("" if i < len(names) else str(i)),
                ["電話", "訪問"][i % 2] if i % 3 else None, i * 7, 1.5 if i % 5 == 0 else "＊"]
               for i in range(400)]
    members.append(["長い注記の行", "", 0, "とても長い注記" * 10])
    members.append(["計", "", 12345, 7])
    book = ReturnBook(
        title="報告", municipality="みどり川町", period_label="令和7年度",
        notes=["秘匿: 1～2 は＊"],
        sheets=[
            SheetSpec("構成機関", "構成機関", [
                Table("一覧", ["機関名", "区分", "件数", "割合"], members,
                      note="構成機関の一覧です。" * 12, total_rows=1),
                Table("内訳", ["区分", "件数"], [["電話", Fig(3, "x.phone")],
                                               ["訪問", Fig("＊", "x.visit")],
                                               ["計", Fig(True, "x.flag")]], total_rows=1),
            ], landscape=True),
            _book().sheets[0],
            _book().sheets[1],
        ],
    )
    ours, plain = tmp_path / "ours.xlsx", tmp_path / "plain.xlsx"
    placements = save_return_workbook(book, ours)
    _reference_workbook(book, plain)
    assert _everything_in(ours) == _everything_in(plain)
    assert [(p.sheet, p.cell, p.figure, p.value) for p in placements][:3] == [
        ("構成機関", "B413", "x.phone", 3), ("構成機関", "B414", "x.visit", "＊"),
        ("構成機関", "B415", "x.flag", True)]
