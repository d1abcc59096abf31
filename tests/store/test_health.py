"""A damaged, cut-short or vanished store: a Japanese message and the recovery path, never a new empty store."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys

import pytest

from pfdesk.__main__ import main
from pfdesk.core.errors import StoreUnusable
from pfdesk.paths import DataPaths
from pfdesk.store.engine import open_store
from pfdesk.store.presence import SESSIONS

PY = [sys.executable, "-m", "pfdesk"]


@pytest.fixture
def used_folder(demo_template, tmp_path) -> DataPaths:
    """A copy of the demo folder, closed: a store that has held data."""
    root = tmp_path / "demo"
    shutil.copytree(demo_template, root)
    return DataPaths(root)


def _run(root, *args):
    env = dict(os.environ, PFDESK_PASSWORD="demo")
    return subprocess.run([*PY, "--data-dir", str(root), "--user", "demo", *args],
                          capture_output=True, text=True, env=env, timeout=120)


def _truncate(path, keep: float) -> bytes:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path.read_bytes()


def test_a_truncated_store_is_refused_in_japanese_and_left_as_it_is(used_folder):
    store_file = used_folder.store
    before = _truncate(store_file, 0.5)
    out = _run(used_folder.root, "stats", "--fy", "2025", "--json")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "途中で切れています" in out.stderr and "recover-store" in out.stderr
    assert store_file.read_bytes() == before  # never replaced, never "repaired" in place


def test_a_vanished_store_is_not_opened_as_a_new_empty_one(used_folder):
    used_folder.store.unlink()
    for suffix in ("-wal", "-shm"):
        (used_folder.root / f"{used_folder.store.name}{suffix}").unlink(missing_ok=True)
    out = _run(used_folder.root, "stats", "--fy", "2025")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "見つかりません" in out.stderr
    assert not used_folder.store.exists()  # no store without accounts appeared
    with pytest.raises(StoreUnusable) as e:
        open_store(used_folder)
    assert e.value.reason == "missing"


def test_an_empty_store_file_is_refused(used_folder):
    used_folder.store.write_bytes(b"")
    with pytest.raises(StoreUnusable) as e:
        open_store(used_folder)
    assert e.value.reason == "empty" and "0 バイト" in e.value.message
    assert used_folder.store.stat().st_size == 0


def test_a_damaged_header_is_not_taken_for_a_wrong_password(used_folder, capsys):
    data = bytearray(used_folder.store.read_bytes())
    data[:100] = os.urandom(100)
    used_folder.store.write_bytes(bytes(data))
    code = main(["--data-dir", str(used_folder.root), "check"])
    err = capsys.readouterr().err
    assert code == 2
    assert "壊れて" in err and "パスワード" not in err


def _stale_entry(root):
    folder = root / SESSIONS
    folder.mkdir(exist_ok=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    (folder / f"{socket.gethostname()}-{dead}.json").write_text(json.dumps({
        "host": socket.gethostname(), "pid": int(dead), "user": "x", "command": "pfdesk",
        "since": "2026-12-01T10:00:00"}))


def test_after_an_unclean_stop_the_store_is_checked_and_the_user_told(used_folder):
    _stale_entry(used_folder.root)
    store = open_store(used_folder)
    try:
        assert any("点検しました" in n for n in store.notices)
    finally:
        store.close()
    assert not list((used_folder.root / SESSIONS).glob("*.json"))  # checked once, then forgotten
    again = open_store(used_folder)
    try:
        assert again.notices == []
    finally:
        again.close()


def test_a_page_damaged_inside_the_file_is_found_after_an_unclean_stop(used_folder):
    data = bytearray(used_folder.store.read_bytes())
    page = 4096
    # Damage pages in the middle of the file (the header stays whole).
    for start in range(page * 8, min(len(data), page * 40), page):
        data[start:start + 64] = b"\xff" * 64
    used_folder.store.write_bytes(bytes(data))
    _stale_entry(used_folder.root)
    with pytest.raises(StoreUnusable) as e:
        open_store(used_folder)
    assert e.value.reason == "damaged" and "壊れて" in e.value.message
    assert used_folder.store.read_bytes() == bytes(data)


def test_check_reports_a_whole_store_with_its_counts(used_folder, capsys):
    assert main(["--data-dir", str(used_folder.root), "check"]) == 0
    out = capsys.readouterr().out
    assert "問題は見つかりませんでした" in out and "ケース 300" in out
