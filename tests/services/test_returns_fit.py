"""Filling a prefecture's form: every value fits its cell's pull-down and format; labels stay."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from dataclasses import asdict, replace
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from pfdesk.services.returns.figures import compute_figures, publicity_flags
from pfdesk.services.returns.fill import check_out_path
from pfdesk.services.returns.fit import list_choices
from pfdesk.services.returns.mapping import MappingError, parse_mapping
from pfdesk.services.returns.snapshots import make_form_return, preview_form_return
from pfdesk.services.settings import MUNICIPALITY_KEY, write_setting
from pfdesk.services.small_counts import SmallCountRule, save_rule
from tests.services import prefecture_form, returns_fixture

FY = dict(start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31))


@pytest.fixture
def rctx(ctx):
    with ctx.session() as s:
        returns_fixture.build(s)
        town = replace(returns_fixture.TOWN, contact_person="山本 恵子",
                       phone="0889-52-0101", email="hoken@town.example.jp")
        write_setting(s, MUNICIPALITY_KEY, asdict(town))
        # 秘匿 is on by default; these tests check that values fit their cells, unhidden.
        save_rule(s, SmallCountRule(enabled=False))
        s.commit()
    return ctx


@pytest.fixture
def form(tmp_path) -> Path:
    return prefecture_form.build(tmp_path / "東雲県調査票.xlsx")


def _texts(wb) -> dict:
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if isinstance(c.value, str)}


def _raw_border(path: Path, coord: str, part: str = "xl/worksheets/sheet1.xml") -> str:
    """The border XML of one cell of the first sheet, as stored in the file."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as zf:
        sheet = ElementTree.fromstring(zf.read(part))
        styles = ElementTree.fromstring(zf.read("xl/styles.xml"))
    cell = sheet.find(f"m:sheetData/m:row/m:c[@r='{coord}']", ns)
    index = int(cell.get("s", "0")) if cell is not None else 0
    xf = styles.findall("m:cellXfs/m:xf", ns)[index]
    border = styles.findall("m:borders/m:border", ns)[int(xf.get("borderId", "0"))]
    return ElementTree.tostring(border, encoding="unicode")


def _fill(ctx, form, tmp_path, mapping=prefecture_form.MAPPING, name="out.xlsx"):
    return make_form_return(ctx, **FY, form_path=form, mapping_text=mapping,
                            mapping_source="map.toml", out_path=tmp_path / name)


def test_every_value_fits_its_cell_and_no_label_changes(rctx, form, tmp_path):
    result = _fill(rctx, form, tmp_path)
    before, after = load_workbook(form), load_workbook(tmp_path / "out.xlsx")
    ws = after["1 基本"]
    # pull-downs get their own words, never 有/無
    assert ws["D7"].value == "はい"
    assert ws["D10"].value == "○"  # 民生委員へのアンケート; the list is on another sheet
    assert [ws[f"D{r}"].value for r in range(11, 16)] == ["あり", "あり", "なし", "なし", "なし"]
    for r in (7, 10, 11, 12, 13, 14, 15):
        cell = ws[f"D{r}"]
        assert cell.value in list_choices(after, ws, cell.coordinate), cell.coordinate
    # dates are dates, a 西暦 year is a number, counts are numbers
    assert ws["D8"].value == dt.datetime(2021, 4, 1) and ws["D8"].number_format == "yyyy/mm"
    assert isinstance(ws["D3"].value, dt.datetime)
    assert ws["D9"].value == 2023
    assert ws["D16"].value == 3 and ws["D17"].value == 1 and ws["D18"].value == 0  # the medical one was voided
    assert (ws["D4"].value, ws["D5"].value, ws["D6"].value) == (
        "山本 恵子", "0889-52-0101", "hoken@town.example.jp")
    assert isinstance(after["2 相談"]["B3"].value, int)
    # nothing printed on the form changed; only the mapped cells were written
    written = {(c.sheet, c.cell) for c in result.cells}
    assert {k: v for k, v in _texts(after).items() if k not in written} == _texts(before)
    # the form's own things survive
    assert after["2 相談"]["B15"].value == "=SUM(B3:B14)"
    assert ws["D3"].comment.text == "提出した日を記入してください。"
    assert ws.print_area == before["1 基本"].print_area
    assert ws.page_setup.orientation == "landscape"
    assert sorted(map(str, ws.merged_cells.ranges)) == sorted(
        map(str, before["1 基本"].merged_cells.ranges))
    # the hidden cells of the merged title gain no border (read from the file itself:
    # openpyxl would draw the first cell's frame round the range on loading)
    for coord in ("B1", "F1"):
        assert _raw_border(tmp_path / "out.xlsx", coord) == _raw_border(form, coord)
        assert "thin" not in _raw_border(tmp_path / "out.xlsx", coord)


def test_a_value_outside_the_pull_down_is_refused_and_nothing_is_written(rctx, form, tmp_path):
    mapping = prefecture_form.MAPPING.replace('D7 = "settings.window_exists"',
                                              'D7 = "settings.window_name"')
    with pytest.raises(MappingError) as e:
        _fill(rctx, form, tmp_path, mapping)
    text = str(e.value.problems[0])
    assert "D7" in text and "「はい」「いいえ」" in text and "ひきこもり相談窓口" in text
    assert not (tmp_path / "out.xlsx").exists()


def test_an_off_by_one_mapping_never_overwrites_a_printed_label(rctx, form, tmp_path):
    shifted = prefecture_form.MAPPING.replace('D16 = "orgs.total"', 'A16 = "orgs.total"')
    with pytest.raises(MappingError) as e:
        _fill(rctx, form, tmp_path, shifted)
    assert "「(4) 構成機関数」" in str(e.value.problems[0])
    assert not (tmp_path / "out.xlsx").exists()
    months = prefecture_form.MAPPING.replace('B3 = "new.month.4"', 'A3 = "new.month.4"')
    with pytest.raises(MappingError) as e:
        _fill(rctx, form, tmp_path, months)
    assert "「4月」" in str(e.value.problems[0])
    allowed = prefecture_form.MAPPING.replace(
        'D16 = "orgs.total"', 'E7 = { figure = "orgs.total", overwrite = true }')
    _fill(rctx, form, tmp_path, allowed)
    assert load_workbook(tmp_path / "out.xlsx")["1 基本"]["E7"].value == 3


def test_year_cells_in_either_calendar(rctx, form, tmp_path):
    wareki = prefecture_form.MAPPING.replace('year = "西暦"', 'year = "和暦"')
    form2 = tmp_path / "form2.xlsx"
    wb = load_workbook(form)
    wb["1 基本"]["D9"].number_format = "General"
    wb.save(form2)
    _fill(rctx, form2, tmp_path, wareki)
    assert load_workbook(tmp_path / "out.xlsx")["1 基本"]["D9"].value == "令和5年度"


def test_the_output_must_be_named_xlsx(rctx, form, tmp_path):
    for name in ("x.xls", "x.xlsx.csv", "x"):
        with pytest.raises(Exception) as e:
            _fill(rctx, form, tmp_path, name=name)
        assert ".xlsx" in str(e.value)
        assert not (tmp_path / name).exists()
    check_out_path(tmp_path / "X.XLSX")


def test_groups_and_patterns_sum_without_listing_every_name(rctx):
    m = parse_mapping(prefecture_form.MAPPING + '[sheets."3"]\nA1 = "referrals.*"\n')
    every = next(e for e in m.entries if e.cell == "A1")
    assert every.figure == "referrals.*" and "referrals.total" not in every.figures
    assert len(every.figures) == 19
    other = next(e for e in m.entries if e.cell == "D18")
    assert other.figure == "その他" and "referrals.hello_work" not in other.figures
    with pytest.raises(MappingError) as e:
        parse_mapping('[groups]\n"x" = ["referals.*"]\n[sheets."a"]\nA1 = "x"\n')
    assert "referals.*" in str(e.value.problems[0])


def test_figures_forms_ask_for(rctx):
    fs = compute_figures(rctx, **FY).values
    assert fs["settings.publicity.bulletin"] == "有" and fs["settings.publicity.sns"] == "無"
    assert fs["settings.survey_commissioners"] == "有"
    assert fs["answer.person"] == "山本 恵子" and fs["answer.email"] == "hoken@town.example.jp"
    assert "年" in fs["answer.date"]
    flags = publicity_flags("町広報誌・HP・LINE、民生委員による戸別訪問")
    assert flags == {"bulletin": True, "website": True, "leaflet": False, "sns": True,
                     "other": True}


def test_an_unfinished_year_is_warned_about(rctx, form, tmp_path):
    today = dt.date.today()
    fy = today.year if today.month >= 4 else today.year - 1
    result = make_form_return(
        rctx, start=dt.date(fy, 4, 1), end=dt.date(fy + 1, 3, 31), form_path=form,
        mapping_text=prefecture_form.MAPPING, out_path=tmp_path / "now.xlsx")
    assert result.warnings and "まだ終わっていません" in result.warnings[0]
    assert not _fill(rctx, form, tmp_path).warnings  # FY2025 is over


def test_the_preview_shows_the_fitted_values(rctx, form):
    rows = {(r.sheet, r.cell): r for r in preview_form_return(
        rctx, **FY, form_path=form, mapping_text=prefecture_form.MAPPING)}
    assert rows[("1 基本", "D7")].value == "はい"
    assert rows[("1 基本", "D8")].value == dt.date(2021, 4, 1)
    assert rows[("1 基本", "D18")].figure == "その他"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_recalculates_the_filled_form(rctx, form, tmp_path):
    _fill(rctx, form, tmp_path)
    outdir = tmp_path / "recalc"
    subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", "xlsx",
                    "--outdir", str(outdir), str(tmp_path / "out.xlsx")],
                   check=True, capture_output=True, timeout=180,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    ws = load_workbook(outdir / "out.xlsx", data_only=True)["2 相談"]
    values = [ws[f"C{r}"].value for r in range(3, 15)]
    assert all(isinstance(v, int) for v in values)
    assert ws["C15"].value == sum(values) > 0


def test_a_mapping_written_from_the_grid_reads_back_the_same(form):
    from pfdesk.services.returns.form_grid import (
        choices_from_mapping,
        mapping_text,
        read_form_grid,
    )

    original = parse_mapping(prefecture_form.MAPPING.replace(
        'D16 = "orgs.total"', 'E7 = { figure = "orgs.total", overwrite = true }'))
    grid = read_form_grid(form)
    basic = grid.sheet("1 基本")
    assert basic.label_near(7, 4) == "相談窓口の有無" and basic.choices[(7, 4)] == ["はい", "いいえ"]
    assert (3, 4) in basic.dates and (15, 2) in grid.sheet("2 相談").formulas
    text = mapping_text("東雲県", grid, choices_from_mapping(original), original.groups)
    again = parse_mapping(text)
    key = [(e.sheet, e.cell, e.figures, e.year, e.overwrite, e.label) for e in again.entries]
    assert sorted(key) == sorted((e.sheet, e.cell, e.figures, e.year, e.overwrite, e.label)
                                 for e in original.entries)
    assert '"その他" = ["referrals.' in text and "# 相談窓口の有無" in text
