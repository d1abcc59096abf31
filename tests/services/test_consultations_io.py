"""The ledger import (all or nothing, row-and-column errors) and the coded export (no names)."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from pfdesk.core.errors import ValidationError
from pfdesk.services.consultations import cases, contacts
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.consultations.io import export_contacts, import_ledger, preview_ledger
from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.store.models import AuditEvent, Case, Contact

HEADERS = ["No", "氏名", "ふりがな", "性別", "年齢", "相談経路", "相談日", "時間", "相談方法",
           "相談者", "主な相談内容", "対応内容"]
ROWS = [
    ["A-1", "髙橋 健一", "たかはし けんいち", "男", "35歳", "本人・家族から直接", "R7.4.3", "10:00",
     "来所", "母", "ひきこもり・不登校", "母が来所。"],
    ["A-1", "", "", "", "", "", "2025/05/10", "", "電話", "本人", "仕事探し・就職、家族との関係",
     "本人から電話。"],
    ["A-2", "山田 花子", "ヤマダ ハナコ", "女性", "20代", "学校・教育委員会等", "2026-01-15", "",
     "訪問", "民生委員", "家族との関係", "民生委員と訪問。"],
]


def _write_csv(path, rows, encoding="cp932"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows([HEADERS, *rows])
    return path


def _counts(ctx):
    with ctx.session() as s:
        return (s.scalar(select(func.count()).select_from(Case)),
                s.scalar(select(func.count()).select_from(Contact)))


def test_a_cp932_ledger_becomes_cases_with_their_contacts(ctx, tmp_path):
    path = _write_csv(tmp_path / "台帳.csv", ROWS)
    preview = preview_ledger(ctx, path)
    assert preview.ok and (preview.cases, preview.contacts) == (2, 3)
    assert preview.mapping["ledger_key"] == "No" and preview.mapping["body"] == "対応内容"
    result = import_ledger(ctx, path)
    assert [n for _k, n in result.case_numbers] == ["R7-0001", "R7-0002"]
    found = search_cases(ctx, CaseFilter(text="高橋")).rows
    assert len(found) == 1 and found[0].name == "髙橋　健一" and found[0].age_band == "30s"
    detail = cases.get_case(ctx, found[0].id)
    assert (detail.sex, detail.route, detail.family_kana) == ("male", "direct", "タカハシ")
    rows = contacts.list_contacts(ctx, found[0].id)
    assert [(r.method, r.requester, r.relation) for r in rows] == [
        ("phone", "self", ""), ("visit_office", "family", "母")]
    assert rows[0].topics == ("job_search", "family")
    with ctx.session() as s:
        assert s.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) in (
            "consultations.contact.view", "consultations.case.view")
        assert s.scalar(select(func.count()).where(
            AuditEvent.action == "consultations.import")) == 1


def test_problems_are_reported_by_row_and_column_and_nothing_is_written(ctx, tmp_path):
    bad = [list(r) for r in ROWS]
    bad[1][6] = "5月くらい"
    bad[2][3] = "おとこ"
    path = _write_csv(tmp_path / "bad.csv", bad, encoding="utf-8-sig")
    preview = preview_ledger(ctx, path)
    assert not preview.ok
    text = preview.error_text()
    assert "3行目「相談日」" in text and "4行目「性別」" in text and "おとこ" in text
    with pytest.raises(ValidationError) as e:
        import_ledger(ctx, path)
    assert "何も登録していません" in e.value.user_text()
    assert _counts(ctx) == (0, 0)


def test_rows_of_one_person_must_agree(ctx, tmp_path):
    bad = [list(r) for r in ROWS]
    bad[1][3] = "女"
    preview = preview_ledger(ctx, _write_csv(tmp_path / "x.csv", bad))
    assert "3行目「性別」" in preview.error_text() and "2行目" in preview.error_text()


def test_dry_run_and_mapping_file_and_xlsx(ctx, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["番号", "名前", "日付", "メモ"])
    ws.append(["9", "不明", datetime(2026, 5, 1, 13, 30), "匿名の電話"])
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    mapping = {"ledger_key": "番号", "name": "名前", "contact_date": "日付", "body": "メモ"}
    (tmp_path / "map.json").write_text(json.dumps({"fields": mapping}, ensure_ascii=False))
    dry = import_ledger(ctx, path, mapping, dry_run=True)
    assert dry.dry_run and dry.cases == 1 and _counts(ctx) == (0, 0)
    assert preview_ledger(ctx, path).mapping_origin == "guessed"
    import_ledger(ctx, path, mapping)
    assert _counts(ctx) == (1, 1)
    again = preview_ledger(ctx, path)  # the next ledger of the same layout reuses the columns
    assert again.mapping_origin == "saved" and again.mapping == mapping
    with pytest.raises(ValidationError) as e:
        import_ledger(ctx, path, {"ledger_key": "ケース番号", "contact_date": "日付"})
    assert "ケース番号" in e.value.user_text()


def test_the_export_has_one_row_per_contact_and_no_names(ctx, tmp_path):
    c = cases.create_case(ctx, CaseInput(
        intake_date=date(2026, 4, 5), family_name="秘密野", given_name="太郎", sex="male",
        birth_date=date(1990, 4, 10), address="みどり川町本町1", route="medical"))
    for day in (5, 6):
        contacts.add_contact(ctx, c.id, contacts.ContactInput(
            occurred_at=datetime(2026, 4, day, 10), body="秘密野さんの話", staff="森野"))
    wrong = contacts.add_contact(ctx, c.id, contacts.ContactInput(
        occurred_at=datetime(2026, 4, 7, 10)))
    contacts.void_contact(ctx, wrong.id, "誤入力")
    contacts.add_contact(ctx, c.id, contacts.ContactInput(occurred_at=datetime(2025, 4, 7, 10)))
    out = tmp_path / "coded.xlsx"
    result = export_contacts(ctx, out, 2026)
    assert result.contacts == 2
    wb = load_workbook(out)
    rows = list(wb["相談"].iter_rows(values_only=True))
    text = json.dumps(rows, ensure_ascii=False, default=str)
    for secret in ("秘密野", "太郎", "本町", "森野"):
        assert secret not in text
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["ケース番号"] == c.case_number and first["性別"] == "男性"
    assert first["年代（相談時）"] == "30代" and first["相談経路"] == "医療機関"
    assert first["初回相談日"].date() == date(2025, 4, 7)
    csv_out = tmp_path / "coded.csv"
    export_contacts(ctx, csv_out, None, encoding="cp932")
    assert len(csv_out.read_bytes().decode("cp932").splitlines()) == 1 + 3
    with pytest.raises(ValidationError):
        export_contacts(ctx, tmp_path / "x.pdf")


def test_an_unknown_birth_date_written_as_fumei_is_read_as_unknown(ctx, tmp_path):
    path = tmp_path / "台帳.csv"
    with open(path, "w", encoding="cp932", newline="") as fh:
        csv.writer(fh).writerows([
            ["No", "氏名", "生年月日", "年代", "相談日", "方法"],
            ["1", "吉田 花子", "不明", "40代", "R7.7.1", "訪問"],
            ["2", "山田 一郎", "S60.4.1", "", "R7.7.2", "電話"],
        ])
    preview = preview_ledger(ctx, path)
    assert preview.ok, preview.error_text()
    import_ledger(ctx, path)
    found = search_cases(ctx, CaseFilter(text="吉田")).rows
    detail = cases.get_case(ctx, found[0].id)
    assert detail.birth_date is None and detail.age_band == "40s"
    # a 相談日 of 不明 is still refused: a contact needs its date
    with open(path, "w", encoding="cp932", newline="") as fh:
        csv.writer(fh).writerows([["No", "氏名", "相談日"], ["3", "佐藤 花", "不明"]])
    assert "2行目「相談日」" in preview_ledger(ctx, path).error_text()


def test_ledger_values_are_matched_once_and_an_open_one_is_one_line(ctx, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][8] = "面談（予約）"  # bracket qualifier: 来所(面接) by synonym
    rows[1][8] = "ＴＥＬ"  # full width: 電話
    rows[2][8] = "ピアサポート"  # nothing like it
    rows.append(["A-3", "森 修", "もり おさむ", "男", "40代", "", "2025/6/1", "", "ピアサポート",
                 "本人", "その他", ""])
    path = _write_csv(tmp_path / "台帳.csv", rows)
    preview = preview_ledger(ctx, path)
    assert not preview.ok
    methods = {t.key: t for t in preview.value_tables}["method"]
    assert [(r.text, r.count, r.code) for r in methods.rows] == [
        ("面談（予約）", 1, "visit_office"), ("ＴＥＬ", 1, "phone"), ("ピアサポート", 2, None)]
    lines = [ln for ln in preview.error_text().splitlines() if "ピアサポート" in ln]
    assert len(lines) == 1 and "4・5行目「相談方法」" in lines[0] and "（2行）" in lines[0]
    with pytest.raises(ValidationError):
        import_ledger(ctx, path)
    assert _counts(ctx) == (0, 0)
    result = import_ledger(ctx, path, value_choices={"method": {"ピアサポート": "other"}})
    assert result.cases == 3
    again = preview_ledger(ctx, path)  # the choice was kept with the column mapping
    row = next(r for r in {t.key: t for t in again.value_tables}["method"].rows
               if r.text == "ピアサポート")
    assert (row.code, row.how) == ("other", "saved")


def test_a_short_ledger_row_is_an_error_not_a_shifted_contact(ctx, tmp_path):
    path = tmp_path / "台帳.csv"
    path.write_bytes(("No,氏名,相談日,相談方法,対応内容\r\nA-1,森 修,2025/6/1,電話,経過\r\n"
                      "A-1,2025/6/2,電話\r\n").encode("cp932"))
    preview = preview_ledger(ctx, path)
    assert "3行目: 列の数が足りません" in preview.error_text()


def test_imported_cases_carry_the_search_text_the_case_would_rebuild(ctx, tmp_path):
    """The search text written with each imported case is the one a rebuild makes.

    The import computes it without querying the contacts back or updating the case.
    """
    from pfdesk.services.consultations._common import refresh_search_text

    rows = [*ROWS, ["A-3", "山﨑 健", "", "男", "", "", "R7.6.1", "", "電話", "本人", "",
                    "次回は来月、就労継続支援B型の見学。"]]
    import_ledger(ctx, _write_csv(tmp_path / "台帳.csv", rows))
    with ctx.session() as s:
        imported = list(s.scalars(select(Case)))
        assert len(imported) == 3
        for case in imported:
            written = case.search_text
            refresh_search_text(s, case)
            assert written == case.search_text and "来月" in "".join(
                c.search_text for c in imported)
    assert [r.name for r in search_cases(ctx, CaseFilter(text="就労継続")).rows] == ["山﨑　健"]


def test_a_ledger_whose_rows_repeat_their_texts_reads_each_row_and_keeps_no_strings(
        ctx, tmp_path):
    # Each distinct cell is cleaned and folded once per file; every row still gets its own
    # values, and nothing of the file stays in the process afterwards.
    from pfdesk.services.consultations import io

    rows = [["A-1", "髙橋 健一", "たかはし けんいち", "男", "35歳", "本人・家族から直接",
             f"R7.4.{d}", "10:00", "電話", "母", "家族との関係", "電話連絡"]
            for d in range(1, 6)]
    rows += [["A-2", "山田 花子", "やまだ はなこ", "女", "20代", "本人・家族から直接",
              "R7.5.1", "", "電話", "母", "家族との関係", "電話連絡"]]
    path = _write_csv(tmp_path / "repeat.csv", rows)
    assert preview_ledger(ctx, path).contacts == 6
    assert io._clean.cache_info().currsize == io._fold.cache_info().currsize == 0
    import_ledger(ctx, path)
    assert io._clean.cache_info().currsize == io._fold.cache_info().currsize == 0
    assert _counts(ctx) == (2, 6)
    assert [len(search_cases(ctx, CaseFilter(text=q)).rows) for q in ("電話連絡", "やまだ")] == [
        2, 1]


def test_repeated_times_and_topics_are_read_for_every_row(ctx, tmp_path):
    rows = [["B-1", "森 修", "もり おさむ", "男", "40代", "本人・家族から直接", f"R7.4.{d}",
             "10:30" if d % 2 else "14時", "電話", "母" if d % 3 else "本人",
             "家族との関係、仕事探し・就職" if d % 2 else "家族との関係", "電話連絡"]
            for d in range(1, 7)]
    bad = [list(r) for r in rows]
    bad[1][7] = bad[3][7] = "25:00"  # the same refused time on two rows: both reported
    preview = preview_ledger(ctx, _write_csv(tmp_path / "bad.csv", bad))
    assert "3行目「時間」" in preview.error_text() and "5行目「時間」" in preview.error_text()
    import_ledger(ctx, _write_csv(tmp_path / "ok.csv", rows))
    with ctx.session() as s:
        got = s.execute(select(Contact.occurred_at, Contact.topics_json, Contact.counterpart)
                        .order_by(Contact.occurred_at)).all()
    assert [(c.occurred_at.day, c.occurred_at.strftime("%H:%M")) for c in got] == [
        (d, "10:30" if d % 2 else "14:00") for d in range(1, 7)]
    assert [c.topics_json for c in got] == [
        '["family", "job_search"]' if d % 2 else '["family"]' for d in range(1, 7)]
    assert [c.counterpart for c in got] == ["self" if d % 3 == 0 else "family"
                                            for d in range(1, 7)]
