"""Tabs and forms that scroll inside a short window, and still speak of their own pages."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from pfdesk.ui.window_fit import ScrollingTabWidget, VerticalScroll


def _long_form(rows: int = 30) -> QWidget:
    page = QWidget()
    form = QFormLayout(page)
    for i in range(rows):
        edit = QLineEdit()
        edit.setMinimumWidth(300)
        form.addRow(f"項目{i + 1}", edit)
    return page


def test_a_long_tab_scrolls_inside_and_the_tabs_speak_of_their_pages(qtbot):
    tabs = ScrollingTabWidget()
    qtbot.addWidget(tabs)
    short, long = QWidget(), _long_form()
    tabs.addTab(short, "概要")
    tabs.addTab(long, "本人")
    # Thirty rows need far more than a 150 % laptop has; the tabs ask only for a few lines.
    assert long.minimumSizeHint().height() > 600
    assert tabs.minimumSizeHint().height() < 250
    # …but never less than the form's width: a page too wide is made narrower, not cut.
    assert tabs.minimumSizeHint().width() >= long.minimumSizeHint().width()
    assert tabs.widget(1) is long and tabs.indexOf(long) == 1
    tabs.setCurrentWidget(long)
    assert tabs.currentIndex() == 1 and tabs.currentWidget() is long
    tabs.resize(500, 300)
    tabs.show()
    qtbot.waitExposed(tabs)
    holder = tabs.findChildren(VerticalScroll)[1]
    assert holder.verticalScrollBar().isVisible()  # the rows scroll inside the tab
    assert not holder.horizontalScrollBar().isVisible()


def test_a_dialog_form_asks_for_its_whole_height_where_there_is_room(qtbot):
    form = _long_form(5)
    scroll = VerticalScroll(form)
    qtbot.addWidget(scroll)
    assert scroll.sizeHint().height() >= form.sizeHint().height()
    compact = VerticalScroll(_long_form(5), compact=True)  # a tab: the page gives it room
    qtbot.addWidget(compact)
    assert compact.sizeHint().height() <= VerticalScroll.MIN_HEIGHT
