"""Reading Excel/CSV files as secretariats have them, column mapping, and writing for Excel."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import re
import weakref
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from pfdesk.core.errors import FileProblem, ValidationError
from pfdesk.core.tabular import (
    CellError,
    FieldSpec,
    SheetData,
    fold_header,
    format_errors,
    guess_mapping,
    load_mapping,
    read_table,
    resolve_mapping,
    save_mapping,
    write_csv,
    write_xlsx,
)

HEADER = "機関名,部署,役職,氏名,フリガナ,電話番号,郵便番号,住所"
# As Excel saves a contact list: CRLF, a blank line, stray (full-width) spaces, a cell
# with an Alt+Enter line break, Microsoft-only characters (㈱, ①, 髙 and 﨑).
MEMBERS_CSV = "\r\n".join([
    "",
    HEADER,
    "㈱いの就労支援センター,相談課,課長 ,髙橋　一郎,タカハシ イチロウ,"
    "０８８７－２２－１２３４,781-2110,いの町１番地",
    "",
    "いの町社会福祉協議会,地域福祉係①,,　山﨑 花子　,ヤマサキ ハナコ,088-893-0000,７８１－２１２８,"
    '"いの町枝川\r\n2番地"',
    "高知県中央東福祉保健所,,主任,濵田 次郎,,,,",
    "",
]) + "\r\n"


def write(path, text, encoding):
    path.write_bytes(text.encode(encoding))
    return path


def check_members(table, name):
    assert table.source == name
    assert table.headers == HEADER.split(",")
    assert [r.number for r in table.rows] == [3, 5, 6]
    first, second, third = (r.values for r in table.rows)
    assert first[0] == "㈱いの就労支援センター"
    assert first[2] == "課長"
    assert first[3] == "髙橋　一郎"  # inner full-width space is kept, only the ends are trimmed
    assert first[5] == "０８８７－２２－１２３４"
    assert second[1] == "地域福祉係①"
    assert second[3] == "山﨑 花子"
    assert second[7] == "いの町枝川\n2番地"
    assert third == ["高知県中央東福祉保健所", "", "主任", "濵田 次郎", "", "", "", ""]


def test_cp932_csv_from_excel(tmp_path):
    path = write(tmp_path / "名簿.csv", MEMBERS_CSV, "cp932")
    check_members(read_table(path), "名簿.csv")


def test_utf8_bom_csv(tmp_path):
    path = write(tmp_path / "名簿.csv", MEMBERS_CSV, "utf-8-sig")
    table = read_table(path)
    check_members(table, "名簿.csv")
    assert not table.headers[0].startswith("\ufeff")


def test_utf8_without_bom_csv(tmp_path):
    check_members(read_table(write(tmp_path / "a.csv", MEMBERS_CSV, "utf-8")), "a.csv")


def test_tab_separated_unicode_text(tmp_path):
    # Excel's 「Unicode テキスト」: UTF-16 with BOM, tab separated.
    text = MEMBERS_CSV.replace(",", "\t").replace('"いの町枝川\r\n2番地"', "いの町枝川2番地")
    table = read_table(write(tmp_path / "a.txt", text, "utf-16"))
    assert table.headers[3] == "氏名"
    assert table.rows[0].values[3] == "髙橋　一郎"


def test_xlsx(tmp_path):
    book = Workbook()
    book.active.title = "表紙"
    book.active["A1"] = "このシートは読まない"
    ws = book.create_sheet("名簿")
    ws.append(["氏名 ", "生年月日", "人数", "割合", "開始", "備考"])
    ws.append(["髙橋", dt.datetime(1990, 4, 1), 3, 2.0, dt.time(14, 0), None])
    ws.append([])
    ws.append(
        ["　山﨑　", dt.date(2026, 11, 26), 12.5, 0.1 + 0.2, dt.datetime(2026, 1, 5, 9, 30), "x"]
    )
    book.save(tmp_path / "members.xlsx")
    table = read_table(tmp_path / "members.xlsx", sheet="名簿")
    assert table.headers == ["氏名", "生年月日", "人数", "割合", "開始", "備考"]
    assert [r.number for r in table.rows] == [2, 4]
    assert table.rows[0].values == ["髙橋", "1990-04-01", "3", "2", "14:00", ""]
    assert table.rows[1].values == ["山﨑", "2026-11-26", "12.5", "0.3", "2026-01-05 09:30", "x"]
    assert read_table(tmp_path / "members.xlsx").headers == ["このシートは読まない"]


def test_xlsx_missing_sheet_lists_sheets(tmp_path):
    Workbook().save(tmp_path / "a.xlsx")
    with pytest.raises(FileProblem) as info:
        read_table(tmp_path / "a.xlsx", sheet="名簿")
    assert "シート「名簿」がありません" in info.value.message
    assert "Sheet" in info.value.hint


def test_broken_quote_names_the_line(tmp_path):
    text = "氏名,住所\r\n髙橋,高知\r\n\"山﨑,いの町\r\n濵田,土佐\r\n"
    with pytest.raises(FileProblem) as info:
        read_table(write(tmp_path / "壊れ.csv", text, "cp932"))
    assert "ファイル「壊れ.csv」の3行目" in info.value.message
    assert "ダブルクォーテーション" in info.value.message


def test_undecodable_bytes_name_the_line(tmp_path):
    data = "氏名\r\n髙橋\r\n".encode("cp932") + b"\x82\xff\x82\r\n"
    (tmp_path / "a.csv").write_bytes(data)
    with pytest.raises(FileProblem) as info:
        read_table(tmp_path / "a.csv")
    assert "ファイル「a.csv」の3行目に、読み取れない文字" in info.value.message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("古い.xls", b"\xd0\xcf\x11\xe0", ".xlsx"),
        ("メモ.docx", b"PK", "読み込めない種類"),
        ("空.csv", b"", "空のファイル"),
        ("空白だけ.csv", b",,\r\n\r\n,\r\n", "空のファイル"),
        ("保護.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "パスワード"),
        ("壊れ.xlsx", b"this is not a zip file", "Excel ファイルとして読み込めません"),
    ],
)
def test_unreadable_files(tmp_path, name, content, expected):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(FileProblem) as info:
        read_table(tmp_path / name)
    assert f"「{name}」" in info.value.message
    assert expected in info.value.message + info.value.hint


def test_missing_file(tmp_path):
    with pytest.raises(FileProblem) as info:
        read_table(tmp_path / "ない.csv")
    assert "「ない.csv」が見つかりません" in info.value.message


# --- mapping ------------------------------------------------------------------------------

FIELDS = [
    FieldSpec("org", "機関名", ("所属", "団体名", "機関"), required=True),
    FieldSpec("dept", "部署", ("部署名", "課")),
    FieldSpec("title", "役職", ("職名",)),
    FieldSpec("name", "氏名", ("名前", "担当者"), required=True),
    FieldSpec("kana", "ふりがな", ("フリガナ", "カナ", "よみ")),
    FieldSpec("phone", "電話番号", ("電話", "TEL")),
    FieldSpec("postal", "郵便番号", ("〒",)),
    FieldSpec("address", "住所", ("所在地",)),
]


def test_fold_header():
    assert fold_header("電話 番号(必須)") == "電話番号"
    assert fold_header("※ﾌﾘｶﾞﾅ") == "ふりがな"
    assert fold_header("ＴＥＬ") == "tel"
    assert fold_header("【必須】氏名") == "氏名"


def test_guess_mapping_typical_headers():
    headers = ["No.", "所属機関", "部署名", "職名", "氏名（フリガナ）", "氏名（漢字）",
               "ＴＥＬ", "〒", "所在地 ※", "備考"]
    assert guess_mapping(headers, FIELDS) == {
        "org": 1, "dept": 2, "title": 3, "kana": 4, "name": 5,
        "phone": 6, "postal": 7, "address": 8,
    }


def test_guess_mapping_exact_beats_contained_and_uses_columns_once():
    headers = ["氏名", "氏名ふりがな", "電話番号(日中)", "電話番号"]
    assert guess_mapping(headers, FIELDS) == {"name": 0, "kana": 1, "phone": 3}


def test_mapping_file_roundtrip_and_resolve(tmp_path):
    path = tmp_path / "対応表.json"
    save_mapping(path, {"name": "氏名（漢字）", "phone": "ＴＥＬ"})
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc == {"fields": {"name": "氏名（漢字）", "phone": "ＴＥＬ"}}
    assert "氏名（漢字）" in path.read_text(encoding="utf-8")  # readable, not \\u escapes
    saved = load_mapping(path)
    assert resolve_mapping(["ＴＥＬ", "氏名（漢字）"], saved) == {"name": 1, "phone": 0}
    # A header retyped with half-width brackets still matches.
    assert resolve_mapping(["TEL", "氏名(漢字)"], saved) == {"name": 1, "phone": 0}


def test_resolve_mapping_names_missing_header():
    with pytest.raises(ValidationError) as info:
        resolve_mapping(["氏名"], {"name": "氏名", "phone": "電話番号"})
    assert "「電話番号」" in info.value.message
    assert info.value.field == "phone"


def test_load_mapping_bad_json_names_line(tmp_path):
    path = tmp_path / "対応表.json"
    path.write_text('{\n  "fields": {\n    "name": "氏名"\n    "phone": "TEL"\n  }\n}\n',
                    encoding="utf-8")
    with pytest.raises(FileProblem) as info:
        load_mapping(path)
    assert "「対応表.json」の4行目" in info.value.message


def test_format_errors():
    text = format_errors(
        [CellError(5, "郵便番号", "7桁で入力してください。"),
         CellError(3, "電話番号", "数字とハイフンで入力してください。"),
         CellError(4, "", "空の行です。")],
        "名簿.csv",
    )
    assert text.splitlines() == [
        "ファイル「名簿.csv」に3件の問題があります。",
        "3行目「電話番号」: 数字とハイフンで入力してください。",
        "4行目: 空の行です。",
        "5行目「郵便番号」: 7桁で入力してください。",
    ]


# --- writing ------------------------------------------------------------------------------


def test_write_cp932_replaces_and_reports(tmp_path):
    path = tmp_path / "export.csv"
    report = write_csv(
        path,
        ["氏名", "備考"],
        [["𠮷田 花子", "髙橋さん・山﨑さんと同席"], ["濵田", "よろしく😀"], ["A", 1]],
        encoding="cp932",
    )
    assert [(p.row, p.column, p.char, p.replacement) for p in report.problems] == [
        (2, "氏名", "𠮷", "吉"),
        (3, "備考", "😀", "〓"),
    ]
    raw = path.read_bytes()
    text = raw.decode("cp932")  # must decode strictly
    assert raw.count(b"\r\n") == 4 and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["氏名", "備考"], ["吉田 花子", "髙橋さん・山﨑さんと同席"],
                    ["濵田", "よろしく〓"], ["A", "1"]]
    summary = report.summary()
    assert "2行目「氏名」: 「𠮷」→「吉」" in summary
    assert "3行目「備考」: 「😀」→「〓」" in summary


def test_write_utf8_bom_keeps_everything(tmp_path):
    path = tmp_path / "export.csv"
    report = write_csv(path, ["氏名", "日付"], [["𠮷田", dt.date(2026, 11, 26)]],
                       encoding="utf-8-sig")
    assert report.problems == []
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    table = read_table(path)
    assert table.rows[0].values == ["𠮷田", "2026-11-26"]


def test_write_xlsx(tmp_path):
    path = tmp_path / "名簿.xlsx"
    write_xlsx(path, [
        SheetData("出席者", ["氏名", "人数", "開催日", "メモ"], [
            ["髙橋", 3, dt.date(2026, 11, 26), "=要確認"],
            ["山﨑", 2.5, dt.datetime(2026, 11, 26, 14, 0), None],
        ], column_widths=[20, 8, 12, 30]),
        SheetData("集計/R8", ["区分"], []),
    ])
    book = load_workbook(path)
    ws = book["出席者"]
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D3"
    assert ws["B2"].value == 3 and ws["B2"].data_type == "n"
    assert ws["C2"].is_date and ws["C2"].value == dt.datetime(2026, 11, 26)
    assert ws["D2"].value == "=要確認" and ws["D2"].data_type == "s"
    assert ws.column_dimensions["A"].width == 20
    assert book.sheetnames == ["出席者", "集計_R8"]


def test_write_xlsx_fits_column_widths(tmp_path):
    path = tmp_path / "a.xlsx"
    write_xlsx(path, [SheetData("a", ["No", "所属"], [[1, "高知県中央東福祉保健所"]])])
    ws = load_workbook(path).active
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width >= 6


def test_xlsx_with_wrong_stored_size_keeps_all_rows(tmp_path):
    # Some programs store a sheet size of "A1"; openpyxl would then stop after row 1.
    book = Workbook()
    book.active.append(["氏名", "電話番号"])
    book.active.append(["髙橋", "088-000-0000"])
    book.active.append(["山﨑", "088-111-1111"])
    book.save(tmp_path / "src.xlsx")
    with zipfile.ZipFile(tmp_path / "src.xlsx") as src, \
            zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
                assert b'<dimension ref="A1"' in data
            dst.writestr(item, data)
    table = read_table(tmp_path / "bad.xlsx")
    assert table.headers == ["氏名", "電話番号"]
    assert [r.values for r in table.rows] == [["髙橋", "088-000-0000"], ["山﨑", "088-111-1111"]]


def test_cp932_substitutes_and_silent_fixes(tmp_path):
    path = tmp_path / "a.csv"
    report = write_csv(
        path, ["備考"],
        [["〜 ～ − が"],          # cp932 holds these (〜 and − map to their cp932 forms)
         ["か\u3099"],            # kana + separate voicing mark: composed, nothing lost
         ["José ㉑ 葛\U000E0100"]],
        encoding="cp932",
    )
    assert [(p.row, p.char, p.replacement) for p in report.problems] == [
        (4, "é", "e"), (4, "㉑", "21"), (4, "\U000E0100", ""),
    ]
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("cp932"), newline="")))
    assert rows[2] == ["が"] and rows[3] == ["Jose 21 葛"]
    summary = report.summary()
    assert "4行目「備考」: 「U+E0100」→「（削除）」" in summary


def test_short_and_long_rows_line_up_with_headers(tmp_path):
    text = "氏名,電話番号,,,\r\n髙橋\r\n山﨑,088,,,\r\n濵田,099,,メモ\r\n"
    table = read_table(write(tmp_path / "a.csv", text, "cp932"))
    assert table.headers == ["氏名", "電話番号"]
    assert [r.values for r in table.rows] == [
        ["髙橋", ""], ["山﨑", "088"], ["濵田", "099", "", "メモ"],
    ]


def test_a_large_workbook_is_read_row_by_row_with_progress_and_a_size_cap(tmp_path, monkeypatch):
    from openpyxl import Workbook

    from pfdesk.core.errors import FileProblem
    from pfdesk.core.tabular import reading

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名簿")
    ws.append(["機関名", "氏名"])
    for i in range(2500):
        ws.append([f"機関{i}", f"山田 太郎{i}"])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    heard: list[tuple[int, int]] = []
    table = reading.read_table(path, progress=lambda done, total: heard.append((done, total)))
    assert len(table.rows) == 2500 and table.rows[-1].number == 2501
    assert [d for d, _t in heard] == [1000, 2000] and all(t in (0, 2501) for _d, t in heard)
    monkeypatch.setattr(reading, "MAX_XLSX_BYTES", 1000)
    with pytest.raises(FileProblem) as e:
        reading.read_table(path)
    assert "大きすぎる" in e.value.message and "big.xlsx" in e.value.message


@pytest.mark.parametrize(
    ("raw", "cell"),
    [
        ("  髙橋 一郎\u3000", "髙橋 一郎"),  # printable: only the ends' spaces go
        ("'=SUM(A1)", "=SUM(A1)"),  # pfdesk's own guard before formula-like text
        ("'山田", "'山田"),
        ("\ufeff\u200b 山田 \u2060", "山田"),  # zero-width marks at the edges
        ("山\u200d田", "山\u200d田"),  # inside: kept
        ("一行目\r\n二行目\r", "一行目\n二行目"),
        ("\t", ""),
    ],
)
def test_csv_cells_are_cleaned_the_same_way_printable_or_not(tmp_path, raw, cell):
    path = tmp_path / "cells.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["氏名", "備考"], [raw, "x"]])
    assert read_table(path).rows[0].values[0] == cell


def test_a_cp932_file_read_leaves_nothing_for_the_cycle_collector(tmp_path):
    # Trying UTF-8 first fails on a cp932 file; the failure must not keep the reading's
    # frames (and an import's whole plan above them) alive until a cycle collection.
    path = tmp_path / "名簿.csv"
    path.write_bytes("氏名,電話番号\r\n髙橋 一郎,0889-52-0123\r\n".encode("cp932"))
    gc.disable()
    try:
        def read():
            table = read_table(path)
            assert table.rows[0].values[0] == "髙橋 一郎"
            return weakref.ref(table)

        gone = read()
        assert gone() is None
    finally:
        gc.enable()
