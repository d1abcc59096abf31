"""ヘルプ → 説明書: F1 opens the manual page of the screen in front; the manual is whole."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from pfdesk.ui.help.window import ADMIN_GUIDE, PAGE_FOR_SCREEN, manual_dir, page_for
from pfdesk.ui.main_window import PAGES, MainWindow

LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_every_screen_has_a_manual_page_and_every_link_and_picture_exists():
    folder = manual_dir()
    for _label, module, _cls in PAGES:
        assert module in PAGE_FOR_SCREEN, f"no manual page for {module}"
        assert (folder / page_for(module)).is_file()
    pages = sorted(folder.glob("*.md"))
    assert len(pages) >= 14 and (folder / ADMIN_GUIDE).is_file()
    pictures = _pictures()
    for page in pages:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if target.startswith("http"):
                continue
            if target.startswith("images/"):
                # Pictures are made from the screenshot tour (docs/manual/make_screenshots.py,
                # run by installer/build.py), not kept in the repository.
                assert target[len("images/"):-len(".png")] in pictures, target
                continue
            assert (folder / target).is_file(), f"{page.name} links to a missing {target}"


def _pictures() -> set[str]:
    import importlib.util

    from pfdesk.paths import resources_dir

    root = resources_dir().parent
    spec = importlib.util.spec_from_file_location(
        "make_screenshots", root / "docs" / "manual" / "make_screenshots.py")
    assert spec and spec.loader
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    return set(make.PICTURES) | set(make.OTHER_PICTURES)


@pytest.mark.qt_log_ignore("propagateSizeHints")  # offscreen windows shown for real key presses
def test_f1_opens_the_page_of_the_current_screen(qtbot, demo_ctx, tmp_path):
    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    help_menu = window.menuBar().actions()[-1].menu()
    assert [a.text() for a in help_menu.actions()][:2] == ["説明書(&M)", "管理者ガイド"]
    assert window.manual_action.shortcut().toString() == "F1"
    labels = [label for label, _m, _c in PAGES]
    window.show_page(labels.index("相談"))
    window.manual_action.trigger()
    manual = window.manual_window["w"]
    qtbot.waitUntil(manual.isVisible)
    assert manual.current_page() == "04-consultations.md"
    assert "相談の記録" in manual.browser.toPlainText()
    manual.grab().save(str(tmp_path / "manual.png"))
    manual.close()
    window.show_page(labels.index("会議"))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    assert manual.current_page() == "06-meetings.md"
    assert "開催通知" in manual.browser.toPlainText()


def test_pfdesk_manual_opens_the_manual_on_the_page_asked_for(qtbot, monkeypatch, capsys):
    from PySide6.QtWidgets import QApplication

    from pfdesk.__main__ import main
    from pfdesk.ui.help import window as help_window

    shown = []
    monkeypatch.setattr(help_window.ManualWindow, "show", lambda self: shown.append(self))
    monkeypatch.setattr(QApplication, "exec", lambda self=None: 0)
    assert main(["manual", "11-moving.md"]) == 0
    assert shown and shown[0].current_page() == "11-moving.md"
    assert "新しい PC への移行" in shown[0].browser.toPlainText()
    assert main(["manual", "nosuch.md"]) == 2
    assert "nosuch.md" in capsys.readouterr().err
    for w in shown:
        w.deleteLater()
