"""作成: pick the period and 秘匿, then write the standard workbook or fill the prefecture's form.

Filling a form is two steps: 「確認」 checks the mapping against the form and lists every
target cell with its value (nothing is written), then 「記入して保存」 writes the copy.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSignalBlocker, QSortFilterProxyModel, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.atomic import read_error
from pfdesk.core.errors import KnownError, ValidationError
from pfdesk.core.fiscal import fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.paths import resources_dir
from pfdesk.services.context import ServiceContext
from pfdesk.services.returns.figures import catalogue, check_return_period, period_label
from pfdesk.services.returns.mapping import MappingError
from pfdesk.services.returns.snapshots import (
    make_builtin_return,
    make_form_return,
    preview_form_return,
    return_defaults,
    return_period_warnings,
)
from pfdesk.services.stats import month_range
from pfdesk.ui import fit_layouts
from pfdesk.ui.errors import show_error
from pfdesk.ui.returns.history import table
from pfdesk.ui.returns.mapper import FormMapperDialog
from pfdesk.ui.returns.models import FigureModel, PreviewModel, period_text
from pfdesk.ui.tasks import run_in_background

#: Where the example form and mapping are kept (checkout, wheel or frozen bundle).
EXAMPLES = resources_dir() / "returns"


def read_mapping(path: str) -> str:
    """The mapping file's text (UTF-8, with or without BOM)."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise read_error(e, p) from e
    except UnicodeDecodeError:
        raise ValidationError(
            _("記入設定「{name}」を UTF-8 の文字として読めません。").format(name=p.name),
            hint=_("メモ帳で開き、文字コード「UTF-8」で保存し直してください。")) from None


class FigureListDialog(QDialog):
    """The figure names a mapping may use, with their meaning."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("使える数値名の一覧"))
        self.resize(820, 560)
        layout = QVBoxLayout(self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(_("絞り込み（例: 新規、20代、電話、meetings）"))
        layout.addWidget(self.filter)
        self.model = FigureModel(self)
        self.model.set_rows(list(catalogue()))
        self.view = table(self.model)
        self.view.setSortingEnabled(False)
        proxy = self.view.model()
        assert isinstance(proxy, QSortFilterProxyModel)  # made by table()
        proxy.setFilterKeyColumn(-1)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(proxy.setFilterFixedString)
        layout.addWidget(self.view)
        self.view.resizeColumnsToContents()


class MakeTab(QWidget):
    """The period, 秘匿 and the two ways to produce a return."""

    #: Emitted after a return was written (the history reloads).
    produced = Signal()

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last_output: str | None = None
        outer = QVBoxLayout(self)
        outer.addWidget(self._period_box())
        outer.addWidget(self._builtin_box())
        outer.addWidget(self._form_box(), 1)
        row = QHBoxLayout()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.status, 1)
        self.open_button = QPushButton(_("作成したファイルを開く"))
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(self.open_output)
        row.addWidget(self.open_button)
        outer.addLayout(row)
        if not ctx.actor.can(Permission.RETURN_MAKE):
            for b in (self.builtin_button, self.preview_button, self.fill_button):
                b.setEnabled(False)
            self.status.setText(_("報告を作成する権限がありません。作成履歴と差分は見られます。"))

    # --- layout -------------------------------------------------------------------

    def _period_box(self) -> QGroupBox:
        box = QGroupBox(_("1. 期間"))
        grid = QGridLayout(box)
        self.by_year = QRadioButton(_("年度"))
        self.by_months = QRadioButton(_("月の範囲"))
        group = QButtonGroup(box)
        group.addButton(self.by_year)
        group.addButton(self.by_months)
        self.by_year.setChecked(True)
        self.year = QComboBox()
        self.month_from = QDateEdit()
        self.month_to = QDateEdit()
        for w in (self.month_from, self.month_to):
            w.setDisplayFormat(_("yyyy年M月"))  # a Qt date format, per language
            w.setCalendarPopup(False)
        self.suppress = QCheckBox(_("秘匿する（1～2 の人数・件数を「＊」で表す）"))
        self.period_shown = QLabel("")
        grid.addWidget(self.by_year, 0, 0)
        grid.addWidget(self.year, 0, 1)
        grid.addWidget(self.by_months, 1, 0)
        months = QHBoxLayout()
        months.addWidget(self.month_from)
        months.addWidget(QLabel(_("から")))
        months.addWidget(self.month_to)
        months.addWidget(QLabel(_("まで")))
        months.addStretch(1)
        grid.addLayout(months, 1, 1)
        grid.addWidget(self.period_shown, 2, 0, 1, 2)
        grid.addWidget(self.suppress, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        for signal in (self.by_year.toggled, self.year.currentIndexChanged,
                       self.month_from.dateChanged, self.month_to.dateChanged):
            signal.connect(self._period_changed)
        return box

    def _builtin_box(self) -> QGroupBox:
        box = QGroupBox(_("2. 標準様式（pfdesk の様式）"))
        row = QHBoxLayout(box)
        text = QLabel(_("相談実績・属性・相談内容・相談経路・つなぎ先・会議開催状況・構成機関・"
                        "窓口と実態把握のシートを持つ Excel ファイルを作ります。"))
        text.setWordWrap(True)
        row.addWidget(text, 1)
        self.builtin_button = QPushButton(_("標準様式で作成…"))
        self.builtin_button.clicked.connect(self.ask_builtin)
        row.addWidget(self.builtin_button)
        return box

    def _form_box(self) -> QGroupBox:
        box = QGroupBox(_("3. 都道府県の様式に記入"))
        layout = QVBoxLayout(box)
        grid = QGridLayout()
        self.form_path = QLineEdit()
        self.form_path.setPlaceholderText(_("都道府県から届いた様式（.xlsx）"))
        self.mapping_path = QLineEdit()
        self.mapping_path.setPlaceholderText(_("どの数値をどのセルに書くかの記入設定ファイル（「記入設定を画面で作る…」で作れます）"))
        pick_form = QPushButton(_("様式を選ぶ…"))
        pick_form.clicked.connect(lambda: self._pick(self.form_path, _("Excel ブック (*.xlsx)")))
        pick_map = QPushButton(_("記入設定を選ぶ…"))
        pick_map.clicked.connect(lambda: self._pick(self.mapping_path, _("記入設定 (*.toml)")))
        grid.addWidget(QLabel(_("様式")), 0, 0)
        grid.addWidget(self.form_path, 0, 1)
        grid.addWidget(pick_form, 0, 2)
        grid.addWidget(QLabel(_("記入設定")), 1, 0)
        grid.addWidget(self.mapping_path, 1, 1)
        grid.addWidget(pick_map, 1, 2)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        row = fit_layouts.FlowLayout(spacing=12)  # wraps on a narrow window (150 % scaling)
        example = QPushButton(_("記入例を使う"))
        example.setToolTip(_("架空の県の様式と記入設定の例を入れます"))
        example.clicked.connect(self.use_example)
        names = QPushButton(_("使える数値名…"))
        names.clicked.connect(lambda: FigureListDialog(self).exec())
        self.mapper_button = QPushButton(_("記入設定を画面で作る…"))
        self.mapper_button.setToolTip(_("様式のセルをクリックして数値を選び、記入設定を作ります"))
        self.mapper_button.clicked.connect(self.open_mapper)
        self.preview_button = QPushButton(_("確認（記入先の一覧）"))
        self.preview_button.clicked.connect(self.run_preview)
        self.fill_button = QPushButton(_("記入して保存…"))
        self.fill_button.setEnabled(False)
        self.fill_button.clicked.connect(self.ask_fill)
        row.addWidget(fit_layouts.group(example, names, self.mapper_button))
        row.addWidget(fit_layouts.group(self.preview_button, self.fill_button))
        layout.addLayout(row)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(110)
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setVisible(False)
        layout.addWidget(self.problems)
        self.preview = PreviewModel(self)
        self.preview_view = table(self.preview)
        layout.addWidget(self.preview_view, 1)
        for w in (self.form_path, self.mapping_path):
            w.textChanged.connect(self._inputs_changed)
        self.suppress.toggled.connect(self._inputs_changed)
        return box

    # --- period -------------------------------------------------------------------

    def refresh(self) -> None:
        """Fill the 年度 list around today (the last completed 年度 first chosen)."""
        d = return_defaults(self.ctx)
        if self.year.count() == 0:
            # Filled without a check per step: the period is checked once, below.
            blockers = [QSignalBlocker(w) for w in (self.year, self.month_from, self.month_to)]
            for fy in range(d.fiscal_year + 1, 2018, -1):
                self.year.addItem(_("{label}（{fy}年4月～）").format(
                    label=format_fiscal_year(fy), fy=fy), fy)
            self.year.setCurrentIndex(1)
            start, _end = fiscal_year_range(d.fiscal_year + 1)
            self.month_from.setDate(QDate(start.year, start.month, 1))
            self.month_to.setDate(QDate(d.today.year, d.today.month, 1))
            for blocker in blockers:
                blocker.unblock()
        self._period_changed()

    def period(self) -> tuple[date, date]:
        """The chosen period (first and last day)."""
        if self.by_year.isChecked():
            return fiscal_year_range(int(self.year.currentData()))
        a, b = self.month_from.date(), self.month_to.date()
        return month_range(f"{a.year()}-{a.month():02d}:{b.year()}-{b.month():02d}")

    def _period_changed(self, *_args) -> None:
        self.year.setEnabled(self.by_year.isChecked())
        self.month_from.setEnabled(self.by_months.isChecked())
        self.month_to.setEnabled(self.by_months.isChecked())
        try:
            start, end = self.period()
            check_return_period(start, end)
        except ValidationError as e:
            self.period_shown.setText(e.message)
            self.period_shown.setStyleSheet("color: #b00020;")
        else:
            text = _("集計期間: {p}").format(p=period_text(start, end))
            warnings = return_period_warnings(self.ctx, start=start, end=end)
            self.period_shown.setText("\n".join([text, *warnings]))
            self.period_shown.setStyleSheet("color: #9a5b00;" if warnings else "")
        self._inputs_changed()

    def _label(self) -> str:
        start, end = self.period()
        fy = int(self.year.currentData()) if self.by_year.isChecked() else None
        return period_label(start, end, fy)

    # --- actions ------------------------------------------------------------------

    def _pick(self, field: QLineEdit, pattern: str) -> None:
        path, _f = QFileDialog.getOpenFileName(self, _("ファイルを選ぶ"), field.text(), pattern)
        if path:
            field.setText(path)

    def use_example(self) -> None:
        """Put the example form and mapping in the fields."""
        if not (EXAMPLES / "example_form.xlsx").exists():
            show_error(self, ValidationError(
                _("記入例のファイルが見つかりません。"), where=str(EXAMPLES),
                hint=_("都道府県の様式と記入設定を「選ぶ」ボタンから指定してください。")))
            return
        self.form_path.setText(str(EXAMPLES / "example_form.xlsx"))
        self.mapping_path.setText(str(EXAMPLES / "example_mapping.toml"))

    def _inputs_changed(self, *_args) -> None:
        # a new form, mapping, period or 秘匿 needs a new check before writing
        self.fill_button.setEnabled(False)
        self.preview.set_rows([])

    def _done(self, result) -> None:
        self.last_output = result.output_path
        text = _("{period}の報告を書き出しました: {path}").format(
            period=result.period_label, path=result.output_path)
        if result.suppressed:
            text += _("（秘匿あり）")
        for warning in result.warnings:
            text += "\n" + _("注意: ") + warning
        self.status.setText(text)
        self.open_button.setVisible(True)
        self.produced.emit()

    def _save_path(self, stem: str) -> str:
        default = str(Path.home() / f"{stem}_{self._label()}.xlsx")
        path, _f = QFileDialog.getSaveFileName(self, _("保存先"), default,
                                               _("Excel ブック (*.xlsx)"))
        return path

    def ask_builtin(self) -> None:
        """Ask where to save, then write the standard workbook."""
        path = self._save_path(_("報告"))
        if path:
            self.make_builtin(path)

    def make_builtin(self, out: str):
        """Write the standard workbook of the chosen period to ``out`` in the background."""
        try:
            start, end = self.period()
            check_return_period(start, end)
        except ValidationError as e:
            show_error(self, e)
            return None
        suppress = self.suppress.isChecked()
        return run_in_background(
            self, lambda: make_builtin_return(self.ctx, start=start, end=end, out_path=out,
                                              suppress_small=suppress),
            title=_("報告を作成しています"), on_success=self._done)

    def _form_inputs(self):
        form, mapping = self.form_path.text().strip(), self.mapping_path.text().strip()
        if not form or not mapping:
            raise ValidationError(_("様式（Excel ファイル）と記入設定ファイルの両方を選んでください。"))
        start, end = self.period()
        return dict(start=start, end=end, form_path=form, mapping_text=read_mapping(mapping),
                    mapping_source=Path(mapping).name,
                    suppress_small=self.suppress.isChecked())

    def _show_problems(self, exc: BaseException) -> None:
        if isinstance(exc, MappingError):
            self.problems.setPlainText(exc.message + "\n" + "\n".join(str(p) for p in exc.problems))
            self.problems.setVisible(True)
            self.fill_button.setEnabled(False)
        else:
            show_error(self, exc)

    def run_preview(self):
        """Check the mapping against the form and list the target cells (nothing is written)."""
        self.problems.setVisible(False)
        try:
            kwargs = self._form_inputs()
        except ValidationError as e:
            self._show_problems(e)
            return None

        def shown(rows) -> None:
            self.preview.set_rows(rows)
            self.preview_view.resizeColumnsToContents()
            self.fill_button.setEnabled(self.ctx.actor.can(Permission.RETURN_MAKE))
            text = _("{n} か所に記入します。内容を確かめてから「記入して保存」を"
                     "押してください。").format(n=len(rows))
            if any(r.value == "" and r.figure.startswith("settings.") for r in rows):
                text += _("（空欄）の回答は「窓口・実態把握の回答」タブで入力できます。")
            if noted := sum(1 for r in rows if r.note):
                text += _("\n注意: 「＊」にした {n} か所を様式の数式が合計しています。"
                          "表の「注意」欄を確かめてください。").format(n=noted)
            self.status.setText(text)

        return run_in_background(
            self, lambda: preview_form_return(self.ctx, **kwargs),
            title=_("記入設定を確認しています"), on_success=shown,
            on_failure=self._show_problems)

    def ask_fill(self) -> None:
        """Ask where to save, then fill the form."""
        path = self._save_path(Path(self.form_path.text()).stem)
        if path:
            self.fill(path)

    def fill(self, out: str):
        """Write the filled copy of the form to ``out`` in the background."""
        try:
            kwargs = self._form_inputs()
        except ValidationError as e:
            self._show_problems(e)
            return None

        def done(result) -> None:
            self.preview.set_rows(result.cells)
            self._done(result)

        return run_in_background(
            self, lambda: make_form_return(self.ctx, out_path=out, **kwargs),
            title=_("様式に記入しています"), on_success=done, on_failure=self._show_problems)

    def open_mapper(self) -> FormMapperDialog | None:
        """Open the 記入設定エディタ on the chosen form (and mapping, if any)."""
        form = self.form_path.text().strip()
        if not form:
            show_error(self, ValidationError(
                _("先に「様式を選ぶ…」で都道府県の様式（.xlsx）を選んでください。")))
            return None
        try:
            dialog = FormMapperDialog(form_path=form,
                                      mapping_path=self.mapping_path.text().strip(), parent=self)
        except (KnownError, MappingError) as e:
            show_error(self, e)
            return None
        dialog.saved.connect(self.mapping_path.setText)
        dialog.open()
        return dialog

    def open_output(self) -> None:
        """Open the last written workbook in the spreadsheet program."""
        if self.last_output:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self.last_output))
