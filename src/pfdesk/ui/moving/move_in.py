"""The first start on a new PC: take the old PC's data from its move archive, or start afresh.

Shown before anything is created in an empty data folder (a move-in needs one). The
archive is proven in full before a file is written (see :mod:`pfdesk.services.moving`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.paths import DataPaths
from pfdesk.services.moving import MoveInResult, move_in
from pfdesk.services.moving.archive import MoveManifest, read_manifest
from pfdesk.store.safefile import counts_text
from pfdesk.ui.widgets import note_label


def is_new_folder(paths: DataPaths) -> bool:
    """Whether no store was ever made in ``paths`` (a new PC, or a new data folder)."""
    from pfdesk.store.presence import MARKER

    store = paths.store
    return (not (store.exists() and store.stat().st_size > 0)
            and not (paths.root / MARKER).exists()
            and not any(paths.root.glob(f"{store.name}*")))


class MoveInDialog(QDialog):
    """前の PC から移す or 新しく始める; accepted once the data has been moved in."""

    def __init__(self, *, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.result_info: MoveInResult | None = None
        self.manifest: MoveManifest | None = None
        self.setWindowTitle(_("pfdesk のはじめかた"))
        layout = QVBoxLayout(self)
        layout.addWidget(note_label(_(
            "この PC（データフォルダー）で pfdesk を初めて使います。\n"
            "前の PC のデータを移すときは、前の PC の「ファイル → 新しい PC へ移す」で作った"
            "移行用ファイルを選んで「取り込む」を押してください。"
            "新しく始めるときは「新しく始める」を押してください。")))
        row = QHBoxLayout()
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(_("移行用ファイル（pfdesk-move-….zip）"))
        self.file_edit.editingFinished.connect(lambda: self.choose(self.file_edit.text()))
        browse = QPushButton(_("参照…"))
        browse.clicked.connect(self.browse)
        row.addWidget(self.file_edit, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.secret_box = QWidget()
        form = QFormLayout(self.secret_box)
        form.setContentsMargins(0, 0, 0, 0)
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery_edit = QLineEdit()
        self.recovery_edit.setPlaceholderText(_("回復キーを使うときだけ（例: ABCD-EFGH-…）"))
        form.addRow(_("利用者名"), self.user_edit)
        form.addRow(_("パスワード"), self.password_edit)
        form.addRow(_("または回復キー"), self.recovery_edit)
        self.secret_box.setVisible(False)
        layout.addWidget(self.secret_box)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(_("取り込む"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.fresh_button = buttons.addButton(_("新しく始める"),
                                              QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.run_move_in)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def browse(self) -> None:
        """Pick the archive."""
        path, _f = QFileDialog.getOpenFileName(self, _("移行用ファイルを選ぶ"), str(Path.home()),
                                               _("pfdesk 移行用ファイル (*.zip)"))
        if path:
            self.choose(path)

    def choose(self, path: str) -> None:
        """Read the archive's manifest and say what it holds; ask for a secret if encrypted."""
        self.file_edit.setText(path)
        self.error.setText("")
        self.manifest = None
        self.import_button.setEnabled(False)
        if not path:
            self.summary.setText("")
            return
        try:
            self.manifest = read_manifest(Path(path))
        except KnownError as e:
            self.summary.setText("")
            self.error.setText(e.user_text())
            return
        m = self.manifest
        self.summary.setText(_("作成日時: {d:%Y-%m-%d %H:%M}　中身: {c}{enc}").format(
            d=m.created, c=counts_text(m.counts), enc=_("（暗号化）") if m.encrypted else ""))
        self.secret_box.setVisible(m.encrypted)
        self.import_button.setEnabled(True)

    def run_move_in(self) -> None:
        """Move the data in (proven first); stays open with the reason when refused."""
        if self.manifest is None:
            return
        secrets: dict[str, str] = {}
        if self.manifest.encrypted:
            if self.recovery_edit.text().strip():
                secrets = {"recovery_key": self.recovery_edit.text().strip()}
            else:
                secrets = {"user": self.user_edit.text().strip(),
                           "password": self.password_edit.text()}
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result_info = move_in(self.paths, Path(self.file_edit.text()), **secrets)
        except KnownError as e:
            self.error.setText(e.user_text())
            return
        finally:
            QApplication.restoreOverrideCursor()
        super().accept()


def offer_move_in(paths: DataPaths, parent: QWidget | None = None) -> MoveInResult | None:
    """On a new data folder, offer to move the old PC's data in; what was moved, if anything."""
    if not is_new_folder(paths):
        return None
    dlg = MoveInDialog(paths=paths, parent=parent)
    if dlg.exec() != QDialog.DialogCode.Accepted or dlg.result_info is None:
        return None
    QMessageBox.information(parent, _("取り込みました"),
                            dlg.result_info.message() + "\n" +
                            _("前の PC と同じ利用者名とパスワードでサインインしてください。"))
    return dlg.result_info
