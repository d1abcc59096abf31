"""管理 → 暗号化とバックアップ: sealing identities and renewing the identity key from the window.

The store is encrypted as an earlier pfdesk left it (no identity key), then sealed and renewed.
"""

from __future__ import annotations

import os

from pfdesk.services import accounts
from pfdesk.store import crypto
from pfdesk.ui.security.encryption import EncryptionDialog
from tests.security_helpers import cheap_hashing, encrypt_unsealed, fast_kdf  # noqa: F401


def test_seal_then_renew_from_the_dialog(qtbot, demo_ctx, monkeypatch, fast_kdf):  # noqa: F811
    ctx = demo_ctx.acting_as(accounts.login(demo_ctx.store, "demo", "demo"))
    encrypt_unsealed(ctx, "demo", "demo")  # as an earlier pfdesk did it: no identity key yet
    dlg = EncryptionDialog(ctx=ctx)
    qtbot.addWidget(dlg)
    assert not dlg.seal_button.isHidden() and dlg.renew_identity_button.isHidden()
    shown = {}
    monkeypatch.setattr("pfdesk.ui.security.encryption.PasswordPrompt.exec", lambda self: (
        self.password.setText("demo"), True)[1])
    monkeypatch.setattr("pfdesk.ui.security.encryption.RecoveryKeyDialog.exec",
                        lambda self: shown.update(key=self.key_label.text()))
    dlg.seal()
    assert len(shown["key"]) == 39
    assert crypto.KeyFile.load(ctx.store.paths).sealed
    assert "閲覧者のパスワードでは開けません" in dlg.status.text()
    assert dlg.seal_button.isHidden() and not dlg.renew_identity_button.isHidden()
    # The backups made before are named for deletion.
    assert not dlg.shred_button.isHidden() and "本人情報を別の鍵で暗号化する前" in dlg.plain_note.text()
    if os.environ.get("PFDESK_SCREENSHOTS"):
        dlg.grab().save(os.path.join(os.environ["PFDESK_SCREENSHOTS"], "security-sealed.png"))
    dlg.renew_identity()
    assert "作り直しました" in dlg.message.text() and "demo" in dlg.message.text()
