"""管理 → 保存年限 and 暗号化とバックアップ from the window."""

from __future__ import annotations

import os
from datetime import date

from PySide6.QtWidgets import QInputDialog

from pfdesk.services import accounts
from pfdesk.store.models import Case
from pfdesk.ui.security.encryption import EncryptionDialog
from pfdesk.ui.security.retention import RetentionDialog
from pfdesk.ui.settings.page import SettingsPage
from tests.security_helpers import cheap_hashing, fast_kdf  # noqa: F401


def _admin(demo_ctx):
    return demo_ctx.acting_as(accounts.login(demo_ctx.store, "demo", "demo"))


def test_candidates_and_disposal_need_the_typed_word(qtbot, qtmodeltester, demo_ctx, monkeypatch):
    ctx = _admin(demo_ctx)
    with ctx.session() as s:
        s.add(Case(case_number="H30-0001", fiscal_year=2018, serial=1,
                   intake_date=date(2018, 5, 1), family_name="廃棄野", status="closed",
                   closed_on=date(2019, 3, 1)))
        s.commit()
    dlg = RetentionDialog(ctx=ctx)
    qtbot.addWidget(dlg)
    qtmodeltester.check(dlg.model)
    numbers = [dlg.model.row_at(r).case_number for r in range(dlg.model.rowCount())]
    assert "H30-0001" in numbers
    if os.environ.get("PFDESK_SCREENSHOTS"):
        dlg.grab().save(os.path.join(os.environ["PFDESK_SCREENSHOTS"], "security-retention.png"))
    dlg.table.selectRow(numbers.index("H30-0001"))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("はい", True))
    dlg.dispose()
    assert "廃棄しませんでした" in dlg.message.text()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("廃棄", True))
    dlg.dispose()
    assert "H30-0001" in dlg.message.text()
    with ctx.session() as s:
        assert s.query(Case).filter_by(case_number="H30-0001").one().family_name == ""


def test_encryption_status_and_conversion(qtbot, demo_ctx, monkeypatch, fast_kdf):  # noqa: F811
    ctx = _admin(demo_ctx)
    page = SettingsPage(ctx=ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert "暗号化されていません" in page.encryption.text()
    dlg = EncryptionDialog(ctx=ctx)
    qtbot.addWidget(dlg)
    assert dlg.encrypt_button.isEnabled()
    if os.environ.get("PFDESK_SCREENSHOTS"):
        dlg.grab().save(os.path.join(os.environ["PFDESK_SCREENSHOTS"], "security-encryption.png"))
    shown = {}
    monkeypatch.setattr("pfdesk.ui.security.encryption.PasswordPrompt.exec", lambda self: (
        self.password.setText("demo"), True)[1])
    monkeypatch.setattr("pfdesk.ui.security.encryption.RecoveryKeyDialog.exec",
                        lambda self: shown.update(key=self.key_label.text()))
    dlg.encrypt()
    assert len(shown["key"]) == 39 and "暗号化されています" in dlg.status.text()
    assert "demo-staff" in dlg.missing.text()
    page.refresh()
    assert "暗号化されています" in page.encryption.text()
