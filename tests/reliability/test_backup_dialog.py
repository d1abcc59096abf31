"""管理 → 暗号化とバックアップ: automatic backup settings, and a restore that shows what it holds."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox

from pfdesk.services.backup import backup_settings, backup_store
from pfdesk.services.settings import Municipality, get_municipality, save_municipality
from pfdesk.ui.security.encryption import EncryptionDialog


def test_settings_are_saved_and_a_missing_second_folder_is_refused(ctx, qtbot, monkeypatch,
                                                                   tmp_path):
    dlg = EncryptionDialog(ctx=ctx)
    qtbot.addWidget(dlg)
    box = dlg.auto_box
    assert "まだバックアップはありません" in box.latest.text()
    box.daily.setValue(10)
    box.monthly.setValue(24)
    usb = tmp_path / "usb"
    usb.mkdir()
    box.second.setText(str(usb))
    assert box.save()
    saved = backup_settings(ctx)
    assert (saved.daily, saved.weekly, saved.monthly, saved.second_folder) == (10, 4, 24, str(usb))
    errors = []
    monkeypatch.setattr("pfdesk.ui.security.backup_settings.show_error",
                        lambda parent, e: errors.append(e.user_text()))
    box.second.setText(str(tmp_path / "外れたUSB"))
    assert not box.save()
    assert "見つかりません" in errors[0]
    assert backup_settings(ctx).second_folder == str(usb)


def test_restore_shows_date_and_counts_before_replacing(demo_ctx, qtbot, monkeypatch, tmp_path):
    save_municipality(demo_ctx, Municipality(name="いの町", secretariat="ほけん福祉課"))
    info = backup_store(demo_ctx, tmp_path / "b.zip")
    save_municipality(demo_ctx, Municipality(name="別の町", secretariat="ほけん福祉課"))
    dlg = EncryptionDialog(ctx=demo_ctx)
    qtbot.addWidget(dlg)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(info.path), ""))
    asked = []

    def cancel(parent, title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "warning", cancel)
    dlg.restore()
    assert f"ケース {info.counts['cases']}件" in asked[0] and "作成日時" in asked[0]
    assert get_municipality(demo_ctx).name == "別の町"  # cancelled: nothing changed
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    dlg.restore()
    assert dlg.restored and get_municipality(demo_ctx).name == "いの町"


def test_a_damaged_backup_is_refused_before_the_question(demo_ctx, qtbot, monkeypatch, tmp_path):
    info = backup_store(demo_ctx, tmp_path / "b.zip")
    data = bytearray(info.path.read_bytes())
    for i in range(4096, 8192):
        data[i] ^= 0xFF
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(data))
    dlg = EncryptionDialog(ctx=demo_ctx)
    qtbot.addWidget(dlg)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    errors, asked = [], []
    monkeypatch.setattr("pfdesk.ui.security.encryption.show_error",
                        lambda parent, e: errors.append(e.user_text()))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: asked.append(a))
    dlg.restore()
    assert errors and not asked and not dlg.restored


def test_the_window_backs_up_at_the_first_start_of_the_day_and_on_close(ctx, qtbot, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from pfdesk.ui import auto_backup
    from pfdesk.ui.tasks import wait_for_all

    monkeypatch.setattr(auto_backup, "DAILY_DELAY_MS", 0)
    window = QWidget()
    qtbot.addWidget(window)
    backups = ctx.store.paths.backups
    assert auto_backup.schedule_daily(window, ctx)
    qtbot.waitUntil(lambda: len(list(backups.glob("pfdesk-auto-*.zip"))) == 1, timeout=20_000)
    wait_for_all()
    assert not auto_backup.schedule_daily(window, ctx)  # once a day
    auto_backup.on_close(ctx)
    from pfdesk.services.audit_log import search_audit

    reasons = [e for e in search_audit(ctx).entries if e.action == "backup.auto"]
    assert len(reasons) == 2
    # Same day: rotation keeps the newest of the day only.
    assert len(list(backups.glob("pfdesk-auto-*.zip"))) == 1


def test_a_viewer_sees_the_dialog_without_the_backup_settings(ctx, qtbot):
    from pfdesk.services.context import Actor

    viewer = ctx.acting_as(Actor("mieru", "閲覧 さん", "viewer"))
    dlg = EncryptionDialog(ctx=viewer)
    qtbot.addWidget(dlg)
    assert not dlg.auto_box.isEnabled()
