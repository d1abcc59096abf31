"""Stores open at the newest schema; newer ones are refused; older ones are backed up first."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from pfdesk.core.errors import StoreError
from pfdesk.paths import DataPaths
from pfdesk.store.engine import open_store
from pfdesk.store.migrate import current_revisions, script_heads

SAMPLES = Path(__file__).parent / "samples"


def test_new_store_is_at_head(store):
    assert current_revisions(store.engine) == script_heads()
    con = sqlite3.connect(store.paths.store)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_foreign_keys_are_enforced(store):
    from sqlalchemy.exc import IntegrityError

    from pfdesk.store.models import Post

    with store.session() as s:
        s.add(Post(person_id=999, organization_id=999))
        with pytest.raises(IntegrityError):
            s.commit()


def test_store_from_newer_version_is_refused(data_paths):
    s = open_store(data_paths)
    s.close()
    con = sqlite3.connect(data_paths.store)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    with pytest.raises(StoreError) as e:
        open_store(data_paths)
    assert "新しいバージョン" in e.value.user_text()
    assert str(data_paths.store) in e.value.user_text()
    con = sqlite3.connect(data_paths.store)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "9999_future"
    con.close()


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.sqlite3")), ids=lambda p: p.stem)
def test_each_released_schema_upgrades_with_a_backup(sample, tmp_path):
    root = tmp_path / "old"
    root.mkdir()
    shutil.copy(sample, root / "pfdesk.sqlite3")
    before = sqlite3.connect(root / "pfdesk.sqlite3")
    old_rev = before.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    n_settings = before.execute("SELECT count(*) FROM setting").fetchone()[0]
    before.close()
    store = open_store(DataPaths(root))
    try:
        assert current_revisions(store.engine) == script_heads()
        with store.session() as s:
            from sqlalchemy import func, select

            from pfdesk.store.models import Setting

            assert s.scalar(select(func.count()).select_from(Setting)) == n_settings
    finally:
        store.close()
    if {old_rev} != script_heads():
        backups = list((root / "backups").glob("before-upgrade-*.sqlite3"))
        assert backups, "an older store must be backed up before upgrading"
