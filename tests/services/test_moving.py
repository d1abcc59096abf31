"""Moving to a new PC: the whole data folder out in one archive, proven and restored in."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from pfdesk.core.errors import KnownError, PermissionDenied, StoreError
from pfdesk.paths import DataPaths
from pfdesk.services.audit_log import search_audit, verify_audit
from pfdesk.services.consultations.export import export_contacts as export_consultations
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.directory.io import export_contacts as export_directory
from pfdesk.services.encryption import encrypt_store
from pfdesk.services.moving import move_in, move_out
from pfdesk.services.settings import Municipality, get_municipality, save_municipality
from pfdesk.store import crypto
from pfdesk.store.backups import BackupSettings, load_settings, save_settings
from pfdesk.store.engine import open_store
from tests.security_helpers import PASSWORD, cheap_hashing, fast_kdf, make_user, signed_in  # noqa: F401


def _exports(ctx: ServiceContext, folder: Path) -> dict[str, bytes]:
    folder.mkdir()
    export_consultations(ctx, folder / "相談.csv")
    export_directory(ctx, folder / "名簿.csv")
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_demo_town_moved_out_and_in_gives_identical_exports_and_a_verifying_log(
        demo_ctx, tmp_path):
    paths = demo_ctx.store.paths
    (paths.attachments / "資料1_実態把握.pdf").write_bytes(b"%PDF-1.4 town survey")
    (paths.mappings / "民生委員名簿.json").write_text('{"氏名": "name"}', encoding="utf-8")
    save_settings(paths, BackupSettings(daily=3, weekly=2, monthly=6))
    before = _exports(demo_ctx, tmp_path / "before")

    info = move_out(demo_ctx, tmp_path / "引っ越し.zip")
    assert info.path.exists() and info.attachments == 1 and not info.encrypted
    assert "move-in" in info.message()

    new = DataPaths(tmp_path / "新しいPC")
    result = move_in(new, info.path)
    assert result.counts == info.counts and result.attachments == 1
    assert (new.attachments / "資料1_実態把握.pdf").read_bytes() == b"%PDF-1.4 town survey"
    assert json.loads((new.mappings / "民生委員名簿.json").read_text(encoding="utf-8")) == {
        "氏名": "name"}
    assert load_settings(new) == BackupSettings(daily=3, weekly=2, monthly=6)
    store = open_store(new)
    try:
        moved = ServiceContext(store=store, actor=Actor.local_admin())
        assert _exports(moved, tmp_path / "after") == before
        check = verify_audit(moved)
        assert check.ok and not check.head_missing, check.message()
        actions = [e.action for e in search_audit(moved).entries if ".move." in e.action]
        assert actions == ["restore.move.import", "backup.move.export"]  # newest first
    finally:
        store.close()


def test_an_encrypted_store_moves_encrypted_and_opens_with_the_password(
        ctx, tmp_path, fast_kdf):  # noqa: F811
    make_user(ctx, "yamada", "admin")
    admin = signed_in(ctx, "yamada")
    save_municipality(admin, Municipality(name="秘密の町", secretariat="保健福祉課"))
    encrypt_store(admin, "yamada", PASSWORD)
    (ctx.store.paths.attachments / "ケース会議.pdf").write_bytes(b"%PDF secret-attachment")
    info = move_out(admin, tmp_path)
    assert info.encrypted and info.path.name.startswith("pfdesk-move-")
    raw = info.path.read_bytes()
    with zipfile.ZipFile(info.path) as z:
        z.extractall(tmp_path / "x")
    assert "秘密の町".encode() not in (tmp_path / "x" / "pfdesk.sqlite3").read_bytes()
    assert b"secret-attachment" not in (tmp_path / "x" / "files.zip.enc").read_bytes()
    assert b"secret-attachment" not in raw and "ケース会議".encode() not in raw

    new = DataPaths(tmp_path / "new")
    with pytest.raises(KnownError, match="パスワード"):
        move_in(new, info.path, user="yamada", password="wrong-password-1234")
    assert not new.store.exists()
    result = move_in(new, info.path, user="yamada", password=PASSWORD)
    assert result.encrypted
    assert crypto.is_encrypted(new)
    from pfdesk.services.accounts import unlock_store_key

    key = unlock_store_key(new, "yamada", PASSWORD)
    assert _attachment(new, key, "ケース会議.pdf") == b"%PDF secret-attachment"
    store = open_store(new, key=key)
    try:
        moved = ServiceContext(store=store, actor=Actor.local_admin())
        assert get_municipality(moved).name == "秘密の町"
        assert verify_audit(moved).ok
    finally:
        store.close()


def _attachment(paths: DataPaths, key: bytes, name: str) -> bytes:
    """An attachment's bytes as pfdesk reads them (attachments may be encrypted at rest)."""
    data = (paths.attachments / name).read_bytes()
    try:
        from pfdesk.store import attachment_files
    except ImportError:
        return data
    return attachment_files.unseal(data, key)


def _rewrite_member(archive: Path, out: Path, member: str, change) -> None:
    """A copy of ``archive`` with ``member`` changed and the manifest's digest updated."""
    import hashlib

    with zipfile.ZipFile(archive) as z:
        items = {n: z.read(n) for n in z.namelist()}
    items[member] = change(items[member])
    manifest = json.loads(items["move.json"])
    manifest["sha256"][member] = hashlib.sha256(items[member]).hexdigest()
    items["move.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(out, "w") as z:
        for n, data in items.items():
            z.writestr(n, data)


def test_an_archive_with_an_altered_audit_entry_is_refused_and_nothing_is_written(
        demo_ctx, tmp_path):
    info = move_out(demo_ctx, tmp_path / "m.zip")

    def forge(db_bytes: bytes) -> bytes:
        f = tmp_path / "forge.sqlite3"
        f.write_bytes(db_bytes)
        con = sqlite3.connect(f)
        con.execute("UPDATE audit_event SET user_name = 'someone-else' WHERE id = 1")
        con.commit()
        con.close()
        return f.read_bytes()

    _rewrite_member(info.path, tmp_path / "forged.zip", "pfdesk.sqlite3", forge)
    new = DataPaths(tmp_path / "new")
    with pytest.raises(StoreError, match="監査ログを検証できませんでした"):
        move_in(new, tmp_path / "forged.zip")
    assert not new.store.exists() and not new.attachments.exists()


def test_a_damaged_archive_or_a_folder_in_use_is_refused_with_a_clear_message(
        demo_ctx, ctx, tmp_path):
    info = move_out(demo_ctx, tmp_path / "m.zip")
    with zipfile.ZipFile(info.path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    items["files.zip"] = items["files.zip"] + b"x"
    with zipfile.ZipFile(tmp_path / "bad.zip", "w") as z:
        for n, data in items.items():
            z.writestr(n, data)
    with pytest.raises(StoreError, match="files.zip.*一致しません"):
        move_in(DataPaths(tmp_path / "new"), tmp_path / "bad.zip")
    with pytest.raises(KnownError, match="すでに pfdesk のデータがある"):
        move_in(ctx.store.paths, info.path)
    backup_like = tmp_path / "b.zip"
    with zipfile.ZipFile(backup_like, "w") as z:
        z.writestr("pfdesk.sqlite3", b"x")
    with pytest.raises(KnownError, match="移行用ファイルではありません"):
        move_in(DataPaths(tmp_path / "new2"), backup_like)


def test_only_an_administrator_moves_the_data_out(demo_ctx, tmp_path):
    staff = demo_ctx.acting_as(Actor("sato", "佐藤", "staff"))
    with pytest.raises(PermissionDenied):
        move_out(staff, tmp_path / "m.zip")
    assert not (tmp_path / "m.zip").exists()
