"""The recovery screen: shown instead of the window when the store cannot be used.

Says in plain Japanese what happened, that the damaged file is kept (and
where), lists the verified backups newest first with their dates and record
counts, and restores the chosen one without signing in to the damaged store.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError, StoreUnusable
from pfdesk.core.i18n import _
from pfdesk.paths import DataPaths
from pfdesk.services.recovery import (
    RecoveryResult,
    damaged_files,
    recover_from_backup,
    recovery_backups,
)
from pfdesk.store.backups import BackupEntry
from pfdesk.ui.errors import show_error
from pfdesk.ui.widgets import form_footer, note_label, password_edit

COLUMNS = (_("作成日時"), _("中身"), _("暗号化"), _("ファイル"))


class SecretPrompt(QDialog):
    """The password of an account in the backup, or the recovery key."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("暗号化されたバックアップ"))
        form = QFormLayout(self)
        form.addRow(note_label(_(
            "このバックアップは暗号化されています。バックアップを作ったときの利用者名と"
            "パスワード、または回復キーを入力してください。")))
        self.user = QLineEdit()
        form.addRow(_("利用者名"), self.user)
        self.password = password_edit()
        form.addRow(_("パスワード"), self.password)
        self.recovery_key = QLineEdit()
        self.recovery_key.setPlaceholderText(_("回復キーを使うときだけ（例: ABCD-EFGH-…）"))
        form.addRow(_("または回復キー"), self.recovery_key)
        self.error = form_footer(self, form)

    def secrets(self) -> dict:
        """Keyword arguments for :func:`recover_from_backup`."""
        if self.recovery_key.text().strip():
            return {"recovery_key": self.recovery_key.text()}
        return {"user": self.user.text().strip(), "password": self.password.text()}


class RecoveryDialog(QDialog):
    """What happened, where the damaged file stays, and the backups to restore from."""

    def __init__(self, paths: DataPaths, problem: StoreUnusable,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.recovered: RecoveryResult | None = None
        self.setWindowTitle(_("データを開けません"))
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        head = QLabel(_("データファイルを開けませんでした。"))
        head.setStyleSheet("font-size: 15pt; font-weight: bold;")
        layout.addWidget(head)
        what = QLabel(problem.message)
        what.setWordWrap(True)
        layout.addWidget(what)
        layout.addWidget(note_label(self._kept_text()))
        layout.addWidget(QLabel(_("使えるバックアップ（新しい順）")))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.empty = note_label("")
        layout.addWidget(self.empty)
        row = QHBoxLayout()
        row.addStretch(1)
        self.restore_button = QPushButton(_("このバックアップから復元"))
        self.restore_button.clicked.connect(self.restore)
        self.close_button = QPushButton(_("閉じる"))
        self.close_button.clicked.connect(self.reject)
        row.addWidget(self.restore_button)
        row.addWidget(self.close_button)
        layout.addLayout(row)
        self.entries: list[BackupEntry] = []
        self.refresh()

    def _kept_text(self) -> str:
        kept = damaged_files(self.paths)
        parts = [_("データは消していません。復元するときも、今のデータファイルは消さずに"
                   "「{name}.damaged-日付-時刻」という名前で同じフォルダーに残します。").format(
                       name=self.paths.store.name),
                 _("データのフォルダー: {p}").format(p=self.paths.root)]
        if kept:
            parts.append(_("以前に残したファイル: {names}").format(
                names="、".join(p.name for p in kept)))
        return "\n".join(parts)

    def refresh(self) -> None:
        """List the verified backups."""
        self.entries = recovery_backups(self.paths)
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            cells = (f"{e.created:%Y-%m-%d %H:%M}", e.counts_text() or _("（件数の記録なし）"),
                     _("あり") if e.encrypted else _("なし"), e.path.name)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(e.path) if c == 3 else text)
                self.table.setItem(r, c, item)
        for c in (0, 2, 3):
            self.table.resizeColumnToContents(c)
        if self.entries:
            self.table.selectRow(0)
            self.empty.setText("")
        else:
            self.empty.setText(_(
                "このデータフォルダーには使えるバックアップが見つかりません（{p}）。"
                "USB メモリなどに保管したバックアップがあれば、コマンド「pfdesk restore ファイル名」"
                "で戻せます。").format(p=self.paths.backups))
        self.restore_button.setEnabled(bool(self.entries))

    def selected(self) -> BackupEntry | None:
        """The backup chosen in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def restore(self) -> None:
        """Confirm, ask for the secret of an encrypted backup, and restore."""
        entry = self.selected()
        if entry is None:
            return
        answer = QMessageBox.question(
            self, _("復元の確認"),
            _("{d:%Y-%m-%d %H:%M} のバックアップ（{c}）から復元します。\n今のデータファイルは"
              "消さずに別名で残します。よろしいですか。").format(d=entry.created,
                                                   c=entry.counts_text()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        secrets: dict = {}
        if entry.encrypted:
            prompt = SecretPrompt(self)
            if prompt.exec() != QDialog.DialogCode.Accepted:
                return
            secrets = prompt.secrets()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.recovered = recover_from_backup(self.paths, entry.path, **secrets)
        except KnownError as e:
            QGuiApplication.restoreOverrideCursor()
            show_error(self, e)
            return
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.information(self, _("復元しました"), self.recovered.message()
                                + "\n\n" + _("pfdesk を開きます。"))
        self.accept()
