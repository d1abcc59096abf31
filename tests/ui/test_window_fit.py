"""Windows fit a 1366×768 laptop and remember their size and splitters per user.

They also grow to show their messages and keep 令和 in sight.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QSplitter, QVBoxLayout

from pfdesk.ui import window_fit

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def fitter(qapp, tmp_path, monkeypatch):
    monkeypatch.setenv("PFDESK_SETTINGS_DIR", str(tmp_path / "settings"))
    f = window_fit.install_window_fitter(qapp)
    yield f
    qapp.removeEventFilter(f)
    f.setParent(None)
    qapp.setProperty("pfdeskSettingsUser", None)


def test_a_date_field_shows_the_era_from_its_beginning(qtbot, demo_ctx):
    from pfdesk.services.consultations.search import CaseFilter, search_cases
    from pfdesk.ui.consultations import dialogs

    case_id = search_cases(demo_ctx, CaseFilter(status="active")).rows[0].id
    d = dialogs.CloseDialog(ctx=demo_ctx, case_id=case_id, today=date(2026, 11, 26))
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    line = d.on
    assert line.text().startswith("令和8年11月26日")
    assert line.cursorPosition() == 0
    # The whole date fits in the box: nothing scrolled out to the left.
    assert line.width() >= line.fontMetrics().horizontalAdvance(line.text()) + 8


def test_the_sign_in_error_is_shown_in_full(qtbot, store):
    from pfdesk.ui.login import LoginDialog

    d = LoginDialog(paths=store.paths, store=store, demo=True)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.error.setText("利用者名またはパスワードが違います。\n入力し直してください。"
                    "5回続けて間違えると、しばらくロックされます。")
    qtbot.wait(50)
    err = d.error
    assert err.height() >= err.heightForWidth(err.width())
    assert err.geometry().top() >= d.password.geometry().bottom()
    assert d.height() >= d.layout().totalMinimumSize().height()


def test_the_first_administrator_intro_is_not_squeezed(qtbot, ctx):
    from pfdesk.ui.security.first_admin import FirstAdminDialog

    d = FirstAdminDialog(ctx=ctx)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    intro = d.findChildren(QLabel)[0]
    assert intro.text().startswith("pfdesk には相談者の個人情報")
    assert intro.height() >= intro.heightForWidth(intro.width())


def test_the_main_window_starts_inside_1366x700(qtbot, demo_ctx):
    from pfdesk.ui.main_window import MainWindow

    w = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(w)
    assert w.width() <= 1366 and w.height() <= 700
    assert w.minimumSizeHint().height() <= 700


def test_a_tall_dialog_is_kept_inside_the_work_area(qtbot, fitter, demo_ctx):
    from pfdesk.ui.directory.org_dialog import OrganizationDialog

    d = OrganizationDialog(ctx=demo_ctx)  # asks for 780×740
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    assert d.height() <= 700 and d.width() <= 1366


class _Split(QDialog):
    def __init__(self):
        super().__init__()
        lay = QVBoxLayout(self)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(QLabel("左"))
        self.split.addWidget(QLabel("右"))
        lay.addWidget(self.split)


def test_size_and_splitter_are_remembered_per_user(qtbot, fitter):
    window_fit.set_settings_user("morino")
    d = _Split()
    qtbot.addWidget(d)
    d.resize(640, 420)
    d.show()
    qtbot.waitExposed(d)
    d.resize(700, 450)
    d.split.setSizes([100, 560])
    d.split.splitterMoved.emit(100, 1)
    d.hide()
    again = _Split()
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (700, 450)
    assert abs(again.split.sizes()[0] - 100) <= 6  # not the even split (about 330)
    again.hide()
    window_fit.set_settings_user("tamura")  # another user keeps their own
    other = _Split()
    qtbot.addWidget(other)
    other.resize(500, 300)
    other.show()
    qtbot.waitExposed(other)
    assert (other.width(), other.height()) == (500, 300)
    assert window_fit.settings_file().is_file()


def test_consent_scope_rows_are_as_tall_as_their_check_boxes(qtbot, demo_ctx):
    from PySide6.QtWidgets import QStyle

    from pfdesk.services.consultations.search import CaseFilter, search_cases
    from pfdesk.ui.consultations import dialogs

    case_id = search_cases(demo_ctx, CaseFilter(status="active")).rows[0].id
    d = dialogs.ConsentDialog(ctx=demo_ctx, case_id=case_id, today=date(2026, 11, 26))
    qtbot.addWidget(d)
    box = d.orgs.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorHeight)
    text = d.orgs.fontMetrics().height()
    assert d.orgs.count() > 10
    assert all(d.orgs.item(i).sizeHint().height() >= max(box, text) + 4
               for i in range(d.orgs.count()))


def test_a_date_field_has_room_for_its_example(qtbot):
    from pfdesk.ui.fields import DateLine

    line = DateLine("日付")
    qtbot.addWidget(line)
    assert line.minimumWidth() >= line.fontMetrics().horizontalAdvance(line.placeholderText())


def test_the_term_dates_of_a_body_member_show_whole_dates(qtbot, demo_ctx):
    from pfdesk.services.meetings import bodies
    from pfdesk.ui.meetings.body_editor import BodyEditor

    body = bodies.list_bodies(demo_ctx)[0]
    d = BodyEditor(ctx=demo_ctx, body_id=body.id)
    qtbot.addWidget(d)
    for line in (d.start_on, d.end_on):
        line.set_value(date(2026, 12, 28))
        assert line.minimumWidth() >= line.fontMetrics().horizontalAdvance(line.text())
        assert line.minimumWidth() >= line.fontMetrics().horizontalAdvance(
            line.placeholderText())


def test_a_question_box_never_takes_an_old_size(qtbot, fitter):
    from PySide6.QtWidgets import QMessageBox

    window_fit.set_settings_user("morino")
    first = QMessageBox(QMessageBox.Icon.Question, "削除", "とても長い説明。" * 30)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.hide()
    short = QMessageBox(QMessageBox.Icon.Question, "削除", "削除しますか？")
    qtbot.addWidget(short)
    short.show()
    qtbot.waitExposed(short)
    assert short.height() < first.height()
    saved = window_fit.settings_file()
    assert not saved.exists() or "QMessageBox" not in saved.read_text(encoding="utf-8")
