"""``pfdesk import consultations`` and ``pfdesk export consultations``."""

from __future__ import annotations

import csv
import json

from openpyxl import load_workbook

from pfdesk.__main__ import main


def _ledger(path, rows):
    with open(path, "w", encoding="cp932", newline="") as fh:
        csv.writer(fh).writerows([["台帳番号", "氏名", "相談日", "方法", "内容"], *rows])
    return path


def test_import_dry_run_then_for_real_then_export(tmp_path, capsys):
    data = str(tmp_path / "data")
    ledger = _ledger(tmp_path / "台帳.csv", [["1", "高橋 一郎", "R8.5.1", "電話", "初回"],
                                           ["1", "", "2026/05/20", "来所", "2回目"],
                                           ["2", "不明", "2026/06/01", "", "匿名"]])
    assert main(["--data-dir", data, "import", "consultations", str(ledger), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "ケース 2 件、経過記録 3 件を取り込めます" in out and "何も登録していません" in out
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"fields": {
        "ledger_key": "台帳番号", "name": "氏名", "contact_date": "相談日", "method": "方法",
        "body": "内容"}}, ensure_ascii=False), encoding="utf-8")
    assert main(["--data-dir", data, "import", "consultations", str(ledger),
                 "--mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert "台帳番号 1 → ケース番号 R8-0001" in out
    xlsx = tmp_path / "out.xlsx"
    assert main(["--data-dir", data, "export", "consultations", str(xlsx), "--fy", "2026"]) == 0
    assert "相談 3 件" in capsys.readouterr().out
    rows = list(load_workbook(xlsx)["相談"].iter_rows(values_only=True))
    assert len(rows) == 4 and "高橋" not in json.dumps(rows, ensure_ascii=False, default=str)
    csv_out = tmp_path / "out.csv"
    assert main(["--data-dir", data, "export", "consultations", str(csv_out), "--fy", "2025"]) == 0
    assert csv_out.read_text(encoding="utf-8-sig").count("\n") == 1  # header only


def test_a_bad_ledger_says_where_and_changes_nothing(tmp_path, capsys):
    data = str(tmp_path / "data")
    ledger = _ledger(tmp_path / "bad.csv", [["1", "高橋", "いつか", "電話", "x"]])
    assert main(["--data-dir", data, "import", "consultations", str(ledger)]) == 2
    err = capsys.readouterr().err
    assert "2行目「相談日」" in err and "何も登録していません" in err
    assert main(["--data-dir", data, "export", "consultations", str(tmp_path / "o.csv")]) == 0
    assert "相談 0 件" in capsys.readouterr().out


def test_dry_run_prints_the_value_table_and_the_mapping_file_answers(tmp_path, capsys):
    data = str(tmp_path / "data")
    ledger = _ledger(tmp_path / "台帳.csv", [["1", "高橋 一郎", "R8.5.1", "面談", "初回"],
                                           ["1", "", "2026/05/20", "ピア相談", "2回目"]])
    assert main(["--data-dir", data, "import", "consultations", str(ledger), "--dry-run"]) != 0
    captured = capsys.readouterr()
    assert "列「方法」の値の対応:" in captured.out
    assert "面談\t1行\t→ 来所(面接)\t[言い換え]" in captured.out
    assert "ピア相談" in captured.err + captured.out
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({
        "fields": {"ledger_key": "台帳番号", "name": "氏名", "contact_date": "相談日",
                   "method": "方法", "body": "内容"},
        "values": {"method": {"ピア相談": "other"}}}, ensure_ascii=False), encoding="utf-8")
    assert main(["--data-dir", data, "import", "consultations", str(ledger), "--mapping",
                 str(mapping), "--dry-run"]) == 0
    assert "ピア相談\t1行\t→ その他\t[保存した対応]" in capsys.readouterr().out


def test_the_columns_used_are_said_once_whether_the_ledger_is_taken_or_refused(tmp_path,
                                                                              capsys):
    data = str(tmp_path / "data")
    good = _ledger(tmp_path / "台帳.csv", [["1", "高橋 一郎", "R8.5.1", "電話", "初回"]])
    assert main(["--data-dir", data, "import", "consultations", str(good)]) == 0
    out = capsys.readouterr().out
    assert out.count("ファイル: 台帳.csv") == 1 and out.count("列の対応:") == 1
    assert "相談日 ← 「相談日」" in out and "ケース 1 件、経過記録 1 件を取り込みました" in out
    assert out.index("列の対応:") < out.index("取り込みました")
    bad = _ledger(tmp_path / "bad.csv", [["1", "高橋", "いつか", "電話", "x"]])
    assert main(["--data-dir", data, "import", "consultations", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out.count("ファイル: bad.csv") == 1 and "相談日 ← 「相談日」" in captured.out
    assert "2行目「相談日」" in captured.err
