"""``pfdesk import contacts`` / ``export contacts`` / ``print directory|labels``."""

from __future__ import annotations

from pathlib import Path

from pfdesk.__main__ import main
from pfdesk.store.engine import open_store  # module level: tests/postgres opens the server

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "directory"


def _run(tmp_path, *args) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *map(str, args)])


def test_dry_run_prints_the_plan_and_stores_nothing(tmp_path, capsys):
    csv = FIXTURES / "excel_contacts_cp932.csv"
    assert _run(tmp_path, "import", "contacts", csv, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "追加 6 件" in out and "取り込んでいません" in out
    assert "髙橋　一郎" in out
    assert _run(tmp_path, "import", "contacts", csv) == 0
    assert "取り込みました" in capsys.readouterr().out
    assert _run(tmp_path, "import", "contacts", csv) == 0
    assert "追加 0 件、更新 0 件、変更なし 6 件" in capsys.readouterr().out


def test_a_rejected_file_exits_non_zero_naming_row_and_column(tmp_path, capsys):
    assert _run(tmp_path, "import", "contacts", FIXTURES / "one_bad_row_cp932.csv") == 1
    out = capsys.readouterr().out
    assert "4行目「電話番号」" in out and "取り込みませんでした" in out
    assert _run(tmp_path, "export", "contacts", tmp_path / "x.csv") == 0
    assert (tmp_path / "x.csv").read_text(encoding="utf-8-sig").count("\n") == 1  # header only


def test_export_cp932_and_mapping_file(tmp_path, capsys):
    mapping = tmp_path / "map.json"
    mapping.write_text('{"fields": {"org_name": "機関名", "full_name": "氏名"}}',
                       encoding="utf-8")
    csv = FIXTURES / "excel_contacts_cp932.csv"
    assert _run(tmp_path, "import", "contacts", csv, "--mapping", mapping) == 0
    capsys.readouterr()
    out = tmp_path / "out.csv"
    assert _run(tmp_path, "export", "contacts", out, "--encoding", "cp932") == 0
    assert "すべての文字をそのまま書き出しました" in capsys.readouterr().out
    text = out.read_bytes().decode("cp932")
    assert "髙橋" in text and "電話番号" not in text.splitlines()[1]


def test_print_commands_write_pdfs(tmp_path, capsys):
    _run(tmp_path, "import", "contacts", FIXTURES / "excel_contacts_cp932.csv")
    assert _run(tmp_path, "print", "directory", "--out", tmp_path / "r.pdf") == 0
    assert _run(tmp_path, "print", "labels", "--out", tmp_path / "l.pdf") == 0
    assert _run(tmp_path, "print", "labels", "--organizations", "--out", tmp_path / "o.pdf") == 0
    out = capsys.readouterr().out
    assert "名簿を作成しました" in out and "5 名" in out
    for name in ("r.pdf", "l.pdf", "o.pdf"):
        assert (tmp_path / name).read_bytes().startswith(b"%PDF")


def test_a_body_is_named_by_part_of_its_name(tmp_path, capsys):
    from pfdesk.paths import DataPaths
    from pfdesk.store.models import Body

    store = open_store(DataPaths(tmp_path / "data"))
    with store.session() as s:
        s.add_all([Body(name="実務者会議", kind="practitioners"),
                   Body(name="全体会", kind="plenary")])
        s.commit()
    store.close()
    assert _run(tmp_path, "print", "directory", "--body", "実務者", "--out",
                tmp_path / "b.pdf") == 0
    assert "0 名" in capsys.readouterr().out
    assert _run(tmp_path, "print", "directory", "--body", "会", "--out", tmp_path / "c.pdf") == 2
    err = capsys.readouterr().err
    assert "1つに決められません" in err and "全体会" in err


def test_dry_run_prints_the_value_table_and_a_mapping_file_answers_open_values(
        tmp_path, capsys):
    src = tmp_path / "list.csv"
    src.write_bytes("所属,氏名,区分\r\nA会,森 修,ボランティア団体\r\nB会,林 誠,ボランティア団体\r\n"
                    "C町役場,西 誠,行政（庁内）\r\n".encode("cp932"))
    mapping = tmp_path / "map.json"
    mapping.write_text('{"fields": {"org_name": "所属", "full_name": "氏名", "field": "区分"}}',
                       encoding="utf-8")
    assert _run(tmp_path, "import", "contacts", src, "--mapping", mapping, "--dry-run") == 1
    out = capsys.readouterr().out
    assert "列「区分」の値の対応:" in out
    assert "行政（庁内）\t1行\t→ 行政" in out
    assert out.count("ボランティア団体") == 2  # the table row and one error line, not two
    mapping.write_text('{"fields": {"org_name": "所属", "full_name": "氏名", "field": "区分"},'
                       ' "values": {"field": {"ボランティア団体": "community"}}}', encoding="utf-8")
    assert _run(tmp_path, "import", "contacts", src, "--mapping", mapping, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "ボランティア団体\t2行\t→ 地域\t[保存した対応]" in out
    assert _run(tmp_path, "import", "contacts", src, "--mapping", mapping) == 0


def test_the_example_mapping_file_fits_the_outsider_list(tmp_path, capsys):
    example = (Path(__file__).resolve().parents[2] / "resources" / "imports"
               / "contacts_mapping_example.json")
    src = FIXTURES / "outsider_list_cp932.csv"
    assert _run(tmp_path, "import", "contacts", src, "--mapping", example, "--dry-run") == 0
    out = capsys.readouterr().out
    assert "追加 25 件" in out
    assert "ハローワーク\t2行\t→ 就労支援（種別: ハローワーク）\t[保存した対応]" in out
    assert "要確認" in out  # 伊東 健 shares 伊藤 健's reading


def test_a_real_import_lists_each_row_and_the_counts_before_saying_it_is_done(tmp_path,
                                                                              capsys):
    csv = FIXTURES / "excel_contacts_cp932.csv"
    assert _run(tmp_path, "import", "contacts", csv) == 0
    out = capsys.readouterr().out
    assert "髙橋　一郎" in out and "行目  追加" in out
    assert out.index("追加 6 件、更新 0 件、変更なし 0 件、不可 0 件") < out.index("取り込みました")
