"""「…を保存しました　［取り消し］」 on the case screen: one click (or Ctrl+Z) takes a save back."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from pfdesk.core.permissions import VIEWER
from pfdesk.services import undo
from pfdesk.services.consultations import cases, contacts
from pfdesk.services.consultations.cases import CaseInput
from pfdesk.services.context import Actor
from pfdesk.ui import undo as undo_ui
from pfdesk.ui.consultations import dialogs
from pfdesk.ui.consultations.case_form import CaseFormDialog
from pfdesk.ui.consultations.detail import CaseDetailView
from pfdesk.ui.consultations.page import ConsultationsPage

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")  # some views are shown for real


@pytest.fixture
def case(ctx):
    return cases.create_case(ctx, CaseInput(intake_date=date(2026, 5, 1), family_name="佐藤",
                                            given_name="花子", address="本町1-2"))


@pytest.fixture
def view(qtbot, ctx, case):
    v = CaseDetailView(ctx=ctx)
    qtbot.addWidget(v)
    v.load(case.id)
    return v


def _answer(monkeypatch, cls, fill, ok=None):
    """Let ``cls.exec`` fill the form and press its OK button, as the user would."""
    def exec_(self):
        fill(self)
        (ok or (lambda d: d._ok()))(self)
        return self.result()
    monkeypatch.setattr(cls, "exec", exec_)


def _bar_shows(v, text):
    return v.undo_bar.isVisibleTo(v) and v.undo_bar.message.text() == text


def test_a_new_contact_is_taken_back_with_one_click(qtbot, monkeypatch, view, ctx, case):
    _answer(monkeypatch, dialogs.ContactDialog,
            lambda d: d.body.setPlainText("母より電話。本人は元気。"))
    view.add_contact()
    assert view.contacts.rowCount() == 1
    assert _bar_shows(view, "相談記録を保存しました")
    assert view.undo_bar.button.isVisibleTo(view) and view.undo_bar.button.text() == "取り消し"
    qtbot.mouseClick(view.undo_bar.button, Qt.MouseButton.LeftButton)
    (row,) = contacts.list_contacts(ctx, case.id)
    assert row.voided and row.void_reason == "保存の取り消し"
    assert view.contacts.rows[0].voided  # the screen shows it again at once
    assert "相談 0 件" in view.summary.text()
    assert _bar_shows(view, "相談記録の保存を取り消しました")
    assert not view.undo_bar.button.isVisibleTo(view)


def test_a_corrected_contact_gets_its_text_back(qtbot, monkeypatch, view, ctx, case):
    contacts.add_contact(ctx, case.id, contacts.ContactInput(
        occurred_at=datetime(2026, 5, 8, 9, 30), body="最初の内容"))
    view.show()  # 修正 acts only when its button is shown, on the 経過 tab
    view.tabs.setCurrentIndex(1)
    view.load(case.id)
    view.contacts_view.selectRow(0)
    _answer(monkeypatch, dialogs.ContactDialog, lambda d: d.body.setPlainText("直した内容"))
    view.edit_contact()
    assert contacts.list_contacts(ctx, case.id)[0].body == "直した内容"
    assert _bar_shows(view, "相談記録の修正を保存しました")
    qtbot.mouseClick(view.undo_bar.button, Qt.MouseButton.LeftButton)
    assert contacts.list_contacts(ctx, case.id)[0].body == "最初の内容"
    assert view.contacts.rows[0].body == "最初の内容"


def test_a_case_edit_is_taken_back_and_a_stale_one_refused(qtbot, monkeypatch, view, ctx,
                                                             case):
    _answer(monkeypatch, CaseFormDialog, lambda d: d.address.setText("新町3-4"),
            ok=lambda d: d.save())
    view.edit_case()
    assert cases.get_case(ctx, case.id).address == "新町3-4"
    assert _bar_shows(view, f"ケース {case.case_number} の変更を保存しました")
    qtbot.mouseClick(view.undo_bar.button, Qt.MouseButton.LeftButton)
    assert cases.get_case(ctx, case.id).address == "本町1-2"
    assert view.person_fields["address"].text() == "本町1-2"

    view.edit_case()  # saved again, then another PC saves the case on top of it
    now = cases.get_case(ctx, case.id)
    cases.update_case(ctx, case.id, CaseInput(
        intake_date=now.intake_date, family_name="佐藤", given_name="花子",
        address="別の人が直した住所"), seen=now)
    shown = []
    monkeypatch.setattr(undo_ui, "show_error", lambda _p, e: shown.append(e.user_text()))
    qtbot.mouseClick(view.undo_bar.button, Qt.MouseButton.LeftButton)
    assert shown and "変更されたため、取り消せません" in shown[0]
    assert cases.get_case(ctx, case.id).address == "別の人が直した住所"
    assert not view.undo_bar.isVisibleTo(view)
    assert view.person_fields["address"].text() == "別の人が直した住所"


def test_ctrl_z_takes_back_unless_a_text_field_has_the_focus(qtbot, monkeypatch, view, ctx,
                                                             case):
    _answer(monkeypatch, dialogs.QuickPhoneDialog,
            lambda d: d.body.setPlainText("母から電話。変わりなし。"))
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.quick_entry()
    assert _bar_shows(view, "相談記録を保存しました")
    typing = QLineEdit(view)
    typing.show()
    typing.setFocus()
    QApplication.processEvents()
    assert undo_ui._typing_in_text_field()
    view.undo_bar.shortcut.trigger()  # Ctrl+Z inside a text field: its own undo
    assert not contacts.list_contacts(ctx, case.id)[0].voided
    view.contacts_view.setFocus()
    QApplication.processEvents()
    assert not undo_ui._typing_in_text_field()
    qtbot.keyClick(view.contacts_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert contacts.list_contacts(ctx, case.id)[0].voided


def test_a_new_case_can_be_taken_back_from_the_case_screen(qtbot, monkeypatch, ctx):
    page = ConsultationsPage(ctx=ctx)
    qtbot.addWidget(page)
    page.refresh()

    def fill(d):
        d.family_name.setText("新田")
        d.family_kana.setText("にった")

    _answer(monkeypatch, CaseFormDialog, fill, ok=lambda d: d.save())
    page.new_case()
    opened = page.detail.case
    assert opened is not None and opened.full_name.startswith("新田")
    assert _bar_shows(page.detail, f"ケース {opened.case_number} を登録しました")
    qtbot.mouseClick(page.detail.undo_bar.button, Qt.MouseButton.LeftButton)
    assert cases.get_case(ctx, opened.id).voided
    assert page.detail.void_banner.isVisibleTo(page.detail)
    assert "保存の取り消し" in page.detail.void_banner.text()


def test_the_offer_ends_after_a_while_and_a_viewer_never_gets_it(qtbot, ctx, case):
    row = contacts.add_contact(ctx, case.id, contacts.ContactInput(
        occurred_at=datetime(2026, 5, 8, 9, 30), body="記録"))
    bar = undo_ui.UndoBar(ctx=ctx)
    qtbot.addWidget(bar)
    bar.offer(undo.contact_added(row))
    assert bar.isVisibleTo(bar.parentWidget() or bar) and bar.pending is not None
    assert bar.timer.isActive() and bar.timer.interval() == undo_ui.OFFER_MS
    bar.timer.timeout.emit()
    assert bar.pending is None and bar.isHidden()

    viewer = ctx.acting_as(Actor("viewer", "閲覧者", VIEWER, None))
    vbar = undo_ui.UndoBar(ctx=viewer)
    qtbot.addWidget(vbar)
    vbar.offer(undo.contact_added(row))
    assert vbar.isHidden() and vbar.pending is None
    vbar.take_back()
    assert not contacts.list_contacts(ctx, case.id)[0].voided


def test_the_key_list_in_help_names_ctrl_z(qtbot, demo_ctx):
    from pfdesk.ui.main_window import MainWindow

    w = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=10_000):
        w.start()
    w.go_to("相談")
    rows = dict(w.shortcuts.key_list())
    assert rows.get("Ctrl+Z", "").startswith("直前の保存を取り消す")
