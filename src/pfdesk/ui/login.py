"""サインイン: the dialog at start, which on an encrypted store also unlocks the data."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.paths import DataPaths
from pfdesk.services import accounts
from pfdesk.services.context import Actor
from pfdesk.store import crypto
from pfdesk.store.engine import Store, open_store
from pfdesk.ui.widgets import form_footer, note_label, password_edit, password_rows, title_label


class LoginDialog(QDialog):
    """利用者名 and パスワード. On success :attr:`store` is open and :attr:`actor` signed in.

    ``store`` is None for an encrypted store: the password unwraps its key first.
    """

    def __init__(self, *, paths: DataPaths, store: Store | None, demo: bool = False,
                 user: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths, self.store = paths, store
        self.actor: Actor | None = None
        self.setWindowTitle(_("pfdesk にサインイン"))
        form = QFormLayout(self)
        form.addRow(title_label(_("pfdesk にサインイン"), 1.4))
        if store is None:
            form.addRow(note_label(_("このデータは暗号化されています。サインインすると開きます。")))
        self.demo_hint = None
        if demo:
            self.demo_hint = QLabel(_("デモの町です（架空のデータ）。\n"
                                      "デモ管理者  利用者名: demo ／ パスワード: demo"))
            self.demo_hint.setStyleSheet(
                "color: white; background: #c0392b; padding: 6px; font-weight: bold;")
            form.addRow(self.demo_hint)
        self.login = QLineEdit()
        self.password = password_edit()
        form.addRow(_("利用者名"), self.login)
        form.addRow(_("パスワード"), self.password)
        names = crypto.KeyFile.load(paths).users if store is None else []
        if user:
            self.login.setText(user)
        elif demo:
            self.login.setText(accounts.DEMO_LOGIN)
        elif len(names) == 1:
            self.login.setText(names[0])
        (self.password if self.login.text() else self.login).setFocus()
        self.error = form_footer(self, form, _("サインイン"), _("終了"))
        if store is None:
            self.recover_button = QPushButton(_("パスワードを忘れたとき（回復キーで開く）…"))
            self.recover_button.setFlat(True)
            self.recover_button.clicked.connect(self.recover)
            form.addRow(self.recover_button)

    def accept(self) -> None:
        """Sign in, or show why not and keep the dialog open."""
        name, password = self.login.text().strip(), self.password.text()
        try:
            store = self.store
            if store is None:
                key = accounts.unlock_store_key(self.paths, name, password)
                store = open_store(self.paths, key=key)
            try:
                self.actor = accounts.login(store, name, password)
            except BaseException:
                if self.store is None:
                    store.close()
                raise
        except KnownError as e:
            self.error.setText(e.user_text())
            self.password.clear()
            self.password.setFocus()
            return
        self.store = store
        super().accept()

    def recover(self) -> None:
        """Open with the recovery key and set a new administrator password."""
        dlg = RecoveryDialog(paths=self.paths, parent=self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.store is not None:
            dlg.store.close()
            self.login.setText(dlg.login.text().strip())
            self.error.setText(_("新しいパスワードでサインインしてください。"))
            self.password.setFocus()


class RecoveryDialog(QDialog):
    """回復キー + the administrator's 利用者名 + a new password."""

    def __init__(self, *, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.store: Store | None = None
        self.setWindowTitle(_("回復キーで開く"))
        form = QFormLayout(self)
        form.addRow(note_label(_("設定時に印刷した回復キーを入力し、管理者の新しいパスワードを"
                                 "決めてください。")))
        self.key = QLineEdit()
        self.key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.login = QLineEdit()
        form.addRow(_("回復キー"), self.key)
        form.addRow(_("管理者の利用者名"), self.login)
        self.password, self.confirm = password_rows(form, _("新しいパスワード"),
                                                    _("新しいパスワード（確認）"))
        self.error = form_footer(self, form, _("開く"))

    def accept(self) -> None:
        """Unlock with the recovery key and reset the password."""
        try:
            self.store = accounts.recover_with_key(self.paths, self.key.text(), self.login.text(),
                                                   self.password.text(), self.confirm.text())
        except KnownError as e:
            self.error.setText(e.user_text())
            return
        super().accept()


def sign_in(
    paths: DataPaths, store: Store | None, *, demo: bool, user: str | None = None
) -> tuple[Store, Actor] | None:
    """Show the login dialog; the open store and the signed-in user, or None when cancelled."""
    dlg = LoginDialog(paths=paths, store=store, demo=demo, user=user)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    assert dlg.store is not None and dlg.actor is not None  # set before accepting
    return dlg.store, dlg.actor
