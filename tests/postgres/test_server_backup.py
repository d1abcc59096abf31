"""Backups of a server store that pfdesk restores (services.server_backup).

The backup is the same verified ZIP as a data file's, its copy encrypted under the
server's file key; restoring replaces every row in one transaction on the server, keeps
the audit log's later entries, and leaves the server untouched when it fails.
"""

from __future__ import annotations

import shutil
import zipfile

import pytest

from pfdesk.core.errors import PermissionDenied
from pfdesk.paths import DataPaths
from pfdesk.services import accounts
from pfdesk.services.audit_log import verify_audit
from pfdesk.services.backup import backup_store, restore_store
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.meetings import agenda, meetings
from pfdesk.store.crypto import is_encrypted_file
from pfdesk.store.pg_copy import table_counts

SECRET = b"%PDF-1.4 minutes kept in the backup"


def _signed_in(store, login="demo", password="demo") -> ServiceContext:
    return ServiceContext(store=store, actor=accounts.login(store, login, password))


def _first_item(ctx) -> int:
    meeting = meetings.list_meetings(ctx, fy=2026)[0]
    return agenda.list_agenda(ctx, meeting.id)[0].id


def test_a_server_backup_restores_the_server_as_it_was(demo_store, tmp_path):
    admin = _signed_in(demo_store)
    pdf = tmp_path / "資料.pdf"
    pdf.write_bytes(SECRET)
    material = agenda.attach_file(admin, _first_item(admin), pdf, title="資料")
    info = backup_store(admin, tmp_path / "server.zip")
    assert info.encrypted
    with zipfile.ZipFile(info.path) as z:
        z.extract("pfdesk.sqlite3", tmp_path / "look")
        raw = b"".join(z.read(n) for n in z.namelist())
    assert is_encrypted_file(tmp_path / "look" / "pfdesk.sqlite3")
    assert SECRET not in raw
    before = table_counts(demo_store.engine)

    accounts.create_user(admin, "later", "後から", "staff", "a-password-123", "a-password-123")
    assert table_counts(demo_store.engine)["user_account"] == before["user_account"] + 1
    done = restore_store(admin, info.path)
    assert done.safety_backup.is_file()
    after = table_counts(demo_store.engine)
    assert after["user_account"] == before["user_account"]  # the later account is gone
    assert after["audit_event"] > before["audit_event"]  # the later entries carried over
    assert verify_audit(admin).ok
    # The files come back with the rows, and still open.
    shutil.rmtree(demo_store.paths.attachments)
    assert agenda.material_path(admin, material).read_bytes() == SECRET


def test_a_failed_restore_leaves_the_server_untouched(demo_store, tmp_path, monkeypatch):
    from pfdesk.services import server_backup

    admin = _signed_in(demo_store)
    info = backup_store(admin, tmp_path / "server.zip")
    accounts.create_user(admin, "kept", "残る", "staff", "a-password-123", "a-password-123")
    before = table_counts(demo_store.engine)

    def broken(*_a, **_k):
        raise OSError("the line dropped half-way")

    monkeypatch.setattr(server_backup, "_keep_file_keys", lambda value: broken)
    with pytest.raises(OSError):
        restore_store(admin, info.path)
    assert table_counts(demo_store.engine)["user_account"] == before["user_account"]
    assert accounts.login(demo_store, "kept", "a-password-123").user_name == "kept"


def test_a_data_files_backup_moves_into_the_server(demo_store, demo_template, tmp_path):
    from pfdesk.store.engine import open_store

    town = tmp_path / "town"
    shutil.copytree(demo_template, town)
    file_store = open_store(DataPaths(town))
    try:
        local = ServiceContext(store=file_store, actor=Actor.local_admin())
        pdf = tmp_path / "町の資料.pdf"
        pdf.write_bytes(SECRET)
        material = agenda.attach_file(local, _first_item(local), pdf, title="町の資料")
        plain = backup_store(local, tmp_path / "file.zip")
    finally:
        file_store.close()
    admin = _signed_in(demo_store)
    restore_store(admin, plain.path)
    shutil.rmtree(demo_store.paths.attachments, ignore_errors=True)
    assert agenda.material_path(admin, material).read_bytes() == SECRET
    with demo_store.engine.connect() as conn:
        from sqlalchemy import text

        blobs = [bytes(b) for (b,) in conn.execute(text("SELECT data FROM attachment_blob"))]
    assert blobs and all(SECRET not in b for b in blobs)


def test_backups_need_the_permission_and_a_signed_in_user(demo_store, tmp_path):
    viewer = _signed_in(demo_store, "demo-viewer")
    with pytest.raises(PermissionDenied):
        backup_store(viewer, tmp_path / "x.zip")
    from pfdesk.core.errors import KnownError

    nobody = ServiceContext(store=demo_store, actor=Actor.local_admin())
    demo_store.server_file_key = None
    with pytest.raises(KnownError, match="サインイン"):
        backup_store(nobody, tmp_path / "y.zip")
    assert not (tmp_path / "y.zip").exists()


def test_the_backup_screen_backs_the_server_up(qtbot, demo_store, tmp_path, monkeypatch):
    from pfdesk.ui.security import encryption as screen
    from pfdesk.ui.tasks import wait_for_all

    admin = _signed_in(demo_store)
    target = tmp_path / "画面から.zip"
    monkeypatch.setattr(screen, "ask_save_path", lambda *a, **k: str(target))
    dialog = screen.EncryptionDialog(ctx=admin)
    qtbot.addWidget(dialog)
    assert "添付ファイルは利用者のパスワードで開く鍵で暗号化" in dialog.status.text()
    dialog.backup()
    wait_for_all()
    qtbot.waitUntil(lambda: "バックアップを作成しました" in dialog.message.text(), timeout=30000)
    assert target.is_file()


@pytest.mark.slow
def test_a_restore_killed_half_way_leaves_the_server_as_it_was(pg_cluster, demo_store, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    import psycopg

    admin = _signed_in(demo_store)
    info = backup_store(admin, tmp_path / "server.zip")
    accounts.create_user(admin, "kept", "残る", "staff", "a-password-123", "a-password-123")
    before = table_counts(demo_store.engine)
    url = demo_store.engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "PFDESK_PASSWORD": "demo", "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "pfdesk", "--data-dir", str(tmp_path / "pc"), "--database-url",
         url, "--user", "demo", "restore", str(info.path), "--yes"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    db = demo_store.engine.url.database
    seen = False
    with psycopg.connect(host=str(pg_cluster.socket_dir), dbname=db, user="pfdesk",
                         autocommit=True) as watch:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            rows = watch.execute(
                "SELECT query FROM pg_stat_activity WHERE datname = %s AND pid <> "
                "pg_backend_pid() AND query ILIKE 'INSERT INTO contact (%%'", (db,)).fetchall()
            if rows:  # every old row is deleted and the copy is half-way: kill it now
                os.kill(proc.pid, signal.SIGKILL)
                seen = True
                break
            time.sleep(0.005)
    proc.wait(timeout=30)
    assert seen, proc.stderr.read().decode() if proc.stderr else ""
    time.sleep(0.5)  # the server notices the dropped connection and rolls back
    assert table_counts(demo_store.engine) == {
        **before, "audit_event": table_counts(demo_store.engine)["audit_event"]}
    assert accounts.login(demo_store, "kept", "a-password-123").user_name == "kept"
    assert verify_audit(admin).ok
