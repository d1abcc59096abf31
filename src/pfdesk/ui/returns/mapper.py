"""記入設定エディタ: the prefecture's form as a grid; click a cell, pick a figure, save.

The mapping is written as the same TOML a person writes in Notepad (docs/figures.md), with
a comment on each line naming the form's label and the figure's meaning, so it stays
readable and editable by hand. Each sheet shows its printed labels; cells already mapped
are green and show the figure's meaning; pull-down and date cells say so when selected.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import kana
from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.services.returns.figures import catalogue, figure_def
from pfdesk.services.returns.fill import check_form
from pfdesk.services.returns.form_grid import (
    CellChoice,
    FormGrid,
    GridSheet,
    cell_name,
    choices_from_mapping,
    mapping_text,
    read_form_grid,
    save_mapping_text,
)
from pfdesk.services.returns.mapping import MappingError, parse_cell, parse_mapping
from pfdesk.ui.errors import show_error

_MAPPED = QBrush(QColor("#d9ead3"))
_FORMULA = QBrush(QColor("#eeeeee"))
_YEAR_STYLES = (("", _("そのまま")), ("西暦", _("西暦（2023）")), ("和暦", _("和暦（令和5年度）")))


def _name_tip(name: str) -> str:
    """The figure's meaning with the name a mapping file written by hand uses for it."""
    d = figure_def(name)
    return _("{what}（記入設定ファイルでの名前: {name}）").format(
        what=d.description if d else name, name=name)


class FormMapperDialog(QDialog):
    """Click a cell of the form, pick a figure from a searchable list; save the mapping."""

    saved = Signal(str)

    def __init__(self, *, form_path: str, mapping_path: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form_path = form_path
        self.mapping_path = mapping_path
        self.grid: FormGrid = read_form_grid(form_path)
        self.choices: dict[tuple[str, str], CellChoice] = {}
        self.groups: dict[str, tuple[str, ...]] = {}
        self.title = Path(form_path).stem
        if mapping_path and Path(mapping_path).exists():
            mapping = parse_mapping(Path(mapping_path).read_text(encoding="utf-8-sig"),
                                    Path(mapping_path).name)
            self.choices = choices_from_mapping(mapping)
            self.groups = dict(mapping.groups or {})
            self.title = mapping.title or self.title
        self.setWindowTitle(_("記入設定エディタ: {name}").format(name=self.grid.name))
        self.resize(1200, 760)
        outer = QVBoxLayout(self)
        intro = QLabel(_("様式のセルをクリックし、右の一覧から記入する数値を選んで"
                         "「このセルに割り当てる」を押します。緑のセルが割り当て済みです。"
                         "保存した記入設定はメモ帳でも直せます。"))
        intro.setWordWrap(True)
        outer.addWidget(intro)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.tabs = QTabWidget()
        self.tables: list[QTableWidget] = []
        for sheet in self.grid.sheets:
            table = self._sheet_table(sheet)
            self.tables.append(table)
            self.tabs.addTab(table, sheet.title)
        split.addWidget(self.tabs)
        split.addWidget(self._figure_panel())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(90)
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.hide()
        outer.addWidget(self.problems)
        row = QHBoxLayout()
        self.count_label = QLabel("")
        row.addWidget(self.count_label, 1)
        save = QPushButton(_("記入設定を保存…"))
        save.clicked.connect(self.ask_save)
        close = QPushButton(_("閉じる"))
        close.clicked.connect(self.reject)
        row.addWidget(save)
        row.addWidget(close)
        outer.addLayout(row)
        for i, sheet in enumerate(self.grid.sheets):
            for (s, cell) in self.choices:
                if s == sheet.title:
                    self._paint(i, cell)
        self._count()

    # --- layout -------------------------------------------------------------------

    def _sheet_table(self, sheet: GridSheet) -> QTableWidget:
        table = QTableWidget(sheet.rows, sheet.cols)
        table.setHorizontalHeaderLabels([cell_name(1, c)[:-1] for c in range(1, sheet.cols + 1)])
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        for (r, c), text in sheet.text.items():
            item = QTableWidgetItem(text)
            if (r, c) in sheet.formulas:
                item.setBackground(_FORMULA)
            table.setItem(r - 1, c - 1, item)
        for r1, c1, r2, c2 in sheet.merged:
            if r2 - r1 or c2 - c1:
                table.setSpan(r1 - 1, c1 - 1, r2 - r1 + 1, c2 - c1 + 1)
        table.resizeColumnsToContents()
        for c in range(sheet.cols):
            table.setColumnWidth(c, min(max(table.columnWidth(c), 48), 220))
        table.currentCellChanged.connect(lambda *_a: self._cell_changed())
        return table

    def _figure_panel(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        self.cell_info = QLabel(_("セルを選んでください。"))
        self.cell_info.setWordWrap(True)
        layout.addWidget(self.cell_info)
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("数値を探す（例: 4月 新規、つなぎ ハローワーク、周知）"))
        self.search.textChanged.connect(self._filter)
        layout.addWidget(self.search)
        self.figures = QListWidget()
        for f in catalogue():
            # The office words on screen; the name a hand-written mapping uses, on hover.
            item = QListWidgetItem(f"{f.description}\n    {f.group}")
            item.setData(Qt.ItemDataRole.UserRole, f.name)
            item.setToolTip(_name_tip(f.name))
            self.figures.addItem(item)
        for name, members in self.groups.items():
            item = QListWidgetItem(_("グループ「{n}」（{k} 個の合計）").format(n=name, k=len(members)))
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.figures.addItem(item)
        self.figures.itemDoubleClicked.connect(lambda _i: self.assign_selected())
        layout.addWidget(self.figures, 1)
        options = QHBoxLayout()
        options.addWidget(QLabel(_("年の書き方")))
        self.year = QComboBox()
        for key, label in _YEAR_STYLES:
            self.year.addItem(label, key)
        options.addWidget(self.year)
        self.overwrite = QCheckBox(_("様式の文字を上書きする"))
        options.addWidget(self.overwrite)
        options.addStretch(1)
        layout.addLayout(options)
        buttons = QHBoxLayout()
        assign = QPushButton(_("このセルに割り当てる"))
        assign.clicked.connect(self.assign_selected)
        clear = QPushButton(_("割り当てを外す"))
        clear.clicked.connect(self.clear_current)
        buttons.addWidget(assign)
        buttons.addWidget(clear)
        layout.addLayout(buttons)
        return panel

    # --- state --------------------------------------------------------------------

    def current(self) -> tuple[GridSheet, int, int] | None:
        """The selected sheet and cell (1-based row, column)."""
        i = self.tabs.currentIndex()
        table = self.tables[i]
        if table.currentRow() < 0 or table.currentColumn() < 0:
            return None
        return self.grid.sheets[i], table.currentRow() + 1, table.currentColumn() + 1

    def select_cell(self, sheet_index: int, row: int, col: int) -> None:
        """Select a cell (1-based), as a click does."""
        self.tabs.setCurrentIndex(sheet_index)
        self.tables[sheet_index].setCurrentCell(row - 1, col - 1)
        self._cell_changed()

    def _cell_changed(self) -> None:
        found = self.current()
        if found is None:
            return
        sheet, row, col = found
        name = cell_name(row, col)
        parts = [_("シート「{s}」のセル {c}").format(s=sheet.title, c=name)]
        if label := sheet.label_near(row, col):
            parts.append(_("見出し: {l}").format(l=label.replace("\n", " ")))
        if (row, col) in sheet.choices:
            parts.append(_("プルダウン: {c}").format(c="／".join(sheet.choices[(row, col)])))
        if (row, col) in sheet.dates:
            parts.append(_("日付の書式"))
        if (row, col) in sheet.formulas:
            parts.append(_("数式のセルです（様式が計算します。記入できません）"))
        elif sheet.text.get((row, col)):
            parts.append(_("様式の文字「{t}」があります").format(t=sheet.text[(row, col)][:20]))
        choice = self.choices.get((sheet.title, name))
        if choice:
            parts.append(_("割り当て: {f}").format(f=self._describe(choice)))
            self.year.setCurrentIndex(max(0, self.year.findData(choice.year)))
            self.overwrite.setChecked(choice.overwrite)
        else:
            self.year.setCurrentIndex(0)
            self.overwrite.setChecked(False)
        self.cell_info.setText("\n".join(parts))

    def _describe(self, choice: CellChoice) -> str:
        if choice.label:
            return choice.label
        if len(choice.figures) == 1 and (d := figure_def(choice.figures[0])):
            return d.description
        return " ＋ ".join(d.description if (d := figure_def(n)) else n for n in choice.figures)

    def _filter(self, text: str) -> None:
        for i in range(self.figures.count()):
            item = self.figures.item(i)
            name = str(item.data(Qt.ItemDataRole.UserRole) or "")
            item.setHidden(not (kana.matches(text, item.text()) or kana.matches(text, name)))

    def assign(self, figure: str) -> bool:
        """Put ``figure`` (a figure name or a group) into the selected cell."""
        found = self.current()
        if found is None:
            return False
        sheet, row, col = found
        if (row, col) in sheet.formulas:
            QMessageBox.information(self, _("記入設定"), _(
                "数式のセルには記入できません。様式が自分で計算します。"))
            return False
        if figure in self.groups:
            choice = CellChoice(list(self.groups[figure]), label=figure)
        else:
            choice = CellChoice([figure])
        choice.year = self.year.currentData() or ""
        choice.overwrite = self.overwrite.isChecked()
        name = cell_name(row, col)
        self.choices[(sheet.title, name)] = choice
        self._paint(self.tabs.currentIndex(), name)
        self._cell_changed()
        self._count()
        return True

    def assign_selected(self) -> None:
        """Assign the figure selected in the list."""
        item = self.figures.currentItem()
        if item is not None:
            self.assign(item.data(Qt.ItemDataRole.UserRole))

    def clear_current(self) -> None:
        """Remove the selected cell's figure."""
        found = self.current()
        if found is None:
            return
        sheet, row, col = found
        name = cell_name(row, col)
        if self.choices.pop((sheet.title, name), None) is not None:
            self._paint(self.tabs.currentIndex(), name)
            self._cell_changed()
            self._count()

    def _paint(self, index: int, name: str) -> None:
        sheet = self.grid.sheets[index]
        table = self.tables[index]
        pos = parse_cell(name)
        if pos is None or pos[0] > sheet.rows or pos[1] > sheet.cols:
            return
        row, col = pos
        choice = self.choices.get((sheet.title, name))
        item = table.item(row - 1, col - 1)
        if item is None:
            item = QTableWidgetItem("")
            table.setItem(row - 1, col - 1, item)
        printed = sheet.text.get((row, col), "")
        if choice:
            item.setText(f"《{self._describe(choice)}》")
            item.setBackground(_MAPPED)
            item.setToolTip("\n".join(_name_tip(n) for n in choice.figures))
        else:
            item.setText(printed)
            item.setBackground(QBrush())
            item.setToolTip("")
        table.resizeColumnToContents(col - 1)
        table.setColumnWidth(col - 1, min(max(table.columnWidth(col - 1), 48), 260))

    def _count(self) -> None:
        self.count_label.setText(_("割り当て済み: {n} か所").format(
            n=sum(1 for c in self.choices.values() if c.figures)))

    # --- saving -------------------------------------------------------------------

    def text(self) -> str:
        """The mapping as it will be saved."""
        return mapping_text(self.title, self.grid, self.choices, self.groups)

    def save_to(self, path: str) -> bool:
        """Check the mapping against the form and write it; problems are shown, not saved."""
        text = self.text()
        try:
            check_form(self.form_path, parse_mapping(text, Path(path).name))
        except MappingError as e:
            self.problems.setPlainText(e.message + "\n" + "\n".join(str(p) for p in e.problems))
            self.problems.show()
            return False
        try:
            save_mapping_text(path, text)
        except KnownError as e:
            show_error(self, e)
            return False
        self.problems.hide()
        self.mapping_path = path
        self.saved.emit(path)
        return True

    def ask_save(self) -> None:
        """Ask where to save, then save."""
        default = self.mapping_path or str(Path(self.form_path).with_suffix(".toml"))
        path, _f = QFileDialog.getSaveFileName(self, _("記入設定の保存先"), default,
                                               _("記入設定 (*.toml)"))
        if path and self.save_to(path):
            self.accept()
