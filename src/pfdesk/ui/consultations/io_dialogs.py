"""台帳の取込 and 集計用の書き出し: the consultation ledger in, the coded contacts out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.services.consultations.io import FIELDS, export_contacts, import_ledger, preview_ledger
from pfdesk.services.context import ServiceContext
from pfdesk.ui.errors import show_error
from pfdesk.ui.tasks import run_in_background
from pfdesk.ui.value_mapping import ValueTableModel, value_table_view


class ImportDialog(QDialog):
    """Choose the ledger, check the column mapping and the problems, then import all at once."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path: Path | None = None
        self.preview = None
        self.result_value = None
        self.setWindowTitle(_("相談台帳の取込"))
        self.resize(860, 680)
        outer = QVBoxLayout(self)
        intro = QLabel(_("1行が1回の相談です。同じ台帳番号の行は同じ人のケースとして登録します。"
                         "問題が1つでもあると何も登録しません。"))
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.file_label = QLabel("")
        outer.addWidget(self.file_label)
        box = QGroupBox(_("列の対応（ファイルのどの列を使うか）"))
        form = QFormLayout(box)
        self.combos: dict[str, QComboBox] = {}
        for f in FIELDS:
            combo = QComboBox()
            self.combos[f.key] = combo
            form.addRow(f.label + (" *" if f.required else ""), combo)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)
        outer.addWidget(scroll, 2)
        self.values_box = QGroupBox(_("値の対応（性別・方法・相談内容など）: 違うときは"
                                      "「対応する区分」を選び直してください"))
        values_layout = QVBoxLayout(self.values_box)
        self.value_model = ValueTableModel(self)
        self.value_model.chosen.connect(lambda *_a: self.check())
        self.value_view = value_table_view(self.value_model)
        values_layout.addWidget(self.value_view)
        self.values_box.hide()
        outer.addWidget(self.values_box, 2)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        outer.addWidget(self.problems, 1)
        row = QHBoxLayout()
        self.recheck = QPushButton(_("この対応で確認し直す"))
        self.recheck.clicked.connect(self.check)
        row.addWidget(self.recheck)
        row.addStretch(1)
        outer.addLayout(row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("取り込む"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("キャンセル"))
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

    def choose_file(self) -> bool:
        """Ask for the ledger file; False when the user cancels or it cannot be read."""
        name, _filter = QFileDialog.getOpenFileName(
            self, _("相談台帳を選ぶ"), "", _("表計算ファイル (*.xlsx *.xlsm *.csv)"))
        return bool(name) and self.set_path(Path(name))

    def set_path(self, path: Path) -> bool:
        """Read ``path`` and show the guessed mapping and the problems found."""
        try:
            preview = preview_ledger(self.ctx, path)
        except Exception as e:  # noqa: BLE001 - shown; nothing was written
            show_error(self, e)
            return False
        self.path = path
        self.value_model.choices.clear()
        origin = {"saved": _("（列の対応は前回の取込と同じものを使っています）"),
                  "guessed": _("（列の対応は見出しから推定しました。確かめてください）")}
        self.file_label.setText(_("ファイル: {p}").format(p=path)
                                + "\n" + origin.get(preview.mapping_origin, ""))
        for key, combo in self.combos.items():
            combo.clear()
            combo.addItem(_("（使わない）"), "")
            for h in preview.headers:
                if h:
                    combo.addItem(h, h)
            combo.setCurrentIndex(max(0, combo.findData(preview.mapping.get(key, ""))))
        self._show(preview)
        return True

    def mapping(self) -> dict[str, str]:
        """The mapping chosen on screen: field key → header."""
        return {k: c.currentData() for k, c in self.combos.items() if c.currentData()}

    def check(self) -> None:
        """Check the file again with the mapping on screen."""
        if self.path is None:
            return
        try:
            self._show(preview_ledger(self.ctx, self.path, self.mapping(),
                                      value_choices=self.value_choices()))
        except Exception as e:  # noqa: BLE001
            show_error(self, e)

    def value_choices(self) -> dict[str, dict[str, str]]:
        """The 区分 chosen on screen for values: column key → {value → code}."""
        return {k: dict(v) for k, v in self.value_model.choices.items()}

    def _show(self, preview) -> None:
        self.preview = preview
        self.value_model.set_tables(preview.value_tables)
        self.values_box.setVisible(bool(self.value_model.rows))
        self.value_view.resizeColumnsToContents()
        self.summary.setText(_("ケース {c} 件、経過記録 {n} 件を登録します。").format(
            c=preview.cases, n=preview.contacts) if preview.ok else
            _("次の問題を直すまで取り込めません。ファイルを直して保存し、「この対応で確認し直す」を押します。"))
        self.problems.setPlainText(preview.error_text() if not preview.ok
                                   else _("問題は見つかりませんでした。"))
        self.ok.setEnabled(preview.ok)

    def run_import(self) -> None:
        """取り込む: in the background, all or nothing."""
        path, mapping, choices = self.path, self.mapping(), self.value_choices()
        if path is None:
            return

        def done(result) -> None:
            self.result_value = result
            QMessageBox.information(self, _("取込の完了"), _(
                "ケース {c} 件、経過記録 {n} 件を登録しました。").format(
                    c=result.cases, n=result.contacts))
            self.accept()

        run_in_background(self, lambda: import_ledger(self.ctx, path, mapping,
                                                      value_choices=choices),
                          title=_("相談台帳を取り込んでいます…"), on_success=done)


class ExportDialog(QDialog):
    """集計用の書き出し: one row per contact, coded, with the case number only."""

    def __init__(self, *, ctx: ServiceContext, years: list[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_value = None
        self.setWindowTitle(_("相談の書き出し（集計用）"))
        outer = QVBoxLayout(self)
        intro = QLabel(_("相談1件を1行として、ケース番号と区分（性別・年代・方法など）だけを"
                         "書き出します。氏名・住所・記録の文は書き出しません。"))
        intro.setWordWrap(True)
        outer.addWidget(intro)
        form = QFormLayout()
        self.year = QComboBox()
        self.year.addItem(_("すべての年度"), None)
        for fy in years:
            self.year.addItem(format_fiscal_year(fy), fy)
        self.kind = QComboBox()
        self.kind.addItem(_("Excel ブック（.xlsx、つなぎのシート付き）"), ("xlsx", "utf-8-sig"))
        self.kind.addItem(_("CSV（UTF-8）"), ("csv", "utf-8-sig"))
        self.kind.addItem(_("CSV（Shift_JIS）"), ("csv", "cp932"))
        form.addRow(_("年度"), self.year)
        form.addRow(_("形式"), self.kind)
        outer.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("書き出す…"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("閉じる"))
        buttons.accepted.connect(self.choose_and_export)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def choose_and_export(self) -> None:
        """Ask where to write, then write."""
        ext, _enc = self.kind.currentData()
        fy = self.year.currentData()
        default = f"相談_{fy or 'すべて'}.{ext}"
        name, _filter = QFileDialog.getSaveFileName(self, _("書き出し先"), default,
                                                    f"*.{ext}")
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path):
        """Write the file in the background (ten years can take half a minute), then say so."""
        ext, enc = self.kind.currentData()
        if path.suffix.lower() != f".{ext}":
            path = path.with_suffix(f".{ext}")
        fy = self.year.currentData()

        def done(r) -> None:
            self.result_value = r
            text = _("{path} に相談 {n} 件を書き出しました。").format(path=r.path, n=r.contacts)
            if enc == "cp932" and r.encoding_note:
                text += "\n\n" + r.encoding_note
            QMessageBox.information(self, _("書き出しの完了"), text)
            self.accept()

        return run_in_background(
            self, lambda: export_contacts(self.ctx, path, fy, encoding=enc),
            title=_("相談を書き出しています…"), on_success=done)
