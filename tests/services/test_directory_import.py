"""名簿の取り込み・書き出し: Excel-made cp932 CSV, all-or-nothing, duplicates, saved mapping."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from pfdesk.core.errors import ValidationError
from pfdesk.services.directory.importer import import_contacts, preview_contacts_import
from pfdesk.services.directory.io import export_contacts
from pfdesk.services.directory.organizations import list_organizations
from pfdesk.services.directory.people import create_person, list_people
from pfdesk.services.directory.types import PersonInput
from pfdesk.store.models import AuditEvent, Organization, Person, Post

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "directory"
EXCEL_CSV = FIXTURES / "excel_contacts_cp932.csv"
BAD_CSV = FIXTURES / "one_bad_row_cp932.csv"


def _counts(ctx) -> tuple[int, ...]:
    with ctx.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0
                     for m in (Organization, Person, Post, AuditEvent))


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "cp932") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_the_fixture_is_what_excel_writes():
    raw = EXCEL_CSV.read_bytes()
    text = raw.decode("cp932")
    assert "髙橋" in text and "﨑" in text and "㈱" in text and "０８８９" in text
    assert "\r\n\r\n" in text or ",,,,," in text  # blank lines as Excel leaves them
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_excel_csv_imports_completely_exports_and_reimports_without_duplicates(ctx, tmp_path):
    done = import_contacts(ctx, EXCEL_CSV)
    assert done.count("add") == 6 and not done.errors
    people = {p.full_name: p for p in list_people(ctx)}
    assert set(people) == {"髙橋\u3000一郎", "山﨑\u3000花子", "濵田\u3000剛", "岡林\u3000美和",
                           "齋藤\u3000真一"}
    takahashi = people["髙橋\u3000一郎"]
    assert takahashi.full_kana == "たかはし\u3000いちろう"  # ﾊﾝｶｸ reading folded to ひらがな
    assert takahashi.phone == "0889-52-0123"  # full-width digits and ー normalized
    assert people["山﨑\u3000花子"].phone == "0889-52-0124"  # 0889(52)0124
    assert people["岡林\u3000美和"].phone == "090-1234-5678"
    orgs = {o.name: o for o in list_organizations(ctx)}
    assert "㈱みどり川精工" in orgs and "みどり川町保健福祉課" in orgs  # trailing space gone
    assert orgs["NPO法人ひだまりの家"].postal_code == "781-2104"
    assert orgs["しののめ地域若者サポートステーション"].phone == "088-822-1234"
    before = _counts(ctx)

    for name, enc in (("back.csv", "cp932"), ("back-utf8.csv", "utf-8-sig"),
                      ("back.xlsx", None)):
        out = tmp_path / name
        result = export_contacts(ctx, out, encoding=enc)
        assert result.rows == 6
        again = import_contacts(ctx, out)
        assert again.count("add") == 0 and again.count("update") == 0, name
        assert again.count("unchanged") == 6
    again = import_contacts(ctx, EXCEL_CSV)
    assert again.count("add") == again.count("update") == 0
    after = _counts(ctx)
    assert after[:3] == before[:3]  # no new organization, person or post
    assert {p.full_name for p in list_people(ctx)} == set(people)  # 髙 﨑 濵 kept as typed


def test_export_to_cp932_reports_what_it_replaced_and_keeps_the_store_spelling(ctx, tmp_path):
    import_contacts(ctx, EXCEL_CSV)
    create_person(ctx, PersonInput(family_name="𠮷田", given_name="花子", family_kana="よしだ",
                                   given_kana="はなこ"))
    out = tmp_path / "list.csv"
    result = export_contacts(ctx, out, encoding="cp932", in_post_only=False)
    assert result.replaced == 0  # 𠮷田 has no post, so is not listed
    from pfdesk.services.directory.importer import import_contacts as imp
    src = _write_csv(tmp_path / "y.csv", [["機関名", "氏名", "ふりがな"],
                                          ["NPO法人つむぎ", "𠮷田 花子", "よしだ はなこ"]],
                     encoding="utf-8-sig")
    imp(ctx, src)
    result = export_contacts(ctx, out, encoding="cp932")
    assert result.replaced == 1
    assert "「𠮷」→「吉」" in result.report and "「姓」" in result.report
    assert "吉田" in out.read_bytes().decode("cp932")
    assert imp(ctx, out).count("add") == 0
    assert "𠮷田\u3000花子" in {p.full_name for p in list_people(ctx)}


def test_xlsx_export_is_a_workbook_with_the_import_headers(ctx, tmp_path):
    import_contacts(ctx, EXCEL_CSV)
    out = tmp_path / "list.xlsx"
    export_contacts(ctx, out)
    ws = load_workbook(out).active
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["機関名", "機関名ふりがな", "分野"]
    assert ws.max_row == 7


def test_one_bad_row_rejects_the_whole_file_and_names_row_and_column(ctx):
    before = _counts(ctx)
    with pytest.raises(ValidationError) as e:
        import_contacts(ctx, BAD_CSV)
    assert "4行目「電話番号」" in e.value.message
    assert "何も取り込んでいません" in e.value.hint
    assert _counts(ctx) == before
    preview = preview_contacts_import(ctx, BAD_CSV)
    assert [r.action for r in preview.rows] == ["add", "add", "error"]
    assert _counts(ctx) == before  # the preview stores nothing


def test_several_bad_cells_are_all_listed(ctx, tmp_path):
    src = _write_csv(tmp_path / "bad.csv", [
        ["機関名", "氏名", "フリガナ", "郵便番号", "分野", "メール"],
        ["A町", "山田 太郎", "Yamada", "12345", "宇宙", "x@"],
        ["", "", "", "", "", ""],
        ["", "", "", "781-0000", "", ""],
    ])
    preview = preview_contacts_import(ctx, src)
    text = preview.error_text()
    for where in ("2行目「フリガナ」", "2行目「郵便番号」", "2行目「分野」: 値「宇宙」", "2行目「メール」",
                  "4行目「機関名」"):
        assert where in text


def test_the_same_bad_value_on_several_rows_is_reported_on_each(ctx, tmp_path):
    # Each distinct cell is checked once per file; a refused one must still name every row.
    src = _write_csv(tmp_path / "same.csv", [
        ["機関名", "氏名", "フリガナ", "電話番号", "郵便番号"],
        ["A町", "山田 太郎", "Yamada", "03-ABCD", "12345"],
        ["A町", "山田 花子", "Yamada", "03-ABCD", "12345"],
        ["A町", "山田 次郎", "やまだ じろう", "0887-22-1234", "781-0000"],
    ])
    preview = preview_contacts_import(ctx, src)
    text = preview.error_text()
    for n in (2, 3):
        for column in ("フリガナ", "電話番号", "郵便番号"):
            assert f"{n}行目「{column}」" in text
    assert [r.action for r in preview.rows] == ["error", "error", "add"]
    assert "4行目" not in text


def test_duplicates_update_by_default_or_are_added_when_chosen(ctx, tmp_path):
    import_contacts(ctx, EXCEL_CSV)
    src = _write_csv(tmp_path / "dup.csv", [
        ["機関名", "氏名", "ふりがな", "役職"],
        ["みどり川町保健福祉課", "高橋 一郎", "たかはし いちろう", "係長"],
        ["みどり川町保健福祉課", "山崎 花子", "ヤマサキ ハナコ", "主任"],
    ])
    preview = preview_contacts_import(ctx, src)
    assert [r.duplicate_of for r in preview.rows] == [
        "既存: 髙橋\u3000一郎（みどり川町保健福祉課）", "既存: 山﨑\u3000花子（みどり川町保健福祉課）"]
    assert [r.action for r in preview.rows] == ["unchanged", "update"]
    done = import_contacts(ctx, src, decisions={3: "add"})
    assert [r.action for r in done.rows] == ["unchanged", "add"]
    names = [p.full_name for p in list_people(ctx) if "花子" in p.full_name]
    assert sorted(names) == ["山崎\u3000花子", "山﨑\u3000花子"]
    assert len(preview_contacts_import(ctx, src, add_duplicates=True).rows) == 2
    assert preview_contacts_import(ctx, src, add_duplicates=True).count("add") == 2


def test_a_new_title_is_a_new_post_and_the_old_one_ends(ctx, tmp_path):
    import_contacts(ctx, EXCEL_CSV)
    src = _write_csv(tmp_path / "promo.csv", [
        ["機関名", "部署", "役職", "氏名", "ふりがな"],
        ["みどり川町保健福祉課", "地域福祉係", "課長補佐", "髙橋 一郎", "たかはし いちろう"],
    ])
    assert import_contacts(ctx, src).count("update") == 1
    from pfdesk.services.directory.people import get_person

    pid = next(p.id for p in list_people(ctx) if p.full_name == "髙橋\u3000一郎")
    posts = get_person(ctx, pid).posts
    assert [(p.title, p.current) for p in posts] == [("課長補佐", True), ("係長", False)]


def test_a_saved_mapping_is_reused_for_the_next_file(ctx, tmp_path):
    rows = [["団体", "担当", "電話（代表）"], ["NPO法人つむぎ", "西森 誠", "0889-55-1111"]]
    src = _write_csv(tmp_path / "odd.csv", rows)
    mapping = {"org_name": "団体", "full_name": "担当", "phone": "電話（代表）"}
    done = import_contacts(ctx, src, mapping=mapping)
    assert done.mapping_origin == "given"
    nxt = _write_csv(tmp_path / "odd2.csv", rows[:1] + [["NPO法人つむぎ", "森 修", "0889-55-2222"]])
    preview = preview_contacts_import(ctx, nxt)
    assert preview.mapping_origin == "saved"
    assert preview.mapping["phone"] == "電話（代表）"
    assert [r.person for r in preview.rows] == ["森\u3000修"]


def test_a_damaged_or_wrong_file_is_a_clear_message(ctx, tmp_path):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(Exception) as e:
        preview_contacts_import(ctx, xls)
    assert ".xls" in str(e.value)
    nohead = _write_csv(tmp_path / "x.csv", [["a", "b"], ["1", "2"]])
    with pytest.raises(ValidationError) as e:
        preview_contacts_import(ctx, nohead)
    assert "機関名または氏名の列" in e.value.message


def test_import_writes_an_audit_event(ctx, tmp_path):
    shutil.copy(EXCEL_CSV, tmp_path / "a.csv")
    import_contacts(ctx, tmp_path / "a.csv")
    with ctx.session() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "directory.import")).one()
        assert '"added": 6' in ev.detail_json


def test_an_xlsx_list_with_numbers_typed_as_numbers(ctx, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["団体名", "担当者名", "フリガナ", "TEL", "郵便番号", "所在地"])
    ws.append(["NPO法人つむぎ ", "西森　誠", "ニシモリ　マコト", "0889-55-1111", 7812120,
               "東雲県みどり川町西町88番地"])
    ws.append(["NPO法人ひだまりの家", "森 修", "もり おさむ", 889531234, None, None])
    src = tmp_path / "list.xlsx"
    wb.save(src)
    preview = preview_contacts_import(ctx, src)
    assert preview.mapping == {"org_name": "団体名", "full_name": "担当者名",
                               "full_kana": "フリガナ", "phone": "TEL",
                               "postal_code": "郵便番号", "address": "所在地"}
    assert [e.row for e in preview.errors] == [3]
    assert "先頭の0を消した" in preview.error_text()  # Excel dropped the leading 0
    assert "3行目「TEL」" in preview.error_text()
    ws["D3"] = "0889-53-1234"
    wb.save(src)
    import_contacts(ctx, src)
    org = next(o for o in list_organizations(ctx) if o.name == "NPO法人つむぎ")
    assert org.postal_code == "781-2120"


def test_a_title_above_the_header_is_skipped(ctx, tmp_path):
    src = _write_csv(tmp_path / "titled.csv", [
        ["関係機関名簿（令和8年4月1日現在）", "", ""],
        ["", "", ""],
        ["所属", "氏名", "電話番号"],
        ["NPO法人つむぎ", "西森 誠", "0889-55-1111"],
        ["NPO法人つむぎ", "森 修", "0889-55-0000x"],
    ])
    preview = preview_contacts_import(ctx, src)
    assert preview.mapping == {"org_name": "所属", "full_name": "氏名", "phone": "電話番号"}
    assert "5行目「電話番号」" in preview.error_text()  # the row number Excel shows


def test_a_titled_file_imports_with_the_columns_the_preview_showed(ctx, tmp_path):
    src = _write_csv(tmp_path / "titled.csv", [
        ["関係機関名簿", "", ""],
        ["団体", "担当", "連絡先"],
        ["NPO法人つむぎ", "西森 誠", "0889-55-1111"],
    ])
    mapping = {"org_name": "団体", "full_name": "担当", "phone": "連絡先"}
    done = import_contacts(ctx, src, mapping=mapping)
    assert [(r.row, r.action, r.person) for r in done.rows] == [(3, "add", "西森\u3000誠")]
