"""設定 → 共有データベース: the PostgreSQL server several PCs share (administrators only).

Host, port, database and user are kept per user on this PC; the password in the OS
keyring. "接続を確かめる" connects once; "保存" takes effect at the next start. Also
the password dialog the window shows at start when the server asks for one.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.shared_store import (
    check_server,
    has_files_recovery_key,
    install_server_roles,
    make_files_recovery_key,
    recover_files_key,
    save_shared_store,
    shared_store_state,
)
from pfdesk.store.url import DEFAULT_PORT, ServerSettings


class DatabaseBox(QWidget):
    """Where the records live: this PC's file, or a shared PostgreSQL server."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("共有データベース（PostgreSQL）")))
        self.in_use = QLabel("")
        self.in_use.setWordWrap(True)
        layout.addWidget(self.in_use)
        self.use_server = QCheckBox(_("複数のパソコンで共有するデータベースのサーバーを使う"))
        layout.addWidget(self.use_server)
        form = QFormLayout()
        self.host = QLineEdit()
        self.host.setPlaceholderText(_("例: db.town.lg.jp"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit()
        self.database.setPlaceholderText("pfdesk")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("変更するときだけ入力"))
        form.addRow(_("サーバー"), self.host)
        form.addRow(_("ポート"), self.port)
        form.addRow(_("データベース名"), self.database)
        form.addRow(_("利用者名"), self.user)
        form.addRow(_("パスワード"), self.password)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.check_button = QPushButton(_("接続を確かめる"))
        self.check_button.clicked.connect(self.check)
        self.save_button = QPushButton(_("共有データベースの設定を保存"))
        self.save_button.clicked.connect(self.save)
        # On a server: the database roles that keep identities from a 閲覧者 (store.pg_roles).
        self.roles_button = QPushButton(_("閲覧者の役割をサーバーに設定"))
        self.roles_button.setToolTip(_(
            "閲覧者としてサインインした人には、サーバーが氏名・住所・記録の本文などを"
            "渡さないようにします（pfdesk server roles と同じ）。"))
        self.roles_button.clicked.connect(self.install_roles)
        row.addWidget(self.roles_button)
        row.addStretch(1)
        row.addWidget(self.check_button)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.roles_button.setVisible(ctx.store.is_server)
        # On a server: the attachments' file key, opened again by a recovery key kept on paper.
        files = QHBoxLayout()
        self.files_state = QLabel("")
        self.files_state.setWordWrap(True)
        self.recovery_button = QPushButton(_("添付ファイルの回復キーを作る…"))
        self.recovery_button.clicked.connect(self.make_recovery_key)
        self.recover_button = QPushButton(_("回復キーで添付ファイルの鍵を受け取る…"))
        self.recover_button.clicked.connect(self.recover_files)
        files.addWidget(self.files_state, 1)
        files.addWidget(self.recovery_button)
        files.addWidget(self.recover_button)
        self.files_row = QWidget()
        self.files_row.setLayout(files)
        files.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.files_row)
        self.files_row.setVisible(ctx.store.is_server)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.use_server.toggled.connect(self._enable)
        admin = ctx.actor.can(Permission.USER_ADMIN)
        for w in (self.use_server, self.check_button, self.save_button, self.roles_button,
                  self.recovery_button, self.recover_button):
            w.setEnabled(admin)
        if not admin:
            self.message.setText(_("共有データベースの設定は管理者が行います。"))
        self.refresh()

    def _fields(self) -> list[QWidget]:
        return [self.host, self.port, self.database, self.user, self.password]

    def _enable(self) -> None:
        on = self.use_server.isChecked() and self.ctx.actor.can(Permission.USER_ADMIN)
        for w in self._fields():
            w.setEnabled(on)
        self.check_button.setEnabled(on)

    def refresh(self) -> None:
        """Show the saved server and what this session uses."""
        state = shared_store_state(self.ctx)
        if state.in_use:
            self.in_use.setText(_("いま使っているデータ: サーバー {server}").format(
                server=state.in_use))
        else:
            self.in_use.setText(_("いま使っているデータ: このパソコンのデータファイル"))
        saved = state.saved
        self.use_server.setChecked(saved is not None)
        if saved is not None:
            self.host.setText(saved.host)
            self.port.setValue(saved.port)
            self.database.setText(saved.database)
            self.user.setText(saved.user)
            self.password.setPlaceholderText(
                _("保存済み（変更するときだけ入力）") if state.password_saved
                else _("未保存"))
        if state.keyring_problem:
            self.message.setText(state.keyring_problem)
        self._enable()
        if self.ctx.store.is_server:
            self._show_files_key()

    def _show_files_key(self) -> None:
        """Whether this sign-in holds the attachments' key and a recovery key exists."""
        admin = self.ctx.actor.can(Permission.USER_ADMIN)
        held = self.ctx.store.server_file_key is not None
        made = admin and has_files_recovery_key(self.ctx)
        self.files_state.setText(
            (_("添付ファイルの鍵: あり") if held else _("添付ファイルの鍵: まだ渡されていません"))
            + "　" + (_("回復キー: 作成済み") if made else _("回復キー: まだ作っていません")))
        self.recovery_button.setText(_("添付ファイルの回復キーを作り直す…") if made
                                     else _("添付ファイルの回復キーを作る…"))
        self.recovery_button.setEnabled(admin and held)
        self.recover_button.setEnabled(admin and not held)

    def make_recovery_key(self) -> None:
        """Make the attachments' recovery key and show it once."""
        from pfdesk.ui.security.widgets import RecoveryKeyDialog

        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        if has_files_recovery_key(self.ctx) and QMessageBox.question(
                self, _("添付ファイルの回復キー"),
                _("回復キーを作り直すと、いま保管している回復キーは使えなくなります。"
                  "作り直しますか？"), buttons,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        try:
            key = make_files_recovery_key(self.ctx)
        except KnownError as e:
            self.message.setText(e.user_text())
            return
        RecoveryKeyDialog(key, parent=self, message=_(
            "添付ファイルの回復キーを作りました。次の英数字を印刷するか紙に書き写し、金庫など"
            "安全な場所に保管してください。\n鍵を持つ利用者が全員パスワードを忘れたとき、"
            "この回復キーがないと会議の資料のファイルは二度と開けません。"
            "この画面を閉じると、もう表示できません。")).exec()
        self.message.setText(_("添付ファイルの回復キーを作りました。"))
        self._show_files_key()

    def recover_files(self) -> None:
        """Receive the attachments' key with the recovery key kept on paper."""
        text, ok = QInputDialog.getText(
            self, _("添付ファイルの鍵を受け取る"),
            _("保管している添付ファイルの回復キーを入力してください。"),
            QLineEdit.EchoMode.Password)
        if not ok or not text.strip():
            return
        try:
            recover_files_key(self.ctx, text)
        except KnownError as e:
            self.message.setText(e.user_text())
            return
        self.message.setText(_("添付ファイルの鍵を受け取りました。会議の資料のファイルを開けます。"
                               "ほかの利用者には、次にサインインしたときに渡ります。"))
        self._show_files_key()

    def settings(self) -> ServerSettings:
        """What the fields say."""
        return ServerSettings(host=self.host.text(), database=self.database.text(),
                              user=self.user.text(), port=self.port.value())

    def check(self) -> None:
        """Connect once and say what pfdesk would find on the server."""
        try:
            found = check_server(self.ctx, self.settings(), self.password.text())
        except KnownError as e:
            self.message.setText(e.user_text())
            return
        self.message.setText(found.describe())

    def install_roles(self) -> None:
        """Create or renew the server's roles and the 閲覧者's limited views."""
        try:
            tables = install_server_roles(self.ctx)
        except KnownError as e:
            self.message.setText(e.user_text())
            return
        self.message.setText(_(
            "設定しました。閲覧者には、{count}個の表の本人情報をサーバーが渡しません。"
            "閲覧者だけが使うパソコンには、閲覧者用のデータベース利用者"
            "（pfdesk server add-login 名前 --role viewer）を設定してください。").format(
                count=len(tables)))

    def save(self) -> None:
        """Keep the server (or the local file) for the next start."""
        chosen = self.settings() if self.use_server.isChecked() else None
        try:
            note = save_shared_store(self.ctx, chosen, self.password.text())
        except ValidationError as e:
            self.message.setText(e.user_text())
            return
        self.password.clear()
        said = (_("保存しました。次に pfdesk を起動したときから、サーバー {server} の"
                  "データを使います。").format(server=chosen.describe()) if chosen
                else _("保存しました。次に pfdesk を起動したときから、このパソコンの"
                       "データファイルを使います。"))
        self.refresh()
        self.message.setText("\n".join(filter(None, (said, note))))


def ask_database_password(prompt: str) -> str | None:
    """The password dialog at start, when the server asks for one not saved (None: cancel)."""
    text, ok = QInputDialog.getText(None, _("データベースのパスワード"), prompt,
                                    QLineEdit.EchoMode.Password)
    return text if ok and text else None
