"""名簿の取り込み with another office's words: 分野 values mapped, not refused; safe matching."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from pfdesk.core.codes import FIELDS, ORG_KINDS
from pfdesk.core.errors import ValidationError
from pfdesk.core.tabular import load_value_choices
from pfdesk.services.directory.importer import import_contacts, preview_contacts_import
from pfdesk.services.directory.organizations import list_organizations
from pfdesk.services.directory.people import get_person, list_people
from pfdesk.store.models import Organization, Person, Post

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "directory"
OUTSIDER_CSV = FIXTURES / "outsider_list_cp932.csv"
OUTSIDER_XLSX = FIXTURES / "outsider_list.xlsx"

#: What a careful secretariat would file each organization under: (分野, 種別).
EXPECTED = {
    "みどり川町保健福祉課": ("行政", None),
    "みどり川町教育委員会": ("教育", "教育委員会"),
    "みどり川町社会福祉協議会": ("福祉", "社会福祉協議会"),
    "ハローワーク東雲南": ("就労支援", "ハローワーク"),
    "NPO法人ひだまりの家": ("民間支援団体", "NPO法人"),
    "みどり川町民生委員児童委員協議会": ("地域", "民生委員・児童委員"),
    "障害福祉サービス事業所わかば": ("福祉", None),
    "特別養護老人ホームみどり苑": ("福祉", None),
    "東雲県みどり川警察署": ("警察・消防・司法", "警察"),
    "みどり川町消防署": ("警察・消防・司法", "消防"),
    "しののめ地域若者サポートステーション": ("就労支援", "地域若者サポートステーション"),
    "みどり川町地域包括支援センター": ("福祉", "地域包括支援センター"),
    "東雲県中央保健所": ("保健・医療", "保健所・保健センター"),
    "しののめ病院": ("保健・医療", "医療機関"),
    "KHJしののめ家族会": ("当事者・家族", "当事者会・家族会"),
    "みどり川町立みどり川中学校": ("教育", "学校"),
    "みどり川町商工会": ("商工・経済", "商工会・経済団体"),
    "東雲県精神保健福祉センター": ("精神保健", "精神保健福祉センター"),
    "東雲県ひきこもり地域支援センター": ("精神保健", "ひきこもり地域支援センター"),
}


def _counts(ctx) -> tuple[int, ...]:
    with ctx.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0
                     for m in (Organization, Person, Post))


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "cp932") -> Path:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def test_the_fixtures_are_what_another_office_sends():
    text = OUTSIDER_CSV.read_bytes().decode("cp932")
    for word in ("行政（庁内）", "社会福祉協議会", "ハローワーク", "NPO法人", "民生委員・児童委員",
                 "障害/高齢福祉サービス事業者", "警察", "2024/4/1"):
        assert word in text
    ws = load_workbook(OUTSIDER_XLSX).active
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:K1"]
    assert ws["A2"].value is None and ws["B3"].value == "所属機関名"
    assert ws["J4"].is_date


@pytest.mark.parametrize("src", [OUTSIDER_CSV, OUTSIDER_XLSX], ids=["csv", "xlsx"])
def test_an_outsider_list_imports_whole_with_sensible_fields(ctx, src):
    preview = preview_contacts_import(ctx, src)
    assert preview.ok, preview.error_text()
    table = {t.key: t for t in preview.value_tables}["field"]
    # one row per distinct value, with its count
    # 「行政（庁内）」 and 「行政 (庁内)」 are one value; so are 「NPO法人」 and 「ＮＰＯ法人」
    assert ("行政（庁内）", 2) in [(r.text, r.count) for r in table.rows]
    assert ("NPO法人", 2) in [(r.text, r.count) for r in table.rows]
    assert ("障害/高齢福祉サービス事業者", 2) in [(r.text, r.count) for r in table.rows]
    assert len(table.rows) == len({r.text for r in table.rows}) < 25
    done = import_contacts(ctx, src)
    assert done.count("add") == 25 and done.count("error") == 0
    assert len(list_people(ctx)) == 25
    orgs = {o.name: o for o in list_organizations(ctx)}
    for name, (fld, kind) in EXPECTED.items():
        assert FIELDS.label(orgs[name].field) == fld, name
        if kind:
            assert ORG_KINDS.label(orgs[name].kind) == kind, name
    people = {p.full_name: p for p in list_people(ctx)}
    post = get_person(ctx, people["坂本\u3000浩二"].id).posts[0]
    assert post.start_on.isoformat() == "2025-03-15"  # an Excel date (2025/3/15)
    before = _counts(ctx)
    again = import_contacts(ctx, src)
    assert again.count("add") == 0 and again.count("update") == 0
    assert _counts(ctx) == before  # re-importing adds no one


def test_same_reading_with_another_name_is_a_new_person_to_check(ctx):
    done = import_contacts(ctx, OUTSIDER_CSV)
    ito = [r for r in done.rows if r.person in ("伊藤\u3000健", "伊東\u3000健")]
    assert [r.action for r in ito] == ["add", "add"]
    assert "要確認" in ito[1].review and "伊藤" in ito[1].review
    people = {p.full_name: p for p in list_people(ctx)}
    assert "伊藤\u3000健" in people and "伊東\u3000健" in people
    assert "要確認" in get_person(ctx, people["伊東\u3000健"].id).data.note


def test_an_unknown_value_stops_the_import_with_one_line_per_value(ctx, tmp_path):
    rows = [["機関名", "氏名", "分野"]]
    rows += [[f"宇宙機関{i}", f"山田 太郎{i}", "宇宙開発"] for i in range(6)]
    rows += [["A町役場", "森 修", "行政（庁内）"]]
    src = _write_csv(tmp_path / "x.csv", rows)
    before = _counts(ctx)
    with pytest.raises(ValidationError) as e:
        import_contacts(ctx, src)
    lines = [ln for ln in e.value.message.splitlines() if "宇宙開発" in ln]
    assert len(lines) == 1  # not one per row
    assert "（6行）" in lines[0] and "2・3・4・5・6行目ほか「分野」" in lines[0]
    assert _counts(ctx) == before
    # choosing a code for it in the value table lets the whole file in, and is remembered
    done = import_contacts(ctx, src, value_choices={"field": {"宇宙開発": "other"}})
    assert done.count("add") == 7
    saved = load_value_choices(ctx.store.paths.mappings / "contacts.json")
    assert saved["field"]["宇宙開発"] == "other"
    nxt = _write_csv(tmp_path / "y.csv", [["機関名", "氏名", "分野"], ["宇宙機関9", "林 誠", "宇宙開発"]])
    preview = preview_contacts_import(ctx, nxt)
    row = preview.value_tables[0].rows[0]
    assert (row.code, row.how) == ("other", "saved")


def test_a_mapping_file_carries_value_choices(ctx, tmp_path):
    src = _write_csv(tmp_path / "x.csv", [["団体", "担当", "区分"], ["A会", "森 修", "ボランティア"]])
    preview = preview_contacts_import(
        ctx, src, mapping={"org_name": "団体", "full_name": "担当", "field": "区分"},
        values={"field": {"ボランティア": "community"}})
    assert preview.ok
    assert preview.value_tables[0].rows[0].code == "community"


def test_a_kind_column_sets_the_field_when_the_field_is_blank(ctx, tmp_path):
    src = _write_csv(tmp_path / "x.csv", [["機関名", "種別"], ["南警察署", "警察署"],
                                          ["職安", "公共職業安定所"]])
    import_contacts(ctx, src)
    orgs = {o.name: o for o in list_organizations(ctx)}
    assert (orgs["南警察署"].field, orgs["南警察署"].kind) == ("safety", "police")
    assert (orgs["職安"].field, orgs["職安"].kind) == ("employment", "hello_work")


def test_structural_problems_name_row_and_column(ctx, tmp_path):
    src = tmp_path / "short.csv"
    src.write_bytes("機関名,氏名,電話番号,分野\r\nA会,森 修,0889-55-1111,福祉\r\nB会,林 誠\r\n"
                    .encode("cp932"))
    text = preview_contacts_import(ctx, src).error_text()
    assert "3行目: 列の数が足りません" in text
    dup = _write_csv(tmp_path / "dup.csv", [["機関名", "氏名", "電話番号", "電話番号"],
                                            ["A会", "森 修", "0889-55-1111", "090-1111-2222"]])
    text = preview_contacts_import(ctx, dup).error_text()
    assert "1行目「電話番号」" in text and "C、D列" in text

    wb = Workbook()
    ws = wb.active
    ws.append(["機関名", "氏名", "電話番号", "備考"])
    ws.append(["A会", "森 修", "0889-55-1111", "=B2&\"さん\""])
    ws.append([None, "林 誠", "0889-55-2222", None])
    ws.merge_cells("A2:A3")  # one organization over two people
    book = tmp_path / "merged.xlsx"
    wb.save(book)  # openpyxl saves no calculated value for the formula
    preview = preview_contacts_import(ctx, book)
    text = preview.error_text()
    assert "2行目「機関名」: セルが結合されています（A2:A3）" in text
    assert "2行目「備考」: 数式の結果が保存されていません" in text
    with pytest.raises(ValidationError):
        import_contacts(ctx, book)
    assert _counts(ctx) == (0, 0, 0)


def test_a_row_to_check_can_be_answered_as_the_same_person(ctx):
    preview = preview_contacts_import(ctx, OUTSIDER_CSV)
    row = next(r for r in preview.rows if r.review)
    assert (row.row, row.decision) == (6, "add")
    done = import_contacts(ctx, OUTSIDER_CSV, decisions={6: "update"})
    assert done.count("add") == 24
    same = next(r for r in done.rows if r.row == 6)
    assert same.duplicate_of == "5行目と同じ人" and not same.review
