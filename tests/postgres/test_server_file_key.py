"""Attachments on a server are encrypted under a file key only pfdesk users hold.

The key is made at the first sign-in, wrapped in the database for each user's key pair
(services.server_files): the server's tables and each PC's attachments folder hold only
ciphertext, every signed-in user opens the files, and a copy back into a data file
writes them plain for that file.
"""

from __future__ import annotations

import psycopg
import pytest

from pfdesk.core.errors import FileProblem
from pfdesk.paths import DataPaths
from pfdesk.services import accounts
from pfdesk.services.context import ServiceContext
from pfdesk.services.meetings import agenda, meetings
from pfdesk.store.attachment_files import MAGIC
from pfdesk.store.pg import open_server_store

SECRET = b"%PDF-1.4 sensitive minutes of the support meeting"


def _first_item(ctx) -> int:
    meeting = meetings.list_meetings(ctx, fy=2026)[0]
    return agenda.list_agenda(ctx, meeting.id)[0].id


def _server_blobs(cluster, db) -> list[bytes]:
    with psycopg.connect(host=str(cluster.socket_dir), dbname=db, user="pfdesk") as conn:
        return [bytes(d) for (d,) in conn.execute("SELECT data FROM attachment_blob")]


def _signed_in(store, login: str, password: str = "demo") -> ServiceContext:
    return ServiceContext(store=store, actor=accounts.login(store, login, password))


def test_files_are_ciphertext_on_the_server_and_open_on_every_pc(pg_cluster, demo_store,
                                                                  tmp_path):
    db = demo_store.engine.url.database
    admin = _signed_in(demo_store, "demo")
    assert demo_store.file_key is not None  # made at the first sign-in
    pdf = tmp_path / "資料.pdf"
    pdf.write_bytes(SECRET)
    material = agenda.attach_file(admin, _first_item(admin), pdf, title="資料")
    blobs = _server_blobs(pg_cluster, db)
    assert blobs and all(b.startswith(MAGIC) and SECRET not in b for b in blobs)
    local = list((demo_store.paths.attachments).iterdir())
    assert local and all(SECRET not in p.read_bytes() for p in local)
    assert agenda.material_path(admin, material).read_bytes() == SECRET

    # Another PC: the staff member's first sign-in makes their key pair; the key is
    # granted by the next sign-in of a holder (here the administrator), then it opens.
    pc2 = open_server_store(DataPaths(tmp_path / "pc2"), demo_store.engine.url)
    try:
        staff = _signed_in(pc2, "demo-staff")
        assert pc2.file_key is None
        assert any("添付ファイルの鍵" in n for n in pc2.notices)
        with pytest.raises(FileProblem):
            agenda.material_path(staff, material)
        _signed_in(demo_store, "demo")
        staff = _signed_in(pc2, "demo-staff")
        assert pc2.file_key == demo_store.file_key
        assert agenda.material_path(staff, material).read_bytes() == SECRET
        stored = list((tmp_path / "pc2" / "attachments").iterdir())
        assert stored and all(SECRET not in p.read_bytes() for p in stored)
    finally:
        pc2.close()


def test_files_kept_plain_before_the_key_are_encrypted_at_the_first_sign_in(
        pg_cluster, demo_store, tmp_path):
    from pfdesk.services.context import Actor

    db = demo_store.engine.url.database
    unsigned = ServiceContext(store=demo_store, actor=Actor.local_admin())
    pdf = tmp_path / "古い資料.pdf"
    pdf.write_bytes(SECRET)
    material = agenda.attach_file(unsigned, _first_item(unsigned), pdf, title="古い資料")
    assert any(SECRET in b for b in _server_blobs(pg_cluster, db))  # as an older pfdesk did
    admin = _signed_in(demo_store, "demo")
    assert all(SECRET not in b for b in _server_blobs(pg_cluster, db))
    assert all(SECRET not in p.read_bytes() for p in demo_store.paths.attachments.iterdir())
    assert agenda.material_path(admin, material).read_bytes() == SECRET


def test_a_new_user_and_a_new_password_get_the_key_at_once(demo_store, tmp_path):
    admin = _signed_in(demo_store, "demo")
    pdf = tmp_path / "資料.pdf"
    pdf.write_bytes(SECRET)
    material = agenda.attach_file(admin, _first_item(admin), pdf, title="資料")
    info = accounts.create_user(admin, "yamada", "山田", "staff", "first-password-123",
                                "first-password-123")
    pc2 = open_server_store(DataPaths(tmp_path / "pc2"), demo_store.engine.url)
    try:
        yamada = _signed_in(pc2, "yamada", "first-password-123")
        assert agenda.material_path(yamada, material).read_bytes() == SECRET
        accounts.reset_password(admin, info.id, "second-password-456", "second-password-456")
        yamada = _signed_in(pc2, "yamada", "second-password-456")
        assert agenda.material_path(yamada, material).read_bytes() == SECRET
    finally:
        pc2.close()


def test_a_copy_back_into_a_data_file_has_plain_files(pg_cluster, demo_store, tmp_path):
    from pfdesk.services.shared_store import copy_to_folder
    from pfdesk.store.engine import open_store

    admin = _signed_in(demo_store, "demo")
    pdf = tmp_path / "資料.pdf"
    pdf.write_bytes(SECRET)
    material = agenda.attach_file(admin, _first_item(admin), pdf, title="資料")
    copy_to_folder(admin, tmp_path / "back")
    back = open_store(DataPaths(tmp_path / "back"))
    try:
        from pfdesk.services.context import Actor

        ctx = ServiceContext(store=back, actor=Actor.local_admin())
        assert agenda.material_path(ctx, material).read_bytes() == SECRET
        from pfdesk.services.settings import read_setting

        with back.session() as s:
            assert read_setting(s, "server.file_keys") is None  # no server key in a file
    finally:
        back.close()


def _every_holder_lost_the_password(store) -> None:
    """Only the recovery key's grant of the file key is left."""
    from pfdesk.store import server_keys
    from pfdesk.store.crypto import RECOVERY

    with store.session() as s:
        kf = server_keys.load(s)
        kf.identity["grants"] = {RECOVERY: kf.identity["grants"][RECOVERY]}
        server_keys.save(s, kf)
        s.commit()


def test_the_recovery_key_hands_the_files_back_when_every_holder_lost_the_key(
        demo_store, tmp_path, capsys, monkeypatch):
    from pfdesk.__main__ import main
    from pfdesk.core.errors import KnownError
    from pfdesk.services.shared_store import (
        has_files_recovery_key,
        make_files_recovery_key,
        recover_files_key,
    )

    _signed_in(demo_store, "demo")  # makes the key
    _signed_in(demo_store, "demo-staff")  # a key pair, granted by the next holder
    admin = _signed_in(demo_store, "demo")
    pdf = tmp_path / "資料.pdf"
    pdf.write_bytes(SECRET)
    material = agenda.attach_file(admin, _first_item(admin), pdf, title="資料")
    assert not has_files_recovery_key(admin)
    first = make_files_recovery_key(admin)
    recovery = make_files_recovery_key(admin)  # made again: the first one stops working
    assert has_files_recovery_key(admin) and first != recovery

    _every_holder_lost_the_password(demo_store)
    pc2 = open_server_store(DataPaths(tmp_path / "pc2"), demo_store.engine.url)
    try:
        admin = _signed_in(pc2, "demo")
        assert pc2.file_key is None  # no new key either: the files stay the old key's
        with pytest.raises(FileProblem):
            agenda.material_path(admin, material)
        for wrong in (first, "AAAA-BBBB-CCCC"):
            with pytest.raises(KnownError) as caught:
                recover_files_key(admin, wrong)
            assert "回復キーが違います" in caught.value.user_text()
        recover_files_key(admin, recovery.lower().replace("-", " "))  # as typed from paper
        assert agenda.material_path(admin, material).read_bytes() == SECRET
        staff = _signed_in(pc2, "demo-staff")  # granted along with the administrator
        assert agenda.material_path(staff, material).read_bytes() == SECRET
    finally:
        pc2.close()

    # The same from the command line, signed in as the administrator.
    monkeypatch.setenv("PFDESK_DATABASE_URL",
                       demo_store.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("PFDESK_PASSWORD", "demo")
    folder = str(tmp_path / "pc3")
    assert main(["--data-dir", folder, "--user", "demo", "server", "recovery-key"]) == 0
    printed = capsys.readouterr().out.strip().splitlines()[-1]
    assert printed != recovery
    monkeypatch.setenv("PFDESK_FILES_RECOVERY_KEY", recovery)  # the old one no longer works
    assert main(["--data-dir", folder, "--user", "demo", "server", "recover-files"]) == 2
    assert "回復キーが違います" in capsys.readouterr().err
    monkeypatch.setenv("PFDESK_FILES_RECOVERY_KEY", printed)
    assert main(["--data-dir", folder, "--user", "demo", "server", "recover-files"]) == 0
    assert "添付ファイルの鍵を" in capsys.readouterr().out


def test_settings_make_the_recovery_key_and_take_the_key_back_with_it(
        qtbot, demo_store, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from pfdesk.ui.security import widgets
    from pfdesk.ui.settings.database import DatabaseBox

    admin = _signed_in(demo_store, "demo")
    pdf = tmp_path / "資料.pdf"
    pdf.write_bytes(SECRET)
    material = agenda.attach_file(admin, _first_item(admin), pdf, title="資料")
    shown: list[tuple[str, str]] = []

    def record(self):
        shown.append((self.key_label.text(), self.findChild(widgets.QLabel).text()))
        return 1

    monkeypatch.setattr(widgets.RecoveryKeyDialog, "exec", record)
    box = DatabaseBox(ctx=admin)
    qtbot.addWidget(box)
    assert box.files_row.isVisibleTo(box)
    assert "回復キー: まだ作っていません" in box.files_state.text()
    assert not box.recover_button.isEnabled()  # this sign-in holds the key
    box.recovery_button.click()
    key, text = shown[0]
    assert "添付ファイルの回復キーを作りました" in text and "会議の資料" in text
    assert "回復キー: 作成済み" in box.files_state.text()
    assert box.recovery_button.text() == "添付ファイルの回復キーを作り直す…"

    _every_holder_lost_the_password(demo_store)
    pc2 = open_server_store(DataPaths(tmp_path / "pc2"), demo_store.engine.url)
    try:
        other = _signed_in(pc2, "demo")
        box = DatabaseBox(ctx=other)
        qtbot.addWidget(box)
        assert "添付ファイルの鍵: まだ渡されていません" in box.files_state.text()
        assert box.recover_button.isEnabled() and not box.recovery_button.isEnabled()
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("ZZZZ-ZZZZ", True))
        box.recover_button.click()
        assert "回復キーが違います" in box.message.text()
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (key, True))
        box.recover_button.click()
        assert "添付ファイルの鍵を受け取りました" in box.message.text()
        assert agenda.material_path(other, material).read_bytes() == SECRET
        assert "添付ファイルの鍵: あり" in box.files_state.text()
    finally:
        pc2.close()
