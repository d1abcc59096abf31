"""The two everyday tasks of issue 14, counted in mouse clicks on the real widgets.

Typing is not counted (a name, a date, the note of the call); every mouse click is: a
click on the navigation, a button, a list line, a radio button, a field put in focus, and
the 「印刷」 of the printer dialog. The tasks start on ホーム in the demo town.

- A phone call on an existing case: 6 clicks before (相談, the search field, the row,
  ☎, the 相談者 drop-down twice, 記録する); now 4.
- Next month's 実務者会議 with its 次第 and the 開催通知 printed: about 20 before (every
  agenda item and 資料 typed again; 35 when measured below on the demo town's 実務者会議,
  every field entered with a click); now 9 with 前回の会議から作成.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton, QWidget
from sqlalchemy import select

from pfdesk.services.consultations import contacts
from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.services.meetings import agenda, meetings
from pfdesk.services.meetings.from_previous import previous_meeting
from pfdesk.store.models import DocumentNumber
from pfdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "support raise",
                                       "grabbing the keyboard")


class Clicks:
    """Real mouse clicks, counted."""

    def __init__(self) -> None:
        self.count = 0

    def on(self, widget: QWidget, pos: QPoint | None = None) -> None:
        assert widget.isVisible() and widget.isEnabled(), widget
        self.count += 1
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos or widget.rect().center())

    def on_item(self, view, item) -> None:
        view.scrollToItem(item)
        self.on(view.viewport(), view.visualItemRect(item).center())


def _type(widget: QWidget, text: str) -> None:
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, ch))


def _when_dialog(qtbot, kind, act) -> list:
    """Run ``act(dialog)`` once a modal ``kind`` dialog is shown (its exec() blocks)."""
    done: list = []

    def poll() -> None:
        dlg = QApplication.activeModalWidget()
        if isinstance(dlg, kind) and dlg.isVisible() and not done:
            done.append(dlg)
            act(dlg)
        elif not done:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
    return done


@pytest.fixture
def window(qtbot, demo_ctx):
    w = MainWindow(ctx=demo_ctx)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=10_000):
        w.start()
    w.activateWindow()
    return w


def _nav(window, label):
    return next(window.nav.item(i) for i in range(window.nav.count())
                if window.nav.item(i).text() == label)


def _unique_caller(ctx):
    for row in search_cases(ctx, CaseFilter(status="active")).rows:
        if search_cases(ctx, CaseFilter(text=row.name, status="open")).total == 1:
            return row
    raise AssertionError("no case with a name of its own")


def test_a_phone_call_on_an_existing_case_takes_four_clicks(qtbot, window, demo_ctx):
    from pfdesk.ui.consultations.dialogs import QuickPhoneDialog

    caller = _unique_caller(demo_ctx)
    before = len(contacts.list_contacts(demo_ctx, caller.id))
    clicks = Clicks()
    clicks.on_item(window.nav, _nav(window, "相談"))  # 1
    page = window.page_by_title("相談")
    assert page.search.hasFocus()  # the list opens ready for the caller's name
    _type(page.search, caller.name)
    qtbot.waitUntil(lambda: page.model.total == 1, timeout=5_000)

    def record(dlg: QuickPhoneDialog) -> None:
        assert caller.case_number in dlg.case_label.text()
        clicks.on(dlg.requester.buttons["self"])  # 3: 本人 called
        _type(dlg.body, "本人から電話。来週の面談の時間を確認した。")
        clicks.on(dlg.buttons.buttons()[0])  # 4: 記録する

    seen = _when_dialog(qtbot, QuickPhoneDialog, record)
    clicks.on(page.quick_button)  # 2
    assert seen
    assert clicks.count == 4
    after = contacts.list_contacts(demo_ctx, caller.id)
    assert len(after) == before + 1
    assert after[0].requester == "self" and "来週の面談" in after[0].body


def test_next_months_practitioners_meeting_with_notice_takes_at_most_ten_clicks(
        qtbot, window, demo_ctx, tmp_path):
    from pfdesk.ui.meetings.dialogs import NewMeetingDialog
    from pfdesk.ui.printing import PrintMeetingDialog

    clicks = Clicks()
    clicks.on_item(window.nav, _nav(window, "会議"))  # 1
    page = window.page_by_title("会議")
    body = next(b for b in page.body_rows if b.kind == "practitioners")
    prev = previous_meeting(demo_ctx, body.id)
    recurring = [i.title for i in prev.items if i.recurring]
    clicks.on_item(page.bodies, page.bodies.item(
        1 + [b.id for b in page.body_rows].index(body.id)))  # 2
    next_month = date(2027, 3, 18)

    def fill(dlg: NewMeetingDialog) -> None:
        assert dlg.from_previous.isChecked() and dlg.place.text() == prev.place
        clicks.on(dlg.held_on)  # 4: the day differs from the suggestion
        dlg.held_on.selectAll()
        _type(dlg.held_on, "2027/3/18")
        box = dlg.findChild(QDialogButtonBox)
        clicks.on(box.button(QDialogButtonBox.StandardButton.Ok))  # 5: 保存

    seen = _when_dialog(qtbot, NewMeetingDialog, fill)
    clicks.on(page.from_previous_btn)  # 3
    assert seen and page.workspace is not None
    ws = page.workspace
    new_id = ws.meeting_id
    assert meetings.get_meeting(demo_ctx, new_id).row.held_on == next_month
    assert [r.title for r in agenda.list_agenda(demo_ctx, new_id)] == recurring

    printed = tmp_path / "通知.pdf"

    def printer_ok(printer: QPrinter) -> QPrinter:
        clicks.count += 1  # 8: 「印刷」 in the printer dialog
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    def print_notice(dlg: PrintMeetingDialog) -> None:
        assert dlg.kind() == "notice"
        dlg.ask_printer = printer_ok
        clicks.on(dlg.print_btn)  # 7: 印刷…
        qtbot.waitUntil(lambda: printed.exists() and dlg.save_btn.isEnabled(), timeout=15_000)
        close = next(b for b in dlg.findChildren(QPushButton) if b.text() == "閉じる")
        clicks.on(close)  # 9

    seen = _when_dialog(qtbot, PrintMeetingDialog, print_notice)
    clicks.on(ws.print_btn)  # 6
    assert seen and printed.exists()
    with demo_ctx.session() as s:
        assert s.scalars(select(DocumentNumber).where(
            DocumentNumber.meeting_id == new_id)).first() is not None  # the notice has its 番号
    assert clicks.count <= 10
    assert clicks.count == 9


def test_the_same_meeting_typed_by_hand_takes_about_twenty(qtbot, window, demo_ctx, tmp_path,
                                                            monkeypatch):
    """The path of today without 前回の会議から作成, on the same widgets, for comparison.

    A drop-down choice counts two clicks (open, pick); Qt's item chooser for a generated
    資料 counts three (open, pick, OK).
    """
    from PySide6.QtWidgets import QInputDialog

    from pfdesk.ui.meetings.dialogs import AgendaItemDialog, NewMeetingDialog
    from pfdesk.ui.printing import PrintMeetingDialog

    clicks = Clicks()
    clicks.on_item(window.nav, _nav(window, "会議"))
    page = window.page_by_title("会議")
    body = next(b for b in page.body_rows if b.kind == "practitioners")
    prev = previous_meeting(demo_ctx, body.id)
    clicks.on_item(page.bodies, page.bodies.item(
        1 + [b.id for b in page.body_rows].index(body.id)))

    def fill(dlg: NewMeetingDialog) -> None:
        for field, text in ((dlg.held_on, "2027/3/18"),
                            (dlg.start, prev.start_time.strftime("%H:%M")),
                            (dlg.end, prev.end_time.strftime("%H:%M")),
                            (dlg.place, prev.place)):
            clicks.on(field)
            field.selectAll()
            _type(field, text)
        if prev.online:
            clicks.on(dlg.online)
        box = dlg.findChild(QDialogButtonBox)
        clicks.on(box.button(QDialogButtonBox.StandardButton.Ok))

    seen = _when_dialog(qtbot, NewMeetingDialog, fill)
    clicks.on(page.new_btn)
    assert seen and page.workspace is not None
    ws = page.workspace
    clicks.on(ws.tabs.tabBar(), ws.tabs.tabBar().tabRect(ws.tabs.indexOf(ws.agenda)).center())
    materials = {i.title: i.materials for i in prev.items if i.recurring}
    kinds = {i.title: i.kind_label for i in prev.items if i.recurring}

    def chooser(parent, title, label, labels, current=0, editable=False, *a, **k):
        clicks.count += 3
        # The same kind of 資料 as last time (its title may have been edited since).
        return next(x for x in labels if x[:2] == chooser.next[:2]), True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(chooser))
    for title, kind_label in kinds.items():
        def add(dlg: AgendaItemDialog, title=title, kind_label=kind_label) -> None:
            if dlg.kind.currentText() != kind_label:
                clicks.count += 2
                dlg.kind.setCurrentIndex(dlg.kind.findText(kind_label))
            clicks.on(dlg.title)
            _type(dlg.title, title)
            box = dlg.findChild(QDialogButtonBox)
            clicks.on(box.button(QDialogButtonBox.StandardButton.Ok))

        seen = _when_dialog(qtbot, AgendaItemDialog, add)
        clicks.on(ws.agenda.add_btn)
        assert seen
        for name in materials[title]:
            tree = ws.agenda.tree
            top = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                       if tree.topLevelItem(i).text(1) == title)
            tree.scrollToItem(top)
            clicks.on(tree.viewport(), tree.visualItemRect(top).center())
            chooser.next = name
            clicks.on(ws.agenda.generated_btn)
    rows = agenda.list_agenda(demo_ctx, ws.meeting_id)
    assert [r.title for r in rows] == list(kinds)
    assert [len(r.materials) for r in rows] == [len(materials[t]) for t in kinds]

    printed = tmp_path / "通知.pdf"

    def printer_ok(printer: QPrinter) -> QPrinter:
        clicks.count += 1
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    def print_notice(dlg: PrintMeetingDialog) -> None:
        dlg.ask_printer = printer_ok
        clicks.on(dlg.print_btn)
        qtbot.waitUntil(lambda: printed.exists() and dlg.save_btn.isEnabled(), timeout=15_000)
        clicks.on(next(b for b in dlg.findChildren(QPushButton) if b.text() == "閉じる"))

    seen = _when_dialog(qtbot, PrintMeetingDialog, print_notice)
    clicks.on(ws.print_btn)
    assert seen and printed.exists()
    # 35 in the demo town (3 recurring items, 2 generated 資料), against 9 with 前回の会議から作成.
    assert clicks.count >= 20, clicks.count
