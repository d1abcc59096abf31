"""The mapping is checked before anything is written; every problem is named by its line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pfdesk.services.returns.mapping import MappingError, parse_mapping
from pfdesk.services.returns.snapshots import list_snapshots, make_form_return

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "resources" / "returns" / "example_form.xlsx"
MAPPING = ROOT / "resources" / "returns" / "example_mapping.toml"
FY = dict(start=date(2025, 4, 1), end=date(2026, 3, 31))


def _problems(text: str) -> list[str]:
    with pytest.raises(MappingError) as e:
        parse_mapping(text, "map.toml")
    assert "map.toml" in e.value.user_text()
    return [str(p) for p in e.value.problems]


def test_the_example_mapping_is_valid():
    m = parse_mapping(MAPPING.read_text(encoding="utf-8"), MAPPING.name)
    assert len(m.entries) > 100
    sums = [e for e in m.entries if len(e.figures) > 1]
    assert sums and sums[0].figure.count(" + ") >= 1


def test_a_typo_in_a_figure_name_gets_a_suggestion():
    text = '[form]\ntitle = "x"\n\n[sheets."2 相談実績"]\nB6 = "new.month.4"\nC6 = "persns.month.4"\n'
    assert _problems(text) == [
        "6 行目: 数値名「persns.month.4」はありません。「persons.month.4」の誤りではありませんか。"
    ]


def test_bad_cells_and_values_are_named():
    text = (
        '[sheets."S"]\n'
        'ZZZZ1 = "new.total"\n'
        'C0 = "new.total"\n'
        'D4 = 3\n'
        'E4 = ["new.total", "settings.window_name"]\n'
    )
    problems = _problems(text)
    assert problems[0].startswith("2 行目: 「ZZZZ1」はセルの番地として読めない")
    assert problems[1].startswith("3 行目: 「C0」")
    assert problems[2].startswith("4 行目:") and "引用符" in problems[2]
    assert problems[3] == "5 行目: 数値名「settings.window_name」は文字の項目なので合計できません。"


def test_toml_syntax_errors_name_the_line():
    problems = _problems('[sheets."S"]\nB6 = new.total\n')
    assert problems[0].startswith("2 行目: TOML の書き方が正しくありません")


def test_unknown_form_options_are_named():
    assert _problems('[form]\nsuppress_smal = true\n[sheets."S"]\nA1 = "new.total"\n') == [
        "2 行目: [form] の「suppress_smal」は使えない項目です。使えるのは title と "
        "suppress_small です。"
    ]


def test_unknown_headings_and_empty_mappings():
    assert any("[cells]" in p for p in _problems('[cells]\nA1 = "new.total"\n'))
    assert any("1つもありません" in p for p in _problems('[form]\ntitle = "x"\n'))


def _form_problems(ctx, tmp_path, text: str) -> list[str]:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "filled.xlsx"
    with pytest.raises(MappingError) as e:
        make_form_return(ctx, **FY, form_path=FORM, mapping_text=text, mapping_source="m.toml",
                         out_path=out)
    assert not out.exists()
    assert list(folder.iterdir()) == []  # not even a temp file
    assert list_snapshots(ctx) == []
    return [str(p) for p in e.value.problems]


def test_a_wrong_sheet_name_is_rejected_before_writing(ctx, tmp_path):
    text = '[sheets."2 相談実積"]\nB6 = "new.month.4"\n'
    assert _form_problems(ctx, tmp_path, text) == [
        "2 行目: 様式「example_form.xlsx」にシート「2 相談実積」がありません。"
        "「2 相談実績」の誤りではありませんか。"
    ]


def test_a_wrong_sheet_name_is_said_once_not_once_per_cell(ctx, tmp_path):
    text = '[sheets."2 相談実積"]\nB6 = "new.month.4"\nB7 = "new.month.5"\nB8 = "new.month.6"\n'
    assert _form_problems(ctx, tmp_path, text) == [
        "2 行目: 様式「example_form.xlsx」にシート「2 相談実積」がありません。"
        "「2 相談実績」の誤りではありませんか。（このシートに記入する 3 か所）"
    ]


def test_merged_and_formula_cells_are_refused(ctx, tmp_path):
    text = (
        '[sheets."1 窓口・PF"]\n'
        'D6 = "settings.window_name"\n'
        'C16 = "orgs.total"\n'
        '[sheets."2 相談実績"]\n'
        'B18 = "new.total"\n'
    )
    problems = _form_problems(ctx, tmp_path, text)
    assert problems == [
        "2 行目: シート「1 窓口・PF」のセル D6 は結合セル C6:E6 の一部です。"
        "左上のセル C6 を指定してください。",
        "3 行目: シート「1 窓口・PF」のセル C16 には数式（='5 構成機関'!C21）があります。"
        "数式のセルには記入できません。",
        "5 行目: シート「2 相談実績」のセル B18 には数式（=SUM(B6:B17)）があります。"
        "数式のセルには記入できません。",
    ]


def test_a_typo_in_the_example_mapping_writes_nothing(ctx, tmp_path):
    text = MAPPING.read_text(encoding="utf-8").replace('"new.month.4"', '"new.mnth.4"')
    problems = _form_problems(ctx, tmp_path, text)
    assert len(problems) == 1 and "「new.month.4」の誤り" in problems[0]
