"""The login dialog (plain and encrypted stores, demo hint) and the idle lock."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit

from pfdesk.services import accounts
from pfdesk.services.encryption import encrypt_store
from pfdesk.ui.lock import IdleLock
from pfdesk.ui.login import LoginDialog, RecoveryDialog
from pfdesk.ui.main_window import MainWindow
from tests.security_helpers import PASSWORD, cheap_hashing, fast_kdf, make_user, signed_in  # noqa: F401

SHOTS = os.environ.get("PFDESK_SCREENSHOTS")
# Showing a top-level window offscreen makes Qt note a harmless plugin limitation.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _shot(widget, name):
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"security-{name}.png"))


def test_demo_store_shows_the_demo_account_and_signs_in(qtbot, demo_store):
    dlg = LoginDialog(paths=demo_store.paths, store=demo_store, demo=True)
    qtbot.addWidget(dlg)
    dlg.show()
    assert "demo" in dlg.demo_hint.text() and "デモ" in dlg.demo_hint.text()
    assert dlg.login.text() == "demo"
    _shot(dlg, "login-demo")
    dlg.password.setText("wrong")
    dlg.accept()
    assert "パスワードが違います" in dlg.error.text() and dlg.actor is None
    assert dlg.password.text() == ""
    dlg.password.setText("demo")
    dlg.accept()
    assert dlg.actor.user_name == "demo" and dlg.result() == LoginDialog.DialogCode.Accepted


def test_encrypted_store_opens_from_the_dialog(qtbot, ctx, fast_kdf):  # noqa: F811
    make_user(ctx, "yamada", "admin")
    recovery = encrypt_store(signed_in(ctx, "yamada"), "yamada", PASSWORD)
    paths = ctx.store.paths
    ctx.store.close()
    dlg = LoginDialog(paths=paths, store=None)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.login.text() == "yamada"  # the only account is filled in
    assert not dlg.demo_hint
    _shot(dlg, "login-encrypted")
    dlg.password.setText(PASSWORD)
    dlg.accept()
    assert dlg.store is not None and dlg.store.key is not None
    dlg.store.close()
    rec = RecoveryDialog(paths=paths)
    qtbot.addWidget(rec)
    rec.key.setText(recovery)
    rec.login.setText("yamada")
    rec.password.setText("brand-new-pass")
    rec.confirm.setText("brand-new-pass")
    rec.accept()
    assert rec.store is not None
    rec.store.close()
    assert accounts.unlock_store_key(paths, "yamada", "brand-new-pass")


@pytest.fixture
def staff_window(qtbot, demo_ctx):
    staff = demo_ctx.acting_as(accounts.login(demo_ctx.store, "demo-staff", "demo"))
    window = MainWindow(ctx=staff)
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


def test_idle_lock_hides_the_content_until_the_password(qtbot, staff_window):
    window = staff_window
    lock: IdleLock = window.security.idle_lock
    assert lock.enabled and lock.minutes == 10
    content = window.centralWidget()
    lock.check(now=lock.last_activity + 9 * 60)
    assert not lock.is_locked
    lock.check(now=lock.last_activity + 10 * 60 + 1)
    assert lock.is_locked
    assert window.centralWidget() is lock.screen and content.parent() is None
    assert not window.menuBar().isEnabled()
    texts = " ".join(w.text() for w in window.findChildren(QLabel))
    assert "みどり川町" not in texts  # the home page's greeting is gone from the window
    qtbot.wait(20)
    _shot(window, "lock")
    lock.screen.password.setText("wrong")
    lock.screen.try_unlock()
    assert lock.is_locked and "違います" in lock.screen.error.text()
    lock.screen.password.setText("demo")
    lock.screen.try_unlock()
    assert not lock.is_locked and window.centralWidget() is content


def test_lock_covers_open_dialogs_without_closing_them(qtbot, staff_window):
    from PySide6.QtWidgets import QDialog

    dlg = QDialog(staff_window)
    edit = QLineEdit("書きかけのメモ", dlg)
    dlg.show()
    staff_window.security.idle_lock.lock()
    assert dlg.isVisible() and edit.text() == "書きかけのメモ"
    # the note behind the cover cannot be reached: typing the password must not land in it
    assert not edit.isEnabled()
    covers = staff_window.security.idle_lock._covers
    assert covers and covers[0].parent() is dlg
    covers[0].password.setText("demo")
    covers[0].try_unlock()
    assert not staff_window.security.idle_lock.is_locked and dlg.isVisible()
    assert edit.isEnabled() and edit.text() == "書きかけのメモ"


def test_menus_follow_the_role(qtbot, demo_ctx):
    viewer = demo_ctx.acting_as(accounts.login(demo_ctx.store, "demo-viewer", "demo"))
    window = MainWindow(ctx=viewer)
    qtbot.addWidget(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert "管理(&M)" in menus
    sec = window.security
    assert not sec.actions["users"].isEnabled() and not sec.actions["audit"].isEnabled()
    assert sec.lock_action.isEnabled() and sec.password_action.isEnabled()
    admin = demo_ctx.acting_as(accounts.login(demo_ctx.store, "demo", "demo"))
    window2 = MainWindow(ctx=admin)
    qtbot.addWidget(window2)
    assert all(a.isEnabled() for a in window2.security.actions.values())


def test_no_lock_without_an_account(qtbot, ctx):
    window = MainWindow(ctx=ctx)
    qtbot.addWidget(window)
    lock = window.security.idle_lock
    assert not lock.enabled
    lock.check(now=lock.last_activity + 3600)
    assert not lock.is_locked and not window.security.lock_action.isEnabled()
