"""管理 → 監査ログ: filters, verification and export from the window."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from pfdesk.services import accounts, audit
from pfdesk.services.context import Actor
from pfdesk.ui.security.audit_viewer import AuditDialog
from tests.security_helpers import cheap_hashing  # noqa: F401


def _ctx(demo_ctx):
    ctx = demo_ctx.acting_as(accounts.login(demo_ctx.store, "demo", "demo"))
    with ctx.session() as s:
        for i in range(1, 4):
            audit.record(s, Actor("demo-staff", "", "staff"), "case.view", "consultation_case", [i])
        s.commit()
    return ctx


def test_filters_verify_and_export(qtbot, qtmodeltester, demo_ctx, tmp_path, monkeypatch):
    ctx = _ctx(demo_ctx)
    dlg = AuditDialog(ctx=ctx)
    qtbot.addWidget(dlg)
    qtmodeltester.check(dlg.model)
    total = dlg.model.rowCount()
    assert total >= 4 and "該当" in dlg.count.text()
    dlg.user.setCurrentIndex(dlg.user.findData("demo-staff"))
    dlg.refresh()
    assert dlg.model.rowCount() == 3
    assert dlg.model.index(0, 3).data() == "相談ケース 閲覧"
    dlg.target_id.setText("2")
    dlg.refresh()
    assert dlg.model.rowCount() == 1
    dlg.verify()
    assert "改ざんは見つかりませんでした" in dlg.verify_result.text()
    out = tmp_path / "log.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    dlg.export()
    assert out.exists() and "1 件を書き出しました" in dlg.count.text()
    if os.environ.get("PFDESK_SCREENSHOTS"):
        dlg.user.setCurrentIndex(0)
        dlg.target_id.setText("")
        dlg.refresh()
        dlg.grab().save(os.path.join(os.environ["PFDESK_SCREENSHOTS"], "security-audit.png"))


def test_a_tampered_log_is_reported_in_red(qtbot, demo_ctx, monkeypatch):
    import sqlite3

    ctx = _ctx(demo_ctx)
    with sqlite3.connect(ctx.store.paths.store) as conn:
        conn.execute("UPDATE audit_event SET user_name = 'x' WHERE id = 2")
    warned = {}
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.update(text=a[2]))
    dlg = AuditDialog(ctx=ctx)
    qtbot.addWidget(dlg)
    dlg.verify()
    assert "番号 2" in dlg.verify_result.text() and "番号 2" in warned["text"]


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the preview window is shown for real
def test_the_sheet_is_made_from_the_window_and_its_key_and_code_verify(qtbot, demo_ctx, tmp_path,
                                                                       monkeypatch):
    import re
    import subprocess

    ctx = _ctx(demo_ctx)
    dlg = AuditDialog(ctx=ctx)
    qtbot.addWidget(dlg)
    out = tmp_path / "sheet.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    dlg.print_sheet()
    assert out.exists() and "検証キー" in dlg.verify_result.text()
    preview = dlg.preview_window  # shown in pfdesk's preview, to print from there
    assert preview is not None and preview.isVisible() and preview.path == out
    assert preview.thumbs.count() >= 1 and "監査ログ確認票" in preview.windowTitle()
    preview.close()
    assert out.exists()  # the saved sheet is the clerk's file: only previews are removed
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    key = "-".join(re.findall(r"^[0-9A-F]{4}(?:-[0-9A-F]{4}){3}$", text, re.M))
    code = re.search(r"確認コード ([0-9:A-F-]+)", dlg.verify_result.text()).group(1)
    dlg.key_edit.setText(key)
    dlg.anchors_edit.setText(code)
    dlg.verify()
    assert "封印を確かめました" in dlg.verify_result.text()
    assert "確認票の控え 1 件と一致" in dlg.verify_result.text()
