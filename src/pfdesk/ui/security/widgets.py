"""Security pieces used in several places.

The password length hint, the encryption status line, CSV export and the recovery key.

Password fields, error and note lines used across areas live in :mod:`pfdesk.ui.widgets`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.services.accounts import MIN_PASSWORD
from pfdesk.services.encryption import EncryptionStatus
from pfdesk.ui.errors import show_error
from pfdesk.ui.widgets import ask_save_path


def min_length_hint() -> str:
    """The placeholder of a new password field: how long it must be."""
    return _("{n}文字以上").format(n=MIN_PASSWORD)


def show_encryption_status(label: QLabel, status: EncryptionStatus) -> None:
    """The one-line encryption summary in bold: green when encrypted, red when not."""
    label.setText(status.summary())
    if status.on_server:  # the server's to protect: neither a success nor a warning here
        label.setStyleSheet("font-weight: bold;")
        return
    label.setStyleSheet("font-weight: bold; color: %s;"
                        % ("#1e7e34" if status.encrypted else "#b00020"))


def export_csv(parent: QWidget, title: str, default: str, write: Callable[[str], int],
               report: QLabel) -> None:
    """Ask for a CSV file, ``write`` it (returns the row count) and say so in ``report``."""
    path = ask_save_path(parent, title, default, _("CSV ファイル (*.csv)"), ".csv")
    if not path:
        return
    try:
        n = write(path)
    except KnownError as e:
        show_error(parent, e)
        return
    report.setText(_("{n} 件を書き出しました: {path}").format(n=n, path=path))


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once; closes only after the user confirms it is kept safe."""

    def __init__(self, recovery_key: str, parent: QWidget | None = None, *,
                 message: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("回復キー（一度だけ表示します）"))
        layout = QVBoxLayout(self)
        text = QLabel(message or _(
            "データを暗号化しました。次の回復キーを印刷するか紙に書き写し、金庫など安全な場所に"
            "保管してください。\n全員がパスワードを忘れたとき、この回復キーがないとデータは"
            "二度と開けません。この画面を閉じると、もう表示できません。"))
        text.setWordWrap(True)
        layout.addWidget(text)
        self.key_label = QLabel(recovery_key)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(self.font().pointSizeF() * 1.6)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setStyleSheet("padding: 12px; border: 2px solid #444; background: #fff;")
        self.key_label.setTextInteractionFlags(self.key_label.textInteractionFlags()
                                               | self.key_label.textInteractionFlags().
                                               TextSelectableByMouse)
        layout.addWidget(self.key_label)
        copy = QPushButton(_("クリップボードにコピー"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(recovery_key))
        layout.addWidget(copy)
        self.kept = QCheckBox(_("回復キーを書き写した（印刷した）ので、安全な場所に保管します"))
        layout.addWidget(self.kept)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("閉じる"))
        self.ok.setEnabled(False)
        self.kept.toggled.connect(self.ok.setEnabled)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def reject(self) -> None:
        """Escape does not close it before the key is kept."""
        if self.kept.isChecked():
            super().reject()
