"""管理 → 利用者: the list, adding a user, resetting a password, the idle-lock time."""

from __future__ import annotations

import os

from pfdesk.services import accounts
from pfdesk.ui.security.password import ChangePasswordDialog
from pfdesk.ui.security.users import ResetPasswordDialog, UserDialog, UsersDialog
from tests.security_helpers import cheap_hashing  # noqa: F401


def _admin(demo_ctx):
    return demo_ctx.acting_as(accounts.login(demo_ctx.store, "demo", "demo"))


def test_users_dialog_lists_adds_and_resets(qtbot, qtmodeltester, demo_ctx):
    ctx = _admin(demo_ctx)
    dlg = UsersDialog(ctx=ctx)
    qtbot.addWidget(dlg)
    qtmodeltester.check(dlg.model)
    names = [dlg.model.row_at(r).login_name for r in range(dlg.model.rowCount())]
    assert names == ["demo", "demo-staff", "demo-viewer"]
    assert dlg.model.index(0, 2).data() == "管理者"
    add = UserDialog(ctx=ctx, parent=dlg)
    add.login.setText("tanaka")
    add.name.setText("田中　花子")
    add.role.setCurrentIndex(add.role.findData("viewer"))
    add.password.setText("short")
    add.confirm.setText("short")
    add.accept()
    assert "12文字以上" in add.error.text()
    add.password.setText("kumo-hashi-minato-1")
    add.confirm.setText("kumo-hashi-minato-1")
    add.accept()
    assert add.result() == UserDialog.DialogCode.Accepted
    dlg.refresh()
    row = next(r for r in range(dlg.model.rowCount()) if dlg.model.row_at(r).login_name == "tanaka")
    assert dlg.model.index(row, 2).data() == "閲覧者"
    assert dlg.model.index(row, 3).data() == "要パスワード変更"
    reset = ResetPasswordDialog(ctx=ctx, user=dlg.model.row_at(row), parent=dlg)
    reset.password.setText("kumo-hashi-minato-2")
    reset.confirm.setText("kumo-hashi-minato-2")
    reset.accept()
    assert accounts.login(ctx.store, "tanaka", "kumo-hashi-minato-2").role == "viewer"
    dlg.idle.setValue(5)
    dlg.save_idle()
    assert accounts.idle_lock_minutes(ctx) == 5
    if os.environ.get("PFDESK_SCREENSHOTS"):
        dlg.grab().save(os.path.join(os.environ["PFDESK_SCREENSHOTS"], "security-users.png"))
        add.grab().save(os.path.join(os.environ["PFDESK_SCREENSHOTS"], "security-user-add.png"))


def test_change_own_password_dialog(qtbot, demo_ctx):
    ctx = demo_ctx.acting_as(accounts.login(demo_ctx.store, "demo-staff", "demo"))
    dlg = ChangePasswordDialog(ctx=ctx, forced=True)
    qtbot.addWidget(dlg)
    dlg.old.setText("demo")
    dlg.new.setText("new-staff-pass")
    dlg.confirm.setText("other-staff-pass")
    dlg.accept()
    assert "一致しません" in dlg.error.text()
    dlg.confirm.setText("new-staff-pass")
    dlg.accept()
    assert dlg.result() == ChangePasswordDialog.DialogCode.Accepted
    assert accounts.login(ctx.store, "demo-staff", "new-staff-pass").role == "staff"
