"""The security entries of the main window's menus, and its idle lock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services import accounts
from pfdesk.ui.lock import IdleLock
from pfdesk.ui.widgets import insert_actions, menu_of

if TYPE_CHECKING:
    from pfdesk.ui.main_window import MainWindow


class SecurityMenu:
    """ファイル → ロック / パスワードの変更, and 管理 → 利用者 / 監査ログ / 保存年限 / 暗号化."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        ctx = window.ctx
        signed_in = ctx.actor.user_id is not None
        self.idle_lock = IdleLock(window, ctx=ctx, minutes=accounts.idle_lock_minutes(ctx))
        file_menu = menu_of(window.menuBar().actions()[0])
        first = file_menu.actions()[0] if file_menu.actions() else None
        self.lock_action = QAction(_("ロック(&L)"), window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setEnabled(signed_in)
        self.lock_action.triggered.connect(self.idle_lock.lock)
        self.password_action = QAction(_("パスワードの変更(&P)…"), window)
        self.password_action.setEnabled(signed_in)
        self.password_action.triggered.connect(self.change_password)
        insert_actions(file_menu, first, (self.lock_action, self.password_action))
        # 管理 sits just before ヘルプ, the last menu.
        self.admin_menu = QMenu(_("管理(&M)"), window)
        window.menuBar().insertMenu(window.menuBar().actions()[-1], self.admin_menu)
        self.actions: dict[str, QAction] = {}
        for key, label, permission, slot in (
            ("users", _("利用者(&U)…"), Permission.USER_ADMIN, self.users),
            ("audit", _("監査ログ(&A)…"), Permission.AUDIT_READ, self.audit),
            ("retention", _("保存年限(&R)…"), Permission.RETENTION, self.retention),
            ("encryption", _("暗号化とバックアップ(&E)…"), Permission.SETTINGS_READ,
             self.encryption),
        ):
            action = QAction(label, window)
            action.setEnabled(ctx.actor.can(permission))
            action.triggered.connect(slot)
            self.admin_menu.addAction(action)
            self.actions[key] = action

    def change_password(self) -> None:
        """Open パスワードの変更."""
        from pfdesk.ui.security.password import ChangePasswordDialog

        ChangePasswordDialog(ctx=self.window.ctx, parent=self.window).exec()

    def users(self) -> None:
        """Open 利用者の管理."""
        from pfdesk.ui.security.users import UsersDialog

        UsersDialog(ctx=self.window.ctx, parent=self.window).exec()
        self.idle_lock.minutes = accounts.idle_lock_minutes(self.window.ctx)

    def audit(self) -> None:
        """Open 監査ログ."""
        from pfdesk.ui.security.audit_viewer import AuditDialog

        AuditDialog(ctx=self.window.ctx, parent=self.window).exec()

    def retention(self) -> None:
        """Open 保存年限と廃棄."""
        from pfdesk.ui.security.retention import RetentionDialog

        RetentionDialog(ctx=self.window.ctx, parent=self.window).exec()

    def encryption(self) -> None:
        """Open 暗号化とバックアップ; after a restore the window closes."""
        from pfdesk.ui.security.encryption import EncryptionDialog

        dlg = EncryptionDialog(ctx=self.window.ctx, parent=self.window)
        dlg.exec()
        if dlg.restored:
            self.window.close()


def install_security(window: MainWindow) -> SecurityMenu:
    """Add the security menus and idle lock to ``window`` (which has ``ctx``)."""
    return SecurityMenu(window)
