"""The house look: icons, striped tables, status chips, ホーム cards, the text size from 設定."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

from pfdesk.preferences import saved_text_size
from pfdesk.ui import theme
from pfdesk.ui.theme_chips import StatusChipDelegate, chip_status_columns, tone_of, tones


@pytest.fixture
def themed(qapp):
    """The theme applied to the shared application, and Qt's own look back afterwards."""
    font, palette, style = qapp.font(), qapp.palette(), qapp.style().name()
    theme.apply_theme(qapp, "standard")
    yield qapp
    theme.reset_theme(qapp)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)


def test_every_icon_is_a_shipped_svg_with_its_licence():
    from pfdesk.ui.main_window import NAV_ICONS
    from pfdesk.ui.search import KIND_ICONS

    names = set(NAV_ICONS.values()) | set(KIND_ICONS.values()) | {"search", "plus"}
    for name in names:
        text = theme.icon_path(name).read_text(encoding="utf-8")
        assert text.lstrip().startswith("<!-- @license lucide-static") and "<svg" in text
    licence = theme.icon_path("house").parent / "LICENSE"
    assert "ISC License" in licence.read_text(encoding="utf-8")


def test_icons_draw_in_the_given_colour(qapp):
    pm = theme.icon_pixmap("house", 24, "#ff0000")
    image = pm.toImage()
    painted = [image.pixelColor(x, y) for x in range(24) for y in range(24)
               if image.pixelColor(x, y).alpha() > 200]
    assert painted and all(c.red() > 200 and c.green() < 60 for c in painted)
    assert not theme.icon("house").isNull()


def test_navigation_has_an_icon_per_page(qtbot, themed, demo_ctx):
    from pfdesk.ui.main_window import MainWindow

    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    for i in range(window.nav.count()):
        assert not window.nav.item(i).icon().isNull(), window.nav.item(i).text()


def test_every_table_is_striped(qtbot, themed):
    view = QTableView()  # built without asking for stripes
    qtbot.addWidget(view)
    view.show()
    assert view.alternatingRowColors()
    assert QApplication.palette().alternateBase().color().name() == theme.STRIPE


def test_status_cells_are_drawn_as_chips(qtbot):
    known = tones()
    assert tone_of("支援中", known) == "active"
    assert tone_of("予定　⚠", known) == "warning"  # a meeting on a closed day
    assert tone_of("川口", known) is None  # not a status: drawn as usual
    model = QStandardItemModel(1, 3)
    model.setHorizontalHeaderLabels(["ケース番号", "状況", "主担当"])
    model.setItem(0, 1, QStandardItem("見守り"))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    assert chip_status_columns(view) == [1]
    assert isinstance(view.itemDelegateForColumn(1), StatusChipDelegate)
    view.resize(400, 120)
    view.show()
    image = view.viewport().grab().toImage()
    rect = view.visualRect(model.index(0, 1))
    colours = {image.pixelColor(x, rect.center().y()).name()
               for x in range(rect.left(), rect.right())}
    assert "#fdefc8" in colours  # the 見守り chip's fill


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_home_shows_cards_and_すべて表示_where_a_list_is_cut(qtbot, themed, demo_ctx):
    from pfdesk.ui.home import HomePage

    page = HomePage(ctx=demo_ctx)
    qtbot.addWidget(page)
    page.refresh()
    s = page.summary
    assert s.quiet_case_count > len(s.quiet_cases)  # the demo has more quiet cases than shown
    assert page.quiet_card.all.isVisibleTo(page)
    assert page.quiet_card.property("role") == "card"
    with qtbot.waitSignal(page.navigate) as sig:
        page.quiet_card.all.click()
    assert sig.args == ["相談", ""]
    assert page.actions_card.all.isVisibleTo(page) == (s.open_action_items > len(s.actions))
    # The cases card is as tall as its rows: all of them show, none behind a scroll bar.
    page.resize(1200, 640)
    page.show()
    QApplication.processEvents()
    assert page.quiet.count() == len(s.quiet_cases)
    assert not page.quiet.verticalScrollBar().isVisible()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_larger_text_size_chosen_in_settings_applies_at_once(qtbot, themed, demo_ctx):
    from pfdesk.ui.home import HomePage
    from pfdesk.ui.settings.page import SettingsPage

    home = HomePage(ctx=demo_ctx)
    qtbot.addWidget(home)
    home.show()
    heading = home.findChild(type(home.greeting), "pageHeading")
    before_heading = heading.font().pointSizeF()
    before_text = home.greeting.font().pointSizeF()
    settings = SettingsPage(ctx=demo_ctx)
    qtbot.addWidget(settings)
    box = settings.text_size
    try:
        box.combo.setCurrentIndex(box.combo.findData("largest"))
        QApplication.processEvents()
        assert QApplication.font().pointSizeF() == pytest.approx(13.5)
        assert home.greeting.font().pointSizeF() > before_text
        assert heading.font().pointSizeF() > before_heading
        assert saved_text_size() == "largest"  # and kept for the next start
    finally:
        box.combo.setCurrentIndex(box.combo.findData("standard"))
    assert QApplication.font().pointSizeF() == pytest.approx(10.5)
    assert home.greeting.font().pointSizeF() == pytest.approx(before_text)


def test_settings_page_scrolls_instead_of_growing_past_the_screen(qtbot, themed, demo_ctx):
    from pfdesk.ui.settings.page import SettingsPage

    page = SettingsPage(ctx=demo_ctx)
    qtbot.addWidget(page)
    theme.apply_theme(QApplication.instance(), "largest")
    try:
        assert page.minimumSizeHint().height() < 500  # the sections scroll inside the page
    finally:
        theme.apply_theme(QApplication.instance(), "standard")


def test_column_widths_follow_a_new_text_size(qtbot, themed):
    model = QStandardItemModel(1, 3)
    model.setItem(0, 0, QStandardItem("2026/11/20"))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.horizontalHeader().resizeSection(0, 100)  # sized for ordinary text by its page
    try:
        theme.apply_text_size("largest")
        assert view.horizontalHeader().sectionSize(0) == round(100 * 13.5 / 10.5)
    finally:
        theme.apply_text_size("standard")
    assert abs(view.horizontalHeader().sectionSize(0) - 100) <= 1


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_at_the_largest_text_the_window_still_fits_the_screen(qtbot, themed, demo_ctx):
    from pfdesk.services.consultations.search import search_cases
    from pfdesk.ui.main_window import MainWindow

    window = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 700)
    window.show()
    window.start()
    window.go_to("相談")
    window.page_by_title("相談").open_case(search_cases(demo_ctx).rows[0].id)
    try:
        theme.apply_text_size("largest")
        QApplication.processEvents()
        # The window keeps to the screen, and the case screen to the window: its tabs
        # scroll inside it (window_fit.ScrollingTabWidget), the page never as a whole.
        assert window.minimumSizeHint().height() <= 700
        assert window.stack.minimumSizeHint().height() <= window.page_scroll.viewport().height()
        assert not window.page_scroll.verticalScrollBar().isVisible()
    finally:
        theme.apply_text_size("standard")
