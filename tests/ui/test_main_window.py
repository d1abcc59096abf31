"""The main window opens on the demo town, every page loads, and texts are Japanese."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from pfdesk.ui.main_window import PAGES, MainWindow


def test_every_page_opens_on_the_demo_town(qtbot, demo_ctx, tmp_path):
    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.start()
    assert "デモ" in window.windowTitle()
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["ホーム", "関係機関", "相談", "会議", "進行管理", "実態把握", "報告",
                      "設定"]
    for i in range(len(PAGES)):
        window.show_page(i)
        assert window.stack.currentWidget() is window.page(i)
    window.show_page(0)
    home = window.page(0)
    assert "みどり川町" in home.greeting.text()
    assert "令和8年11月26日（木）" in home.greeting.text()
    assert window.grab().save(str(tmp_path / "main.png"))


def test_going_to_a_page_reads_it_once_and_the_navigation_follows(qtbot, demo_ctx,
                                                                  monkeypatch):
    from pfdesk.ui.meetings.page import MeetingsPage

    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    reads = []
    original = MeetingsPage.refresh
    monkeypatch.setattr(MeetingsPage, "refresh", lambda self: reads.append(1) or original(self))
    window.go_to("会議")  # as the home page's buttons and the shortcuts do
    assert len(reads) == 1  # 会議 of a large town takes a quarter second to read
    assert window.nav.currentItem().text() == "会議"
    window.nav.setCurrentRow(0)  # a click on ホーム, then back on 会議
    window.nav.setCurrentRow(3)
    assert len(reads) == 2 and window.stack.currentWidget() is window.page(3)


def test_about_names_the_version(qtbot, demo_ctx, monkeypatch):
    seen = {}
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: seen.update(t=text))
    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    window.about_action.trigger()
    assert "pfdesk 0." in seen["t"]


def test_settings_page_marks_a_missing_name(qtbot, ctx):
    from pfdesk.ui.settings.page import SettingsPage

    page = SettingsPage(ctx=ctx)
    qtbot.addWidget(page)
    page.refresh()
    page.form.edits["secretariat"].setText("保健福祉課")
    assert page.save() is False
    assert "自治体名" in page.form.error.text()
    page.form.edits["name"].setText("いの町")
    assert page.save() is True
    page.refresh()
    assert page.form.edits["name"].text() == "いの町"


def test_first_start_saves_the_municipality(qtbot, ctx):
    from pfdesk.services.settings import is_set_up
    from pfdesk.ui.first_start import FirstStartDialog

    dlg = FirstStartDialog(ctx=ctx)
    qtbot.addWidget(dlg)
    dlg.accept()
    assert not is_set_up(ctx)
    dlg.form.edits["name"].setText("いの町")
    dlg.form.edits["secretariat"].setText("ほけん福祉課")
    dlg.accept()
    assert is_set_up(ctx)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_unsaved_settings_survive_page_changes_and_are_offered_on_close(qtbot, demo_ctx,
                                                                         monkeypatch):
    from pfdesk.services.settings import get_municipality

    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    settings = [i for i, p in enumerate(PAGES) if p[0] == "設定"][0]
    window.show_page(settings)
    page = window.page(settings)
    assert page.unsaved_changes() == ""  # loading alone is not a change
    page.form.edits["phone"].setText("0889-00-1234")
    window.show_page(0)
    window.show_page(settings)
    assert page.form.edits["phone"].text() == "0889-00-1234"  # not overwritten by reloading
    asked = []

    def answer(parent, title, text, buttons, default):
        asked.append(text)
        return QMessageBox.StandardButton.Cancel if len(asked) == 1 else (
            QMessageBox.StandardButton.Save)

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.show()
    assert not window.close() and window.isVisible()  # 取消: the window stays open
    assert "設定（自治体・事務局）" in asked[0]
    assert window.close()
    assert get_municipality(demo_ctx).phone == "0889-00-1234"


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_closing_the_window_offers_to_save_a_meeting_overview_and_return_answers(
        qtbot, demo_ctx, monkeypatch):
    from pfdesk.services.meetings import meetings
    from pfdesk.services.returns.answers import get_return_answers

    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    index = {p[0]: i for i, p in enumerate(PAGES)}
    window.show_page(index["会議"])
    mpage = window.page(index["会議"])
    mid = [r for r in meetings.list_meetings(demo_ctx, fy=2026) if r.status == "planned"][0].id
    mpage.open_meeting(mid)
    mpage.workspace.overview.place.setText("みどり川町公民館 2階")
    window.show_page(index["報告"])
    rpage = window.page(index["報告"])
    rpage.tabs.setCurrentWidget(rpage.answers)
    rpage.answers.window_name.setText("こころの相談窓口")
    asked = []

    def answer(parent, title, text, buttons, default):
        asked.append(text)
        return QMessageBox.StandardButton.Save

    monkeypatch.setattr(QMessageBox, "question", answer)
    window.show()
    assert window.close()
    assert "会議の概要" in asked[0] and "窓口・実態把握の回答" in asked[0]
    assert meetings.get_meeting(demo_ctx, mid).row.place == "みどり川町公民館 2階"
    assert get_return_answers(demo_ctx).window_name == "こころの相談窓口"


def test_the_years_holidays_are_worked_out_while_the_home_page_is_read(qtbot, demo_ctx):
    # The 会議 page's warnings and calendar need this 年度's 祝日 (0.04 s a year): worked
    # out on the background worker after start-up, not when the page is first opened.
    from datetime import date

    from pfdesk.core.fiscal import fiscal_year_of
    from pfdesk.services.meetings import calendar
    from pfdesk.ui.tasks import wait_for_all

    calendar._year_holidays.cache_clear()
    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    window.start()
    assert wait_for_all()
    fy = fiscal_year_of(date.today())
    assert calendar._year_holidays.cache_info().currsize == 2
    before = calendar._year_holidays.cache_info().hits
    assert calendar.closed_day_name(date(fy + 1, 1, 1)) == "元日"
    assert calendar._year_holidays.cache_info().hits == before + 1  # nothing worked out again


def test_the_other_pages_code_is_loaded_while_the_home_page_waits(qtbot, demo_ctx,
                                                                   monkeypatch):
    # After start-up the pages' modules are imported one by one in the event loop's
    # pauses, so opening a page later does not wait for its code.
    import importlib
    import sys

    from pfdesk.ui import main_window

    loaded = []
    real = importlib.import_module
    monkeypatch.setattr(main_window.importlib, "import_module",
                        lambda name: (loaded.append(name), real(name))[1])
    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    window.start()
    assert loaded == [PAGES[0][1]]  # only the home page when the window shows
    others = [*main_window.PRELOAD_FIRST, *(module for _label, module, _cls in PAGES[1:])]
    qtbot.waitUntil(lambda: loaded[1:] == others, timeout=10_000)
    assert all(m in sys.modules for m in others)
    assert len(window._pages) == 1  # imported, not built: no page reads its data yet
