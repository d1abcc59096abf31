"""ファイル → 新しい PC へ移す: the archive is written from the window, administrators only."""

from __future__ import annotations

from pfdesk.services.context import Actor
from pfdesk.services.moving.archive import read_manifest
from pfdesk.ui.main_window import MainWindow
from pfdesk.ui.moving.dialog import MoveOutDialog


def test_the_file_menu_writes_a_move_archive_and_says_what_to_do_next(qtbot, demo_ctx, tmp_path):
    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    labels = [a.text() for a in file_menu.actions()]
    assert "新しい PC へ移す(&M)…" in labels
    assert labels.index("新しい PC へ移す(&M)…") < labels.index("終了(&X)")
    assert window.move_out_action.isEnabled()

    target = tmp_path / "移行用.zip"
    dlg = MoveOutDialog(ctx=demo_ctx, ask_path=lambda _w, default: str(target))
    qtbot.addWidget(dlg)
    assert default_name_ok(dlg)
    dlg.make_button.click()
    qtbot.waitUntil(lambda: dlg.info is not None, timeout=20_000)
    assert "移行用ファイルを作成し、検査しました" in dlg.result_label.text()
    assert "pfdesk move-in" in dlg.result_label.text()
    assert read_manifest(target).counts["cases"] > 0
    dlg.grab().save(str(tmp_path / "move.png"))


def default_name_ok(dlg: MoveOutDialog) -> bool:
    """The explanation names what moves and the steps on the new PC."""
    text = " ".join(w.text() for w in dlg.findChildren(type(dlg.result_label)))
    return "監査ログ" in text and "pfdesk move-in" in text


def test_staff_cannot_move_the_data_out(qtbot, demo_ctx):
    staff = demo_ctx.acting_as(Actor("sato", "佐藤", "staff"))
    dlg = MoveOutDialog(ctx=staff)
    qtbot.addWidget(dlg)
    assert not dlg.make_button.isEnabled()
    window = MainWindow(ctx=staff)
    qtbot.addWidget(window)
    assert not window.move_out_action.isEnabled()
