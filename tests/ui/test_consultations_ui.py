"""The 相談 page: list, filters, search, case screen, forms, quick entry, 取消, 終結, drafts."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from pfdesk.core.permissions import ROLE_PERMISSIONS, Permission
from pfdesk.services import drafts
from pfdesk.services.consultations import cases, contacts
from pfdesk.services.consultations.search import CaseFilter, search_cases
from pfdesk.services.context import Actor, ServiceContext
from pfdesk.services.masking import MASK
from pfdesk.ui.autosave import AutosaveTextEdit
from pfdesk.ui.consultations import dialogs
from pfdesk.ui.consultations.models import CaseTableModel
from pfdesk.ui.consultations.page import ConsultationsPage


@pytest.fixture
def page(qtbot, demo_ctx):
    p = ConsultationsPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    p.refresh()
    return p


def _shown(p):
    return [p.model.row_at(i) for i in range(p.model.rowCount())]


def test_case_list_model_passes_the_model_tester(qtmodeltester, demo_ctx):
    model = CaseTableModel(demo_ctx)
    model.reload(CaseFilter())
    assert model.rowCount() == CaseTableModel.PAGE < model.total  # one page at a time
    model.fetchMore()
    assert model.rowCount() == min(model.total, 2 * CaseTableModel.PAGE)
    model.sort(CaseTableModel.NAME, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)


def test_list_filters_search_and_sorts(page):
    all_open = page.model.total
    assert all_open > 50 and "該当" in page.count.text()
    page.status.setCurrentIndex(page.status.findData(""))
    assert page.model.total > all_open
    page.search.setText("高橋")
    page.reload()
    assert {r.name.split("　")[0] for r in _shown(page)} == {"高橋", "髙橋"}
    page.search.setText("")
    page.year.setCurrentIndex(page.year.findData(2024))
    assert 0 < page.model.total < all_open
    page.year.setCurrentIndex(0)
    page.table.sortByColumn(CaseTableModel.INTAKE, Qt.SortOrder.AscendingOrder)
    days = [r.intake_date for r in _shown(page)]
    assert days == sorted(days)


def test_opening_the_page_reads_and_logs_the_list_once(qtbot, demo_ctx):
    # Building the table sets its sort order; only the list shown is read (and written
    # to the access log), not a second list in that order first.
    from pfdesk.services.audit_log import AuditFilter, search_audit

    def searches() -> int:
        return len(search_audit(demo_ctx, AuditFilter(
            action="consultations.case.search")).entries)

    before = searches()
    p = ConsultationsPage(ctx=demo_ctx)
    qtbot.addWidget(p)
    assert searches() == before
    p.refresh()
    assert searches() == before + 1 and p.model.rowCount() > 0
    p.table.sortByColumn(CaseTableModel.INTAKE, Qt.SortOrder.AscendingOrder)
    assert searches() == before + 2  # a new order is a new list


def test_opening_a_case_shows_tabs_timeline_and_consent(page, qtbot):
    page.table.selectRow(0)
    page.open_selected()
    d = page.detail
    assert page.stack.currentWidget() is d
    number = page.model.row_at(0).case_number
    assert number in d.title.text()
    assert "同意" in d.consent_banner.text()
    assert d.timeline.rowCount() >= d.contacts.rowCount() >= 1
    assert [d.tabs.tabText(i) for i in range(d.tabs.count())] == [
        "本人", "経過", "つなぎ", "同意", "支援計画", "本人・家族", "タイムライン"]
    d.back.emit()
    assert page.stack.currentWidget() is page.list_widget


def test_new_case_from_the_form_is_numbered_and_opened(page, monkeypatch):
    dlg = page.new_case_dialog()
    dlg.family_name.setText("新田")
    dlg.given_name.setText("一")
    dlg.family_kana.setText("にった")
    dlg.chief.setPlainText("母が相談に来た")
    dlg.issues.boxes["withdrawal"].setChecked(True)
    dlg.save()
    c = dlg.result_case
    assert c is not None and c.case_number.startswith("R8-")
    assert c.issues == ("withdrawal",) and c.family_kana == "ニッタ"
    assert drafts.load_draft(page.ctx, "case:new:chief_complaint") is None
    page.open_case(c.id)
    assert c.case_number in page.detail.title.text()


def test_quick_entry_void_close_and_reopen_from_the_case_screen(page, demo_ctx):
    row = search_cases(demo_ctx, CaseFilter(status="active")).rows[0]
    page.open_case(row.id)
    before = cases.get_case(demo_ctx, row.id).contact_count
    q = dialogs.QuickPhoneDialog(ctx=demo_ctx, case_id=row.id, case_label=row.case_number,
                                 now=datetime(2026, 11, 26, 9, 15))
    q.body.setPlainText("母から電話。本人が散歩に出た。")
    q._ok()
    assert q.result() == q.DialogCode.Accepted
    assert cases.get_case(demo_ctx, row.id).contact_count == before + 1
    newest = contacts.list_contacts(demo_ctx, row.id)[0]
    v = dialogs.ReasonDialog("取消", "記録", lambda r: contacts.void_contact(
        demo_ctx, newest.id, r))
    v.reason.setText("別のケースに入力したため")
    v._ok()
    assert contacts.list_contacts(demo_ctx, row.id)[0].voided
    c = dialogs.CloseDialog(ctx=demo_ctx, case_id=row.id, today=date(2026, 11, 26))
    c.reason.setCurrentIndex(c.reason.findData("goal_met"))  # no reason is preset
    c._ok()
    assert cases.get_case(demo_ctx, row.id).status == "closed"
    page.open_case(row.id)
    assert page.detail.reopen_button.isEnabled() and not page.detail.close_button.isEnabled()
    r = dialogs.ReopenDialog(ctx=demo_ctx, case_id=row.id, today=date(2026, 11, 26))
    r.reason.setText("家族から再度の相談")
    r._ok()
    assert cases.get_case(demo_ctx, row.id).status == "active"
    vc = dialogs.ReasonDialog("取消", "ケース", lambda reason: cases.void_case(
        demo_ctx, row.id, reason))
    vc.reason.setText("二重登録")
    vc._ok()
    page.open_case(row.id)
    assert page.detail.void_banner.isVisibleTo(page.detail) and "二重登録" in \
        page.detail.void_banner.text()


def test_autosave_keeps_typing_as_a_draft_and_offers_it_back(qtbot, ctx):
    box = AutosaveTextEdit(ctx=ctx, draft_key="contact:new:1")
    qtbot.addWidget(box)
    box.setPlainText("長い記録の途中")
    assert box.pending()
    with qtbot.waitSignal(box.draft_saved, timeout=5000):
        pass
    again = AutosaveTextEdit(ctx=ctx, draft_key="contact:new:1")
    qtbot.addWidget(again)
    asked = []
    assert again.offer_restore(ask=lambda text: asked.append(text) or True)
    assert asked == ["長い記録の途中"] and again.toPlainText() == "長い記録の途中"
    again.discard_draft()
    assert drafts.load_draft(ctx, "contact:new:1") is None
    other_user = ctx.acting_as(Actor("u2", "別の人", "staff"))
    assert drafts.load_draft(other_user, "contact:new:1") is None


def test_a_role_without_identify_sees_masks(qtbot, demo_ctx, monkeypatch):
    monkeypatch.setitem(ROLE_PERMISSIONS, "case_reader", frozenset({Permission.CASE_READ}))
    reader = ServiceContext(demo_ctx.store, Actor("r", "統計担当", "case_reader"))
    p = ConsultationsPage(ctx=reader)
    qtbot.addWidget(p)
    p.refresh()
    assert {r.name for r in _shown(p)} == {MASK}
    assert not p.new_button.isVisibleTo(p) and not p.quick_button.isVisibleTo(p)
    p.open_case(p.model.row_at(0).id)
    assert MASK in p.detail.title.text()


def test_import_dialog_previews_problems_then_imports_everything(qtbot, ctx, tmp_path,
                                                                 monkeypatch):
    import csv

    from PySide6.QtWidgets import QMessageBox

    from pfdesk.ui.consultations.io_dialogs import ExportDialog, ImportDialog

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    path = tmp_path / "台帳.csv"

    def write(date_text):
        with open(path, "w", encoding="cp932", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["台帳番号", "氏名", "相談日", "方法"])
            w.writerow(["1", "高橋 一郎", date_text, "電話"])

    write("そのうち")
    d = ImportDialog(ctx=ctx)
    qtbot.addWidget(d)
    assert d.set_path(path)
    assert not d.ok.isEnabled() and "2行目「相談日」" in d.problems.toPlainText()
    write("R8.5.1")
    d.check()
    assert d.ok.isEnabled() and "ケース 1 件" in d.summary.text()
    d.run_import()
    qtbot.waitUntil(lambda: d.result_value is not None, timeout=10_000)
    assert search_cases(ctx, CaseFilter(text="高橋")).total == 1
    e = ExportDialog(ctx=ctx, years=[2026])
    qtbot.addWidget(e)
    e.year.setCurrentIndex(1)
    task = e.export_to(tmp_path / "out")
    assert task is not None  # off the window's thread: a long export must not freeze it
    qtbot.waitUntil(lambda: e.result_value is not None, timeout=10_000)
    assert e.result_value.contacts == 1 and (tmp_path / "out.xlsx").exists()


def test_ledger_import_lists_values_and_a_chosen_code_opens_it(qtbot, ctx, tmp_path,
                                                                  monkeypatch, qtmodeltester):
    import csv

    from PySide6.QtWidgets import QMessageBox

    from pfdesk.ui.consultations.io_dialogs import ImportDialog
    from pfdesk.ui.value_mapping import ValueTableModel

    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    path = tmp_path / "台帳.csv"
    with open(path, "w", encoding="cp932", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["台帳番号", "氏名", "相談日", "方法"])
        w.writerow(["1", "高橋 一郎", "R8.5.1", "ピア相談"])
        w.writerow(["1", "", "R8.5.2", "ピア相談"])
        w.writerow(["2", "森 修", "R8.5.3", "ＴＥＬ"])
    d = ImportDialog(ctx=ctx)
    qtbot.addWidget(d)
    assert d.set_path(path)
    qtmodeltester.check(d.value_model)
    assert not d.ok.isEnabled()
    assert d.problems.toPlainText().count("ピア相談") == 1  # one line, not one per row
    m = d.value_model
    assert m.index(0, ValueTableModel.VALUE).data() == "ピア相談"
    assert m.index(0, ValueTableModel.COUNT).data() == "2"
    assert m.index(1, ValueTableModel.CODE).data() == "電話"
    assert m.setData(m.index(0, ValueTableModel.CODE), "other")
    assert d.ok.isEnabled() and "ケース 2 件" in d.summary.text()
    d.run_import()
    qtbot.waitUntil(lambda: d.result_value is not None, timeout=10_000)
    assert d.result_value.contacts == 3


def test_a_viewer_is_told_the_page_is_not_for_them(qtbot, demo_ctx):
    from PySide6.QtWidgets import QLabel

    viewer = ServiceContext(demo_ctx.store, Actor("v", "閲覧者", "viewer"))
    p = ConsultationsPage(ctx=viewer)
    qtbot.addWidget(p)
    p.refresh()
    assert any("権限がありません" in w.text() for w in p.findChildren(QLabel))


def test_referral_dialog_proposes_the_category_of_the_chosen_organization(qtbot, demo_ctx,
                                                                          monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from pfdesk.services.consultations.referrals import list_referrals, organization_choices

    # Without a consent the dialog asks first; here the user answers はい.
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    case_id = search_cases(demo_ctx, CaseFilter(status="active")).rows[0].id
    d = dialogs.ReferralDialog(ctx=demo_ctx, case_id=case_id, today=date(2026, 11, 26))
    qtbot.addWidget(d)
    saposute = next(o for o in organization_choices(demo_ctx) if o.kind == "saposute")
    d.org.setCurrentIndex(d.org.findData(saposute.id))
    assert d.category.currentData() == "saposute"
    d._ok()
    assert list_referrals(demo_ctx, case_id)[-1].organization_name == saposute.name


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_contact_note_survives_closing_the_dialog_at_once(qtbot, demo_ctx):
    from pfdesk.ui.consultations.dialogs import ContactDialog

    case_id = search_cases(demo_ctx, CaseFilter()).rows[0].id
    d = ContactDialog(ctx=demo_ctx, case_id=case_id)
    qtbot.addWidget(d)
    d.show()
    d.body.setFocus()
    d.body.insertPlainText("母より電話。本人は昼夜逆転")  # as typed (keyClicks is ASCII only)
    assert d.body.pending()
    d.close()  # the window's × right after typing, before the pause timer ran
    assert drafts.load_draft(demo_ctx, f"contact:new:{case_id}").text == "母より電話。本人は昼夜逆転"
    again = ContactDialog(ctx=demo_ctx, case_id=case_id)
    qtbot.addWidget(again)
    assert again.body.offer_restore(ask=lambda text: True)
    assert again.body.toPlainText() == "母より電話。本人は昼夜逆転"


def test_a_note_typed_when_the_application_ends_is_kept(qtbot, ctx):
    from PySide6.QtWidgets import QApplication

    box = AutosaveTextEdit(ctx=ctx, draft_key="quick:7")
    qtbot.addWidget(box)
    box.setPlainText("終了直前の入力")
    QApplication.instance().aboutToQuit.emit()
    assert drafts.load_draft(ctx, "quick:7").text == "終了直前の入力"


def test_typing_without_a_pause_is_still_saved_regularly(qtbot, ctx):
    box = AutosaveTextEdit(ctx=ctx, draft_key="quick:8")
    qtbot.addWidget(box)
    box.setPlainText("あ")
    started = box._max_wait.timerId()
    box.setPlainText("あい")  # a further key restarts the pause timer, not the upper bound
    assert box._max_wait.isActive() and box._max_wait.timerId() == started
    box._max_wait.timeout.emit()
    assert drafts.load_draft(ctx, "quick:8").text == "あい"


def test_the_case_screen_says_when_an_unsaved_note_is_waiting(page, demo_ctx):
    case_id = page.model.row_at(0).id
    page.open_case(case_id)
    assert not page.detail.draft_banner.isVisibleTo(page.detail)
    # what the autosave left behind when the PC froze in the middle of a note
    drafts.save_draft(demo_ctx, f"contact:new:{case_id}", "母より電話。")
    page.open_case(case_id)
    banner = page.detail.draft_banner
    assert banner.isVisibleTo(page.detail) and "「経過を追加」" in banner.text()
    drafts.discard_draft(demo_ctx, f"contact:new:{case_id}")
    page.open_case(case_id)
    assert not banner.isVisibleTo(page.detail)


def test_an_administrator_sees_who_looked_at_the_case(page, monkeypatch):
    from pfdesk.ui.security.audit_viewer import AuditDialog

    page.table.selectRow(0)
    page.open_selected()  # this view is itself logged
    d = page.detail
    assert not d.who_looked_button.isHidden()
    shown = {}
    monkeypatch.setattr(AuditDialog, "exec", lambda self: shown.update(
        rows=[self.model.index(r, 3).data() for r in range(self.model.rowCount())],
        case_id=self.case_id) or 0)
    d.who_looked_button.click()
    assert shown["case_id"] == d.case.id
    assert "相談ケース 閲覧" in shown["rows"]


def test_staff_do_not_get_the_audit_button(qtbot, demo_ctx):
    staff = demo_ctx.acting_as(Actor("tanto", "担当", "staff"))
    p = ConsultationsPage(ctx=staff)
    qtbot.addWidget(p)
    p.refresh()
    p.table.selectRow(0)
    p.open_selected()
    assert p.detail.who_looked_button.isHidden()
