"""管理 → 利用者: accounts and roles, password resets, the idle-lock time."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.codes import ROLES
from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.services import accounts
from pfdesk.services.context import ServiceContext
from pfdesk.ui.errors import show_error
from pfdesk.ui.security.table import RowsModel
from pfdesk.ui.security.widgets import min_length_hint
from pfdesk.ui.widgets import (
    close_buttons,
    form_footer,
    note_label,
    password_rows,
    table_view,
)

ROLE_HELP = _("管理者: すべて（利用者・設定・監査ログを含む）／ 担当者: 相談・会議・文書 ／ "
              "閲覧者: 会議資料と関係機関のみ（相談者を特定できる情報は見られません）")


def _state(u: accounts.UserInfo) -> str:
    if not u.active:
        return _("利用停止")
    if u.locked_until and u.locked_until > accounts.utcnow():
        return _("ロック中")
    return _("要パスワード変更") if u.must_change_password else _("利用中")


COLUMNS = (
    (_("利用者名"), lambda u: u.login_name),
    (_("氏名"), lambda u: u.display_name),
    (_("権限"), lambda u: u.role_label),
    (_("状態"), _state),
    (_("最終サインイン"), lambda u: u.last_login_at),
)


class UserDialog(QDialog):
    """Add an account (with a first password) or edit its name and role."""

    def __init__(self, *, ctx: ServiceContext, user: accounts.UserInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.setWindowTitle(_("利用者の追加") if user is None else _("利用者の編集"))
        form = QFormLayout(self)
        self.login = QLineEdit(user.login_name if user else "")
        self.login.setPlaceholderText(_("半角英数字（例: tanaka）"))
        self.login.setEnabled(user is None)
        self.name = QLineEdit(user.display_name if user else "")
        self.role = QComboBox()
        for key, label in zip(ROLES.keys(), ROLES.labels(), strict=True):
            self.role.addItem(label, key)
        self.role.setCurrentIndex(max(0, self.role.findData(user.role if user else "staff")))
        form.addRow(_("利用者名"), self.login)
        form.addRow(_("氏名"), self.name)
        form.addRow(_("権限"), self.role)
        form.addRow(note_label(ROLE_HELP))
        self.password: QLineEdit | None = None
        self.confirm: QLineEdit | None = None
        if user is None:
            self.password, self.confirm = password_rows(
                form, _("最初のパスワード"), _("パスワード（確認）"), min_length_hint())
            form.addRow(note_label(_("本人が最初のサインインで自分のパスワードに変更します。")))
        self.error = form_footer(self, form, _("保存"), ok=QDialogButtonBox.StandardButton.Save)

    def accept(self) -> None:
        """Save, or show what is wrong."""
        try:
            if self.user is None:
                assert self.password is not None and self.confirm is not None  # a new user
                accounts.create_user(self.ctx, self.login.text(), self.name.text(),
                                     self.role.currentData(), self.password.text(),
                                     self.confirm.text())
            else:
                accounts.update_user(self.ctx, self.user.id, display_name=self.name.text(),
                                     role=self.role.currentData())
        except KnownError as e:
            self.error.setText(e.user_text())
            return
        super().accept()


class ResetPasswordDialog(QDialog):
    """A new password for someone who forgot theirs (also lifts a lock-out)."""

    def __init__(self, *, ctx: ServiceContext, user: accounts.UserInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.user = ctx, user
        self.setWindowTitle(_("パスワードの再設定"))
        form = QFormLayout(self)
        form.addRow(_("利用者"), QLabel(f"{user.display_name}（{user.login_name}）"))
        self.password, self.confirm = password_rows(
            form, _("新しいパスワード"), _("新しいパスワード（確認）"), min_length_hint())
        form.addRow(note_label(_("ロックも解除されます。本人は次のサインインで変更します。")))
        self.error = form_footer(self, form, _("再設定する"))

    def accept(self) -> None:
        """Reset, or show what is wrong."""
        try:
            accounts.reset_password(self.ctx, self.user.id, self.password.text(),
                                    self.confirm.text())
        except KnownError as e:
            self.error.setText(e.user_text())
            return
        super().accept()


class UsersDialog(QDialog):
    """The list of accounts with add / edit / reset / stop, and the idle-lock time."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("利用者の管理"))
        self.resize(820, 480)
        layout = QVBoxLayout(self)
        layout.addWidget(note_label(ROLE_HELP))
        self.model = RowsModel(COLUMNS, self)
        self.table = table_view(self.model, single=True, resize=QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        for text, slot in ((_("追加…"), self.add), (_("編集…"), self.edit),
                           (_("パスワード再設定…"), self.reset), (_("利用停止…"), self.stop)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(QLabel(_("自動ロックまで")))
        self.idle = QSpinBox()
        self.idle.setRange(1, 120)
        self.idle.setSuffix(_(" 分"))
        row.addWidget(self.idle)
        save_idle = QPushButton(_("保存"))
        save_idle.clicked.connect(self.save_idle)
        row.addWidget(save_idle)
        layout.addLayout(row)
        self.message = QLabel("")
        layout.addWidget(self.message)
        layout.addWidget(close_buttons(self))
        self.refresh()

    def refresh(self) -> None:
        """Reload the accounts."""
        self.model.set_rows(accounts.list_users(self.ctx))
        self.idle.setValue(accounts.idle_lock_minutes(self.ctx))

    def selected(self) -> accounts.UserInfo | None:
        """The account selected in the table (or a hint to select one)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText(_("一覧から利用者を選んでください。"))
            return None
        return self.model.row_at(rows[0].row())

    def add(self) -> None:
        """利用者を追加."""
        if UserDialog(ctx=self.ctx, parent=self).exec():
            self.message.setText(_("利用者を追加しました。"))
            self.refresh()

    def edit(self) -> None:
        """Edit the selected account's name and role."""
        user = self.selected()
        if user and UserDialog(ctx=self.ctx, user=user, parent=self).exec():
            self.message.setText(_("保存しました。"))
            self.refresh()

    def reset(self) -> None:
        """Give the selected account a new password."""
        user = self.selected()
        if user and ResetPasswordDialog(ctx=self.ctx, user=user, parent=self).exec():
            self.message.setText(_("{name} のパスワードを再設定しました。").format(
                name=user.display_name))
            self.refresh()

    def stop(self) -> None:
        """Stop the selected account from signing in."""
        user = self.selected()
        if user is None:
            return
        answer = QMessageBox.question(
            self, _("利用停止"),
            _("{name}（{login}）を利用停止にしますか？\n記録は監査ログに残ります。"
              "再開するときはパスワードを再設定します。").format(
                name=user.display_name, login=user.login_name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            accounts.deactivate_user(self.ctx, user.id)
        except KnownError as e:
            show_error(self, e)
            return
        self.refresh()

    def save_idle(self) -> None:
        """Store the idle-lock minutes."""
        try:
            accounts.set_idle_lock_minutes(self.ctx, self.idle.value())
        except KnownError as e:
            show_error(self, e)
            return
        self.message.setText(_("自動ロックまでの時間を保存しました。"))
