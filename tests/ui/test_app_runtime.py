"""Running well: one instance per data folder, errors shown in Japanese, Qt messages logged."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import qWarning
from PySide6.QtWidgets import QMessageBox

from pfdesk.core.errors import FileProblem
from pfdesk.ui import errors as ui_errors
from pfdesk.ui.single_instance import SingleInstance, server_name


def test_second_start_brings_the_first_forward(qtbot, tmp_path):
    first = SingleInstance(tmp_path)
    assert first.listen()
    second = SingleInstance(tmp_path)
    with qtbot.waitSignal(first.activated, timeout=5000):
        assert second.notify_running()


def test_other_data_folder_is_another_instance(qtbot, tmp_path):
    first = SingleInstance(tmp_path / "a")
    assert first.listen()
    assert not SingleInstance(tmp_path / "b").notify_running(timeout_ms=200)
    assert server_name(tmp_path / "a") != server_name(tmp_path / "b")


def test_known_error_is_shown_plainly(qtbot, monkeypatch):
    shown = {}
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text: shown.update(title=title, text=text)
    )
    e = FileProblem("ファイル「名簿.xlsx」に書き込めません。", where="C:/名簿.xlsx",
                    hint="Excel で開いていれば閉じてください。")
    ui_errors.show_error(None, e)
    assert "名簿.xlsx" in shown["text"] and "閉じて" in shown["text"]


def test_bug_is_logged_and_shown_once(qtbot, monkeypatch, caplog):
    shown = []
    monkeypatch.setattr(ui_errors, "_shown_bug", False)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a[2]))
    with caplog.at_level(logging.ERROR):
        for _ in range(2):
            try:
                raise RuntimeError("boom")
            except RuntimeError as e:
                ui_errors._excepthook(type(e), e, e.__traceback__)
    assert len(shown) == 1
    assert "ログファイル" in shown[0]
    assert "boom" in caplog.text


def test_a_smoke_test_ends_on_a_bug_instead_of_waiting_on_a_dialog(qtbot, monkeypatch, capsys):
    # The frozen bundle once missed a Qt library: its smoke test sat on the bug dialog
    # until CI's timeout. Unattended, the traceback goes to stderr and the loop ends with 1
    # (QApplication.exit is recorded here, not called: it would end the tests' loops too).
    from PySide6.QtWidgets import QApplication

    shown, ended = [], []
    monkeypatch.setattr(ui_errors, "_shown_bug", False)
    monkeypatch.setattr(ui_errors, "_unattended", True)
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: shown.append(a))
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: ended.append(code)))
    try:
        raise ImportError("libQt6Svg.so.6: cannot open shared object file")
    except ImportError as e:
        ui_errors._excepthook(type(e), e, e.__traceback__)
    assert ended == [1]
    assert shown == []
    assert "libQt6Svg" in capsys.readouterr().err


def test_qt_messages_go_to_the_log(qtbot, caplog):
    from PySide6.QtCore import qInstallMessageHandler

    previous = qInstallMessageHandler(ui_errors._qt_message)
    try:
        with caplog.at_level(logging.WARNING, logger="qt"):
            qWarning("pfdesk test message")
    finally:
        qInstallMessageHandler(previous)
    assert "pfdesk test message" in caplog.text


def test_background_result_after_its_page_closed_is_dropped_safely(qtbot):
    import threading

    from PySide6.QtWidgets import QWidget

    from pfdesk.ui.tasks import run_in_background, wait_for_all

    wait_for_all()  # the worker is shared: let earlier tests' work finish first
    page = QWidget()
    release = threading.Event()
    delivered = []

    def work():
        release.wait(5)
        return 42

    task = run_in_background(page, work, title="集計中", on_success=delivered.append)
    page.deleteLater()
    qtbot.wait(50)
    with qtbot.waitSignal(task.finished, timeout=5000):
        release.set()
    wait_for_all()
    assert delivered == []  # the page is gone: no callback into a deleted widget


def test_background_result_reaches_a_live_page(qtbot):
    from PySide6.QtWidgets import QWidget

    from pfdesk.ui.tasks import run_in_background, wait_for_all

    wait_for_all()  # the worker is shared: let earlier tests' work finish first
    page = QWidget()
    qtbot.addWidget(page)
    delivered = []
    task = run_in_background(page, lambda: "済", title="集計中", on_success=delivered.append)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert delivered == ["済"]


def test_result_arrives_even_when_the_task_object_is_already_gone(qtbot):
    import shiboken6
    from PySide6.QtWidgets import QWidget

    from pfdesk.ui.tasks import run_in_background, wait_for_all

    page = QWidget()
    qtbot.addWidget(page)
    release = threading.Event()
    delivered = []

    def work():
        release.wait(5)
        return "済"

    task = run_in_background(page, work, title="集計中", show_progress=False,
                             on_success=delivered.append)
    shiboken6.delete(task)  # e.g. destroyed with the Qt objects of a closing window
    release.set()
    wait_for_all()
    qtbot.waitUntil(lambda: delivered == ["済"], timeout=5000)


@pytest.mark.qt_log_ignore("does not support raise", "does not support activateWindow")
def test_a_second_start_during_sign_in_raises_the_sign_in_dialog(qtbot):
    from PySide6.QtWidgets import QDialog

    from pfdesk.app import bring_dialog_forward

    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.setModal(True)
    dialog.show()
    dialog.showMinimized()
    bring_dialog_forward()
    assert dialog.isVisible() and not dialog.isMinimized()


class SmokeApp:
    """What the smoke check asks of the application: how it ended."""

    code = None

    def exit(self, code):
        self.code = code

    def quit(self):
        self.code = 0


def smoke_check_passes(window, capsys) -> bool:
    """Run the start's smoke check on ``window``: every page loaded, nothing failed."""
    from pfdesk.app import _smoke_check
    from pfdesk.ui.main_window import PAGES

    app = SmokeApp()
    _smoke_check(app, window, 0.0)
    return (app.code is None  # quit is scheduled, not failed
            and "pfdesk ready in" in capsys.readouterr().out
            and len(window._pages) == len(PAGES))


def test_smoke_check_fails_instead_of_hanging_when_a_page_cannot_load(qtbot, capsys):
    from pfdesk.app import _smoke_check

    class Window:
        def page(self, index):
            raise ModuleNotFoundError("No module named 'pfdesk.ui.home'")

    app = SmokeApp()
    _smoke_check(app, Window(), 0.0)
    assert app.code == 1
    assert "pfdesk.ui.home" in capsys.readouterr().err


def test_smoke_check_loads_every_page(qtbot, demo_ctx, capsys):
    from pfdesk.ui.main_window import MainWindow

    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    assert smoke_check_passes(window, capsys)
