"""新しい PC へ移す: write the whole data folder into one archive, with the steps on the new PC."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.moving import MoveOutInfo, move_out
from pfdesk.services.moving.service import default_move_name
from pfdesk.ui.errors import show_error
from pfdesk.ui.tasks import run_in_background
from pfdesk.ui.widgets import ask_save_path, close_buttons, insert_actions, menu_of, note_label

if TYPE_CHECKING:
    from pfdesk.ui.main_window import MainWindow

#: The permissions moving out needs (administrators only).
NEEDED = (Permission.BACKUP, Permission.SETTINGS_WRITE, Permission.AUDIT_READ)


class MoveOutDialog(QDialog):
    """Explains what moves, asks where to write the archive, and says what to do next."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None,
                 ask_path: Callable[[QWidget, str], str] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._ask_path = ask_path or (lambda w, default: ask_save_path(
            w, _("移行用ファイルの保存先"), default, _("pfdesk 移行用ファイル (*.zip)"), ".zip"))
        self.setWindowTitle(_("新しい PC へ移す"))
        encrypted = ctx.store.key is not None
        layout = QVBoxLayout(self)
        layout.addWidget(note_label(_(
            "データファイル・添付ファイル・取り込みの対応表・バックアップの設定・監査ログ・鍵を、"
            "1つのファイルにまとめます。USB メモリなどで新しい PC へ運んでください。")))
        layout.addWidget(note_label(
            _("データは暗号化されているため、移行用ファイルも暗号化されます。新しい PC では"
              "利用者のパスワードか回復キーで開きます。") if encrypted else
            _("データは暗号化されていません。移行用ファイルには個人情報がそのまま入るため、"
              "運んだ後は USB メモリから消してください。")))
        steps = QLabel(_(
            "新しい PC では:\n"
            "  1. pfdesk をインストールして起動する\n"
            "  2. 「pfdesk のはじめかた」で移行用ファイルを選び、「取り込む」を押す\n"
            "     （コマンドでは  pfdesk move-in 移行用ファイル）\n"
            "  3. 前の PC と同じ利用者名とパスワードでサインインする\n"
            "取り込むときに中身をすべて検査し、監査ログのつながりを確かめます。"))
        steps.setWordWrap(True)
        layout.addWidget(steps)
        self.make_button = QPushButton(_("移行用ファイルを作る…"))
        self.make_button.setEnabled(all(ctx.actor.can(p) for p in NEEDED))
        self.make_button.clicked.connect(self.make)
        layout.addWidget(self.make_button)
        if not self.make_button.isEnabled():
            layout.addWidget(note_label(_("移行用ファイルを作れるのは管理者だけです。")))
        self.result_label = QLabel("")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result_label)
        layout.addWidget(close_buttons(self))
        self.info: MoveOutInfo | None = None

    def make(self) -> None:
        """Ask where, then write and check the archive in the background."""
        path = self._ask_path(self, default_move_name())
        if not path:
            return
        self.make_button.setEnabled(False)
        run_in_background(self, lambda: move_out(self.ctx, path),
                          title=_("移行用ファイルを作成しています…"),
                          on_success=self._done, on_failure=self._failed)

    def _done(self, info: MoveOutInfo) -> None:
        self.info = info
        self.result_label.setText(info.message())
        self.make_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.make_button.setEnabled(True)
        show_error(self, exc)


def install_moving(window: MainWindow) -> QAction:
    """Add ファイル → 新しい PC へ移す… just before 終了."""
    file_menu = menu_of(window.menuBar().actions()[0])
    last = file_menu.actions()[-1] if file_menu.actions() else None
    action = QAction(_("新しい PC へ移す(&M)…"), window)
    action.setObjectName("move_out_action")
    ctx = window.ctx
    action.setEnabled(all(ctx.actor.can(p) for p in NEEDED))
    action.triggered.connect(lambda: MoveOutDialog(ctx=window.ctx,
                                                   parent=window).exec())
    insert_actions(file_menu, last, (action,))
    return action
