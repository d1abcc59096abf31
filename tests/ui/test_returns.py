"""The returns page: make a return, fill the example form, see history and 差分, answers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt

from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.returns.answers import get_return_answers
from pfdesk.services.returns.snapshots import list_snapshots
from pfdesk.ui.returns.make_tab import FigureListDialog
from pfdesk.ui.returns.page import ReturnsPage
from pfdesk.ui.tasks import wait_for_all


@pytest.fixture
def page(qtbot, demo_ctx):
    p = ReturnsPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.refresh()
    return p


def test_the_page_loads_no_excel_or_pdf_code():
    # openpyxl is imported when a workbook is written or a form is read, not when the
    # 報告 page is first shown (it was most of that first show).
    code = ("import sys; import pfdesk.ui.returns.page; "
            "print(sorted(m for m in ('openpyxl', 'reportlab', 'pypdf') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def _settle(qtbot, cond) -> None:
    wait_for_all()
    qtbot.waitUntil(cond, timeout=10_000)


def test_standard_workbook_from_the_window(page, qtbot, tmp_path, qtmodeltester):
    make = page.make
    assert make.year.currentData() == 2025  # the last completed 年度 of the demo's today
    assert "令和7年4月1日～令和8年3月31日" in make.period_shown.text()
    out = tmp_path / "報告.xlsx"
    make.suppress.setChecked(True)
    make.make_builtin(str(out))
    _settle(qtbot, lambda: out.exists() and "書き出しました" in make.status.text())
    assert "秘匿あり" in make.status.text() and not make.open_button.isHidden()
    assert load_workbook(out)["相談実績"]["A2"].value.endswith("令和7年度")
    page.tabs.setCurrentWidget(page.history)
    hist = page.history
    assert hist.snapshots.rowCount() == 1
    qtmodeltester.check(hist.snapshots)
    _settle(qtbot, lambda: hist.diff.rowCount() > 10)  # against FY2024, from the records
    qtmodeltester.check(hist.diff)
    assert "令和7年度 と 令和6年度 の差分" in hist.diff_label.text()
    again = tmp_path / "again.xlsx"
    hist.reproduce(hist.selected(), str(again))
    _settle(qtbot, lambda: again.exists())


def test_fill_the_example_form_after_a_preview(page, qtbot, tmp_path, qtmodeltester):
    make = page.make
    make.use_example()
    assert not make.fill_button.isEnabled()
    make.run_preview()
    _settle(qtbot, lambda: make.preview.rowCount() > 100)
    qtmodeltester.check(make.preview)
    assert make.fill_button.isEnabled()
    assert "か所に記入します" in make.status.text()
    out = tmp_path / "提出.xlsx"
    make.fill(str(out))
    _settle(qtbot, lambda: out.exists() and "書き出しました" in make.status.text())
    assert load_workbook(out)["1 窓口・PF"]["C3"].value == "みどり川町"
    assert list_snapshots(page.ctx)[0].form_name == "example_form.xlsx"
    # changing the period asks for a new check first
    make.year.setCurrentIndex(0)
    assert not make.fill_button.isEnabled() and make.preview.rowCount() == 0


def test_a_hidden_count_under_a_form_total_is_pointed_out(page, qtbot):
    make = page.make
    make.use_example()
    make.suppress.setChecked(True)
    make.run_preview()
    _settle(qtbot, lambda: make.preview.rowCount() > 100)
    assert "注意" in make.status.text()
    noted = [r for r in make.preview.rows if r.note]
    assert noted and all(r.value == "＊" for r in noted)
    note_column = [make.preview.headerData(c, Qt.Orientation.Horizontal)
                   for c in range(make.preview.columnCount())].index("注意")
    row = make.preview.rows.index(noted[0])
    assert "合計" in make.preview.index(row, note_column).data()
    value_cell = make.preview.index(row, 2)
    assert "合計" in value_cell.data(Qt.ItemDataRole.ToolTipRole)
    assert value_cell.data(Qt.ItemDataRole.BackgroundRole) is not None


def test_a_bad_mapping_is_shown_and_nothing_is_written(page, qtbot, tmp_path):
    make = page.make
    make.use_example()
    text = Path(make.mapping_path.text()).read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('"new.month.4"', '"new.month.04"'), encoding="utf-8")
    make.mapping_path.setText(str(bad))
    make.run_preview()
    _settle(qtbot, lambda: not make.problems.isHidden())
    assert "数値名「new.month.04」はありません" in make.problems.toPlainText()
    assert "行目" in make.problems.toPlainText()
    assert not make.fill_button.isEnabled()
    out = tmp_path / "x.xlsx"
    make.fill(str(out))
    _settle(qtbot, lambda: "何も書き出していません" in make.problems.toPlainText())
    assert not out.exists()


def test_month_range_longer_than_a_year_is_explained(page):
    make = page.make
    make.by_months.setChecked(True)
    make.month_from.setDate(QDate(2025, 4, 1))
    make.month_to.setDate(QDate(2026, 6, 1))
    assert "12か月以内" in make.period_shown.text()
    make.month_to.setDate(QDate(2025, 9, 1))
    assert "令和7年4月1日～令和7年9月30日" in make.period_shown.text()


def test_answers_form(page, qtbot):
    page.tabs.setCurrentWidget(page.answers)
    form = page.answers
    # The demo town has answered already: the form shows the stored answers.
    assert "まだ保存されていません" not in form.saved.text()
    assert form.window_name.text().startswith("みどり川町ひきこもり相談窓口")
    assert "みどり川町ひきこもり支援ネットワーク" in form.platform.text()
    form.window_exists.setChecked(True)
    form.window_name.setText("")
    assert not form.save()
    assert "名称" in form.error.text()
    form.window_name.setText("ひきこもり相談窓口")
    form.survey_done.setChecked(True)
    form.survey_year.setText("令和5年度")
    form.survey_count.setValue(37)
    assert form.save()
    saved = get_return_answers(page.ctx)
    assert (saved.window_name, saved.survey_count) == ("ひきこもり相談窓口", 37)


def test_viewer_sees_history_but_cannot_make(qtbot, demo_store):
    viewer = ServiceContext(store=demo_store, actor=Actor("v", "閲覧者", "viewer"))
    p = ReturnsPage(ctx=viewer)
    qtbot.addWidget(p)
    p.refresh()
    assert not p.make.builtin_button.isEnabled()
    assert not p.answers.save_button.isEnabled()
    assert "権限がありません" in p.make.status.text()


def test_figure_list(qtbot, qtmodeltester):
    dlg = FigureListDialog()
    qtbot.addWidget(dlg)
    qtmodeltester.check(dlg.model)
    total = dlg.view.model().rowCount()
    dlg.filter.setText("20代")
    assert 0 < dlg.view.model().rowCount() < total


def test_answers_typed_but_not_saved_survive_leaving_the_tab(page):
    page.tabs.setCurrentWidget(page.answers)
    form = page.answers
    form.window_name.setText("ひきこもり相談室（新しい名称）")
    page.tabs.setCurrentWidget(page.make)
    page.tabs.setCurrentWidget(page.answers)  # reloads the tab
    page.refresh()  # what the main window does when the page is shown again
    assert form.window_name.text() == "ひきこもり相談室（新しい名称）"
    assert "保存していない変更" in form.saved.text()
    assert form.save()
    assert get_return_answers(page.ctx).window_name == "ひきこもり相談室（新しい名称）"
    page.refresh()
    assert not form.has_unsaved_changes() and "保存していない" not in form.saved.text()


def test_the_mapper_writes_a_mapping_by_clicking_cells(page, qtbot, tmp_path, monkeypatch):
    from pfdesk.services.returns.mapping import parse_mapping
    from pfdesk.ui.returns.mapper import FormMapperDialog
    from tests.services import prefecture_form

    form = prefecture_form.build(tmp_path / "東雲県調査票.xlsx")
    make = page.make
    make.form_path.setText(str(form))
    monkeypatch.setattr(FormMapperDialog, "open", lambda self: None)  # shown modelessly
    dlg = make.open_mapper()
    assert isinstance(dlg, FormMapperDialog)
    qtbot.addWidget(dlg)
    assert [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())] == ["1 基本", "2 相談", "リスト"]
    dlg.select_cell(0, 7, 4)  # D7, the pull-down はい/いいえ next to 相談窓口の有無
    assert "相談窓口の有無" in dlg.cell_info.text() and "はい／いいえ" in dlg.cell_info.text()
    dlg.search.setText("相談窓口の有無")
    shown = [dlg.figures.item(i) for i in range(dlg.figures.count())
             if not dlg.figures.item(i).isHidden()]
    assert [i.data(Qt.ItemDataRole.UserRole) for i in shown] == ["settings.window_exists"]
    # Office words in the list; the name a hand-written mapping uses only on hover.
    assert "settings.window_exists" not in shown[0].text()
    assert "settings.window_exists" in shown[0].toolTip()
    dlg.figures.setCurrentItem(shown[0])
    dlg.assign_selected()
    assert dlg.tables[0].item(6, 3).text().startswith("《ひきこもり相談窓口の有無")
    dlg.select_cell(0, 9, 4)
    dlg.year.setCurrentIndex(dlg.year.findData("西暦"))
    assert dlg.assign("settings.survey_year")
    dlg.select_cell(1, 3, 2)  # 4月 の 新規
    assert "4月" in dlg.cell_info.text()
    assert dlg.assign("new.month.4")
    dlg.select_cell(1, 15, 2)  # the SUM: refused
    from PySide6.QtWidgets import QMessageBox

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    assert not dlg.assign("new.total") and "数式" in told[0]
    dlg.grab().save(str(tmp_path / "mapper.png"))
    out = tmp_path / "東雲県.toml"
    assert dlg.save_to(str(out))
    text = out.read_text(encoding="utf-8")
    assert 'D7 = "settings.window_exists"   # 相談窓口の有無' in text
    assert 'D9 = { figure = "settings.survey_year", year = "西暦" }' in text
    assert [e.cell for e in parse_mapping(text).entries] == ["D7", "D9", "B3"]
    assert make.mapping_path.text() == str(out)
    # the preview then shows each value next to the form's label
    make.run_preview()
    _settle(qtbot, lambda: make.preview.rowCount() == 3)
    labels = [make.preview.index(r, 2).data() for r in range(3)]
    values = [make.preview.index(r, 3).data() for r in range(3)]
    assert labels[0] == "相談窓口の有無" and values[0] in ("はい", "いいえ", "（空欄）")
