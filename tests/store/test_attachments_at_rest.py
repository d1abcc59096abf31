"""Attached files of an encrypted store are encrypted too: the folder and the backups give nothing away."""

from __future__ import annotations

import zipfile

import pytest
from sqlalchemy import select

from pfdesk.services import accounts
from pfdesk.services.backup import backup_store, plaintext_backups, shred_plaintext_backups
from pfdesk.services.encryption import encrypt_store
from pfdesk.services.meetings import agenda
from pfdesk.store import attachment_files
from pfdesk.store.models import AgendaItem, Material
from tests.security_helpers import cheap_hashing, fast_kdf  # noqa: F401

SECRET = "添付秘密太郎の生活歴".encode()


def _item(ctx) -> int:
    with ctx.session() as s:
        return s.scalars(select(AgendaItem.id).where(AgendaItem.case_id.is_(None))).first()


def _attach(ctx, tmp_path, name="経過.csv") -> int:
    src = tmp_path / name
    src.write_bytes("項目,内容\n".encode() + SECRET + b"\n")
    agenda.attach_file(ctx, _item(ctx), src, title="参考")
    with ctx.session() as s:
        return s.scalars(select(Material.id).order_by(Material.id.desc())).first()


def _plain_anywhere(root) -> list[str]:
    hits = []
    for f in root.rglob("*"):
        if f.is_file() and SECRET in f.read_bytes():
            hits.append(str(f.relative_to(root)))
        if f.suffix == ".zip":
            with zipfile.ZipFile(f) as z:
                hits += [f"{f.name}:{n}" for n in z.namelist() if SECRET in z.read(n)]
    return hits


@pytest.fixture
def admin(demo_ctx, fast_kdf):  # noqa: F811
    return demo_ctx.acting_as(accounts.login(demo_ctx.store, "demo", "demo"))


def test_files_attached_before_and_after_encrypting_are_unreadable_outside(admin, tmp_path):
    before = _attach(admin, tmp_path)
    encrypt_store(admin, "demo", "demo")
    after = _attach(admin, tmp_path, "追加.csv")
    backup_store(admin, tmp_path / "out" / "b.zip")
    backup_store(admin)  # and one in the data folder's backups
    # The verified backup taken just before encrypting is plain: listed, offered, shredded.
    plain = plaintext_backups(admin)
    assert [e.path.name[:15] for e in plain] == ["before-encrypt-"]
    assert all(e.path.name in h for e in plain for h in _plain_anywhere(admin.store.paths.root))
    gone = shred_plaintext_backups(admin)
    assert gone == [e.path for e in plain] and not any(p.exists() for p in gone)
    assert plaintext_backups(admin) == []
    assert _plain_anywhere(admin.store.paths.root) == []
    assert _plain_anywhere(tmp_path / "out") == []
    # pfdesk itself still opens them, through a private copy that goes at close.
    for mid in (before, after):
        copy = agenda.material_path(admin, mid)
        assert SECRET in copy.read_bytes()
        assert copy.name.endswith(".csv") and attachment_files.OPEN_FOLDER in str(copy)
    admin.store.close()
    assert not (admin.store.paths.root / attachment_files.OPEN_FOLDER).exists()


def test_a_conversion_killed_half_way_is_finished_at_the_next_opening(admin, tmp_path):
    _attach(admin, tmp_path)
    encrypt_store(admin, "demo", "demo")
    shred_plaintext_backups(admin)
    folder = admin.store.paths.attachments
    [stored] = [f for f in folder.iterdir() if f.suffix == ".csv"]
    sealed = stored.read_bytes()
    # As a kill would leave it: the plain original moved aside, the sealed copy not yet in.
    (folder / f".~{stored.name}.sealed").write_bytes(sealed)
    stored.rename(folder / f".~{stored.name}.plain")
    (folder / f".~{stored.name}.plain").write_bytes("項目,内容\n".encode() + SECRET + b"\n")
    key, paths = admin.store.key, admin.store.paths
    admin.store.close()
    from pfdesk.store.engine import open_store

    store = open_store(paths, key=key)
    store.close()
    assert stored.read_bytes() == sealed
    assert _plain_anywhere(paths.root) == []
    assert sorted(f.name for f in folder.iterdir() if f.name.startswith(".~")) == []


def test_after_encrypting_no_demo_identity_is_readable_anywhere_in_the_folder(admin, tmp_path):
    from pfdesk.store.models import Case

    with admin.session() as s:
        names = {f"{c.family_name}{c.given_name}".encode() for c in s.scalars(select(Case))}
        phones = {c.phone.encode() for c in s.scalars(select(Case)) if c.phone}
    _attach(admin, tmp_path)
    encrypt_store(admin, "demo", "demo")
    shred_plaintext_backups(admin)
    backup_store(admin)
    copy = agenda.material_path(admin, _attach(admin, tmp_path, "後.csv"))  # a viewer's copy
    assert copy.exists()
    admin.store.close()  # ... removed at close
    found = []
    for f in admin.store.paths.root.rglob("*"):
        if not f.is_file():
            continue
        data = f.read_bytes()
        blobs = [data]
        if f.suffix == ".zip":
            with zipfile.ZipFile(f) as z:
                blobs += [z.read(n) for n in z.namelist()]
        found += [f.name for b in blobs for secret in names | phones if secret in b]
    assert found == []
    assert len(names) > 250  # distinct demo names (some repeat)
