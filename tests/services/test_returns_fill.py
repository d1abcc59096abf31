"""A filled copy of the prefecture's form keeps everything of the form but the values."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from pfdesk.services.returns.snapshots import make_form_return, preview_form_return
from pfdesk.services.small_counts import SmallCountRule, save_rule
from tests.services import returns_fixture
from tests.services.test_returns_mapping import FORM, FY, MAPPING


@pytest.fixture
def rctx(ctx):
    with ctx.session() as s:
        returns_fixture.build(s)
    return ctx


def _style(c) -> tuple:
    return (repr(c.font), repr(c.fill), repr(c.border), repr(c.alignment), c.number_format,
            repr(c.protection))


def _shape(wb) -> dict:
    """Everything of a workbook except the values of ordinary cells."""
    out = {}
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                formula = c.value if isinstance(c.value, str) and c.value.startswith("=") else None
                cells[c.coordinate] = (_style(c), formula)
        out[ws.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": sorted(
                (str(dv.sqref), dv.type, dv.formula1, dv.error, dv.errorTitle)
                for dv in ws.data_validations.dataValidation
            ),
            "print_area": ws.print_area,
            "page": (ws.page_setup.orientation, ws.page_setup.paperSize,
                     ws.page_setup.fitToWidth, ws.page_setup.fitToHeight,
                     ws.sheet_properties.pageSetUpPr.fitToPage,
                     ws.print_options.horizontalCentered),
            "footer": ws.oddFooter.center.text,
            "widths": {k: d.width for k, d in ws.column_dimensions.items()},
        }
    return out


def test_filled_form_keeps_formatting(rctx, tmp_path):
    with rctx.session() as s:  # 秘匿 is on by default; these figures are checked unhidden
        save_rule(s, SmallCountRule(enabled=False))
        s.commit()
    out = tmp_path / "東雲県_提出用.xlsx"
    result = make_form_return(
        rctx, **FY, form_path=FORM, mapping_text=MAPPING.read_text(encoding="utf-8"),
        mapping_source=MAPPING.name, out_path=out,
    )
    before, after = load_workbook(FORM), load_workbook(out)
    shape_before, shape_after = _shape(before), _shape(after)
    assert shape_before["2 相談実績"]["merged"] and shape_before["1 窓口・PF"]["validations"]
    assert shape_after == shape_before
    # the values went where the mapping says
    ws = after["2 相談実績"]
    assert ws["B8"].value == 1  # 6月の新規 (case B)
    assert ws["D7"].value == 2 and ws["E7"].value == 1  # 5月: 2 contacts, 1 来所
    assert ws["H8"].value == 1  # 6月 email + online
    assert ws["C18"].value == 3  # 実人数 of the year
    assert ws["B18"].value == "=SUM(B6:B17)"  # the form's formula is still there
    attrs = after["3 相談者属性"]
    assert attrs["B7"].value == 1 and attrs["D7"].value == 1  # 20s: man B; C's sex unknown
    assert attrs["C8"].value == 1  # 30s woman A
    window = after["1 窓口・PF"]
    assert window["C3"].value == "みどり川町" and window["C5"].value == "有"
    assert window["C15"].value == "令和3年4月" and window["C12"].value == 42
    assert after["4 会議"]["B5"].value == 1 and after["4 会議"]["B8"].value == 1
    assert after["5 構成機関"]["C6"].value == 2
    # every other cell is untouched
    changed = {(r.sheet, r.cell) for r in result.cells}
    for ws_b in before.worksheets:
        for row in ws_b.iter_rows():
            for c in row:
                if (ws_b.title, c.coordinate) not in changed:
                    assert after[ws_b.title][c.coordinate].value == c.value


def test_preview_lists_every_target_cell(rctx):
    rows = preview_form_return(rctx, **FY, form_path=FORM,
                               mapping_text=MAPPING.read_text(encoding="utf-8"),
                               mapping_source=MAPPING.name, suppress_small=True)
    by_cell = {(r.sheet, r.cell): r for r in rows}
    r = by_cell[("2 相談実績", "C18")]
    assert (r.figure, r.value) == ("persons.total", 3)
    assert r.description.startswith("実人数")
    assert by_cell[("2 相談実績", "B8")].value == "＊"  # 1 new person: hidden
    assert by_cell[("1 窓口・PF", "C12")].value == 42  # answers are never hidden
    assert by_cell[("4 会議", "B5")].value == 1  # meetings are not people
    h = by_cell[("2 相談実績", "H8")]
    assert h.figure == "contacts.month.6.email + contacts.month.6.online"


def test_the_form_itself_is_never_overwritten(rctx, tmp_path):
    import shutil

    from pfdesk.core.errors import ValidationError

    form = tmp_path / "form.xlsx"
    shutil.copy(FORM, form)
    with pytest.raises(ValidationError) as e:
        make_form_return(rctx, **FY, form_path=form,
                         mapping_text=MAPPING.read_text(encoding="utf-8"), out_path=form)
    assert "様式ファイルと同じ" in e.value.user_text()
    assert form.read_bytes() == FORM.read_bytes()


def test_not_an_xlsx_form(rctx, tmp_path):
    from pfdesk.core.errors import FileProblem

    bad = tmp_path / "form.xls"
    bad.write_bytes(b"old")
    with pytest.raises(FileProblem) as e:
        preview_form_return(rctx, start=date(2025, 4, 1), end=date(2026, 3, 31),
                            form_path=bad, mapping_text=MAPPING.read_text(encoding="utf-8"))
    assert ".xlsx" in e.value.user_text()
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(FileProblem) as e:
        preview_form_return(rctx, start=date(2025, 4, 1), end=date(2026, 3, 31),
                            form_path=broken, mapping_text=MAPPING.read_text(encoding="utf-8"))
    assert "broken.xlsx" in e.value.user_text()


def test_the_committed_example_form_is_what_the_script_makes(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_example_form",
                                                  FORM.parent / "make_example_form.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = load_workbook(module.main(tmp_path / "form.xlsx"))
    committed = load_workbook(FORM)
    assert _shape(made) == _shape(committed)
    assert [[c.value for r in ws.iter_rows() for c in r] for ws in made.worksheets] == [
        [c.value for r in ws.iter_rows() for c in r] for ws in committed.worksheets]
    ws = committed["2 相談実績"]
    assert ws.print_area and ws.merged_cells.ranges and ws["D18"].value == "=SUM(D6:D17)"
    assert committed["1 窓口・PF"].data_validations.dataValidation[0].formula1 == '"有,無"'
    assert ws["A4"].border.left.style == "thin" and ws["A4"].fill.fgColor.rgb.endswith("FFF2CC")


def test_suppressed_cells_that_a_form_formula_totals_are_pointed_out(rctx, tmp_path):
    text = MAPPING.read_text(encoding="utf-8")
    rows = preview_form_return(rctx, **FY, form_path=FORM, mapping_text=text,
                               suppress_small=True)
    by_cell = {(r.sheet, r.cell): r for r in rows}
    june_new = by_cell[("2 相談実績", "B8")]
    assert june_new.value == "＊" and "B18" in june_new.note and "小さく" in june_new.note
    # cells that are not ＊ carry no warning
    assert all(not r.note for r in rows if r.value != "＊")
    with rctx.session() as s:  # with 秘匿 turned off in the settings, nothing is hidden
        save_rule(s, SmallCountRule(enabled=False))
        s.commit()
    plain = preview_form_return(rctx, **FY, form_path=FORM, mapping_text=text)
    assert not any(r.note for r in plain)
    result = make_form_return(rctx, **FY, form_path=FORM, mapping_text=text,
                              out_path=tmp_path / "out.xlsx", suppress_small=True)
    assert any("B18" in c.note for c in result.cells)
