"""パスワードの変更: the signed-in user replaces their own password."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.services.accounts import MIN_PASSWORD, change_own_password
from pfdesk.services.context import ServiceContext
from pfdesk.ui.security.widgets import error_label, note_label, password_edit


class ChangePasswordDialog(QDialog):
    """Current password, new password twice; ``forced`` when an administrator set it."""

    def __init__(self, *, ctx: ServiceContext, forced: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("パスワードの変更"))
        form = QFormLayout(self)
        if forced:
            form.addRow(note_label(_("管理者が設定したパスワードでサインインしました。"
                                     "自分だけが知っているパスワードに変更してください。")))
        form.addRow(_("利用者"), QLabel(ctx.actor.display_name))
        self.old = password_edit()
        self.new = password_edit(_("{n}文字以上").format(n=MIN_PASSWORD))
        self.confirm = password_edit()
        form.addRow(_("現在のパスワード"), self.old)
        form.addRow(_("新しいパスワード"), self.new)
        form.addRow(_("新しいパスワード（確認）"), self.confirm)
        self.error = error_label()
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("変更する"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("キャンセル"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        """Change the password, or say what is wrong and keep what was typed."""
        try:
            change_own_password(self.ctx, self.old.text(), self.new.text(), self.confirm.text())
        except KnownError as e:
            self.error.setText(e.user_text())
            return
        super().accept()
