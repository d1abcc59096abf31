"""管理 → 暗号化とバックアップ: whether the store is encrypted, converting it, backups."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.services.backup import (
    backup_store,
    check_backup,
    default_backup_path,
    plaintext_backups,
    restore_store,
    shred_plaintext_backups,
)
from pfdesk.services.context import ServiceContext
from pfdesk.services.encryption import (
    encrypt_store,
    encryption_status,
    renew_identity_key,
    renew_recovery_key,
    seal_identities,
)
from pfdesk.ui.errors import show_error
from pfdesk.ui.fit_layouts import FlowLayout
from pfdesk.ui.security.backup_settings import BackupSettingsBox
from pfdesk.ui.security.widgets import RecoveryKeyDialog, show_encryption_status
from pfdesk.ui.tasks import run_in_background
from pfdesk.ui.widgets import (
    ask_save_path,
    close_buttons,
    form_footer,
    note_label,
    password_edit,
)
from pfdesk.ui.window_fit import VerticalScroll


class PasswordPrompt(QDialog):
    """Asks the signed-in administrator for their password before a big step."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("パスワードの確認"))
        form = QFormLayout(self)
        form.addRow(note_label(text))
        self.password = password_edit()
        form.addRow(_("あなたのパスワード"), self.password)
        self.error = form_footer(self, form)


class EncryptionDialog(QDialog):
    """Encryption status with conversion and a new recovery key; backup and restore."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.restored = False
        self.setWindowTitle(_("暗号化とバックアップ"))
        self.resize(680, 640)
        # The three sections scroll inside the dialog on a short screen (150 % scaling).
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        enc = QGroupBox(_("暗号化"))
        enc_layout = QVBoxLayout(enc)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        enc_layout.addWidget(self.status)
        self.missing = note_label("")
        enc_layout.addWidget(self.missing)
        buttons = FlowLayout()  # the four buttons wrap on a narrow screen
        self.encrypt_button = QPushButton(_("データを暗号化する…"))
        self.encrypt_button.clicked.connect(self.encrypt)
        self.renew_button = QPushButton(_("回復キーを作り直す…"))
        self.renew_button.clicked.connect(self.renew)
        self.seal_button = QPushButton(_("本人情報を別の鍵で暗号化する…"))
        self.seal_button.setToolTip(_(
            "氏名・住所・電話・記録の本文などを、本人情報を扱える利用者だけが持つ鍵で暗号化します。"
            "閲覧者のパスワードではアプリの外でも読めなくなります。"))
        self.seal_button.clicked.connect(self.seal)
        buttons.addWidget(self.encrypt_button)
        buttons.addWidget(self.renew_button)
        self.renew_identity_button = QPushButton(_("本人情報の鍵を作り直す…"))
        self.renew_identity_button.setToolTip(_(
            "閲覧者に変えた・利用停止にした利用者が、前の鍵を持ち出したおそれがあるときに使います。"))
        self.renew_identity_button.clicked.connect(self.renew_identity)
        buttons.addWidget(self.seal_button)
        buttons.addWidget(self.renew_identity_button)
        enc_layout.addLayout(buttons)
        self.plain_note = note_label("")
        enc_layout.addWidget(self.plain_note)
        self.shred_button = QPushButton(_("本人情報が守られていないバックアップを完全に削除…"))
        self.shred_button.clicked.connect(self.shred_plain)
        enc_layout.addWidget(self.shred_button)
        layout.addWidget(enc)
        bak = QGroupBox(_("バックアップ"))
        bak_layout = QVBoxLayout(bak)
        bak_layout.addWidget(note_label(_(
            "バックアップは1つの ZIP ファイルです。データが暗号化されていれば、バックアップも"
            "暗号化されます。USB メモリなどに保存し、パソコンとは別の場所に保管してください。")))
        row = QHBoxLayout()
        backup = QPushButton(_("バックアップを作成…"))
        backup.clicked.connect(self.backup)
        restore = QPushButton(_("バックアップから復元…"))
        restore.clicked.connect(self.restore)
        row.addWidget(backup)
        row.addWidget(restore)
        row.addStretch(1)
        bak_layout.addLayout(row)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        bak_layout.addWidget(self.message)
        layout.addWidget(bak)
        self.auto_box = BackupSettingsBox(ctx=ctx, parent=self)
        layout.addWidget(self.auto_box)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(VerticalScroll(body), 1)
        outer.addWidget(close_buttons(self))
        self.refresh()

    def refresh(self) -> None:
        """Show the current status."""
        st = encryption_status(self.ctx)
        show_encryption_status(self.status, st)
        self.missing.setText(
            _("次の利用者はパスワードの再設定が済むまでサインインできません: {names}").format(
                names="、".join(st.users_without_key)) if st.users_without_key else "")
        self.encrypt_button.setEnabled(not st.encrypted and st.driver_available
                                       and self.ctx.actor.user_id is not None)
        self.renew_button.setEnabled(st.encrypted)
        self.seal_button.setVisible(st.encrypted and not st.identities_sealed)
        self.renew_identity_button.setVisible(st.identities_sealed)
        plain = plaintext_backups(self.ctx) if st.encrypted else []
        self.plain_note.setText(_(
            "暗号化する前、または本人情報を別の鍵で暗号化する前に作ったバックアップが {n} 個"
            "あります。パスワードなし、または閲覧者のパスワードで本人情報が読めるため、"
            "完全に削除してください: {files}").format(
                n=len(plain), files="、".join(e.path.name for e in plain)) if plain else "")
        self.plain_note.setVisible(bool(plain))
        self.shred_button.setVisible(bool(plain))

    def encrypt(self) -> None:
        """Ask for the administrator's password, convert, and show the recovery key once."""
        if self._new_recovery_key(_("データを暗号化します。ほかの利用者は、暗号化のあと管理者が"
                                    "パスワードを再設定するまでサインインできません。"),
                                  encrypt_store):
            self.refresh()

    def seal(self) -> None:
        """Seal the identities of a store encrypted earlier; shows the new recovery key once."""
        if self._new_recovery_key(
                _("本人情報（氏名・ふりがな・生年月日・住所・電話・記録の本文など）を、本人情報を"
                  "扱える利用者だけが持つ別の鍵で暗号化します。回復キーは新しくなり、古い回復キー"
                  "では本人情報を開けなくなります。閲覧者の利用者は本人情報を読めなくなります。"),
                lambda ctx, login, password: seal_identities(ctx, login, password).recovery_key):
            self.refresh()

    def renew_identity(self) -> None:
        """Replace the identity key after asking for the administrator's password."""
        prompt = PasswordPrompt(_(
            "本人情報の鍵を新しくし、本人情報をすべてその鍵で暗号化し直します。新しい鍵は、"
            "いま本人情報を扱える利用者と回復キーにだけ渡されます。"), self)
        if not prompt.exec():
            return
        try:
            holders = renew_identity_key(self.ctx, self.ctx.actor.user_name,
                                         prompt.password.text())
        except KnownError as e:
            show_error(self, e)
            return
        self.message.setText(_("本人情報の鍵を作り直しました。新しい鍵を持つ利用者: {names}").format(
            names="、".join(holders)))
        self.refresh()

    def shred_plain(self) -> None:
        """Overwrite and delete the plain backups, after a clear warning (いいえ by default)."""
        plain = plaintext_backups(self.ctx)
        answer = QMessageBox.warning(
            self, _("暗号化していないバックアップの削除"),
            _("次の {n} 個のバックアップを上書きしてから削除します。元に戻せません。\n{files}\n\n"
              "削除してよろしいですか。").format(
                n=len(plain), files="\n".join(str(e.path) for e in plain)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            gone = shred_plaintext_backups(self.ctx)
        except KnownError as e:
            show_error(self, e)
            return
        self.message.setText(_("{n} 個のバックアップを完全に削除しました。").format(n=len(gone)))
        self.refresh()

    def renew(self) -> None:
        """Replace the recovery key."""
        self._new_recovery_key(_("新しい回復キーを作ります。古い回復キーは使えなくなります。"),
                               renew_recovery_key)

    def _new_recovery_key(self, text: str,
                          make: Callable[[ServiceContext, str, str], str]) -> bool:
        """Ask for the password, ``make`` the key and show it once; False when not done."""
        prompt = PasswordPrompt(text, self)
        if not prompt.exec():
            return False
        try:
            key = make(self.ctx, self.ctx.actor.user_name, prompt.password.text())
        except KnownError as e:
            show_error(self, e)
            return False
        RecoveryKeyDialog(key, self).exec()
        return True

    def backup(self) -> None:
        """Write a backup ZIP where the user chooses."""
        suggested = default_backup_path(self.ctx.store.paths)
        path = ask_save_path(self, _("バックアップの保存先"), str(suggested),
                             _("pfdesk バックアップ (*.zip)"), ".zip")
        if not path:
            return
        run_in_background(
            self, lambda: backup_store(self.ctx, path), title=_("バックアップを作成しています…"),
            on_success=lambda info: self.message.setText(
                _("バックアップを作成しました: {p}").format(p=info.path)),
            on_failure=lambda e: show_error(self, e),
        )

    def restore(self) -> None:
        """Replace the data by a backup (after backing up the current data); then quit."""
        path, _f = QFileDialog.getOpenFileName(self, _("復元するバックアップ"),
                                               str(self.ctx.store.paths.backups),
                                               _("pfdesk バックアップ (*.zip)"))
        if not path:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            # The backup is proven (CRCs, integrity_check, schema, counts) before anything changes.
            entry = check_backup(self.ctx, path)
        except KnownError as e:
            QGuiApplication.restoreOverrideCursor()
            show_error(self, e)
            return
        QGuiApplication.restoreOverrideCursor()
        answer = QMessageBox.warning(
            self, _("復元の確認"),
            _("今のデータを、次のバックアップの内容に置き換えます。\n\n"
              "ファイル: {f}\n作成日時: {d:%Y-%m-%d %H:%M}\n中身: {c}\n\n"
              "今のデータは自動でバックアップしてから置き換えます。復元のあと pfdesk を終了するので、"
              "もう一度起動してサインインしてください。").format(
                  f=path, d=entry.created, c=entry.counts_text()),
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Ok:
            return
        try:
            info = restore_store(self.ctx, path)
        except KnownError as e:
            show_error(self, e)
            return
        self.restored = True
        QMessageBox.information(self, _("復元しました"), _(
            "復元しました。復元前のデータは次に保存しました:\n{p}\n\npfdesk を終了します。"
            "もう一度起動してサインインしてください。").format(p=info.safety_backup))
        self.accept()
