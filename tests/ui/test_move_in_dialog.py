"""The first start on a new PC offers to take the old PC's move archive, or to start afresh."""

from __future__ import annotations

from pfdesk.paths import DataPaths
from pfdesk.services.encryption import encrypt_store
from pfdesk.services.moving import move_out
from pfdesk.store import crypto
from pfdesk.ui.moving.move_in import MoveInDialog, is_new_folder
from tests.security_helpers import PASSWORD, cheap_hashing, fast_kdf, make_user, signed_in  # noqa: F401


def test_a_new_pc_takes_the_old_pcs_data_from_the_dialog(qtbot, demo_ctx, tmp_path):
    archive = move_out(demo_ctx, tmp_path / "移行.zip").path
    new = DataPaths(tmp_path / "新しいPC")
    new.root.mkdir()
    assert is_new_folder(new) and not is_new_folder(demo_ctx.store.paths)
    dlg = MoveInDialog(paths=new)
    qtbot.addWidget(dlg)
    assert not dlg.import_button.isEnabled()
    dlg.choose(str(archive))
    assert "ケース" in dlg.summary.text() and "作成日時" in dlg.summary.text()
    assert dlg.secret_box.isHidden()
    dlg.grab().save(str(tmp_path / "move-in.png"))
    dlg.import_button.click()
    assert dlg.result() == MoveInDialog.DialogCode.Accepted
    assert "改ざんは見つかりませんでした" in dlg.result_info.message()
    assert new.store.exists() and not is_new_folder(new)


def test_an_encrypted_archive_asks_for_the_password_and_says_when_it_is_wrong(
        qtbot, ctx, tmp_path, fast_kdf):  # noqa: F811
    make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    encrypt_store(admin, "yamada", PASSWORD)
    archive = move_out(admin, tmp_path / "m.zip").path
    new = DataPaths(tmp_path / "new")
    new.root.mkdir()
    dlg = MoveInDialog(paths=new)
    qtbot.addWidget(dlg)
    dlg.choose(str(archive))
    assert "暗号化" in dlg.summary.text() and not dlg.secret_box.isHidden()
    dlg.user_edit.setText("yamada")
    dlg.password_edit.setText("wrong-password-1234")
    dlg.import_button.click()
    assert dlg.result() != MoveInDialog.DialogCode.Accepted
    assert "パスワード" in dlg.error.text() and not new.store.exists()
    dlg.password_edit.setText(PASSWORD)
    dlg.import_button.click()
    assert dlg.result() == MoveInDialog.DialogCode.Accepted
    assert crypto.is_encrypted(new)


def test_a_file_that_is_not_a_move_archive_is_named_as_such(qtbot, tmp_path):
    bad = tmp_path / "backup.zip"
    bad.write_bytes(b"not a zip")
    dlg = MoveInDialog(paths=DataPaths(tmp_path / "new"))
    qtbot.addWidget(dlg)
    dlg.choose(str(bad))
    assert "読み込めませんでした" in dlg.error.text() and str(bad) in dlg.error.text()
    assert not dlg.import_button.isEnabled()
