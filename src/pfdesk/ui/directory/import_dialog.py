"""名簿の取り込み: choose a file, check the columns, look at the preview, then import whole.

Nothing is stored until 「取り込む」; a file with any bad cell cannot be imported and the
problems are listed by row and column. Each distinct 分野 / 種別 value of the file is
listed once with the 区分 it was matched to, which the user can change; a value without a
区分 keeps the import closed. Rows that match someone already in the directory (same name
and reading in the same organization, 異体字 folded) are highlighted and can be set, one
by one, to update that person or to be added as someone new.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.services.context import ServiceContext
from pfdesk.services.directory.importer import (
    ImportPreview,
    import_contacts,
    preview_contacts_import,
    workbook_sheets,
)
from pfdesk.services.directory.io import CONTACT_FIELDS
from pfdesk.ui.directory.models import ImportRowsModel
from pfdesk.ui.errors import show_error
from pfdesk.ui.tasks import run_in_background
from pfdesk.ui.value_mapping import ValueTableModel, value_table_view

_UNUSED = _("（使わない）")


class _ChoiceDelegate(QStyledItemDelegate):
    """Edits 重複時の扱い with a two-item combo box."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt API
        box = QComboBox(parent)
        box.addItem(_("既存を更新"), "update")
        box.addItem(_("別人として追加"), "add")
        return box

    def setEditorData(self, editor, index):  # noqa: N802 - Qt API
        rec = index.data(Qt.ItemDataRole.UserRole + 2)
        editor.setCurrentIndex(max(0, editor.findData(rec.decision if rec else "update")))

    def setModelData(self, editor, model, index):  # noqa: N802 - Qt API
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ImportDialog(QDialog):
    """The import wizard on one screen: file, columns, preview, import."""

    def __init__(self, *, ctx: ServiceContext, path: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path: str | None = None
        self.preview: ImportPreview | None = None
        self.imported: ImportPreview | None = None
        self.setWindowTitle(_("名簿の取り込み"))
        self.resize(1000, 720)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_label = QLabel(_("取り込む Excel（.xlsx）か CSV ファイルを選んでください。"))
        choose = QPushButton(_("ファイルを選ぶ…"))
        choose.clicked.connect(self.choose_file)
        self.sheet_label = QLabel(_("シート:"))
        self.sheet = QComboBox()
        self.sheet.activated.connect(lambda _i: self._preview(mapping=None))
        row.addWidget(self.file_label, 1)
        row.addWidget(self.sheet_label)
        row.addWidget(self.sheet)
        row.addWidget(choose)
        layout.addLayout(row)
        self.sheet_label.hide()
        self.sheet.hide()

        group = QGroupBox(_("列の対応（見出しから推測しました。違うときは選び直してください）"))
        grid = QGridLayout(group)
        self.combos: dict[str, QComboBox] = {}
        for i, f in enumerate(CONTACT_FIELDS):
            box = QComboBox()
            box.setObjectName(f"map_{f.key}")
            box.activated.connect(self.recheck)
            self.combos[f.key] = box
            grid.addWidget(QLabel(f.label), i // 4, (i % 4) * 2)
            grid.addWidget(box, i // 4, (i % 4) * 2 + 1)
        layout.addWidget(group)

        self.values_group = QGroupBox(_("値の対応（分野・種別）: ファイルの値ごとに区分を確かめ、"
                                        "違うときは「対応する区分」を選び直してください"))
        values_layout = QVBoxLayout(self.values_group)
        self.value_model = ValueTableModel(self)
        self.value_model.chosen.connect(lambda *_a: self.recheck())
        self.value_view = value_table_view(self.value_model)
        self.value_view.setMaximumHeight(170)
        values_layout.addWidget(self.value_view)
        self.values_group.hide()
        layout.addWidget(self.values_group)

        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.error_box = QPlainTextEdit()
        self.error_box.setReadOnly(True)
        self.error_box.setStyleSheet("color: #b00020;")
        self.error_box.setMaximumHeight(110)
        self.error_box.hide()
        layout.addWidget(self.error_box)
        self.model = ImportRowsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setItemDelegateForColumn(ImportRowsModel.CHOICE, _ChoiceDelegate(self.view))
        self.view.setEditTriggers(QTableView.EditTrigger.AllEditTriggers)
        self.view.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.view, 1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton(_("取り込む"))
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        close = QPushButton(_("閉じる"))
        close.clicked.connect(self.reject)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        if path:
            self.open_file(path)

    def choose_file(self) -> None:
        """Ask for the file and check it."""
        path, _filter = QFileDialog.getOpenFileName(
            self, _("取り込むファイル"), "", _("Excel・CSV (*.xlsx *.xlsm *.csv *.txt)"))
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        """Check ``path`` with the saved or guessed columns."""
        self.path = path
        self.file_label.setText(_("ファイル: {name}").format(name=Path(path).name))
        self.model.decisions.clear()
        self.value_model.choices.clear()
        sheets = workbook_sheets(path)
        self.sheet.clear()
        self.sheet.addItems(sheets)
        # Only a workbook with several sheets needs the choice.
        self.sheet.setVisible(len(sheets) > 1)
        self.sheet_label.setVisible(len(sheets) > 1)
        self._preview(mapping=None)

    def _sheet(self) -> str | None:
        return self.sheet.currentText() if self.sheet.count() > 1 else None

    def _mapping(self) -> dict[str, str]:
        return {k: b.currentText() for k, b in self.combos.items()
                if b.currentIndex() > 0}

    def recheck(self) -> None:
        """The columns or a value's 区分 were changed: check the file again with them."""
        if self.path:
            self._preview(mapping=self._mapping())

    def _value_choices(self) -> dict[str, dict[str, str]]:
        return {k: dict(v) for k, v in self.value_model.choices.items()}

    def _preview(self, mapping: dict[str, str] | None) -> None:
        path, decisions, sheet = self.path, dict(self.model.decisions), self._sheet()
        if path is None:
            return
        choices = self._value_choices()
        self.import_button.setEnabled(False)
        self.summary.setText(_("確認しています…"))
        def check(progress=None) -> ImportPreview:
            return preview_contacts_import(self.ctx, path, mapping=mapping,
                                           decisions=decisions, sheet=sheet,
                                           value_choices=choices, progress=progress)

        run_in_background(
            self,
            check,
            title=_("ファイルを確認しています"),
            on_success=self.show_preview,
            on_failure=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(_("ファイルを確認できませんでした。"))
        show_error(self, exc)

    def show_preview(self, preview: ImportPreview) -> None:
        """Show the columns used, the counts, the errors and the rows."""
        self.preview = preview
        for key, box in self.combos.items():
            box.blockSignals(True)
            box.clear()
            box.addItem(_UNUSED)
            box.addItems(preview.headers)
            header = preview.mapping.get(key)
            box.setCurrentIndex(preview.headers.index(header) + 1 if header in preview.headers
                                else 0)
            box.blockSignals(False)
        self.value_model.set_tables(preview.value_tables)
        self.values_group.setVisible(bool(self.value_model.rows))
        self.value_view.resizeColumnsToContents()
        self.value_view.setColumnWidth(ValueTableModel.CODE, max(
            self.value_view.columnWidth(ValueTableModel.CODE), 260))
        self.model.set_records(preview.rows)
        self.model.decisions.update({r.row: r.decision for r in preview.rows if r.decision})
        self.view.resizeColumnsToContents()
        # Room for the drop-down, whose longest choice is 「別人として追加」.
        choice = ImportRowsModel.CHOICE
        self.view.setColumnWidth(choice, max(self.view.columnWidth(choice), 150))
        origin = {"saved": _("前回保存した列の対応を使いました。"),
                  "guessed": _("列の対応は見出しから推測しました。"),
                  "given": _("指定した列の対応を使いました。")}[preview.mapping_origin]
        counts = _("追加 {a} 件、更新 {u} 件、変更なし {n} 件、エラー {e} 件").format(
            a=preview.count("add"), u=preview.count("update"), n=preview.count("unchanged"),
            e=preview.count("error"))
        if preview.errors:
            self.summary.setText(counts + "　" + _(
                "エラーのある行があるため、このファイルは取り込めません（一部だけ取り込むことは"
                "しません）。ファイルを直して選び直すか、列の対応を直してください。"))
            self.error_box.setPlainText(preview.error_text())
            self.error_box.show()
        elif preview.value_problems:
            self.summary.setText(counts + "　" + _(
                "区分の分からない値が {n} 個あります。上の「値の対応」の赤い行で区分を選ぶと"
                "取り込めます。").format(n=len(preview.value_problems)))
            self.error_box.setPlainText(preview.error_text())
            self.error_box.show()
        else:
            dup = _("黄色の行は名簿にいる人と氏名・読み・所属が同じです。「重複時の扱い」で"
                    "選べます。") if preview.duplicates else ""
            review = sum(1 for r in preview.rows if r.review)
            if review:
                dup += _("読みか氏名だけが同じ人が {n} 人います（要確認として別の人で追加し、"
                         "備考に残します）。").format(n=review)
            self.summary.setText(f"{counts}　{origin}{dup}")
            self.error_box.hide()
        self.import_button.setEnabled(preview.ok and bool(preview.rows))

    def run_import(self) -> None:
        """Import the whole file with the chosen columns and duplicate answers."""
        if self.preview is None or self.path is None:
            return
        path, mapping = self.path, dict(self.preview.mapping)
        decisions, sheet = dict(self.model.decisions), self._sheet()
        choices = self._value_choices()
        self.import_button.setEnabled(False)
        def run(progress=None) -> ImportPreview:
            return import_contacts(self.ctx, path, mapping=mapping, decisions=decisions,
                                   sheet=sheet, value_choices=choices, progress=progress)

        run_in_background(
            self,
            run,
            title=_("取り込んでいます"),
            on_success=self._imported,
            on_failure=self._failed,
        )

    def _imported(self, result: ImportPreview) -> None:
        self.imported = result
        QMessageBox.information(self, _("取り込み"), _(
            "取り込みました。追加 {a} 件、更新 {u} 件、変更なし {n} 件。\n"
            "列と値の対応は保存したので、次回から同じ形のファイルにそのまま使います。").format(
            a=result.count("add"), u=result.count("update"), n=result.count("unchanged")))
        self.accept()

    def edit_choice(self, row: int) -> QModelIndex:
        """The index of a row's duplicate choice (for keyboard users and tests)."""
        return self.model.index(row, ImportRowsModel.CHOICE)
