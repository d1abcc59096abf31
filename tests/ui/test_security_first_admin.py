"""The first start asks for the administrator; encryption is on by default with the driver."""

from __future__ import annotations

import os

import pytest

from pfdesk.services import accounts
from pfdesk.store import crypto
from pfdesk.ui.security.first_admin import FirstAdminDialog
from pfdesk.ui.security.widgets import RecoveryKeyDialog
from tests.security_helpers import cheap_hashing, fast_kdf  # noqa: F401


def test_first_admin_is_created_and_the_store_encrypted(qtbot, ctx, monkeypatch, fast_kdf):  # noqa: F811
    shown = {}
    monkeypatch.setattr(RecoveryKeyDialog, "exec", lambda self: shown.update(
        key=self.key_label.text(), closable=self.ok.isEnabled()))
    dlg = FirstAdminDialog(ctx=ctx)
    qtbot.addWidget(dlg)
    assert dlg.encrypt.isChecked() == crypto.driver_available()
    if os.environ.get("PFDESK_SCREENSHOTS"):
        dlg.grab().save(os.path.join(os.environ["PFDESK_SCREENSHOTS"], "security-first-admin.png"))
    dlg.login.setText("yamada")
    dlg.name.setText("山田　一郎")
    dlg.password.setText("first-admin-pass")
    dlg.confirm.setText("first-admin-pas")
    dlg.accept()
    assert "一致しません" in dlg.error.text() and not accounts.has_accounts(ctx.store)
    dlg.confirm.setText("first-admin-pass")
    dlg.accept()
    assert dlg.ctx.actor.user_name == "yamada" and dlg.ctx.actor.role == "admin"
    assert crypto.is_encrypted(ctx.store.paths)
    assert shown["key"] == dlg.recovery_key and shown["closable"] is False


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_recovery_key_dialog_closes_only_once_kept(qtbot):
    dlg = RecoveryKeyDialog("ABCD-EFGH")
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.reject()
    assert dlg.isVisible()
    dlg.kept.setChecked(True)
    assert dlg.ok.isEnabled()
    dlg.reject()
    assert not dlg.isVisible()
