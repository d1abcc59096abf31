"""A full disk and a read-only folder under the store: a Japanese message, nothing lost.

These use a real small file system (tmpfs) mounted for the test; where mounting is
not allowed (not root) they are skipped with the reason.
"""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from pfdesk.core.errors import KnownError, StoreError
from pfdesk.paths import DataPaths
from pfdesk.services.audit_log import verify_audit
from pfdesk.services.consultations import cases
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.store.engine import open_store
from pfdesk.store.models import Case


def _mount(point: Path, size: str) -> None:
    point.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here ({done.stderr.strip()})")


@pytest.fixture
def small_disk(tmp_path):
    point = tmp_path / "disk"
    _mount(point, "3m")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


def _new(ctx, i: int):
    return cases.create_case(ctx, CaseInput(intake_date=date(2026, 6, 1),
                                            family_name="容量", given_name=str(i),
                                            chief_complaint="あ" * 2000))


def test_a_full_disk_stops_a_save_with_a_message_and_loses_nothing(small_disk):
    paths = DataPaths(small_disk / "data")
    store = open_store(paths)
    ctx = ServiceContext(store=store, actor=Actor.local_admin())
    confirmed = []
    with pytest.raises(KnownError) as e:
        for i in range(10_000):
            confirmed.append(_new(ctx, i).case_number)
    store.close()
    assert isinstance(e.value, StoreError)
    assert "空き容量" in e.value.message and "まだ保存されていません" in e.value.message
    assert e.value.where.endswith("pfdesk.sqlite3")
    assert len(confirmed) > 5
    # Space is made (the user deletes something), and the store opens with every save.
    (small_disk / "filler").unlink(missing_ok=True)
    again = open_store(paths)
    try:
        ctx = ServiceContext(store=again, actor=Actor.local_admin())
        with ctx.session() as s:
            have = set(s.scalars(select(Case.case_number)))
        assert set(confirmed) <= have
        assert verify_audit(ctx).ok
    finally:
        again.close()


def test_a_read_only_folder_is_a_message_not_a_traceback(small_disk):
    paths = DataPaths(small_disk / "data")
    open_store(paths).close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(StoreError) as e:
        store = open_store(paths)
        try:
            ctx = ServiceContext(store=store, actor=Actor.local_admin())
            _new(ctx, 1)
        finally:
            store.close()
    assert "読み取り専用" in e.value.message or "読み取り専用" in e.value.hint
