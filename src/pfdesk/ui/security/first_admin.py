"""The first administrator: asked at the first start, with encryption on by default."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLineEdit, QWidget

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.services import accounts
from pfdesk.services.context import ServiceContext
from pfdesk.services.encryption import encrypt_store
from pfdesk.store import crypto
from pfdesk.ui.security.widgets import RecoveryKeyDialog, min_length_hint
from pfdesk.ui.widgets import form_footer, note_label, password_rows


class FirstAdminDialog(QDialog):
    """利用者名, 氏名 and password of the administrator; optionally encrypts the store.

    After ``exec()`` succeeds, :attr:`ctx` acts as the new administrator.
    """

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.recovery_key = ""
        self.setWindowTitle(_("管理者の登録"))
        form = QFormLayout(self)
        form.addRow(note_label(_(
            "pfdesk には相談者の個人情報が入ります。はじめに、管理者（あなた）の利用者名と"
            "パスワードを決めてください。ほかの職員の利用者は、あとで 管理 → 利用者 から"
            "追加します。")))
        self.login = QLineEdit()
        self.login.setPlaceholderText(_("半角英数字（例: yamada）"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("例: 山田　一郎"))
        form.addRow(_("利用者名"), self.login)
        form.addRow(_("氏名"), self.name)
        self.password, self.confirm = password_rows(form, _("パスワード"), _("パスワード（確認）"),
                                                    min_length_hint())
        self.encrypt = QCheckBox(_("データを暗号化する（推奨）"))
        available = crypto.driver_available()
        self.encrypt.setChecked(available)
        self.encrypt.setEnabled(available)
        form.addRow(self.encrypt)
        form.addRow(note_label(
            _("暗号化すると、パソコンやバックアップを紛失しても、パスワードか回復キーがなければ"
              "中身を読めません。") if available else
            _("このパソコンには暗号化の部品（SQLCipher）がないため、暗号化できません。")))
        self.error = form_footer(self, form, _("登録する"), _("終了"))

    def accept(self) -> None:
        """Create the administrator, sign in, encrypt if chosen and show the recovery key."""
        try:
            accounts.create_user(self.ctx, self.login.text(), self.name.text(), "admin",
                                 self.password.text(), self.confirm.text())
            actor = accounts.login(self.ctx.store, self.login.text(), self.password.text())
            self.ctx = self.ctx.acting_as(actor)
            if self.encrypt.isChecked():
                self.recovery_key = encrypt_store(self.ctx, actor.user_name,
                                                  self.password.text())
        except KnownError as e:
            self.error.setText(e.user_text())
            return
        if self.recovery_key:
            RecoveryKeyDialog(self.recovery_key, self).exec()
        super().accept()
