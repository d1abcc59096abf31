"""パスワードの変更: the signed-in user replaces their own password."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QWidget

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.services.accounts import change_own_password
from pfdesk.services.context import ServiceContext
from pfdesk.ui.security.widgets import min_length_hint
from pfdesk.ui.widgets import form_footer, note_label, password_edit, password_rows


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
        form.addRow(_("現在のパスワード"), self.old)
        self.new, self.confirm = password_rows(form, _("新しいパスワード"),
                                               _("新しいパスワード（確認）"), min_length_hint())
        self.error = form_footer(self, form, _("変更する"))

    def accept(self) -> None:
        """Change the password, or say what is wrong and keep what was typed."""
        try:
            change_own_password(self.ctx, self.old.text(), self.new.text(), self.confirm.text())
        except KnownError as e:
            self.error.setText(e.user_text())
            return
        super().accept()
