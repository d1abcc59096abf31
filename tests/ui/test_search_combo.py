"""Searchable drop-downs: the つなぎ先 of a referral is found by typing part of name or reading."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.ui.consultations.dialogs import ReferralDialog
from pfdesk.ui.search_combo import SearchableCombo

# The completion pop-up is shown for real; the offscreen platform remarks on it.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "support raise",
                                       "grabbing the keyboard")


def _type(widget, text: str) -> None:
    """Type ``text`` as key presses (QTest.keyClicks takes ASCII only)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def dialog(qtbot, demo_ctx):
    case = search_cases(demo_ctx, CaseFilter()).rows[0]
    dlg = ReferralDialog(ctx=demo_ctx, case_id=case.id, today=date(2026, 11, 26))
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_typing_half_width_katakana_finds_the_hello_work(dialog, qtbot):
    combo = dialog.org
    assert combo.count() > 50  # the demo town's directory: too long to scroll through
    combo.lineEdit().setFocus()
    combo.lineEdit().selectAll()
    _type(combo.lineEdit(), "ﾊﾛｰﾜｰｸ")
    assert combo.matching() == ["ハローワーク東雲南"]
    qtbot.waitUntil(combo.completer().popup().isVisible)
    QTest.keyClick(combo.completer().popup(), Qt.Key.Key_Down)
    QTest.keyClick(combo.completer().popup(), Qt.Key.Key_Return)
    assert combo.currentText() == "ハローワーク東雲南"
    assert dialog.category.currentData() == "hello_work"  # the usual category follows


def test_the_reading_finds_a_name_written_in_kanji(dialog):
    combo = dialog.org
    combo.lineEdit().setFocus()
    combo.lineEdit().selectAll()
    _type(combo.lineEdit(), "しゃかいふくしきょうぎかい")
    assert "社会福祉法人みどり川町社会福祉協議会" in combo.matching()


def test_leaving_the_field_keeps_a_real_choice(qtbot):
    combo = SearchableCombo()
    qtbot.addWidget(combo)
    for name, reading in (("みどり川町保健福祉課", "みどりかわちょうほけんふくしか"),
                          ("東雲県中央保健所", "しののめけんちゅうおうほけんじょ")):
        combo.add_entry(name, name, reading)
    combo.setCurrentIndex(0)
    combo.lineEdit().setText("ほけんじょ")
    combo._narrow("ほけんじょ")
    combo.lineEdit().editingFinished.emit()  # the only match is chosen
    assert combo.currentData() == "東雲県中央保健所"
    combo.lineEdit().setText("存在しない機関")
    combo._narrow("存在しない機関")
    combo.lineEdit().editingFinished.emit()  # no match: the choice is shown again
    assert combo.currentText() == "東雲県中央保健所"


def test_every_long_list_of_organizations_or_cases_is_searchable(qtbot, demo_ctx):
    from pfdesk.services.meetings import meetings
    from pfdesk.ui.consultations.case_form import CaseFormDialog
    from pfdesk.ui.consultations.dialogs import ContactDialog
    from pfdesk.ui.meetings.dialogs import AgendaItemDialog

    case = search_cases(demo_ctx, CaseFilter()).rows[0]
    form = CaseFormDialog(ctx=demo_ctx, today=date(2026, 11, 26))
    contact = ContactDialog(ctx=demo_ctx, case_id=case.id)
    meeting = meetings.list_meetings(demo_ctx)[0]
    item = AgendaItemDialog(ctx=demo_ctx, meeting_id=meeting.id)
    for dlg in (form, contact, item):
        qtbot.addWidget(dlg)
    for combo, typed, expected in ((form.route_org, "はろーわーく", "ハローワーク東雲南"),
                                   (contact.counterpart_org, "ﾊﾛｰﾜｰｸ", "ハローワーク東雲南"),
                                   (item.case, case.case_number[-3:], case.case_number)):
        assert isinstance(combo, SearchableCombo)
        combo._narrow(typed)
        assert expected in combo.matching(), (typed, combo.matching()[:5])


def test_entering_the_field_selects_the_choice_so_typing_replaces_it(dialog, qtbot):
    edit = dialog.org.lineEdit()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: edit.hasFocus())
    qtbot.waitUntil(lambda: edit.selectedText() == "（構成機関以外・機関未登録）")
