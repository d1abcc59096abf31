"""管理 → 保存年限: periods per record type, the yearly 廃棄候補一覧, and disposal."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import EditConflict, KnownError
from pfdesk.core.fiscal import current_fiscal_year
from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.services import retention
from pfdesk.services.context import ServiceContext
from pfdesk.services.edit_versions import current_seen
from pfdesk.ui.errors import show_error
from pfdesk.ui.security.table import RowsModel
from pfdesk.ui.security.widgets import export_csv
from pfdesk.ui.widgets import close_buttons, note_label, table_view

COLUMNS = (
    (_("ケース番号"), lambda c: c.case_number),
    (_("種類"), lambda c: c.record_label),
    (_("状態"), lambda c: c.status_label),
    (_("受付日"), lambda c: c.intake_date),
    (_("終結・取消日"), lambda c: c.ended_on),
    (_("廃棄できる日"), lambda c: c.due_on),
)
CONFIRM_WORD = "廃棄"


class RetentionDialog(QDialog):
    """Set the periods, list the candidates as of a 年度末, export them, dispose of them."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("保存年限と廃棄"))
        self.resize(900, 600)
        layout = QVBoxLayout(self)
        box = QGroupBox(_("保存年限"))
        form = QFormLayout(box)
        self.spins: dict[str, QSpinBox] = {}
        periods = retention.retention_periods(ctx)
        # The periods as shown: a save is refused when another PC saved others since.
        self.seen = retention.periods_of(periods)
        for p in periods:
            spin = QSpinBox()
            spin.setRange(1, 30)
            spin.setSuffix(_(" 年"))
            spin.setValue(p.years)
            spin.setMaximumWidth(110)
            self.spins[p.record_type] = spin
            form.addRow(p.label, spin)
        save = QPushButton(_("保存年限を保存"))
        save.clicked.connect(self.save_periods)
        save_row = QHBoxLayout()
        save_row.addWidget(save)
        save_row.addStretch(1)
        form.addRow(save_row)
        layout.addWidget(box)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("廃棄候補一覧:")))
        self.as_of = QComboBox()
        fy = current_fiscal_year()
        self.as_of.addItem(_("今日の時点"), None)
        for y in range(fy, fy - 3, -1):
            self.as_of.addItem(_("{fy}末の時点").format(fy=format_fiscal_year(y)), y)
        self.as_of.currentIndexChanged.connect(self.refresh)
        row.addWidget(self.as_of)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(note_label(_(
            "廃棄すると、氏名・ふりがな・生年月日・住所・電話・家族・学校や勤務先・主訴・"
            "支援方針・目標・経過の内容は完全に消え、元に戻せません。性別・年代・相談の分類など"
            "統計に使う項目は残ります。廃棄の前に一覧を書き出して決裁を受けてください。")))
        self.model = RowsModel(COLUMNS, self)
        self.table = table_view(self.model, resize=QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        export = QPushButton(_("一覧を CSV に書き出す…"))
        export.clicked.connect(self.export)
        dispose = QPushButton(_("選んだケースを廃棄する…"))
        dispose.clicked.connect(self.dispose)
        buttons.addWidget(export)
        buttons.addWidget(dispose)
        buttons.addStretch(1)
        buttons.addWidget(close_buttons(self))
        layout.addLayout(buttons)
        self.refresh()

    def as_of_date(self) -> date:
        """The day the list is made for."""
        fy = self.as_of.currentData()
        return retention.year_end(fy) if fy else date.today()

    def refresh(self) -> None:
        """Reload the candidates."""
        rows = retention.disposal_candidates(self.ctx, self.as_of_date())
        self.model.set_rows(rows)
        self.message.setText(_("廃棄候補 {n} 件").format(n=len(rows)))

    def save_periods(self) -> None:
        """Store the periods and reload the list."""
        try:
            saved = retention.set_retention_periods(
                self.ctx, {k: s.value() for k, s in self.spins.items()}, seen=self.seen)
        except EditConflict as e:
            # Saved on another PC since: shown, the typed years stay, and saving again
            # knowingly goes on top of the periods as they are now.
            self.seen = current_seen(e).values
            show_error(self, e)
            return
        except KnownError as e:
            show_error(self, e)
            return
        self.seen = retention.periods_of(saved)
        self.refresh()
        self.message.setText(self.message.text() + _("（保存年限を保存しました）"))

    def export(self) -> None:
        """Write the list for the approval."""
        as_of = self.as_of_date()
        export_csv(self, _("廃棄候補一覧の書き出し"), f"廃棄候補一覧_{as_of:%Y%m%d}.csv",
                   lambda path: retention.export_candidates(self.ctx, path, as_of), self.message)

    def dispose(self) -> None:
        """Dispose of the selected candidates after the user types 廃棄 to confirm."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows:
            self.message.setText(_("廃棄するケースを一覧から選んでください。"))
            return
        chosen = [self.model.row_at(r) for r in rows]
        approval, ok = QInputDialog.getText(
            self, _("廃棄の決裁"), _("廃棄を決裁した文書の番号（決裁番号）を入力してください。"
                                   "監査ログに記録します。"))
        if not ok:
            return
        if not approval.strip():
            self.message.setText(_("決裁番号がないため、廃棄しませんでした。"))
            return
        word, ok = QInputDialog.getText(
            self, _("廃棄の確認"),
            _("{n} 件のケースの個人情報を完全に消去します。元に戻せません。\n"
              "よろしければ「{w}」と入力してください。").format(n=len(chosen), w=CONFIRM_WORD))
        if not ok:
            return
        if word.strip() != CONFIRM_WORD:
            self.message.setText(_("確認の言葉が違うため、廃棄しませんでした。"))
            return
        try:
            numbers = retention.dispose_cases(self.ctx, [c.case_id for c in chosen],
                                              self.as_of_date(), approval=approval)
        except KnownError as e:
            show_error(self, e)
            return
        self.refresh()
        self.message.setText(_("{n} 件の個人情報を消去しました: {nums}").format(
            n=len(numbers), nums="、".join(numbers)))
        self._offer_older_backups()

    def _offer_older_backups(self) -> None:
        """Backups made before the disposal still hold the identities: offer to shred them."""
        from pfdesk.services.backup import backups_before_disposal, shred_backups_before_disposal

        older = backups_before_disposal(self.ctx)
        if not older:
            return
        answer = QMessageBox.warning(
            self, _("廃棄より前のバックアップ"),
            _("廃棄より前に作ったバックアップが {n} 個あり、廃棄した個人情報がまだ入っています。\n"
              "今のデータのバックアップを作ってから、それらを上書きして削除しますか。"
              "元に戻せません。").format(n=len(older)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            self.message.setText(self.message.text() + _(
                "（廃棄より前のバックアップ {n} 個は残っています）").format(n=len(older)))
            return
        try:
            gone = shred_backups_before_disposal(self.ctx)
        except KnownError as e:
            show_error(self, e)
            return
        self.message.setText(self.message.text() + _(
            "（廃棄より前のバックアップ {n} 個を削除しました）").format(n=len(gone)))
