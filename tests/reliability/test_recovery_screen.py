"""The recovery screen and the start with an unusable store: a way back, never an empty store."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from pfdesk.core.errors import StoreUnusable
from pfdesk.services.backup import backup_store
from pfdesk.services.settings import Municipality, get_municipality, save_municipality
from pfdesk.store.engine import open_store
from pfdesk.store.health import precheck
from pfdesk.ui.recovery import RecoveryDialog


def _damaged_folder(ctx):
    save_municipality(ctx, Municipality(name="いの町", secretariat="ほけん福祉課"))
    info = backup_store(ctx)
    paths = ctx.store.paths
    ctx.store.close()
    paths.store.write_bytes(paths.store.read_bytes()[:40_000])
    with pytest.raises(StoreUnusable) as e:
        precheck(paths)
    return paths, e.value, info


def test_the_screen_lists_backups_and_restores_keeping_the_damaged_file(
        ctx, qtbot, monkeypatch, tmp_path):
    paths, problem, info = _damaged_folder(ctx)
    dlg = RecoveryDialog(paths, problem)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 1
    assert "ケース 0件" in dlg.table.item(0, 1).text()
    assert dlg.table.item(0, 3).text() == info.path.name
    assert dlg.table.item(0, 3).toolTip() == str(info.path)
    assert dlg.restore_button.text() == "このバックアップから復元"
    assert dlg.close_button.text() == "閉じる"
    dlg.resize(900, 520)
    dlg.grab().save(str(tmp_path / "recovery.png"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    dlg.restore_button.click()
    assert dlg.result() == RecoveryDialog.DialogCode.Accepted
    assert "残しました" in shown[0]
    kept = list(paths.root.glob("pfdesk.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].stat().st_size == 40_000
    store = open_store(paths)
    try:
        from pfdesk.services.context import Actor, ServiceContext

        assert get_municipality(ServiceContext(store=store, actor=Actor.local_admin())).name == "いの町"
    finally:
        store.close()


def test_without_backups_the_screen_says_where_to_look(ctx, qtbot):
    paths = ctx.store.paths
    ctx.store.close()
    paths.store.unlink()
    problem = StoreUnusable("データファイルが見つかりません。", reason="missing", root=str(paths.root))
    dlg = RecoveryDialog(paths, problem)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 0 and not dlg.restore_button.isEnabled()
    assert "pfdesk restore" in dlg.empty.text()


def test_the_smoke_test_on_a_damaged_store_prints_and_exits_2(ctx, tmp_path):
    """No modal dialog, no new empty store: a message and exit code 2."""
    paths, _problem, _info = _damaged_folder(ctx)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "pfdesk", "--data-dir", str(paths.root),
                          "--smoke-test"], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stderr
    assert "切れています" in out.stderr or "壊れて" in out.stderr
    assert "Traceback" not in out.stderr
    assert paths.store.stat().st_size == 40_000  # the damaged file was not replaced
